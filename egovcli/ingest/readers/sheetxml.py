"""A worksheet read from its XML as a stream, cell by cell, keeping only the cells it has.

For a sheet whose few cells lie far apart — a report in A1:F80 and a stray value at XFD1048576 or
A1048576 — calamine would build the whole box from the first to the last cell as a dense grid
(17 billion cells for the first). The zip guard (`zipguard.scan_zip`) has already refused any XML
entity tricks (and, for .xlsx, counted the real cells), so a part can be parsed with ElementTree as
it streams.

Values come out as calamine gives them: shared and inline strings, numbers (float), booleans,
dates and times (a number in a date or time format, or an ISO date cell), formula results; an error
(#DIV/0!) is no value.
Which part holds which sheet, the shared strings and the styles is read from the workbook's
relationships. An OpenDocument spreadsheet (.ods) is read the same way from its content.xml
(`read_ods`): runs of repeated empty cells and rows (table:number-columns-repeated="16384",
number-rows-repeated="1048000") are skipped over, never expanded, and its real cells are counted
against the limits as they come.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from xml.etree import ElementTree

Value = str | float | bool | dt.date | dt.time | dt.timedelta
# built-in number formats that show a date or a time (ECMA-376 18.8.30, and the East Asian ones)
_DATE_FORMATS = frozenset({*range(14, 23), 27, 30, 36, 45, 46, 47, 50, 57})
_LITERAL = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')  # quoted text, [colour]/[$-vi], escapes
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (the 1900 system, its leap-year bug included)


@dataclass(slots=True)
class Parts:
    """Where a workbook keeps its sheets (name → part), shared strings and styles."""

    sheets: dict[str, str] = field(default_factory=dict)
    shared_strings: str = ""
    styles: str = ""


class Readable(Protocol):
    """A zip, or the parts of one already read: `read(name)` its bytes, KeyError when absent."""

    def read(self, name: str, /) -> bytes: ...


def parts(archive: Readable) -> Parts:
    """The parts of a workbook, from xl/workbook.xml and its relationships."""
    found = Parts()
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return found
    targets: dict[str, str] = {}
    for rel in rels.iter():
        if rel.tag.endswith("}Relationship") and (target := rel.get("Target", "")):
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[rel.get("Id", "")] = part
            kind = rel.get("Type", "")
            if kind.endswith("/sharedStrings"):
                found.shared_strings = part
            elif kind.endswith("/styles"):
                found.styles = part
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
        if sheet.tag.endswith("}sheet"):
            rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
            if target := targets.get(rel_id, ""):
                found.sheets[sheet.get("name", "")] = target
    return found


@dataclass(slots=True)
class Sheet:
    """The cells of one sheet: (row, column) 0-based → value, and its merged ranges."""

    cells: dict[tuple[int, int], Value]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]  # (top, left), (bottom, right), 0-based


def read_sheet(archive: zipfile.ZipFile, member: str, where: Parts) -> Sheet:
    """Every cell with a value of the sheet part `member`, read as a stream."""
    shared = _shared_strings(archive, where.shared_strings)
    dates = _date_styles(archive, where.styles)
    cells: dict[tuple[int, int], Value] = {}
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    row = -1
    with archive.open(member) as stream:
        events: Iterator[tuple[str, Any]] = ElementTree.iterparse(stream, events=("start", "end"))
        data = None
        for event, element in events:
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "sheetData":
                    data = element
                elif tag == "row":
                    row = int(element.get("r", row + 2)) - 1
                continue
            if tag == "row":
                column = -1
                for cell in element:
                    at = position(cell.get("r", ""))
                    column = at[1] if at else column + 1
                    value = _value(cell, shared, dates)
                    if value is not None and value != "":
                        cells[(at[0] if at else row, column)] = value
                if data is not None:
                    data.clear()  # rows read are dropped: memory follows one row, not the sheet
            elif tag == "mergeCell" and (span := _span(element.get("ref", ""))):
                merged.append(span)
    return Sheet(cells, merged)


def _value(cell: Any, shared: list[str], dates: set[int]) -> Value | None:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = next((child for child in cell if child.tag.endswith("}is")), None)
        return _text(inline) if inline is not None else None
    raw = next((child.text for child in cell if child.tag.endswith("}v")), None)
    if raw is None:
        return None
    if kind == "s":
        index = int(raw) if raw.strip().isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else None
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":  # (calamine gives an error no value)
        return None
    if kind == "str":
        return raw
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            return raw
    try:
        number = float(raw)
    except ValueError:
        return raw
    style = int(cell.get("s", "0") or 0)
    return excel_date(number) if style in dates else number


def excel_date(number: float, epoch: dt.datetime = EXCEL_EPOCH) -> Value:
    """A number in a date format as calamine gives it: a date (whole day), a time of day (under one
    day) or a date and time; the number itself when it is no date (negative, past 9999-12-31)."""
    if not 0 <= number < 2_958_466:
        return number
    moment = epoch + dt.timedelta(days=number)
    if number.is_integer():
        return moment.date()
    return moment.time() if number < 1 else moment


def _text(element: Any) -> str:
    """The text of a string item (<si>, <is>): its <t> runs, without phonetic guides (<rPh>)."""
    parts: list[str] = []
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if t.tag.endswith("}t"))
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, member: str) -> list[str]:
    if not member or member not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open(member) as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag.endswith("}si"):
                strings.append(_text(element))
                element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile, member: str) -> set[int]:
    """Indexes of the cell styles (cellXfs) whose number format shows a date."""
    if not member or member not in archive.namelist():
        return set()
    root = ElementTree.fromstring(archive.read(member))
    custom = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
        for fmt in root.iter() if fmt.tag.endswith("}numFmt")
    }
    styles = next((e for e in root.iter() if e.tag.endswith("}cellXfs")), None)
    found: set[int] = set()
    for index, xf in enumerate(styles if styles is not None else ()):
        number_format = int(xf.get("numFmtId", "0") or 0)
        if is_date_format(number_format, custom.get(number_format, "")):
            found.add(index)
    return found


def is_date_format(number_format: int, code: str = "") -> bool:
    """Whether number format `number_format` (built-in, or custom with format `code`) shows a date."""
    return number_format in _DATE_FORMATS or (bool(code) and _is_date(code))


def _is_date(code: str) -> bool:
    """A custom number format that shows a date or a time ("dd/mm/yyyy", "[$-vi-VN]d mmmm yyyy",
    "hh:mm"): a day, month, year, hour or second outside its literal text, as calamine decides."""
    return re.search(r"[dmyhs]", _LITERAL.sub("", code.split(";")[0]).lower()) is not None


def position(ref: str) -> tuple[int, int] | None:
    """"B3" → (2, 1): 0-based row and column; None for no or a malformed reference."""
    match = _REF.match(ref)
    if not match:
        return None
    return int(match.group(2)) - 1, column_number(match.group(1)) - 1


def column_number(letters: str) -> int:
    """"A" → 1, "Z" → 26, "AA" → 27: a column's letters as its 1-based number."""
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column


def _span(ref: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    first, _, last = ref.partition(":")
    start, end = position(first), position(last or first)
    return (start, end) if start and end else None


# ---- OpenDocument spreadsheets (.ods) ------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_DURATION = re.compile(r"^-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$")


class TooManyCells(Exception):
    """A sheet with more real cells or rows than the limits allow (read no further)."""

    def __init__(self, sheet: str, rows: int, cells: int) -> None:
        super().__init__(f"{sheet}: {rows} rows, {cells} cells")
        self.sheet, self.rows, self.cells = sheet, rows, cells


def read_ods(archive: zipfile.ZipFile, max_rows: int, max_cells: int) -> list[tuple[str, Sheet]]:
    """Every sheet (name, cells) of an .ods, in order, read from content.xml as a stream.

    A cell repeated across columns or rows is one element: an empty one only moves the position;
    one with a value is placed at every position it covers, after counting them: a sheet with more
    than `max_cells` cells with a value, or `max_rows` rows holding one, raises `TooManyCells`
    before anything is expanded. A merged cell (number-columns/rows-spanned) is a merged range."""
    sheets: list[tuple[str, Sheet]] = []
    stack: list[Any] = []  # open elements, each with its parent below it
    tables = 0  # open <table:table> elements (a table inside a cell's drawing is not a sheet)
    sheet = Sheet({}, [])
    row = rows = 0
    with archive.open("content.xml") as stream:
        events: Iterator[tuple[str, Any]] = ElementTree.iterparse(stream, events=("start", "end"))
        for event, element in events:
            if event == "start":
                stack.append(element)
                if element.tag == f"{_TABLE}table":
                    tables += 1
                    if tables == 1:
                        sheet, row, rows = Sheet({}, []), 0, 0
                        sheets.append((element.get(f"{_TABLE}name", ""), sheet))
                continue
            stack.pop()
            if element.tag == f"{_TABLE}table":
                tables -= 1
            elif element.tag == f"{_TABLE}table-row" and tables == 1:
                repeated = _count(element, "number-rows-repeated")
                room = max_cells - len(sheet.cells)
                if (added := _ods_row(element, row, repeated, sheet, room)) > room:
                    raise TooManyCells(sheets[-1][0], rows + repeated, max_cells - room + added)
                if added:
                    rows += repeated
                row += repeated
                if rows > max_rows:
                    raise TooManyCells(sheets[-1][0], rows, len(sheet.cells))
                if stack:
                    stack[-1].remove(element)  # rows read are dropped: memory follows one row
    return sheets


def _ods_row(row: Any, top: int, repeated: int, sheet: Sheet, room: int) -> int:
    """Place the cells with a value of one <table:table-row>, repeated `repeated` times from row
    `top`, into `sheet`: how many it has. With more than `room`, none of the rest is placed."""
    column = added = 0
    for cell in row:
        if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            continue
        across = _count(cell, "number-columns-repeated")
        value = _ods_value(cell)
        if value is not None and value != "":
            added += across * repeated
            if added > room:  # counted, never expanded
                return added
            for r in range(top, top + repeated):
                for c in range(column, column + across):
                    sheet.cells[(r, c)] = value
                wide, tall = _count(cell, "number-columns-spanned"), _count(cell, "number-rows-spanned")
                if wide > 1 or tall > 1:
                    sheet.merged.extend(((r, c), (r + tall - 1, c + wide - 1))
                                        for c in range(column, column + across))
        column += across
    return added


def _count(element: Any, attribute: str) -> int:
    """A repeat or span count of an .ods element (1 when absent or malformed)."""
    text = element.get(f"{_TABLE}{attribute}", "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def _ods_value(cell: Any) -> Value | None:
    """A cell's value as calamine reads it: office:value (numbers, percentages, currencies, and the
    booleans LibreOffice writes as numbers), else a date, a time, a boolean, or the text."""
    kind = cell.get(f"{_OFFICE}value-type")
    if kind is None:
        return None
    if (number := cell.get(f"{_OFFICE}value")) is not None:
        try:
            return float(number)
        except ValueError:
            return number
    if (date := cell.get(f"{_OFFICE}date-value")) is not None:
        try:
            moment = dt.datetime.fromisoformat(date)
        except ValueError:
            return date
        return moment.date() if moment.time() == dt.time() else moment
    if (duration := cell.get(f"{_OFFICE}time-value")) is not None:
        return _duration(duration)
    if (truth := cell.get(f"{_OFFICE}boolean-value")) is not None:
        return truth.lower() == "true"
    if (text := cell.get(f"{_OFFICE}string-value")) is not None:
        return text
    return "\n".join(_ods_text(p) for p in cell if p.tag in (f"{_TEXT}p", f"{_TEXT}h"))


def _ods_text(element: Any) -> str:
    """The text of a paragraph: its runs (spans, links…), spaces (<text:s text:c="3"/>), tabs and
    line breaks; notes and annotations are not part of it."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            parts.append(" " * _count_text(child))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag not in (f"{_OFFICE}annotation", f"{_TEXT}note"):
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count_text(space: Any) -> int:
    text = space.get(f"{_TEXT}c", "1")
    return min(int(text), 1000) if text.isdigit() else 1


def _duration(text: str) -> Value:
    """An ISO 8601 duration ("PT10H30M00S") as calamine gives it: a time of day under 24 hours."""
    match = _DURATION.match(text.strip())
    if not match:
        return text
    days, hours, minutes, seconds = (float(part or 0) for part in match.groups())
    span = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    return (dt.datetime.min + span).time() if span < dt.timedelta(days=1) else span
