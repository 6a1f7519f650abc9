"""Rule-set schema (docs/rules.md): errors name file and line; a rule set written from the docs
alone scores the Hà Nam 2022 samples end to end."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from egovcli.api import score_workspace
from egovcli.ingest import ingest_folder
from egovcli.rules import RuleSetError, load_rules
from egovcli.rules.formula_parser import PARSERS
from egovcli.score.engine import score_agencies
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests/fixtures/rules/demo-100.yaml"

MINI = """\
name: mini
title: Bộ mini
period: "2022"
max_total: 15
sections:
  - id: A
    title: Hạ tầng
    max: 15
criteria:
  - id: A.1
    section: A
    label: Tỷ lệ máy tính
    max: 10
    inputs: [computers_total, staff_total]
    formula: {type: ratio, numerator: computers_total, denominator: staff_total}
  - id: A.2
    section: A
    label: Máy quét
    max: 5
    inputs: [scanners]
    formula: {type: yes_no, input: scanners}
"""


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "myrules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rules(str(path))
    return str(info.value).replace(str(path), "myrules.yaml")


def test_docs_describe_every_formula_type():
    docs = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert [t for t in PARSERS if f"\n### {t} — " not in docs] == []


def test_the_mini_text_is_valid(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    assert load_rules(str(path)).max_total == 15


def test_unknown_formula_type_names_file_line_and_the_known_types(tmp_path):
    message = _error(tmp_path, MINI.replace("type: yes_no", "type: yes_on"))
    assert message.startswith(
        "myrules.yaml:16: tiêu chí A.2: không có loại công thức 'yes_on' (các loại: ratio,")
    assert "normalised_to_best" in message


def test_criteria_maxima_not_adding_up_to_the_section(tmp_path):
    message = _error(tmp_path, MINI.replace("max: 5\n", "max: 4\n"))
    assert message == "myrules.yaml:8: mục A: điểm tối đa các tiêu chí cộng lại 14, khai báo 15"


def test_section_maxima_not_adding_up_to_max_total(tmp_path):
    message = _error(tmp_path, MINI.replace("max_total: 15", "max_total: 16"))
    assert message == "myrules.yaml:4: điểm tối đa các mục cộng lại 15, max_total là 16"


def test_unknown_indicator_id(tmp_path):
    message = _error(tmp_path, MINI.replace("scanners", "scaners"))
    assert message.startswith("myrules.yaml:16: tiêu chí A.2: không có chỉ tiêu 'scaners'")


def test_duplicate_criterion_id(tmp_path):
    message = _error(tmp_path, MINI.replace("id: A.2", "id: A.1"))
    assert message == "myrules.yaml:16: tiêu chí A.1: id trùng (đã có ở dòng 10)"


def test_group_only_criteria_must_add_up_for_each_group(tmp_path):
    text = MINI.replace("    max: 5\n", "    max: 5\n    groups: [district]\n")
    message = _error(tmp_path, text)
    assert message == ("myrules.yaml:8: mục A: điểm tối đa các tiêu chí của nhóm department cộng lại 10, "
                       "khai báo 15")


def test_unknown_group_and_condition(tmp_path):
    assert "myrules.yaml:16: tiêu chí A.2: nhóm không biết: province" in _error(
        tmp_path, MINI.replace("    max: 5\n", "    max: 5\n    groups: [province]\n"))
    assert "myrules.yaml:16: tiêu chí A.2: not_applicable_when: không có điều kiện 'no_scanners'" in _error(
        tmp_path, MINI.replace("    max: 5\n", "    max: 5\n    not_applicable_when: no_scanners\n"))


def test_weights_must_cover_every_section_and_add_up(tmp_path):
    text = MINI.replace("max_total: 15", "max_total: 100\nweights: {A: 90}")
    assert _error(tmp_path, text) == "myrules.yaml:5: các trọng số cộng lại 90, max_total là 100"
    text = MINI.replace("max_total: 15", "max_total: 100\nweights: {B: 100}")
    assert _error(tmp_path, text) == "myrules.yaml:5: weights phải cho mỗi mục một số: A"


def test_a_cap_above_the_criteria_maxima(tmp_path):
    message = _error(tmp_path, MINI.replace("    max: 15\n", "    max: 15\n    cap: 20\n"))
    assert "myrules.yaml:9: mục A: cap 20 phải trong 0–15" in message.splitlines()[1]


def test_normalised_to_best_only_as_a_criterion_formula(tmp_path):
    nested = ("formula: {type: parts, parts: [{label: a, max: 5, "
              "formula: {type: normalised_to_best, value: scanners}}]}")
    message = _error(tmp_path, MINI.replace("formula: {type: yes_no, input: scanners}", nested))
    assert "myrules.yaml:16: tiêu chí A.2: phần 1: normalised_to_best chỉ dùng được" in message


# --- a rule set written from docs/rules.md, on the sample round ---------------------------------

AGENCY = "Sở {} tỉnh Hà Nam"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "ws.sqlite"
    with Workspace(path) as ws:
        ingest_folder(ROOT / "samples/hanam-2022", ws)
        yield ws


def test_demo_rule_set_loads_with_its_bonus_and_group_only_criteria():
    rules = load_rules(str(DEMO))
    assert rules.total_ids == ("A", "B", "C", "KK", "TOTAL")
    assert rules.criterion("B.2").groups == ("department",)


def test_demo_rule_set_scores_the_samples_through_the_api(workspace):
    run = score_workspace(workspace, str(DEMO))
    scores = {s.agency: s for s in run.scores}
    tc, xd = scores[AGENCY.format("Tài chính")], scores[AGENCY.format("Xây dựng")]
    points = {r.criterion: r.points for r in tc.rows}
    assert points["A.1"] == 20  # 50/50 × 20
    assert points["A.2"] == 5 and points["A.3"] == 10  # 2 scanners; a firewall
    assert points["B.2"] == 20 and "B.3" not in points  # 27/27 ≥ 80%; district-only left out
    assert points["KK"] == 4  # 3 + 2 × 0,5
    xd_points = {r.criterion: (r.points, r.basis) for r in xd.rows}
    assert xd_points["A.1"] == (16, "data")  # 48/60 × 20
    assert xd_points["B.2"] == (15.77, "data")  # 41/52 = 78,85% × 20
    assert xd_points["KK"] == (4.5, "total")
    # the API scores all agencies together, so normalised_to_best compares with the best one
    assert xd_points["B.1"] == (15.77, "data") and tc.max_total == 100
    assert tc.total == 95


def test_levels_are_declared_in_the_rule_set_and_given_by_rank(workspace):
    from egovcli.api import rank_workspace

    assert [(lv.name, lv.min) for lv in load_rules(str(DEMO)).levels] == [
        ("Tốt", 90), ("Khá", 75), ("Trung bình", 50), ("Yếu", 0)
    ]
    score_workspace(workspace, str(DEMO))
    ranking = rank_workspace(workspace).ranking
    levels = {r.agency: (r.total, r.level) for r in ranking}
    assert levels[AGENCY.format("Tài chính")] == (95, "Tốt")
    for total, level in levels.values():  # every agency gets the level its total reaches
        assert level == ("Tốt" if total >= 90 else "Khá" if total >= 75 else "Trung bình" if total >= 50
                         else "Yếu")
    assert len({level for _, level in levels.values()}) >= 2


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("[{name: Tốt, min: 12}, {name: tốt, min: 6}]", "levels: mỗi mức cần một tên riêng, không rỗng"),
        ("[{name: Tốt, min: 12}, {name: Khá, min: 12}]", "levels: hai mức có cùng min"),
        ("[{name: Tốt, min: 120}]", "levels: mức Tốt có min 120 nằm ngoài 0–15"),
        ("[{name: Tốt}]", "mức xếp loại thứ 1: thiếu khóa 'min'"),
    ],
)
def test_level_mistakes(tmp_path, levels, message):
    text = MINI.replace("max_total: 15\n", f"max_total: 15\nlevels: {levels}\n")
    assert _error(tmp_path, text) == f"myrules.yaml:5: {message}"


def test_demo_rule_set_normalises_to_the_best_agency(workspace):
    rules = load_rules(str(DEMO))
    by_agency = defaultdict(list)
    for so in workspace.observations():
        by_agency[(so.agency, so.group, so.period)].append(so)
    scores = {s.agency: s for s in score_agencies(rules, [(*k, v) for k, v in sorted(by_agency.items())])}
    xd = {r.criterion: r for r in scores[AGENCY.format("Xây dựng")].rows}
    assert xd["B.1"].points == 15.77 and xd["B.1"].basis == "data"  # 78,85% / 100% (Sở Tài chính) × 20
    assert "tốt nhất 100% (Sở Tài chính tỉnh Hà Nam)" in xd["B.1"].explanation
    assert xd["C.1"].points == 12  # 3 servers / 5 (Sở Y tế) × 20
    yte = scores[AGENCY.format("Y tế")]
    assert {r.criterion: r.points for r in yte.rows}["C.1"] == 20
    nn = {r.criterion: r for r in scores[AGENCY.format("Nông nghiệp và Phát triển nông thôn")].rows}
    assert nn["KK"].points == 5 and "giới hạn 5" in nn["KK"].explanation  # 3 + 6 × 0,5 = 6 → 5
    tc = scores[AGENCY.format("Tài chính")]
    assert tc.total == 35 + 40 + 16 + 4 and tc.max_total == 100
