"""Unruled tables of a PDF page: lines of text set in aligned columns, with at least two rows of
numbers, read as a table (for the pages where pdfplumber finds no ruled one)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_NUMERIC = re.compile(r"^\(?[-+]?\d+(?:[.,/]\d+)*%?\)?$")
_COLUMN_GAP = 1.0  # in line heights: a wider gap between two words separates columns
_WRAP_GAP = 0.5  # in line heights: a line closer than this below another continues its cell
_HEADER_GAP = 2.0  # in line heights: rows and header lines of an unruled table are no further apart

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Found:
    """One table found on a page: where it is and its rows of cell texts."""

    box: Box
    rows: list[list[str]]


@dataclass(slots=True)
class _Segment:
    """Words of one text line with no column gap between them."""

    x0: float
    x1: float
    text: str


@dataclass(slots=True)
class _Line:
    top: float
    bottom: float
    segments: list[_Segment]

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def data(self) -> bool:
        """Three or more columns, two of them numbers: a table row."""
        numbers = sum(1 for segment in self.segments if _NUMERIC.match(segment.text))
        return len(self.segments) >= 3 and numbers >= 2


def _segments(text_line: dict[str, Any]) -> _Line:
    """Split a text line where the gap between two characters is wider than the line is high;
    each part keeps the spacing pdfplumber gave the line."""
    text, position = text_line["text"], 0
    chars = [char for char in text_line["chars"] if char["text"].strip()]
    gap = _COLUMN_GAP * (text_line["bottom"] - text_line["top"])
    groups: list[list[dict[str, Any]]] = []
    for char in chars:
        if groups and char["x0"] - groups[-1][-1]["x1"] <= gap:
            groups[-1].append(char)
        else:
            groups.append([char])
    segments = []
    for group in groups:
        start, needed = position, sum(len(char["text"]) for char in group)
        while needed > 0 and position < len(text):
            needed -= not text[position].isspace()
            position += 1
        segments.append(
            _Segment(group[0]["x0"], max(char["x1"] for char in group), text[start:position].strip())
        )
    return _Line(text_line["top"], text_line["bottom"], segments)


@dataclass(slots=True)
class _Column:
    """Where a column of an unruled table has text in its number rows."""

    x0: float
    x1: float
    words: bool  # some of it is not a number (a name, a label)

    def overlaps(self, segment: _Segment) -> bool:
        return segment.x0 <= self.x1 and self.x0 <= segment.x1


@dataclass(slots=True)
class _Run:
    """Consecutive lines of one unruled table (number rows and the lines between them)."""

    members: list[int]
    columns: list[_Column] = field(default_factory=list)

    def widen(self, segment: _Segment) -> None:
        """Take a number row's word group into the columns (kept in order): a new column, or a
        wider one (joining those it overlaps: a long name over a centred "(2)")."""
        hits = [column for column in self.columns if column.overlaps(segment)]
        merged = _Column(segment.x0, segment.x1, not _NUMERIC.match(segment.text))
        for column in hits:
            self.columns.remove(column)
            words = merged.words or column.words
            merged = _Column(min(merged.x0, column.x0), max(merged.x1, column.x1), words)
        self.columns.append(merged)
        self.columns.sort(key=lambda column: column.x0)


def aligned_tables(text_lines: list[dict[str, Any]]) -> tuple[list[Found], set[int]]:
    """Unruled tables: runs of lines whose words stand in the same columns, with at least two
    rows of numbers. Columns are where the number rows have text. Lines between number rows
    belong to the table when none of their word groups straddles two columns; header lines
    above them too, or when what straddles only spans columns of numbers ("Điểm" centred over
    the criteria), unlike a heading or a paragraph over the table. Returns the tables and the
    text lines they use."""
    lines = [_segments(line) for line in text_lines]
    if sum(line.data for line in lines) < 2:
        return [], set()
    runs: list[_Run] = []
    for index, line in enumerate(lines):
        if not line.data:
            continue
        if runs and _continues(lines, runs[-1], index):
            runs[-1].members.extend(range(runs[-1].members[-1] + 1, index + 1))
        else:
            runs.append(_Run([index]))
        for segment in line.segments:
            runs[-1].widen(segment)
    found: list[Found] = []
    used: set[int] = set()
    floor = 0
    for run in runs:
        if sum(lines[n].data for n in run.members) < 2 or len(run.columns) < 3:
            continue
        first, last = run.members[0], run.members[-1]
        while (
            first > floor
            and _fits(lines[first - 1], run.columns, spanning=True)
            and _close(lines[first - 1], lines[first], _HEADER_GAP)
        ):
            first -= 1
        while last + 1 < len(lines) and _trails(lines[last], lines[last + 1], run.columns):
            last += 1
        floor = last + 1
        table = lines[first : last + 1]
        box = (
            min(s.x0 for line in table for s in line.segments),
            table[0].top,
            max(s.x1 for line in table for s in line.segments),
            table[-1].bottom,
        )
        found.append(Found(box, _rows(table, run.columns)))
        used.update(range(first, last + 1))
    return found, used


def _continues(lines: list[_Line], run: _Run, index: int) -> bool:
    """True when data line `index` and the lines since the run's last one carry the run on."""
    if not all(_fits(line, run.columns) for line in lines[run.members[-1] + 1 : index]):
        return False
    chain = lines[run.members[-1] : index + 1]
    return all(_close(upper, lower, _HEADER_GAP) for upper, lower in zip(chain, chain[1:], strict=False))


def _trails(upper: _Line, lower: _Line, columns: list[_Column]) -> bool:
    """True when `lower`, below a table's last line `upper`, belongs to the table: it fits its
    columns and wraps a cell of `upper` or is a row of two columns or more ("41 | Thông tin …")."""
    return _fits(lower, columns) and (
        _close(upper, lower, _WRAP_GAP) or (len(lower.segments) > 1 and _close(upper, lower, _HEADER_GAP))
    )


def _close(upper: _Line, lower: _Line, lines: float) -> bool:
    return lower.top - upper.bottom < lines * upper.height


def _fits(line: _Line, columns: list[_Column], spanning: bool = False) -> bool:
    """No word group of `line` straddles two columns (with `spanning`: none that straddles a
    column of words) or runs into a column of words from its left (as a paragraph does)."""
    for segment in line.segments:
        hits = [column for column in columns if column.overlaps(segment)]
        if len(hits) > 1 and not (spanning and not any(column.words for column in hits)):
            return False
        if any(column.words and segment.x0 < column.x0 - line.height / 2 for column in hits):
            return False
    return True


def _column_of(columns: list[_Column], segment: _Segment) -> int:
    """The column a word group belongs to: the one it overlaps most, else the nearest."""

    def distance(column: _Column) -> float:
        overlap = min(column.x1, segment.x1) - max(column.x0, segment.x0)
        return -overlap if overlap >= 0 else min(abs(segment.x0 - column.x1), abs(column.x0 - segment.x1))

    return min(range(len(columns)), key=lambda index: distance(columns[index]))


def _rows(lines: list[_Line], columns: list[_Column]) -> list[list[str]]:
    """Table rows of an unruled table's lines: a line continues the row above (text wrapped in
    its cells) when it follows closely, each of its cells is empty in that row or continues a
    cell ending just above it, and it does not start a new first column."""
    rows: list[list[str]] = []
    bottoms: list[float] = []  # per column, the bottom of the current row's last text there
    last: _Line | None = None
    for line in lines:
        cells = [""] * len(columns)
        for segment in line.segments:
            column = _column_of(columns, segment)
            cells[column] = f"{cells[column]} {segment.text}".strip()
        limit = _WRAP_GAP * line.height
        joins = (
            last is not None
            and line.top - last.bottom < limit
            and not (cells[0] and rows[-1][0])
            and all(not rows[-1][c] or line.top - bottoms[c] < limit for c, text in enumerate(cells) if text)
        )
        if joins:
            for column, text in enumerate(cells):
                if text:
                    rows[-1][column] = f"{rows[-1][column]} {text}".strip()
                    bottoms[column] = line.bottom
        else:
            rows.append(cells)
            bottoms = [line.bottom] * len(columns)
        last = line
    return rows
