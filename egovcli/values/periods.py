"""Reporting periods: "Quý I/2020", "6 tháng đầu năm 2020", "9 tháng đầu năm 2020", "năm 2022"."""

from __future__ import annotations

import re
from typing import NamedTuple

from egovcli.textnorm import fold

_QUARTER = re.compile(  # "quý I/2020", "quý I năm 2020", "quý 1 - 2020", "Q1/2020"
    r"\b(?:quy\s+([ivxlc]+|\d{1,2})|q(\d{1,2}))\b\s*(?:[/\-,]|\bnam\b)?\s*(?:nam\s+)?((?:19|20)\d{2})\b"
)
_MONTHS = re.compile(r"\b(\d{1,2})\s+thang\s*(dau|cuoi)?\s*(?:nam\s*)?(?:[/\-]\s*)?((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\bnam\s+((?:19|20)\d{2})\b")
_DATE_BEFORE_YEAR = re.compile(r"thang\s+\d{1,2}\s*,?\s*$")
_BARE_YEAR = re.compile(r"\s*((?:19|20)\d{2})\s*")
PERIOD_START = re.compile(  # a cell that is a period: "Quý I/2020", "6 tháng đầu năm 2020", "năm 2022"
    r"^(?:qu[yý]\s+[ivxlc\d]+\b|\d{1,2}\s+th[aá]ng\s+(?:[dđ][aầ]u|cu[oố]i)?\s*n[aă]m\s+\d{4}|n[aă]m\s+\d{4}$)",
    re.IGNORECASE,
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class Period(NamedTuple):
    """A reporting period: a year, optionally one quarter (1–4), one half (1–2) or its first
    `months` months ("9 tháng đầu năm"). `issue` says what is impossible in it ("Quý V")."""

    year: int
    quarter: int | None = None
    half: int | None = None
    months: int | None = None
    issue: str = ""

    @property
    def label(self) -> str:
        """A sortable key: "2020", "2020-Q1", "2020-H1", "2020-9M"."""
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        if self.half:
            return f"{self.year}-H{self.half}"
        if self.months:
            return f"{self.year}-{self.months}M"
        return str(self.year)


def parse_period(text: str) -> Period | None:
    """The reporting period named in `text`: "Quý I/2020", "quý I năm 2020", "6 tháng đầu năm
    2020" (half 1), "9 tháng đầu năm 2020" (months 9), "năm 2022", "2022". None when no year is
    named; an impossible quarter or month count keeps the year and sets `issue`."""
    try:
        folded = fold(str(text))
    except (TypeError, ValueError):
        return None
    quarter = _QUARTER.search(folded)
    if quarter:
        return _quarter(quarter.group(1) or quarter.group(2), int(quarter.group(3)))
    months = _MONTHS.search(folded)
    if months:
        return _months(int(months.group(1)), months.group(2) or "", int(months.group(3)))
    for year in _YEAR.finditer(folded):
        if not _DATE_BEFORE_YEAR.search(folded[: year.start()]):  # "ngày 5 tháng 3 năm 2020" is a date
            return Period(int(year.group(1)))
    bare = _BARE_YEAR.fullmatch(folded)
    return Period(int(bare.group(1))) if bare else None


def _quarter(written: str, year: int) -> Period:
    number = int(written) if written.isdigit() else _ROMAN.get(written)
    if number is None or not 1 <= number <= 4:
        shown = written.upper()
        return Period(year, issue=f"quý {shown} không tồn tại (chỉ có quý I–IV)")
    return Period(year, quarter=number)


def _months(count: int, end: str, year: int) -> Period:
    if not 1 <= count <= 12:
        return Period(year, issue=f"{count} tháng: một năm chỉ có 12 tháng")
    last = end == "cuoi"
    if count == 3:
        return Period(year, quarter=4 if last else 1)
    if count == 6:
        return Period(year, half=2 if last else 1)
    if count == 12 or last:
        return Period(year)
    return Period(year, months=count)
