"""The OOXML zip guard: an .xlsx/.docx zip checked before any parser opens it (zip bombs, XML
entity tricks, sheets with too many real cells or rows), its worksheets measured on the way."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from egovcli.ingest.readers.safety import MB, Limits, megabytes, too_large
from egovcli.ingest.readers.sheetxml import column_number
from egovcli.ingest.readers.sniff import utf16
from egovcli.problems import Problem, problem

_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_DANGER = [
    pattern
    for word in ("<!DOCTYPE", "<!ENTITY")
    for pattern in (word.encode(), *utf16(word))
]
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")  # every cell, with or without a reference
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CHUNK = 1 << 20
_TAIL = 256  # bytes kept from one chunk to the next, so that a tag cut in two is still seen


@dataclass(slots=True)
class SheetArea:
    """One worksheet as its XML holds it: how many cells and rows it really has, and the box from
    its first to its last cell reference (1-based; a lone cell at XFD1048576 makes the box huge)."""

    top: int = 1 << 30
    left: int = 1 << 30
    bottom: int = -1
    right: int = -1
    cells: int = 0  # <c> elements
    rows: int = 0  # rows holding a cell reference (<row> elements when no cell has one)
    _last_row: int = -1

    def add(self, row: int, column: int) -> None:
        self.top, self.bottom = min(self.top, row), max(self.bottom, row)
        self.left, self.right = min(self.left, column), max(self.right, column)
        if row != self._last_row:  # OOXML lists rows in order: a change is a new row
            self.rows, self._last_row = self.rows + 1, row

    @property
    def box_rows(self) -> int:
        return max(0, self.bottom - self.top + 1)

    @property
    def box_cells(self) -> int:
        return self.box_rows * max(0, self.right - self.left + 1)


@dataclass(slots=True)
class ZipScan:
    """What `scan_zip` found: why the file must not be parsed (or None), and each worksheet part's
    area ("xl/worksheets/sheet1.xml" → SheetArea)."""

    problem: Problem | None
    sheets: dict[str, SheetArea]


def check_zip(path: Path, limits: Limits) -> Problem | None:
    """Why an OOXML zip must not be parsed, or None (`scan_zip` without the sheet areas)."""
    return scan_zip(path, limits).problem


def scan_zip(path: Path, limits: Limits) -> ZipScan:
    """Check an OOXML zip before any parser opens it, measuring its worksheets on the way.

    The declared sizes and compression ratio (a zip bomb), then every part is decompressed in
    chunks with the real byte count kept under the budget (declared sizes can lie), XML parts are
    refused if they declare a DOCTYPE or ENTITY (entity expansion, external entities), and each
    worksheet's real cells and rows are counted against `max_cells` / `max_rows`. The box from its
    first to its last cell is measured too: a sheet with cells at A1 and XFD1048576 is two cells
    whose box is a 17-billion-cell grid, which the reader must not build.
    """
    file = str(path)
    budget = int(limits.max_unzipped_mb * MB)
    sheets: dict[str, SheetArea] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_zip_entries:
                return ZipScan(problem("E-HOSTILE", file, what=f"tệp nén có {len(infos)} thành phần"), sheets)
            declared = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if declared > 16 * MB and declared / packed > limits.max_zip_ratio:
                what = f"bom nén: giải nén to gấp {declared // packed} lần (zip bomb)"
                return ZipScan(problem("E-HOSTILE", file, what=what), sheets)
            if declared > budget:
                refused = too_large(file, "dung lượng sau giải nén", megabytes(declared), megabytes(budget))
                return ZipScan(refused, sheets)
            left = budget
            for info in infos:
                if not info.is_dir():
                    area = SheetArea() if _SHEET_PART.match(info.filename) else None
                    with archive.open(info) as part:
                        found = _scan_part(part, info.filename, left, limits, file, area)
                    if isinstance(found, Problem):
                        return ZipScan(found, sheets)
                    left -= found
                    if area is not None:
                        sheets[info.filename] = area
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
        reason = f"tệp nén bị cắt cụt hoặc hỏng ({type(exc).__name__}: {exc})"
        return ZipScan(problem("E-UNREADABLE", file, reason=reason[:300]), sheets)
    return ZipScan(None, sheets)


def _scan_part(
    part: IO[bytes], name: str, left: int, limits: Limits, file: str, area: SheetArea | None
) -> int | Problem:
    """Decompress one part in chunks: its real size (at most `left` bytes), or why it is refused.
    A worksheet's cells are counted into `area`."""
    scan = _XML_PART.search(name) is not None
    size, tail, row_tags = 0, b"", 0
    for chunk in iter(lambda: part.read(_CHUNK), b""):
        size += len(chunk)
        if size > left:
            budget = megabytes(limits.max_unzipped_mb * MB)
            return too_large(file, "dung lượng sau giải nén", f"> {budget}", budget)
        if not scan:
            continue
        data = tail + chunk
        if any(pattern in data for pattern in _DANGER):
            what = f"khai báo DOCTYPE/ENTITY trong {name} (bom XML hoặc thực thể ngoài — XXE)"
            return problem("E-HOSTILE", file, what=what)
        if area is not None:  # a tag ending inside the tail was counted with the chunk before
            seen = len(tail)
            for match in _CELL_REF.finditer(data):
                if match.end() > seen:
                    area.add(int(match.group(2)), column_number(match.group(1).decode("ascii")))
            area.cells += sum(1 for match in _CELL_TAG.finditer(data) if match.end() > seen)
            row_tags += sum(1 for match in _ROW_TAG.finditer(data) if match.end() > seen)
        tail = data[-_TAIL:]
    if area is not None:
        rows = area.rows if area.bottom >= 0 else row_tags  # cells placed by position, not reference
        if rows > limits.max_rows or area.cells > limits.max_cells:
            return too_large(
                file, f"dữ liệu của trang tính {name.rsplit('/', 1)[-1]}",
                f"{rows} dòng, {area.cells} ô", f"{limits.max_rows} dòng, {limits.max_cells} ô",
            )
    return size
