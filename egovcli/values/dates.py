"""Dates written in a value ("05/02/2021", "2021-02-05", "ngày 5 tháng 3 năm 2020"): one that does not
exist is an issue."""

from __future__ import annotations

import re
from datetime import date

from egovcli.textnorm import lazy_pattern

_DMY = lazy_pattern(r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
_ISO = lazy_pattern(r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_VN_DATE = lazy_pattern(
    r"\bng[aà]y\s+(\d{1,2})\s*,?\s*th[aá]ng\s+(\d{1,2})\s*,?\s*n[aă]m\s+(\d{4})\b", re.IGNORECASE
)
DATE_START = re.compile(r"^\s*(?:\d{1,2}\s*([/.\-])\s*\d{1,2}\s*\1\s*\d{4}|\d{4}-\d{1,2}-\d{1,2})(?!\d)")
DATE_HINT = re.compile(r"\d\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{4}-\d|th[aá]ng", re.IGNORECASE)


def valid_date(day: int, month: int, year: int) -> date | None:
    """The date, when it exists and its year is one a report can bear (1900–2099)."""
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def whole_date(text: str) -> date | None:
    """The date `text` is, written dd/mm/yyyy (also d/m/yyyy, with '.' or '-') or yyyy-mm-dd, when it
    exists; None for anything else."""
    text = text.strip()
    if found := _DMY.fullmatch(text):
        return valid_date(int(found.group(1)), int(found.group(3)), int(found.group(4)))
    if found := _ISO.fullmatch(text):
        return valid_date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
    return None


def _candidates(text: str) -> list[tuple[int, int, int, int]]:
    """(position, day, month, year) of every date written in `text`, in reading order."""
    found = [(m.start(), int(m.group(1)), int(m.group(3)), int(m.group(4))) for m in _DMY.finditer(text)]
    found += [(m.start(), int(m.group(3)), int(m.group(2)), int(m.group(1))) for m in _ISO.finditer(text)]
    found += [(m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))) for m in _VN_DATE.finditer(text)]
    return sorted(found)


def date_issue(text: str) -> str:
    for _, day, month, year in _candidates(text):
        if 1900 <= year <= 2099 and valid_date(day, month, year) is None:
            return f"ngày {day:02d}/{month:02d}/{year} không tồn tại"
    return ""
