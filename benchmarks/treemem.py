"""Peak memory of a process and all its descendants, sampled from /proc (Linux).

`TreeSampler(pid)` polls every `interval` seconds in a thread: the sum of the RSS of every process
of the tree (what the kernel charges, shared pages counted in each process: an upper bound) and
the sum of their PSS (shared pages split between the processes sharing them: the real total), and
the RSS of `pid` alone (`peak_root_rss`: the parent that keeps results, without its workers).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeSampler:
    """Peak RSS / PSS sums of the tree below `pid`, while running (a context manager)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = self.peak_processes = self.peak_root_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            tree = descendants(self.pid)
            self.peak_processes = max(self.peak_processes, len(tree))
            self.peak_rss = max(self.peak_rss, sum(_rss(p) for p in tree))
            self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in tree))
            self.peak_root_rss = max(self.peak_root_rss, _rss(self.pid))
            self._stop.wait(self.interval)
