"""A worksheet read from its XML as a stream, cell by cell, keeping only the cells it has.

For a sheet whose few cells lie far apart — a report in A1:F80 and a stray value at XFD1048576 or
A1048576 — calamine would build the whole box from the first to the last cell as a dense grid
(17 billion cells for the first). The zip guard (`safety.scan_zip`) has already refused any XML
entity tricks and counted the real cells, so the part can be parsed with ElementTree as it streams.

Values come out as calamine gives them: shared and inline strings, numbers (float), booleans,
dates (a number in a date format, or an ISO date cell), error codes and formula results. Which part
holds which sheet, the shared strings and the styles is read from the workbook's relationships.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

Value = str | float | bool | dt.date
# built-in number formats that show a date (ECMA-376 18.8.30, and the East Asian ones Excel uses)
_DATE_FORMATS = frozenset({14, 15, 16, 17, 22, 27, 30, 36, 45, 46, 47, 50, 57})
_LITERAL = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')  # quoted text, [colour]/[$-vi], escapes
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (the 1900 system, its leap-year bug included)


@dataclass(slots=True)
class Parts:
    """Where a workbook keeps its sheets (name → part), shared strings and styles."""

    sheets: dict[str, str] = field(default_factory=dict)
    shared_strings: str = ""
    styles: str = ""


def parts(archive: zipfile.ZipFile) -> Parts:
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
    if kind in ("str", "e"):
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
    if style in dates and 0 <= number < 2_958_466:  # up to 9999-12-31
        return _EPOCH + dt.timedelta(days=number)
    return number


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
        if number_format in _DATE_FORMATS or (number_format in custom and _is_date(custom[number_format])):
            found.add(index)
    return found


def _is_date(code: str) -> bool:
    """A custom number format that shows a date ("dd/mm/yyyy", "[$-vi-VN]d mmmm yyyy")."""
    bare = _LITERAL.sub("", code.split(";")[0]).lower()
    return bool(re.search(r"[dy]", bare)) or ("m" in bare and not re.search(r"[hs]", bare))


def position(ref: str) -> tuple[int, int] | None:
    """"B3" → (2, 1): 0-based row and column; None for no or a malformed reference."""
    match = _REF.match(ref)
    if not match:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1


def _span(ref: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    first, _, last = ref.partition(":")
    start, end = position(first), position(last or first)
    return (start, end) if start and end else None
