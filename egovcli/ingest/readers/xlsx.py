"""Read an .xlsx workbook: every sheet (hidden ones too) is a grid of cells located as "Sheet!E12".

Values come from calamine: a formula cell gives the value Excel cached when the file was last
saved, a merged range its text once, in its top-left cell (which knows how many columns it spans).
A formula saved without a cached value (files written by scripts, never opened in Excel) is not
read as empty: its cell holds the formula text ("=SUM(D5:D7)", no value) and a W-FORMULA-NO-VALUE
problem names it. calamine cannot tell such cells apart, so the sheet XML is scanned for them
(`sheetformulas`), only when the zip guard saw a formula in it.

A published ranking table's number is printed in a row above its header (a row of the grid) or
only in the sheet's name ("2.1", "Bảng 2.1"): then the name becomes a one-cell row right above the
header (located by the sheet's name), the table's heading.

Hostile workbooks are refused before calamine opens them (`zipguard.scan_zip`, which also bounds or counts
each sheet's real cells and rows against the limits, and hands over the workbook's parts and part names: the
zip is scanned once, not reopened for them). calamine reads a small workbook from the zip the guard rebuilt of
the parts it parses, stored as the guard checked them, so that they are decompressed once (`plainzip`; the
parts it never opens are left out). A sheet whose used area is far from A1 (a lone cell at XFD1048576) is read
from its used area only, not padded. A sheet whose cells are far fewer than the box from its first to its last
(a report and one stray cell at XFD1048576 or A1048576) is read from its XML as a stream (`sheetxml`), only
the cells it has: each band of columns with cells is a grid of its own (the report, and the stray cell apart),
every cell at its real reference.

This module reads .ods and .xls workbooks too (through `legacy`). calamine builds every sheet of
those as a dense box when it opens them (a stray cell at IV65536 of an .xls: a 16-million-cell
grid, 1 GB; at XFD1048576 of an .ods: refused), so egov reads their cells one by one, counting the
real cells against the limits: an .ods from its content.xml (`sheetxml.read_ods`; calamine reads no
merged ranges of an .ods, so a file reads the same with or without a stray cell, and as its .xlsx
does), an .xls with xlrd (`xls.read_xls`). Which .xls sheet is sparse is known only once its cells
are read, and xlrd has read them by then, so every .xls takes that path; calamine reads an .xls
only when xlrd cannot (a password, damage), and says what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate, chain, compress, count, repeat
from operator import add, is_not
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from egovcli.ingest.layout import Cell, Document, interpret_document
from egovcli.ingest.layout.published import heading_slot, table_number
from egovcli.ingest.readers import safety, sheetformulas, sheetxml, sniff, xls, zipguard
from egovcli.model import Extracted
from egovcli.problems import Problem, problem
from egovcli.textnorm import vi_number

# a sheet whose box holds over this many times its real cells (and over _DENSE_SLACK cells), or more
# than the limits allow, is read cell by cell: building the box would cost far more than the cells
_DENSE_FACTOR = 16
_DENSE_SLACK = 100_000
# the parts of a workbook that calamine reads (those the zip guard checks in full) and those it
# never opens: pictures, themes, drawings, charts, properties
_WORKBOOK = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_NOT_READ = re.compile(
    r"(?:docProps|customXml|xl/(?:media|theme|drawings|charts|diagrams|embeddings|printerSettings|activeX"
    r"|ctrlProps|customXml))/",
    re.IGNORECASE,
)
_OTHER_KIND = frozenset({"xl/workbook.bin", "mimetype", "content.xml"})  # parts of an .xlsb, an .ods
_new, _ONE = tuple.__new__, repeat(1)  # (zip stops at a row's last text: _ONE is never used up)
# the locations of boxes of cells remembered (`_places`): at most this many boxes of at most this many cells
# (~200 KB each at most), emptied when full (a round of many templates fills it again with those that recur)
_known_places: dict[tuple[str, int, int, int], list[str]] = {}
_PLACES_MAX, _PLACES_CELLS = 32, 2048
_BAND_GAP = 20  # empty columns that part two bands of a sparse sheet (a stray cell is not the report)


def extract(path: Path) -> Extracted:
    """Observations, agency and period of one workbook."""
    with _uncollected():
        return interpret_document(read(path), str(path))


@contextmanager
def _uncollected() -> Iterator[None]:
    """The cyclic garbage collector paused while one workbook is read and interpreted: its cells,
    rows and observations are thousands of small objects in no cycle, freed by their counts when
    the file is done (and the grid is bounded by the limits). Collecting every 700 of them, and now
    and then the whole heap, found nothing and cost about a tenth of a report's read."""
    if not gc.isenabled():  # (the caller paused it: leave it so)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read(path: Path) -> Document:
    """Every sheet's grids (a sheet's name as the heading of a numbered ranking table), and the
    formulas saved without a value and the macros, as problems."""
    limits = safety.active()
    scan = None
    if sniff.is_zip(path):
        ods = path.suffix.lower() == ".ods"  # (its parts are another matter: all checked in full)
        scan = zipguard.scan_zip(path, limits, keep=_WORKBOOK, parsed=None if ods else _calamine_reads,
                                 rebuild=not ods)
    if scan and scan.problem:
        return Document.refusal(scan.problem)
    streamed = _streamed(path, limits)
    if isinstance(streamed, Problem):
        return Document.refusal(streamed)
    sheets: Iterator[tuple[str, Grids]]
    if streamed is not None:
        sheets = ((name, _grids(sheet, name, {}, limits, str(path))) for name, sheet in streamed)
    else:
        sheets = _calamine_sheets(path, scan, limits)
    tables: list[list[list[Cell]]] = []
    problems: list[Problem] = []
    for name, (grids, placed, formulas) in sheets:
        if isinstance(grids, Problem):
            return Document.refusal(grids)
        problems += [problem("W-FORMULA-NO-VALUE", str(path), f"{name}!{ref}", formula=formulas[ref])
                     for ref in placed]
        for grid in grids:
            if table_number(name) and (slot := heading_slot(grid)) is not None:
                grid.insert(slot, [Cell(name, name)])
            tables.append(grid)
    if path.suffix.lower() == ".xlsm" or (scan and any(_is_vba(name) for name in scan.names)):
        problems.append(problem("I-MACROS-NOT-RUN", str(path)))
    return Document([], list(tables), problems)


# a sheet's grids (or why it is not read), the formulas without a value placed in them, all of those
Grids = tuple[list[list[list[Cell]]] | Problem, list[str], dict[str, str]]


def _calamine_sheets(
    path: Path, scan: zipguard.ZipScan | None, limits: safety.Limits
) -> Iterator[tuple[str, Grids]]:
    """Each worksheet read by calamine, as a dense grid — or, for an .xlsx sheet whose real cells are
    far fewer than its box, from its XML."""
    from python_calamine import SheetTypeEnum

    workbook = _workbook(path, scan)
    # which part holds which sheet matters only for a sheet read from its XML, or with formulas
    wanted = scan is not None and any(area.formulas or _sparse(area, limits) for area in scan.sheets.values())
    where = sheetxml.parts(_Kept(scan.parts)) if scan and wanted else sheetxml.Parts()
    uncached = _uncached_formulas(path, where, scan) if scan else {}
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:  # chart and dialog sheets hold no cells
            continue
        name = meta.name
        formulas = uncached.get(name, {})
        area = scan.sheets.get(where.sheets.get(name, "")) if scan else None
        if area is not None and _sparse(area, limits):
            with sniff.open_zip(path) as archive:
                sheet = sheetxml.read_sheet(archive, where.sheets[name], where)
            yield name, _grids(sheet, name, formulas, limits, str(path))
        else:
            yield name, _dense_grid(workbook.get_sheet_by_name(name), name, formulas, limits, str(path))


def _workbook(path: Path, scan: zipguard.ZipScan | None) -> Any:
    """calamine's workbook: from the zip the guard rebuilt of the parts it parses, stored as the guard checked
    them (so never decompressed twice), when calamine can only read it as an .xlsx (from bytes it guesses the
    kind: an .xlsb or .ods part would let it guess otherwise); else from the file, which also says what is
    wrong with a workbook calamine cannot read."""
    from python_calamine import CalamineWorkbook

    if (scan is not None and scan.rebuilt is not None and "xl/workbook.xml" in scan.parts
            and not _OTHER_KIND.intersection(scan.names)):
        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(scan.rebuilt))
        except Exception:  # noqa: BLE001, S110 - read again from the file, for its own error
            pass
    return CalamineWorkbook.from_path(str(path))


def _streamed(path: Path, limits: safety.Limits) -> list[tuple[str, sheetxml.Sheet]] | Problem | None:
    """The cells of every sheet of an .ods or an .xls, read cell by cell; None for calamine to read
    the file (another kind, an .xls xlrd does not read, a broken content.xml)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".ods" and sniff.is_zip(path):
            with sniff.open_zip(path) as archive:
                return sheetxml.read_ods(archive, limits.max_rows, limits.max_cells)
        if suffix == ".xls":
            return xls.read_xls(path, limits.max_rows, limits.max_cells)
    except (xls.Unreadable, ElementTree.ParseError, KeyError):
        return None  # a password, a damaged file: calamine says what is wrong with it
    except sheetxml.TooManyCells as exc:
        return safety.too_large(
            str(path), f"dữ liệu của trang tính {exc.sheet}", f"ít nhất {exc.rows} dòng, {exc.cells} ô",
            f"{limits.max_rows} dòng, {limits.max_cells} ô", exc.sheet,
        )
    return None


def _dense_grid(sheet: Any, name: str, formulas: dict[str, str], limits: safety.Limits, file: str) -> Grids:
    """The sheet as calamine reads it (its used area as a dense grid), empty rows left out; a
    formula without its value in the cell it left empty. A box over the limits is refused, naming
    its far corner (most often a stray cell far from the report)."""
    if sheet.height > limits.max_rows or sheet.height * sheet.width > limits.max_cells:
        (top, left), (bottom, right) = sheet.start or (0, 0), sheet.end or (0, 0)
        first, last = f"{_column_letter(left)}{top + 1}", f"{_column_letter(right)}{bottom + 1}"
        size = f"{sheet.height} dòng × {sheet.width} cột = {sheet.height * sheet.width} ô"
        limit = f"{limits.max_rows} dòng, {limits.max_cells} ô"
        advice = (f"vùng có dữ liệu kéo đến dòng {bottom + 1}, cột {_column_letter(right)}: nếu ở đó chỉ là"
                  " một ô lạc xa phần báo cáo, hãy xoá ô đó (hoặc lưu tệp thành .xlsx) rồi gửi lại")
        return safety.too_large(file, f"vùng dữ liệu {first}:{last}", size, limit, name, advice), [], formulas
    end = sheet.end or (0, 0)
    padded = (end[0] + 1) * (end[1] + 1) <= limits.max_cells  # rows and columns from A1
    top, left = (0, 0) if padded else sheet.start or (0, 0)
    values = sheet.to_python(skip_empty_area=not padded)
    flat = list(chain.from_iterable(values))
    for at in compress(count(), map(is_not, map(type, flat), repeat(str))):  # most cells are text: the
        flat[at] = _text(flat[at])  # others (numbers, dates), found without a Python step each
    bounds = list(accumulate(map(len, values), initial=0))
    rows: list[list[str]] = list(map(flat.__getitem__, map(slice, bounds, bounds[1:])))
    placed = []
    for ref, formula in formulas.items():
        row, column = _position(ref)
        row, column = row - top, column - left
        if row < 0 or column < 0:
            continue
        rows += [[] for _ in range(row + 1 - len(rows))]
        rows[row] += [""] * (column + 1 - len(rows[row]))
        if not rows[row][column]:
            rows[row][column] = formula
            placed.append(ref)
    columns = [f"{name}!{_column_letter(left + c)}" for c in range(max(map(len, rows), default=0))]
    made = _cells(rows, columns, top)
    for (first, left_at), (last, right_at) in sheet.merged_cell_ranges or ():  # its top-left cell spans it
        row, column = first - top, left_at - left
        if 0 <= row < len(made) and 0 <= column < len(made[row]):
            cell = made[row][column]
            made[row][column] = Cell(cell.text, cell.location, right_at - left_at + 1, last - first + 1)
    grid = list(compress(made, map(any, rows)))  # (empty rows left out)
    return [grid] if grid else [], placed, formulas


def _cells(rows: list[list[str]], columns: list[str], top: int) -> list[list[Cell]]:
    """Each row's cells, located "Sheet!B12" (`columns` "Sheet!B", the first row `top`, 0-based),
    made without a Python call each (a NamedTuple's __new__ is one): for the whole box at once when
    its rows are as wide as it (most sheets), else row by row."""
    width = len(columns)
    if width and min(map(len, rows)) == width:
        places = _places(columns, top, len(rows))
        made = list(map(_new, repeat(Cell), zip(chain.from_iterable(rows), places, _ONE, _ONE, strict=False)))
        return [made[at:at + width] for at in range(0, len(made), width)]
    return [list(map(_new, repeat(Cell), zip(texts, map(add, columns, repeat(str(top + r + 1))), _ONE, _ONE,
                                             strict=False)))
            for r, texts in enumerate(rows)]


def _places(columns: list[str], top: int, height: int) -> list[str]:
    """The locations of a box's cells, row by row ("Sheet!B12"; `columns` "Sheet!B", the first row `top`,
    0-based), remembered for small boxes: reports filled in from one template have the same sheet names
    and boxes, and making a box's hundreds of locations costs half as much as making its cells.
    (`columns[0]` names the sheet and the first column: a column's letters hold no "!".)"""
    key = (columns[0], len(columns), top, height)
    if (places := _known_places.get(key)) is None:
        numbers = map(repeat, map(str, range(top + 1, top + height + 1)), repeat(len(columns)))
        places = list(map(add, columns * height, chain.from_iterable(numbers)))
        if len(places) <= _PLACES_CELLS:
            if len(_known_places) >= _PLACES_MAX:
                _known_places.clear()
            _known_places[key] = places
    return places


def _grids(sheet: sheetxml.Sheet, name: str, formulas: dict[str, str], limits: safety.Limits,
           file: str) -> Grids:
    """A sheet read cell by cell: one grid per band of columns with cells (columns fewer than
    `_BAND_GAP` apart are one band), its rows those with a cell in the band."""
    texts: dict[tuple[int, int], str] = {}
    while sheet.cells:  # one cell at a time, so the values and their texts are never held twice
        position, value = sheet.cells.popitem()
        if text := _text(value):
            texts[position] = text
    placed = [ref for ref in formulas if _position(ref) not in texts]
    texts.update((_position(ref), formulas[ref]) for ref in placed)
    merged = {top_left: bottom_right for top_left, bottom_right in sheet.merged}
    bands = _bands(sorted({column for _, column in texts}))
    band_of = {column: index for index, band in enumerate(bands) for column in band}
    rows_of: list[set[int]] = [set() for _ in bands]
    for row, column in texts:
        rows_of[band_of[column]].add(row)
    if sum(len(rows) * len(band) for rows, band in zip(rows_of, bands, strict=True)) > limits.max_cells:
        limit = f"{limits.max_rows} dòng, {limits.max_cells} ô"
        return safety.too_large(file, "vùng dữ liệu", f"> {limits.max_cells} ô", limit, name), [], formulas
    grids: list[list[list[Cell]]] = []
    for band, rows in zip(bands, rows_of, strict=True):
        grid = []
        for row in sorted(rows):
            cells = []
            for column in band:
                span, down = 1, 1
                if (corner := merged.get((row, column))) is not None:
                    span = sum(1 for c in band if column <= c <= corner[1])
                    down = corner[0] - row + 1
                ref = f"{_column_letter(column)}{row + 1}"
                cells.append(Cell(texts.get((row, column), ""), f"{name}!{ref}", span, down))
            grid.append(cells)
        grids.append(grid)
    return grids, placed, formulas


def _sparse(area: zipguard.SheetArea, limits: safety.Limits) -> bool:
    """Whether a sheet is read cell by cell rather than as calamine's dense box."""
    return (area.box_rows > limits.max_rows or area.box_cells > limits.max_cells
            or area.box_cells > _DENSE_FACTOR * area.cells + _DENSE_SLACK)


def _bands(columns: list[int]) -> list[list[int]]:
    """Sorted columns with cells → runs of columns (the blank ones inside a run included)."""
    bands: list[list[int]] = []
    for column in columns:
        if bands and column - bands[-1][-1] <= _BAND_GAP:
            bands[-1].extend(range(bands[-1][-1] + 1, column + 1))
        else:
            bands.append([column])
    return bands


class _Kept:
    """The parts the zip guard kept, read like the zip they came from."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.read = parts.__getitem__  # KeyError for a part the zip does not have, as ZipFile.read


def _calamine_reads(part: str) -> bool:
    """Whether calamine parses `part` of an .xlsx (the zip guard checks those in full)."""
    return _NOT_READ.match(part) is None


def _is_vba(part: str) -> bool:
    """A VBA project inside the workbook (.xlsm, or an .xlsx that is one): never run, only noted."""
    return part.lower().endswith("vbaproject.bin")


def _uncached_formulas(
    path: Path, where: sheetxml.Parts, scan: zipguard.ZipScan
) -> dict[str, dict[str, str]]:
    """Formula cells saved without a cached value: sheet name → cell ("B3") → "=formula"; only the
    sheets where the zip guard saw a formula are read again."""
    if "xl/workbook.xml" not in scan.parts:  # an .ods has no such XML
        return {}
    found: dict[str, dict[str, str]] = {}
    with_formulas = {name: member for name, member in where.sheets.items()
                     if (area := scan.sheets.get(member)) is not None and area.formulas}
    for name, member in with_formulas.items():
        data = scan.parts.get(member)  # (the guard's bytes, when it decompressed the sheet whole)
        if data is None:
            with sniff.open_zip(path) as archive:
                data = archive.read(member)
        if cells := sheetformulas.uncached(data):
            found[name] = cells
    return found


def _position(ref: str) -> tuple[int, int]:
    """"B3" → (2, 1): 0-based row and column."""
    return sheetxml.position(ref) or (0, 0)


def _column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: object) -> str:
    """A cell value as it would be printed; decimals with a comma so `parse_value` reads them."""
    if isinstance(value, float):  # most cells that are not text: first
        return str(int(value)) if value.is_integer() else vi_number(value, 10)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
