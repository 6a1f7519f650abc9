"""How every sheet of the ranking workbook looks and prints: Times New Roman, wrapped text in rows
whose height fits it, a frozen header repeated on every printed page, A4 landscape fitted to the
page width, the rule set in the page header and "Trang X/Y" in the footer.

openpyxl does not fit row heights to wrapped text and LibreOffice keeps the heights a file gives, so
each row's height is estimated here from its texts and its columns' widths (`fit_rows`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from copy import copy
from functools import lru_cache
from typing import Any

from egovcli.render.export import FORMULA_START
from egovcli.untrusted import visible

FONT = "Times New Roman"  # the font of administrative documents (Nghị định 30/2020/NĐ-CP)
SIZE = 11
LINE_HEIGHT = 14.5  # points per wrapped line of SIZE-point text, with its leading
PAPER_A4 = 9  # OOXML paperSize
WIDE = 1.3  # an upper-case letter is wider than the column unit (the "0" of the default font)
NARROW = 0.9  # a lower-case letter, a space or a digit, on average: a little less
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_LOOKS = {  # a look of `styles()` → the cell attribute it sets
    "text": "font", "bold": "font", "border": "border", "wrap": "alignment", "centre": "alignment",
    "flag_fill": "fill",
}


def sheet_name(text: str, used: set[str]) -> str:
    """A valid, unique (case-insensitive) sheet name: ≤31 characters, none of []:*?/\\ ."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", visible(text)).split()).strip("'") or "Mục"
    name, n = _fit(base, 31), 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = _fit(base, 31 - len(suffix)) + suffix, n + 1
    used.add(name.casefold())
    return name


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut[: cut.rindex(" ")] if " " in cut else cut).rstrip(" ,;.-–") + "…"


def use_times(wb: Any) -> None:
    """Make Times New Roman the workbook's default font: blank cells, and the unit of column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    default = Font(name=FONT, sz=SIZE, family=1)
    wb._fonts = IndexedList([default])  # font 0 is the default every style starts from
    wb._named_styles["Normal"].font = default


def styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "built": {},  # `dress`: each combination of looks, once built
        "text": Font(name=FONT, size=SIZE),
        "title": Font(name=FONT, bold=True, size=14),
        "subtitle": Font(name=FONT, italic=True, size=SIZE),
        "bold": Font(name=FONT, bold=True, size=SIZE),
        "header_fill": PatternFill("solid", fgColor="DCE6F1"),
        "flag_fill": PatternFill("solid", fgColor="FCD5B4"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "number": Alignment(vertical="top", horizontal="right"),
        "centre": Alignment(vertical="top", horizontal="center", wrap_text=True),
        "header_align": Alignment(wrap_text=True, horizontal="center", vertical="center"),
    }


def put(ws: Any, row: int, col: int, value: object, st: dict[str, Any] | None = None, *looks: str) -> Any:
    """Set a cell, styled with `looks` of `st` (`dress`); strings are always literal text (never a
    formula), whatever they start with, with control characters shown as visible escapes (openpyxl
    refuses them; a reader must see them)."""
    cell = ws.cell(row=row, column=col)
    if st is not None:
        dress(cell, st, *looks)
    if isinstance(value, str):
        text = visible(value)
        cell.value = text
        cell.data_type = "s"
        if text.lstrip(" \u00a0").startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    else:
        cell.value = value
    return cell


def dress(cell: Any, st: dict[str, Any], *looks: str) -> None:
    """Give `cell` the `looks` of `st` ("text", "bold", "border", "wrap", "flag_fill"…): each
    combination is built once and copied after (openpyxl hashes every style object it is given,
    which takes minutes over the cells of a national round)."""
    built = st["built"]
    if looks in built:
        cell._style = copy(built[looks])
        return
    for look in looks:
        setattr(cell, _LOOKS[look], st[look])
    built[looks] = copy(cell._style)


def titles(ws: Any, title: str, subtitle: str, widths: Sequence[float], st: dict[str, Any]) -> None:
    """The title (row 1) and subtitle (row 2) across the table's columns, their rows high enough."""
    put(ws, 1, 1, title).font = st["title"]
    put(ws, 2, 1, subtitle).font = st["subtitle"]
    for row in (1, 2):
        ws.cell(row=row, column=1).alignment = st["wrap"]
        if len(widths) > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    ws.row_dimensions[1].height = row_height([title], [sum(widths)], size=14)
    ws.row_dimensions[2].height = row_height([subtitle], [sum(widths)])


def header(ws: Any, row: int, labels: Sequence[tuple[str, float]], st: dict[str, Any]) -> int:
    """Write a header row of (label, column width), its height fitted; returns the number of columns."""
    from openpyxl.utils import get_column_letter

    for col, (label, width) in enumerate(labels, start=1):
        cell = put(ws, row, col, label)
        cell.font, cell.fill, cell.border = st["bold"], st["header_fill"], st["border"]
        cell.alignment = st["header_align"]
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row].height = row_height([t for t, _ in labels], [w for _, w in labels], bold=True)
    return len(labels)


def print_setup(ws: Any, header_row: int, rules_title: str, freeze: str) -> None:
    """A4 landscape, every column on one page width (as many pages down as needed), the header row
    frozen and repeated on every page, the rule set in the page header, "Trang X/Y" in the footer."""
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = freeze
    if rules_title:
        ws.oddHeader.center.text = rules_title.replace("&", "&&")  # "&" starts a header code
        ws.oddHeader.center.font, ws.oddHeader.center.size = f"{FONT},Italic", 9
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font, ws.oddFooter.center.size = f"{FONT},Regular", 10


@lru_cache(maxsize=1 << 14)  # a detail sheet repeats each criterion's title for every agency
def text_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide: words packed greedily,
    each letter counted nearly as wide as the column unit's "0" (upper case wider), so that the
    estimate errs towards a line too many, never a line cut off."""
    room = max(width - 1.5, 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        used, lines = 0.0, lines + 1
        if len(paragraph) * WIDE <= room:  # fits whatever its letters
            continue
        for word in paragraph.split(" "):
            size = len(word) * NARROW + sum(map(str.isupper, word)) * (WIDE - NARROW)
            if used and used + NARROW + size > room:
                lines, used = lines + 1, 0.0
            elif used:
                used += NARROW
            while size > room:  # a word longer than the column breaks anywhere
                lines, size = lines + 1, size - room
            used += size
    return lines


def row_height(
    texts: Iterable[object], widths: Iterable[float], *, size: int = SIZE, bold: bool = False
) -> float:
    """The height (points) a row needs for its cells' wrapped `texts` in columns of `widths`."""
    scale = (1.1 if bold else 1.0) * size / SIZE
    lines = max(
        (text_lines(str(text), width / scale) for text, width in zip(texts, widths, strict=False)
         if text not in (None, "")),
        default=1,
    )
    return math.ceil(lines * LINE_HEIGHT * size / SIZE + 3)


def fit_rows(ws: Any, first: int, last: int, widths: Sequence[float]) -> None:
    """Set each row's height from `first` to `last` to fit its wrapped texts (numbers take one line)."""
    for row in range(first, last + 1):
        cells = [ws.cell(row=row, column=col) for col in range(1, len(widths) + 1)]  # ws[row] is O(sheet)
        texts = [c.value if isinstance(c.value, str) else "" for c in cells]
        bold = any(c.font is not None and c.font.b for c in cells)
        ws.row_dimensions[row].height = row_height(texts, widths, bold=bold)


def autofilter(ws: Any, header_row: int, ncols: int, last: int) -> None:
    from openpyxl.utils import get_column_letter

    if last > header_row:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{last}"
