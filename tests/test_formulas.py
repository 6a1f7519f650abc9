"""Each formula type, evaluated on the Hà Nam 2022 criteria as the seed words them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from egovcli.rules import load_rules
from egovcli.rules.formulas import NormalisedToBest, Source
from egovcli.score.formulas import Gap, Input, Result, evaluate
from egovcli.textnorm import vi_number


@pytest.fixture(scope="module")
def rules():
    return load_rules("hanam-2022")


def share(indicator: str, percent: float) -> Input:
    return Input(indicator, percent, unit="%", text=f"{vi_number(percent)}%")


def count(indicator: str, n: float, text: str = "") -> Input:
    return Input(indicator, n, text=text or vi_number(n))


def points(rules, criterion_id: str, *inputs: Input) -> float | None:
    criterion = rules.criterion(criterion_id)
    result = evaluate(criterion.formula, criterion.max, {i.indicator: i for i in inputs})
    return None if isinstance(result, Gap) else result.points


@pytest.mark.parametrize(
    ("percent", "expected"), [(95, 15), (90, 15), (75, 11.25), (60, 9), (59.9, 0), (50, 0)]
)
def test_banded_ii_1_2_ninety_sixty(rules, percent, expected):
    assert points(rules, "II.1.2", share("incoming_docs_online_share", percent)) == expected


def test_ratio_explains_numerator_denominator_and_points(rules):
    criterion = rules.criterion("I.1")
    inputs = {"computers_total": count("computers_total", 48), "staff_total": count("staff_total", 60)}
    result = evaluate(criterion.formula, criterion.max, inputs)
    assert isinstance(result, Result)
    assert result.points == 8
    assert result.explanation == "48/60 máy tính/CBCCVC = 80% × 10 = 8"
    assert result.used == ("computers_total", "staff_total")


def test_ratio_above_one_counts_as_one_and_needs_both_counts(rules):
    assert points(rules, "I.1", count("computers_total", 60), count("staff_total", 48)) == 10
    assert points(rules, "I.1", count("computers_total", 60)) is None
    assert points(rules, "I.1", count("computers_total", 60), count("staff_total", 0)) is None


def test_ratio_from_a_reported_share(rules):
    assert points(rules, "V.3", share("staff_it_standard_share", 84.5)) == 16.9


@pytest.mark.parametrize(("percent", "expected"), [(30, 7.5), (45, 10), (40, 10), (20, 5), (15, 0)])
def test_ratio_over_threshold_iii_2_5_1(rules, percent, expected):
    assert points(rules, "III.2.5.1", share("online_dossiers_level3_share", percent)) == expected


@pytest.mark.parametrize(("percent", "expected"), [(85, 2), (80, 2), (60, 2), (40, 0)])
def test_iv_8_top_band_is_capped_at_the_published_maximum(rules, percent, expected):
    assert points(rules, "IV.8", share("security_measures_share", percent)) == expected


def test_banded_ratio_only_above_a_threshold(rules):
    assert points(rules, "III.2.11", share("dossiers_on_time_share", 96)) == 9.6
    assert points(rules, "III.2.11", share("dossiers_on_time_share", 94)) == 0
    assert points(rules, "III.2.4", share("signed_results_share", 70)) == 7


def test_the_catch_all_band_is_named_by_what_the_others_leave(rules):
    criterion = rules.criterion("II.1.2")
    low = evaluate(criterion.formula, criterion.max,
                   {"incoming_docs_online_share": share("incoming_docs_online_share", 50)})
    assert isinstance(low, Result) and low.explanation == "50% → < 60%: 0 điểm"
    level3 = rules.criterion("III.2.2")
    result = evaluate(level3.formula.otherwise, level3.max,
                      {"dvc_level3_share": Input("dvc_level3_share", 23, denominator=38)})
    assert isinstance(result, Result) and result.explanation == "23/38 = 60,53% → < 70%: 60,53% × 5 = 3,03"


def test_an_exemption_names_its_indicator_as_printed(rules):
    criterion = rules.criterion("I.3.4")
    servers = Input("servers", 0, text="0", label="Số lượng máy chủ (Server)")
    result = evaluate(criterion.formula, criterion.max, {"servers": servers})
    assert isinstance(result, Result) and result.explanation.startswith("Số lượng máy chủ (Server) = 0: ")


def test_banded_on_a_count(rules):
    posts = "portal_outreach_posts"
    assert [points(rules, "III.1.3", count(posts, n)) for n in (12, 10, 9, 3, 2)] == [3, 3, 1, 1, 0]


def test_banded_reads_a_fraction_reported_as_x_over_y(rules):
    criterion = rules.criterion("III.2.3")
    inputs = {"dvc_level4": Input("dvc_level4", 27, denominator=27, text="27/27")}
    result = evaluate(criterion.formula, criterion.max, inputs)
    assert isinstance(result, Result) and result.points == 5
    assert result.explanation == "27/27 = 100% → ≥ 30%: điểm tối đa 5"
    low = {"dvc_level4": Input("dvc_level4", 5, denominator=25)}
    assert evaluate(criterion.formula, criterion.max, low).points == 1  # 20% × 5


def test_yes_no_from_a_count_or_an_answer(rules):
    assert points(rules, "I.6", count("scanners", 2, "02 chiếc")) == 5
    assert points(rules, "I.6", count("scanners", 0)) == 0
    assert points(rules, "II.4.1", Input("hr_software", 0.0, text="Không")) == 0
    assert points(rules, "II.4.1", Input("hr_software", 1.0, text="Có")) == 4
    assert points(rules, "I.6") is None


def test_per_item_ii_4_4_caps_at_eight(rules):
    criterion = rules.criterion("II.4.4")
    inputs = {"specialised_software": count("specialised_software", 3)}
    result = evaluate(criterion.formula, criterion.max, inputs)
    assert isinstance(result, Result) and result.points == 8
    assert "3 × 4 = 12, tối đa 8" in result.explanation
    assert points(rules, "II.4.4", count("specialised_software", 1)) == 4
    assert points(rules, "VI.3", count("it_directives", 1)) == 5


def test_deduction_vi_4_late_and_unanswered_replies(rules):
    late5, late10, missing = "replies_late_5d", "replies_late_10d", "replies_missing"
    assert points(rules, "VI.4", count(late5, 2), count(late10, 0), count(missing, 1)) == 1  # 10 − 2 − 2 − 5
    assert points(rules, "VI.4", count(late5, 0), count(late10, 1), count(missing, 0)) == 7
    assert points(rules, "VI.4", count(late5, 1), count(late10, 1), count(missing, 1)) == 0  # floor 0
    assert points(rules, "VI.4", count(late5, 2), count(missing, 1)) is None
    assert points(rules, "III.1.10", count("qa_answers_late", 2)) == 3


def test_categorical_with_a_per_missing_item_deduction(rules):
    criterion = rules.criterion("III.1.1.1")
    formula = replace(criterion.formula, input="answer", count="missing")

    def score(answer: str, missing: float | None = None) -> float | None:
        inputs = {"answer": Input("answer", None, text=answer)}
        if missing is not None:
            inputs["missing"] = count("missing", missing)
        result = evaluate(formula, criterion.max, inputs)
        return None if isinstance(result, Gap) else result.points

    assert score("Cập nhật không đầy đủ", 3) == 3.5  # 5 − 3 × 0,5
    assert score("cap nhat day du") == 5
    assert score("Không cập nhật") == 0
    assert score("Cập nhật không đầy đủ") is None  # how many items are missing is not known
    assert score("Đang xây dựng") is None
    assert isinstance(evaluate(criterion.formula, criterion.max, {}), Gap)  # the shipped rule: no data input


def test_categorical_fixed_points(rules):
    formula = replace(rules.criterion("V.1.2").formula, input="training")
    result = evaluate(formula, 10, {"training": Input("training", None, text="Tham gia không đầy đủ")})
    assert isinstance(result, Result) and result.points == 5


def test_exemption_when_the_agency_has_no_online_services(rules):
    none = count("dvc_online", 0)
    assert points(rules, "III.2.3", none) == 5
    assert points(rules, "III.2.5.1", none, share("online_dossiers_level3_share", 0)) == 10
    assert points(rules, "III.2.3", count("dvc_online", 12), share("dvc_level4", 5)) == 0
    assert points(rules, "III.2.1", count("dvc_online", 12)) is None  # not exempt, nothing to compute


def test_exemption_with_fixed_points_when_no_dossiers(rules):
    services, no_dossiers = count("dvc_online", 12), count("dossiers_total", 0)
    assert points(rules, "III.2.5", services, no_dossiers) == 5
    assert points(rules, "III.2.8.1", services, no_dossiers) == 2
    some = count("dossiers_total", 605)
    assert points(rules, "III.2.5", services, some, share("online_procedures_with_dossiers_share", 65)) == 10


def test_exemption_without_servers_and_the_formula_otherwise(rules):
    assert points(rules, "I.3.4", count("servers", 0)) == 5
    assert points(rules, "IV.6.5", count("servers", 0)) == 3
    assert points(rules, "I.3.4", count("servers", 4)) is None
    criterion = rules.criterion("I.3.4")
    inputs = {"servers": count("servers", 4), "backup_system": Input("backup_system", 0.0, text="Không")}
    result = evaluate(criterion.formula, criterion.max, inputs)
    assert isinstance(result, Result) and result.points == 0
    assert "không thuộc trường hợp miễn" in result.explanation
    assert result.used == ("backup_system", "servers")


def test_parts_ii_1_7_sum_three_calendars(rules):
    cal = ("calendar_agency_share", "calendar_department_share", "calendar_personal_share")
    assert points(rules, "II.1.7", share(cal[0], 95), share(cal[1], 75), share(cal[2], 50)) == 8.75
    assert points(rules, "II.1.7", share(cal[0], 95), share(cal[1], 75)) is None


def test_manual_is_never_computed(rules):
    assert points(rules, "VI.1") is None


@pytest.mark.parametrize(("item", "ratio"), [
    (Input("x", 27, denominator=27), 1.0),
    (Input("x", 84.96, unit="%"), 0.8496),
    (Input("x", 0.85), 0.85),
    (Input("x", 27), None),  # 27 services, not 27%
    (Input("x", 1), None),
    (Input("x", 3, denominator=0), None),
    (Input("x", None), None),
])
def test_input_ratio(item, ratio):
    assert item.ratio == (pytest.approx(ratio) if ratio is not None else None)


def test_numbers_are_written_the_vietnamese_way():
    assert [vi_number(n) for n in (11.25, 10.0, 7.5, 0.333)] == ["11,25", "10", "7,5", "0,33"]


def test_normalised_to_best_divides_by_the_best_value():
    spec = NormalisedToBest(Source(value="servers", unit="máy chủ"), best=5, best_agency="Sở Y tế")
    result = evaluate(spec, 20, {"servers": count("servers", 3)})
    assert isinstance(result, Result) and result.points == 12
    assert result.explanation == "3 máy chủ; 3/tốt nhất 5 (Sở Y tế) × 20 = 12"


def test_normalised_to_best_of_a_share_and_without_a_best():
    spec = NormalisedToBest(Source(of="dvc_level4"), best=0.8)
    result = evaluate(spec, 10, {"dvc_level4": share("dvc_level4", 60)})
    assert isinstance(result, Result) and result.points == 7.5
    assert isinstance(evaluate(replace(spec, best=None), 10, {"dvc_level4": share("dvc_level4", 60)}), Gap)
    zero = evaluate(replace(spec, best=0.0), 10, {"dvc_level4": share("dvc_level4", 0)})
    assert isinstance(zero, Result) and zero.points == 0
