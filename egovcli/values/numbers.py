"""Numbers as Vietnamese agencies print them: "3.367" is 3367, "94,0" is 94.0, "1,5E+11", "-2"
(the grammar `NUM` every other reading of a value builds on; see `egovcli.values`)."""

from __future__ import annotations

import math

from egovcli.textnorm import lazy_pattern, nfc

# A number as printed, longest reading first: dot/space thousands groups with optional comma decimals
# ("3.367", "1.234,5"), unambiguous English grouping ("1,234,567", "1,234.5"), comma decimals ("94,0"),
# a dot decimal where grouping is impossible ("2.5", "0.849"), digits.
NUM = (
    r"[-+\u2212]?(?:[1-9]\d{0,2}(?:[.\s]\d{3})+(?:,\d+)?(?![.,]?\d)"
    r"|[1-9]\d{0,2}(?:,\d{3}){2,}(?:\.\d+)?(?![.,]?\d)"
    r"|[1-9]\d{0,2}(?:,\d{3})+\.\d+"
    r"|\d+,\d+|\d+\.\d+|\d+)"
)
_NUM_FULL = lazy_pattern(NUM)
_MANTISSA = lazy_pattern(r"[-+\u2212]?\d+(?:[.,]\d+)?")
# No figure in a report reaches 10^16 (the national budget in đồng is ~2·10^15); beyond 2^53 a float
# no longer holds every integer, and keeping such values finite and small keeps scoring arithmetic finite.
_LARGEST = 1e16
TOO_LARGE = "số quá lớn, không thể là số liệu báo cáo (từ 10^16 trở lên)"
_DOT_GROUPS = lazy_pattern(r"[-+]?[1-9]\d{0,2}(?:\.\d{3})+")
_ENGLISH = lazy_pattern(r"[-+]?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|[-+]?\d{1,3}(?:,\d{3})+\.\d+")
_SIGNS = "-+\u2212"


def parse_number(text: str) -> float | None:
    """Read one number written the Vietnamese way; None if `text` is not exactly a number (or is
    too large to be a figure)."""
    text = nfc(text)
    if not _NUM_FULL.fullmatch(text):
        return None
    number = to_float(text)
    return number if number is not None and abs(number) < _LARGEST else None


def to_float(token: str) -> float | None:
    token = token.replace(" ", "").replace("\u2212", "-")
    if _ENGLISH.fullmatch(token):  # "1,234,567", "1,234.5"
        token = token.replace(",", "")
    elif "," in token:  # comma decimals; dots (if any) group thousands
        token = token.replace(".", "").replace(",", ".")
    elif _DOT_GROUPS.fullmatch(token):
        token = token.replace(".", "")
    try:
        number = float(token)
    except ValueError:
        return None
    return number + 0.0  # -0.0 is 0.0; may be inf (a 5,000-digit string): callers check the size


def scientific(mantissa: str, exponent: str) -> float | None:
    """ "1,5" × 10^"+11" as written ("1,5E+11"); None when the mantissa is not a plain decimal."""
    if not _MANTISSA.fullmatch(mantissa):
        return None
    text = mantissa.replace("\u2212", "-").replace(",", ".") + "e" + exponent.replace("\u2212", "-")
    return float(text) + 0.0  # float() never raises on a long exponent: it overflows to inf / 0.0


def too_large(number: float) -> bool:
    return not abs(number) < _LARGEST  # NaN too


def finite(value: object) -> object:
    """A number as egov stores and writes it: NaN and ±inf are no number (None), -0.0 is 0.0;
    anything else unchanged."""
    if isinstance(value, float):
        return value + 0.0 if math.isfinite(value) else None
    return value


def format_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def printed_decimals(token: str) -> int:
    """Digits after the decimal mark of a number as printed ("96,30" → 2, "98" → 0)."""
    if _ENGLISH.fullmatch(token.strip()):
        return len(token.partition(".")[2])
    if "," in token:
        return len(token.rpartition(",")[2])
    if "." in token and not _DOT_GROUPS.fullmatch(token.strip()):
        return len(token.rpartition(".")[2])
    return 0


def trim(text: str, chars: str) -> str:
    """`text` without `chars` at either end, except a sign written right before a number: a value
    "-2" keeps its minus while a bullet "- 2" or a dash "…-" goes."""
    body = text.rstrip(chars)
    rest = body.lstrip(chars)
    cut = len(body) - len(rest)
    if cut and rest[:1].isdigit() and body[cut - 1] in _SIGNS:
        return body[cut - 1 :]
    return rest
