"""Ctrl-C benchmark: how long `egov ingest` takes to stop after SIGINT.

Usage: python benchmarks/bench_interrupt.py [--runs 3]

Goal (issue 11, item 19): under 2 s, exit code 130, every file read before kept. The folder holds
quick reports and files whose reader never returns (tests/hostile.py's `.hang` reader), so each
worker is busy in a file that would otherwise hold the run until its --timeout (300 s here).
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

import hostile  # noqa: E402

GOAL_SECONDS = 2.0
EGOV = (
    f"import sys; sys.path.insert(0, {str(TESTS)!r}); from egovcli import ingest;"
    " ingest.EXTRACTORS['.hang'] = 'hostile'; from egovcli.cli import main;"
    " sys.argv = ['egov', *sys.argv[1:]]; main()"
)


def stored(ws: Path) -> int:
    try:
        with sqlite3.connect(f"file:{ws}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM submissions").fetchone()[0])
    except sqlite3.Error:
        return 0


def once(tmp: Path, quick: int) -> tuple[float, int, int]:
    """Seconds from SIGINT to exit, the exit code, files kept."""
    reports, ws = tmp / "reports", tmp / "ws.sqlite"
    reports.mkdir()
    for n in range(2):
        (reports / f"z-treo-{n}.hang").write_bytes(b"x")  # last: read once the quick ones are done
    for n in range(quick):
        hostile.good_xlsx(reports / f"so-{n}.xlsx", hostile.AGENCIES[n % len(hostile.AGENCIES)])
    with (tmp / "err.txt").open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", EGOV, "ingest", str(reports), "-w", str(ws), "-j2", "--timeout", "300"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        )
    deadline = time.monotonic() + 120
    while stored(ws) < quick and time.monotonic() < deadline:  # until both workers hang
        time.sleep(0.05)
    time.sleep(0.5)
    start = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    return time.perf_counter() - start, code, stored(ws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", type=int, default=4, help="quick files read before the interrupt")
    args = parser.parse_args()
    worst = 0.0
    ok = True
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="egov-bench-interrupt-") as tmp:
            seconds, code, kept = once(Path(tmp), args.quick)
        worst = max(worst, seconds)
        ok = ok and code == 130 and kept == args.quick
        print(f"  run {run + 1}: stopped in {seconds:.2f} s, exit {code}, {kept}/{args.quick} files kept")
    ok = ok and worst < GOAL_SECONDS
    print(f"Ctrl-C: worst {worst:.2f} s (goal < {GOAL_SECONDS:g} s) {'OK' if ok else 'GOAL MISSED'}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
