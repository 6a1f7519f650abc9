"""An Excel 97-2003 workbook (.xls, BIFF8) read cell by cell, keeping only the cells it has.

calamine builds every sheet of an .xls as a dense grid when it opens the workbook, so one stray
value at IV65536 beside a report in A1:F80 costs it a 16-million-cell grid (about 1 GB) before
egov can even look at the sheet. This reader walks the workbook's records instead — the compound
file's sectors, the shared strings, each worksheet's cell records (labels, numbers, RK numbers,
booleans, formula results, merged ranges; a number in a date format is a date; an error is no
value, as calamine gives them) — and counts the real cells against the limits as it goes
(`sheetxml.TooManyCells`).

It reads the common case only: a BIFF8 workbook (Excel 97 and later, LibreOffice), not
encrypted. Anything else (Excel 5/95, a password, a damaged file) is `NotBiff8`: calamine then
reads the file, or says what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from pathlib import Path

from egovcli.ingest.sheetxml import EXCEL_EPOCH, Sheet, TooManyCells, Value, excel_date, is_date_format

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE  # ENDOFCHAIN
_FREE = 0xFFFFFFFF
_EPOCH_1904 = dt.datetime(1904, 1, 1)
# record types (MS-XLS 2.3)
_BOF, _EOF, _CONTINUE, _FILEPASS, _DATE1904 = 0x0809, 0x000A, 0x003C, 0x002F, 0x0022
_BOUNDSHEET, _SST, _FORMAT, _XF = 0x0085, 0x00FC, 0x041E, 0x00E0
_LABELSST, _LABEL, _RSTRING, _NUMBER, _RK, _MULRK = 0x00FD, 0x0204, 0x00D6, 0x0203, 0x027E, 0x00BD
_BOOLERR, _FORMULA, _STRING, _MERGEDCELLS = 0x0205, 0x0006, 0x0207, 0x00E5
_FORMULA_PARTS = (0x04BC, 0x0221, 0x0236)  # SHRFMLA, ARRAY, TABLE: between a formula and its STRING


class _TextFollows:
    """The result of a formula whose text is in the STRING record that follows it."""


_TEXT_FOLLOWS = _TextFollows()
_Found = list[tuple[int, int, Value | _TextFollows | None]]  # (row, column, value) of a record's cells


class NotBiff8(Exception):
    """Not a workbook this reader reads (calamine is asked instead)."""


def read_xls(path: Path, max_rows: int, max_cells: int) -> list[tuple[str, Sheet]]:
    """Every worksheet (name, cells) of an .xls, in order; a chart or macro sheet is left out.

    Raises `TooManyCells` for a sheet with more than `max_cells` cells with a value or `max_rows`
    rows holding one, `NotBiff8` for a file this reader does not read."""
    try:
        stream = _workbook_stream(path.read_bytes())
        return _Book(stream).sheets(max_rows, max_cells)
    except (struct.error, IndexError, ValueError, UnicodeDecodeError) as exc:
        raise NotBiff8(f"{type(exc).__name__}: {exc}") from exc


# ---- the compound file ---------------------------------------------------------------------------

def _workbook_stream(data: bytes) -> bytes:
    """The "Workbook" stream of an OLE compound file (MS-CFB)."""
    if not data.startswith(_SIGNATURE):
        raise NotBiff8("không phải tệp OLE")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    size = 1 << shift
    if size not in (512, 4096):
        raise NotBiff8(f"sector size {size}")
    sectors = (len(data) - size) // size

    def sector(n: int) -> bytes:
        if not 0 <= n < sectors:
            raise ValueError(f"sector {n} outside the file")
        return data[size + n * size: 2 * size + n * size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat = struct.unpack_from("<I", data, 0x44)[0]
    for _ in range(sectors):  # the DIFAT chain (a file over 7 MB has one)
        if next_difat in (_END, _FREE):
            break
        entries = struct.unpack(f"<{size // 4}I", sector(next_difat))
        fat_sectors += entries[:-1]
        next_difat = entries[-1]
    fat: list[int] = []
    for n in fat_sectors:
        if n not in (_END, _FREE):
            fat += struct.unpack(f"<{size // 4}I", sector(n))

    def chain(first: int, table: list[int]) -> list[int]:
        found: list[int] = []
        while first not in (_END, _FREE):
            if len(found) > len(table) or first >= len(table):  # a loop or a damaged table
                raise ValueError("broken sector chain")
            found.append(first)
            first = table[first]
        return found

    directory = b"".join(sector(n) for n in chain(struct.unpack_from("<I", data, 0x30)[0], fat))
    root = directory[:128]
    for offset in range(0, len(directory), 128):
        entry = directory[offset:offset + 128]
        length = struct.unpack_from("<H", entry, 0x40)[0]
        name = entry[:max(0, length - 2)].decode("utf-16-le", "replace")
        if entry[0x42] == 2 and name == "Workbook":  # "Book" is Excel 5/95: calamine reads it
            start, stream_size = struct.unpack_from("<IQ", entry, 0x74)
            stream_size &= 0xFFFFFFFF  # (version 3 files leave the high half undefined)
            cutoff = struct.unpack_from("<I", data, 0x38)[0]
            if stream_size >= cutoff:
                return b"".join(sector(n) for n in chain(start, fat))[:stream_size]
            mini_size = 1 << mini_shift
            container = b"".join(sector(n) for n in chain(struct.unpack_from("<I", root, 0x74)[0], fat))
            mini_fat_first = struct.unpack_from("<I", data, 0x3C)[0]
            mini_fat_data = b"".join(sector(n) for n in chain(mini_fat_first, fat))
            mini_fat = list(struct.unpack(f"<{len(mini_fat_data) // 4}I", mini_fat_data))
            return b"".join(container[n * mini_size:(n + 1) * mini_size]
                            for n in chain(start, mini_fat))[:stream_size]
    raise NotBiff8("không có luồng Workbook (Excel 5/95 hoặc không phải Excel)")


# ---- the workbook's records ----------------------------------------------------------------------

def _records(stream: bytes, at: int = 0) -> Iterator[tuple[int, list[bytes]]]:
    """The records of one substream, from its BOF at `at` to its EOF (a chart's BOF…EOF inside a
    worksheet included), one at a time: its type, and its data followed by that of the CONTINUE
    records after it."""
    depth = 0
    record: tuple[int, list[bytes]] | None = None
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + length]
        at += 4 + length
        if kind == _CONTINUE and record is not None:
            record[1].append(body)
            continue
        if record is not None:
            yield record
        record = (kind, [body])
        depth += (kind == _BOF) - (kind == _EOF)
        if depth <= 0:
            break
    if record is not None:
        yield record


class _Book:
    """The workbook globals: its sheets, shared strings and which cell styles show a date."""

    def __init__(self, stream: bytes) -> None:
        records = _records(stream)
        first = next(records, None)
        if first is None or first[0] != _BOF or struct.unpack_from("<H", first[1][0])[0] != 0x0600:
            raise NotBiff8("không phải BIFF8")
        self.stream = stream
        self.boundsheets: list[tuple[int, str]] = []  # (offset of its BOF, name) of each worksheet
        self.strings: list[str] = []
        self.epoch = EXCEL_EPOCH
        formats: dict[int, str] = {}
        styles: list[int] = []  # cell style (XF) → number format
        for kind, parts in records:
            body = parts[0]
            if kind == _FILEPASS:
                raise NotBiff8("có mật khẩu")
            if kind == _BOUNDSHEET and body[5] == 0:  # a worksheet (not a chart, macro or module)
                self.boundsheets.append((struct.unpack_from("<I", body)[0], _short_string(body, 6)))
            elif kind == _SST:
                self.strings = _shared_strings(parts)
            elif kind == _FORMAT:
                formats[struct.unpack_from("<H", body)[0]] = _Text(parts, 2).string()
            elif kind == _XF:
                styles.append(struct.unpack_from("<H", body, 2)[0])
            elif kind == _DATE1904 and struct.unpack_from("<H", body)[0]:
                self.epoch = _EPOCH_1904
        self.dates = {n for n, number_format in enumerate(styles)
                      if is_date_format(number_format, formats.get(number_format, ""))}

    def sheets(self, max_rows: int, max_cells: int) -> list[tuple[str, Sheet]]:
        return [(name, self._sheet(name, at, max_rows, max_cells)) for at, name in self.boundsheets]

    def _sheet(self, name: str, at: int, max_rows: int, max_cells: int) -> Sheet:
        sheet = Sheet({}, [])
        rows: set[int] = set()
        text_of: tuple[int, int] | None = None  # a formula cell whose text result is the next STRING
        for kind, parts in _records(self.stream, at):
            found: _Found
            if kind == _STRING and text_of is not None:
                found = [(*text_of, _Text(parts).string())]
            elif kind in _FORMULA_PARTS:
                continue
            else:
                found = self._cells(kind, parts)
            text_of = None
            for row, column, value in found:
                if isinstance(value, _TextFollows):
                    text_of = (row, column)
                elif value is not None and value != "":
                    sheet.cells[(row, column)] = value
                    rows.add(row)
            if kind == _MERGEDCELLS:
                count = struct.unpack_from("<H", parts[0])[0]
                for first, last, left, right in struct.iter_unpack("<4H", parts[0][2:2 + 8 * count]):
                    sheet.merged.append(((first, left), (last, right)))
            if len(sheet.cells) > max_cells or len(rows) > max_rows:
                raise TooManyCells(name, len(rows), len(sheet.cells))
        return sheet

    def _cells(self, kind: int, parts: list[bytes]) -> _Found:
        """(row, column, value) of the cells of one record; `_TEXT_FOLLOWS` for a formula whose
        text result is in the STRING record that follows."""
        body = parts[0]
        if kind == _LABELSST:
            row, column, _style, index = struct.unpack_from("<HHHI", body)
            return [(row, column, self.strings[index] if index < len(self.strings) else None)]
        if kind in (_LABEL, _RSTRING):
            row, column = struct.unpack_from("<HH", body)
            return [(row, column, _Text(parts, 6).string())]
        if kind == _NUMBER:
            row, column, style, number = struct.unpack_from("<HHHd", body)
            return [(row, column, self._number(number, style))]
        if kind == _RK:
            row, column, style, rk = struct.unpack_from("<HHHI", body)
            return [(row, column, self._number(_rk(rk), style))]
        if kind == _MULRK:
            row, first = struct.unpack_from("<HH", body)
            pairs = struct.iter_unpack("<HI", body[4:4 + 6 * ((len(body) - 6) // 6)])
            return [(row, first + k, self._number(_rk(rk), style)) for k, (style, rk) in enumerate(pairs)]
        if kind == _BOOLERR:
            row, column, _style, value, is_error = struct.unpack_from("<HHHBB", body)
            return [(row, column, None if is_error else bool(value))]
        if kind == _FORMULA:
            row, column, style = struct.unpack_from("<HHH", body)
            return [(row, column, self._formula(body[6:14], style))]
        return []

    def _number(self, number: float, style: int) -> Value:
        return excel_date(number, self.epoch) if style in self.dates else number

    def _formula(self, result: bytes, style: int) -> Value | _TextFollows | None:
        """A formula's cached result: a number, a boolean, text (in the STRING record that follows:
        `_TEXT_FOLLOWS`); an error or an empty text is no value."""
        if result[6:8] != b"\xff\xff":
            return self._number(struct.unpack("<d", result)[0], style)
        if result[0] == 0:
            return _TEXT_FOLLOWS
        return bool(result[2]) if result[0] == 1 else None


def _rk(rk: int) -> float:
    """An RK number: a 30-bit integer or the top of a double, divided by 100 when flagged."""
    if rk & 2:
        number = float(rk >> 2 if rk < 1 << 31 else (rk >> 2) - (1 << 30))
    else:
        number = struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return number / 100 if rk & 1 else number


def _short_string(body: bytes, at: int) -> str:
    """A ShortXLUnicodeString: 8-bit count, flags, characters (Latin-1 or UTF-16)."""
    count, flags = body[at], body[at + 1]
    raw = body[at + 2:at + 2 + count * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le") if flags & 1 else raw.decode("latin-1")


class _Text:
    """A reader of XLUnicodeRichExtendedString data split over a record and its CONTINUE records:
    where a string's characters cross into the next record, that record starts with a new flags
    byte (whether the characters go on in one or two bytes)."""

    def __init__(self, parts: list[bytes], at: int = 0) -> None:
        self.parts, self.part, self.at = parts, 0, at

    def _take(self, count: int) -> bytes:
        """`count` bytes, crossing into the next parts as needed (no flags byte there)."""
        taken = b""
        while len(taken) < count:
            if self.at >= len(self.parts[self.part]):
                self.part, self.at = self.part + 1, 0
                if self.part >= len(self.parts):
                    raise ValueError("string past the end of its record")
            piece = self.parts[self.part][self.at:self.at + count - len(taken)]
            taken += piece
            self.at += len(piece)
        return taken

    def string(self) -> str:
        """One string: its 16-bit count, flags, characters, then its formatting runs and extension."""
        count = struct.unpack("<H", self._take(2))[0]
        flags = self._take(1)[0]
        runs = struct.unpack("<H", self._take(2))[0] if flags & 0x08 else 0
        extension = struct.unpack("<I", self._take(4))[0] if flags & 0x04 else 0
        wide, text = flags & 0x01, []
        while count:
            if self.at >= len(self.parts[self.part]):  # the characters go on in the next record
                self.part, self.at = self.part + 1, 0
                if self.part >= len(self.parts):
                    raise ValueError("string past the end of its record")
                wide = self.parts[self.part][0] & 0x01
                self.at = 1
            available = (len(self.parts[self.part]) - self.at) // (2 if wide else 1)
            chunk = min(count, max(available, 1))
            raw = self._take(chunk * (2 if wide else 1))
            text.append(raw.decode("utf-16-le") if wide else raw.decode("latin-1"))
            count -= chunk
        self._take(4 * runs + extension)
        return "".join(text)


def _shared_strings(parts: list[bytes]) -> list[str]:
    """The SST record's strings (with its CONTINUE records)."""
    unique = struct.unpack_from("<I", parts[0], 4)[0]
    reader = _Text(parts, 8)
    strings: list[str] = []
    for _ in range(unique):
        try:
            strings.append(reader.string())
        except (ValueError, struct.error):  # fewer than announced: those there are
            break
    return strings
