"""Guards for hostile and broken input: limits, content sniffing, the OOXML zip guard.

Submitted files come from many agencies and are read unattended, so nothing in them may crash,
hang or exhaust the machine. Every file is read in a worker process that can be killed (see
`egovcli.ingest`); before any parser sees a file its real type is sniffed from its content, and
an OOXML zip is checked here for zip bombs, XML entity tricks (`<!DOCTYPE`/`<!ENTITY` never occur
in genuine OOXML, so their mere presence is refused) and sheets with too many real cells or rows.
Extractors read the limits in force with `active()`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from egovcli.problems import Problem, problem
from egovcli.textnorm import vi_number

_MB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost; a file over any limit fails with E-TOO-LARGE (or E-TIMEOUT).

    Defaults, generous for real reports (a few MB, a few thousand rows, a few dozen pages):
    - max_file_mb = 100: size of the file on disk (`egov ingest --max-file-mb`).
    - max_unzipped_mb = 500: decompressed size of an OOXML zip (.xlsx/.docx/.xlsm), declared and real.
    - max_zip_ratio = 200: decompressed ÷ compressed size of a zip over 16 MB decompressed (zip bomb).
    - max_zip_entries = 10_000: parts in one zip.
    - max_rows = 200_000 and max_cells = 1_000_000: the used area of one sheet (rows × columns);
      a million cells already take ~40 s and ~450 MB to read, a worker's share of the default
      memory budget on a 2-core machine being 640 MB (benchmarks/bench_hostile.py).
    - max_pdf_pages = 1_000: pages of one PDF.
    - max_page_objects = 200_000: characters + rectangles + lines + curves + images of one PDF page.
    - timeout = 60: seconds to read one file (`--timeout`), a LibreOffice conversion included.
    - max_memory_mb = 1280: memory of all reading processes together (`--max-memory-mb`; Linux;
      0 = none): each of the N workers may grow by 1/N of it beyond what it shares with the main
      process (`worker_memory_mb`, `limit_memory`), and a run starts no more workers than leaves
      each `MIN_WORKER_MB` (`workers_for`). 1280 keeps the whole run (main process and a LibreOffice
      conversion included) under 2 GB on a 2-core machine (benchmarks/bench_hostile.py).
    """

    max_file_mb: float = 100
    max_unzipped_mb: float = 500
    max_zip_ratio: float = 200
    max_zip_entries: int = 10_000
    max_rows: int = 200_000
    max_cells: int = 1_000_000
    max_pdf_pages: int = 1_000
    max_page_objects: int = 200_000
    timeout: float = 60.0
    max_memory_mb: int = 1280


_active = Limits()


def active() -> Limits:
    """The limits in force in this process (set by the orchestrator around each file)."""
    return _active


@contextmanager
def applied(limits: Limits) -> Iterator[None]:
    global _active
    previous, _active = _active, limits
    try:
        yield
    finally:
        _active = previous


MIN_WORKER_MB = 384  # below this a worker cannot even hold an ordinary report and its parser


def workers_for(limits: Limits, jobs: int) -> int:
    """How many reading processes fit the memory budget: at most `jobs`, each with `MIN_WORKER_MB`."""
    if limits.max_memory_mb <= 0:
        return max(1, jobs)
    return max(1, min(jobs, limits.max_memory_mb // MIN_WORKER_MB))


def worker_memory_mb(limits: Limits, workers: int) -> int:
    """Each worker's share of the run's memory budget (0 = unlimited)."""
    return limits.max_memory_mb // max(1, workers) if limits.max_memory_mb > 0 else 0


@dataclass(frozen=True, slots=True)
class MemoryCap:
    """The address-space cap of this worker and the run's budget it is a share of."""

    worker_mb: int
    budget_mb: int
    workers: int


_cap: MemoryCap | None = None  # set in a worker by `limit_memory`; None in a process without a cap


def limit_memory(cap: MemoryCap) -> None:
    """Cap this process's address space (a worker's initializer) at what it has now plus its share:
    a worker forked from the main process starts with the main process's mappings (libraries,
    thread arenas: shared or merely reserved), which its share must not pay for. Children may
    lift the cap again. It is remembered for the message of a file that needs more (`out_of_memory`)."""
    global _cap
    if cap.worker_mb <= 0:
        return
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = _address_space() + cap.worker_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard < 0 else min(wanted, hard), hard))
        _cap = cap
    except (ImportError, ValueError, OSError):  # not on this platform: the timeout still applies
        pass


def _address_space() -> int:
    """This process's address space now, in bytes (Linux; else 0)."""
    try:
        import os

        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def out_of_memory(file: str, cap: MemoryCap | None = None) -> Problem:
    """E-TOO-LARGE for a file that needs more memory than its worker's cap (default: this
    process's), naming the options that set it."""
    cap = cap or _cap
    if cap is None:  # read without a cap: the machine itself ran out
        return too_large(file, "bộ nhớ cần để đọc", "quá mức", "bộ nhớ còn trống của máy",
                         advice="hãy đóng bớt chương trình khác rồi chạy lại")
    limit = (
        f"{cap.worker_mb} MB mỗi tiến trình đọc (--max-memory-mb {cap.budget_mb} cho cả lượt,"
        f" --jobs {cap.workers})"
    )
    return too_large(file, "bộ nhớ cần để đọc", "quá mức", limit,
                     advice="nếu tệp đúng là như vậy, tăng --max-memory-mb hoặc giảm --jobs")


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when the thread that started it ends (Linux
    PR_SET_PDEATHSIG; kept across exec; elsewhere nothing: the caller's time limit still applies)."""
    import contextlib
    import signal

    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG


def unlimit_memory() -> None:
    """Back to the hard address-space limit (for LibreOffice, started from a capped worker)."""
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass


# for a limit that no option changes: the file itself must get smaller
FIXED_LIMIT = (
    "đây là giới hạn cố định để bảo vệ máy: hãy đề nghị cơ quan bỏ phần thừa (trang tính, dòng, ảnh)"
    " rồi gửi lại"
)


def raise_option(option: str) -> str:
    """The advice of a limit that `option` sets."""
    return f"nếu tệp đúng là như vậy, chạy lại với {option} lớn hơn"


def too_large(
    file: str, what: str, actual: object, limit: object, location: str = "", advice: str = FIXED_LIMIT
) -> Problem:
    """E-TOO-LARGE; `advice` says what the user can change (`raise_option` for a limit with an option)."""
    return problem("E-TOO-LARGE", file, location, what=what, actual=actual, limit=limit, advice=advice)


# ---- content sniffing ---------------------------------------------------------------------------

# kind → the suffix a file of that kind is read as (kinds absent here cannot be read)
KIND_SUFFIX = {
    "xlsx": ".xlsx", "docx": ".docx", "ods": ".ods", "odt": ".odt",
    "xls": ".xls", "doc": ".doc", "pdf": ".pdf", "rtf": ".rtf",
}
# suffix → the kinds a file with it may really be (anything else is a wrong extension)
SUFFIX_KINDS = {
    ".xlsx": {"xlsx"}, ".xlsm": {"xlsx"}, ".docx": {"docx"}, ".pdf": {"pdf"}, ".ods": {"ods"},
    ".odt": {"odt"}, ".rtf": {"rtf"}, ".xls": {"xls", "ole"}, ".doc": {"doc", "ole"},
}
KIND_NAMES = {  # what a civil servant calls it
    "xlsx": "Excel (.xlsx)", "docx": "Word (.docx)", "ods": "OpenDocument bảng tính (.ods)",
    "odt": "OpenDocument văn bản (.odt)", "xls": "Excel 97-2003 (.xls)", "doc": "Word 97-2003 (.doc)",
    "ole": "Office 97-2003", "pdf": "PDF", "rtf": "RTF", "html": "trang web (HTML)",
    "text": "văn bản thuần (text)", "image": "ảnh", "zip": "tệp nén (zip)", "zip-broken": "tệp nén hỏng",
    "encrypted": "Office có mật khẩu", "unknown": "không rõ định dạng",
}
_OLE = b"\xd0\xcf\x11\xe0"  # D0CF11E0: an OLE compound file (Office 97-2003, encrypted OOXML)
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_HTML = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|table|head|body|meta)\b",
    re.IGNORECASE | re.DOTALL,
)


def _utf16(text: str) -> tuple[bytes, bytes]:
    return text.encode("utf-16-le"), text.encode("utf-16-be")


def sniff(path: Path) -> str:
    """The real type of a file from its content: a `KIND_NAMES` key."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK"):
        return _zip_kind(path)
    if head.startswith(_OLE):
        return _ole_kind(path)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGES):
        return "image"
    text = head.lstrip(b"\xef\xbb\xbf")
    if text.startswith(b"{\\rtf"):
        return "rtf"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 text, as Excel's "Unicode text" saves it
        text = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "ignore").encode()
    if _HTML.match(text):
        return "html"
    return "text" if _is_text(head) else "unknown"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 4  # only a character cut at the end of the sample
    return True


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        return "zip-broken"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    return "zip"


_ENCRYPTED = _utf16("EncryptedPackage")[0]
_WORD = _utf16("WordDocument")[0]
_EXCEL = (_utf16("Workbook")[0], _utf16("Book")[0])


def _ole_kind(path: Path) -> str:
    """An OLE compound file: encrypted OOXML (EncryptionInfo + EncryptedPackage), .doc or .xls.

    The stream names are in the directory sectors, found by scanning the file (its size is
    already limited)."""
    seen: set[str] = set()
    tail = b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            data = tail + chunk
            if _ENCRYPTED in data:
                return "encrypted"
            if _WORD in data:
                seen.add("doc")
            if any(name in data for name in _EXCEL):
                seen.add("xls")
            tail = data[-64:]
    return seen.pop() if len(seen) == 1 else "ole"


# ---- the OOXML zip guard ----------------------------------------------------------------------

_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.IGNORECASE)
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_DANGER = [
    pattern
    for word in ("<!DOCTYPE", "<!ENTITY")
    for pattern in (word.encode(), *_utf16(word))
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
    budget = int(limits.max_unzipped_mb * _MB)
    sheets: dict[str, SheetArea] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_zip_entries:
                return ZipScan(problem("E-HOSTILE", file, what=f"tệp nén có {len(infos)} thành phần"), sheets)
            declared = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if declared > 16 * _MB and declared / packed > limits.max_zip_ratio:
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
            budget = megabytes(limits.max_unzipped_mb * _MB)
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
                    area.add(int(match.group(2)), _column(match.group(1)))
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


def _column(letters: bytes) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column


def megabytes(size: float) -> str:
    """1572864 → \"1,5 MB\" (Vietnamese decimal comma)."""
    return f"{vi_number(size / _MB, 1, fixed=True)} MB"
