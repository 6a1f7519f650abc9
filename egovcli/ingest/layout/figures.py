"""The figures of a published ranking table as printed: a rank with its value in one cell
("17 (0,633)"), and the decimal mark a table writes its numbers with, decided per table (a decimal
comma, Vietnamese and the default; or a point, "0.8002" as on the DTI portal)."""

from __future__ import annotations

from collections.abc import Sequence

from egovcli.textnorm import lazy_pattern
from egovcli.values import parse_number, parse_value

RANK_AND_VALUE = lazy_pattern(r"^(\d{1,3})\s*\(\s*(-?\d[\d.,]*)\s*\)$")  # "17 (0,633)": rank, value
# a number showing its decimal mark: a point ("0.8002", "12.5": not 3 digits after it) or a comma
# ("0,8002", "3.367,5"); one match per cell tells which (a text shows at most one of them)
_DECIMAL = lazy_pattern(
    r"^-?(?:(?P<point>0\.\d+|\d+\.(?:\d{1,2}|\d{4,}))|(?P<comma>(?:\d{1,3}(?:\.\d{3})*|\d+),\d+))$"
)
_POINT_NUMBER = lazy_pattern(r"-?[\d,]*\.?\d+")


def is_figure(text: str) -> bool:
    """A number, or a rank with its value."""
    return parse_number(text) is not None or bool(RANK_AND_VALUE.match(text.strip()))


def ranks_and_values(texts: Sequence[str]) -> bool:
    """True when most of a column's filled cells print a rank and its value."""
    filled = [t for t in texts if t]
    return bool(filled) and sum(bool(RANK_AND_VALUE.match(t)) for t in filled) * 2 > len(filled)


def decimal_comma(texts: Sequence[str]) -> bool:
    """Whether a table writes decimals with a comma rather than a point: a table is read one way,
    so that its "3.367" is 3367 when its other numbers show a decimal comma, and 3.367 when they
    show a decimal point."""
    points = False
    for text in texts:
        number = m.group(2) if (m := RANK_AND_VALUE.match(text)) else text.strip()
        if decimal := _DECIMAL.match(number):
            if decimal.lastgroup == "comma":  # one comma decides it
                return True
            points = True
    return not points


def number(text: str, comma: bool) -> float | None:
    """`text` read as a number of a table with a decimal comma (`comma`) or point."""
    if comma or not _POINT_NUMBER.fullmatch(text):
        return parse_value(text).value
    return float(text.replace(",", ""))
