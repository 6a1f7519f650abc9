"""Issue 11, items 6 and 7: scoring never falls back to the self-score silently. When a criterion's
data was reported but cannot be used, the row carries a flag naming why (blank_value, text_value,
zero_denominator, not_a_ratio, negative_value, unknown_category, inconsistent_figures) and its
explanation says what was found, with the file and cell; a blank or a text is never scored as 0.

Engine cases use seed 000 (Hà Tĩnh raw-data form, tests/test_score_raw_data.py) with one line left
blank or filled with text, as agencies send it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_score_raw_data import AGENCY, FILE, GROUP, PERIOD, _where, seed_000_observations

from egovcli.indicators import Matcher
from egovcli.model import Observation, SourcedObservation
from egovcli.rules import RuleSet, load_rules
from egovcli.score.derived import derive_inputs
from egovcli.score.engine import collect_inputs, score_agency
from egovcli.score.formulas import Gap, Input, evaluate
from egovcli.score.model import CriterionScore
from egovcli.values import parse_value

DVC_LEVEL3 = "Số lượng DVC TT mức độ 3"  # seed 000 E.22, 23: feeds III.2.2 (23 / (38 − 0))
STAFF = "Số cán bộ công chức:"  # A.9, 36: feeds I.1 (computers / staff)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules("hanam-2022")


def _seed(**changed: str) -> list[SourcedObservation]:
    """Seed 000's observations with the raw value of the lines labelled as the keys replaced."""
    observations = seed_000_observations(Matcher())
    for so in observations:
        if so.obs.label in changed:
            parsed = parse_value(changed[so.obs.label])
            so.obs.raw_value, so.obs.value, so.obs.denominator = changed[so.obs.label], parsed.value, None
    return observations


def _self_score(criterion: str, points: float) -> SourcedObservation:
    obs = Observation("Tự đánh giá", str(points), points, "self_score", indicator=criterion,
                      location="Phụ lục!E9")
    return SourcedObservation(AGENCY, GROUP, PERIOD, "phu-luc.xlsx", obs)


def _row(rules: RuleSet, observations: list[SourcedObservation], criterion: str) -> CriterionScore:
    result = score_agency(rules, AGENCY, GROUP, PERIOD, observations)
    return next(r for r in result.rows if r.criterion == criterion)


def test_a_blank_input_is_missing_never_zero_and_says_where(rules: RuleSet) -> None:
    row = _row(rules, _seed(**{DVC_LEVEL3: ""}), "III.2.2")
    assert (row.basis, row.points, row.flags) == ("missing", 0, ["missing_self_score", "blank_value"])
    assert f"«{DVC_LEVEL3}» là ô trống ({FILE}, {_where('E.22')})" in row.explanation
    assert (row.source_file, row.location) == (FILE, _where("E.22"))  # no self-score: the cell read


def test_a_blank_input_falls_back_to_the_self_score_with_a_flag(rules: RuleSet) -> None:
    row = _row(rules, [*_seed(**{DVC_LEVEL3: ""}), _self_score("III.2.2", 4)], "III.2.2")
    assert (row.basis, row.points, row.self_points, row.flags) == ("self", 4, 4, ["blank_value"])
    assert row.explanation.startswith("Theo điểm tự đánh giá 4 (không tính được từ số liệu: ")
    assert "ô trống" in row.explanation and _where("E.22") in row.explanation
    assert (row.source_file, row.location) == ("phu-luc.xlsx", "Phụ lục!E9")  # the self-score decided


def test_text_is_never_scored_as_zero(rules: RuleSet) -> None:
    row = _row(rules, [*_seed(**{DVC_LEVEL3: "Đang xây dựng"}), _self_score("III.2.2", 5)], "III.2.2")
    assert (row.basis, row.points, row.flags) == ("self", 5, ["text_value"])
    found = f"«{DVC_LEVEL3}» ghi 'Đang xây dựng', không phải số liệu ({FILE}, {_where('E.22')})"
    assert found in row.explanation


def test_a_blank_part_of_a_derived_total_is_named(rules: RuleSet) -> None:
    """I.1 divides computers by staff_total = A.9 + A.11: A.9 left blank blocks it, and says so."""
    row = _row(rules, _seed(**{STAFF: ""}), "I.1")
    assert "blank_value" in row.flags and row.basis == "missing"
    assert f"«{STAFF}» là ô trống" in row.explanation and _where("A.9") in row.explanation
    assert "cần để tính «" in row.explanation


def test_a_figure_in_another_file_beats_a_blank(rules: RuleSet) -> None:
    blank = _seed(**{DVC_LEVEL3: ""})
    annex = Observation(DVC_LEVEL3, "23", 23.0, indicator="dvc_level3_count", location="Sheet!C9")
    inputs = collect_inputs([*blank, SourcedObservation(AGENCY, GROUP, PERIOD, "annex.xlsx", annex)])
    assert (inputs["dvc_level3_count"].value, inputs["dvc_level3_count"].source_file) == (23, "annex.xlsx")


def test_zero_denominator_is_flagged_with_its_cells(rules: RuleSet) -> None:
    criterion = rules.criterion("I.1")
    inputs = {"computers_total": Input("computers_total", 40, text="40"),
              "staff_total": Input("staff_total", 0, text="0", label="Tổng số CBCCVC", source_file="a.xlsx",
                                   location="Sheet!C4")}
    gap = evaluate(criterion.formula, criterion.max, inputs)
    assert isinstance(gap, Gap) and (gap.flag, gap.indicator) == ("zero_denominator", "staff_total")
    observations = [SourcedObservation(AGENCY, GROUP, PERIOD, "a.xlsx", Observation(
        label, raw, value, indicator=ind, location=where))
        for label, raw, value, ind, where in [("Tổng số máy tính", "40", 40.0, "computers_total", "Sheet!C3"),
                                              ("Tổng số CBCCVC", "0", 0.0, "staff_total", "Sheet!C4")]]
    row = _row(rules, [*observations, _self_score("I.1", 10)], "I.1")
    assert (row.basis, row.points, row.flags) == ("self", 10, ["zero_denominator"])
    assert "mẫu số bằng 0: Tổng số CBCCVC = 0 (a.xlsx, Sheet!C4)" in row.explanation
    assert "chưa có số liệu" not in row.explanation


def test_an_answer_outside_the_categories_is_flagged(rules: RuleSet) -> None:
    criteria = tuple(replace(c, formula=replace(c.formula, input="portal_org_info"))
                     if c.id == "III.1.1.1" else c for c in rules.criteria)
    answered = replace(rules, criteria=criteria)
    obs = Observation("Cập nhật thông tin cơ cấu tổ chức", "Đang cập nhật", None, indicator="portal_org_info",
                      location="bảng 2, dòng 4, cột 3")
    answer = SourcedObservation(AGENCY, GROUP, PERIOD, "b.docx", obs)
    row = _row(answered, [answer, _self_score("III.1.1.1", 5)], "III.1.1.1")
    assert (row.basis, row.points, row.flags) == ("self", 5, ["unknown_category"])
    found = "ghi 'Đang cập nhật', không khớp phương án nào của tiêu chí (b.docx, bảng 2, dòng 4, cột 3)"
    assert found in row.explanation
    assert "«Cập nhật đầy đủ»; «Cập nhật không đầy đủ»; «Không cập nhật»" in row.explanation


@pytest.mark.parametrize(("criterion", "item", "flag"), [
    ("V.3", Input("staff_it_standard_share", 85, text="85"), "not_a_ratio"),  # neither 85% nor a/b
    ("V.3", Input("staff_it_standard_share", 3, denominator=0, text="3/0"), "zero_denominator"),
    ("II.4.4", Input("specialised_software", -2, text="-2"), "negative_value"),
    ("II.4.4", Input("specialised_software", None, text="Đang xây dựng"), "text_value"),
    ("II.4.4", Input("specialised_software", None, text=""), "blank_value"),
    ("II.4.1", Input("hr_software", None, text="Chưa có"), "text_value"),  # "not yet": no explicit 0
])
def test_each_unusable_input_names_its_flag(rules: RuleSet, criterion: str, item: Input, flag: str) -> None:
    c = rules.criterion(criterion)
    gap = evaluate(c.formula, c.max, {item.indicator: item})
    assert isinstance(gap, Gap) and (gap.flag, gap.item) == (flag, item)


def test_contradicting_figures_are_flagged_not_dropped(rules: RuleSet) -> None:
    """More level-4 services (27) than procedures (20): procedures − level 4 is below 0."""
    reported = {ind: Input(ind, value, text=str(value), location=where) for ind, value, where in [
        ("procedures_total", 20, "C3"), ("dvc_level4_count", 27, "C4"), ("dvc_level3_count", 5, "C5")]}
    inputs = derive_inputs(reported)
    c = rules.criterion("III.2.2")
    gap = evaluate(c.formula, c.max, inputs)
    assert isinstance(gap, Gap) and gap.flag == "inconsistent_figures"
    assert gap.item is not None and gap.item.text == "20 − 27 = -7"


def test_level_4_everywhere_leaves_iii_2_2_a_zero_denominator(rules: RuleSet) -> None:
    """Seed 004: "27/27 (100%)" level-4 services of 27 procedures; III.2.2 divides by 27 − 27."""
    share = Input("dvc_level4", 27, denominator=27, text="27/27 (100%)", label="Số lượng DVC … đạt mức 4",
                  source_file="bao-cao.docx", location="đoạn 13")
    inputs = derive_inputs({"dvc_level4": share})
    assert (inputs["procedures_total"].value, inputs["dvc_level4_count"].value) == (27, 27)
    c = rules.criterion("III.2.2")
    gap = evaluate(c.formula, c.max, inputs)
    assert isinstance(gap, Gap) and (gap.flag, gap.indicator) == ("zero_denominator", "procedures_not_level4")


def test_every_gap_flag_has_a_vietnamese_label_in_the_summaries() -> None:
    from egovcli.render.problems import code_label as flag_label
    from egovcli.score import model

    flags = [model.BLANK_VALUE, model.TEXT_VALUE, model.ZERO_DENOMINATOR, model.NOT_A_RATIO,
             model.NEGATIVE_VALUE, model.UNKNOWN_CATEGORY, model.INCONSISTENT_FIGURES]
    assert all(flag_label(flag) != flag for flag in flags)
    assert flag_label("zero_denominator") == "zero_denominator – Mẫu số bằng 0, không tính được tỷ lệ"


# --- issue 13, item 5: no silent fallback, every basis said -------------------------------------

def test_normalised_to_best_scored_alone_is_flagged_and_says_what_counts_instead() -> None:
    """"Điểm = số máy chủ của đơn vị / số máy chủ của đơn vị nhiều nhất × 20" (ICT-index style): scored
    alone (no other agency to compare with) the row is flagged needs_other_agencies and the
    explanation says the self-score counts instead; scored with the round, it is computed."""
    from egovcli.rules import load_rules_text
    from egovcli.score.engine import score_agencies

    best = load_rules_text("""\
name: ict
title: Chỉ số ICT thử
period: "2022"
max_total: 20
sections: [{id: I, title: Hạ tầng, max: 20}]
criteria:
  - {id: I.1, section: I, label: Số máy chủ, max: 20, inputs: [servers],
     formula: {type: normalised_to_best, value: servers, unit: máy chủ}}
""", "ict.yaml")
    data = Observation("Máy chủ", "3", 3.0, indicator="servers", location="Sheet!C7")
    own = Observation("Tự đánh giá", "12", 12.0, "self_score", indicator="I.1", location="Phụ lục!E9")
    observations = [SourcedObservation("Sở Y tế", GROUP, "2022", "a.xlsx", o) for o in (data, own)]
    row = score_agency(best, "Sở Y tế", GROUP, "2022", observations).criteria[0]
    assert (row.basis, row.points, row.flags) == ("self", 12, ["needs_other_agencies"])
    assert row.explanation == ("Theo điểm tự đánh giá 12 (chưa tính được từ số liệu: cần chấm cùng các "
                               "cơ quan khác để có mức tốt nhất)")
    together = score_agencies(best, [("Sở Y tế", GROUP, "2022", observations)])[0].criteria[0]
    assert (together.basis, together.points, together.flags) == ("data", 20, [])


def test_an_unreadable_self_score_is_named_when_nothing_counts(rules: RuleSet) -> None:
    """"Đạt" in the self-score cell and a blank figure: basis missing, and the explanation names both."""
    written = Observation("Tự đánh giá", "Đạt", None, "self_score", indicator="III.2.2",
                          location="Phụ lục!E9")
    row = _row(rules, [*_seed(**{DVC_LEVEL3: ""}), SourcedObservation(AGENCY, GROUP, PERIOD, "phu-luc.xlsx",
                                                                          written)], "III.2.2")
    assert (row.basis, row.points) == ("missing", 0)
    assert row.explanation.startswith("Điểm tự đánh giá ghi 'Đạt', không phải số (phu-luc.xlsx, Phụ lục!E9); "
                                      "không tính được từ số liệu: ")
    assert row.explanation.endswith(": 0 điểm")


def test_a_manual_criterion_without_self_score_says_so(rules: RuleSet) -> None:
    manual = next(c for c in rules.criteria if c.formula.type == "manual")
    row = _row(rules, [], manual.id)
    assert (row.basis, row.points, row.flags) == ("missing", 0, ["missing_self_score"])
    assert row.explanation == "Không có điểm tự đánh giá; tiêu chí chấm theo tự đánh giá: 0 điểm"


def test_an_exemption_condition_written_as_text_is_said(rules: RuleSet) -> None:
    """III.2.3 is exempt when dvc_online = 0; "Không có" is no number: not exempt, and it says so."""
    c = rules.criterion("III.2.3")
    inputs = {"dvc_level4": Input("dvc_level4", 27, denominator=27, text="27/27"),
              "dvc_online": Input("dvc_online", None, text="Không có", label="Số DVC trực tuyến")}
    result = evaluate(c.formula, c.max, inputs)
    assert result.explanation.endswith(  # type: ignore[union-attr]
        "(Số DVC trực tuyến ghi 'Không có', không phải số: coi như không thuộc trường hợp miễn)")


def test_every_basis_has_words_for_the_outputs() -> None:
    from egovcli.score.model import BASES, BASIS_WORDS

    assert set(BASIS_WORDS) == set(BASES)
    from egovcli.render.problems import code_label as flag_label

    assert flag_label("needs_other_agencies") != "needs_other_agencies"
