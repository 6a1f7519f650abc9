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
The table number comes from the heading above the header: a one-cell row of the grid (of the
heading rows right above it, the nearest that has a number); a reader puts the heading printed
outside a grid (a paragraph, a sheet's name) on top of it as such a row.
Values are kept as printed, errors included: checking them is `egov verify`'s job.

A ranking table has a header naming at least three columns, one of them the agency column
("Đơn vị", "Tên cơ quan"), that (or whose heading) speaks of points or ranks, and rows naming at
least three distinct agencies in that column. A "Tên cơ quan, đơn vị: | Sở …" row is a label and
its value, not a header, and "Tổng số điểm đạt được: | 97" names no agency. Headers are looked
for first, cell by cell with a cheap test, so that a grid without one costs next to nothing.

One grid may hold several tables (a sheet with the tables one under the other, or pdf tables
joined in reading order): a header row starts a new table, unless it repeats the current table's
header with no heading in between (a table continued on the next page).

Only `egov verify` checks these rows (`egovcli.verify`), yet this reader belongs to ingest: the
readers (`is_ranking_table`, `heading_slot`, `table_number`) and `layout.interpret` use it on every
document to tell a ranking table from a data table, and ingest never imports a later stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from egovcli.ingest.layout import figures, vocabulary
from egovcli.ingest.layout.cells import Cell, Grid  # not the layout package: its __init__ imports us
from egovcli.ingest.layout.given import LETTER, Columns, column_of, current, letter, named_roles, note_header
from egovcli.ingest.layout.header import TT_KEYS
from egovcli.ingest.layout.header import texts as _texts  # a row's texts in NFC
from egovcli.model import Observation
from egovcli.textnorm import fold, key, lazy_pattern, nfc
from egovcli.values import parse_number

_YEAR = lazy_pattern(r"^(?:19|20)\d\d$")  # "2022" heads a column of a multi-year table
_MAXIMA_ROW = lazy_pattern(r"^(?:diem toi da|toi da|thang diem|diem chuan)\b")
_SUMMARY_ROW = lazy_pattern(r"^(?:tong|tong cong|cong|trung binh|binh quan)$")
_COLUMN_NUMBER = lazy_pattern(r"^\(?(\d{1,2})\)?$")
_MAX_IN_LABEL = lazy_pattern(r"(?:tối đa|max)\s*:?\s*(\d+(?:[.,]\d+)?)|\((\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\)")
_TABLE_NUMBER = lazy_pattern(r"^(?:(?:bang|bieu)\s*(?:so\s*)?)?(\d+(?:\.\d+)*)(?:[.:)]|\s|$)")  # on fold()
_REF = lazy_pattern(r"^(?:[ivxlc]+|\d+)(?:\.\s*\d+)*\.?$", re.IGNORECASE)  # a TT ("I", "3.1"), no name
_OVERALL = lazy_pattern(r"\b(?:chung|tong hop|tong the)\b")
_HEADER_ROWS = 6  # rows a header (with its sub-headers and column numbers) may take
_HEADER_COLUMNS = 3  # columns a header names at least (a "label | value" row names two)
_HEADING_ROWS = 3  # one-cell rows right above a header searched for a numbered heading
_MIN_AGENCIES = 3


class _Header:
    """A ranking table's header block: where it is and what each column is. (Plain classes with
    slots, here and below: a slotted dataclass costs about half a millisecond to create at import.)"""

    __slots__ = ("agency", "end", "kept", "labels", "numbers", "roles", "scored", "signature", "start", "tt")

    def __init__(
        self, start: int, end: int, signature: tuple[tuple[str, ...], ...], agency: int, tt: int | None,
        labels: dict[int, str], numbers: dict[int, str], scored: bool, roles: dict[int, str] | None = None,
    ) -> None:
        self.start = start  # index of its first row
        self.end = end  # index of the first row after the block
        self.signature = signature  # the block's texts, to recognise a repeated header
        self.agency = agency
        self.tt = tt
        self.labels = labels  # column → lowest header text (the criterion's name)
        self.numbers = numbers  # column → number printed in the "(1) (2) …" row
        self.scored = scored  # the header speaks of points or ranks
        self.roles = {} if roles is None else roles  # column → "TOTAL" / "RANK" (vocabulary, --columns)
        self.kept: frozenset[int] | None = None  # the only columns read (--columns components=…)


class _Table:
    __slots__ = ("bodies", "header", "maxima", "rows", "texts", "title")

    def __init__(self, title: str, header: _Header) -> None:
        self.title = title
        self.header = header
        self.bodies: list[range] = []  # rows under its header (and repeated headers)
        self.rows: list[Sequence[Cell]] = []
        self.texts: list[list[str]] = []  # each row's texts in NFC, as `_take` read them
        self.maxima: dict[int, float] = {}


def ranking_table_observations(rows: Grid) -> list[Observation] | None:
    """Observations of the published ranking tables in `rows`, or None when there is none."""
    tables = _ranking_tables(rows)
    if not tables:
        header = next((texts for row in rows[: _HEADER_ROWS * 2] if _named(texts := _filled(row))), None)
        if header:
            note_header(header)
        return None
    return [obs for table in tables for obs in _observations(table)]


def is_ranking_table(rows: Grid) -> bool:
    """True when `rows` hold the start of a published ranking table: a header with an agency
    column that speaks of points or ranks, however few rows follow it (e.g. on this pdf page)."""
    return any(_scored(table) for table in _tables(rows))


def heading_slot(rows: Grid) -> int | None:
    """Where a heading printed outside `rows` (a sheet's name "2.1") goes: right above the header
    of their first ranking table, when no heading row gives it a table number; else None."""
    tables = _ranking_tables(rows)
    return tables[0].header.start if tables and not table_number(tables[0].title) else None


def table_number(heading: str) -> str:
    """The number of a table's heading: "2.1" of "2.1. HẠ TẦNG …", of "Bảng 2.1: …", of a sheet
    named "Bang 2.1"; "" when it has none."""
    match = _TABLE_NUMBER.match(fold(heading))
    return match.group(1) if match else ""


# --- splitting a grid into tables -----------------------------------------------------------------
def _filled(row: Sequence[Cell]) -> list[str]:
    return [text for text in _texts(row) if text.strip()]


def _named(texts: Sequence[str]) -> bool:
    """A row of three words or more, no number: what a header looks like."""
    return len(texts) >= _HEADER_COLUMNS and all(parse_number(text) is None for text in texts)


def _ranking_tables(rows: Grid) -> list[_Table]:
    """The ranking tables of a grid with their rows; only tables whose header (or heading) speaks
    of points or ranks have theirs read."""
    tables = [table for table in _tables(rows) if _scored(table)]
    for table in tables:
        for body in table.bodies:
            for index in body:
                _take(table, rows[index])
    return [table for table in tables if _agencies(table) >= _MIN_AGENCIES and not _labels_left(table)]


def _labels_left(table: _Table) -> bool:
    """Whether most rows print words left of the "agency" column: then it is a unit column of a data
    table ("Chỉ tiêu | Đơn vị | Giá trị"); a ranking prints only a TT or a rank there."""
    agency = table.header.agency
    worded = sum(any(_word(text) for text in texts[:agency]) for texts in table.texts)
    return worded * 2 > len(table.rows)


def _word(text: str) -> bool:
    return bool(text) and not figures.is_figure(text) and not _REF.match(text)


def _tables(rows: Grid) -> list[_Table]:
    """The tables with an agency column in a grid, each with its heading, header and the ranges
    of rows under it (not read yet)."""
    tables: list[_Table] = []
    headers = _headers(rows)
    for number, header in enumerate(headers):
        heading = _heading(rows, headers[number - 1].end if number else 0, header.start)
        current = tables[-1] if tables else None
        if current is None or heading is not None or header.signature != current.header.signature:
            current = _Table(heading or "", header)
            tables.append(current)
        following = headers[number + 1].start if number + 1 < len(headers) else len(rows)
        current.bodies.append(range(header.end, following))
    return tables


def _headers(rows: Grid) -> list[_Header]:
    """The header blocks of a grid, found from their agency column's cell alone (or the column
    the user named)."""
    headers: list[_Header] = []
    given = current()
    if not (given and given.agency) and not vocabulary.any_agency_column(rows):
        return headers
    for index, row in enumerate(rows):
        if headers and index < headers[-1].end:
            continue
        if given and given.agency:
            agency = _given_agency(rows, index, given)
        else:
            agency = vocabulary.agency_column(row)
        if agency is not None and (header := _header_at(rows, index, agency)):
            headers.append(_as_given(header, given) if given else header)
    return headers


def _given_agency(rows: Grid, index: int, given: Columns) -> int | None:
    """The agency column the user named, when `rows[index]` is its header row: the row holding
    the named header text, or (a column letter) the row of words right above the first data row."""
    if not LETTER.match(given.agency):
        return column_of(_texts(rows[index]), given.agency)
    column = letter(given.agency)
    texts = _texts(rows[index])
    below = _texts(rows[index + 1]) if index + 1 < len(rows) else []
    words = [t for t in texts if t]
    if column >= len(texts) or not texts[column] or any(parse_number(t) is not None for t in words):
        return None
    return column if below and _is_data(below, column) else None


def _as_given(header: _Header, given: Columns) -> _Header:
    """`header` with the roles and columns the user named."""
    header.roles, header.kept = named_roles(header.labels, header.signature, header.roles, given)
    header.scored = True
    return header


def _header_at(rows: Grid, index: int, agency: int) -> _Header | None:
    """The header block starting at `rows[index]` (a row of words with an agency-name column,
    naming three columns or more), or None."""
    top = _texts(rows[index])
    numeric = any(parse_number(text) is not None and not _YEAR.match(text.strip()) for text in top if text)
    if numeric or len({t.strip() for t in top if t.strip()}) < 2:  # a title over it ("Sở, ban, ngành")
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
    if len(labels) < _HEADER_COLUMNS:
        return None
    tt = next((c for c, text in enumerate(top[:agency]) if key(text) in TT_KEYS), None)
    scored = any(vocabulary.SCORE_WORDS.search(key(text)) for texts in block for text in texts if text)
    signature = tuple(tuple(texts) for texts in block)
    named = {c: vocabulary.role(text) for c, text in labels.items() if c != agency}
    roles = {c: r for c, r in named.items() if r in ("TOTAL", "RANK")}
    return _Header(index, end, signature, agency, tt, labels, numbers, scored, roles)


def _heading(rows: Grid, start: int, end: int) -> str | None:
    """The heading of a table whose header is at `end`: the nearest one-cell row of words (or a
    bare "2.1") above it, at or below `start`; of the heading rows right above the header, the
    nearest numbered one ("2.1. HẠ TẦNG …" above "Đơn vị tính: điểm")."""
    found: list[str] = []
    for row in reversed(rows[start:end]):
        filled = [cell.text for cell in row if cell.text.strip()]
        if len(filled) == 1 and (any(ch.isalpha() for ch in filled[0]) or "." in table_number(filled[0])):
            found.append(nfc(filled[0]))
            if len(found) == _HEADING_ROWS:
                break
        elif filled and found:
            break
    return next((text for text in found if table_number(text)), found[0] if found else None)


def _is_column_numbers(texts: list[str]) -> bool:
    """The "(1) (2) (3) …" row printed under many headers."""
    filled = [text for text in texts if text]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(text) for text in filled)


def _is_data(texts: list[str], agency: int) -> bool:
    """A row naming something in the agency column with a number to its right."""
    name = texts[agency] if agency < len(texts) else ""
    return (
        bool(name)
        and (not _COLUMN_NUMBER.match(name) or not _is_column_numbers(texts))  # a name settles most rows
        and any(figures.is_figure(text) for text in texts[agency + 1 :] if text)
    )


def _take(table: _Table, row: Sequence[Cell]) -> None:
    """Take `row` into `table` when it names an agency and has a number: a "Điểm tối đa" row
    gives the columns' maxima; a "Tổng cộng" / "Trung bình" row, a label ("Tổng số điểm đạt
    được:") or a bare TT ("I", "3.1") names no agency."""
    texts = _texts(row)
    agency = table.header.agency
    if not _is_data(texts, agency):
        return
    name = texts[agency]
    if _MAXIMA_ROW.match(key(name)):
        table.maxima = {
            c: v for c, text in enumerate(texts) if c > agency and (v := parse_number(text)) is not None
        }
    elif not (_SUMMARY_ROW.match(key(name)) or name.endswith(":") or _REF.match(name)):
        table.rows.append(row)
        table.texts.append(texts)


def _scored(table: _Table) -> bool:
    return table.header.scored or bool(vocabulary.SCORE_WORDS.search(key(table.title)))


def _agencies(table: _Table) -> int:
    """How many distinct agencies the table's rows name."""
    return len({texts[table.header.agency] for texts in table.texts})


# --- observations -----------------------------------------------------------------------------
def _observations(table: _Table) -> list[Observation]:
    header = table.header
    number = table_number(table.title)
    overall = not number or bool(_OVERALL.search(fold(table.title)))
    first = min(c for c in (header.tt, header.agency) if c is not None)
    width = max(len(row) for row in table.rows)
    grid = [[*texts, *[""] * (width - len(texts))] for texts in table.texts]
    roles = _roles(header)
    columns = [
        c
        for c in range(width)
        if c not in (header.agency, header.tt)
        and (c > header.agency or c in roles)  # left of the names: only a rank (or total) column
        and (header.kept is None or c in header.kept)
        and (header.kept is not None or vocabulary.role(header.labels.get(c, "")) != "other")
        and any(texts[c] for texts in grid)
    ]
    ids = {c: _indicator(header, c, roles.get(c, ""), first, number, overall) for c in columns}
    rank_id = "RANK" if overall else f"{number}.RANK"
    total_id = "TOTAL" if overall else f"{number}.TOTAL"
    split = {c: figures.ranks_and_values([texts[c] for texts in grid]) for c in columns}
    comma = figures.decimal_comma([texts[c] for texts in grid for c in columns])
    # a rank printed with its value is the table's rank where no column is headed as one
    adds_rank = {c: rank_id not in ids.values() and bool(roles.get(c) or len(columns) == 1) for c in columns}
    labels = {c: header.labels.get(c, "") for c in columns}
    maxima = {c: table.maxima.get(c, _max_in(labels[c])) for c in columns}
    observations: list[Observation] = []
    for row, texts in zip(table.rows, grid, strict=True):
        agency = texts[header.agency]
        ref = texts[header.tt] if header.tt is not None else ""
        for column in columns:
            raw = texts[column]
            if not raw:
                continue
            cells = [(ids[column], raw)]
            if split[column] and (match := figures.RANK_AND_VALUE.match(raw)):
                value_id = total_id if roles.get(column) == "RANK" else ids[column]
                cells = [(value_id, match.group(2))]
                if adds_rank[column]:
                    cells.append((rank_id, match.group(1)))
            for indicator, text in cells:
                observations.append(
                    Observation(
                        labels[column],
                        text,
                        figures.number(text, comma),
                        kind="published_score",
                        indicator=indicator,
                        ref=ref,
                        max_points=maxima[column],
                        note=table.title,
                        location=row[column].location,
                        agency=agency,
                    )
                )
    return observations


def _roles(header: _Header) -> dict[int, str]:
    """Column → "TOTAL" / "RANK": of several columns headed as totals (or ranks), the rightmost."""
    roles: dict[int, str] = {}
    for role in ("TOTAL", "RANK"):
        named = [c for c, r in header.roles.items() if r == role]
        if named:
            roles[max(named)] = role
    return roles


def _indicator(header: _Header, column: int, role: str, first: int, number: str, overall: bool) -> str:
    if role:
        return role if overall else f"{number}.{role}"
    printed = header.numbers.get(column) or str(column - first + 1)
    return f"{number}.{printed}" if number else printed


def _max_in(label: str) -> float | None:
    """A maximum stated in a header: "Hạ tầng (17 điểm)", "Điểm tối đa: 17"."""
    match = _MAX_IN_LABEL.search(label.lower())
    return parse_number(match.group(1) or match.group(2)) if match else None
