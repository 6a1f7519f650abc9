"""Agency groups are one registry (issue 12, item 2): `egovcli.groups` is the only module that names a
group, and a group added there reaches inference, agencies.csv, rule sets, ranking, identity and
the summaries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import egovcli
from egovcli import groups
from egovcli.agencies import infer_group, load_registry
from egovcli.ingest.layout import TextLine, interpret
from egovcli.rank import rank_scores
from egovcli.render.summary import render_markdown, summary_context
from egovcli.rules import load_rules_text
from egovcli.rules.loader import RuleSetError
from egovcli.score.model import AgencyScore, CriterionScore

PACKAGE = Path(egovcli.__file__).parent
DEMO = Path(__file__).parent / "fixtures/rules/demo-100.yaml"


def test_the_built_in_groups() -> None:
    assert groups.ids() == ("department", "district", "commune", "vertical")
    assert [groups.label(g) for g in groups.ids()] == [
        "Sở, ban, ngành", "UBND cấp huyện", "UBND xã, phường, đặc khu", "Cơ quan ngành dọc",
    ]
    assert groups.label("other") == "other"
    assert groups.label(groups.UNGROUPED) == "Chưa xếp nhóm"
    ordered = sorted(["other", "", "district", "department"], key=groups.order)
    assert ordered == ["department", "district", "", "other"]
    assert [groups.named(w) for w in ("department", "Sở, ban, ngành", "so", "District", "UBND cấp huyện",
                                      "huyện", "tỉnh", "xã", "UBND cấp xã", "ngành dọc")] == [
        *["department"] * 3, *["district"] * 3, None, "commune", "commune", "vertical",
    ]
    assert groups.choices() == "department, district, commune hoặc vertical"


def test_no_module_but_the_registry_names_a_group() -> None:
    """No `if group == "district"`, no second label table: every string constant of the package
    that is a group's id or label stands in egovcli/groups.py (docstrings aside)."""
    names = {*groups.ids(), *(g.label for g in groups.GROUPS)}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "groups.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert found == []


def _score(agency: str, group: str, points: float) -> AgencyScore:
    rows = [CriterionScore("I.1", "I", "Tiêu chí", points, 10, "data")]
    return AgencyScore(agency, group, "2022", "demo", rows)


def test_a_group_added_to_the_registry_reaches_every_stage(tmp_path: Path) -> None:
    assert [infer_group(n) for n in ("UBND xã Tiên Tân", "Phường Lê Hồng Phong", "UBND huyện Kim Bảng",
                                     "Sở Tài chính")] == ["commune", "commune", "district", "department"]
    csv = tmp_path / "agencies.csv"
    csv.write_text("id,name,group\ntt,UBND xã Tiên Tân,xã\nkb,UBND huyện Kim Bảng,district\n",
                   encoding="utf-8")
    assert [load_registry(csv).resolve(n).group for n in ("UBND xã Tiên Tân", "UBND huyện Kim Bảng")] == [
        "commune", "district",
    ]
    lines = [TextLine("Tên xã, phường, thị trấn: Xã Tiên Tân", "đoạn 1")]
    assert interpret(lines, []).agency == "UBND xã Tiên Tân"

    text = DEMO.read_text(encoding="utf-8").replace("groups: [district]", "groups: [district, commune]")
    rules = load_rules_text(text, "demo.yaml")
    assert {g for c in rules.criteria for g in c.groups} == {"department", "district", "commune"}

    scores = [_score("UBND xã Tiên Tân", "commune", 9), _score("UBND huyện Kim Bảng", "district", 5),
              _score("Sở Tài chính", "department", 7)]
    ranking = rank_scores(scores)
    assert [(r.group, r.rank) for r in ranking] == [("department", 1), ("district", 1), ("commune", 1)]
    text = render_markdown(summary_context(ranking, scores, [("I", "Hạ tầng", 10)], "Demo", "2022"))
    assert "UBND xã, phường, đặc khu" in text
    assert "Mỗi nhóm (Sở, ban, ngành; UBND cấp huyện; UBND xã, phường, đặc khu) được" in text


def test_a_rule_set_naming_an_unknown_group_is_refused() -> None:
    text = DEMO.read_text(encoding="utf-8").replace("groups: [district]", "groups: [district, hamlet]")
    with pytest.raises(RuleSetError, match="nhóm không biết: hamlet"):
        load_rules_text(text, "demo.yaml")


# -- issue 13, item 1: the 2026 groups recognised by name ------------------------------------------

COMMUNES = ["UBND xã Tiên Tân", "UBND X. Tiên Tân", "UBND P. Lê Hồng Phong", "UBND phường Lê Hồng Phong",
            "Ủy ban nhân dân phường Hai Bà Trưng", "UỶ BAN NHÂN DÂN XÃ KIM BẢNG", "Đặc khu Phú Quốc",
            "UBND đặc khu Côn Đảo", "UBND DAC KHU CON DAO", "xa tien tan", "Xã Tiên Tân", "Phường Phủ Lý",
            "ubnd phuong hai ba trung", "P. Hạc Thành", "ĐK Phú Quốc", "UBND ĐK Vân Đồn"]
VERTICAL = ["Công an tỉnh Hà Nam", "Kho bạc Nhà nước Hà Nam", "Kho bạc Nhà nước khu vực XII",
            "Cục Thuế tỉnh Hà Nam", "Chi cục Thuế khu vực Phủ Lý", "Thuế tỉnh Ninh Bình",
            "Bảo hiểm xã hội tỉnh Hà Nam", "BẢO HIỂM XÃ HỘI TỈNH HÀ NAM", "Cục Thống kê tỉnh Hà Nam",
            "Ngân hàng Nhà nước chi nhánh tỉnh Hà Nam",
            "Cục Hải quan Đà Nẵng", "Bộ Chỉ huy Quân sự tỉnh Hà Nam", "Viện kiểm sát nhân dân tỉnh Hà Nam",
            "Tòa án nhân dân tỉnh Hà Nam", "Toà án nhân dân tỉnh Hà Nam", "BHXH tỉnh Hà Nam"]
DEPARTMENTS = ["Sở Tài chính", "Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh",
               "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Ban Quản lý các khu công nghiệp", "Thanh tra tỉnh",
               "Đài Phát thanh và Truyền hình Hà Nam",
               "Sở Lao động - Thương binh và Xã hội", "VP UBND tỉnh", "BQL Khu kinh tế tỉnh"]
DISTRICTS = ["UBND huyện Kim Bảng", "UBND H. Kim Bảng", "Thị xã Duy Tiên", "UBND TX. Duy Tiên",
             "Thành phố Phủ Lý", "UBND TP. Phủ Lý", "Quận Hai Bà Trưng", "Huyện Ba Vì"]
PROVINCES = ["Thành phố Hà Nội", "TP. Hồ Chí Minh", "TP. Đà Nẵng", "Thành phố Hải Phòng", "Thành phố Cần Thơ",
             "Thành phố Huế", "TP Huế", "UBND thành phố Hà Nội", "UBND tỉnh Hà Nam", "Tỉnh Ninh Bình",
             "Ủy ban nhân dân Thành phố Hồ Chí Minh"]


@pytest.mark.parametrize(("names", "group"), [
    (COMMUNES, "commune"), (VERTICAL, "vertical"), (DEPARTMENTS, "department"), (DISTRICTS, "district"),
])
def test_real_shaped_names_fall_in_their_group(names: list[str], group: str) -> None:
    assert {n: infer_group(n) for n in names} == dict.fromkeys(names, group)


def test_a_province_level_name_is_never_a_district_nor_any_group() -> None:
    """A province or a centrally-run city is the evaluator, not a unit ranked in a group."""
    assert {n: infer_group(n) for n in PROVINCES} == dict.fromkeys(PROVINCES, groups.UNGROUPED)


def test_a_name_fitting_no_group_is_not_put_in_the_first_group() -> None:
    assert infer_group("Trung tâm Phục vụ hành chính công") == groups.UNGROUPED
    assert infer_group("Hội Nông dân tỉnh") == groups.UNGROUPED


def test_commune_spellings_are_one_agency() -> None:
    from egovcli.agencies import agency_key

    assert agency_key("UBND P. Lê Hồng Phong") == agency_key("Ủy ban nhân dân phường Lê Hồng Phong")
    assert agency_key("UBND X. Tiên Tân") == agency_key("UBND xã Tiên Tân")


def test_an_ungrouped_agency_is_ranked_in_its_own_block() -> None:
    scores = [_score("Trung tâm Phục vụ hành chính công", groups.UNGROUPED, 9),
              _score("Sở Tài chính", "department", 7), _score("Sở Y tế", "department", 8)]
    ranking = rank_scores(scores)
    assert [(r.agency, r.group, r.rank) for r in ranking] == [
        ("Sở Y tế", "department", 1), ("Sở Tài chính", "department", 2),
        ("Trung tâm Phục vụ hành chính công", "", 1),
    ]
    text = render_markdown(summary_context(ranking, scores, [("I", "Hạ tầng", 10)], "Demo", "2022"))
    assert "## Chưa xếp nhóm" in text and "Mỗi nhóm (Sở, ban, ngành; Chưa xếp nhóm) được" in text


def test_the_historic_demo_rule_set_checks_its_two_groups_only() -> None:
    """A rule set naming only the district group is checked for departments and districts, as before the
    commune and ngành dọc groups existed."""
    load_rules_text(DEMO.read_text(encoding="utf-8"), "demo.yaml")
    text = DEMO.read_text(encoding="utf-8").replace("    max: 40\n", "    max: 41\n", 1)
    with pytest.raises(RuleSetError) as caught:
        load_rules_text(text, "demo.yaml")
    said = str(caught.value)
    assert "nhóm department" in said and "nhóm district" in said
    assert "commune" not in said and "vertical" not in said


def test_a_2026_rule_set_naming_departments_and_communes_is_not_checked_for_districts() -> None:
    text = DEMO.read_text(encoding="utf-8").replace("groups: [district]", "groups: [commune]")
    rules = load_rules_text(text, "demo.yaml")
    assert {g for c in rules.criteria for g in c.groups} == {"department", "commune"}


def _report_of(path: Path, agency: str) -> None:
    """Seed 000 (Hà Tĩnh) as a workbook whose "Tên đơn vị" row names `agency`."""
    from openpyxl import load_workbook

    from tests.shapes import ha_tinh_xlsx

    ha_tinh_xlsx(path)
    workbook = load_workbook(path)
    sheet = workbook.active
    (cell,) = [row[2] for row in sheet.iter_rows() if row[1].value == "Tên đơn vị"]
    cell.value = agency
    workbook.save(path)


def test_an_agency_fitting_no_group_is_reported_at_ingest_and_a_registry_can_place_it(tmp_path: Path) -> None:
    from egovcli.ingest import ingest_folder
    from egovcli.workspace import Workspace

    reports = tmp_path / "reports"
    reports.mkdir()
    _report_of(reports / "a.xlsx", "Trung tâm Phục vụ hành chính công")
    _report_of(reports / "b.xlsx", "UBND P. Lê Hồng Phong")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        files = {f.agency: f for f in ingest_folder(reports, ws, jobs=1).files}
        groups_of = {so.agency: so.group for so in ws.observations("data")}
    assert groups_of == {"Trung tâm Phục vụ hành chính công": "", "UBND P. Lê Hồng Phong": "commune"}
    centre = files["Trung tâm Phục vụ hành chính công"]
    (warning,) = [p for p in centre.problems if p.code == "W-UNKNOWN-GROUP"]
    assert "'Trung tâm Phục vụ hành chính công'" in warning.message and "agencies.csv" in warning.message
    assert "commune = UBND xã, phường, đặc khu" in warning.message  # what to write in the group column
    assert warning.severity == "warning" and centre.status == "new"
    assert not [p for p in files["UBND P. Lê Hồng Phong"].problems if p.code == "W-UNKNOWN-GROUP"]

    csv = tmp_path / "agencies.csv"
    csv.write_text("id,name,group\npvhcc,Trung tâm Phục vụ hành chính công,department\n", encoding="utf-8")
    with Workspace(tmp_path / "ws2.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1, agencies=csv)
        groups_of = {so.agency: so.group for so in ws.observations("data")}
    assert groups_of["Trung tâm Phục vụ hành chính công"] == "department"
    assert not [p for f in report.files for p in f.problems if p.code == "W-UNKNOWN-GROUP"]
