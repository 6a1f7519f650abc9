"""The unit written after a number ("04 chiếc", "100 Mbps/người") and the counts that cannot be
negative ("-3 người")."""

from __future__ import annotations

from egovcli.textnorm import fold, lazy_pattern, vi_number

_UNIT = lazy_pattern(r"^\s*([^\W\d_]+(?:\.[^\W\d_]+)?(?:\s[^\W\d_]+)?)")
_PER_UNIT = lazy_pattern(r"^\s*/\s*([^\W\d_]+(?:\s[^\W\d_]+)?)")
# Units that count people or things: a negative amount of them cannot be.
_COUNT_UNITS = frozenset({
    "chiec", "nguoi", "bo", "may", "cai", "ho so", "hs", "van ban", "tin", "bai", "don vi", "phong",
    "thu tuc", "dich vu", "phan mem", "luot", "lop", "co quan", "he thong", "may tinh", "thiet bi",
    "lan", "cuoc hop", "cuoc", "y kien",
})
# Amounts of money, points, bandwidth and sizes.
_MEASURE_UNITS = frozenset({
    "trieu dong", "trieu", "ty dong", "nghin dong", "dong", "tr.d", "diem",
    "mbps", "gbps", "kbps", "mb", "gb", "tb", "inch",
})
UNITS = _COUNT_UNITS | _MEASURE_UNITS


def take_unit(rest: str) -> tuple[str, str]:
    match = _UNIT.match(rest)
    if match:
        for candidate in (match.group(1), match.group(1).split(" ")[0]):
            if fold(candidate) in UNITS:
                rest = rest[rest.index(candidate) + len(candidate) :]
                per = _PER_UNIT.match(rest)  # "Mbps/người"
                if per:
                    for other in (per.group(1), per.group(1).split(" ")[0]):
                        if fold(other) in UNITS:
                            end = rest.index(other) + len(other)
                            return f"{candidate}/{other}", rest[end:]
                return candidate, rest
    return "", rest


def negative_count(value: float | None, unit: str) -> str:
    """The issue of a negative amount of people or things ("-3 người", or -3 in a row whose unit
    column says "người"); "" when the value can be negative or the unit does not count things."""
    if value is None or value >= 0 or fold(unit.split("/")[0]).strip() not in _COUNT_UNITS:
        return ""
    return f"số lượng âm ({vi_number(value, 6)} {unit.strip()})"  # -0,001 too: never "0" or "-0"
