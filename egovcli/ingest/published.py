"""Published ranking tables: one row per agency, one column per criterion (kind published_score).

A decision that announces a ranking prints tables such as

    2.1. HẠ TẦNG KỸ THUẬT CÔNG NGHỆ THÔNG TIN
    TT  | Đơn vị       | Điểm ──────────────────────────── | Tổng điểm | [Xếp hạng]
        |              | <criterion> | <criterion> | …     |           |
    (1) | (2)          | (3)         | (4)         | …     | (7)       |
    1   | Sở Tài chính | 5           | 4           | …     | 17        |

Every filled score cell becomes one observation about the row's agency. Its indicator is
"<table number>.<column number>" ("2.1.3"; the column number as printed in the "(1) (2) …" row,
else the column's position), "<table number>.TOTAL" / ".RANK" for the total and rank columns, and
plain "TOTAL" / "RANK" in an overall table ("1. Xếp hạng chung", or a table without a number).
The table number comes from the heading just above the header (a row of the grid, else `title`).
Values are kept as printed, errors included: checking them is `egov verify`'s job.

One grid may hold several tables (a sheet with the tables one under the other, or pdf tables
joined in reading order): a header row starts a new table, unless it repeats the current table's
header with no heading in between (a table continued on the next page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from egovcli.ingest.cells import Cell, Grid  # not from layout: layout's tables module imports this one
from egovcli.model import Observation
from egovcli.textnorm import fold, key, nfc
from egovcli.values import parse_number, parse_value

_AGENCY_HEADERS = frozenset(
    {
        "don vi",
        "ten don vi",
        "co quan",
        "ten co quan",
        "co quan don vi",
        "ten co quan don vi",
        "don vi dia phuong",
        "ten don vi dia phuong",
    }
)
_TT_HEADERS = frozenset({"tt", "stt", "so tt", "thu tu"})
_SCORE_WORDS = re.compile(r"\b(?:diem|xep hang|hang)\b")
_RANK = re.compile(r"^(?:xep hang|thu hang|hang|thu tu xep hang)\b")
_TOTAL = re.compile(r"^t[o]?ng(?: cong| so)?(?: diem\b.*)?$")  # also the misprint "Tng điểm"
_MAXIMA_ROW = re.compile(r"^(?:diem toi da|toi da|thang diem|diem chuan)\b")
_SUMMARY_ROW = re.compile(r"^(?:tong|tong cong|cong|trung binh|binh quan)$")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
_MAX_IN_LABEL = re.compile(r"(?:tối đa|max)\s*:?\s*(\d+(?:[.,]\d+)?)|\((\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\)")
_TABLE_NUMBER = re.compile(r"^(?:(?:bảng|biểu)\s+)?(\d+(?:\.\d+)*)(?:[.:)]|\s|$)", re.IGNORECASE)
_OVERALL = re.compile(r"\b(?:chung|tong hop|tong the)\b")
_HEADER_ROWS = 6  # rows a header (with its sub-headers and column numbers) may take
_MIN_AGENCIES = 3


@dataclass(slots=True)
class _Header:
    """A ranking table's header block: where it ends and what each column is."""

    end: int  # index of the first row after the block
    signature: tuple[tuple[str, ...], ...]  # the block's texts, to recognise a repeated header
    agency: int
    tt: int | None
    labels: dict[int, str]  # column → lowest header text (the criterion's name)
    numbers: dict[int, str]  # column → number printed in the "(1) (2) …" row
    scored: bool  # the header speaks of points or ranks


@dataclass(slots=True)
class _Table:
    title: str
    header: _Header
    rows: list[Sequence[Cell]] = field(default_factory=list)
    maxima: dict[int, float] = field(default_factory=dict)


def ranking_table_observations(rows: Grid, title: str = "") -> list[Observation] | None:
    """Observations of the published ranking tables in `rows`, or None when there is none.

    `title` is the heading printed above the grid, used when no heading row precedes the first
    table inside the grid.
    """
    tables = [table for table in _tables(rows, title) if _is_ranking(table)]
    if not tables:
        return None
    return [obs for table in tables for obs in _observations(table)]


def is_ranking_table(rows: Grid) -> bool:
    """True when `rows` hold the start of a published ranking table: a header with an agency
    column that speaks of points or ranks, however few rows follow it (e.g. on this pdf page)."""
    return any(_scored(table) for table in _tables(rows, ""))


# --- splitting a grid into tables -----------------------------------------------------------------
def _texts(row: Sequence[Cell]) -> list[str]:
    return [nfc(cell.text) for cell in row]


def _tables(rows: Grid, title: str) -> list[_Table]:
    """The tables with an agency column in a grid, each with its heading, header and data rows."""
    tables: list[_Table] = []
    current: _Table | None = None
    heading: str | None = nfc(title) or None  # the latest heading not yet given to a table
    index = 0
    while index < len(rows):
        texts = _texts(rows[index])
        filled = [text for text in texts if text]
        if not filled:
            index += 1
            continue
        header = _header_at(rows, index)
        if header is not None:
            repeated = (
                current is not None and heading is None and header.signature == current.header.signature
            )
            if not repeated:
                current = _Table(heading or "", header)
                tables.append(current)
                heading = None
            index = header.end
            continue
        if current is not None and _body_row(current, rows[index], texts):
            index += 1
            continue
        if len(filled) == 1 and any(ch.isalpha() for ch in filled[0]):
            heading = filled[0]
        index += 1
    return tables


def _header_at(rows: Grid, index: int) -> _Header | None:
    """The header block starting at `rows[index]` (a row with an agency-name column), or None."""
    top = _texts(rows[index])
    agency = next((c for c, text in enumerate(top) if key(text) in _AGENCY_HEADERS), None)
    if agency is None:
        return None
    block: list[list[str]] = []
    numbers: dict[int, str] = {}
    end = index
    while end < len(rows) and end - index < _HEADER_ROWS:
        texts = _texts(rows[end])
        if end > index and _is_data(texts, agency):
            break
        end += 1
        if _is_column_numbers(texts):
            numbers = {
                c: match.group(1) for c, text in enumerate(texts) if (match := _COLUMN_NUMBER.match(text))
            }
            break
        block.append(texts)
    labels: dict[int, str] = {}
    for texts in block:
        for column, text in enumerate(texts):
            if text:
                labels[column] = text
    tt = next((c for c, text in enumerate(top[:agency]) if key(text) in _TT_HEADERS), None)
    scored = any(_SCORE_WORDS.search(key(text)) for texts in block for text in texts if text)
    signature = tuple(tuple(texts) for texts in block)
    return _Header(end, signature, agency, tt, labels, numbers, scored)


def _is_column_numbers(texts: list[str]) -> bool:
    """The "(1) (2) (3) …" row printed under many headers."""
    filled = [text for text in texts if text]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(text) for text in filled)


def _is_data(texts: list[str], agency: int) -> bool:
    """A row naming something in the agency column with a number to its right."""
    name = texts[agency] if agency < len(texts) else ""
    return (
        bool(name)
        and not _is_column_numbers(texts)
        and any(parse_number(text) is not None for text in texts[agency + 1 :] if text)
    )


def _body_row(table: _Table, row: Sequence[Cell], texts: list[str]) -> bool:
    """Take `row` into `table` when it is one of its rows (a "Điểm tối đa" row gives the columns'
    maxima, a "Tổng cộng" / "Trung bình" row is no agency); False when it is something else."""
    agency = table.header.agency
    if not _is_data(texts, agency):
        return False
    name = texts[agency]
    if _MAXIMA_ROW.match(key(name)):
        table.maxima = {
            c: v for c, text in enumerate(texts) if c > agency and (v := parse_number(text)) is not None
        }
    elif not _SUMMARY_ROW.match(key(name)):
        table.rows.append(row)
    return True


def _scored(table: _Table) -> bool:
    return table.header.scored or bool(_SCORE_WORDS.search(key(table.title)))


def _is_ranking(table: _Table) -> bool:
    """Rows naming several agencies under a header (or heading) that speaks of points or ranks."""
    names = {nfc(row[table.header.agency].text) for row in table.rows}
    return len(names) >= _MIN_AGENCIES and _scored(table)


# --- observations -----------------------------------------------------------------------------
def _observations(table: _Table) -> list[Observation]:
    header = table.header
    number = match.group(1) if (match := _TABLE_NUMBER.match(table.title)) else ""
    overall = not number or bool(_OVERALL.search(fold(table.title)))
    first = min(c for c in (header.tt, header.agency) if c is not None)
    width = max(len(row) for row in table.rows)
    columns = [c for c in range(header.agency + 1, width) if any(_text(row, c) for row in table.rows)]
    ids = {c: _indicator(header, c, first, number, overall) for c in columns}
    observations: list[Observation] = []
    for row in table.rows:
        agency = nfc(row[header.agency].text)
        ref = _text(row, header.tt) if header.tt is not None else ""
        for column in columns:
            raw = _text(row, column)
            if not raw:
                continue
            label = header.labels.get(column, "")
            parsed = parse_value(raw)
            observations.append(
                Observation(
                    label,
                    raw,
                    parsed.value,
                    kind="published_score",
                    indicator=ids[column],
                    ref=ref,
                    max_points=table.maxima.get(column, _max_in(label)),
                    note=table.title,
                    location=row[column].location,
                    agency=agency,
                )
            )
    return observations


def _text(row: Sequence[Cell], column: int) -> str:
    return nfc(row[column].text) if column < len(row) else ""


def _indicator(header: _Header, column: int, first: int, number: str, overall: bool) -> str:
    label = key(header.labels.get(column, ""))
    role = "RANK" if _RANK.match(label) else "TOTAL" if _TOTAL.match(label) else ""
    if role:
        return role if overall else f"{number}.{role}"
    printed = header.numbers.get(column) or str(column - first + 1)
    return f"{number}.{printed}" if number else printed


def _max_in(label: str) -> float | None:
    """A maximum stated in a header: "Hạ tầng (17 điểm)", "Điểm tối đa: 17"."""
    match = _MAX_IN_LABEL.search(label.lower())
    return parse_number(match.group(1) or match.group(2)) if match else None
