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

Hostile documents (zip bombs, XML entities) are refused before any parser opens them
(`zipguard`). The body is read without python-docx's object model (which parses every part of the
package, styles included, and builds an object per cell): word/document.xml, decompressed once by
the zip guard, is parsed with lxml, its text read in one pass (`docx_body`: over lxml's C-level
iteration for a plain body, by an XSLT stylesheet for any other) and each table laid out as
python-docx lays it out (`_layout`: a cell spanning columns or continuing a vertical merge
repeated at each position). python-docx still opens what this path leaves to it: a
package whose main part is not word/document.xml with Word's content type (a template, another
producer's layout), and a table without a grid or with a span that is no number (it reads or
refuses those as it always did).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import chain, compress, count, cycle, repeat
from operator import add, ne, or_
from pathlib import Path
from typing import Any, cast

from lxml import etree

from egovcli.ingest.layout import Cell, Document, TextLine, interpret_document
from egovcli.ingest.layout.header import find_header
from egovcli.ingest.layout.published import is_ranking_table
from egovcli.ingest.readers import docx_body, safety, zipguard
from egovcli.ingest.readers.docx_body import MAX_LAYOUT_DEPTH, Block, Table
from egovcli.model import Extracted

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_WML_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN = "word/document.xml"
_TBL, _TR, _TC = (f"{_W}{tag}" for tag in ("tbl", "tr", "tc"))
# python-docx's own parser: blank text between tags dropped, entities never expanded
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_PACKAGE = ("[Content_Types].xml", "_rels/.rels", _MAIN)  # the parts the light path parses
# (zip and map stop at a row's last text: these are never used up)
_new, _ONE, _CELLS, _LINES = tuple.__new__, repeat(1), repeat(Cell), repeat(TextLine)


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one Word document."""
    return interpret_document(read(path), str(path))


def read(path: Path) -> Document:
    """The document's paragraphs and tables, in reading order, each located."""
    scan = zipguard.scan_zip(path, safety.active(), keep=_PACKAGE, parsed=_PACKAGE.__contains__)
    if scan.problem:
        return Document.refusal(scan.problem)
    body = _light_body(scan.parts)
    blocks = None if body is None else docx_body.laid_out_blocks(body)
    if blocks is None:  # python-docx reads (or refuses) those as it always did
        return _document(*_python_docx(path))
    return _document(blocks, _layout)


def _light_body(parts: dict[str, bytes]) -> Any:
    """The <w:body> of a package whose main part is word/document.xml with Word's content type,
    parsed straight from the guard's bytes (python-docx would parse every XML part of the package,
    styles included, to build an object model egov does not use); None for another package (a
    template, a main part elsewhere, a root that is no <w:document>): python-docx opens those."""
    try:
        types, rels, data = parts["[Content_Types].xml"], parts["_rels/.rels"], parts[_MAIN]
    except KeyError:
        return None
    if not _word_package(types, rels):
        return None
    root = etree.fromstring(data, _PARSER)  # a syntax error is python-docx's too: the file is unreadable
    if root.tag != f"{_W}document":
        return None
    return root.find(f"{_W}body")


@lru_cache(maxsize=64)  # a round's files share these two parts (one producer, one template)
def _word_package(types: bytes, rels: bytes) -> bool:
    """Whether a package's main part, by its [Content_Types].xml and _rels/.rels, is
    word/document.xml with Word's content type."""
    try:
        types_root = etree.fromstring(types, _PARSER)
        rels_root = etree.fromstring(rels, _PARSER)
    except etree.XMLSyntaxError:
        return False
    main = [rel.get("Target", "").lstrip("/") for rel in rels_root.iterchildren(f"{_RELS}Relationship")
            if rel.get("Type") == _OFFICE_DOCUMENT]
    content = [o.get("ContentType") for o in types_root.iterchildren(f"{_TYPES}Override")
               if o.get("PartName") == f"/{_MAIN}"]
    return main == [_MAIN] and content == [_WML_MAIN]


def _python_docx(path: Path) -> tuple[list[Block], Layout]:
    """The body as python-docx parses it, and its tables' layout grids as python-docx computes
    them (`Table._cells`; its errors are its own)."""
    import docx
    from docx.table import Table as DocxTable

    document = docx.Document(str(path))
    body = document.element.body
    if body is None:  # a <w:document> without a body: unreadable, in the words egov always gave
        raise TypeError("'NoneType' object is not iterable")
    tables = docx_body.number_tables(body)

    def layout(table: Table) -> tuple[list[int], int]:
        tbl = tables[int(table.index)]
        own = (tc for tr in tbl if tr.tag == _TR for tc in tr if tc.tag == _TC)  # as `Table.cells` holds them
        place = {tc: at for at, tc in enumerate(own)}
        grid = DocxTable(tbl, document)
        return [place[cell._tc] for cell in grid._cells], grid._column_count

    return docx_body.blocks(body), layout


# a table's layout grid: each grid position's cell (its place in `Table.cells`), row by row, and
# the grid's width
Layout = Callable[[Table], tuple[list[int], int]]


def _document(body: list[Block], layout: Layout) -> Document:
    lines: list[TextLine] = []
    tables: list[list[list[Cell]]] = []
    last: list[TextLine] = []  # the lines of the last paragraph with text since the last table
    ranking = False  # the last table was a ranking table, and no text followed it
    for block, where in _content(body, "", 0, layout):
        if isinstance(block, Table):
            heading = None
            if last:  # that paragraph, as one cell (a ranking table's heading)
                heading = Cell(" ".join(line.text.strip() for line in last), last[0].location)
            grid = _grid(block, where, layout)
            titled = [[heading], *grid] if heading else grid
            if ranking and heading is None and grid and len(grid[0]) == len(tables[-1][-1]):
                tables[-1].extend(grid)
            else:
                ranking = bool(grid) and is_ranking_table(titled)
                tables.append(titled if ranking else grid)
            last = []
            continue
        texts = list(filter(str.strip, block.splitlines()))  # its lines with text
        if texts:
            last = list(map(_new, _LINES, zip(texts, repeat(where))))
            lines.extend(last)
    return Document(lines, list(tables))


def _content(blocks: Iterable[Block], prefix: str, depth: int, layout: Layout) -> Iterator[tuple[Block, str]]:
    """Paragraphs and tables in reading order, each with its location ("đoạn 3", "bảng 2"); a layout
    table's content in its place, located inside it (`prefix` "bảng 1 › ")."""
    paragraph = number = 0
    for block in blocks:
        if not isinstance(block, Table):
            paragraph += 1
            yield block, f"{prefix}đoạn {paragraph}"
            continue
        number += 1
        where = f"{prefix}bảng {number}"
        cells = _layout_cells(block, layout) if depth < MAX_LAYOUT_DEPTH else None
        if cells is None:
            yield block, where
        else:
            inside = (inner for cell in cells for inner in block.cells[cell])
            yield from _content(inside, f"{where} › ", depth + 1, layout)


def _layout_cells(table: Table, layout: Layout) -> list[int] | None:
    """The cells (row by row, a merged one once) of a layout table: one that holds a table in a
    cell and has no header of its own. None for a table of data (a table in one of its cells is
    part of that cell's answer)."""
    if not table.nested:
        return None
    cells, width = layout(table)
    texts = ["\n".join(block for block in blocks if isinstance(block, str)) for blocks in table.cells]
    rows = range(0, len(cells), width)
    own = [[Cell(texts[cell], "") for cell in cells[start:start + width]] for start in rows]
    if find_header(own) is not None:
        return None
    return list(dict.fromkeys(cells))


def _layout(table: Table) -> tuple[list[int], int]:
    """The table's layout grid as python-docx lays it out (`Table._cells`): each grid position's
    cell, row by row (a cell spanning columns, or continuing a vertical merge, repeated), and the
    grid's width (its <w:gridCol>s). `docx_body.unusual` tables are not laid out here."""
    width = table.width
    if not any(table.continues) and not any(table.spans):  # most tables: no cell merged
        return list(range(len(table.spans))), width
    cells: list[int] = []
    merged = map(or_, table.continues, map(bool, table.spans))
    done = 0  # the cells before it are laid out (those between merged ones: each at one position)
    for cell in compress(count(), merged):
        cells.extend(range(done, cell))
        done = cell + 1
        continues, written = table.continues[cell], table.spans[cell]
        for index in range(int(written) if written else 1):
            if continues:
                cells.append(cells[-width])
            elif index > 0:
                cells.append(cells[-1])
            else:
                cells.append(cell)
    cells.extend(range(done, len(table.spans)))
    return cells, width


def _cell_text(blocks: list[Block]) -> str:
    """A cell's paragraphs, and those of the tables nested in it, one per line."""
    if len(blocks) == 1 and isinstance(blocks[0], str):  # most cells: one paragraph
        return blocks[0]
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            texts.extend(block.flat)
        else:
            texts.append(block)
    return "\n".join(texts)


def _grid(table: Table, where: str, layout: Layout) -> list[list[Cell]]:
    """Rows of cells of one table; each merged cell's text appears at its first position only."""
    cells, width = layout(table)
    if table.nested:
        texts = list(map(_cell_text, table.cells))
    else:  # (its cells hold paragraphs only: each one's joined at C level)
        texts = list(map("\n".join, cast("list[list[str]]", table.cells)))
    merged = cells != list(range(len(table.cells)))  # most tables: each cell at one position, in order
    if merged:
        texts = list(map(texts.__getitem__, cells))
    # one Cell per grid position, for the whole table at once, made without a Python call each (a
    # NamedTuple's __new__ is one); the few positions of merged cells are then made again
    rows = range(0, len(cells), width)
    starts = [f"{where}, dòng {row}, cột " for row in range(1, len(rows) + 1)]
    columns = cycle(map(str, range(1, width + 1)))
    places = map(add, chain.from_iterable(map(repeat, starts, repeat(width))), columns)
    made = list(map(_new, _CELLS, zip(texts, places, _ONE, _ONE, strict=False)))
    if merged:
        _merge(made, cells, width)
    return [made[start:start + width] for start in rows]


def _merge(made: list[Cell], cells: list[int], width: int) -> None:
    """Makes again the grid positions of the cells laid out at more than one (`cells`: each
    position's cell): the first tells how many columns and rows the cell covers from there, the
    others are blank. A cell at one position covers it alone, as `made` has it."""
    size = len(cells)
    first = dict(zip(reversed(cells), range(size - 1, -1, -1), strict=True))  # each cell's first position
    again = set(compress(range(size), map(ne, map(first.__getitem__, cells), range(size))))
    for at in again.union(first[cells[position]] for position in again):
        cell = cells[at]
        span, row_end = 1, min(at - at % width + width, size)
        while at + span < row_end and cells[at + span] == cell:
            span += 1
        down, below = 1, at + width
        while below < size and cells[below] == cell:
            down, below = down + 1, below + width
        text, place, _, _ = made[at]
        made[at] = Cell("" if at in again else text, place, span, down)
