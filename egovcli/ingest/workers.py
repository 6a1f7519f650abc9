"""The reading processes: at most `jobs` at a time within the memory budget, each reading one file
after another, killed at a file's time limit; a death is reported, never taken for a result."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import IO, TYPE_CHECKING

from egovcli.ingest.extract import EXTRACTORS, exception_problem, extract_file, failure
from egovcli.ingest.readers import safety
from egovcli.ingest.readers.safety import Limits
from egovcli.model import Extracted
from egovcli.problems import problem

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

_Reader = Callable[[Path, Limits, dict[str, str]], Extracted]  # extract_file and its kind

# the heavy libraries each extractor imports when it first reads a file: a reading process imports
# those of the batch's formats before its memory is capped (its share is for the files, not for them)
_LIBRARIES = {
    "egovcli.ingest.readers.xlsx": ("python_calamine", "egovcli.ingest.readers.xlsx"),
    "egovcli.ingest.readers.docx": ("lxml.etree", "egovcli.ingest.readers.docx"),  # python-docx: fallback
    "egovcli.ingest.readers.pdf": ("pdfplumber", "egovcli.ingest.readers.pdf"),
    "egovcli.ingest.readers.legacy": ("python_calamine", "xlrd", "docx", "egovcli.ingest.readers.legacy"),
}

# what a reader that dies for lack of memory leaves on its stderr: Rust (calamine), C++, glibc, Python
_OUT_OF_MEMORY = re.compile(r"memory allocation of \d+ bytes failed|bad_alloc|out of memory|MemoryError|"
                            r"Cannot allocate memory", re.IGNORECASE)
# a reading process is replaced after this many files, or as soon as its address space has grown by
# more than REUSE_MB since its libraries were loaded (what a file left behind must not shrink the
# next one's share)
FILES_PER_WORKER = 1000
REUSE_MB = 64


def extract_all(
    paths: list[Path],
    jobs: int | None,
    limits: Limits,
    extractors: dict[str, str],
    task: _Reader | None = None,
    *,
    on_idle: Callable[[], None] | None = None,
    on_read: Callable[[float], None] | None = None,
) -> Generator[tuple[int, Extracted], None, None]:
    """Each file read by `task` (default `extract_file`) in a reading process, at most `jobs`
    processes within the memory budget (`safety.workers_for`), yielded as (index in `paths`,
    result) as soon as it is done: no more than `jobs` files are in flight and nothing is kept
    once yielded. A reader over the time limit is killed (a parser hung in C code included); one
    that dies is reported, for lack of memory when that is what it wrote on stderr. When the caller
    stops early (an exception such as KeyboardInterrupt, or closing the generator) the readers are
    killed, not waited for. `on_idle` is called each time no result is ready and the readers are
    about to be waited for; `on_read` with the seconds each file took (its reader's wall time).

    The reading processes are forked from this one and each reads one file after another, its
    imports and caches warm (a process per file cost ~4× the reading of a small report); a process
    that dies or is killed takes only its file with it and is replaced, and one whose memory grew
    (`REUSE_MB`) is replaced before its next file, so a file's leftovers never shrink another's
    share, and a death is always told apart from a slow file."""
    if not paths:
        return
    from multiprocessing import connection

    # egov's own reading of cells and lines, which every reader and the batch's storing use: loaded
    # once here rather than by each reading process after it is forked (nothing of a file is read)
    import egovcli.ingest.layout  # noqa: F401

    workers = safety.workers_for(limits, min(jobs or os.cpu_count() or 1, len(paths)))
    cap = safety.MemoryCap(safety.worker_memory_mb(limits, workers), limits.max_memory_mb, workers)
    read = task or extract_file
    modules = {extractors.get(path.suffix.lower(), "") for path in paths}
    libraries = tuple(dict.fromkeys(lib for module in sorted(modules) for lib in _LIBRARIES.get(module, ())))
    todo = deque(enumerate(paths))
    idle: list[_Worker] = []
    running: dict[int, _Reading] = {}
    try:
        while todo or running:
            while todo and len(running) < workers:
                n, path = todo.popleft()
                worker = idle.pop() if idle else None
                if worker is None or not worker.process.is_alive():  # (killed while idle: replaced)
                    if worker is not None:
                        worker.kill()
                    worker = _Worker.start(read, limits, extractors, cap, libraries)
                running[n] = _Reading.start(path, worker, limits)
            # at least twice a second: a reader stuck after running out of memory is told by what it said
            wait = max(0.0, min(0.5, *(r.deadline - time.monotonic() for r in running.values())))
            events = [e for r in running.values() for e in (r.worker.results, r.worker.process.sentinel)]
            ready: set[object] = set(connection.wait(events, timeout=0))
            if not ready:
                if on_idle is not None:
                    on_idle()
                ready = set(connection.wait(events, timeout=wait))
            for n, reading in list(running.items()):
                result = reading.outcome(ready, limits, cap)
                if result is not None:
                    del running[n]
                    reading.stop()
                    if not todo:  # no file left for it: it ends now, while the caller stores the result
                        reading.worker.process.kill()  # (reaped below)
                        idle.append(reading.worker)
                    elif reading.worker.reusable():
                        idle.append(reading.worker)
                    else:
                        reading.worker.kill()
                    if on_read is not None:
                        on_read(time.monotonic() - reading.started)
                    yield n, result
    finally:
        for reading in running.values():
            reading.stop()
        for worker in idle:
            worker.kill()


@dataclass(slots=True)
class _Worker:
    """A reading process: sent one path at a time, it sends back one `Extracted` for each."""

    process: BaseProcess
    tasks: Connection  # paths to read, one at a time
    results: Connection
    errors: IO[bytes]  # the reader's stderr: a file without a name, gone with the last descriptor
    files: int = 0  # files it was given
    grown: bool = False  # its memory grew past REUSE_MB (or cannot be told): not to be given another

    @classmethod
    def start(
        cls, read: _Reader, limits: Limits, extractors: dict[str, str], cap: safety.MemoryCap,
        libraries: tuple[str, ...] = (),
    ) -> _Worker:
        import multiprocessing

        forks = "fork" in multiprocessing.get_all_start_methods()  # (elsewhere: each reader imports anew)
        context = multiprocessing.get_context("fork" if forks else None)
        tasks, given = context.Pipe(duplex=False)
        results, sender = context.Pipe(duplex=False)
        errors = tempfile.TemporaryFile(prefix="egov-reader-")  # noqa: SIM115 - closed by kill()
        process = context.Process(
            target=_serve, args=(tasks, sender, read, limits, extractors, cap, errors.fileno(), libraries),
            daemon=True,
        )
        process.start()
        tasks.close()
        sender.close()
        return cls(process, given, results, errors)

    def reusable(self) -> bool:
        """Whether the process may read another file: alive, not worn (`FILES_PER_WORKER`), its
        memory grown by no more than `REUSE_MB` (where that cannot be told: never reused)."""
        return self.process.is_alive() and self.files < FILES_PER_WORKER and not self.grown

    def kill(self) -> None:
        """End the process at once (whatever it is doing) and reap it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.tasks.close()
        self.results.close()
        self.errors.close()


@dataclass(slots=True)
class _Reading:
    """One file being read by a reading process."""

    path: Path
    worker: _Worker
    deadline: float
    started: float  # time.monotonic() when the file was sent
    said: int  # bytes of the reader's stderr already looked at (earlier files' included)
    done: bool = False  # its result is in: the process may go on

    @classmethod
    def start(cls, path: Path, worker: _Worker, limits: Limits) -> _Reading:
        said = 0
        with contextlib.suppress(OSError):
            said = os.fstat(worker.errors.fileno()).st_size
        worker.files += 1
        started = time.monotonic()
        with contextlib.suppress(OSError):  # died while idle: `outcome` reports it as this file's crash
            worker.tasks.send(path)
        return cls(path, worker, started + limits.timeout, started, said)

    def outcome(self, ready: set[object], limits: Limits, cap: safety.MemoryCap) -> Extracted | None:
        """The result once there is one: what the reader sent, or why it sent nothing."""
        file, process, results = str(self.path), self.worker.process, self.worker.results
        if results in ready or process.sentinel in ready:
            try:
                if results.poll():
                    result: Extracted
                    result, self.worker.grown = results.recv()
                    self.done = True
                    return result
            except (EOFError, OSError):  # died while sending
                pass
            if process.is_alive():  # (the sentinel of another reader)
                return None
            said = _last_words(self.worker.errors, self.said)
            if cap.worker_mb and any(_OUT_OF_MEMORY.search(line) for line in said):
                return failure(safety.out_of_memory(file, cap))
            reason = f"mã thoát {process.exitcode}" + (f": {said[-1]}" if said else "")
            return failure(problem("E-CRASHED", file, reason=reason))
        if time.monotonic() >= self.deadline:
            return failure(problem("E-TIMEOUT", file, seconds=f"{limits.timeout:g}"))
        if cap.worker_mb and self._out_of_memory():  # e.g. a Rust panic that deadlocks on allocating
            return failure(safety.out_of_memory(file, cap))
        return None

    def _out_of_memory(self) -> bool:
        """Whether the reader, still running, has written that it ran out of memory."""
        with contextlib.suppress(OSError):
            size = os.fstat(self.worker.errors.fileno()).st_size
            if size > self.said:
                said = _last_words(self.worker.errors, self.said)
                found = any(_OUT_OF_MEMORY.search(line) for line in said)
                self.said = size
                return found
        return False

    def stop(self) -> None:
        """The file is done with: its process is killed unless it sent the file's result."""
        if not self.done:
            self.worker.kill()


def _serve(
    tasks: Connection, sender: Connection, read: _Reader, limits: Limits, extractors: dict[str, str],
    cap: safety.MemoryCap, stderr: int, libraries: tuple[str, ...],
) -> None:
    """The reading process: Ctrl-C left to the main process, killed with it (Linux), its stderr to
    a file (read back if it dies), `libraries` imported, then its address space capped; reads each
    path it is sent and sends back one `Extracted` and whether its memory grew past `REUSE_MB`,
    until the main process closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["RUST_BACKTRACE"] = "0"  # a panic's backtrace, out of memory, can deadlock the reader
    safety.die_with_parent()  # (not Linux: an orphan ends at its time limit)
    with contextlib.suppress(OSError):  # (then a death for lack of memory reads as a crash)
        os.dup2(stderr, 2)
    for library in libraries:
        with contextlib.suppress(Exception):  # (a library missing: the file's reader says so)
            import_module(library)
    safety.limit_memory(cap)
    loaded = safety.address_space()  # 0 off Linux: never reused for growth
    while True:
        try:
            path = tasks.recv()
        except EOFError:
            return
        result = _read_one(read, path, limits, extractors)
        _send(sender, result, str(path), not loaded or safety.address_space() - loaded > REUSE_MB << 20)


def _read_one(read: _Reader, path: Path, limits: Limits, extractors: dict[str, str]) -> Extracted:
    file = str(path)
    try:
        return read(path, limits, extractors)
    except MemoryError:
        return failure(safety.out_of_memory(file))
    except BaseException as exc:  # noqa: BLE001 - reported as the file's problem
        return failure(exception_problem(file, exc))


def _send(sender: Connection, result: Extracted, file: str, grown: bool) -> None:
    try:
        sender.send((result, grown))  # pickled whole before anything is written
    except MemoryError:
        sender.send((failure(safety.out_of_memory(file)), True))
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
        sender.send((failure(exception_problem(file, exc)), grown))


def _last_words(errors: IO[bytes], since: int = 0) -> list[str]:
    """The last lines a reader wrote on stderr after offset `since` (its earlier files' words left
    out), each shortened; read at explicit offsets, the file position being shared with the reader."""
    try:
        size = os.fstat(errors.fileno()).st_size
        start = max(since, size - 4096)
        text = os.pread(errors.fileno(), size - start, start).decode("utf-8", "replace")
    except OSError:
        return []
    return [line.strip()[:200] for line in text.splitlines() if line.strip()]


def extract_isolated(
    path: Path,
    limits: Limits | None = None,
    *,
    extractors: dict[str, str] | None = None,
    task: _Reader | None = None,
) -> Extracted:
    """Read one file as `ingest_folder` does: in a killable worker, within `limits` (for commands
    that read a file without a workspace, such as `egov verify`, which adds its own `extractors`
    and `task`)."""
    with contextlib.closing(extract_all([path], 1, limits or Limits(), dict(extractors or EXTRACTORS),
                                        task)) as results:  # closed: its reading process ends now
        return next(results)[1]
