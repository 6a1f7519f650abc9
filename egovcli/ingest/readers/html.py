"""Web pages saved from a portal (.html, .htm): a ranking is often published as a page. Only
`egov verify` reads them (`egovcli.ingest.ranking.VERIFY_EXTRACTORS`); `egov ingest` does not take
web pages as reports.

The page is parsed by lxml's HTML parser with no network access (nothing the page links to is
fetched), no DTD loaded and no entity but the HTML ones expanded; comments, processing
instructions, scripts and styles are dropped. The file's size is checked before (`Limits.max_file_mb`),
the cells of its tables are counted against `Limits.max_cells`. Each innermost <table> is a grid
(a layout table holding other tables is not), its cells located "bảng 2, dòng 5, cột 3", merged
cells (colspan, rowspan) read once at their first position as the other readers do; the text just
above a table (a heading, a paragraph) is put on top of it as its heading; the page's other text
becomes lines ("đoạn 14").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from egovcli.ingest.layout import Cell, Document, Grid, TextLine, interpret_document
from egovcli.ingest.layout.published import is_ranking_table
from egovcli.ingest.readers import safety
from egovcli.model import Extracted

_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "caption", "div", "li")
_INNER = "ancestor::table | .//table | " + " | ".join(f".//{tag}" for tag in _BLOCKS)  # text read once
_MAX_SPAN = 1_000  # a colspan/rowspan larger than this is a hostile page, not a table


def extract(path: Path) -> Extracted:
    """Observations of one saved web page (its ranking tables)."""
    return interpret_document(read(path), str(path))


def _encoding(data: bytes) -> str | None:
    """UTF-8 for a page that declares no charset but is valid UTF-8 (a Vietnamese page copied or
    saved without its <meta charset> would otherwise be read as Latin-1: "XÃ¡ºp háº¡ng"); else
    None, the page's own declaration (or lxml's guess)."""
    head = data[:4096].lower()
    if b"charset" in head:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def read(path: Path) -> Document:
    """The page's tables (each with the text above it as heading) and its lines, located."""
    import lxml.html

    data = path.read_bytes()
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, collect_ids=False,
        encoding=_encoding(data),
    )
    root = lxml.html.document_fromstring(data, parser=parser)
    for junk in root.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    limits = safety.active()
    lines: list[TextLine] = []
    tables: list[Grid] = []
    heading: Cell | None = None
    cells = 0
    number = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "table" and not element.xpath(".//table"):
            number += 1
            grid = _grid(element, f"bảng {number}", limits.max_cells - cells)
            if grid is None:
                what, actual = "số ô của các bảng", f"hơn {limits.max_cells}"
                refused = safety.too_large(str(path), what, actual, limits.max_cells)
                return Document.refusal(refused)
            cells += sum(len(row) for row in grid)
            titled = [[heading], *grid] if heading else grid
            tables.append(titled if grid and is_ranking_table(titled) else grid)
            heading = None
        elif element.tag in _BLOCKS and not element.xpath(_INNER):
            text = " ".join(element.text_content().split())
            if text:
                where = f"đoạn {len(lines) + 1}"
                lines.append(TextLine(text, where))
                heading = Cell(text, where)
    return Document(lines, tables)


def _grid(table: Any, where: str, budget: int) -> list[list[Cell]] | None:
    """Rows of cells of one table; a merged cell's text at its first position only, as in .docx;
    None as soon as it would hold more than `budget` cells (spans counted before they are made)."""
    grid: list[list[Cell]] = []
    below: dict[tuple[int, int], Cell] = {}  # (row, column) taken by a rowspan from above
    for r, tr in enumerate(table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")):
        row: list[Cell] = []
        column = 0
        for td in tr.xpath("./td | ./th"):
            while (r, column) in below:
                row.append(below.pop((r, column)))
                column += 1
            span, down = _span(td.get("colspan")), _span(td.get("rowspan"))
            budget -= span * down
            if budget < 0:
                return None
            text = "\n".join(" ".join(part.split()) for part in td.itertext() if part.strip())
            row.append(Cell(text, f"{where}, dòng {r + 1}, cột {column + 1}", span, down))
            row += [Cell("", f"{where}, dòng {r + 1}, cột {column + extra + 1}") for extra in range(1, span)]
            for lower in range(1, down):
                for extra in range(span):
                    place = f"{where}, dòng {r + lower + 1}, cột {column + extra + 1}"
                    below[(r + lower, column + extra)] = Cell("", place)
            column += span
        while (r, column) in below:
            row.append(below.pop((r, column)))
            column += 1
        grid.append(row)
    width = max((len(row) for row in grid), default=0)
    budget -= sum(width - len(row) for row in grid)
    if budget < 0:
        return None
    return [row + [Cell("", f"{where}, dòng {r + 1}, cột {c + 1}") for c in range(len(row), width)]
            for r, row in enumerate(grid)]


def _span(text: str | None) -> int:
    try:
        return min(max(int(text or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1
