"""A rule set declares the groups it ranks (issue 13, item 1): built-in groups by id (with their own
title), groups of its own recognised by name, agencies.csv overriding both; an agency in none of them is
said and ranked apart; every output has one block per declared group, titled as the rule set titles it."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from egovcli import api, groups
from egovcli.agencies import agency_key
from egovcli.rules import load_rules_text
from egovcli.rules.loader import RuleSetError
from tests.test_groups import _report_of

RULES = """\
name: nhom-2026
title: Bộ chỉ số thử (sở, ngành; xã, phường, đặc khu; khối đoàn thể)
period: "2025"
max_total: 20
groups:
  - {id: department}
  - {id: commune, title: "UBND cấp xã"}
  - id: doan_the
    title: "Khối Đảng, đoàn thể"
    names: ["Tỉnh đoàn", "Hội Nông dân", "Ban Tuyên giáo"]
sections:
  - {id: I, title: Hạ tầng và kết nối, max: 20}
criteria:
  - {id: I.1, section: I, label: Tỷ lệ máy tính trên CBCCVC, max: 10, inputs: [computers_total, staff_total],
     formula: {type: ratio, numerator: computers_total, denominator: staff_total}}
  - {id: I.2, section: I, label: Kết nối với các sở, max: 10, groups: [department, doan_the], inputs: [],
     formula: {type: manual}}
  - {id: I.3, section: I, label: "Kết nối với thôn, tổ dân phố", max: 10, groups: [commune], inputs: [],
     formula: {type: manual}}
"""

NAMES = {  # the name each report gives itself → the group the rule set ranks it in
    "Sở Tài chính tỉnh Hà Tĩnh": "department",
    "UBND xã Tân Thanh": "commune",
    "UBND P. Lê Hồng Phong": "commune",
    "Đặc khu Phú Quốc": "commune",
    "Tỉnh đoàn Hà Tĩnh": "doan_the",
    "Ban Tuyên giáo Tỉnh ủy": "doan_the",  # "Ban …" is a sở, ban, ngành for egov: the rule set's names win
    "Công an tỉnh Hà Tĩnh": groups.UNGROUPED,  # ngành dọc: this rule set does not rank them
    "UBND huyện Kim Bảng": groups.UNGROUPED,  # a district (before July 2025): not ranked by a 2025 set
}


def _round(tmp_path: Path, names: dict[str, str], agencies: str = "") -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    for index, name in enumerate(names):
        _report_of(reports / f"bao-cao-{index}.xlsx", name)
    if agencies:
        (reports / "agencies.csv").write_text(agencies, encoding="utf-8")
    ws_path = tmp_path / "ws.sqlite"
    with api.open_workspace(ws_path, create=True) as ws:
        api.ingest(ws, reports, jobs=1)
    return ws_path


def test_declared_groups_rank_each_agency_in_its_block_titled_by_the_rule_set(tmp_path: Path) -> None:
    rules = load_rules_text(RULES, "nhom.yaml")
    assert [(g.id, g.label) for g in rules.groups] == [
        ("department", "Sở, ban, ngành"), ("commune", "UBND cấp xã"), ("doan_the", "Khối Đảng, đoàn thể"),
    ]
    ws_path = _round(tmp_path, NAMES)
    with api.open_workspace(ws_path) as ws:
        run = api.score_workspace(ws, rules)
        result = api.rank_workspace(ws)
    assert {s.agency: s.group for s in run.scores} == NAMES
    maxima = {s.agency: s.max_total for s in run.scores}
    assert maxima["UBND xã Tân Thanh"] == maxima["Tỉnh đoàn Hà Tĩnh"] == 20  # I.1 + its group's row
    rows = {s.agency: {r.criterion for r in s.criteria} for s in run.scores}
    assert rows["Công an tỉnh Hà Tĩnh"] == {"I.1"}  # ranked apart: only the rows no group is named for
    assert maxima["Công an tỉnh Hà Tĩnh"] == 10  # … and out of their maximum, not one it cannot reach
    police = next(s for s in run.scores if s.agency == "Công an tỉnh Hà Tĩnh")
    section = next(r for r in police.rows if r.criterion == "I")
    assert section.max_points == 10
    assert "chỉ các tiêu chí áp dụng cho cơ quan (mục khai báo 20)" in section.explanation
    assert rows["Tỉnh đoàn Hà Tĩnh"] == {"I.1", "I.2"} and rows["Đặc khu Phú Quốc"] == {"I.1", "I.3"}
    apart = {p.where.agency: p for p in run.problems}
    assert set(apart) == {"Công an tỉnh Hà Tĩnh", "UBND huyện Kim Bảng"}
    message = apart["UBND huyện Kim Bảng"].message
    assert "(nhóm: UBND cấp huyện)" in message and "doan_the = Khối Đảng, đoàn thể" in message
    assert all(p.code == "W-GROUP-NOT-RANKED" and p.where.file for p in run.problems)

    blocks = list(dict.fromkeys((r.group, r.group_label) for r in result.ranking))
    assert blocks == [("department", "Sở, ban, ngành"), ("commune", "UBND cấp xã"),
                      ("doan_the", "Khối Đảng, đoàn thể"), ("", "Chưa xếp nhóm")]
    assert sorted(r.rank for r in result.ranking if r.group == "commune") == [1, 1, 1]

    out = tmp_path / "out"
    out.mkdir()
    api.write_rank_outputs(result, xlsx=out / "r.xlsx", md=out / "r.md", html=out / "r.html")
    md = (out / "r.md").read_text(encoding="utf-8")
    assert [line for line in md.splitlines() if line.startswith("## ")][:4] == [
        "## Sở, ban, ngành", "## UBND cấp xã", "## Khối Đảng, đoàn thể", "## Chưa xếp nhóm",
    ]
    assert "UBND cấp xã" in (out / "r.html").read_text(encoding="utf-8")
    wb = load_workbook(out / "r.xlsx")
    assert wb.sheetnames[:4] == ["Sở, ban, ngành", "UBND cấp xã", "Khối Đảng, đoàn thể", "Chưa xếp nhóm"]
    def names(sheet: str) -> set[str]:
        return {row[1] for row in wb[sheet].iter_rows(min_row=4, values_only=True)}

    assert "Đặc khu Phú Quốc" in names("UBND cấp xã") and "Tỉnh đoàn Hà Tĩnh" in names("Khối Đảng, đoàn thể")
    detail = {(row[0], row[1]) for row in wb["Chi tiết tiêu chí"].iter_rows(min_row=4, values_only=True)}
    assert ("Tỉnh đoàn Hà Tĩnh", "Khối Đảng, đoàn thể") in detail


def test_agencies_csv_decides_the_group_even_against_the_rule_sets_names(tmp_path: Path) -> None:
    names = {"Ban Tuyên giáo Tỉnh ủy": "department", "Hội Cựu chiến binh tỉnh": "doan_the",
             "Trung tâm Phục vụ hành chính công": groups.UNGROUPED}
    registry = ("id,name,group\n"
                "btg,Ban Tuyên giáo Tỉnh ủy,department\n"  # against the rule set's "Ban Tuyên giáo"
                "ccb,Hội Cựu chiến binh tỉnh,doan_the\n"  # a group of the rule set's own
                "pvhcc,Trung tâm Phục vụ hành chính công,khoi_khac\n")  # a group this rule set lacks
    ws_path = _round(tmp_path, names, registry)
    with api.open_workspace(ws_path) as ws:
        run = api.score_workspace(ws, load_rules_text(RULES, "nhom.yaml"))
        assert {s.agency: s.group for s in run.scores} == names
        (said,) = run.problems
        assert said.where.agency == "Trung tâm Phục vụ hành chính công"
        assert "(nhóm: khoi_khac)" in said.message
        # the historic rule sets rank the built-in groups only: a group of a rule set's own is apart there
        historic = api.score_workspace(ws, "hanam-2022")
    assert {s.agency: s.group for s in historic.scores}["Hội Cựu chiến binh tỉnh"] == groups.UNGROUPED
    assert {p.where.agency for p in historic.problems} == {"Hội Cựu chiến binh tỉnh",
                                                           "Trung tâm Phục vụ hành chính công"}


def test_without_declared_groups_nothing_changes(tmp_path: Path) -> None:
    """The historic rule sets declare no groups: each agency keeps the group ingest gave it, and no
    agency ingest already placed is said to be apart."""
    ws_path = _round(tmp_path, {"Sở Tài chính": 0, "UBND huyện Kim Bảng": 0, "Trung tâm X": 0})
    with api.open_workspace(ws_path) as ws:
        run = api.score_workspace(ws, "hanam-2022")
    assert {s.agency: s.group for s in run.scores} == {
        "Sở Tài chính": "department", "UBND huyện Kim Bảng": "district", "Trung tâm X": groups.UNGROUPED,
    }
    assert run.problems == []


def test_every_mistake_in_groups_is_said_at_once() -> None:
    text = RULES.replace('  - {id: department}\n', '''  - {id: department}
  - {id: Khoi-X, title: "X"}
  - {id: khoi_y}
  - {id: commune}
  - {id: khoi_z, title: "Z", name: ["a"]}
''').replace("groups: [commune]", "groups: [commune, vertical]")
    with pytest.raises(RuleSetError) as caught:
        load_rules_text(text, "nhom.yaml")
    said = [p.message for p in caught.value.problems]
    assert len(said) == 5, said
    assert any("nhóm thứ 2: id 'Khoi-X' phải là chữ thường" in m for m in said)
    assert any("nhóm thứ 3: nhóm 'khoi_y' không có sẵn trong egov: cần title" in m for m in said)
    assert any("nhóm thứ 6: nhóm 'commune' khai báo hai lần" in m for m in said)
    assert any("nhóm thứ 5: khóa lạ name" in m for m in said)
    assert any("tiêu chí I.3: nhóm không biết: vertical (các nhóm: department, commune, doan_the" in m
               for m in said)
    assert all(p.where.line for p in caught.value.problems)


def test_maxima_must_add_up_for_every_declared_group() -> None:
    """A declared group no criterion names is ranked on the common rows: they must add up for it too."""
    text = RULES.replace('names: ["Tỉnh đoàn", "Hội Nông dân", "Ban Tuyên giáo"]',
                         'names: ["Tỉnh đoàn"]\n  - {id: vertical}')
    with pytest.raises(RuleSetError) as caught:
        load_rules_text(text, "nhom.yaml")
    (said,) = [p.message for p in caught.value.problems]
    assert "mục I: điểm tối đa các tiêu chí của nhóm vertical cộng lại 10, khai báo 20" in said


def test_a_groups_names_are_compared_as_agency_names() -> None:
    """Names match as agency names do: accents, case, "Ủy ban nhân dân"/"UBND" and punctuation aside."""
    doan = groups.declare("doan_the", "Khối đoàn thể", (agency_key("Hội Nông dân"),))
    for name in ("HỘI NÔNG DÂN TỈNH HÀ TĨNH", "Hoi nong dan tinh", "Hội Nông dân tỉnh Hà Tĩnh"):
        assert groups.infer(agency_key(name), (doan,)) == "doan_the"
    assert groups.infer(agency_key("Hội Nông dân"), ()) == groups.UNGROUPED  # not without the rule set
    assert groups.infer(agency_key("TP. Đà Nẵng"), (doan, groups.GROUPS[1])) == groups.UNGROUPED
