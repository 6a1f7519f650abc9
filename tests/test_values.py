"""Vietnamese value parsing, against values as printed in the seeds."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovcli.values import parse_number, parse_value


@pytest.mark.parametrize(
    ("raw", "value", "kind", "unit"),
    [
        ("3.367", 3367, "number", ""),  # dot groups thousands
        ("1.234.567", 1234567, "number", ""),
        ("94,0", 94.0, "number", ""),  # comma is the decimal mark
        ("88,95", 88.95, "number", ""),
        ("84,96%", 84.96, "percent", "%"),
        ("04 chiếc", 4, "number", "chiếc"),  # seed 004: "- Máy chủ: 04 chiếc"
        ("50 người", 50, "number", "người"),
        ("02", 2, "number", ""),
        ("500 điểm", 500, "number", "điểm"),
        ("10 triệu đồng", 10, "number", "triệu đồng"),
        ("2.5", 2.5, "number", ""),  # not a thousands group: a plain decimal
    ],
)
def test_numbers(raw: str, value: float, kind: str, unit: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind, parsed.unit) == (value, kind, unit)


def test_fraction_keeps_numerator_denominator_and_ratio() -> None:
    parsed = parse_value("435/463")
    assert (parsed.value, parsed.denominator, parsed.kind) == (435, 463, "fraction")
    assert parsed.ratio == pytest.approx(435 / 463)


def test_fraction_with_printed_percentage_keeps_note() -> None:
    parsed = parse_value("26/27 (96,30%)")  # seed 004, DVC on the national portal
    assert (parsed.value, parsed.denominator) == (26, 27)
    assert "96,30%" in parsed.note


def test_fraction_with_thousands() -> None:
    parsed = parse_value("1.798/9.251")
    assert (parsed.value, parsed.denominator) == (1798, 9251)


@pytest.mark.parametrize(
    ("raw", "kind", "note"),
    [
        ("Có", "yes", ""),
        ("Có (Quyết định số 109/QĐ-SXD ngày 19/11/2018.)", "yes", "Quyết định số 109/QĐ-SXD ngày 19/11/2018"),
        ("Không", "no", ""),
        ("Chưa có", "no", ""),
        ("Đang xây dựng", "no", ""),
        ("Đang triển khai", "no", ""),
    ],
)
def test_yes_no_keeps_evidence(raw: str, kind: str, note: str) -> None:
    parsed = parse_value(raw)
    assert parsed.kind == kind
    assert parsed.value == (1.0 if kind == "yes" else 0.0)
    assert parsed.note == note


def test_words_starting_like_yes_are_not_yes() -> None:
    assert parse_value("Công khai").kind == "text"


def test_number_with_remark_keeps_note() -> None:
    parsed = parse_value("792 (còn 117 HS đang giải quyết)")
    assert parsed.value == 792
    assert "117 HS" in parsed.note


@pytest.mark.parametrize("raw", [None, "", "   ", "-", "…"])
def test_blanks_are_missing(raw: object) -> None:
    parsed = parse_value(raw)
    assert parsed.value is None
    assert parsed.kind == "blank"


def test_native_cell_values() -> None:
    assert parse_value(10).value == 10
    assert parse_value(2.5).value == 2.5
    assert parse_value(True).kind == "yes"
    assert parse_value(float("nan")).value is None
    assert parse_value(float("inf")).value is None


def test_text_is_kept_not_numbered() -> None:
    parsed = parse_value("Sở Tài chính tỉnh Hà Nam")
    assert parsed.value is None
    assert parsed.kind == "text"


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_grouping_round_trips(n: int) -> None:
    printed = f"{n:,}".replace(",", ".")
    assert parse_number(printed) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_comma_decimals_round_trip(whole: int, cents: int) -> None:
    printed = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    parsed = parse_number(printed)
    assert parsed is not None
    assert math.isclose(parsed, whole + cents / 100)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_fractions_round_trip(num: int, den: int) -> None:
    parsed = parse_value(f"{num}/{den}")
    assert (parsed.value, parsed.denominator) == (num, den)
