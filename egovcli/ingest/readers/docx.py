"""Read a .docx document: body paragraphs ("đoạn N") and tables ("bảng T, dòng R, cột C").

Paragraphs inside content controls are read like any other. A merged cell's text is read once, at
its top-left grid position (the positions it covers are blank, so columns stay aligned), which
knows how many columns it spans; a cell's paragraphs (and those of a table nested in it) are
joined by line breaks. Tick boxes drawn with symbol fonts (Wingdings ☒/□) or as legacy form
checkboxes are read as "☒" / "□".

A layout table — a table holding the report's tables in its cells, with no header of its own: the
whole page laid out in a borderless 1×1 or two-column table, a very common Word form — is opened:
its paragraphs and tables are read in their place, located inside it ("bảng 1 › đoạn 3",
"bảng 1 › bảng 2, dòng 5, cột 3"), layout tables inside it too, up to `MAX_LAYOUT_DEPTH` levels (a
table deeper than that is read as a grid, its nested tables as its cells' text).

A published ranking table's heading ("2.1. HẠ TẦNG KỸ THUẬT CÔNG NGHỆ THÔNG TIN", its table
number) is the paragraph before it, outside its grid: the grid gets it as a first, one-cell row
(located "đoạn N"). A table right after a ranking table, with no text between them and as many
columns, continues it (a table Word users split in two): its rows join that grid.

Hostile documents (zip bombs, XML entities) are refused before python-docx opens them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from egovcli.ingest.layout import Cell, Document, TextLine, interpret_document
from egovcli.ingest.layout.header import find_header
from egovcli.ingest.layout.published import is_ranking_table
from egovcli.ingest.readers import safety, zipguard
from egovcli.model import Extracted
from egovcli.values import WINGDINGS_EMPTY, WINGDINGS_TICKED

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TICKED, _EMPTY = "☒", "□"
# Wingdings tick boxes by their `w:char` code ("F0FE"), read as the plain boxes
_SYMBOLS = {f"{ord(c):04X}": box for chars, box in ((WINGDINGS_TICKED, _TICKED), (WINGDINGS_EMPTY, _EMPTY))
            for c in chars}
MAX_LAYOUT_DEPTH = 5  # layout tables opened one inside another (hostile nesting goes no deeper)
_RUN_HOLDERS = frozenset(  # inline elements whose runs are part of the paragraph's text
    f"{_W}{tag}"
    for tag in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml")
)


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one Word document."""
    return interpret_document(read(path), str(path))


def read(path: Path) -> Document:
    """The document's paragraphs and tables, in reading order, each located."""
    import docx
    from docx.table import Table

    if refused := zipguard.check_zip(path, safety.active()):
        return Document.refusal(refused)
    document = docx.Document(str(path))
    lines: list[TextLine] = []
    tables: list[list[list[Cell]]] = []
    heading: Cell | None = None  # the last paragraph with text since the last table
    ranking = False  # the last table was a ranking table, and no text followed it
    for element, where in _content(_blocks(document.element.body), document, "", 0):
        if element.tag == f"{_W}tbl":
            grid = _grid(Table(element, document), where)
            titled = [[heading], *grid] if heading else grid
            if ranking and heading is None and grid and len(grid[0]) == len(tables[-1][-1]):
                tables[-1].extend(grid)
            else:
                ranking = bool(grid) and is_ranking_table(titled)
                tables.append(titled if ranking else grid)
            heading = None
            continue
        texts = [text for text in paragraph_text(element).splitlines() if text.strip()]
        lines.extend(TextLine(text, where) for text in texts)
        if texts:
            heading = Cell(" ".join(text.strip() for text in texts), where)
    return Document(lines, list(tables))


def _content(blocks: Iterable[Any], document: Any, prefix: str, depth: int) -> Iterator[tuple[Any, str]]:
    """Paragraphs and tables in reading order, each with its location ("đoạn 3", "bảng 2"); a layout
    table's content in its place, located inside it (`prefix` "bảng 1 › ")."""
    from docx.table import Table

    paragraph = number = 0
    for element in blocks:
        if element.tag != f"{_W}tbl":
            paragraph += 1
            yield element, f"{prefix}đoạn {paragraph}"
            continue
        number += 1
        where = f"{prefix}bảng {number}"
        cells = _layout_cells(Table(element, document)) if depth < MAX_LAYOUT_DEPTH else None
        if cells is None:
            yield element, where
        else:
            inside = (block for tc in cells for block in _blocks(tc))
            yield from _content(inside, document, f"{where} › ", depth + 1)


def _layout_cells(table: Any) -> list[Any] | None:
    """The cells (<w:tc>, row by row, a merged one once) of a layout table: one that holds a table in
    a cell and has no header of its own. None for a table of data (a table in one of its cells is
    part of that cell's answer)."""
    if next(table._tbl.iterdescendants(f"{_W}tbl"), None) is None:
        return None
    cells = table._cells
    width = table._column_count
    own = [
        [Cell("\n".join(paragraph_text(b) for b in _blocks(cell._tc) if b.tag == f"{_W}p"), "")
         for cell in cells[start:start + width]]
        for start in range(0, len(cells), width)
    ]
    if find_header(own) is not None:
        return None
    return list(dict.fromkeys(cell._tc for cell in cells))


def _blocks(parent: Any) -> Iterator[Any]:
    """Body paragraphs and tables in order, those inside content controls included."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _blocks(child)


def paragraph_text(p: Any) -> str:
    """The text of a <w:p>: its runs (in links, insertions, fields, content controls too), with
    tabs, line breaks and tick boxes; deleted text and text boxes are not part of it."""
    parts: list[str] = []
    for run in _runs(p):
        for item in run:
            tag = item.tag
            if tag == f"{_W}t":
                parts.append(item.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if item.get(f"{_W}type") in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == f"{_W}sym":
                parts.append(_SYMBOLS.get((item.get(f"{_W}char") or "").upper(), ""))
            elif tag == f"{_W}fldChar" and (box := item.find(f"{_W}ffData/{_W}checkBox")) is not None:
                parts.append(_TICKED if _checked(box) else _EMPTY)
    return "".join(parts)


def _runs(parent: Any) -> Iterator[Any]:
    for child in parent.iterchildren():
        if child.tag == f"{_W}r":
            yield child
        elif child.tag in _RUN_HOLDERS:
            yield from _runs(child)


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs, and those of the tables nested in it, one per line."""
    texts: list[str] = []
    for block in _blocks(tc):
        paragraphs = [block] if block.tag == f"{_W}p" else block.iter(f"{_W}p")
        texts.extend(paragraph_text(p) for p in paragraphs)
    return "\n".join(texts)


def _checked(box: Any) -> bool:
    """A legacy form checkbox: its w:checked state, else its w:default."""
    state = box.find(f"{_W}checked")
    if state is None:
        state = box.find(f"{_W}default")
        return state is not None and state.get(f"{_W}val") in ("1", "true", "on")
    return state.get(f"{_W}val") not in ("0", "false", "off")


def _grid(table: Any, where: str) -> list[list[Cell]]:
    """Rows of cells of one table; each merged cell's text appears at its first position only."""
    cells = table._cells  # the layout grid, computed once (row.cells recomputes it per row)
    width = table._column_count
    seen: set[Any] = set()
    grid: list[list[Cell]] = []
    for start in range(0, len(cells), width):
        row = cells[start:start + width]
        out = []
        for offset, cell in enumerate(row):
            tc = cell._tc
            repeat = tc in seen
            seen.add(tc)
            span = down = 1
            while offset + span < len(row) and row[offset + span]._tc is tc:
                span += 1
            below = start + width + offset
            while below < len(cells) and cells[below]._tc is tc:
                down, below = down + 1, below + width
            text = "" if repeat else _cell_text(tc)
            out.append(Cell(text, f"{where}, dòng {start // width + 1}, cột {offset + 1}", span, down))
        grid.append(out)
    return grid
