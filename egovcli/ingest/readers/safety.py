"""Guards for hostile and broken input: the limits of what one file may cost, and the worker
processes' memory caps.

Submitted files come from many agencies and are read unattended, so nothing in them may crash,
hang or exhaust the machine. Every file is read in a worker process that can be killed (see
`egovcli.ingest`); before any parser sees a file its real type is sniffed from its content
(`sniff`), and an OOXML zip is checked for zip bombs, XML entity tricks and sheets with too many
real cells or rows (`zipguard`). Extractors read the limits in force with `active()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from egovcli.problems import Problem, problem
from egovcli.textnorm import vi_number

MB = 1 << 20


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
    - max_table_rules = 3_000: ruling lines of one PDF page (as pdfplumber joins them) and the
      points where they cross; a page over it is not searched for ruled tables, its text is read
      (W-PDF-TABLE-RULES). pdfplumber's table finder is quadratic in them (3,000 small rectangles:
      over a minute for one page; 750 of them, at the limit: ~2 s); a dense real annex page
      (55 rows × 20 columns) has 81 lines and 1,260 crossings (benchmarks/bench_hostile.py).
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
    max_table_rules: int = 3_000
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
        wanted = address_space() + cap.worker_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard < 0 else min(wanted, hard), hard))
        _cap = cap
    except (ImportError, ValueError, OSError):  # not on this platform: the timeout still applies
        pass


def address_space() -> int:
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



def megabytes(size: float) -> str:
    """1572864 → \"1,5 MB\" (Vietnamese decimal comma)."""
    return f"{vi_number(size / MB, 1, fixed=True)} MB"
