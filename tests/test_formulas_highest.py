"""Issue 13, item 4 (rules): "lấy điểm cao nhất" (`highest`), the catch-all answer of a categorical
formula, bands no value can reach, and numbers written with a Vietnamese decimal comma ("2,5").

The criteria are shaped like a DTI-style decision (`STT | Chỉ số thành phần | Điểm tối đa | Cách xác
định và tính điểm`) and seed 004's phụ lục (Hà Nam 2022: "Từ 90% trở lên: điểm tối đa …")."""

from __future__ import annotations

from pathlib import Path

import pytest

from egovcli.model import Observation, SourcedObservation
from egovcli.rules import RuleSetError, load_rules, load_rules_text
from egovcli.rules.formulas import Highest
from egovcli.score.engine import score_agency
from egovcli.score.formulas import Gap, Input, Result, evaluate

HEAD = """\
name: dti-thu
title: Bộ chỉ số thử (mô phỏng cấu trúc DTI)
period: "2025"
max_total: 100
sections:
  - {id: I, title: "Dịch vụ công trực tuyến", max: 100}
criteria:
"""

# "Tỷ lệ hồ sơ trực tuyến toàn trình × điểm tối đa, hoặc theo tỷ lệ hồ sơ đúng hạn (từ 90% trở lên:
# điểm tối đa; từ 60% đến dưới 90%: 30 điểm; dưới 60%: 0 điểm): lấy điểm cao nhất"
HIGHEST = """\
  - id: I.1
    tt: "1"
    section: I
    label: "Tỷ lệ hồ sơ TTHC xử lý trực tuyến (lấy điểm cao nhất)"
    max: 60
    inputs: [online_dossiers_level4_share, dossiers_on_time, dossiers_total]
    formula:
      type: highest
      cases:
        - label: "theo tỷ lệ hồ sơ trực tuyến toàn trình"
          formula: {type: ratio, of: online_dossiers_level4_share}
        - type: banded
          numerator: dossiers_on_time
          denominator: dossiers_total
          bands:
            - {at_least: 0.9, points: max}
            - {at_least: 0.6, points: 30}
            - {points: 0}
  - id: I.2
    tt: "2"
    section: I
    label: "Kết nối Cổng dịch vụ công quốc gia"
    max: 40
    inputs: [dvc_national_portal]
    formula:
      type: categorical
      input: dvc_national_portal
      answers:
        - {answer: "Đã kết nối, tích hợp đầy đủ", points: max}
        - {answer: "Đã kết nối một phần", points: 20}
"""


def _rules(text: str, tmp_path: Path | None = None):
    if tmp_path is None:
        return load_rules_text(text, "dti-thu.yaml")
    path = tmp_path / "dti-thu.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules(str(path))


def _errors(text: str) -> list[str]:
    with pytest.raises(RuleSetError) as info:
        load_rules_text(text, "dti-thu.yaml")
    return [str(p) for p in info.value.problems]


def _inputs(*items: Input) -> dict[str, Input]:
    return {i.indicator: i for i in items}


def _share(indicator: str, percent: float, location: str) -> Input:
    return Input(indicator, percent, unit="%", text=f"{percent:g}%", label=indicator, source_file="xa.xlsx",
                 location=location)


def _count(indicator: str, n: float | None, location: str, text: str = "") -> Input:
    return Input(indicator, n, text=text or ("" if n is None else f"{n:g}"), label=indicator,
                 source_file="xa.xlsx", location=location)


# --- highest ----------------------------------------------------------------------------------

def test_highest_loads_with_inputs_the_union_of_its_cases() -> None:
    criterion = _rules(HEAD + HIGHEST).criterion("I.1")
    assert isinstance(criterion.formula, Highest) and len(criterion.formula.cases) == 2
    assert criterion.formula.cases[0].label == "theo tỷ lệ hồ sơ trực tuyến toàn trình"


def test_highest_inputs_must_list_every_case_in_order() -> None:
    wrong = HEAD + HIGHEST.replace("inputs: [online_dossiers_level4_share, dossiers_on_time, dossiers_total]",
                                   "inputs: [online_dossiers_level4_share]")
    [message] = _errors(wrong)
    assert "dti-thu.yaml:8: tiêu chí I.1: inputs" in message
    assert "['online_dossiers_level4_share', 'dossiers_on_time', 'dossiers_total']" in message


def test_highest_scores_the_best_case_and_names_each() -> None:
    criterion = _rules(HEAD + HIGHEST).criterion("I.1")
    inputs = _inputs(_share("online_dossiers_level4_share", 40, "B4"), _count("dossiers_on_time", 95, "B5"),
                     _count("dossiers_total", 100, "B6"))
    result = evaluate(criterion.formula, criterion.max, inputs)
    assert isinstance(result, Result) and result.points == 60
    assert result.explanation == (
        "Lấy điểm cao nhất: theo tỷ lệ hồ sơ trực tuyến toàn trình (40% × 60 = 24): 24 điểm; "
        "trường hợp 2 (95/100 = 95% → ≥ 90%: điểm tối đa 60): 60 điểm → chọn trường hợp 2: 60 điểm")
    assert result.used == ("online_dossiers_level4_share", "dossiers_on_time", "dossiers_total")
    inputs["dossiers_on_time"] = _count("dossiers_on_time", 50, "B5")  # 50%: 0 points, the share wins
    result = evaluate(criterion.formula, criterion.max, inputs)
    assert isinstance(result, Result) and result.points == 24
    assert result.explanation.endswith("→ chọn theo tỷ lệ hồ sơ trực tuyến toàn trình: 24 điểm")


def test_highest_with_a_case_the_data_cannot_compute_says_so_and_flags_it() -> None:
    """"27/0" in one case: the other case decides, but the zero denominator is flagged and explained
    (its points might have been higher): never a silent fallback."""
    rules = _rules(HEAD + HIGHEST)
    data = [
        Observation("Tỷ lệ hồ sơ trực tuyến toàn trình", "40%", 40, unit="%",
                    indicator="online_dossiers_level4_share", location="Số liệu!C4"),
        Observation("Số hồ sơ đúng hạn", "27", 27, indicator="dossiers_on_time", location="Số liệu!C5"),
        Observation("Tổng số hồ sơ", "0", 0, indicator="dossiers_total", location="Số liệu!C6"),
        Observation("Tỷ lệ hồ sơ TTHC xử lý trực tuyến", "50", 50, kind="self_score", indicator="I.1",
                    location="Phụ lục!F3"),
    ]
    observations = [SourcedObservation("UBND xã Kim Bảng", "commune", "2025", "xa.xlsx", o) for o in data]
    row = score_agency(rules, "UBND xã Kim Bảng", "commune", "2025", observations).criteria[0]
    assert (row.basis, row.points, row.flags) == ("data", 24, ["zero_denominator", "claim_exceeds_evidence"])
    assert "trường hợp 2: không tính được" in row.explanation
    why = "Trường hợp 2: không tính được từ số liệu: mẫu số bằng 0: Tổng số hồ sơ = 0 (xa.xlsx, Số liệu!C6)"
    assert why in row.explanation


def test_highest_with_no_case_computable_falls_back_with_the_reason() -> None:
    rules = _rules(HEAD + HIGHEST)
    own = Observation("Tỷ lệ hồ sơ", "50", 50, kind="self_score", indicator="I.1", location="Phụ lục!F3")
    observations = [SourcedObservation("UBND xã Kim Bảng", "commune", "2025", "xa.xlsx", own)]
    row = score_agency(rules, "UBND xã Kim Bảng", "commune", "2025", observations).criteria[0]
    assert (row.basis, row.points) == ("self", 50)
    assert row.explanation.startswith("Theo điểm tự đánh giá 50 (chưa có số liệu:")


@pytest.mark.parametrize(("cases", "wanted"), [
    ("[{type: ratio, of: online_dossiers_level4_share}]", "từ hai công thức trở lên"),
    ("[{type: ratio, of: online_dossiers_level4_share}, {type: normalised_to_best, of: dvc_level3_share}]",
     "trường hợp 2: normalised_to_best chỉ dùng được"),
    ("[{type: ratio, of: online_dossiers_level4_share}, {type: manual}]", "trường hợp 2: manual"),
    ("[{type: ratio, of: online_dossiers_level4_share}, {type: ratio}]", "trường hợp 2: ratio: ghi đúng một"),
])
def test_highest_mistakes(cases: str, wanted: str) -> None:
    text = HEAD + HIGHEST.replace("      cases:\n", f"      cases: {cases}\n      old_cases:\n")
    text = text.split("      old_cases:\n")[0] + "  - id: I.2" + text.split("  - id: I.2", 1)[1]
    assert any(wanted in m and "tiêu chí I.1" in m for m in _errors(text)), _errors(text)


# --- categorical catch-all ------------------------------------------------------------------

CATCH_ALL = "        - {otherwise: true, answer: \"Chưa kết nối\", points: 0}\n"


def _portal(text: str) -> dict[str, Input]:
    return _inputs(Input("dvc_national_portal", None, text=text, label="Kết nối Cổng DVC quốc gia",
                         source_file="xa.docx", location="bảng 2, dòng 4, cột 3"))


@pytest.mark.parametrize(("answer", "points"), [
    ("Đã kết nối, tích hợp đầy đủ", 40), ("đã kết nối một phần", 20), ("Đang xây dựng", 0), ("Không", 0)])
def test_catch_all_takes_any_other_text(answer: str, points: float) -> None:
    criterion = _rules(HEAD + HIGHEST + CATCH_ALL).criterion("I.2")
    result = evaluate(criterion.formula, criterion.max, _portal(answer))
    assert isinstance(result, Result) and result.points == points
    if points == 0:
        assert result.explanation == (f"«{answer}» không thuộc phương án nào đã nêu, tính là «Chưa kết nối»: "
                                      "0 điểm")


def test_catch_all_does_not_take_a_blank() -> None:
    criterion = _rules(HEAD + HIGHEST + CATCH_ALL).criterion("I.2")
    result = evaluate(criterion.formula, criterion.max, _portal(""))
    assert isinstance(result, Gap) and result.flag == "blank_value"


def test_without_catch_all_other_text_stays_flagged() -> None:
    criterion = _rules(HEAD + HIGHEST).criterion("I.2")
    result = evaluate(criterion.formula, criterion.max, _portal("Đang xây dựng"))
    assert isinstance(result, Gap) and result.flag == "unknown_category"


@pytest.mark.parametrize(("answers", "wanted"), [
    ("        - {otherwise: true, points: 0}\n        - {answer: Khác, points: 1}\n",
     "'otherwise: true' (mọi câu trả lời khác) phải là đáp án cuối"),
    ("        - {otherwise: yes please, points: 0}\n", "otherwise phải là true"),
    ("        - {otherwise: true, points: 50}\n", "points phải là max hoặc một số trong 0–40"),
    ("        - {otherwise: true, deduct_each: 1}\n", "chỉ ghi points"),
])
def test_catch_all_mistakes(answers: str, wanted: str) -> None:
    assert any(wanted in m for m in _errors(HEAD + HIGHEST + answers)), _errors(HEAD + HIGHEST + answers)


# --- bands no value can reach -----------------------------------------------------------------

BANDED = """\
  - id: I.{n}
    section: I
    label: "Tỷ lệ văn bản đến được số hóa (seed 004, II.1.2)"
    max: {max}
    inputs: [incoming_docs_online_share]
    formula:
      type: banded
      of: incoming_docs_online_share
      bands:
{bands}"""


def _banded(n: int, max_points: int, *bands: str) -> str:
    return BANDED.format(n=n, max=max_points, bands="".join(f"        - {b}\n" for b in bands))


def test_dead_bands_one_error_each_at_their_line_with_the_other_errors() -> None:
    text = HEAD.replace("max_total: 100", "max_total: 100") + "".join([
        _banded(1, 25, "{at_least: 0.6, points: 10}", "{at_least: 0.9, points: max}", "{points: 0}"),
        _banded(2, 25, "{at_most: 0.3, points: 0}", "{at_most: 0.1, points: 5}", "{points: max}"),
        _banded(3, 25, "{at_most: 0.5, points: 0}", "{at_least: 0.4, points: max}", "{points: 10}"),
        _banded(4, 20, "{at_least: 0.9, points: max}", "{at_least: 0.6, points: ratio}", "{points: 0}"),
        "  - {id: I.5, section: I, label: x, max: 5, inputs: [no_such_indicator],\n"
        "     formula: {type: ratio, of: no_such_indicator}}\n",
    ])
    errors = _errors(text)
    assert errors == [
        "dti-thu.yaml:18: tiêu chí I.1: bậc 2 không bao giờ được áp dụng: bậc 1 (≥ 60%) đứng trước đã nhận "
        "mọi giá trị ≥ 90%; các ngưỡng at_least phải giảm dần",
        "dti-thu.yaml:30: tiêu chí I.2: bậc 2 không bao giờ được áp dụng: bậc 1 (≤ 30%) đứng trước đã nhận "
        "mọi giá trị ≤ 10%; các ngưỡng at_most phải tăng dần",
        "dti-thu.yaml:43: tiêu chí I.3: bậc 3 không bao giờ được áp dụng: bậc 1 (≤ 50%) và bậc 2 (≥ 40%) "
        "chồng nhau, đã phủ mọi giá trị",
        "dti-thu.yaml:56: tiêu chí I.5: không có chỉ tiêu 'no_such_indicator'"
        " (trong catalogue.yaml hay indicators: của bộ tiêu chí)",
    ], errors
    with pytest.raises(RuleSetError) as info:
        load_rules_text(text, "dti-thu.yaml")
    assert [p.code for p in info.value.problems][:3] == ["E-RULES-BANDS"] * 3


def test_dead_band_inside_highest_and_parts() -> None:
    band = "            - {at_least: 0.6, points: 30}\n"
    text = HEAD + HIGHEST.replace(band, band + "            - {at_least: 0.7, points: 40}\n")
    [message] = _errors(text)
    assert message.startswith("dti-thu.yaml:25: tiêu chí I.1: trường hợp 2: bậc 3 không bao giờ được áp dụng")


def test_hanam_and_hoabinh_bands_are_all_reachable() -> None:
    for name in ("hanam-2022", "hoabinh-2017"):
        assert load_rules(name).todos == ()


# --- decimal comma ------------------------------------------------------------------------------

COMMA = """\
name: phay
title: Bộ thử dấu phẩy thập phân
period: "2022"
max_total: 12,5
sections:
  - {id: I, title: "Hạ tầng", max: 12.5}
criteria:
  - id: I.1
    section: I
    label: "Máy chủ"
    max: 2,5
    inputs: [servers]
    formula:
      type: per_item
      input: servers
      each: "0,5"
  - id: I.2
    section: I
    label: "Tỷ lệ văn bản đến được số hóa"
    max: 10
    groups: [department]
    inputs: [incoming_docs_online_share]
    formula:
      type: banded
      of: incoming_docs_online_share
      bands:
        - at_least: 0,9
          points: max
        - {at_least: 0.6, points: "7,5"}
        - {points: 0}
"""


def test_decimal_comma_is_read_with_a_note_at_its_line() -> None:
    rules = load_rules_text(COMMA, "phay.yaml")
    assert rules.max_total == 12.5 and rules.criterion("I.1").max == 2.5
    i1, i2 = rules.criterion("I.1").formula, rules.criterion("I.2").formula
    assert i1.each == 0.5  # type: ignore[union-attr]
    assert [(b.at_least, b.points) for b in i2.bands] == [(0.9, None), (0.6, 7.5), (None, 0.0)]  # type: ignore
    note = "phay.yaml:{}: {}: '{}' được đọc là số {} (dấu phẩy thập phân); viết {} để khỏi ghi chú này"
    assert [str(p) for p in rules.todos] == [note.format(line, key, written, number, number) for
                                            line, key, written, number in [
        (4, "max_total", "12,5", 12.5), (11, "max", "2,5", 2.5), (16, "each", "0,5", 0.5),
        (27, "at_least", "0,9", 0.9), (29, "points", "7,5", 7.5)]]
    assert {p.code for p in rules.todos} == {"W-RULES-DECIMAL-COMMA"}
    assert all(p.severity == "warning" for p in rules.todos)


def test_decimal_comma_notes_come_with_the_errors() -> None:
    with pytest.raises(RuleSetError) as info:
        load_rules_text(COMMA.replace("max: 10\n", "max: 11\n"), "phay.yaml")
    found = [(p.code, p.where.line if p.where else None) for p in info.value.problems]
    assert ("E-RULES-SUM", 6) in found and ("W-RULES-DECIMAL-COMMA", 11) in found
    assert "cộng lại 13.5, khai báo 12.5" in str(info.value)


def test_text_and_flow_lists_are_left_alone() -> None:
    """A label "2,5" stays text; `groups: [2,5]` is a YAML list of two numbers, never 2.5."""
    rules = load_rules_text(COMMA.replace('label: "Máy chủ"', 'label: "2,5"'), "phay.yaml")
    assert rules.criterion("I.1").label == "2,5"
    errors = _errors(COMMA.replace("groups: [department]", "groups: [2,5]"))
    assert any("groups phần tử 1" in e for e in errors), errors


def test_validate_lists_the_notes(tmp_path: Path) -> None:
    from helpers import egov

    path = tmp_path / "phay.yaml"
    path.write_text(COMMA, encoding="utf-8")
    code, out, err = egov("rules", "validate", str(path))
    assert code == 0, err
    assert "W-RULES-DECIMAL-COMMA" in out + err and "phay.yaml:11" in out + err


def test_a_decimal_comma_cut_by_a_flow_mapping_is_explained() -> None:
    """`{at_least: 0,9, …}` is `at_least: 0` and a stray key `9` for YAML: the error says what happened."""
    errors = _errors(COMMA.replace("{at_least: 0.6, points: \"7,5\"}", "{at_least: 0,6, points: 7}"))
    assert any("khóa lạ 6 ('at_least: 0,6'? trong {…} dấu phẩy ngăn các khóa: viết 0.6 hoặc \"0,6\")" in e
               for e in errors), errors
    block = COMMA[COMMA.index("  - id: I.1"):COMMA.index("  - id: I.2")]
    flow = ("  - {id: I.1, section: I, label: Máy chủ, max: 2,5, inputs: [servers],\n"
            "     formula: {type: per_item, input: servers, each: 0.5}}\n")
    errors = _errors(COMMA.replace(block, flow))
    assert any("'max: 2,5'?" in e for e in errors), errors


def test_a_weight_with_a_decimal_comma() -> None:
    rules = load_rules_text(COMMA.replace("sections:\n", "weights:\n  I: 12,5\nsections:\n"), "phay.yaml")
    assert rules.sections[0].weight == 12.5
    assert ("W-RULES-DECIMAL-COMMA", 6) in [(p.code, p.where.line) for p in rules.todos]
