"""One slow file holds up no other, and stopping a run keeps every file read before it (issue 11,
items 18 and 19): each file is committed as soon as it is read, Ctrl-C stops the run at once
(exit 130, saying how to resume), and a killed run leaves no reader process behind.

The slow file is read by `hostile.extract` (a reader that never returns and writes its pid), in a
real `egov ingest` process started by the test. Timing bounds here are generous; the 2 s goal of
Ctrl-C is measured by benchmarks/bench_interrupt.py."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import hostile

TESTS = Path(__file__).resolve().parent
QUICK = ["so-tai-chinh.xlsx", "so-y-te.xlsx", "so-tu-phap.xlsx"]
# `egov` with the test-only reader of .hang files registered
EGOV = (
    f"import sys; sys.path.insert(0, {str(TESTS)!r}); from egovcli import ingest;"
    " ingest.EXTRACTORS['.hang'] = 'hostile'; from egovcli.cli import main;"
    " sys.argv = ['egov', *sys.argv[1:]]; main()"
)


def _round(tmp_path: Path) -> Path:
    """A slow file first in folder order, three quick ones after it."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a-cham.hang").write_bytes(b"x")
    for name, agency in zip(QUICK, hostile.AGENCIES, strict=False):
        hostile.good_xlsx(reports / name, agency)
    return reports


def _start(reports: Path, ws: Path, *options: str) -> subprocess.Popen[str]:
    """`egov ingest` in a process of its own; its output goes to files beside the workspace (a pipe
    would keep the test waiting for any process that inherited it)."""
    with (ws.parent / "out.txt").open("w") as out, (ws.parent / "err.txt").open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-c", EGOV, "ingest", str(reports), "-w", str(ws), "--jobs", "2", *options],
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, text=True,
        )


def _finish(proc: subprocess.Popen[str], ws: Path, timeout: float) -> tuple[str, str]:
    """Wait for `proc` (killed after `timeout` s): its stdout and stderr."""
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return (ws.parent / "out.txt").read_text(), (ws.parent / "err.txt").read_text()


def _stored(ws: Path) -> dict[str, str]:
    """display path → status of the committed submissions (read without any lock)."""
    if not ws.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{ws}?mode=ro", uri=True) as db:
            return dict(db.execute("SELECT display_path, status FROM submissions").fetchall())
    except sqlite3.Error:  # not created yet
        return {}


def _wait_for_quick_files(ws: Path, pid_file: Path, proc: subprocess.Popen[str]) -> None:
    """Until the quick files are committed while the slow one is still being read (60 s at most)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if pid_file.exists() and set(_stored(ws)) >= set(QUICK):
            return
        time.sleep(0.1)
    _out, err = _finish(proc, ws, 0)
    raise AssertionError(f"quick files not committed while the slow one runs: {_stored(ws)}\n{err}")


def _gone(pid: int, within: float = 15) -> bool:
    """Whether process `pid` ends (or is a zombie) within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().rpartition(")")[2].split()[0] == "Z":
            return True
        time.sleep(0.05)
    return False


def _kill(pid: int) -> None:
    """Leave no reader behind, whatever the test found."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def test_each_file_is_committed_when_read_and_a_killed_run_keeps_them(tmp_path: Path) -> None:
    reports, ws = _round(tmp_path), tmp_path / "ws.sqlite"
    proc = _start(reports, ws, "--timeout", "300")
    _wait_for_quick_files(ws, tmp_path / "a-cham.hang.pid", proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _stored(ws) == dict.fromkeys(QUICK, "ok")
    reader = int((tmp_path / "a-cham.hang.pid").read_text())
    gone = _gone(reader)
    _kill(reader)
    assert gone, "the reader of the slow file outlived the killed run"


def test_ctrl_c_stops_at_once_keeps_what_was_read_and_says_how_to_resume(tmp_path: Path) -> None:
    reports, ws = _round(tmp_path), tmp_path / "ws.sqlite"
    proc = _start(reports, ws, "--timeout", "300")
    _wait_for_quick_files(ws, tmp_path / "a-cham.hang.pid", proc)
    proc.send_signal(signal.SIGINT)
    _out, err = _finish(proc, ws, 15)
    assert proc.returncode == 130, err
    assert "Đã dừng (Ctrl-C): 3 tệp" in err
    assert f"egov ingest {reports} --workspace {ws}" in err and "các tệp đã đọc sẽ không đọc lại" in err
    assert "Traceback" not in err
    assert _stored(ws) == dict.fromkeys(QUICK, "ok")
    reader = int((tmp_path / "a-cham.hang.pid").read_text())
    gone = _gone(reader, within=5)
    _kill(reader)
    assert gone, "the reader of the slow file outlived the interrupted run"
    # resuming reads only the file that was not finished (here it times out at once)
    again = _start(reports, ws, "--timeout", "1", "--json")
    out, err = _finish(again, ws, 60)
    assert again.returncode == 0, err
    assert '"unchanged": 3' in out and '"failed": 1' in out


def test_results_do_not_depend_on_which_file_finishes_first(tmp_path: Path) -> None:
    """Commits follow completion, not folder order: the report (folder order) and the supersession
    decisions are the same with one reader or several."""
    from egovcli.ingest import ingest_folder
    from egovcli.workspace import Workspace

    reports = tmp_path / "reports"
    for n, folder in enumerate(("b", "a/c", "a")):
        (reports / folder).mkdir(parents=True, exist_ok=True)
        for name, agency in zip(QUICK, hostile.AGENCIES, strict=False):  # each agency sent 3 times
            path = hostile.good_xlsx(reports / folder / name, agency)
            os.utime(path, (1_600_000_000 + n, 1_600_000_000 + n))
    outcomes = []
    for jobs in (1, 2):
        with Workspace(tmp_path / f"ws{jobs}.sqlite") as ws:
            report = ingest_folder(reports, ws, jobs=jobs)
        outcomes.append([(f.file, f.status, f.superseded_by) for f in report.files])
    assert outcomes[0] == outcomes[1]
    assert [file for file, _status, _by in outcomes[0]] == [
        f"{folder}/{name}" for folder in ("a", "a/c", "b") for name in sorted(QUICK)
    ]
    assert {(file, by) for file, status, by in outcomes[0] if status != "superseded"} == {
        (f"a/{name}", "") for name in QUICK
    }
