"""The OOXML zip guard: an .xlsx/.docx zip checked before any parser opens it (zip bombs, XML
entity tricks, sheets with too many real cells or rows), its worksheets measured on the way.

The parts a reader parses are decompressed in full and checked, and handed to it (`ZipScan.parts`)
so that it never decompresses them again; the other XML parts have only their prolog checked (a
DOCTYPE, and so any ENTITY, can only be declared before the root element: after it, libxml2 refuses
the part as malformed), and binary parts (images) are not decompressed: their declared sizes are
within the budget, and Python's zipfile never yields more than a part's declared size. Declared
sizes can lie, and the guard only ever sees a part's declared bytes; calamine's zip crate refuses
a part larger than it declares ("File is larger than its declared uncompressed size"), so what the
guard measured is all a reader gets. A small part is decompressed straight from the file's bytes
(`plainzip.inflated`, with zlib-ng: zlib's format, twice its speed) when that gives exactly
zipfile's bytes, else through zipfile.

A worksheet is first measured cheaply, without a Python object per cell: its tags ("<") bound its cells and
rows (and its size bounds its tags: they are counted only when that bound is not low enough), and when no cell
reference has two letters or four digits its box lies within A0:Z999. Only a sheet those bounds do not clear
(a stray far cell, a wide or long sheet, limits set low) is read again to count its cells and rows one by one.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby
from pathlib import Path
from typing import IO

from zlib_ng import zlib_ng

from egovcli.ingest.readers import plainzip
from egovcli.ingest.readers.plainzip import Part as Info
from egovcli.ingest.readers.safety import MB, Limits, megabytes, too_large
from egovcli.ingest.readers.sheetxml import column_number
from egovcli.ingest.readers.sniff import open_zip, plain_zip, utf16
from egovcli.problems import Problem, problem

_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_DANGER = (b"<!DOCTYPE", b"<!ENTITY")
_DANGER_UTF16 = [pattern for word in ("<!DOCTYPE", "<!ENTITY") for pattern in utf16(word)]
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")  # every cell, with or without a reference
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_END = re.compile(rb"f[\s>/]")  # the end of every formula tag (and of few other things)
# a cell reference past column Z or row 999 (or an attribute that looks like one: then cells are counted)
_FAR_REF = re.compile(rb'r="[A-Z](?:[A-Z]|\d{4})')  # (one letter, then the two cases: faster to search)
_NEAR_ROWS, _NEAR_COLUMNS = 1000, 26  # the box of a sheet without such a reference: rows 0-999, A-Z
_CHUNK = plainzip.PART_MAX  # (a part decompressed straight from the bytes is scanned as one chunk)
_TAIL = 256  # bytes kept from one chunk to the next, so that a tag cut in two is still seen
_PROLOG = 4096  # bytes of an unparsed XML part read to find its root element (more if comments fill them)
_QUICK = 256  # bytes of it decompressed first: most prologs are an XML declaration alone
# a deflated part's first bytes whose prolog was found clean: they decompress to the same prolog every
# time, and files made from one template share their themes, fonts and styles byte for byte
_clean_heads: set[bytes] = set()
_CLEAN_HEADS_MAX = 1024  # remembered, at most (1 KB each)
_BOM = b"\xef\xbb\xbf"
_REBUILT_MAX = 32 * MB  # the parsed parts held for `ZipScan.rebuilt`, at most


@dataclass(slots=True)
class SheetArea:
    """One worksheet as its XML holds it: how many cells and rows it really has, and the box from
    its first to its last cell reference (1-based; a lone cell at XFD1048576 makes the box huge).
    A sheet measured cheaply (`bound`) holds upper bounds instead: at most `cells` cells and `rows`
    rows, all within the box."""

    top: int = 1 << 30
    left: int = 1 << 30
    bottom: int = -1
    right: int = -1
    cells: int = 0  # <c> elements
    rows: int = 0  # rows holding a cell reference (<row> elements when no cell has one)
    formulas: bool = False  # the sheet has a formula (<f>): only then are its values looked at again
    _last_row: int = -1

    def add(self, refs: list[tuple[bytes, bytes]]) -> None:
        """Count cell references ("B", "12"), in the order of the sheet's XML."""
        rows = [int(row) for _, row in refs]
        columns = [column_number(letters.decode("ascii")) for letters in {letters for letters, _ in refs}]
        self.top, self.bottom = min(self.top, *rows), max(self.bottom, *rows)
        self.left, self.right = min(self.left, *columns), max(self.right, *columns)
        # OOXML lists rows in order: each change of row is a new row
        self.rows += sum(1 for _ in groupby(rows)) - (rows[0] == self._last_row)
        self._last_row = rows[-1]

    def bound(self, tags: int) -> None:
        """Upper bounds for a sheet of at most `tags` tags without a far cell reference (`_FAR_REF`)."""
        self.cells = self.rows = tags
        self.top, self.left, self.bottom, self.right = 0, 1, _NEAR_ROWS - 1, _NEAR_COLUMNS

    @property
    def box_rows(self) -> int:
        return max(0, self.bottom - self.top + 1)

    @property
    def box_cells(self) -> int:
        return self.box_rows * max(0, self.right - self.left + 1)


@dataclass(slots=True)
class ZipScan:
    """What `scan_zip` found: why the file must not be parsed (or None), each worksheet part's
    area ("xl/worksheets/sheet1.xml" → SheetArea), the names of all its parts, and the bytes of the
    parts asked for (those present) and of each worksheet with a formula that was decompressed whole
    (its cells are looked at again for formulas saved without a value: not decompressed twice)."""

    problem: Problem | None
    sheets: dict[str, SheetArea]
    names: list[str] = field(default_factory=list)
    parts: dict[str, bytes] = field(default_factory=dict)
    rebuilt: bytes | None = None  # its parsed parts as a zip, stored as checked (`scan_zip`'s rebuild)


def scan_zip(
    path: Path, limits: Limits, keep: Collection[str] = (), parsed: Callable[[str], bool] | None = None,
    rebuild: bool = False,
) -> ZipScan:
    """Check an OOXML zip before any parser opens it, measuring its worksheets on the way.

    The declared sizes and compression ratio (a zip bomb), then the parts a parser will read are
    decompressed in chunks with the real byte count kept under the budget (declared sizes can lie),
    XML parts are refused if they declare a DOCTYPE or ENTITY (entity expansion, external entities),
    and each worksheet's real cells and rows are counted against `max_cells` / `max_rows`. The box
    from its first to its last cell is measured too: a sheet with cells at A1 and XFD1048576 is two
    cells whose box is a 17-billion-cell grid, which the reader must not build.

    `keep`: the parts whose bytes the caller wants (`ZipScan.parts`), so that it never decompresses
    them again. `parsed`: which parts a parser reads (default: all); the others, never parsed, have
    only their prolog checked if they are XML, and are not decompressed at all otherwise.
    `rebuild`: `ZipScan.rebuilt` wanted, for a small and plain zip (`plainzip`).
    """
    file = str(path)
    budget = int(limits.max_unzipped_mb * MB)
    sheets: dict[str, SheetArea] = {}
    parts: dict[str, bytes] = {}
    names: list[str] = []
    plain = plain_zip(path)
    checked: dict[int, bytes] | None = {} if rebuild and plain else None  # the parsed parts, as checked
    try:
        with io.BytesIO(plain.data) if plain else path.open("rb") as raw:
            infos: Sequence[Info] = plain.members if plain else _listed(path)
            names = [info.filename for info in infos]
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
            left, rebuilt_size = budget, 0
            for index, info in enumerate(infos):
                if info.is_dir():
                    continue
                whole = parsed is None or parsed(info.filename) or info.filename in keep
                if not whole:
                    if _XML_PART.search(info.filename) is None:
                        continue  # an image, a font: never parsed
                    if (verdict := _quick_prolog(raw, info)) is not None:
                        if verdict:
                            return ZipScan(_hostile(info.filename, file), sheets, names)
                        left -= info.file_size
                        continue
                area = SheetArea() if _SHEET_PART.match(info.filename) else None
                kept = info.filename in keep
                small = plainzip.inflated(raw, info) if whole else None
                if checked is not None and whole:
                    if small is None or (rebuilt_size := rebuilt_size + len(small)) > _REBUILT_MAX:
                        checked = None  # read through zipfile, or too much to hold: the zip as it is
                    else:
                        checked[index] = small
                if whole:
                    found = _scan_part(_chunks(path, index, small), info.filename, left, limits, file, area,
                                       kept, count=False)
                else:
                    with _opened(path, index) as part:
                        found = _scan_prolog(part, info, left, limits, file)
                if found is None:  # a sheet its bounds do not clear: its cells counted one by one
                    area = SheetArea()
                    found = _scan_part(_chunks(path, index, small), info.filename, left, limits, file, area,
                                       kept, count=True)
                    assert found is not None  # counting always concludes
                if isinstance(found, Problem):
                    return ZipScan(found, sheets, names)
                if isinstance(found, bytes):
                    parts[info.filename], found = found, len(found)
                left -= found
                if area is not None:
                    sheets[info.filename] = area
                    if area.formulas and small is not None:
                        parts.setdefault(info.filename, small)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
        reason = f"tệp nén bị cắt cụt hoặc hỏng ({type(exc).__name__}: {exc})"
        return ZipScan(problem("E-UNREADABLE", file, reason=reason[:300]), sheets, names)
    return ZipScan(None, sheets, names, parts, plainzip.rebuilt(plain, checked))


def small_part(path: Path, name: str) -> bytes | None:
    """The part `name` of a small zip read whole (`plain_zip`: the last part of that name, as
    zipfile picks it), decompressed straight from the bytes already read, exactly as zipfile would
    yield it; None for zipfile to read it (no such part, or one `inflated` leaves to zipfile)."""
    plain = plain_zip(path)
    members = [member for member in plain.members if member.filename == name] if plain else []
    return plainzip.inflated(io.BytesIO(plain.data), members[-1]) if plain and members else None


def _listed(path: Path) -> list[zipfile.ZipInfo]:
    """The zip's parts as zipfile lists them (in the order `plainzip` does)."""
    with open_zip(path) as archive:
        return archive.infolist()


def _opened(path: Path, index: int) -> IO[bytes]:
    """The zip's `index`-th part, read through zipfile."""
    with open_zip(path) as archive:
        return archive.open(archive.infolist()[index])


def _chunks(path: Path, index: int, small: bytes | None) -> Iterable[bytes]:
    """The zip's `index`-th part in chunks of at most `_CHUNK` bytes: `small`, its bytes already
    decompressed (one chunk, no stream around it), or else read through zipfile."""
    if small is not None:
        return (small,) if small else ()
    return _streamed(_opened(path, index))


def _streamed(part: IO[bytes]) -> Iterator[bytes]:
    with part:
        yield from iter(lambda: part.read(_CHUNK), b"")


def _scan_prolog(
    part: IO[bytes], info: Info, left: int, limits: Limits, file: str
) -> int | bytes | Problem | None:
    """An XML part no parser reads: its prolog checked for a DOCTYPE (its declared size counted),
    or, when the prolog is not plain, the whole part checked as one that is read."""
    head = part.read(_PROLOG)
    while (verdict := _declares_dtd(head)) is None and len(head) < _CHUNK:
        more = part.read(_PROLOG)
        if not more:
            break
        head += more
    if verdict is False:
        return info.file_size
    if verdict:
        return _hostile(info.filename, file)
    rest = chain((head,) if head else (), iter(lambda: part.read(_CHUNK), b""))
    return _scan_part(rest, info.filename, left, limits, file, None, keep=False, count=False)


def _quick_prolog(raw: IO[bytes], info: Info) -> bool | None:
    """`_declares_dtd` of a part's first bytes decompressed straight from the file (opening it
    through zipfile costs more than the check); None when that cannot tell (an encrypted part,
    another compression, a prolog longer than those bytes): the part is then read as a stream."""
    if (info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or (local := plainzip.local_header(raw, info)) is None):
        return None
    _, name, extra = local
    raw.seek(name + extra, 1)
    head = raw.read(min(info.compress_size, 4 * _QUICK))  # (a deflate block starts with its code tables)
    if info.compress_type == zipfile.ZIP_STORED:
        return _declares_dtd(head)
    if head in _clean_heads:
        return False
    try:
        verdict = _declares_dtd(zlib_ng.decompressobj(-15).decompress(head, _QUICK))
    except plainzip.BAD_STREAM:
        return None
    if verdict is False and len(_clean_heads) < _CLEAN_HEADS_MAX:
        _clean_heads.add(head)
    return verdict


def _declares_dtd(head: bytes) -> bool | None:
    """Whether the prolog at the start of `head` (UTF-8) declares a DOCTYPE or an ENTITY: False
    once the root element starts without one; None when `head` ends first or is not plain."""
    at = len(_BOM) if head.startswith(_BOM) else 0
    while True:
        while at < len(head) and head[at] in b" \t\r\n":
            at += 1
        if at + 1 >= len(head) or head[at] != 0x3C:  # no "<" (UTF-16, text: not plain), or one cut off
            return None
        if head.startswith(b"<?", at):
            end, skip = head.find(b"?>", at + 2), 2
        elif head.startswith(b"<!--", at):
            end, skip = head.find(b"-->", at + 4), 3
        elif head.startswith((b"<!DOCTYPE", b"<!ENTITY"), at):
            return True
        elif head.startswith(b"<!", at):
            return None
        else:
            return False  # the root element: no DTD can follow it
        if end < 0:
            return None
        at = end + skip


def _hostile(name: str, file: str) -> Problem:
    what = f"khai báo DOCTYPE/ENTITY trong {name} (bom XML hoặc thực thể ngoài — XXE)"
    return problem("E-HOSTILE", file, what=what)


def _scan_part(
    stream: Iterable[bytes], name: str, left: int, limits: Limits, file: str, area: SheetArea | None,
    keep: bool, count: bool,
) -> int | bytes | Problem | None:
    """Decompress one part in chunks: its bytes when `keep`, else its size (at most `left` bytes),
    or why it is refused. A worksheet is measured into `area`: its cells counted when `count`, else
    bounded — None when the bounds do not clear it (`_cleared`), for the caller to count them."""
    scan = _XML_PART.search(name) is not None
    size, tail, row_tags, tags, far = 0, b"", 0, 0, False
    chunks: list[bytes] = []
    pending = b""  # the end of the last chunk from its last "<": a tag it may cut, counted with the next
    for chunk in stream:
        size += len(chunk)
        if size > left:
            budget = megabytes(limits.max_unzipped_mb * MB)
            return too_large(file, "dung lượng sau giải nén", f"> {budget}", budget)
        if keep:
            chunks.append(chunk)
        if not scan:
            continue
        data = tail + chunk
        if _dangerous(data):
            return _hostile(name, file)
        tail = data[-_TAIL:]
        if area is not None and not count:
            # (each tag takes a byte at least: its bytes bound a part's tags, counted only past `_cleared`)
            tags += len(chunk) if _cleared(size, limits) else chunk.count(b"<")
            far = far or _FAR_REF.search(data) is not None
            area.formulas = area.formulas or _has_formula(data)
        elif area is not None:
            data = pending + chunk
            cut = data.rfind(b"<")
            if cut <= 0 or len(data) - cut > _CHUNK:  # no tag start to wait for
                cut = len(data)
            row_tags += _count(data[:cut], area)
            pending = data[cut:]
    if area is not None and not count:
        if far or not _cleared(tags, limits):
            return None
        area.bound(tags)
    elif area is not None:
        row_tags += _count(pending, area)
        rows = area.rows if area.bottom >= 0 else row_tags  # cells placed by position, not reference
        if rows > limits.max_rows or area.cells > limits.max_cells:
            return too_large(
                file, f"dữ liệu của trang tính {name.rsplit('/', 1)[-1]}",
                f"{rows} dòng, {area.cells} ô", f"{limits.max_rows} dòng, {limits.max_cells} ô",
            )
    return b"".join(chunks) if keep else size


def _dangerous(data: bytes) -> bool:
    """A DOCTYPE or ENTITY declaration in `data`, in UTF-8 or UTF-16 (whose ASCII has NUL bytes).
    Every pattern has a "!", and a UTF-16 one a NUL byte too: most parts have no "!" at all, and
    those that have one (a formula's "Sheet2!A1", a sentence) seldom have a NUL (one byte: fast)."""
    if b"!" not in data:
        return False
    return any(pattern in data for pattern in _DANGER) or (
        b"\x00" in data and any(pattern in data for pattern in _DANGER_UTF16))


def _has_formula(data: bytes) -> bool:
    """A formula tag in `data`; most sheets have no "f" followed by what ends a tag's name, and
    that search is a third of the tag's."""
    return _FORMULA_END.search(data) is not None and _FORMULA_TAG.search(data) is not None


def _cleared(tags: int, limits: Limits) -> bool:
    """Whether a sheet of at most `tags` tags, its cells within A0:Z999, is under the limits by its bounds
    alone (no more cells or rows than tags): then its real cells need no counting."""
    box = _NEAR_ROWS * _NEAR_COLUMNS
    return max(tags, _NEAR_ROWS) <= limits.max_rows and max(tags, box) <= limits.max_cells


def _count(data: bytes, area: SheetArea) -> int:
    """Count the cells of a piece of a worksheet's XML (whole tags only) into `area`; its row tags."""
    if refs := _CELL_REF.findall(data):
        area.add(refs)
    area.cells += len(_CELL_TAG.findall(data))
    area.formulas = area.formulas or _has_formula(data)
    return len(_ROW_TAG.findall(data))
