"""Read a .pdf report: tables ("trang P, bảng T, dòng R, cột C") and the text outside them
("trang P, dòng N").

Ruled tables are found from their lines. A page without one is searched for an unruled table:
lines of text set in aligned columns (see `_aligned_tables`). A table that runs onto the next
page is stitched into one, text wrapped inside a cell is one value, and a paragraph wrapped over
several lines is read as one line (located at its first line).

Published ranking tables (many agencies, one row each) are handed to `layout.interpret` as one
grid, in reading order, each preceded by the heading printed above it (its table number) and
continued across pages; `published` splits them again.

A password-protected PDF is reported (E-ENCRYPTED; one with an empty user password opens as
usual); one with too many pages, or a page with too many drawn objects (characters, rectangles,
lines, curves, images — a page built to stall table finding), is refused (E-TOO-LARGE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovcli.ingest.layout import Cell, TextLine, continues_table, interpret
from egovcli.ingest.layout.published import is_ranking_table
from egovcli.ingest.readers import safety
from egovcli.model import Extracted
from egovcli.problems import problem

_NEW_ITEM = re.compile(r"^(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s")
_WRAPPED = 0.85  # a line reaching this share of the text width was wrapped …
_COMPLETE = (".", ";", "!", "?", "%", *"0123456789")  # … unless it ends a sentence or a value
_NUMERIC = re.compile(r"^\(?[-+]?\d+(?:[.,/]\d+)*%?\)?$")
_COLUMN_GAP = 1.0  # in line heights: a wider gap between two words separates columns
_WRAP_GAP = 0.5  # in line heights: a line closer than this below another continues its cell
_HEADER_GAP = 2.0  # in line heights: rows and header lines of an unruled table are no further apart
_PAGE_NUMBER = re.compile(r"^\W*(?:trang\s*)?\d+(?:\s*/\s*\d+)?\W*$", re.IGNORECASE)  # no heading

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class _Paragraph:
    number: int  # of its first line on the page
    text: str
    top: float
    bottom: float


@dataclass(slots=True)
class _Found:
    """One table found on a page: where it is and its rows of cell texts."""

    box: Box
    rows: list[list[str]]


@dataclass(slots=True)
class _Tables:
    """The tables of the pages read so far: ranking tables joined into one grid, the others."""

    other: list[list[list[Cell]]] = field(default_factory=list)
    ranking: list[list[Cell]] = field(default_factory=list)  # rows of every ranking table, headings first
    ranking_width: int = 0  # columns of the last ranking table, 0 when the last table was another
    last_page: int = 0  # page of the last table

    def add(self, grid: list[list[Cell]], heading: TextLine | None, page: int, first: bool) -> None:
        """File a page's table: a continuation of the last table (a ranking table continues with
        the same columns, under no heading or without a header of its own), a ranking table, or
        another one."""
        follows = first and self.last_page == page - 1
        titled = [[Cell(heading.text, heading.location)], *grid] if heading else grid
        if follows and self.ranking_width == len(grid[0]) and (heading is None or not is_ranking_table(grid)):
            self.ranking.extend(grid)
        elif is_ranking_table(titled):
            self.ranking.extend(titled)
            self.ranking_width = len(grid[0])
        elif follows and self.other and not self.ranking_width and continues_table(self.other[-1], grid):
            self.other[-1].extend(grid)
        else:
            self.other.append(grid)
            self.ranking_width = 0
        self.last_page = page


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one pdf (text-based; scanned pages give no text)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    limits = safety.active()
    lines: list[TextLine] = []
    tables = _Tables()
    trailing: TextLine | None = None  # the previous page's last paragraph, when below its last table
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], PDFPasswordIncorrect):
            return Extracted(problems=[problem("E-ENCRYPTED", str(path), kind="PDF")])
        raise
    with pdf:
        if len(pdf.pages) > limits.max_pdf_pages:
            return Extracted(
                problems=[safety.too_large(str(path), "số trang", len(pdf.pages), limits.max_pdf_pages)]
            )
        for number, page in enumerate(pdf.pages, 1):
            drawn = sum(len(objects) for objects in page.objects.values())
            if drawn > limits.max_page_objects:
                refused = safety.too_large(
                    str(path), "số đối tượng vẽ của trang", drawn, limits.max_page_objects, f"trang {number}"
                )
                return Extracted(problems=[refused])
            found, text_lines = _page_tables(page)
            paragraphs = _paragraphs(text_lines)
            floor = 0.0  # headings of a table are below the table before it
            for index, table in enumerate(found, 1):
                grid = [
                    [
                        Cell(text, f"trang {number}, bảng {index}, dòng {r}, cột {c}")
                        for c, text in enumerate(row, 1)
                    ]
                    for r, row in enumerate(table.rows, 1)
                ]
                heading = _heading(paragraphs, floor, table.box[1], number) or (
                    trailing if index == 1 else None
                )
                tables.add(grid, heading, number, index == 1)
                floor = table.box[3]
            lines.extend(TextLine(p.text, f"trang {number}, dòng {p.number}") for p in paragraphs)
            below = [p for p in _headings(paragraphs) if not found or p.top >= found[-1].box[3]]
            last = below[-1] if below else None
            trailing = TextLine(last.text, f"trang {number}, dòng {last.number}") if last else None
    return interpret(
        lines, [*tables.other, tables.ranking] if tables.ranking else tables.other, source=str(path)
    )


def _page_tables(page: Any) -> tuple[list[_Found], list[dict[str, Any]]]:
    """The page's tables (ruled ones, else unruled ones) and its text lines outside them."""
    ruled = page.find_tables()
    if ruled:
        found = [
            _Found(table.bbox, [[text or "" for text in row] for row in table.extract()]) for table in ruled
        ]
        return found, _outside(page, [table.box for table in found]).extract_text_lines()
    text_lines = page.extract_text_lines()
    unruled, used = _aligned_tables(text_lines)
    return unruled, [line for n, line in enumerate(text_lines) if n not in used]


def _outside(page: Any, boxes: list[Box]) -> Any:
    """The page without the characters inside any of `boxes`."""

    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    return page.filter(keep)


def _heading(paragraphs: list[_Paragraph], floor: float, top: float, page: int) -> TextLine | None:
    """The paragraph printed right above a table whose top is at `top` (and below `floor`)."""
    above = [p for p in _headings(paragraphs) if floor <= p.top and p.bottom <= top + 1]
    return TextLine(above[-1].text, f"trang {page}, dòng {above[-1].number}") if above else None


def _headings(paragraphs: list[_Paragraph]) -> list[_Paragraph]:
    """The paragraphs that may head a table: not a page number ("3", "- 3 -", "Trang 3/8")."""
    return [p for p in paragraphs if not _PAGE_NUMBER.match(p.text)]


def _paragraphs(text_lines: list[dict[str, Any]]) -> list[_Paragraph]:
    """Paragraphs of a page's text lines, numbered by their first line: a line that reaches the
    right margin without ending a sentence or a value continues on the next line, when that one
    follows closely (within half a line) and does not start a new item ("- …", "a) …", "2. …")."""
    if not text_lines:
        return []
    left = min(line["x0"] for line in text_lines)
    wrap_at = left + _WRAPPED * (max(line["x1"] for line in text_lines) - left)
    paragraphs: list[_Paragraph] = []
    previous: dict[str, Any] | None = None
    for number, line in enumerate(text_lines, 1):
        text = line["text"].strip()
        joins = (
            previous is not None
            and previous["x1"] >= wrap_at
            and not previous["text"].endswith(_COMPLETE)
            and not _NEW_ITEM.match(text)
            and 0 <= line["top"] - previous["bottom"] < (previous["bottom"] - previous["top"]) / 2
        )
        if joins:
            paragraphs[-1].text = f"{paragraphs[-1].text} {text}"
            paragraphs[-1].bottom = line["bottom"]
        elif text:
            paragraphs.append(_Paragraph(number, text, line["top"], line["bottom"]))
        previous = line
    return paragraphs


# --- unruled tables -------------------------------------------------------------------------------
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


def _aligned_tables(text_lines: list[dict[str, Any]]) -> tuple[list[_Found], set[int]]:
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
    found: list[_Found] = []
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
        found.append(_Found(box, _rows(table, run.columns)))
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
