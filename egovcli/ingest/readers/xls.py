"""An Excel 97-2003 workbook (.xls) read by xlrd, keeping only the cells it has.

calamine builds every sheet of an .xls as a dense grid when it opens the workbook, so one stray
value at IV65536 beside a report in A1:F80 costs it a 16-million-cell grid (about 1 GB) before
egov can even look at the sheet. xlrd with `ragged_rows` keeps each row only up to its last cell
(that workbook: ~40 MB) and, `on_demand`, holds one sheet at a time; its real cells are counted
against the limits before egov builds anything from them.

Values come out as calamine gives them (`sheetxml.Sheet`): text, numbers, booleans, a number in a
date format a date or a time (`sheetxml.excel_date`, on the workbook's 1900 or 1904 calendar), a
formula its cached result; an error (#DIV/0!) or an empty text is no value. Merged ranges need
xlrd's `formatting_info`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import xlrd

from egovcli.ingest.readers.sheetxml import EXCEL_EPOCH, Sheet, TooManyCells, Value, excel_date

_EPOCH_1904 = dt.datetime(1904, 1, 1)  # day 0 of a workbook on the 1904 calendar (DATE1904)


class Unreadable(Exception):
    """A file xlrd does not read (a password, damage): calamine is asked, and says what is wrong."""


class _Discard:
    """xlrd's log, which it prints to stdout by default (warnings about a damaged file): dropped,
    so they never mix with a command's output."""

    def write(self, _text: str) -> int:
        return 0


def read_xls(path: Path, max_rows: int, max_cells: int) -> list[tuple[str, Sheet]]:
    """Every worksheet (name, cells) of an .xls, in order; a chart or macro sheet is left out.

    Raises `TooManyCells` for a sheet with more than `max_cells` cells with a value or `max_rows`
    rows holding one, `Unreadable` for a file xlrd does not read."""
    with _unreadable():
        book = xlrd.open_workbook(str(path), on_demand=True, ragged_rows=True, formatting_info=True,
                                  logfile=_Discard())
    sheets: list[tuple[str, Sheet]] = []
    with book:
        epoch = _EPOCH_1904 if book.datemode else EXCEL_EPOCH
        for index in range(book.nsheets):
            with _unreadable():
                sheet = book.sheet_by_index(index)
            sheets.append((sheet.name, _cells(sheet, epoch, max_rows, max_cells)))
            book.unload_sheet(index)
    return sheets


@contextlib.contextmanager
def _unreadable() -> Iterator[None]:
    """xlrd's failure on a damaged file (its own errors, struct.error, IndexError…) as `Unreadable`;
    running out of memory stays what it is."""
    try:
        yield
    except MemoryError:
        raise
    except Exception as exc:
        raise Unreadable(f"{type(exc).__name__}: {exc}") from exc


def _cells(sheet: Any, epoch: dt.datetime, max_rows: int, max_cells: int) -> Sheet:
    """The cells with a value of one xlrd sheet, counted against the limits row by row."""
    merged = [((top, left), (bottom - 1, right - 1)) for top, bottom, left, right in sheet.merged_cells]
    found = Sheet({}, merged)
    rows = 0
    for row in range(sheet.nrows):
        before = len(found.cells)
        for column, (kind, raw) in enumerate(zip(sheet.row_types(row), sheet.row_values(row), strict=True)):
            value = _value(kind, raw, epoch)
            if value is not None and value != "":
                found.cells[(row, column)] = value
        rows += len(found.cells) > before
        if len(found.cells) > max_cells or rows > max_rows:
            raise TooManyCells(sheet.name, rows, len(found.cells))
    return found


def _value(kind: int, raw: Any, epoch: dt.datetime) -> Value | None:
    """A cell's value as calamine gives it; None for an empty cell or an error."""
    if kind == xlrd.XL_CELL_TEXT:
        return str(raw)
    if kind == xlrd.XL_CELL_NUMBER:
        return float(raw)
    if kind == xlrd.XL_CELL_DATE:  # (not xldate_as_datetime: a whole day is a date, as calamine has it)
        return excel_date(float(raw), epoch)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(raw)
    return None  # empty, blank (formatting only), error
