"""`egovcli.verify` on seed 001 (Hòa Bình 2017) read from its ruled pdf, and on small hand-made
tables: over-max cells, totals and ranks that disagree with their printed parts, missing cells, and
the overall rankings rebuilt from the criterion cells."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from egovcli.ingest import ingest_folder
from egovcli.model import Observation, SourcedObservation
from egovcli.rules import RuleSet, load_rules
from egovcli.verify import Finding, rebuild_overall, verify_published
from egovcli.workspace import Workspace
from samples.published import write_docx, write_pdf, write_xlsx

# 2.2 of the departments prints "Sở Kế hoạch và Đầu tư", the other tables "Sở Kế hoạch - Đầu tư"
AGENCIES = "id,name,group,aliases\nskhdt,Sở Kế hoạch và Đầu tư,department,Sở Kế hoạch - Đầu tư\n"

# Hand-computed from the seed text: 2.1 + 2.2 + 2.3 + 2.4 + 2.5 (printed totals, all consistent
# with their cells once Sở Tư pháp's "9" counts as its maximum 2); competition ranking.
DEPARTMENTS = [
    (1, "Sở Tài chính", 96.0),  # 17 + 9 + 39 + 17 + 14
    (1, "Sở Thông tin và Truyền thông", 96.0),  # 17 + 9 + 39 + 17 + 14
    (3, "Ban Quản lý các KCN", 94.0),  # 13 + 9 + 39 + 17 + 16
    (3, "Sở Khoa học và Công nghệ", 94.0),  # 13 + 9 + 41 + 17 + 14
    (3, "Sở xây dựng", 94.0),  # 13 + 9 + 39 + 17 + 16 (printed so in the decision)
    (6, "Văn phòng UBND tỉnh", 93.0),  # 17 + 9 + 38 + 17 + 12
    (7, "Sở Giáo dục và Đào tạo", 92.0),  # 13 + 9 + 39 + 17 + 14
    (7, "Sở Kế hoạch và Đầu tư", 92.0),  # 13 + 9 + 39 + 17 + 14
    (7, "Sở Nội vụ", 92.0),  # 13 + 9 + 39 + 17 + 14
    (7, "Sở Nông nghiệp và PTNT", 92.0),  # 13 + 9 + 41 + 17 + 12
    (7, "Thanh tra tỉnh", 92.0),  # 13 + 9 + 38 + 17 + 15
    (12, "Sở Tư pháp", 91.0),  # 13 + 9 + 36 + 17 + 16
    (12, "Sở Y tế", 91.0),  # 13 + 9 + 38 + 17 + 14
    (14, "Sở Công thương", 90.0),  # 13 + 9 + 39 + 17 + 12
    (15, "Sở Ngoại vụ", 89.5),  # 13 + 9 + 38.5 + 17 + 12
    (15, "Sở Văn hóa, TT và DL", 89.5),  # 13 + 9 + 38.5 + 17 + 12
    (17, "Ban Dân tộc", 89.0),  # 13 + 9 + 39 + 17 + 11
    (17, "Sở Lao động, TB&XH", 89.0),  # 13 + 9 + 39 + 17 + 11
    (19, "Sở Tài nguyên và Môi trường", 86.0),  # 13 + 9 + 37 + 17 + 10
    (20, "Sở Giao thông Vận tải", 84.0),  # 13 + 9 + 39 + 17 + 6
]
# "1. Xếp hạng chung" of the districts as printed: (TT = rank, agency, total)
DISTRICTS = [
    (1, "UBND huyện Lạc Sơn", 97.0),
    (2, "UBND huyện Lạc Thủy", 96.0),
    (3, "UBND huyện Tân Lạc", 95.5),
    (4, "UBND huyện Kỳ Sơn", 94.7),
    (5, "UBND huyện Cao Phong", 94.0),
    (6, "UBND huyện Kim Bôi", 92.0),
    (7, "UBND thành phố Hòa Bình", 91.0),
    (8, "UBND huyện Lương Sơn", 88.7),
    (9, "UBND huyện Đà Bắc", 87.9),
    (10, "UBND huyện Mai Châu", 86.8),
    (11, "UBND huyện Yên Thủy", 83.0),
]


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules("hoabinh-2017")


def _ingest(folder: Path, name: str, registry: bool = True) -> list[SourcedObservation]:
    """Seed 001 written as `name` (ruled/unruled pdf, xlsx, docx), ingested into a new workspace."""
    (folder / "in").mkdir()
    path = folder / "in" / name
    writers: dict[str, Callable[[Path], None]] = {
        "qd-2631.pdf": lambda p: write_pdf(p, ruled=True),
        "qd-2631-unruled.pdf": lambda p: write_pdf(p, ruled=False),
        "qd-2631.xlsx": write_xlsx,
        "qd-2631.docx": write_docx,
    }
    writers[name](path)
    if registry:
        (folder / "in" / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    workspace = Workspace(folder / "ws.sqlite")
    ingest_folder(folder / "in", workspace)
    return workspace.observations()


@pytest.fixture(scope="module")
def observations(tmp_path_factory: pytest.TempPathFactory) -> list[SourcedObservation]:
    return _ingest(tmp_path_factory.mktemp("verify"), "qd-2631.pdf")


@pytest.fixture(scope="module")
def findings(observations: list[SourcedObservation], rules: RuleSet) -> list[Finding]:
    return verify_published(observations, rules)


def _of(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def test_tu_phap_nine_in_table_2_3_is_over_max(findings: list[Finding]) -> None:
    [over] = _of(findings, "over_max")
    assert (over.agency, over.item, over.expected, over.found) == ("Sở Tư pháp", "2.3.11", 2, 9)
    assert over.location == "trang 3, bảng 1, dòng 19, cột 11"
    assert over.source_file.endswith("qd-2631.pdf")
    assert "«9»" in over.explanation and "tối đa 2" in over.explanation


def test_rows_whose_parts_do_not_add_up_are_total_mismatch(findings: list[Finding]) -> None:
    got = {(f.agency, f.item, f.expected, f.found) for f in _of(findings, "total_mismatch")}
    assert got == {
        ("UBND huyện Kỳ Sơn", "2.1.TOTAL", 17.0, 16.7),  # 5 + 4.0 + 4 + 4
        ("UBND huyện Đà Bắc", "2.1.TOTAL", 15.0, 14.9),  # 3 + 4.0 + 4 + 4
        ("UBND huyện Kỳ Sơn", "TOTAL", 95.0, 94.7),  # overall, carrying 2.1's 16.7
        ("UBND huyện Đà Bắc", "TOTAL", 88.0, 87.9),  # overall, carrying 2.1's 14.9
    }
    ky_son = next(f for f in findings if f.item == "2.1.TOTAL" and f.agency == "UBND huyện Kỳ Sơn")
    assert ky_son.location.startswith("trang ") and ky_son.location.endswith("cột 7")
    assert "17" in ky_son.explanation and "16.7" in ky_son.explanation


def test_no_missing_value_when_every_cell_is_printed(findings: list[Finding]) -> None:
    assert _of(findings, "missing_value") == []
    assert {f.kind for f in findings} == {"over_max", "total_mismatch", "rank_mismatch"}


def test_domain_rows_printed_out_of_score_order_are_rank_mismatch(findings: list[Finding]) -> None:
    """Tables 2.3 and 2.5 of the departments are not in score order: (agency, table, position that
    the total earns, TT printed); a row inside its tie block is in place."""
    got = {(f.agency, f.item, f.expected, f.found) for f in _of(findings, "rank_mismatch")}
    assert got == {
        ("Sở Y tế", "2.3.TOTAL", 16, 6),  # 38.0: positions 16–18
        ("Văn phòng UBND tỉnh", "2.3.TOTAL", 16, 9),
        ("Sở Tài nguyên và Môi trường", "2.3.TOTAL", 19, 14),  # 37.0
        ("Sở Lao động, TB&XH", "2.3.TOTAL", 3, 16),  # 39.0: positions 3–13
        ("Sở Tư pháp", "2.3.TOTAL", 20, 17),  # 36.0
        ("Sở Giáo dục và Đào tạo", "2.3.TOTAL", 3, 18),
        ("Sở Ngoại vụ", "2.3.TOTAL", 14, 19),  # 38.5: positions 14–15
        ("Thanh tra tỉnh", "2.3.TOTAL", 16, 20),
        ("Văn phòng UBND tỉnh", "2.5.TOTAL", 12, 7),  # 12: positions 12–16
        ("Sở Giáo dục và Đào tạo", "2.5.TOTAL", 5, 12),  # 14: positions 5–11
    }
    assert all("TT" in f.explanation for f in _of(findings, "rank_mismatch"))


def test_rebuilt_department_ranking_is_the_hand_computed_one(
    observations: list[SourcedObservation], rules: RuleSet
) -> None:
    rows = [r for r in rebuild_overall(observations, rules) if r.group == "department"]
    assert [(r.rank, r.agency, r.total) for r in rows] == DEPARTMENTS
    assert {r.period for r in rows} == {"2017"} and {r.max_total for r in rows} == {100}
    tu_phap = next(r for r in rows if r.agency == "Sở Tư pháp")
    assert tu_phap.sections == {"2.1": 13, "2.2": 9, "2.3": 36, "2.4": 17, "2.5": 16}


def test_district_ranking_reproduced_and_every_difference_explained(
    observations: list[SourcedObservation], rules: RuleSet, findings: list[Finding]
) -> None:
    rows = [r for r in rebuild_overall(observations, rules) if r.group == "district"]
    assert [r.rank for r in rows] == [rank for rank, _, _ in DISTRICTS]
    assert [r.agency for r in rows] == [agency for _, agency, _ in DISTRICTS]
    differences = {
        r.agency: (r.total, printed)
        for r, (_, _, printed) in zip(rows, DISTRICTS, strict=True)
        if r.total != printed
    }
    assert differences == {"UBND huyện Kỳ Sơn": (95.0, 94.7), "UBND huyện Đà Bắc": (88.0, 87.9)}
    overall = {f.agency: f for f in findings if f.item in ("TOTAL", "RANK")}
    assert set(overall) == set(differences)
    for agency, finding in overall.items():
        assert finding.kind == "total_mismatch" and finding.location.endswith("cột 8")
        assert "lĩnh vực 2.1 in" in finding.explanation and "bảng 2.1 cộng lại" in finding.explanation
        assert "Thứ hạng không đổi" in finding.explanation, agency


def test_findings_are_plain_data(findings: list[Finding]) -> None:
    rows = json.loads(json.dumps([f.as_dict() for f in findings], ensure_ascii=False))
    assert list(rows[0]) == [
        "agency",
        "item",
        "kind",
        "expected",
        "found",
        "location",
        "source_file",
        "explanation",
    ]


@pytest.mark.parametrize("name", ["qd-2631-unruled.pdf", "qd-2631.xlsx", "qd-2631.docx"])
def test_same_findings_from_every_format(
    tmp_path: Path, name: str, rules: RuleSet, findings: list[Finding]
) -> None:
    other = verify_published(_ingest(tmp_path, name), rules)
    assert sorted((f.agency, f.item, f.kind, f.expected, f.found) for f in other) == sorted(
        (f.agency, f.item, f.kind, f.expected, f.found) for f in findings
    )
    [over] = _of(other, "over_max")
    assert (
        over.location
        == {
            "qd-2631-unruled.pdf": "trang 3, bảng 1, dòng 19, cột 11",
            "qd-2631.xlsx": "Sở, ban, ngành!K72",
            "qd-2631.docx": "bảng 4, dòng 20, cột 11",
        }[name]
    )


def test_two_spellings_of_one_agency_without_a_registry(tmp_path: Path, rules: RuleSet) -> None:
    """Without agencies.csv, "Sở Kế hoạch và Đầu tư" (2.2) and "Sở Kế hoạch - Đầu tư" (the other
    tables) are still one agency: no missing table, ranked under the spelling printed first."""
    observations = _ingest(tmp_path, "qd-2631.pdf", registry=False)
    assert _of(verify_published(observations, rules), "missing_value") == []
    departments = [(r.rank, r.agency, r.total) for r in rebuild_overall(observations, rules)
                   if r.group == "department"]
    expected = [(rank, "Sở Kế hoạch - Đầu tư" if "Kế hoạch" in name else name, total)
                for rank, name, total in DEPARTMENTS]
    assert departments == expected


# --- small hand-made tables ---------------------------------------------------------------------
def _cell(
    agency: str, indicator: str, value: float | None, ref: str, group: str = "district"
) -> SourcedObservation:
    raw = "" if value is None else f"{value:g}"
    obs = Observation(
        "",
        raw or "x",
        value,
        kind="published_score",
        indicator=indicator,
        ref=ref,
        location=f"{agency}!{indicator}",
        agency=agency,
    )
    return SourcedObservation(agency, group, "2017", "qd.xlsx", obs)


def _domains(agency: str, ref: str, cells: dict[str, list[float]]) -> list[SourcedObservation]:
    """Full rows of every domain table: section → its criteria's values (total = their sum)."""
    out = []
    for section, values in cells.items():
        out += [_cell(agency, f"{section}.{n}", v, ref) for n, v in enumerate(values, 3)]
        out.append(_cell(agency, f"{section}.TOTAL", sum(values), ref))
    return out


FULL = {
    "2.1": [5, 4, 4, 4],
    "2.2": [3, 3, 3],
    "2.3": [2, 1, 1, 1, 1, 2, 3, 2, 2, 2, 2, 2, 2, 2, 13, 3],
    "2.4": [4, 2, 4, 4, 3],
    "2.5": [2] * 8,
}


def test_missing_cell_and_missing_domain_row(rules: RuleSet) -> None:
    cells = [c for c in _domains("Huyện A", "1", FULL) if c.obs.indicator not in ("2.1.4",)]
    cells += [c for c in _domains("Huyện B", "2", FULL) if not c.obs.indicator.startswith("2.2.")]
    found = {(f.agency, f.item, f.kind) for f in verify_published(cells, rules)}
    assert ("Huyện A", "2.1.4", "missing_value") in found
    assert ("Huyện A", "2.1.TOTAL", "total_mismatch") in found  # 13 counted, 17 printed
    assert ("Huyện B", "2.2", "missing_value") in found
    assert [r.agency for r in rebuild_overall(cells, rules)] == ["Huyện A"]


def test_printed_ranks_and_overall_columns_checked(rules: RuleSet) -> None:
    """Huyện B's 2.5 makes 14 but the overall table prints 16 for it and a total of 98 (columns: 100);
    the printed ranks (2.5: A 2, B 2; overall: A 2, B 1) contradict the printed totals."""
    cells = _domains("Huyện A", "1", FULL) + _domains("Huyện B", "2", {**FULL, "2.5": [2] * 7 + [0]})
    cells += [_cell("Huyện A", "2.5.RANK", 2, "1"), _cell("Huyện B", "2.5.RANK", 2, "2")]
    for agency, ref, total, rank in (("Huyện A", "1", 100, 2), ("Huyện B", "2", 98, 1)):
        cells += [_cell(agency, f"1.{n}", sum(FULL[s]), ref) for n, s in enumerate(FULL, 3)]
        cells += [_cell(agency, "TOTAL", total, ref), _cell(agency, "RANK", rank, ref)]
    found = {(f.agency, f.item, f.kind, f.expected, f.found): f for f in verify_published(cells, rules)}
    assert set(found) == {
        ("Huyện A", "2.5.RANK", "rank_mismatch", 1, 2),
        ("Huyện B", "1.7", "total_mismatch", 14, 16),
        ("Huyện B", "TOTAL", "total_mismatch", 100, 98),
        ("Huyện A", "RANK", "rank_mismatch", 1, 2),
        ("Huyện B", "RANK", "rank_mismatch", 2, 1),
    }
    total = found[("Huyện B", "TOTAL", "total_mismatch", 100, 98)].explanation
    assert "bảng 2.5 in «Tổng điểm» 14" in total and "khác tổng các cột lĩnh vực in 100" in total
    wrong = found[("Huyện A", "RANK", "rank_mismatch", 1, 2)].explanation
    assert "không khớp với «Tổng điểm» in 100 (theo đó xếp thứ 1)" in wrong


def test_units_printed_among_the_departments_are_ranked_with_them(rules: RuleSet) -> None:
    """A province's ranking of its sở, ban, ngành often prints ngành dọc units (Công an tỉnh) and
    units whose name fits no group (a Trung tâm) in the same tables: they are ranked as printed,
    with the departments, not in a block of their own (which would make every rank look wrong)."""
    people = (("Sở Tài chính", "department", FULL),
              ("Công an tỉnh", "vertical", {**FULL, "2.5": [2] * 7 + [0]}),
              ("Trung tâm Lưu trữ lịch sử", "", {**FULL, "2.5": [2] * 6 + [0, 0]}))
    cells: list[SourcedObservation] = []
    for ref, (agency, group, parts) in enumerate(people, 1):
        cells += [_cell(agency, c.obs.indicator, c.obs.value, str(ref), group)
                  for c in _domains(agency, str(ref), parts)]
    for ref, (agency, group, parts) in enumerate(people, 1):
        totals = [sum(parts[s]) for s in FULL]
        cells += [_cell(agency, f"1.{n}", t, str(ref), group) for n, t in enumerate(totals, 3)]
        cells += [_cell(agency, "TOTAL", sum(totals), str(ref), group),
                  _cell(agency, "RANK", ref, str(ref), group)]
    assert verify_published(cells, rules) == []
    rebuilt = rebuild_overall(cells, rules)
    assert [(r.rank, r.agency, r.group) for r in rebuilt] == [
        (1, "Sở Tài chính", "department"), (2, "Công an tỉnh", "department"),
        (3, "Trung tâm Lưu trữ lịch sử", "department"),
    ]
    alone = [c for c in cells if c.agency == "Công an tỉnh"]  # printed only among its own kind
    assert {r.group for r in rebuild_overall(alone, rules)} == {"vertical"}


# --- egov verify (CLI) on the shipped sample ----------------------------------------------------
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "hoabinh-2017" / "qd-2631-2017.pdf"


def test_verify_cli_json_on_the_shipped_sample(findings: list[Finding]) -> None:
    from typer.testing import CliRunner

    from egovcli.cli import app

    result = CliRunner().invoke(app, ["verify", str(SAMPLE), "--rules", "hoabinh-2017", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["file"], report["rules"], report["cells"]) == ("qd-2631-2017.pdf", "hoabinh-2017", 1348)
    got = sorted((f["agency"], f["item"], f["kind"], f["expected"], f["found"]) for f in report["findings"])
    assert got == sorted((f.agency, f.item, f.kind, f.expected, f.found) for f in findings)
    assert all(f["source_file"] == "qd-2631-2017.pdf" and f["location"] for f in report["findings"])
    departments = [(r["rank"], r["agency"], r["total"]) for r in report["rebuilt_ranking"]
                   if r["group"] == "department"]
    assert departments == [(rank, "Sở Kế hoạch - Đầu tư" if "Kế hoạch" in name else name, total)
                           for rank, name, total in DEPARTMENTS]
    assert "15 phát hiện (over_max 1, rank_mismatch 10, total_mismatch 4)" in result.stderr
    districts = [r for r in report["rebuilt_ranking"] if r["group"] == "district"]
    assert [(r["published_rank"], r["agency"], r["published_total"]) for r in districts] == DISTRICTS
    differ = {r["agency"]: r["note"] for r in districts if r["note"] != "khớp bảng in"}
    assert set(differ) == {"UBND huyện Kỳ Sơn", "UBND huyện Đà Bắc"}
    assert all("Thứ hạng không đổi" in note for note in differ.values())
    assert {r["note"] for r in report["rebuilt_ranking"] if r["group"] == "department"} == {
        "không có bảng xếp hạng chung in sẵn"
    }


def test_verify_cli_formats_strict_and_errors(tmp_path: Path) -> None:
    import csv
    import io

    from typer.testing import CliRunner

    from egovcli.api import VERIFY_COLUMNS
    from egovcli.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["verify", str(SAMPLE), "-r", "hoabinh-2017", "-f", "csv", "--strict"])
    assert result.exit_code == 1  # findings with --strict
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == VERIFY_COLUMNS and len(rows) == 15
    over = next(r for r in rows if r["kind"] == "over_max")
    assert [over[k] for k in ("agency", "item", "expected", "found")] == ["Sở Tư pháp", "2.3.11", "2", "9"]
    table = runner.invoke(app, ["verify", str(SAMPLE), "-r", "hoabinh-2017"])
    assert table.exit_code == 0 and "Xếp hạng chung tính lại" in table.stdout
    headings = table.stdout.splitlines()[2]  # after the title and the top border: people read Vietnamese
    assert "Cơ quan" in headings and "Tính lại" in headings and "Bảng in" in headings
    assert "agency" not in headings and tuple(rows[0])[0] == "agency"  # CSV keeps the column names

    not_a_ranking = tmp_path / "bao-cao.xlsx"
    from samples.generate import seed_004_spec, write_xlsx

    write_xlsx(seed_004_spec(), not_a_ranking)
    result = runner.invoke(app, ["verify", str(not_a_ranking), "-r", "hoabinh-2017"])
    assert result.exit_code == 2 and "không tìm thấy bảng điểm xếp hạng nào" in result.stderr
    result = runner.invoke(app, ["verify", str(tmp_path / "missing.pdf"), "-r", "hoabinh-2017"])
    assert result.exit_code == 2 and "không tìm thấy tệp" in result.stderr


def test_verify_ranks_as_egov_rank_ranks(observations: list[SourcedObservation], rules: RuleSet) -> None:
    """One ranking rule (issue 12): the overall ranking `egov verify` rebuilds from seed 001 is the
    one `egov rank` gives the same totals (ties, their order, groups in the registry's order)."""
    from egovcli.rank import rank_scores
    from egovcli.score.model import AgencyScore, CriterionScore

    rebuilt = rebuild_overall(observations, rules)
    scores = [AgencyScore(r.agency, r.group, r.period, rules.name,
                          [CriterionScore(s, s, s, p, 0, "data") for s, p in r.sections.items()])
              for r in rebuilt]
    ranked = rank_scores(scores)
    assert [(r.rank, r.agency, r.group, r.total) for r in rebuilt] == [
        (r.rank, r.agency, r.group, r.total) for r in ranked
    ]
