"""How every sheet of the ranking workbook looks and prints: Times New Roman, wrapped text in rows
whose height fits it, a frozen header repeated on every printed page, A4 landscape fitted to the
page width, the rule set in the page header and "Trang X/Y" in the footer.

openpyxl does not fit row heights to wrapped text and LibreOffice keeps the heights a file gives, so
each row's height is estimated here from its texts and its columns' widths (`fit_rows`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from functools import lru_cache
from typing import Any

from egovcli.render.export import FORMULA_START
from egovcli.untrusted import visible

FONT = "Times New Roman"  # the font of administrative documents (Nghị định 30/2020/NĐ-CP)
SIZE = 11
LINE_HEIGHT = 14.5  # points per wrapped line of SIZE-point text, with its leading
PAPER_A4 = 9  # OOXML paperSize
HEADER_ROW = 3  # every sheet: title, subtitle, then its header
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


def put(ws: Any, value: object, st: dict[str, Any] | None = None, *looks: str) -> Any:
    """A cell of the write-only sheet `ws` (for a row of `Sheet.add`), styled with `looks` of `st`
    (`dress`); strings are always literal text (never a formula), whatever they start with, with
    control characters shown as visible escapes (openpyxl refuses them; a reader must see them)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
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


class Sheet:
    """A write-only sheet written top to bottom, so that a national round's rows are never all in
    memory: `begin` sets what openpyxl writes before the first row (column widths, frozen panes,
    print setup) and writes the title, subtitle and header rows; `add` writes one row, its height
    fitted to its wrapped texts; `end` sets the filter over the rows written."""

    def __init__(self, ws: Any, labels: Sequence[tuple[str, float]], st: dict[str, Any]) -> None:
        self.ws, self.st = ws, st
        self.labels = list(labels)
        self.widths = [width for _, width in self.labels]
        self.line = 0  # the last row written
        self._bold: dict[int, bool] = {}  # font id → bold
        ws._values_to_row = _placed  # our rows are cells already: no value conversion per cell

    def begin(self, title: str, subtitle: str, rules_title: str, freeze: str) -> Sheet:
        """Widths, print setup, then the title (row 1) and subtitle (row 2) across the columns and
        the header (row `HEADER_ROW`)."""
        from openpyxl.utils import get_column_letter

        for col, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        print_setup(self.ws, HEADER_ROW, rules_title, freeze)
        st = self.st
        for text, font, height in ((title, "title", row_height([title], [sum(self.widths)], size=14)),
                                   (subtitle, "subtitle", row_height([subtitle], [sum(self.widths)]))):
            cell = put(self.ws, text)
            cell.font, cell.alignment = st[font], st["wrap"]
            self._write([cell], height)
            if len(self.widths) > 1:
                last = get_column_letter(len(self.widths))
                self.ws.merged_cells.add(f"A{self.line}:{last}{self.line}")
        cells = []
        for label, _ in self.labels:
            cell = put(self.ws, label)
            cell.font, cell.fill, cell.border = st["bold"], st["header_fill"], st["border"]
            cell.alignment = st["header_align"]
            cells.append(cell)
        self._write(cells, row_height([t for t, _ in self.labels], self.widths, bold=True))
        return self

    def add(self, cells: list[Any], fit: bool = True) -> None:
        """Write a row of `put` cells, its height fitted to its texts (numbers take one line)."""
        if not fit:
            self._write(cells, None)
            return
        texts = [c.value if isinstance(c.value, str) else "" for c in cells]
        bold = any(self._is_bold(c._style.fontId) for c in cells)
        self._write(cells, row_height(texts, self.widths, bold=bold))

    def _is_bold(self, font: int) -> bool:
        bold = self._bold.get(font)
        if bold is None:
            bold = self._bold[font] = bool(self.ws.parent._fonts[font].b)
        return bold

    def _write(self, cells: list[Any], height: float | None) -> None:
        self.line += 1
        if height is not None:
            self.ws.row_dimensions[self.line].height = height
        self.ws.append(cells)
        self.ws.row_dimensions.pop(self.line, None)  # written: kept, it would grow with the sheet

    def end(self) -> None:
        """The filter over the header and the rows written under it."""
        from openpyxl.utils import get_column_letter

        if self.line > HEADER_ROW:
            self.ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(self.labels))}{self.line}"


def _placed(cells: list[Any], row: int) -> Iterator[Any]:
    """A row of `put` cells, placed (openpyxl's write-only `_values_to_row` would try each cell as a
    value first, and fail over to it as a cell: an exception per cell)."""
    for column, cell in enumerate(cells, start=1):
        cell.row, cell.column = row, column
        yield cell


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
