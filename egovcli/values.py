"""Parse values as Vietnamese agencies write them.

"3.367" is 3367 (dot groups thousands), "94,0" is 94.0 (comma is the decimal mark),
"435/463" is a fraction (the value is the numerator, the denominator is kept), "84,96%"
is a percentage, "04 chiếc" is 4 with unit "chiếc", "Có (Quyết định số …)" is yes with the
evidence kept as a note, "Không" is no.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from egovcli.textnorm import fold, nfc

# A number as printed, longest reading first: dot/space thousands groups with optional comma decimals
# ("3.367", "1.234,5"), comma decimals ("94,0"), a dot decimal where grouping is impossible ("2.5").
_NUM = r"[-+]?(?:\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d+|\d+)"
_FRACTION = re.compile(rf"^\s*({_NUM})\s*/\s*({_NUM})")
_NUMBER = re.compile(rf"^\s*({_NUM})")
_PERCENT_AFTER = re.compile(r"^\s*%")
_UNIT = re.compile(r"^\s*([^\W\d_][^\W\d_ ]*(?:\s[^\W\d_][^\W\d_ ]*)?)", re.UNICODE)
_YES = ("co", "da co", "yes", "x")
_NO = ("khong", "chua co", "chua", "no", "dang xay dung", "dang trien khai")
_UNITS = {
    "chiec",
    "nguoi",
    "bo",
    "may",
    "cai",
    "ho so",
    "van ban",
    "tin",
    "bai",
    "don vi",
    "phong",
    "thu tuc",
    "dich vu",
    "phan mem",
    "trieu dong",
    "dong",
    "diem",
    "luot",
    "lop",
}


@dataclass(frozen=True, slots=True)
class Parsed:
    """A raw cell or line value, parsed. `value` is None when nothing numeric could be read."""

    raw: str
    value: float | None
    kind: str  # number | percent | fraction | yes | no | text | blank
    unit: str = ""
    denominator: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """numerator/denominator for fractions, value/100 for percentages, else None."""
        if self.kind == "fraction" and self.value is not None and self.denominator:
            return self.value / self.denominator
        if self.kind == "percent" and self.value is not None:
            return self.value / 100
        return None


def parse_number(text: str) -> float | None:
    """Read one number written the Vietnamese way; None if `text` is not a number."""
    text = nfc(text)
    match = re.fullmatch(_NUM, text)
    if not match:
        return None
    return _to_float(text)


def _to_float(token: str) -> float | None:
    token = token.replace(" ", "")
    if "," in token:  # comma decimals; dots (if any) group thousands
        token = token.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[-+]?\d{1,3}(?:\.\d{3})+", token):
        token = token.replace(".", "")
    try:
        number = float(token)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_value(raw: object) -> Parsed:
    """Parse a raw cell value (str, int, float, bool or None) into a `Parsed`."""
    if raw is None:
        return Parsed("", None, "blank")
    if isinstance(raw, bool):
        return Parsed(str(raw), 1.0 if raw else 0.0, "yes" if raw else "no")
    if isinstance(raw, int | float):
        number = float(raw)
        if not math.isfinite(number):
            return Parsed(str(raw), None, "text")
        return Parsed(_format_number(number), number, "number")
    text = nfc(str(raw))
    if not text or text in {"-", "…", "..."}:
        return Parsed(text, None, "blank")

    folded = fold(text)
    for words, kind in ((_NO, "no"), (_YES, "yes")):
        for word in words:
            if folded == word or (folded.startswith(word) and not folded[len(word)].isalnum()):
                note = text[len(word) :].strip(" :;,.-()")
                return Parsed(text, 1.0 if kind == "yes" else 0.0, kind, note=note)

    fraction = _FRACTION.match(text)
    if fraction:
        num, den = _to_float(fraction.group(1)), _to_float(fraction.group(2))
        if num is not None and den is not None:
            rest = text[fraction.end() :]
            unit, rest = _take_unit(rest)
            return Parsed(text, num, "fraction", unit=unit, denominator=den, note=rest.strip(" ,;:-"))

    leading = _NUMBER.match(text)
    if leading:
        value = _to_float(leading.group(1))
        if value is not None:
            rest = text[leading.end() :]
            if _PERCENT_AFTER.match(rest):
                return Parsed(text, value, "percent", unit="%", note=rest.strip()[1:].strip(" ,;:-"))
            unit, rest = _take_unit(rest)
            return Parsed(text, value, "number", unit=unit, note=rest.strip(" ,;:-"))
    return Parsed(text, None, "text", note=text)


def _take_unit(rest: str) -> tuple[str, str]:
    match = _UNIT.match(rest)
    if match:
        for candidate in (match.group(1), match.group(1).split(" ")[0]):
            if fold(candidate) in _UNITS:
                return candidate, rest[rest.index(candidate) + len(candidate) :]
    return "", rest


def _format_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)
