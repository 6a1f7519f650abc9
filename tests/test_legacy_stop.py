"""Stopping a reader stops the LibreOffice it started (issue 11, items 19/20, their sibling).

`soffice` is a wrapper (a script, oosplash, then soffice.bin as a grandchild): a reader killed while
it converts — at its time limit, on Ctrl-C, or with egov by kill -9 — once left LibreOffice running
on, orphaned, with its temporary folder (the copy of the report, its profile). Each test converts a
long RTF (a 20 000-row table: a minute of LibreOffice), stops the run once soffice.bin works on it,
and looks in /proc for any process whose command line names the run's own temporary folder
(TMPDIR, private to the test). Waits are generous; nothing here measures speed. They need LibreOffice
Writer (the `writer` fixture): skipped without it, except in CI (EGOV_REQUIRE_SOFFICE=1).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import until

from egovcli.ingest import Limits, ingest_folder
from egovcli.ingest.readers import legacy, safety
from egovcli.workspace import Workspace

pytestmark = pytest.mark.usefixtures("writer")


def _long_rtf(path: Path, rows: int = 20_000) -> Path:
    """An RTF report whose conversion takes LibreOffice far longer than any test waits."""
    row = r"\trowd\cellx3000\cellx6000 T\u7893?ng s\u7889? m\u225?y t\u237?nh\cell 48\cell\row" + "\n"
    path.write_text("{\\rtf1\\ansi\n" + row * rows + "}", encoding="ascii")
    return path


def _theirs(tmp: Path) -> dict[int, str]:
    """pid → program of every live process whose command line names `tmp` (the run's TMPDIR)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            words = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()[0]
            if state != "Z" and any(str(tmp).encode() in word for word in words):
                found[int(entry)] = os.path.basename(words[0].decode(errors="replace"))
    return found


def _converting(tmp: Path) -> bool:
    return "soffice.bin" in _theirs(tmp).values()


def _nothing_left(tmp: Path) -> tuple[dict[int, str], list[str]]:
    """What the stopped run left (processes, files in its TMPDIR), after waiting up to 20 s for it to
    go; whatever is found is killed, so that a failing test leaves no LibreOffice behind either."""
    until(lambda: not _theirs(tmp) and not os.listdir(tmp), 20)
    processes, files = _theirs(tmp), sorted(os.listdir(tmp))
    for pid in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return processes, files


@pytest.fixture
def run(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A folder with the long RTF, a private TMPDIR, and the environment of an `egov` using it."""
    reports, tmp = tmp_path / "reports", tmp_path / "tmp"
    reports.mkdir()
    tmp.mkdir()
    _long_rtf(reports / "so-y-te.rtf")
    return reports, tmp, {**os.environ, "TMPDIR": str(tmp)}


def test_a_reader_stopped_at_its_time_limit_stops_libreoffice(
    run: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader is killed at its time limit while LibreOffice converts (here LibreOffice's own
    limit, normally 0.8 of the reader's, is set beyond it, as when a conversion starts late)."""
    reports, tmp, _env = run
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setattr(safety, "active", lambda: Limits(timeout=600))  # LibreOffice's limit, in the reader
    with Workspace(tmp.parent / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1, limits=Limits(timeout=6))
    (only,) = report.files
    assert [p.code for p in only.problems] == ["E-TIMEOUT"]
    assert _nothing_left(tmp) == ({}, [])


def _start(reports: Path, tmp: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`egov ingest` of `reports` in a process of its own, with the run's TMPDIR."""
    ws = tmp.parent / "ws.sqlite"
    return subprocess.Popen(
        [sys.executable, "-m", "egovcli", "ingest", str(reports), "-w", str(ws), "--timeout", "600"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGKILL, -signal.SIGKILL)])
def test_stopping_egov_during_a_conversion_stops_libreoffice(
    run: tuple[Path, Path, dict[str, str]], stop: signal.Signals, code: int
) -> None:
    """Ctrl-C (SIGINT) or kill -9 of `egov ingest` while LibreOffice converts: none of LibreOffice's
    processes, nor its temporary files, outlive the run."""
    reports, tmp, env = run
    egov = _start(reports, tmp, env)
    try:
        assert until(lambda: _converting(tmp), 60), f"LibreOffice never started: {_theirs(tmp)}"
        egov.send_signal(stop)
        assert egov.wait(30) == code
    finally:
        if egov.poll() is None:
            egov.kill()
            egov.wait()
    assert _nothing_left(tmp) == ({}, [])


def test_a_finished_conversion_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard of a conversion ends with it; the temporary folder goes (no LibreOffice files)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    rtf = _long_rtf(tmp_path / "so-y-te.rtf", rows=3)
    extracted = legacy.extract(rtf)
    assert "I-CONVERTED" in [p.code for p in extracted.problems]
    assert _nothing_left(tmp) == ({}, [])
