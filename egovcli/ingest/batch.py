"""The ingest batch: walk a folder, extract every report file in parallel, store observations.

Each file is read by the extractor registered for its suffix (`EXTRACTORS`), in a process of its
own, so one bad file never stops the batch: any failure becomes a per-file problem and the rest goes
on; each result is stored as soon as it is read.
Agency names are resolved through the optional registry (agencies.csv) and data labels mapped with
the optional label pins (mapping.csv); of one agency's submissions for one period, an earlier one
that a later one repeats is reported as superseded (`Workspace` decides which).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import stat
import tempfile
import time
import unicodedata
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path
from typing import IO, TYPE_CHECKING

from egovcli import OUTPUT_MARKER
from egovcli.agencies import Agency, AgencyRegistry, display_name, infer_group, load_registry, name_from_path
from egovcli.ingest.layout import unparsed_value
from egovcli.ingest.readers import legacy, safety
from egovcli.ingest.readers.safety import Limits
from egovcli.model import Extracted, Observation
from egovcli.problems import Problem, problem
from egovcli.untrusted import storable
from egovcli.workspace import REVIEWED, Workspace

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from egovcli.indicators import Matcher

# suffix → module exposing `extract(path: Path) -> Extracted`; imported only when a file needs it.
EXTRACTORS = {
    ".xlsx": "egovcli.ingest.readers.xlsx",
    ".docx": "egovcli.ingest.readers.docx",
    ".pdf": "egovcli.ingest.readers.pdf",
    **dict.fromkeys((".xls", ".xlsm", ".ods", ".doc", ".odt", ".rtf"), "egovcli.ingest.readers.legacy"),
}
_FORMATS = ", ".join(EXTRACTORS)
AGENCIES_FILE = "agencies.csv"  # used by default when found in the ingested folder; never a report
MAPPING_FILE = "mapping.csv"


@dataclass(slots=True)
class FileResult:
    """What happened to one file of the batch."""

    file: str
    status: str  # new | updated | unchanged | superseded | failed | skipped | removed
    agency: str = ""
    period: str = ""
    rows: int = 0
    mapped: int = 0
    unmapped: int = 0
    problems: list[Problem] = field(default_factory=list)
    superseded_by: str = ""  # the later file of the same agency and period that counts instead

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "agency": self.agency,
            "period": self.period,
            "rows": self.rows,
            "mapped": self.mapped,
            "unmapped": self.unmapped,
            "problems": [p.as_dict() for p in self.problems],
            "superseded_by": self.superseded_by,
        }


@dataclass(slots=True)
class IngestReport:
    folder: str
    files: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def counts(self) -> dict[str, int]:
        """Number of files per status."""
        counts: dict[str, int] = {}
        for f in self.files:
            counts[f.status] = counts.get(f.status, 0) + 1
        return counts

    def as_dict(self) -> dict[str, object]:
        return {"folder": self.folder, "counts": self.counts, "files": [f.as_dict() for f in self.files]}


def walk(folder: Path) -> Iterator[tuple[Path, Problem | None]]:
    """Every entry below `folder` in a stable order, with why it is skipped (None: a file to read).

    Only regular files are read (checked with lstat, so a link never leads outside the folder);
    links, FIFOs, sockets and devices, and Office lock files (~$…) are skipped with a note;
    hidden files and folders (.DS_Store, .git) silently. Folders are never followed through links.
    """
    for root, dirs, files in os.walk(folder):
        names = sorted(files)
        names += sorted(d for d in dirs if not d.startswith(".") and os.path.islink(os.path.join(root, d)))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in names)
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root, name)
            shown = _shown(path, folder)
            if name.startswith("~$"):
                yield path, problem("I-LOCK-FILE", shown)
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:  # vanished while walking
                continue
            if stat.S_ISLNK(mode):
                yield path, problem("I-SKIPPED-LINK", shown, target=storable(os.readlink(path)))
            elif not stat.S_ISREG(mode):
                kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "thiết bị"
                yield path, problem("I-SKIPPED-SPECIAL", shown, kind=kind)
            else:
                yield path, None


def _shown(path: Path, root: Path) -> str:
    """How a file is named in reports: relative to the folder, Unicode NFC (macOS writes NFD names),
    bytes that are not UTF-8 shown as escapes (`storable`)."""
    return unicodedata.normalize("NFC", storable(path.relative_to(root).as_posix()))


def _key(path: Path) -> str:
    """A file's identity in the workspace: its absolute path, made storable (`storable`)."""
    return storable(str(path.resolve()))


def extract_file(
    path: Path, limits: Limits | None = None, extractors: dict[str, str] | None = None
) -> Extracted:
    """Read one file within `limits`: refuse it by size or real type, else run the extractor that
    `extractors` (default `EXTRACTORS`) registers for its suffix — or for its real type when the
    extension is wrong. Nothing raises: every failure is a problem with a category."""
    limits = limits or Limits()
    extractors = extractors or EXTRACTORS
    file = str(path)
    if storable(file) != file:  # a name that is not UTF-8: readers written in Rust cannot open it
        return _through_alias(path, limits, extractors)
    try:
        with safety.applied(limits):
            size = path.stat().st_size
            if size == 0:
                return _failed(problem("E-EMPTY-FILE", file))
            if size > limits.max_file_mb * (1 << 20):
                limit, advice = f"{limits.max_file_mb:g} MB", safety.raise_option("--max-file-mb")
                actual = safety.megabytes(size)
                return _failed(safety.too_large(file, "dung lượng tệp", actual, limit, advice=advice))
            suffix = path.suffix.lower()
            if suffix not in safety.SUFFIX_KINDS:  # a format without content checks
                return _run(extractors[suffix], path)
            kind = safety.sniff(path)
            if kind in safety.SUFFIX_KINDS[suffix]:
                return _run(extractors[suffix], path)
            return _wrong_type(path, suffix, kind, extractors)
    except MemoryError:
        return _failed(safety.out_of_memory(file))
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
        return _failed(exception_problem(file, exc))


def _through_alias(path: Path, limits: Limits, extractors: dict[str, str]) -> Extracted:
    """Read `path` through a link with a plain name; problems name the file as `readable` shows it."""
    shown = storable(str(path))
    with tempfile.TemporaryDirectory(prefix="egov-alias-") as tmp:
        alias = Path(tmp, f"input{storable(path.suffix)}")
        alias.symlink_to(path.absolute())
        extracted = extract_file(alias, limits, extractors)
    extracted.problems = [
        replace(p, file=shown, message=p.message.replace(str(alias), shown)) for p in extracted.problems
    ]
    return extracted


def _run(module: str, path: Path) -> Extracted:
    result: Extracted = import_module(module).extract(path)
    return result


def _wrong_type(path: Path, suffix: str, kind: str, extractors: dict[str, str]) -> Extracted:
    """A file whose content is not what its extension says: read as what it is, or explain."""
    file, actual = str(path), safety.KIND_NAMES[kind]
    if kind == "encrypted":
        return _failed(problem("E-ENCRYPTED", file, kind="Office"))
    if kind == "zip-broken":
        return _failed(problem("E-UNREADABLE", file, reason="tệp nén bị cắt cụt hoặc hỏng"))
    if kind == "unknown":
        reason = f"nội dung không phải tệp {suffix} hợp lệ (tệp hỏng hoặc không đầy đủ)"
        return _failed(problem("E-UNREADABLE", file, reason=reason))
    if kind in ("html", "text"):  # web-system exports: LibreOffice reads them, if installed
        readable = suffix != ".pdf" and legacy.soffice() is not None
        real = "" if not readable else ".doc" if suffix in _WORDISH else ".xls"
    elif kind == "ole":  # Office 97-2003, Word or Excel not told apart
        real = ".doc" if suffix in _WORDISH else ".xls"
    else:
        real = safety.KIND_SUFFIX.get(kind, "")
    if not real or real not in extractors:
        advice = _ADVICE.get(kind, _ADVICE[""])
        return _failed(problem("E-WRONG-TYPE", file, suffix=suffix, actual=actual, advice=advice))
    with tempfile.TemporaryDirectory(prefix="egov-alias-") as tmp:
        alias = Path(tmp, f"input{real}")
        alias.symlink_to(path.resolve())
        extracted = _run(extractors[real], alias)
    extracted.problems = [
        replace(p, file=file, message=p.message.replace(str(alias), path.name)) for p in extracted.problems
    ]
    extracted.problems.insert(0, problem("W-WRONG-EXTENSION", file, suffix=suffix, actual=actual))
    return extracted


_WORDISH = (".doc", ".docx", ".odt", ".rtf")
_ADVICE = {
    "html": "đây là trang web xuất từ phần mềm; hãy mở bằng Excel rồi chọn Lưu thành → Sổ làm việc"
    " Excel (.xlsx), hoặc cài LibreOffice để egov tự chuyển",
    "text": "hãy đề nghị cơ quan gửi đúng tệp báo cáo (.xlsx, .docx hoặc .pdf)",
    "image": "ảnh chụp/quét không có số liệu đọc được; hãy đề nghị cơ quan gửi tệp gốc (.xlsx, .docx"
    " hoặc .pdf có chữ)",
    "zip": "hãy giải nén rồi đặt các tệp báo cáo bên trong vào thư mục",
    "": "hãy mở tệp bằng phần mềm phù hợp và lưu lại đúng định dạng",
}


# libxml2 (lxml, under python-docx) refuses XML nested deeper than 256 levels
_TOO_DEEP = re.compile(r"Excessive depth in document: (\d+)", re.IGNORECASE)
# a Rust reader (calamine, through PyO3) that could not allocate a Python object panics with this
_NO_OBJECT = "PyObject pointer is null"


def exception_problem(file: str, exc: BaseException) -> Problem:
    """The problem an extractor's exception means: a password the reader asked for, memory the
    reader could not get, nesting deeper than a parser allows (hostile: tables in tables in tables…
    — no genuine report comes close), or a broken file."""
    text = f"{type(exc).__name__}: {exc}".strip()
    if _NO_OBJECT in text:
        return safety.out_of_memory(file)
    if "password" in text.lower():  # e.g. calamine on a protected .xls
        return problem("E-ENCRYPTED", file, kind=Path(file).suffix.lstrip(".").upper())
    if (deep := _TOO_DEEP.search(text)) or isinstance(exc, RecursionError):
        levels = f"quá {deep.group(1)} mức, " if deep else ""
        what = f"nội dung lồng nhau quá sâu: {levels}bảng trong bảng hoặc thẻ XML trong thẻ XML"
        return problem("E-HOSTILE", file, what=what)
    return problem("E-UNREADABLE", file, reason=text[:300])


def _failed(p: Problem) -> Extracted:
    return Extracted(problems=[p])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class _Todo:
    """A file to read: its path, how it is shown, its workspace key and content hash."""

    path: Path
    shown: str
    key: str
    digest: str


def ingest_folder(
    folder: str | os.PathLike[str],
    workspace: Workspace,
    *,
    period: str | None = None,
    jobs: int | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    agencies: str | os.PathLike[str] | None = None,
    mapping: str | os.PathLike[str] | None = None,
    limits: Limits | None = None,
) -> IngestReport:
    """Ingest every report below `folder` into `workspace`; returns a per-file report (folder order).

    `agencies` / `mapping` default to agencies.csv / mapping.csv in `folder` when present. A new
    registry re-reads every file; a new mapping re-maps the stored data rows (no re-reading).
    Each file is read within `limits` (default `Limits()`: size, time, memory…, see `safety`) and
    committed as soon as it is read, so a slow file holds up no other and an interrupted run keeps
    every file read before (KeyboardInterrupt stops the workers at once and propagates). A file
    that names no period gets the one period of the folder's other files (`--period` overrides all),
    so it is committed once the batch is read. egov's own outputs (`OUTPUT_MARKER`) are skipped.
    Raises `AgencyRegistryError` / `MappingError` when either file cannot be used.
    """
    from egovcli.indicators import Matcher, load_mapping

    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"Không tìm thấy thư mục: {storable(str(root))}")
    agencies_path = _option_file(agencies, root / AGENCIES_FILE)
    mapping_path = _option_file(mapping, root / MAPPING_FILE)
    registry = load_registry(agencies_path) if agencies_path else AgencyRegistry()
    matcher = Matcher(load_mapping(mapping_path) if mapping_path else None)
    mapping_sha256 = sha256_of(mapping_path) if mapping_path else ""
    if (workspace.meta("mapping_sha256") or "") != mapping_sha256:
        workspace.remap_indicators(matcher.match, mapping_sha256=mapping_sha256)
    reread = (workspace.meta("agencies_sha256") or "") != registry.sha256
    not_reports = {p.resolve() for p in (agencies_path, mapping_path) if p}

    report = IngestReport(storable(str(root)))
    order: dict[str, int] = {}  # display name → position in the folder walk: the report's order
    walked: set[str] = set()  # keys of every entry found, for `_forget_deleted`

    def emit(result: FileResult) -> None:
        _emit(report, result, on_file)

    todo: list[_Todo] = []
    for path, skip in walk(root):
        shown, key = _shown(path, root), _key(path)
        order.setdefault(shown, len(order))
        walked.add(key)
        if skip is not None:
            emit(FileResult(shown, "skipped", problems=[skip]))
            continue
        if path.resolve() in not_reports:
            continue
        if path.suffix.lower() not in EXTRACTORS:
            skipped = problem("I-NOT-A-REPORT", file=shown, formats=_FORMATS)
            emit(FileResult(shown, "skipped", problems=[skipped]))
            continue
        try:
            digest = sha256_of(path)
        except OSError as exc:  # unreadable (permissions) or vanished: nothing to store
            unreadable = problem("E-UNREADABLE", shown, reason=f"{type(exc).__name__}: {exc.strerror}")
            emit(FileResult(shown, "failed", problems=[unreadable]))
            continue
        stored = workspace.submission(key)
        unchanged = stored and stored.sha256 == digest and stored.status != "failed"  # failures are retried
        if unchanged and stored and not reread and (period is None or period == stored.period):
            emit(FileResult(shown, "unchanged", stored.agency, stored.period))
            continue
        todo.append(_Todo(path, shown, key, digest))

    waiting: list[tuple[_Todo, Extracted]] = []  # read, but their period depends on the batch
    paths = [item.path for item in todo]
    for index, extracted in _extract_all(paths, jobs, limits or Limits(), dict(EXTRACTORS), _read_report):
        item = todo[index]
        if any(p.code == "I-EGOV-OUTPUT" for p in extracted.problems):
            if workspace.submission(item.key):  # stored as a report before it was overwritten
                workspace.delete_submission(item.key)
            emit(FileResult(item.shown, "skipped", problems=[_with_file(extracted.problems[0], item.shown)]))
        elif period is None and not extracted.period and extracted.observations:
            waiting.append((item, extracted))
        else:
            emit(_store(workspace, item, extracted, period or extracted.period or "", registry, matcher))
    _forget_deleted(workspace, root, walked, report, on_file)
    if waiting:
        found, note = _folder_period(workspace, root.resolve(), {item.key for item, _ in waiting})
        for item, extracted in waiting:
            emit(_store(workspace, item, extracted, found, registry, matcher, _with_file(note, item.shown)))
    if reread:
        workspace.set_meta("agencies_sha256", registry.sha256)
    _mark_superseded(workspace, root, report)
    report.files.sort(key=lambda f: order.get(f.file, len(order)))  # removed files last, stable
    return report


def _option_file(given: str | os.PathLike[str] | None, default: Path) -> Path | None:
    """The file named by an option, else `default` when it exists."""
    if given is not None:
        return Path(given)
    return default if default.is_file() else None


def _forget_deleted(
    workspace: Workspace,
    root: Path,
    walked: set[str],
    report: IngestReport,
    on_file: Callable[[FileResult], None] | None,
) -> None:
    """Files ingested from this folder before but deleted since: their rows leave the workspace.
    (A key is a path only when the name is UTF-8: `walked` is what tells that a file is there.)"""
    base = storable(str(root.resolve()))
    for sub in workspace.submissions():
        if Path(sub.path).is_relative_to(base) and sub.path not in walked and not Path(sub.path).exists():
            workspace.delete_submission(sub.path)
            _emit(report, FileResult(sub.display_path, "removed", sub.agency, sub.period), on_file)


def _folder_period(workspace: Workspace, base: Path, pending: set[str]) -> tuple[str, Problem]:
    """The period of a file that names none: the one period of the folder's other readable
    submissions (this batch's, committed by now, and earlier ones), with the warning saying so;
    else no period, and a warning listing the periods seen (never a guess between two)."""
    others: dict[str, list[str]] = {}
    for sub in workspace.submissions():
        mine = Path(sub.path).is_relative_to(base) and sub.path not in pending
        if mine and sub.period and sub.status != "failed":
            others.setdefault(sub.period, []).append(sub.display_path)
    if len(others) == 1:
        ((found, files),) = others.items()
        return found, problem("W-PERIOD-INFERRED", period=found, count=len(files), example=files[0])
    return "", problem("W-NO-PERIOD", periods=", ".join(sorted(others)) or "—")


_Reader = Callable[[Path, Limits, dict[str, str]], Extracted]  # extract_file and its kind

# the heavy libraries each extractor imports when it first reads a file
_LIBRARIES = {
    "egovcli.ingest.readers.xlsx": ("python_calamine", "egovcli.ingest.readers.xlsx"),
    "egovcli.ingest.readers.docx": ("docx", "egovcli.ingest.readers.docx"),
    "egovcli.ingest.readers.pdf": ("pdfplumber", "egovcli.ingest.readers.pdf"),
    "egovcli.ingest.readers.legacy": ("python_calamine", "xlrd", "docx", "egovcli.ingest.readers.legacy"),
}
# what a reader that dies for lack of memory leaves on its stderr: Rust (calamine), C++, glibc, Python
_OUT_OF_MEMORY = re.compile(r"memory allocation of \d+ bytes failed|bad_alloc|out of memory|MemoryError|"
                            r"Cannot allocate memory", re.IGNORECASE)


def _extract_all(
    paths: list[Path],
    jobs: int | None,
    limits: Limits,
    extractors: dict[str, str],
    task: _Reader | None = None,
) -> Iterator[tuple[int, Extracted]]:
    """Each file read by `task` (default `extract_file`) in a process of its own, at most `jobs`
    at a time within the memory budget (`safety.workers_for`), yielded as (index in `paths`,
    result) as soon as it is done. A reader over the time limit is killed (a parser hung in C code
    included); one that dies is reported, for lack of memory when that is what it wrote on stderr.
    When the caller stops early (an exception such as KeyboardInterrupt, or closing the generator)
    the readers are killed, not waited for.

    A process per file, forked from this one (the libraries imported here once): nothing one file
    leaves behind (memory, a crashed parser) reaches the next, and a death is always told apart
    from a slow file."""
    from multiprocessing import connection

    if not paths:
        return
    for module in {extractors[path.suffix.lower()] for path in paths}:  # once here, not in every reader
        for library in _LIBRARIES.get(module, ()):
            import_module(library)
    workers = safety.workers_for(limits, min(jobs or os.cpu_count() or 1, len(paths)))
    cap = safety.MemoryCap(safety.worker_memory_mb(limits, workers), limits.max_memory_mb, workers)
    read = task or extract_file
    todo = deque(enumerate(paths))
    running: dict[int, _Reading] = {}
    try:
        while todo or running:
            while todo and len(running) < workers:
                n, path = todo.popleft()
                running[n] = _Reading.start(path, read, limits, extractors, cap)
            # at least twice a second: a reader stuck after running out of memory is told by what it said
            wait = max(0.0, min(0.5, *(r.deadline - time.monotonic() for r in running.values())))
            events = [e for r in running.values() for e in (r.results, r.process.sentinel)]
            ready: set[object] = set(connection.wait(events, timeout=wait))
            for n, reading in list(running.items()):
                result = reading.outcome(ready, limits, cap)
                if result is not None:
                    del running[n]
                    yield n, result
    finally:
        for reading in running.values():
            reading.stop()


@dataclass(slots=True)
class _Reading:
    """One file being read by a process of its own."""

    path: Path
    process: BaseProcess
    results: Connection
    deadline: float
    errors: IO[bytes]  # the reader's stderr: a file without a name, gone with the last descriptor
    said: int = 0  # bytes of stderr already looked at

    @classmethod
    def start(
        cls, path: Path, read: _Reader, limits: Limits, extractors: dict[str, str], cap: safety.MemoryCap
    ) -> _Reading:
        import multiprocessing

        forks = "fork" in multiprocessing.get_all_start_methods()  # (elsewhere: each reader imports anew)
        context = multiprocessing.get_context("fork" if forks else None)
        results, sender = context.Pipe(duplex=False)
        errors = tempfile.TemporaryFile(prefix="egov-reader-")  # noqa: SIM115 - closed by stop()
        process = context.Process(
            target=_read_in_child, args=(sender, read, path, limits, extractors, cap, errors.fileno()),
            daemon=True,
        )
        process.start()
        sender.close()
        return cls(path, process, results, time.monotonic() + limits.timeout, errors)

    def outcome(self, ready: set[object], limits: Limits, cap: safety.MemoryCap) -> Extracted | None:
        """The result once there is one: what the reader sent, or why it sent nothing."""
        file = str(self.path)
        if self.results in ready or self.process.sentinel in ready:
            try:
                if self.results.poll():
                    result: Extracted = self.results.recv()
                    self.stop()
                    return result
            except (EOFError, OSError):  # died while sending
                pass
            if self.process.is_alive():  # (the sentinel of another reader)
                return None
            said = _last_words(self.errors)
            self.stop()
            if cap.worker_mb and any(_OUT_OF_MEMORY.search(line) for line in said):
                return _failed(safety.out_of_memory(file, cap))
            reason = f"mã thoát {self.process.exitcode}" + (f": {said[-1]}" if said else "")
            return _failed(problem("E-CRASHED", file, reason=reason))
        if time.monotonic() >= self.deadline:
            self.stop()
            return _failed(problem("E-TIMEOUT", file, seconds=f"{limits.timeout:g}"))
        if cap.worker_mb and self._out_of_memory():  # e.g. a Rust panic that deadlocks on allocating
            self.stop()
            return _failed(safety.out_of_memory(file, cap))
        return None

    def _out_of_memory(self) -> bool:
        """Whether the reader, still running, has written that it ran out of memory."""
        with contextlib.suppress(OSError):
            size = os.fstat(self.errors.fileno()).st_size
            if size > self.said:
                self.said = size
                return any(_OUT_OF_MEMORY.search(line) for line in _last_words(self.errors))
        return False

    def stop(self) -> None:
        """Kill the reader at once (whatever it is doing) and reap it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.results.close()
        self.errors.close()


def _read_in_child(
    sender: Connection, read: _Reader, path: Path, limits: Limits, extractors: dict[str, str],
    cap: safety.MemoryCap, stderr: int,
) -> None:
    """The reading process: Ctrl-C left to the main process, killed with it (Linux), its stderr to
    a file (read back if it dies), its address space capped; sends back one `Extracted`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["RUST_BACKTRACE"] = "0"  # a panic's backtrace, out of memory, can deadlock the reader
    safety.die_with_parent()  # (not Linux: an orphan ends at its time limit)
    with contextlib.suppress(OSError):  # (then a death for lack of memory reads as a crash)
        os.dup2(stderr, 2)
    safety.limit_memory(cap)
    file = str(path)
    try:
        result = read(path, limits, extractors)
    except MemoryError:
        result = _failed(safety.out_of_memory(file))
    except BaseException as exc:  # noqa: BLE001 - reported as the file's problem
        result = _failed(exception_problem(file, exc))
    try:
        sender.send(result)  # pickled whole before anything is written
    except MemoryError:
        sender.send(_failed(safety.out_of_memory(file)))
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
        sender.send(_failed(exception_problem(file, exc)))


def _last_words(errors: IO[bytes]) -> list[str]:
    """The last lines a reader wrote on stderr (each shortened); read at explicit offsets, the file
    position being shared with the reader."""
    try:
        size = os.fstat(errors.fileno()).st_size
        text = os.pread(errors.fileno(), 4096, max(0, size - 4096)).decode("utf-8", "replace")
    except OSError:
        return []
    return [line.strip()[:200] for line in text.splitlines() if line.strip()]


def extract_isolated(path: Path, limits: Limits | None = None) -> Extracted:
    """Read one file as `ingest_folder` does: in a killable worker, within `limits` (for commands
    that read a file without a workspace, such as `egov verify`)."""
    return next(_extract_all([path], 1, limits or Limits(), dict(EXTRACTORS)))[1]


def _read_report(path: Path, limits: Limits, extractors: dict[str, str]) -> Extracted:
    """`extract_file` for ingest: egov's own outputs are recognised first and not read."""
    if _is_egov_output(path, limits):
        return _failed(problem("I-EGOV-OUTPUT", str(path)))
    return extract_file(path, limits, extractors)


_KEYWORDS = re.compile(rb"<(?:\w+:)?keywords\b[^>]*>([^<]*)<")


def _is_egov_output(path: Path, limits: Limits) -> bool:
    """Whether `path` is an .xlsx/.docx that egov wrote: OUTPUT_MARKER among the keywords of its
    core properties (docProps/core.xml, at most 64 KiB read; a creator "egov" alone is not enough)."""
    if path.suffix.lower() not in (".xlsx", ".docx"):
        return False
    try:
        if path.stat().st_size > limits.max_file_mb * (1 << 20):
            return False
        with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as part:
            head = part.read(1 << 16)
    except Exception:  # noqa: BLE001 - not a zip, no properties: not ours; the reader says what it is
        return False
    found = _KEYWORDS.search(head)
    return found is not None and OUTPUT_MARKER.encode() in re.split(rb"[\s,;]+", found.group(1))


def _store(
    workspace: Workspace,
    item: _Todo,
    extracted: Extracted,
    period: str,
    registry: AgencyRegistry,
    matcher: Matcher,
    period_note: Problem | None = None,
) -> FileResult:
    """Commit one file's result (one transaction) under `period`; `period_note` says how the
    period was found when the file names none."""
    shown = item.shown
    problems = [_with_file(p, shown) for p in extracted.problems]
    if display_name(extracted.agency or ""):
        agency = registry.resolve(extracted.agency or "")
    else:  # a guess from the path: never used to decide which submission supersedes which
        guess = name_from_path(shown, registry)  # the file's name unless its folder is one agency's
        agency = registry.find(guess) or Agency(guess, infer_group(guess), "")
        if extracted.observations:
            problems.append(problem("W-NO-AGENCY", file=shown, agency=agency.name))
    if period_note is not None:
        problems.append(period_note)
    if not extracted.observations and all(p.severity == "info" for p in problems):
        problems.append(problem("E-EMPTY", file=shown))
    mapped = unmapped = 0
    row_groups: dict[str, str] = {}
    methods: list[str] = []  # how each row's label was mapped, kept so --unmapped skips reviewed rows
    for obs in extracted.observations:
        _storable(obs)
        if obs.agency:  # a row about another agency (published ranking)
            other = registry.resolve(obs.agency)
            obs.agency = other.name
            row_groups[other.name] = other.group
        methods.append("")
        if obs.kind == "data":
            if not obs.indicator:  # an extractor may know the indicator already
                found = matcher.match(obs.label)
                obs.indicator, methods[-1] = found.indicator, found.method
            if obs.indicator:
                mapped += 1
                if unreadable := unparsed_value(obs, shown):  # every indicator is a number or a yes/no
                    problems.append(unreadable)
            elif methods[-1] not in REVIEWED:  # left for a person, as `egov indicators --unmapped` lists
                unmapped += 1
    info = item.path.stat()
    existed = workspace.submission(item.key) is not None
    workspace.store_submission(
        path=item.key,
        display_path=shown,
        sha256=item.digest,
        size=info.st_size,
        mtime=info.st_mtime,
        agency=agency.name,
        group=agency.group,
        period=period,
        problems=problems,
        observations=extracted.observations,
        agency_key=agency.key,
        doc_date=extracted.doc_date,
        row_groups=row_groups,
        methods=methods,
    )
    failed = any(p.severity == "error" for p in problems)
    status = "failed" if failed else ("updated" if existed else "new")
    rows = len(extracted.observations)
    return FileResult(shown, status, agency.name, period, rows, mapped, unmapped, problems)


_TEXT_FIELDS = ("label", "raw_value", "unit", "ref", "note", "location", "agency")


def _storable(obs: Observation) -> None:
    """A parser may hand back lone surrogates (a broken PDF font map): escaped, since SQLite
    refuses them and one row must not stop the batch."""
    for name in _TEXT_FIELDS:
        setattr(obs, name, storable(getattr(obs, name)))


def _mark_superseded(workspace: Workspace, root: Path, report: IngestReport) -> None:
    """Files that a later submission of the same agency and period repeats are reported as such."""
    base = storable(str(root.resolve()))  # display names are NFC, the paths on disk may not be
    real = {s.display_path: s.path for s in workspace.submissions() if Path(s.path).is_relative_to(base)}
    for result in report.files:
        if result.status in ("new", "updated", "unchanged") and result.file in real:
            stored = workspace.submission(real[result.file])
            if stored and stored.status == "superseded":
                result.status, result.superseded_by = "superseded", stored.superseded_by


def _with_file(p: Problem, shown: str) -> Problem:
    """`p` about the file shown as `shown`, its text storable (a message may quote the path)."""
    return replace(p, file=shown, message=storable(p.message), location=storable(p.location))


def _emit(report: IngestReport, result: FileResult, on_file: Callable[[FileResult], None] | None) -> None:
    report.files.append(result)
    if on_file:
        on_file(result)
