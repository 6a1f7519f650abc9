"""A run's agencies scored a chunk at a time, in worker processes when the run is large enough, and
handed back in the order one process hands them over.

Once a run is planned (`grouping.plan`) and its best values are known, scoring an agency needs
nothing from the others. `score_chunks` cuts the run into chunks of agencies that come one after
the other (`grouping.chunks`); each chunk's rows are read from the workspace (only the submissions
holding them), gathered, scored, packed for storage and made into export text (`stored.finish`),
all in one process. With `jobs` > 1 the chunks are shared among processes forked from this one,
which inherit the scorer, the rule set and the writer's columns (nothing of them is pickled) and
each read the workspace through their own read-only connection: it holds what this process's
transaction sees, as the run's transaction keeps every other writer out. This process alone
writes (stores what comes back, writes the text); the workers end without closing what they
inherited (`os._exit`, as every forked multiprocessing worker ends).

At most `_AHEAD` chunks per worker are on their way, so memory stays flat however large the round;
chunks come back in the run's order (an agency scored before its turn waits only for the others of
its chunk: `stored.InOrder`), so a run is stored and written byte for byte as one process stores
and writes it. Where fork is not available (Windows, macOS' default), for a workspace that is not a
file, or for a run too small to gain from it, the chunks are scored here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from egovcli.rules.model import RuleSet
from egovcli.score.grouping import Chunk, Key, Plan, chunks, gather, part
from egovcli.score.model import AgencyScore
from egovcli.score.stored import Finished, Make, finish
from egovcli.workspace import Workspace

T = TypeVar("T")
R = TypeVar("R")

MIN_AGENCIES = 64  # below this many agencies, starting workers costs about what they save
_CHUNK = 32  # agencies scored at a time: few messages (each costs this process), still a fine-grained share
_AHEAD = 4  # chunks per worker on their way (sent, or done and not yet taken)
_work: Callable[[Any], Any] | None = None  # what a worker does with each item (set as it starts)


@dataclass
class Run:
    """What scoring a chunk needs: the run's workspace, plan, rule set and order, how an agency is
    scored (`Scorer.score`) and made into text (None: no text), the rule set's own labels."""

    ws: Workspace
    found: Plan
    rules: RuleSet
    order: dict[Key, int]
    score: Callable[[str, str, str, list[Any]], AgencyScore]
    make: Make | None
    relabel: Callable[[str], str] | None
    _pid: int = field(default_factory=os.getpid)
    _own: Workspace | None = None  # a worker's own read-only connection to the workspace

    def chunk(self, chunk: Chunk) -> list[Finished]:
        """Each agency of `chunk` scored, in `gather`'s order."""
        rows = self._workspace().stream_observations(relabel=self.relabel, submissions=chunk.submissions)
        return [finish(self.score, self.make, (self.order[key], key, observations))
                for key, observations in gather(part(self.found, chunk), self.rules, rows)]

    def _workspace(self) -> Workspace:
        """The run's own workspace here; in a worker, the same file opened again, read-only (a
        connection must never cross a fork)."""
        if os.getpid() == self._pid:
            return self.ws
        if self._own is None:
            self._own = Workspace(self.ws.path, readonly=True, create=False)
        return self._own


def score_chunks(run: Run, jobs: int | None) -> Iterator[Finished]:
    """Every agency of the run scored, a chunk of the run's order at a time (within a chunk, in the
    order their rows are gathered)."""
    found = run.found
    workers = jobs_for(len(found.keys), jobs, run.ws)
    for finished in in_order(run.chunk, chunks(found, _CHUNK), workers):
        yield from finished


def jobs_for(agencies: int, jobs: int | None, ws: Workspace) -> int:
    """How many processes score a run of `agencies` agencies: `jobs` (None: one per CPU), but one for
    a run under `MIN_AGENCIES`, a workspace that is no file, or where processes cannot be forked."""
    wanted = jobs if jobs is not None else os.cpu_count() or 1
    if (agencies < MIN_AGENCIES or not Path(ws.path).is_file()
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return max(1, min(wanted, agencies // _CHUNK))


def in_order(work: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """`work(item)` of each item, in the items' order: in `jobs` forked processes when jobs > 1,
    else here. `items` is read here, as results are taken (never more than `_AHEAD` items per
    worker ahead). An exception `work` raises in a worker is raised here when its item's turn
    comes; nothing after it is taken."""
    if jobs <= 1:
        yield from map(work, items)
        return
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start,
                               initargs=(work,))
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(_run, item))
            if len(pending) > jobs * _AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start(work: Callable[[Any], Any]) -> None:
    """A worker's start: its work, and Ctrl-C left to the process that started it (which stops the
    run and ends the workers), not printed once per worker."""
    global _work
    _work = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(item: Any) -> Any:
    assert _work is not None  # set by `_start`, in every worker before its first item
    return _work(item)
