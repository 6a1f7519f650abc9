"""Read a .pdf report: tables ("trang P, bảng T, dòng R, cột C") and the text outside them
("trang P, dòng N").

Ruled tables are found from their lines. A page without one is searched for an unruled table:
lines of text set in aligned columns (`pdf_unruled.aligned_tables`). A table that runs onto the
next page is stitched into one, text wrapped inside a cell is one value, and a paragraph wrapped over
several lines is read as one line (located at its first line).

Published ranking tables (many agencies, one row each) are handed to `layout.interpret` as one
grid, in reading order, each preceded by the heading printed above it (its table number) and
continued across pages; `published` splits them again.

A password-protected PDF is reported (E-ENCRYPTED; one with an empty user password opens as
usual); one with too many pages, or a page with too many drawn objects (characters, rectangles,
lines, curves, images — a page built to stall table finding), is refused (E-TOO-LARGE). A page
with more ruling lines, or crossings of them, than `max_table_rules` is not searched for ruled tables
(pdfplumber's table finder is quadratic in them): it is read as a page without one, its text and
unruled tables kept, with W-PDF-TABLE-RULES naming the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovcli.ingest.layout import Cell, Document, TextLine, continues_table, interpret_document
from egovcli.ingest.layout.published import is_ranking_table
from egovcli.ingest.readers import pdf_pages, safety
from egovcli.ingest.readers.pdf_unruled import Box, Found, aligned_tables
from egovcli.model import Extracted
from egovcli.problems import Problem, problem

_NEW_ITEM = re.compile(r"^(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s")
_WRAPPED = 0.85  # a line reaching this share of the text width was wrapped …
_COMPLETE = (".", ";", "!", "?", "%", *"0123456789")  # … unless it ends a sentence or a value
_PAGE_NUMBER = re.compile(r"^\W*(?:trang\s*)?\d+(?:\s*/\s*\d+)?\W*$", re.IGNORECASE)  # no heading


@dataclass(slots=True)
class _Paragraph:
    number: int  # of its first line on the page
    text: str
    top: float
    bottom: float


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
    return interpret_document(read(path), str(path))


def read(path: Path) -> Document:
    """The pages' tables (a table running onto the next page joined) and text lines, located."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    limits = safety.active()
    lines: list[TextLine] = []
    problems: list[Problem] = []
    tables = _Tables()
    trailing: TextLine | None = None  # the previous page's last paragraph, when below its last table
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        if exc.args and isinstance(exc.args[0], PDFPasswordIncorrect):
            return Document.refusal(problem("E-ENCRYPTED", str(path), kind="PDF"))
        raise
    with pdf:
        if len(pdf.pages) > limits.max_pdf_pages:
            pages = safety.too_large(str(path), "số trang", len(pdf.pages), limits.max_pdf_pages)
            return Document.refusal(pages)
        for number, page in enumerate(pdf.pages, 1):
            pdf_pages.load(page)
            drawn = sum(len(objects) for objects in page.objects.values())
            if drawn > limits.max_page_objects:
                refused = safety.too_large(
                    str(path), "số đối tượng vẽ của trang", drawn, limits.max_page_objects, f"trang {number}"
                )
                return Document.refusal(refused)
            found, text_lines, crowded = _page_tables(page, limits.max_table_rules)
            if crowded:
                problems.append(
                    problem("W-PDF-TABLE-RULES", str(path), f"trang {number}", page=number,
                            what=crowded.what, actual=crowded.count, limit=limits.max_table_rules)
                )
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
    grids: list[list[list[Cell]]] = [*tables.other, tables.ranking] if tables.ranking else tables.other
    return Document(lines, list(grids), problems)


def _page_tables(page: Any, limit: int) -> tuple[list[Found], list[dict[str, Any]], pdf_pages.Crowded | None]:
    """The page's tables (ruled ones, else unruled ones), its text lines outside them, and why no
    ruled table was sought when its rules are over `limit` (`pdf_pages.ruled_tables`)."""
    ruled = pdf_pages.ruled_tables(page, limit)
    if ruled and not isinstance(ruled, pdf_pages.Crowded):
        found = [Found(table.bbox, pdf_pages.cell_texts(table)) for table in ruled]
        return found, _text_lines(page, _outside(page.chars, [table.box for table in found]), False), None
    text_lines = _text_lines(page, page.chars, True)
    unruled, used = aligned_tables(text_lines)
    rest = [line for n, line in enumerate(text_lines) if n not in used]
    return unruled, rest, ruled if isinstance(ruled, pdf_pages.Crowded) else None


def _text_lines(page: Any, chars: list[dict[str, Any]], with_chars: bool) -> list[dict[str, Any]]:
    """`page.extract_text_lines()` of some of the page's characters (without each line's
    characters unless `with_chars`), without filtering the page's other objects too."""
    from pdfplumber.utils import chars_to_textmap

    size = {"layout_bbox": page.bbox, "layout_width": page.width, "layout_height": page.height}
    textmap = chars_to_textmap(chars, **size)
    return textmap.extract_text_lines(strip=True, return_chars=with_chars)


def _outside(chars: list[dict[str, Any]], boxes: list[Box]) -> list[dict[str, Any]]:
    """The characters whose centre is inside none of `boxes`."""
    kept = []
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        for x0, top, x1, bottom in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                break
        else:
            kept.append(char)
    return kept


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
