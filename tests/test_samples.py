"""The sample round: generated deterministically from seed 004, faults planted as documented, and the
committed files in samples/hanam-2022 never drifting from samples/generate.py."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
import yaml
from helpers import egov

from egovcli import api
from egovcli.agencies import load_registry
from egovcli.rules import load_rules
from egovcli.score import model
from samples import dti2025
from samples.generate import (
    SEED_FACTS,
    SOURCE,
    Sample,
    apply_facts,
    competition_ranks,
    expected,
    expected_points,
    generate,
    hanam_2022_round,
    paired,
    parse_points,
    seed_004_spec,
    with_totals,
)

COMMITTED = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
FAULT_FLAGS = {model.OVER_MAX, model.CLAIM_EXCEEDS_EVIDENCE, model.SUBTOTAL_MISMATCH,
               model.MISSING_SELF_SCORE}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("round")
    generate(out)
    return out


@pytest.fixture(scope="module")
def samples() -> dict[str, Sample]:
    return {s.file: s for s in hanam_2022_round()}


def text_of(path: Path) -> list[str]:
    """What a reader sees in a file: paragraphs and table cells, sheet cells, or PDF page text."""
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        cells = ["|".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
        return [p.text for p in document.paragraphs] + cells
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path)
        return [f"{ws.title}:{row!r}" for ws in workbook for row in ws.iter_rows(values_only=True)]
    if path.suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            return [page.extract_text() for page in pdf.pages]
    return path.read_text(encoding="utf-8").splitlines()


def criteria(sample: Sample) -> dict[str, tuple[str, str]]:
    """criterion path → (max, self) as written."""
    rows = paired(sample.spec.rows)
    return {p.path: (r.diem_toi_da, r.diem_tu_danh_gia) for r, p in rows if p.kind == "criterion"}


def info(sample: Sample) -> dict[str, str]:
    return dict(sample.spec.info)


# ── generator ──────────────────────────────────────────────────────────────────


def test_generation_is_deterministic(generated: Path, tmp_path: Path) -> None:
    generate(tmp_path)
    names = sorted(p.name for p in generated.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert text_of(generated / name) == text_of(tmp_path / name), name
        assert (generated / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_committed_samples_match_a_fresh_generation(generated: Path) -> None:
    assert sorted(p.name for p in COMMITTED.iterdir()) == sorted(p.name for p in generated.iterdir())
    for path in sorted(generated.iterdir()):
        assert text_of(COMMITTED / path.name) == text_of(path), f"{path.name}: run `make samples`"


def test_committed_hoabinh_sample_is_a_fresh_generation(tmp_path: Path) -> None:
    """samples/hoabinh-2017 (seed 001's published ranking) is rebuilt byte for byte (`make samples`)."""
    from samples.generate import HOABINH_OUT, generate_hoabinh

    [fresh] = generate_hoabinh(tmp_path)
    assert [p.name for p in HOABINH_OUT.iterdir()] == [fresh.name]
    assert (HOABINH_OUT / fresh.name).read_bytes() == fresh.read_bytes(), "run `make samples`"


def test_round_has_mixed_formats_and_small_kebab_case_files(generated: Path, samples: dict[str, Sample]
                                                             ) -> None:
    assert len(samples) >= 7
    formats = [s.format for s in samples.values()]
    assert all(formats.count(f) >= 2 for f in ("docx", "xlsx", "pdf"))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.(docx|xlsx|pdf)", name) for name in samples)
    assert len({s.spec.agency for s in samples.values()}) == len(samples)
    assert all((generated / name).stat().st_size < 100_000 for name in samples)


# ── seed 004 ───────────────────────────────────────────────────────────────────


def test_seed_table_is_the_tsv_and_sums_to_496(samples: dict[str, Sample]) -> None:
    seed = seed_004_spec()
    with (SOURCE / "hanam-2022-phuluc-so-tai-chinh.tsv").open(encoding="utf-8", newline="") as fh:
        tsv = [tuple(r) for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)][1:]
    assert [tuple(r) for r in seed.rows] == tsv
    assert len(seed.rows) == 107
    assert sum(parse_points(s) or 0 for _m, s in criteria(samples["so-tai-chinh.docx"]).values()) == 496
    assert seed.rows[-1].diem_toi_da == "500" and seed.rows[-1].diem_tu_danh_gia == "496"
    assert with_totals(seed.rows) == seed.rows  # every written subtotal of the seed adds up
    assert info(samples["so-tai-chinh.docx"])["Tổng số điểm đạt được"] == "496"
    assert samples["so-tai-chinh.docx"].spec == seed


def test_seed_narrative_is_the_report_text_unchanged() -> None:
    seed = seed_004_spec()
    text = (SOURCE / "hanam-2022-so-tai-chinh-baocao.txt").read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text) and "*" not in text
    assert seed.narrative[0] == "BÁO CÁO" and seed.narrative[-1] == "Vũ Văn Thư"
    for line in ("- Máy chủ: 04 chiếc",
                 "- Tổng số cán bộ, công chức và người lao động của cơ quan: 50 người.",
                 "- Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia: 26/27 (96,30%)."):
        assert line in seed.narrative
    assert apply_facts(seed.narrative, SEED_FACTS) == seed.narrative  # the facts are the seed's own numbers
    assert ("Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan", "50") in seed.info


# ── planted faults ─────────────────────────────────────────────────────────────


def test_over_claim_sample_has_60_staff_48_computers_and_claims_10(samples: dict[str, Sample]) -> None:
    s = samples["so-xay-dung.xlsx"]
    assert criteria(s)["I.1"] == ("10", "10")
    assert info(s)["Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan"] == "60"
    assert info(s)["Tổng số máy tính được trang bị (gồm máy tính để bàn, xách tay, máy tính bảng)"] == "48"
    assert "- Tổng số cán bộ, công chức và người lao động của cơ quan: 60 người." in s.spec.narrative
    assert "- Máy tính cá nhân (để bàn và xách tay): 48 chiếc" in s.spec.narrative
    assert expected_points(s)["I.1"] == 8


def test_subtotal_sample_writes_146_for_rows_summing_to_142(samples: dict[str, Sample]) -> None:
    s = samples["so-y-te.pdf"]
    written = {p.path: r.diem_tu_danh_gia for r, p in paired(s.spec.rows)}
    assert written["II"] == "146" and written["II.4"] == "12"
    assert sum(parse_points(v) or 0 for k, (_m, v) in criteria(s).items() if k.startswith("II.")) == 142


def test_missing_and_over_max_samples(samples: dict[str, Sample]) -> None:
    assert criteria(samples["so-giao-duc-va-dao-tao.xlsx"])["III.1.8"] == ("5", "")
    assert criteria(samples["so-tu-phap.docx"])["II.4.4"] == ("8", "12")


@pytest.mark.parametrize("name", [s.file for s in hanam_2022_round()])
def test_only_the_planted_faults_differ(samples: dict[str, Sample], name: str) -> None:
    """Criteria whose points differ from the written self-score, and totals that don't add up, are
    exactly the planted faults."""
    s = samples[name]
    planted = {(f.criterion, f.flag) for f in s.faults}
    found = set()
    points = expected_points(s)
    for path, (top, self_score) in criteria(s).items():
        if not self_score:
            found.add((path, model.MISSING_SELF_SCORE))
        elif (parse_points(self_score) or 0) > (parse_points(top) or 0):
            found.add((path, model.OVER_MAX))
        elif points[path] < (parse_points(self_score) or 0):
            found.add((path, model.CLAIM_EXCEEDS_EVIDENCE))
        else:
            assert points[path] == parse_points(self_score), path  # data-based rules agree with the claim
    recomputed = with_totals(s.spec.rows)
    for (row, p), fresh in zip(paired(s.spec.rows), recomputed, strict=True):
        if row.diem_tu_danh_gia != fresh.diem_tu_danh_gia:
            found.add((p.path, model.SUBTOTAL_MISMATCH))
    assert found == planted
    assert info(s)["Tổng số điểm đạt được"] == s.spec.rows[-1].diem_tu_danh_gia
    assert {flag for _c, flag in planted} <= FAULT_FLAGS


# ── expected.json ──────────────────────────────────────────────────────────────


def test_expected_json_is_computed_from_the_specs(generated: Path) -> None:
    manifest = json.loads((generated / "expected.json").read_text(encoding="utf-8"))
    assert manifest == json.loads(json.dumps(expected(hanam_2022_round())))
    files = manifest["files"]
    assert files["so-tai-chinh.docx"]["expected_total"] == 496 and files["so-tai-chinh.docx"]["faults"] == []
    assert files["so-xay-dung.xlsx"]["points"]["I.1"] == 8
    assert files["so-xay-dung.xlsx"]["expected_total"] == files["so-xay-dung.xlsx"]["written_total"] - 2
    assert files["so-tu-phap.docx"]["points"]["II.4.4"] == 8
    assert files["so-giao-duc-va-dao-tao.xlsx"]["points"]["III.1.8"] == 0
    for entry in files.values():
        assert entry["expected_total"] == pytest.approx(sum(entry["points"].values()))
    ranks = sorted(entry["expected_rank"] for entry in files.values())
    assert ranks[:4] == [1, 2, 2, 4]  # a tie, and competition ranking skips the next place


def test_competition_ranks() -> None:
    assert competition_ranks([488, 496, 490, 490, 480]) == [4, 1, 2, 2, 5]


# ── what readers will find in the files ────────────────────────────────────────


@pytest.mark.parametrize("name", [s.file for s in hanam_2022_round() if s.format == "pdf"])
def test_pdf_criteria_table_is_found_on_every_page_it_spans(generated: Path, samples: dict[str, Sample],
                                                             name: str) -> None:
    with pdfplumber.open(generated / name) as pdf:
        tables = [page.find_tables() for page in pdf.pages]
        first = next(i for i, found in enumerate(tables) if found)
        spanned = tables[first:]
        assert len(spanned) >= 2
        assert all(len(found) == 1 for found in spanned)  # the table runs on to the last page
        grids = [found[0].extract() for found in spanned]
    assert all(grid[0][0] == "TT" for grid in grids)  # the header row is repeated on each page
    assert [row[0] for grid in grids for row in grid[1:]] == [r.tt for r in samples[name].spec.rows]
    last = grids[-1][-1]
    assert last[3:] == [samples[name].spec.rows[-1].diem_toi_da, samples[name].spec.rows[-1].diem_tu_danh_gia]


def test_docx_has_info_lines_and_a_word_table(generated: Path, samples: dict[str, Sample]) -> None:
    document = docx.Document(str(generated / "so-tu-phap.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Tổng số điểm đạt được: 492" in paragraphs
    assert "Tên cơ quan, đơn vị: Sở Tư pháp tỉnh Hà Nam" in paragraphs
    (table,) = document.tables
    grid = [[c.text for c in row.cells] for row in table.rows]
    assert grid[0] == ["TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá"]
    assert [tuple(row) for row in grid[1:]] == [tuple(r) for r in samples["so-tu-phap.docx"].spec.rows]


def test_xlsx_has_label_value_pairs_and_numeric_cells(generated: Path, samples: dict[str, Sample]) -> None:
    workbook = openpyxl.load_workbook(generated / "so-giao-duc-va-dao-tao.xlsx")
    assert workbook.sheetnames == ["Báo cáo", "Phụ lục"]
    assert workbook.properties.modified.year == 2022
    rows = list(workbook["Phụ lục"].iter_rows(values_only=True))
    pairs = {r[0]: r[1] for r in rows if isinstance(r[0], str) and r[0].endswith(":")}
    assert pairs["Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan:"] == 64
    assert pairs["Tổng số điểm đạt được:"] == 471
    header = rows.index(("TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá"))
    assert rows[header - 1] == (None,) * 5
    table = rows[header + 1:]
    assert len(table) == 107 and table[-1][3:] == (500, 471)
    by_tt = [(r[0], r[3], r[4]) for r in table]
    assert ("8", 5, None) in by_tt  # III.1.8: blank self-score is an empty cell
    spec_tt = [r.tt for r in samples["so-giao-duc-va-dao-tao.xlsx"].spec.rows]
    assert [r[0] or "" for r in table] == spec_tt  # TT stays text ("3.1", "III. 2"); blank TT is empty


# ── dti-example-2025: the 2026-shaped round (samples/dti2025.py) ──────────────

DTI_COMMITTED = COMMITTED.parent / "dti-example-2025"
DTI_PREVIOUS = COMMITTED.parent / "dti-example-2024"
# the engine reads "Điểm thẩm định" (basis appraisal) once it knows that basis; until then the
# appraised forms score on their self-scores, and expected() says what either engine must give
APPRAISAL_READ = "appraisal" in model.BASES


@pytest.fixture(scope="module")
def dti_generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dti")
    dti2025.generate(out / "2025", out / "2024")
    return out


@pytest.fixture(scope="module")
def dti_units() -> dict[str, dti2025.Unit]:
    return {u.file: u for u in dti2025.dti_2025_round()}


@pytest.fixture(scope="module")
def dti_scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The committed round ingested, scored with dti-example-2025 and ranked, as `make demo` does."""
    with api.open_workspace(tmp_path_factory.mktemp("dti-ws") / "dti.sqlite", create=True) as ws:
        report = api.ingest(ws, DTI_COMMITTED)
        run = api.score_workspace(ws, "dti-example-2025")
        ranking = api.rank_workspace(ws).ranking
        observations = list(ws.observations())
    return {"report": report, "run": run, "ranking": ranking, "observations": observations}


def test_dti_generation_is_deterministic(dti_generated: Path, tmp_path: Path) -> None:
    dti2025.generate(tmp_path / "2025", tmp_path / "2024")
    for year in ("2025", "2024"):
        names = sorted(p.name for p in (dti_generated / year).iterdir())
        assert names == sorted(p.name for p in (tmp_path / year).iterdir())
        for name in names:
            assert (dti_generated / year / name).read_bytes() == (tmp_path / year / name).read_bytes(), name


def test_committed_dti_decision_is_a_fresh_generation(tmp_path: Path) -> None:
    fresh = dti2025.write_decision(tmp_path / dti2025.DECISION_FILE.name)
    assert text_of(dti2025.DECISION_FILE) == text_of(fresh), "run `make samples`"


@pytest.mark.parametrize(("committed", "year"), [(DTI_COMMITTED, "2025"), (DTI_PREVIOUS, "2024")])
def test_committed_dti_samples_match_a_fresh_generation(dti_generated: Path, committed: Path, year: str
                                                        ) -> None:
    fresh = dti_generated / year
    assert sorted(p.name for p in committed.iterdir()) == sorted(p.name for p in fresh.iterdir())
    for path in sorted(fresh.iterdir()):
        assert text_of(committed / path.name) == text_of(path), f"{path.name}: run `make samples`"


def test_dti_round_shape(dti_units: dict[str, dti2025.Unit]) -> None:
    """18 sở/ban/ngành and 60 xã/phường/đặc khu, mostly xlsx, few PDFs, names as they are written."""
    units = list(dti_units.values())
    assert sum(u.group == "department" for u in units) == 18
    assert sum(u.group == "commune" for u in units) == 60
    formats = [u.format for u in units]
    assert 1 <= formats.count("pdf") <= 8 and formats.count("docx") >= 8
    assert formats.count("xlsx") > len(units) / 2
    names = [u.name for u in units]
    for start in ("UBND xã ", "UBND phường ", "UBND P. ", "Đặc khu ", "Ủy ban nhân dân xã ", "Sở ",
                  "Văn phòng ", "Ban ", "Thanh tra ", "Đài "):
        assert any(n.startswith(start) for n in names), start
    files = [u.file for u in units]
    assert any(not f.isascii() for f in files) and any(f.isascii() for f in files)
    assert len(set(names)) == len(units) == len(set(files))
    appraised = [u for u in units if u.appraisal]
    assert {u.group for u in appraised} == {"department", "commune"}
    assert {u.format for u in appraised} >= {"xlsx", "docx"}
    assert any(u.appraisal[c] != u.self_scores[c] for u in appraised for c in u.appraisal)  # type: ignore[index]
    assert sum(1 for u in units if u.over_claims) == len(dti2025.OVER_CLAIMS)


def test_dti_forms_have_the_dti_table_shape(dti_generated: Path, dti_units: dict[str, dti2025.Unit]) -> None:
    unit = next(u for u in dti_units.values() if u.format == "xlsx" and u.appraisal and u.group == "commune")
    rows = list(openpyxl.load_workbook(dti_generated / "2025" / unit.file).active.iter_rows(values_only=True))
    header = rows.index(tuple(dti2025.HEADER) + ("Điểm thẩm định",))
    assert ("Tên cơ quan, đơn vị:", unit.name) in [r[:2] for r in rows[:header]]
    table = rows[header + 1:]
    pillars = [r[0] for r in table if r[0] and not str(r[0]).isdigit()]
    assert pillars == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert table[-1][1] == "TỔNG CỘNG (I+II+III+IV+V+VI)" and table[-1][2] == 600
    plain = next(u for u in dti_units.values() if u.format == "docx" and not u.appraisal)
    (word,) = docx.Document(str(dti_generated / "2025" / plain.file)).tables
    assert [c.text for c in word.rows[0].cells] == list(dti2025.HEADER)


def test_dti_expected_json_is_computed_from_the_round(dti_generated: Path) -> None:
    manifest = json.loads((dti_generated / "2025" / "expected.json").read_text(encoding="utf-8"))
    assert manifest == json.loads(json.dumps(dti2025.expected(dti2025.dti_2025_round())))
    assert manifest["rules"] == "dti-example-2025" and "không phải quyết định chính thức" in manifest["note"]
    for entry in manifest["files"].values():
        assert entry["expected_index"] == round(entry["expected_total"] / 1000, 4)
    communes = [e for e in manifest["files"].values() if e["group"] == "commune"]
    ranks = sorted(e["expected_rank"] for e in communes)
    assert len(set(ranks)) == len(ranks) - 1  # the twins tie, and competition ranking skips a place
    twins = [e for e in communes if e["written_name"].endswith(dti2025.TWINS)]
    assert twins[0]["expected_total"] == twins[1]["expected_total"]


def test_dti_data_rules_are_the_rule_sets_data_criteria() -> None:
    """The generator recomputes exactly the criteria the rule set scores from figures."""
    rules = load_rules("dti-example-2025")
    counted = {p.id for p in dti2025.load_pillars() if p.scored}
    assert {c.id for c in rules.criteria if c.inputs and c.section in counted} == set(dti2025.DATA_RULES)
    assert "VÍ DỤ MINH HỌA" in rules.title and "không phải quyết định chính thức" in rules.title
    assert rules.max_total == 1000 and 30 <= sum(len(p.components) for p in dti2025.load_pillars()) <= 50


def test_dti_unscored_pillar_is_printed_as_the_rule_set_says() -> None:
    """Pillar VII is on every form; once the rule set carries it (weight 0), its rows are the same."""
    pillars = dti2025.load_pillars()
    assert [p.id for p in pillars if not p.scored] == ["VII"]
    (unscored,) = (p for p in pillars if not p.scored)
    assert [(c.id, c.tt, c.label, c.max, c.formula_text, c.evidence) for c in unscored.components] == [
        (c["id"], c["tt"], c["label"], c["max"], c["formula_text"], c["evidence"])
        for c in dti2025.UNSCORED_CRITERIA]
    assert unscored.title == dti2025.UNSCORED["title"]


def test_dti_agencies_csv_is_a_registry_today(dti_generated: Path) -> None:
    """agencies.csv carries merged_from / renamed_from / since for the registry that reads them; the
    registry of today reads its id, name, group and aliases and ignores the rest."""
    registry = load_registry(dti_generated / "2025" / "agencies.csv")
    assert registry.resolve("Sở NN&MT tỉnh Hải Sơn").name == dti2025.MERGED_DEPARTMENT
    assert registry.resolve("UBND X. Tân Phong").name == dti2025.MERGED_COMMUNE
    with (dti_generated / "2025" / "agencies.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert list(next(iter(rows.values()))) == list(dti2025.REGISTRY_COLUMNS)
    assert rows["so-nnmt"]["merged_from"] == "so-nnptnt;so-tnmt" and rows["so-nnmt"]["since"] == "01/03/2025"
    assert rows["xa-tan-phong"]["merged_from"] == "xa-tan-lap;xa-phong-phu"
    assert rows["so-dttg"]["renamed_from"] == "Ban Dân tộc tỉnh Hải Sơn"
    previous = json.loads((dti_generated / "2024" / "expected.json").read_text(encoding="utf-8"))
    predecessors = {rows[i]["name"] for i in ("so-nnptnt", "so-tnmt", "xa-tan-lap", "xa-phong-phu")}
    assert predecessors | {"Ban Dân tộc tỉnh Hải Sơn"} <= {e["agency"] for e in previous["files"].values()}
    assert previous["period"] == "2024"


def test_every_dti_file_ingests_with_its_agency_group_and_self_scores(
        dti_scored: dict[str, object], dti_units: dict[str, dti2025.Unit]) -> None:
    report = dti_scored["report"]
    results = {r.file: r for r in report.files}  # type: ignore[attr-defined]
    assert {f for f, r in results.items() if r.status == "new"} == set(dti_units)
    assert all(r.unmapped == 0 for f, r in results.items() if f in dti_units)  # every label is known
    observations = dti_scored["observations"]
    by_file: dict[str, list] = {}
    for so in observations:  # type: ignore[attr-defined]
        by_file.setdefault(so.source_file, []).append(so)
    for name, unit in dti_units.items():
        found = by_file[name]
        who = {(so.agency, so.group, so.period) for so in found}
        assert who == {(unit.shown_name, unit.group, "2025")}, name
        scores = {so.obs.indicator: so.obs.value for so in found if so.obs.kind == "self_score"}
        assert {k: scores[k] for k in unit.self_scores} == pytest.approx(unit.self_scores), name


def test_dti_round_scores_and_ranks_as_expected(dti_scored: dict[str, object],
                                                dti_units: dict[str, dti2025.Unit]) -> None:
    """Every criterion's points, every total and every place in its group are the generator's."""
    want = dti2025.expected(list(dti_units.values()), appraisal=APPRAISAL_READ)["files"]
    assert isinstance(want, dict)
    run = dti_scored["run"]
    by_agency = {s.agency: s for s in run.scores}  # type: ignore[attr-defined]
    ranking = {r.agency: r for r in dti_scored["ranking"]}  # type: ignore[attr-defined]
    for name, entry in want.items():
        score = by_agency[entry["agency"]]
        points = {r.criterion: r.points for r in score.rows}
        assert {k: points[k] for k in entry["points"]} == pytest.approx(entry["points"]), name
        assert points["TOTAL"] == pytest.approx(entry["expected_total"]), name
        row = ranking[entry["agency"]]
        assert (row.group, row.rank) == (entry["group"], entry["expected_rank"]), name
        basis = {r.criterion: r.basis for r in score.rows}
        assert {basis[k] for k in dti2025.DATA_RULES if k in entry["points"]} == {"data"}, name
        over = {r.criterion for r in score.rows if model.CLAIM_EXCEEDS_EVIDENCE in r.flags}
        assert over == set(entry["over_claims"]), name


def test_rules_validate_dti_example_is_clean() -> None:
    code, stdout, stderr = egov("rules", "validate", "dti-example-2025")
    assert code == 0, stderr
    assert "Hợp lệ: dti-example-2025" in stdout and "[W-" not in stdout + stderr


@pytest.mark.parametrize(("table", "group"), [(1, "department"), (2, "commune")])
def test_the_dti_decision_drafts_into_the_example_rule_set(table: int, group: str, tmp_path: Path) -> None:
    """docs/rules.md "Từ quyết định đến bộ tiêu chí": `egov rules draft` on the example decision gives
    each annex's pillars and components as dti-example-2025 has them (ids, TT, labels, maxima, cách
    tính, evidence, sources); what is left by hand is what the rule set adds: formulas' indicators,
    groups, weights and the unscored pillar (the 700 ≠ 600 sum reported)."""
    result = api.draft_rules(dti2025.DECISION_FILE, str(tmp_path / "draft.yaml"), table=table)
    draft = yaml.safe_load(result.text)
    shipped = [c for c in load_rules("dti-example-2025").criteria if c.applies(group) and c.section != "VII"]
    unscored = [(c["id"], c["tt"], c["label"], c["max"], c["formula_text"], c["evidence"], "")
                for c in dti2025.UNSCORED_CRITERIA]
    want = [(c.id, c.tt, c.label, c.max, c.formula_text, c.evidence, c.data_source) for c in shipped]
    got = [(c["id"], c["tt"], c["label"], c["max"], c["formula_text"], c["evidence"],
            c.get("data_source", "")) for c in draft["criteria"]]
    assert got == want + unscored
    assert [s["id"] for s in draft["sections"]] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert draft["max_total"] == 600
    assert [p.code for p in result.problems if p.severity == "error"] == ["E-RULES-SUM"]
