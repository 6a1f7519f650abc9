"""Read a .docx document: body paragraphs ("đoạn N") and tables ("bảng T, dòng R, cột C").

python-docx repeats a merged cell in every grid position it spans; the repeats are kept as
blank cells so that columns stay aligned and the text is read once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from egovcli.ingest.layout import Cell, TextLine, interpret
from egovcli.model import Extracted


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one Word document."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    lines: list[TextLine] = []
    tables: list[list[list[Cell]]] = []
    paragraph = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables.append(_grid(block, len(tables) + 1))
            continue
        paragraph += 1
        lines.extend(TextLine(text, f"đoạn {paragraph}") for text in block.text.splitlines() if text.strip())
    return interpret(lines, tables, source=str(path))


def _grid(table: Any, number: int) -> list[list[Cell]]:
    """Rows of cells of one table; each merged cell's text appears at its first position only."""
    cells = table._cells  # the layout grid, computed once (row.cells recomputes it per row)
    width = table._column_count
    seen: set[Any] = set()
    grid: list[list[Cell]] = []
    for start in range(0, len(cells), width):
        row = []
        for offset, cell in enumerate(cells[start:start + width]):
            repeat = cell._tc in seen
            seen.add(cell._tc)
            location = f"bảng {number}, dòng {start // width + 1}, cột {offset + 1}"
            row.append(Cell("" if repeat else cell.text, location))
        grid.append(row)
    return grid
