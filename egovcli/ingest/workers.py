"""The reading processes: each file read in a process of its own, at most `jobs` at a time within
the memory budget, killed at its time limit; a death is reported, never taken for a result."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
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

# the heavy libraries each extractor imports when it first reads a file
_LIBRARIES = {
    "egovcli.ingest.readers.xlsx": ("python_calamine", "egovcli.ingest.readers.xlsx"),
    "egovcli.ingest.readers.docx": ("lxml.etree", "egovcli.ingest.readers.docx"),  # python-docx: fallback
    "egovcli.ingest.readers.pdf": ("pdfplumber", "egovcli.ingest.readers.pdf"),
    "egovcli.ingest.readers.legacy": ("python_calamine", "xlrd", "docx", "egovcli.ingest.readers.legacy"),
}
# what a reader that dies for lack of memory leaves on its stderr: Rust (calamine), C++, glibc, Python
_OUT_OF_MEMORY = re.compile(r"memory allocation of \d+ bytes failed|bad_alloc|out of memory|MemoryError|"
                            r"Cannot allocate memory", re.IGNORECASE)


def extract_all(
    paths: list[Path],
    jobs: int | None,
    limits: Limits,
    extractors: dict[str, str],
    task: _Reader | None = None,
    *,
    on_idle: Callable[[], None] | None = None,
    on_read: Callable[[float], None] | None = None,
) -> Iterator[tuple[int, Extracted]]:
    """Each file read by `task` (default `extract_file`) in a process of its own, at most `jobs`
    at a time within the memory budget (`safety.workers_for`), yielded as (index in `paths`,
    result) as soon as it is done: no more than `jobs` files are in flight and nothing is kept
    once yielded. A reader over the time limit is killed (a parser hung in C code included); one
    that dies is reported, for lack of memory when that is what it wrote on stderr. When the caller
    stops early (an exception such as KeyboardInterrupt, or closing the generator) the readers are
    killed, not waited for. `on_idle` is called each time no result is ready and the readers are
    about to be waited for; `on_read` with the seconds each file took (its reader's wall time).

    A process per file, forked from this one (the libraries imported here once): nothing one file
    leaves behind (memory, a crashed parser) reaches the next, and a death is always told apart
    from a slow file."""
    from multiprocessing import connection

    if not paths:
        return
    workers = safety.workers_for(limits, min(jobs or os.cpu_count() or 1, len(paths)))
    if len(paths) > workers:  # once here, not in every reader (a reader of its own imports them meanwhile)
        for module in {extractors[path.suffix.lower()] for path in paths}:
            for library in _LIBRARIES.get(module, ()):
                import_module(library)
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
            ready: set[object] = set(connection.wait(events, timeout=0))
            if not ready:
                if on_idle is not None:
                    on_idle()
                ready = set(connection.wait(events, timeout=wait))
            for n, reading in list(running.items()):
                result = reading.outcome(ready, limits, cap)
                if result is not None:
                    del running[n]
                    if on_read is not None:
                        on_read(time.monotonic() - reading.started)
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
    started: float  # time.monotonic() when the reader was started
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
        started = time.monotonic()
        process.start()
        sender.close()
        return cls(path, process, results, started + limits.timeout, errors, started)

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
                return failure(safety.out_of_memory(file, cap))
            reason = f"mã thoát {self.process.exitcode}" + (f": {said[-1]}" if said else "")
            return failure(problem("E-CRASHED", file, reason=reason))
        if time.monotonic() >= self.deadline:
            self.stop()
            return failure(problem("E-TIMEOUT", file, seconds=f"{limits.timeout:g}"))
        if cap.worker_mb and self._out_of_memory():  # e.g. a Rust panic that deadlocks on allocating
            self.stop()
            return failure(safety.out_of_memory(file, cap))
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
        result = failure(safety.out_of_memory(file))
    except BaseException as exc:  # noqa: BLE001 - reported as the file's problem
        result = failure(exception_problem(file, exc))
    try:
        sender.send(result)  # pickled whole before anything is written
    except MemoryError:
        sender.send(failure(safety.out_of_memory(file)))
    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
        sender.send(failure(exception_problem(file, exc)))


def _last_words(errors: IO[bytes]) -> list[str]:
    """The last lines a reader wrote on stderr (each shortened); read at explicit offsets, the file
    position being shared with the reader."""
    try:
        size = os.fstat(errors.fileno()).st_size
        text = os.pread(errors.fileno(), 4096, max(0, size - 4096)).decode("utf-8", "replace")
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
    return next(extract_all([path], 1, limits or Limits(), dict(extractors or EXTRACTORS), task))[1]
