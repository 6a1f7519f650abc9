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

from egovcli.score import model
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
