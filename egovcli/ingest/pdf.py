"""Read a .pdf report: ruled tables ("trang P, bảng T, dòng R, cột C") and the text outside
them ("trang P, dòng N"). A table that runs onto the next page is stitched into one, and a
paragraph wrapped over several lines is read as one line (located at its first line).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from egovcli.ingest.layout import Cell, TextLine, continues_table, interpret
from egovcli.model import Extracted

_NEW_ITEM = re.compile(r"^(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)])\s")
_WRAPPED = 0.85  # a line reaching this share of the text width was wrapped …
_COMPLETE = (".", ";", "!", "?", "%", *"0123456789")  # … unless it ends a sentence or a value


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one pdf (text-based; scanned pages give no text)."""
    import pdfplumber

    lines: list[TextLine] = []
    tables: list[list[list[Cell]]] = []
    last_table_page = 0
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            found = page.find_tables()
            for index, table in enumerate(found, 1):
                grid = [
                    [Cell(text or "", f"trang {number}, bảng {index}, dòng {r}, cột {c}")
                     for c, text in enumerate(row, 1)]
                    for r, row in enumerate(table.extract(), 1)
                ]
                follows = index == 1 and tables and last_table_page == number - 1
                if follows and continues_table(tables[-1], grid):
                    tables[-1].extend(grid)
                else:
                    tables.append(grid)
                last_table_page = number
            text_lines = _outside(page, [table.bbox for table in found]).extract_text_lines()
            lines.extend(TextLine(text, f"trang {number}, dòng {n}") for n, text in _paragraphs(text_lines))
    return interpret(lines, tables, source=str(path))


def _outside(page: Any, boxes: list[tuple[float, float, float, float]]) -> Any:
    """The page without the characters inside any of `boxes`."""
    if not boxes:
        return page

    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    return page.filter(keep)


def _paragraphs(text_lines: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(number of its first line, text) per paragraph: a line that reaches the right margin
    without ending a sentence or a value continues on the next line, when that one follows
    closely (within half a line) and does not start a new item ("- …", "a) …", "2. …")."""
    if not text_lines:
        return []
    left = min(line["x0"] for line in text_lines)
    wrap_at = left + _WRAPPED * (max(line["x1"] for line in text_lines) - left)
    paragraphs: list[tuple[int, str]] = []
    previous: dict[str, Any] | None = None
    for number, line in enumerate(text_lines, 1):
        text = line["text"].strip()
        joins = (
            previous is not None and previous["x1"] >= wrap_at and not previous["text"].endswith(_COMPLETE)
            and not _NEW_ITEM.match(text)
            and 0 <= line["top"] - previous["bottom"] < (previous["bottom"] - previous["top"]) / 2
        )
        if joins:
            first, before = paragraphs[-1]
            paragraphs[-1] = (first, f"{before} {text}")
        elif text:
            paragraphs.append((number, text))
        previous = line
    return paragraphs
