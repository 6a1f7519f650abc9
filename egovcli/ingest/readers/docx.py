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
the zip guard, is parsed with lxml and each table laid out as python-docx lays it out (`_layout`:
a cell spanning columns or continuing a vertical merge repeated at each position). python-docx
still opens what this path leaves to it: a package whose main part is not word/document.xml with
Word's content type (a template, another producer's layout), and a table without a grid or with a
span that is no number (it reads or refuses those as it always did).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

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
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_WML_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN = "word/document.xml"
_TR, _TC, _TCPR, _GRID_SPAN, _V_MERGE, _VAL, _R, _T, _TAB, _BR, _CR, _SYM, _FLD_CHAR, _TYPE, _CHAR = (
    f"{_W}{tag}"
    for tag in (
        "tr", "tc", "tcPr", "gridSpan", "vMerge", "val", "r", "t", "tab", "br", "cr", "sym", "fldChar",
        "type",
        "char",
    )
)
# python-docx's own parser: blank text between tags dropped, entities never expanded
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_PACKAGE = ("[Content_Types].xml", "_rels/.rels", _MAIN)  # the parts the light path parses
MAX_LAYOUT_DEPTH = 5  # layout tables opened one inside another (hostile nesting goes no deeper)
_RUN_HOLDERS = tuple(  # inline elements whose runs are part of the paragraph's text
    f"{_W}{tag}"
    for tag in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml")
)
_BLOCK_HOLDERS = tuple(f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml"))  # content controls
_P, _TBL, _TBL_GRID = f"{_W}p", f"{_W}tbl", f"{_W}tblGrid"
_BLOCKS = (_P, _TBL)
# (lxml's iterchildren(tag) builds a tag matcher per call: plain iteration and comparison is faster)


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one Word document."""
    return interpret_document(read(path), str(path))


def read(path: Path) -> Document:
    """The document's paragraphs and tables, in reading order, each located."""
    scan = zipguard.scan_zip(path, safety.active(), keep=_PACKAGE, parsed=_PACKAGE.__contains__)
    if scan.problem:
        return Document.refusal(scan.problem)
    body = _light_body(scan.parts)
    if body is None or _unusual(body):  # python-docx reads (or refuses) those as it always did
        return _document(*_python_docx(path))
    return _document(body, _layout)


def _light_body(parts: dict[str, bytes]) -> Any:
    """The <w:body> of a package whose main part is word/document.xml with Word's content type,
    parsed straight from the guard's bytes (python-docx would parse every XML part of the package,
    styles included, to build an object model egov does not use); None for another package (a
    template, a main part elsewhere, a root that is no <w:document>): python-docx opens those."""
    try:
        types = etree.fromstring(parts["[Content_Types].xml"], _PARSER)
        rels = etree.fromstring(parts["_rels/.rels"], _PARSER)
        data = parts[_MAIN]
    except (KeyError, etree.XMLSyntaxError):
        return None
    main = [rel.get("Target", "").lstrip("/") for rel in rels.iterchildren(f"{_RELS}Relationship")
            if rel.get("Type") == _OFFICE_DOCUMENT]
    content = [o.get("ContentType") for o in types.iterchildren(f"{_TYPES}Override")
               if o.get("PartName") == f"/{_MAIN}"]
    if main != [_MAIN] or content != [_WML_MAIN]:
        return None
    root = etree.fromstring(data, _PARSER)  # a syntax error is python-docx's too: the file is unreadable
    if root.tag != f"{_W}document":
        return None
    return root.find(f"{_W}body")


def _python_docx(path: Path) -> tuple[Any, Layout]:
    """The body as python-docx parses it, and its tables' layout grids as python-docx computes
    them (`Table._cells`; its errors are its own)."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))

    def layout(tbl: Any) -> tuple[list[Any], int]:
        table = Table(tbl, document)
        return [cell._tc for cell in table._cells], table._column_count

    return document.element.body, layout


def _unusual(body: Any) -> bool:
    """A table shape the light path leaves to python-docx: a table without a grid, or a cell span
    that is no number (python-docx refuses both; its message says what is wrong)."""
    if any(tbl.find(_TBL_GRID) is None for tbl in body.iter(_TBL)):
        return True
    for span in body.iter(_GRID_SPAN):
        try:
            int(span.get(_VAL))
        except (TypeError, ValueError):
            return True
    return False


# a table's layout grid: each grid position's <w:tc>, row by row, and the grid's width
Layout = Callable[[Any], tuple[list[Any], int]]


def _document(body: Any, layout: Layout) -> Document:
    lines: list[TextLine] = []
    tables: list[list[list[Cell]]] = []
    heading: Cell | None = None  # the last paragraph with text since the last table
    ranking = False  # the last table was a ranking table, and no text followed it
    for element, where in _content(_blocks(body), "", 0, layout):
        if element.tag == _TBL:
            grid = _grid(element, where, layout)
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


def _content(blocks: Iterable[Any], prefix: str, depth: int, layout: Layout) -> Iterator[tuple[Any, str]]:
    """Paragraphs and tables in reading order, each with its location ("đoạn 3", "bảng 2"); a layout
    table's content in its place, located inside it (`prefix` "bảng 1 › ")."""
    paragraph = number = 0
    for element in blocks:
        if element.tag != _TBL:
            paragraph += 1
            yield element, f"{prefix}đoạn {paragraph}"
            continue
        number += 1
        where = f"{prefix}bảng {number}"
        cells = _layout_cells(element, layout) if depth < MAX_LAYOUT_DEPTH else None
        if cells is None:
            yield element, where
        else:
            inside = (block for tc in cells for block in _blocks(tc))
            yield from _content(inside, f"{where} › ", depth + 1, layout)


def _layout_cells(tbl: Any, layout: Layout) -> list[Any] | None:
    """The cells (<w:tc>, row by row, a merged one once) of a layout table: one that holds a table in
    a cell and has no header of its own. None for a table of data (a table in one of its cells is
    part of that cell's answer)."""
    if next(tbl.iterdescendants(_TBL), None) is None:
        return None
    cells, width = layout(tbl)
    own = [
        [Cell("\n".join(paragraph_text(b) for b in _blocks(tc) if b.tag == _P), "")
         for tc in cells[start:start + width]]
        for start in range(0, len(cells), width)
    ]
    if find_header(own) is not None:
        return None
    return list(dict.fromkeys(cells))


def _layout(tbl: Any) -> tuple[list[Any], int]:
    """The table's layout grid as python-docx lays it out (`Table._cells`): each grid position's
    <w:tc>, row by row (a cell spanning columns, or continuing a vertical merge, repeated), and the
    grid's width (its <w:gridCol>s). `_unusual` tables are not laid out here."""
    grid = tbl.find(_TBL_GRID)
    width = 0 if grid is None else sum(1 for _ in grid.iterchildren(f"{_W}gridCol"))
    cells: list[Any] = []
    for tr in tbl:
        if tr.tag != _TR:
            continue
        for tc in tr:
            if tc.tag != _TC:
                continue
            span, merge = 1, None
            for properties in tc:
                if properties.tag != _TCPR:  # (Word writes it first)
                    continue
                span_at = merge_at = None  # the first of each counts, as in python-docx
                for prop in properties:
                    if prop.tag == _GRID_SPAN and span_at is None:
                        span_at = prop
                    elif prop.tag == _V_MERGE and merge_at is None:
                        merge_at = prop
                if span_at is not None:
                    span = int(span_at.get(_VAL, "1"))
                if merge_at is not None:
                    merge = merge_at.get(_VAL, "continue")
                break
            if merge is None and span == 1:  # most cells
                cells.append(tc)
                continue
            for index in range(span):
                if merge == "continue":
                    cells.append(cells[-width])
                elif index > 0:
                    cells.append(cells[-1])
                else:
                    cells.append(tc)
    return cells, width


def _blocks(parent: Any) -> Iterator[Any]:
    """Body paragraphs and tables in order, those inside content controls included."""
    for child in parent:
        tag = child.tag
        if tag in _BLOCKS:
            yield child
        elif tag in _BLOCK_HOLDERS:
            yield from _blocks(child)


def paragraph_text(p: Any) -> str:
    """The text of a <w:p>: its runs (in links, insertions, fields, content controls too), with
    tabs, line breaks and tick boxes; deleted text and text boxes are not part of it."""
    parts: list[str] = []
    _add_runs(p, parts)
    return "".join(parts)


def _add_runs(parent: Any, parts: list[str]) -> None:
    """Append the text of the runs of `parent` (a paragraph or an inline holder) to `parts`."""
    for child in parent:
        tag = child.tag
        if tag == _R:
            for item in child:
                if item.tag == _T:  # most items: straight in, the others told apart below
                    parts.append(item.text or "")
                elif (text := _item_text(item)) is not None:
                    parts.append(text)
        elif tag in _RUN_HOLDERS:
            _add_runs(child, parts)


def _item_text(item: Any) -> str | None:
    """What a run's item other than <w:t> adds to the text: a tab, a line break, a tick box."""
    tag = item.tag
    if tag == _TAB:
        return "\t"
    if tag in (_BR, _CR):
        return "\n" if item.get(_TYPE) in (None, "textWrapping") else None
    if tag == _SYM:
        return _SYMBOLS.get((item.get(_CHAR) or "").upper(), "")
    if tag == _FLD_CHAR and (box := item.find(f"{_W}ffData/{_W}checkBox")) is not None:
        return _TICKED if _checked(box) else _EMPTY
    return None


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs, and those of the tables nested in it, one per line."""
    texts: list[str] = []
    _add_blocks(tc, texts)
    return "\n".join(texts)


def _add_blocks(parent: Any, texts: list[str]) -> None:
    """Append the texts of the paragraphs of `parent` (`_blocks`, unrolled: a cell is read often)."""
    for block in parent:
        tag = block.tag
        if tag == _P:
            texts.append(paragraph_text(block))
        elif tag == _TBL:
            texts.extend(paragraph_text(p) for p in block.iter(_P))
        elif tag in _BLOCK_HOLDERS:
            _add_blocks(block, texts)


def _checked(box: Any) -> bool:
    """A legacy form checkbox: its w:checked state, else its w:default."""
    state = box.find(f"{_W}checked")
    if state is None:
        state = box.find(f"{_W}default")
        return state is not None and state.get(f"{_W}val") in ("1", "true", "on")
    return state.get(f"{_W}val") not in ("0", "false", "off")


def _grid(tbl: Any, where: str, layout: Layout) -> list[list[Cell]]:
    """Rows of cells of one table; each merged cell's text appears at its first position only."""
    cells, width = layout(tbl)
    seen: set[Any] = set()
    grid: list[list[Cell]] = []
    for start in range(0, len(cells), width):
        row = cells[start:start + width]
        at = f"{where}, dòng {start // width + 1}, cột "
        out = []
        for offset, tc in enumerate(row):
            repeat = tc in seen
            seen.add(tc)
            span = down = 1
            while offset + span < len(row) and row[offset + span] is tc:
                span += 1
            below = start + width + offset
            while below < len(cells) and cells[below] is tc:
                down, below = down + 1, below + width
            text = "" if repeat else _cell_text(tc)
            out.append(Cell(text, f"{at}{offset + 1}", span, down))
        grid.append(out)
    return grid
