"""Vietnamese value parsing, against values as printed in the seeds (/work/shared/seeds/).

Seeds: 000 Hà Tĩnh form (Sở Xây dựng, 6 tháng đầu năm 2020), 002 Bình Định forms (QĐ 3871/QĐ-UBND,
empty checkbox forms), 003 Tuyên Quang annex (báo cáo quý I/2020), 004 Hà Nam report (Sở Tài chính, 2022).

Sections: numbers · fractions and percentages · yes/no · blanks · checkboxes · labelled boxes ·
impossible values (issue) · dates · periods · native cell values · real seed values · properties.
"""

import math
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovcli.values import (
    Parsed,
    Period,
    is_blank,
    option_value,
    parse_number,
    parse_period,
    parse_value,
    trim,
)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _vn(n: int) -> str:
    """An integer with dot-grouped thousands, as agencies print it: 1234567 → "1.234.567"."""
    return f"{n:,}".replace(",", ".")


# --- numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value", "kind", "unit"),
    [
        ("3.367", 3367, "number", ""),  # dot groups thousands
        ("1.234.567", 1234567, "number", ""),
        ("1 234", 1234, "number", ""),  # a space groups thousands too
        ("1.234,5", 1234.5, "number", ""),
        ("94,0", 94.0, "number", ""),  # comma is the decimal mark
        ("88,95", 88.95, "number", ""),
        ("84,96%", 84.96, "percent", "%"),
        ("84,96 %", 84.96, "percent", "%"),
        ("04 chiếc", 4, "number", "chiếc"),  # seed 004: "- Máy chủ: 04 chiếc"
        ("50 người", 50, "number", "người"),
        ("02", 2, "number", ""),
        ("500 điểm", 500, "number", "điểm"),
        ("10 triệu đồng", 10, "number", "triệu đồng"),
        ("100 Mbps", 100, "number", "Mbps"),
        ("3,2 Mbps/người", 3.2, "number", "Mbps/người"),  # seed 003, 4.2: unit "Mbps/ người"
        ("10 Tr.đ", 10, "number", "Tr.đ"),  # seed 002: ĐVT "Tr.đ"
        ("10.000.000 đồng", 10_000_000, "number", "đồng"),
        ("2.5", 2.5, "number", ""),  # not a thousands group: a plain decimal
        ("0.849", 0.849, "number", ""),  # "0" cannot open a thousands group
        ("1.2345", 1.2345, "number", ""),  # nor can a group of four
        ("1,234,567", 1234567, "number", ""),  # unambiguous English grouping
        ("1,234.5", 1234.5, "number", ""),
        ("-3", -3, "number", ""),
        ("−3", -3, "number", ""),  # U+2212 minus sign
    ],
)
def test_numbers(raw: str, value: float, kind: str, unit: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind, parsed.unit) == (pytest.approx(value), kind, unit)
    assert parsed.issue == ""


@pytest.mark.parametrize(
    ("text", "number"),
    [("3.367", 3367), ("94,0", 94.0), ("02", 2), ("1 234", 1234), ("  7 ", 7), ("0.849", 0.849)],
)
def test_parse_number_reads_exactly_one_number(text: str, number: float) -> None:
    assert parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["", "abc", "84,96%", "04 chiếc", "435/463", "1. Phần mềm"])
def test_parse_number_rejects_anything_else(text: str) -> None:
    assert parse_number(text) is None


def test_number_with_remark_keeps_note() -> None:
    parsed = parse_value("792 (còn 117 HS đang giải quyết)")  # seed 000, F.16
    assert parsed.value == 792
    assert "117 HS" in parsed.note


def test_number_with_unit_keeps_the_rest_as_note() -> None:
    parsed = parse_value("04 người chưa được cấp")  # seed 003, mục 3 1.2 ghi chú
    assert (parsed.value, parsed.unit, parsed.note) == (4, "người", "chưa được cấp")


# --- fractions and percentages ------------------------------------------------------------------
def test_fraction_keeps_numerator_denominator_and_ratio() -> None:
    parsed = parse_value("435/463")  # seed 003, mục 2 1
    assert (parsed.value, parsed.denominator, parsed.kind) == (435, 463, "fraction")
    assert parsed.ratio == pytest.approx(435 / 463)


def test_fraction_with_printed_percentage_keeps_note() -> None:
    parsed = parse_value("26/27 (96,30%)")  # seed 004, DVC on the national portal
    assert (parsed.value, parsed.denominator) == (26, 27)
    assert "96,30%" in parsed.note
    assert parsed.issue == ""


def test_fraction_with_thousands() -> None:
    parsed = parse_value("1.798/9.251")
    assert (parsed.value, parsed.denominator) == (1798, 9251)


def test_fraction_with_unit() -> None:
    parsed = parse_value("514/605 hồ sơ đạt 84,96%")  # seed 004, mục 1 b
    assert (parsed.value, parsed.denominator, parsed.unit) == (514, 605, "hồ sơ")
    assert parsed.note == "đạt 84,96%"
    assert parsed.issue == ""


def test_percent_ratio() -> None:
    assert parse_value("84,96%").ratio == pytest.approx(0.8496)
    assert parse_value("84,96").ratio is None  # a bare number is not a share by itself
    assert parse_value("0/0").ratio is None


def test_numerator_above_denominator_is_allowed() -> None:
    for raw in ("1798/9251", "168/157", "9251/1798"):  # seed 004 docs out/in; seed 003 PCs per staff
        assert parse_value(raw).issue == ""


# --- yes / no -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "kind", "note"),
    [
        ("Có", "yes", ""),
        ("Có (Quyết định số 109/QĐ-SXD ngày 19/11/2018.)", "yes", "Quyết định số 109/QĐ-SXD ngày 19/11/2018"),
        ("Có: 02 Màn hình Samsung TV Led 55 inch", "yes", "02 Màn hình Samsung TV Led 55 inch"),
        ("CÓ", "yes", ""),
        ("Co", "yes", ""),  # typed without accents
        ("x", "yes", ""),
        ("X", "yes", ""),
        ("Đã triển khai", "yes", ""),
        ("Đã kết nối", "yes", ""),
        ("Không", "no", ""),
        ("Khong", "no", ""),
        ("Không có", "no", ""),
        ("Không (ghi rõ)", "no", "ghi rõ"),
    ],
)
def test_yes_no_keeps_evidence(raw: str, kind: str, note: str) -> None:
    parsed = parse_value(raw)
    assert parsed.kind == kind
    assert parsed.value == (1.0 if kind == "yes" else 0.0)
    assert parsed.note == note


@pytest.mark.parametrize(
    "raw",
    ["Chưa có", "Chưa triển khai", "Chưa", "Đang xây dựng", "Đang triển khai", "Chưa có (đang xây dựng)"],
)
def test_not_there_yet_is_text_not_zero(raw: str) -> None:
    """Issue 11.6: written freely, "not yet" is no explicit 0 (only "Không" / 0 is): text, no value."""
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind, parsed.raw, parsed.issue) == (None, "text", raw, "")


def test_not_there_yet_offered_as_an_option_is_zero() -> None:
    """A box ticked under a "Chưa có" option, or an answer a "1/0" legend names, was the form's choice."""
    assert (parse_value("□ Có ☒ Chưa có").value, parse_value("☒ Đang xây dựng □ Đã ban hành").value) == (0, 0)
    options = ("Có", "Đã triển khai", "Không", "Chưa có", "Đang thử nghiệm", "Khác")
    assert [option_value(t) for t in options] == [1, 1, 0, 0, 0, None]


@pytest.mark.parametrize(
    ("raw", "value", "issue"),
    [
        ("-2", -2, ""),  # a negative number keeps its sign
        ("-2,5", -2.5, ""),
        ("\u22124", -4, ""),  # the minus sign U+2212
        ("-3 người", -3, "số lượng âm (-3 người)"),  # a count of people cannot be negative
        ("□ Chuyên trách: -2 người", -2, "số lượng âm (-2 người)"),  # the sign survives the box's label
        ("-2+3", None, ""),  # a sum is not one number: text, kept as written
        ("2+3", None, ""),
        ("1-3", None, ""),  # a range
        ("1. Phần mềm kế toán; 2. Phần mềm nhân sự", None, ""),  # a numbered list (seed 000 B.11)
    ],
)
def test_signs_sums_and_lists(raw: str, value: float | None, issue: str) -> None:
    """Issue 11.13: the raw text is kept exactly; the sign of a number is read, never dropped."""
    parsed = parse_value(raw)
    assert (parsed.raw, parsed.value, parsed.issue) == (raw, value, issue)
    assert parsed.kind == ("text" if value is None else "number")


def test_trim_keeps_a_sign_before_a_number() -> None:
    assert [trim(t, " ;,.-") for t in ("-2", " -2 ", "- 2", "2-", "-", "…-2", "-x")] == [
        "-2", "-2", "2", "2", "", "…-2", "x"]


def test_blank_values() -> None:
    assert all(is_blank(t) for t in ("", "  ", "-", "……", "………… người", "□ Có □ Không"))
    assert not any(is_blank(t) for t in ("0", "Không", "Đang xây dựng", "0%"))


@pytest.mark.parametrize("raw", ["Công khai", "Cơ quan", "Cơ chế - Chính sách", "Cơ sở dữ liệu", "Công cụ"])
def test_words_starting_like_yes_are_not_yes(raw: str) -> None:
    # "Cơ", "Công" fold to "co…" without their accents: only "Có" itself (or plain "Co") is yes
    parsed = parse_value(raw)
    assert (parsed.kind, parsed.value) == ("text", None)


def test_text_is_kept_not_numbered() -> None:
    parsed = parse_value("Sở Tài chính tỉnh Hà Nam")
    assert parsed.value is None
    assert parsed.kind == "text"
    assert parsed.note == "Sở Tài chính tỉnh Hà Nam"


# --- blanks -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "-", "…", "……", "...", "…………/.......…...", "---", "( )", "[ ]", "\u200b"],
)
def test_blanks_are_missing(raw: object) -> None:
    parsed = parse_value(raw)
    assert parsed.value is None
    assert parsed.kind == "blank"


@pytest.mark.parametrize(("raw", "unit"), [("……… người", "người"), ("…… (người)", "người"),
                                           ("................ Mbps", "Mbps")])
def test_unfilled_form_with_unit_is_missing(raw: str, unit: str) -> None:
    parsed = parse_value(raw)  # seed 002: "Số cán bộ … : ……… người"
    assert (parsed.value, parsed.kind, parsed.unit) == (None, "blank", unit)


# --- checkboxes ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("☒ Có □ Không", "yes"),
        ("□ Có ☒ Không", "no"),
        ("☑ Có", "yes"),
        ("☒ Không", "no"),
        ("Có: ☒", "yes"),  # box after its label
        ("Không: ☒", "no"),
        ("Có ☐ Không ☒", "no"),
        ("Có: ☒ Không: □", "yes"),
        ("X Có □ Không", "yes"),  # a bare X in the box's place
        ("□ Có X Không", "no"),
        ("x Không", "no"),
        ("x Có", "yes"),
        ("[x] Có [ ] Không", "yes"),
        ("[X] Không [ ] Có", "no"),
        ("■ Có □ Không", "yes"),
        ("✔ Có", "yes"),
        ("\uf0fe Có \uf0a8 Không", "yes"),  # Wingdings boxes as Word exports them
        ("☒Có☐Không", "yes"),
        ("Hệ thống LAN: □ Có ☒ Không", "no"),  # a question, then its boxes
        ("c. Hệ thống an toàn báo cháy, nổ tại phòng máy chủ: ☒ Có □ Không", "yes"),  # seed 002 line
    ],
)
def test_checkbox_the_ticked_box_decides(raw: str, kind: str) -> None:
    parsed = parse_value(raw)
    assert parsed.kind == kind
    assert parsed.value == (1.0 if kind == "yes" else 0.0)
    assert parsed.issue == ""


@pytest.mark.parametrize(
    "raw",
    [
        "□ Có □ Không",  # seed 002, printed form, nothing ticked
        "Có  ☐  Không  ☐",
        "[ ] Có [ ] Không",
        "□ Có",
        "□ Có □ Không Số lượng:………..",  # seed 002, 7.b
        "□ Có Tổng số điểm kết nối:.......... □ Không",  # seed 002 (UBND huyện), 7
        "□ Đã triển khai □ Chưa triển khai",  # seed 002, mục 5.2
    ],
)
def test_checkbox_nothing_ticked_is_missing(raw: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind, parsed.issue) == (None, "blank", "")


def test_checkbox_both_ticked_is_flagged() -> None:
    parsed = parse_value("☒ Có ☒ Không")
    assert (parsed.value, parsed.kind) == (None, "text")
    assert parsed.issue == "đánh dấu cả Có và Không"


def test_checkbox_keeps_the_remark_of_an_option() -> None:
    parsed = parse_value("☒ Có Tổng số điểm kết nối: 12 □ Không")  # seed 002 form, filled in
    assert (parsed.kind, parsed.note) == ("yes", "Tổng số điểm kết nối: 12")
    parsed = parse_value("☒ Có (Kế hoạch số 127/KH-UBND ngày 01/8/2019)")
    assert (parsed.kind, parsed.note) == ("yes", "Kế hoạch số 127/KH-UBND ngày 01/8/2019")


def test_checkbox_placeholder_remarks_are_dropped() -> None:
    parsed = parse_value("☒ Có □ Không Số lượng:………..")
    assert (parsed.kind, parsed.note) == ("yes", "")


@pytest.mark.parametrize(
    "raw",
    ["Cơ quan xây dựng ứng dụng Đánh dấu [x] vào ô phù hợp",  # seed 003, bảng 3A.1 header
     "Nếu có đánh dấu X vào ô □"],  # seed 002, mục 5.1
)
def test_instructions_about_ticking_are_not_ticks(raw: str) -> None:
    assert parse_value(raw).kind in {"text", "blank"}


# --- labelled boxes: "□ Chuyên trách: 2 người" ---------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value", "unit", "note"),
    [
        # seed 002, mục 4.1, filled in: the number written is the value, box ticked or not
        ("□ Chuyên trách: 2 người □ Kiêm nhiệm: …… người", 2, "người", "Chuyên trách"),
        ("☒ Chuyên trách: 2 người □ Kiêm nhiệm: …… người", 2, "người", "Chuyên trách"),
        ("□ Chuyên trách:........người □ Kiêm nhiệm: 1 người", 1, "người", "Kiêm nhiệm"),
        ("□ Chuyên trách: 2 người", 2, "người", "Chuyên trách"),
        # several numbers: the ticked one, the others kept in the note
        ("☒ Chuyên trách: 2 người □ Kiêm nhiệm: 1 người", 2, "người", "Chuyên trách; Kiêm nhiệm: 1 người"),
        ("☒ 5 người", 5, "người", ""),
    ],
)
def test_labelled_box_reads_the_number_written(raw: str, value: float, unit: str, note: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind, parsed.unit, parsed.note) == (value, "number", unit, note)


@pytest.mark.parametrize(
    "raw",
    ["□ Chuyên trách: 2 người □ Kiêm nhiệm: 1 người",  # two numbers, no tick: no guess, no sum
     "☒ Tiến sỹ: 0 ☒ Thạc sỹ: 1"],  # two ticked numbers
)
def test_labelled_boxes_with_several_numbers_are_text(raw: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind) == (None, "text")
    assert "người" in parsed.note or "Thạc sỹ: 1" in parsed.note


def test_labelled_box_without_number() -> None:
    ticked = parse_value("☒ Triển khai tại bộ phận một cửa")  # seed 002 (UBND huyện), mục 5.2
    assert (ticked.value, ticked.kind, ticked.note) == (1.0, "yes", "Triển khai tại bộ phận một cửa")
    for raw in ("□ Triển khai tại bộ phận một cửa", "□ Chuyên trách:........người □ Kiêm nhiệm: ……. người",
                "□ Tiến sỹ: …… □ Thạc sỹ: ……… □ Đại học: ……"):
        assert parse_value(raw).kind == "blank"


# --- impossible values: Parsed.issue -------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "issue"),
    [
        ("Quý V/2018", "quý V không tồn tại (chỉ có quý I–IV)"),  # seed 003, mục 1 "Quý báo cáo"
        ("435/463 (98%)", "tỷ lệ ghi 98% không khớp 435/463 = 93,95%"),
        ("98% (435/463)", "tỷ lệ ghi 98% không khớp 435/463 = 93,95%"),
        ("435/463 (93,97%)", "tỷ lệ ghi 93,97% không khớp 435/463 = 93,95%"),
        ("-3 người", "số lượng âm (-3 người)"),
        ("-2 chiếc", "số lượng âm (-2 chiếc)"),
        ("32/13/2020", "ngày 32/13/2020 không tồn tại"),
        ("29/02/2021", "ngày 29/02/2021 không tồn tại"),
        ("ngày 32 tháng 3 năm 2020", "ngày 32/03/2020 không tồn tại"),
    ],
)
def test_impossible_values_are_flagged(raw: str, issue: str) -> None:
    assert parse_value(raw).issue == issue


def test_flagged_values_keep_their_reading() -> None:
    parsed = parse_value("435/463 (98%)")
    assert (parsed.value, parsed.denominator, parsed.kind) == (435, 463, "fraction")
    parsed = parse_value("-3 người")
    assert (parsed.value, parsed.unit) == (-3, "người")
    parsed = parse_value("Có (Quyết định số 1/QĐ-STC ngày 31/02/2020)")  # an impossible date in evidence
    assert (parsed.value, parsed.kind) == (1.0, "yes")
    assert parsed.issue == "ngày 31/02/2020 không tồn tại"


@pytest.mark.parametrize(
    "raw",
    [
        "26/27 (96,30%)",  # seed 004: 96,296… rounds to 96,30
        "27/27 (100%)",
        "435/463 (94%)",  # rounded to the printed precision
        "435/463 (93%)",  # truncated
        "435/463 (93,9%)",
        "93,95% (435/463)",
        "1798/9251",  # two counts, not a share
        "168/157",
        "-3",  # no unit: could be a change, not a count
        "-2 điểm",  # a deduction
        "107,0%",  # seed 003: more PCs than staff
        "Quý I/2020",
        "Có (Kế hoạch số 379/KH-SXD 13/3/2017)",
    ],
)
def test_possible_values_are_not_flagged(raw: str) -> None:
    assert parse_value(raw).issue == ""


# --- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ngày 5 tháng 3 năm 2020",  # seed 003 header
        "TP. Tuyền Quang, ngày 5 tháng 3 năm 2020",
        "Ngày  25  tháng 10  năm 2019",
        "05/02/2021",  # day first
        "5/3/2020",
        "05-02-2021",
        "05.02.2021",
        "2021-02-05",
        "Quyết định số 3871/QĐ-UBND ngày 25/10/ 2019",  # seed 002, a stray space
        "Kế hoạch số 346/KH-UBND ngày 05/02/2021 của UBND tỉnh",  # seed 004
        "29/02/2020",
        _nfd("ngày 5 tháng 3 năm 2020"),
    ],
)
def test_a_written_date_is_text_with_no_issue(text: str) -> None:
    parsed = parse_value(text)
    assert (parsed.value, parsed.kind, parsed.issue) == (None, "text", "")


def test_a_date_cell_is_text_not_a_fraction() -> None:
    parsed = parse_value("25/10/2019")  # it used to read as the fraction 25/10
    assert (parsed.value, parsed.kind, parsed.denominator, parsed.issue) == (None, "text", None, "")
    assert parse_value(date(2020, 3, 5)).kind == "text"
    assert parse_value(datetime(2020, 3, 5, 8, 30)).raw == "2020-03-05"


# --- periods ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I/2020", Period(2020, quarter=1)),  # seed 003
        ("quý I năm 2020", Period(2020, quarter=1)),
        ("BÁO CÁO ĐỊNH KỲ … QUÝ I NĂM 2020", Period(2020, quarter=1)),  # seed 003 annex title
        ("Quý IV - 2019", Period(2019, quarter=4)),
        ("quý 2/2021", Period(2021, quarter=2)),
        ("Q3/2021", Period(2021, quarter=3)),
        ("6 tháng đầu năm 2020", Period(2020, half=1)),  # seed 000 title
        ("ĐÁNH GIÁ … 6 THÁNG ĐẦU NĂM 2020", Period(2020, half=1)),
        ("6 tháng cuối năm 2020", Period(2020, half=2)),
        ("3 tháng đầu năm 2021", Period(2021, quarter=1)),
        ("9 tháng đầu năm 2021", Period(2021, months=9)),
        ("năm 2022", Period(2022)),  # seed 004
        ("Kết quả ứng dụng công nghệ thông tin năm 2022", Period(2022)),
        ("2022", Period(2022)),
        (_nfd("Quý I/2020"), Period(2020, quarter=1)),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


def test_impossible_quarter_keeps_the_year_and_says_why() -> None:
    period = parse_period("Quý V/2018")  # seed 003, mục 1 "Quý báo cáo"
    assert period == Period(2018, issue="quý V không tồn tại (chỉ có quý I–IV)")
    assert parse_period("Quý 5/2020") == Period(2020, issue="quý 5 không tồn tại (chỉ có quý I–IV)")
    assert parse_period("13 tháng đầu năm 2020") == Period(2020, issue="13 tháng: một năm chỉ có 12 tháng")


@pytest.mark.parametrize("text", ["", "Quý báo cáo", "Quy chế hoạt động", "ngày 5 tháng 3 năm 2020", "435"])
def test_parse_period_none_without_a_period(text: str) -> None:
    assert parse_period(text) is None


def test_period_label() -> None:
    assert [p.label for p in (Period(2020), Period(2020, quarter=1), Period(2020, half=2),
                              Period(2021, months=9))] == ["2020", "2020-Q1", "2020-H2", "2021-9M"]


def test_a_period_cell_is_text() -> None:
    for raw in ("Quý I/2020", "6 tháng đầu năm 2020", "năm 2022"):
        parsed = parse_value(raw)
        assert (parsed.value, parsed.kind) == (None, "text")


# --- native cell values -------------------------------------------------------------------------
def test_native_cell_values() -> None:
    assert parse_value(10).value == 10
    assert parse_value(2.5).value == 2.5
    assert parse_value(True).kind == "yes"
    assert parse_value(False).kind == "no"
    assert parse_value(float("nan")).value is None
    assert parse_value(float("inf")).value is None


def test_parsed_stays_compatible() -> None:
    legacy = Parsed("5", 5.0, "number", "", None, "")  # positional construction as before `issue`
    assert legacy.issue == ""
    assert parse_value("36") == Parsed("36", 36.0, "number")  # the fast path gives the same result
    assert parse_value(" 36 ") == Parsed("36", 36.0, "number")


# --- real values from the seeds -----------------------------------------------------------------
# (raw as printed, value, kind, unit, denominator)
SEED_VALUES = [
    # seed 000, Hà Tĩnh form (Sở Xây dựng)
    ("3", 3, "number", "", None),  # A.5 Số cán bộ chuyên trách CNTT
    ("36", 36, "number", "", None),  # A.9 Số cán bộ công chức
    ("Không", 0, "no", "", None),  # B.4 Kết nối mạng truyền số liệu chuyên dùng
    ("Có", 1, "yes", "", None),  # B.18 tường lửa
    ("Có: 02 Màn hình Samsung TV Led 55 inch, Full HD, Smart TV (Phục vụ công tác chỉ đạo điều hành)",
     1, "yes", "", None),  # B.16
    ("Có (Quyết định số 109/QĐ-SXD ngày 19/11/2018.)", 1, "yes", "", None),  # D.1
    ("Có (Kế hoạch số 469/KH-SXD ngày 20/4/2016; Kế hoạch số 379/KH-SXD 13/3/2017; "
     "Kế hoạch số 950/KH-SXD ngày 07/5/2019).", 1, "yes", "", None),  # D.6
    ("Có (https://soxaydung.hatinh.gov.vn)", 1, "yes", "", None),  # E.1
    ("Có (Tài khoản và mật khẩu đăng nhập; Khóa và chữ ký số)", 1, "yes", "", None),  # H.2
    ("250 (lịch công tác trong 6 tháng)", 250, "number", "", None),  # E.6
    ("174 (ý kiến chỉ đạo, điều hành trên phần mềm văn bản chỉ đạo điều hành và HSCV)",
     174, "number", "", None),  # E.7
    ("792 (còn 117 HS đang giải quyết chưa đến hạn).", 792, "number", "", None),  # F.16
    ("4356", 4356, "number", "", None),  # F.3
    ("87", 87, "number", "", None),  # D.11 kinh phí (triệu đồng)
    ("0", 0, "number", "", None),  # G.2
    ("https://soxaydung.hatinh.gov.vn", None, "text", "", None),  # A.12
    ("Trần Xuân Tiến", None, "text", "", None),  # A.2
    # seed 002, Bình Định forms (printed, unfilled)
    ("□ Có □ Không", None, "blank", "", None),  # mục 3.6
    ("□ Có □ Không Số lượng:………..", None, "blank", "", None),  # mục 3.7.b
    ("□ Chuyên trách:........người □ Kiêm nhiệm: ……. người", None, "blank", "", None),  # mục 4.1
    ("□ Tiến sỹ: …… □ Thạc sỹ: ……… □ Đại học: ……", None, "blank", "", None),  # mục 4.1
    ("□ Đã triển khai □ Chưa triển khai", None, "blank", "", None),  # mục 5.2
    ("□ Triển khai tất cả các phòng, ban chuyên môn trong cơ quan", None, "blank", "", None),  # mục 5.1
    ("……… người", None, "blank", "người", None),  # mục 4.1
    ("…… (người)", None, "blank", "người", None),  # mục 6.3.c
    ("…………/.......….....", None, "blank", "", None),  # mục 5.1 VB đi / tổng số
    ("…………………….", None, "blank", "", None),  # mục 1 "Năm báo cáo"
    # seed 003, Tuyên Quang annex
    ("Quý V/2018", None, "text", "", None),  # mục 1.1 (flagged, see above)
    ("435/463", 435, "fraction", "", 463),  # mục 2.1
    ("94,0", 94.0, "number", "", None),
    ("168/157", 168, "fraction", "", 157),
    ("107,0", 107.0, "number", "", None),
    ("267/306", 267, "fraction", "", 306),
    ("87,3", 87.3, "number", "", None),
    ("330/435", 330, "fraction", "", 435),
    ("1250", 1250, "number", "", None),  # mục 2.4.1 (Mbps)
    ("3,2", 3.2, "number", "", None),  # mục 2.4.2
    ("02", 2, "number", "", None),  # mục 3.1.1 hệ thống thư điện tử
    ("160/463", 160, "fraction", "", 463),
    ("05/7", 5, "fraction", "", 7),
    ("29/33", 29, "fraction", "", 33),
    ("3.367", 3367, "number", "", None),  # mục 3.5.4 hồ sơ một cửa
    ("2.995", 2995, "number", "", None),
    ("88,95", 88.95, "number", "", None),
    ("215.136", 215136, "number", "", None),  # mục 4 số lượng truy cập
    ("Đang triển khai", None, "text", "", None),  # mục 5.1.2: not there yet, no explicit 0
    ("Đang xây dựng", None, "text", "", None),  # mục 6.4
    ("04 người chưa được cấp", 4, "number", "người", None),
    ("Còn 04 lãnh đạo chưa được cấp", None, "text", "", None),
    ("Theo địa chỉ http://dichvucong.tuyenquang.gov.vn", None, "text", "", None),
    ("x", 1, "yes", "", None),  # bảng 3A.1, "[x] vào ô phù hợp"
    ("Ủy ban nhân dân thành phố Tuyên Quang", None, "text", "", None),
    # seed 004, Hà Nam report
    ("27/27 (100%)", 27, "fraction", "", 27),
    ("26/27 (96,30%)", 26, "fraction", "", 27),
    ("514/605 hồ sơ đạt 84,96%", 514, "fraction", "hồ sơ", 605),
    ("90/605 hồ sơ", 90, "fraction", "hồ sơ", 605),
    ("1798/9251", 1798, "fraction", "", 9251),  # văn bản đi/đến: two counts
    ("04 chiếc", 4, "number", "chiếc", None),
    ("50 chiếc", 50, "number", "chiếc", None),
    ("01", 1, "number", "", None),  # IP tĩnh
    ("01 bộ thiết bị", 1, "number", "bộ", None),  # phòng họp trực tuyến
    ("50 người", 50, "number", "người", None),
    ("07", 7, "number", "", None),  # tổng số đơn vị trực thuộc
    ("496", 496, "number", "", None),
    ("500 điểm", 500, "number", "điểm", None),
    ("0,5 điểm", 0.5, "number", "điểm", None),  # cách tính
    ("Sở Tài chính tỉnh Hà Nam", None, "text", "", None),
]


@pytest.mark.parametrize(("raw", "value", "kind", "unit", "denominator"), SEED_VALUES)
def test_seed_values(raw: str, value: float | None, kind: str, unit: str, denominator: float | None) -> None:
    parsed = parse_value(raw)
    expected = None if value is None else pytest.approx(value)
    assert (parsed.value, parsed.kind, parsed.unit, parsed.denominator) == (expected, kind, unit, denominator)


def test_seed_values_are_many() -> None:
    assert len(SEED_VALUES) >= 40


@pytest.mark.parametrize(("raw", "value", "kind", "unit", "denominator"), SEED_VALUES)
def test_seed_values_parse_the_same_in_nfd(
    raw: str, value: float | None, kind: str, unit: str, denominator: float | None
) -> None:
    assert parse_value(_nfd(raw)) == parse_value(raw)


# --- properties ---------------------------------------------------------------------------------
UNITS = ["chiếc", "người", "máy", "bộ", "hồ sơ", "văn bản", "thủ tục", "dịch vụ", "phần mềm", "lượt",
         "điểm", "triệu đồng", "đồng", "Mbps", "cơ quan", "máy tính", "lần", "cuộc họp"]
SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", " \u00a0 ", "\n"])
counts = st.integers(min_value=0, max_value=10**12)


@given(counts)
def test_thousands_grouping_round_trips(n: int) -> None:
    printed = _vn(n)
    assert parse_number(printed) == n
    parsed = parse_value(printed)
    assert (parsed.value, parsed.kind) == (n, "number")


@given(counts)
def test_space_grouping_round_trips(n: int) -> None:
    assert parse_value(f"{n:,}".replace(",", " ")).value == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_comma_decimals_round_trip(whole: int, cents: int) -> None:
    printed = _vn(whole) + f",{cents:02d}"
    parsed = parse_number(printed)
    assert parsed is not None
    assert math.isclose(parsed, whole + cents / 100)
    assert parse_value(printed).kind == "number"


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_fractions_round_trip(num: int, den: int) -> None:
    for printed in (f"{num}/{den}", f"{_vn(num)}/{_vn(den)}", f"{num} / {den}"):
        parsed = parse_value(printed)
        assert (parsed.value, parsed.denominator, parsed.kind) == (num, den, "fraction")
        assert parsed.ratio == pytest.approx(num / den)
        assert parsed.issue == ""  # a numerator above its denominator is never an issue by itself


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=99))
def test_percentages_round_trip(whole: int, cents: int) -> None:
    parsed = parse_value(f"{whole},{cents:02d}%")
    assert (parsed.kind, parsed.unit) == ("percent", "%")
    assert parsed.value == pytest.approx(whole + cents / 100)
    assert parsed.ratio == pytest.approx((whole + cents / 100) / 100)


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(UNITS), st.booleans())
def test_numbers_with_units_round_trip(n: int, unit: str, leading_zero: bool) -> None:
    printed = f"0{n}" if leading_zero and n < 10 else _vn(n)
    parsed = parse_value(f"{printed} {unit}")
    assert (parsed.value, parsed.kind, parsed.unit, parsed.issue) == (n, "number", unit, "")


@given(st.integers(min_value=1, max_value=10**4), st.sampled_from(["người", "chiếc", "máy", "hồ sơ"]))
def test_negative_counts_are_flagged(n: int, unit: str) -> None:
    parsed = parse_value(f"-{n} {unit}")
    assert parsed.value == -n
    assert parsed.issue.startswith("số lượng âm")


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=1, max_value=5000),
       st.integers(min_value=0, max_value=2))
def test_correct_printed_percentage_is_never_flagged(num: int, den: int, decimals: int) -> None:
    share = f"{num / den * 100:.{decimals}f}".replace(".", ",")
    assert parse_value(f"{num}/{den} ({share}%)").issue == ""
    assert parse_value(f"{share}% ({num}/{den})").issue == ""


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=1, max_value=5000),
       st.integers(min_value=2, max_value=50))
def test_printed_percentage_off_by_more_than_its_precision_is_flagged(num: int, den: int, off: int) -> None:
    share = f"{num / den * 100 + off:.0f}"
    assert parse_value(f"{num}/{den} ({share}%)").issue.startswith("tỷ lệ ghi")


ticked_marks = st.sampled_from(["☒", "☑", "[x]", "[X]", "✔", "\uf0fe"])
unticked_marks = st.sampled_from(["□", "☐", "[ ]", "\uf0a8"])


@given(ticked_marks, unticked_marks, st.booleans(), st.booleans(), st.booleans())
def test_checkbox_answers(tick: str, empty: str, yes: bool, yes_first: bool, after: bool) -> None:
    options = [("Có", yes), ("Không", not yes)]
    if not yes_first:
        options.reverse()
    parts = [f"{label}: {tick if on else empty}" if after else f"{tick if on else empty} {label}"
             for label, on in options]
    parsed = parse_value(" ".join(parts))
    assert parsed.kind == ("yes" if yes else "no")
    assert parsed.issue == ""


# Vietnamese values of every shape, for the invariance properties
shaped = st.one_of(
    counts.map(_vn),
    st.builds(lambda n, u: f"{_vn(n)} {u}", counts, st.sampled_from(UNITS)),
    st.builds(lambda a, b: f"{a}/{b}", st.integers(0, 10**5), st.integers(1, 10**5)),
    st.builds(lambda a, b: f"{a},{b:02d}%", st.integers(0, 200), st.integers(0, 99)),
    st.sampled_from([raw for raw, *_ in SEED_VALUES]),
    st.sampled_from(["☒ Có □ Không", "□ Có ☒ Không", "Có: ☒", "Quý I/2020", "ngày 5 tháng 3 năm 2020"]),
)


@given(shaped)
def test_nfd_parses_like_nfc(text: str) -> None:
    assert parse_value(_nfd(text)) == parse_value(unicodedata.normalize("NFC", text))


@given(st.text())
def test_nfd_parses_like_nfc_for_any_text(text: str) -> None:
    assert parse_value(_nfd(text)) == parse_value(unicodedata.normalize("NFC", text))


@given(shaped, SPACES, SPACES)
def test_surrounding_and_repeated_whitespace_does_not_matter(text: str, before: str, after: str) -> None:
    padded = before + text.replace(" ", "  ") + after
    assert parse_value(padded) == parse_value(text)


everything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), st.datetimes(), st.text(),
    st.text(alphabet="0123456789.,/%-−+ ☒☑□☐[]()xX:;…CóKhôngĐãquýQuýtháng năm\u200b\u0301"),
    st.text(alphabet="0123456789.,-−+eE %/"),
)


@given(everything)
def test_parse_value_never_raises(raw: object) -> None:
    parsed = parse_value(raw)
    assert parsed.kind in {"number", "percent", "fraction", "yes", "no", "text", "blank"}
    for number in (parsed.value, parsed.denominator):  # finite, below 10^16, never -0.0
        assert number is None or (abs(number) < 1e16 and not (number == 0 and math.copysign(1.0, number) < 0))


# --- odd numbers: NaN, infinities, scientific notation, thousands of digits, negative zero ----------


@pytest.mark.parametrize(
    "raw",
    ["1e309", "1E+20", "-1e400", "9" * 20, "9" * 5000, "1.000.000.000.000.000.000", "5/" + "9" * 400,
     "9" * 400 + " người", 10**400, 1e300, math.inf, -math.inf],
)  # fmt: skip
def test_numbers_too_large_to_be_figures_are_issues_not_values(raw: object) -> None:
    parsed = parse_value(raw)
    assert parsed.value is None and parsed.kind == "text"
    assert "quá lớn" in parsed.issue


@pytest.mark.parametrize("raw", ["NaN", "nan", "inf", "-inf", "Infinity", "-Infinity"])
def test_nan_and_infinity_words_are_text(raw: str) -> None:
    assert parse_value(raw) == Parsed(raw, None, "text", note=raw)


def test_native_nan_is_an_issue() -> None:
    parsed = parse_value(math.nan)
    assert (parsed.value, parsed.kind) == (None, "text") and "NaN" in parsed.issue


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1,5E+11", 1.5e11), ("2.5e3", 2500.0), ("1,23457E+11", 123457000000.0), ("3E-2", 0.03),
     ("4e2 chiếc", 400.0)],
)  # fmt: skip
def test_scientific_notation_as_excel_shows_big_numbers(raw: str, value: float) -> None:
    assert parse_value(raw).value == pytest.approx(value)


@pytest.mark.parametrize("raw", ["-0", "−0", "-0,0", "+0", "-0 người", "-0%", "-0/5", -0.0, "0"])
def test_negative_zero_is_zero(raw: object) -> None:
    parsed = parse_value(raw)
    assert parsed.value == 0 and math.copysign(1.0, parsed.value) == 1.0
    assert parsed.issue == ""


def test_huge_values_are_issues_and_parse_number_refuses_them() -> None:
    for raw in ("9" * 5000, "9" * 5000 + "/3", "-" + "9" * 5000 + " người"):
        parsed = parse_value(raw)
        assert parsed.value is None and "quá lớn" in parsed.issue, raw[:12]
    assert parse_value("1," + "9" * 5000).value == 2.0  # 5,000 decimals: a number close to 2, not huge
    assert parse_number("9" * 5000) is None and parse_number("9" * 17) is None
    assert parse_number("1.234.567") == 1234567 and parse_number("-0") == 0.0


@given(st.text())
def test_parse_period_never_raises(text: str) -> None:
    period = parse_period(text)
    assert period is None or period.quarter in {None, 1, 2, 3, 4}


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_possible_dates_are_never_flagged(day: date) -> None:
    for printed in (f"{day.day}/{day.month}/{day.year}", day.strftime("%d/%m/%Y"),
                    f"ngày {day.day} tháng {day.month} năm {day.year}", day.isoformat()):
        assert parse_value(printed).issue == ""


@given(st.integers(min_value=1900, max_value=2099), st.integers(min_value=1, max_value=4))
def test_quarters_round_trip(year: int, quarter: int) -> None:
    roman = ["I", "II", "III", "IV"][quarter - 1]
    for printed in (f"Quý {roman}/{year}", f"quý {roman} năm {year}", f"Quý {quarter}/{year}"):
        assert parse_period(printed) == Period(year, quarter=quarter)


@given(st.from_regex(r"\d{1,16}(?:[,/]\d{0,16})?%?", fullmatch=True))
def test_figures_read_on_the_fast_path_are_read_as_the_full_reading_reads_them(text: str) -> None:
    """"79,21", "35,5%", "490/527" (new in every file of a round) skip the tests for boxes, dates,
    periods and answer words: the same `Parsed` as the full reading, whatever the digits."""
    from egovcli.values.parse import _parse_text, _read

    assert _parse_text.__wrapped__(text) == _read(text)


def test_fast_path_figures_keep_their_meaning() -> None:
    assert parse_value("79,21") == Parsed("79,21", 79.21, "number")
    assert parse_value("35,5%") == Parsed("35,5%", 35.5, "percent", unit="%")
    assert parse_value("5/0") == Parsed("5/0", 5.0, "fraction", denominator=0.0)


@pytest.mark.parametrize(("text", "marks"), [
    ("UBND xã Hợp Hà", []), ("Max: 5", []), ("_x_ 1x2 ax xa", []), ("x", []), ("X Chữ ký số", ["X"]),
    ("Có: X Không: □", ["X", "□"]), ("■ Có □ Không", ["■", "□"]), ("[x] Có [ ] Không", ["[x]", "[ ]"]),
    ("Có x", ["x"]), ("Có:x", ["x"]),
])
def test_a_bare_x_is_a_mark_only_outside_words(text: str, marks: list[str]) -> None:
    from egovcli.values.ticks import tick_marks

    assert [mark.text for mark in tick_marks(text)] == marks
