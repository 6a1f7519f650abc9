"""A printed percentage checked against the fraction next to it: "435/463 (98%)" and "93,95%
(435/463)" are an issue unless the share is the rounding or truncation of the fraction."""

from __future__ import annotations

from egovcli.textnorm import fold, lazy_pattern, vi_number
from egovcli.values.numbers import NUM, printed_decimals, to_float

# --- printed percentage after a fraction, on folded text: "(96,30%)", "đạt 84,96%", "= 94%" --------
_PRINTED_PERCENT = lazy_pattern(
    rf"^[\s(\[,;:=\-]*(?:(?:dat|bang|ty le|ti le|chiem|la|tuong ung)\b[\s:=]*)*({NUM})\s*%"
)
_PRINTED_FRACTION = lazy_pattern(rf"^[\s(\[,;:=\-]*({NUM})\s*/\s*({NUM})")


def _contradicts(printed: float, decimals: int, num: float, den: float) -> bool:
    """True when `printed`% is neither the rounding nor the truncation of num/den."""
    if den <= 0:
        return False
    actual = num / den * 100
    return abs(printed - actual) > 10.0**-decimals + 1e-9


def _percent_message(printed: str, num: float, den: float, decimals: int) -> str:
    actual = num / den * 100
    share = vi_number(actual, max(decimals, 2))
    return f"tỷ lệ ghi {printed}% không khớp {vi_number(num)}/{vi_number(den)} = {share}%"


def fraction_percent_issue(num: float, den: float, rest: str) -> str:
    """ "435/463 (98%)": the printed share must be 435/463 to the printed precision."""
    if "%" not in rest:
        return ""
    match = _PRINTED_PERCENT.match(fold(rest))
    if not match:
        return ""
    printed = to_float(match.group(1))
    decimals = printed_decimals(match.group(1))
    if printed is None or not _contradicts(printed, decimals, num, den):
        return ""
    return _percent_message(match.group(1), num, den, decimals)


def percent_fraction_issue(value: float, token: str, rest: str) -> str:
    """ "93,95% (435/463)": the same check, the other way round."""
    if "/" not in rest:
        return ""
    match = _PRINTED_FRACTION.match(rest)
    if not match:
        return ""
    num, den = to_float(match.group(1)), to_float(match.group(2))
    decimals = printed_decimals(token)
    if num is None or den is None or not _contradicts(value, decimals, num, den):
        return ""
    return _percent_message(token.strip(), num, den, decimals)
