"""The ingest batch at national scale (issue 15): a re-run decides unchanged files without opening
them and prints one summary line, not a table of them; files are read with a bounded number in
flight and committed in batches that an interruption keeps; the total is known before any file
is read, so progress can show done/total."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import hostile
import pytest
from helpers import egov

from egovcli import ingest
from egovcli.ingest import batch, ingest_folder, workers
from egovcli.ingest.walk import scan
from egovcli.workspace import NewSubmission, Workspace

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"


def _round(folder: Path, count: int) -> list[Path]:
    """`count` quick reports of distinct agencies."""
    folder.mkdir(parents=True, exist_ok=True)
    return [hostile.good_xlsx(folder / f"so-{n:02d}.xlsx", f"Sở Thử nghiệm số {n}") for n in range(count)]


def _committed(ws: Path) -> set[str]:
    """Display paths committed to the workspace, as another process sees them."""
    with sqlite3.connect(f"file:{ws}?mode=ro", uri=True) as db:
        return {r[0] for r in db.execute("SELECT display_path FROM submissions")}


# -- a re-run over unchanged files ----------------------------------------------------------------


def test_unchanged_files_are_told_by_size_and_mtime_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    files = _round(reports, 3)
    hashed: list[Path] = []
    real = batch.sha256_of

    def counting(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(batch, "sha256_of", counting)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert ingest_folder(reports, ws, jobs=1).counts == {"new": 3}
        hashed.clear()
        assert ingest_folder(reports, ws, jobs=1).counts == {"unchanged": 3}
        assert hashed == []  # not one file opened
        os.utime(files[0], (1_700_000_000, 1_700_000_000))  # touched, same content: hashed, not read
        report = ingest_folder(reports, ws, jobs=1)
        assert report.counts == {"unchanged": 3} and hashed == [files[0]]
        assert report.read_seconds == 0


def test_a_rerun_prints_a_summary_line_and_the_table_only_when_asked(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLES / "so-xay-dung.xlsx", reports)
    (reports / "hong.pdf").write_bytes(b"%PDF-1.4 truncated")
    ws = str(tmp_path / "ws.sqlite")
    code, _, err = egov("ingest", str(reports), "-w", ws, "-j", "1")
    assert code == 0
    assert "hong.pdf" in err and "so-xay-dung.xlsx" not in err  # problems are always listed
    assert "Tổng: mới 1, LỖI 1 — 2 tệp trong" in err and "đọc song song ×" in err
    assert "--all" in err  # says how to see every file
    code, _, err = egov("ingest", str(reports), "-w", ws, "-j", "1")
    assert code == 0 and "hong.pdf" in err and "so-xay-dung.xlsx" not in err  # the failure is retried
    assert "không đổi 1" in err
    code, _, err = egov("ingest", str(reports), "-w", ws, "--all")
    assert code == 0 and "so-xay-dung.xlsx" in err and "không đổi" in err and "hong.pdf" in err
    (reports / "hong.pdf").unlink()
    code, _, err = egov("ingest", str(reports), "-w", ws)
    assert code == 0 and "hong.pdf" in err and "đã xoá khỏi thư mục" in err  # removed: listed
    assert "so-xay-dung.xlsx" not in err
    code, out, err = egov("ingest", str(reports), "-w", ws, "--json")  # every file, in the data
    assert code == 0 and [f["file"] for f in json.loads(out)["files"]] == ["so-xay-dung.xlsx"]


def test_a_rerun_takes_each_files_size_and_mtime_from_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 goal 2: a file left as it was costs the walk's lstat alone (no second stat, no
    path object): 12,000 of them are a fraction of a second."""
    reports = tmp_path / "reports"
    _round(reports, 3)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert ingest_folder(reports, ws, jobs=1).counts == {"new": 3}
        stats: list[Path] = []
        real = Path.stat

        def counting(self: Path, **kwargs: bool) -> os.stat_result:
            stats.append(self)
            return real(self, **kwargs)

        monkeypatch.setattr(Path, "stat", counting)
        assert ingest_folder(reports, ws, jobs=1).counts == {"unchanged": 3}
    assert [p for p in stats if p.suffix == ".xlsx"] == []
    assert [(relative, skip, info is not None) for relative, skip, info in scan(reports)] == [
        (f"so-{n:02d}.xlsx", None, True) for n in range(3)
    ]


# -- the reading processes ------------------------------------------------------------------------


def test_a_reading_process_reads_file_after_file_and_a_crash_takes_only_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 goal 6: a process per file cost ~4× the reading of a small report (fork, and the
    reader's imports and caches warmed again each time); a reading process now reads one file
    after another, and a file that kills it takes only itself: the next file gets a new process."""
    monkeypatch.setitem(ingest.EXTRACTORS, ".pid", "hostile")
    monkeypatch.setitem(ingest.EXTRACTORS, ".crash", "hostile")
    reports = tmp_path / "reports"
    reports.mkdir()
    names = ["a.pid", "b.pid", "c.pid", "d.crash", "e.pid", "f.pid"]
    for name in names:
        (reports / name).write_bytes(b"x")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1)
    assert len(report.files) == len(names)
    crash = next(f for f in report.files if f.file == "d.crash")
    assert crash.problems[0].code == "E-CRASHED"
    pid = {name: (tmp_path / f"{name}.pid").read_text() for name in names if name.endswith(".pid")}
    assert pid["a.pid"] == pid["b.pid"] == pid["c.pid"] != str(os.getpid())  # one process, not this one
    assert pid["e.pid"] == pid["f.pid"] != pid["a.pid"]  # after the crash: a new one


def test_the_main_process_loads_no_reader_library(tmp_path: Path) -> None:
    """Issue 15 goal 3: the reading processes import the readers' libraries (once each); the
    process that stores the results stays small (it imported calamine, lxml, pdfplumber… before
    forking a process per file)."""
    reports = tmp_path / "reports"
    _round(reports, 3)
    code = (
        "import sys; from egovcli.ingest import ingest_folder; from egovcli.workspace import Workspace\n"
        f"with Workspace({str(tmp_path / 'ws.sqlite')!r}) as ws:\n"
        f"    assert ingest_folder({str(reports)!r}, ws, jobs=1).counts == {{'new': 3}}\n"
        "print(sorted(m for m in ('python_calamine', 'lxml', 'pdfplumber', 'docx') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- streaming: bounded in flight, total known first ----------------------------------------------


def test_at_most_jobs_files_are_in_flight_and_the_total_is_known_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    _round(reports, 7)
    (reports / "ghi-chu.txt").write_text("không phải báo cáo", encoding="utf-8")
    in_flight, most = [0], [0]
    start, stop = workers._Reading.start, workers._Reading.stop

    def started(*args: object) -> workers._Reading:
        in_flight[0] += 1
        most[0] = max(most[0], in_flight[0])
        return start(*args)  # type: ignore[arg-type]

    def stopped(self: workers._Reading) -> None:
        in_flight[0] -= 1
        stop(self)

    monkeypatch.setattr(workers._Reading, "start", started)
    monkeypatch.setattr(workers._Reading, "stop", stopped)
    events: list[object] = []
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=2, on_total=events.append,
                               on_file=lambda f: events.append(f.file))
    assert most[0] == 2 and in_flight[0] == 0  # never more readers than jobs; none left behind
    assert events[0] == 8 and len(events) == 9  # the walk's count, before any file is reported
    assert report.counts == {"new": 7, "skipped": 1} and report.read_seconds > 0


# -- batched commits -----------------------------------------------------------------------------


def _new(path: str) -> NewSubmission:
    return NewSubmission(path=path, display_path=path.rsplit("/", 1)[-1], sha256="x", size=1, mtime=0.0,
                         agency="Sở Y tế", group="department", period="2025", problems=[], observations=[])


def test_a_batch_commits_once_keeps_whole_files_on_interrupt_and_drops_a_failed_one(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    with Workspace(path) as ws:
        with ws.batched() as group:
            ws.store_submission(_new("/r/a.xlsx"))
            ws.store_submission(_new("/r/b.xlsx"))
            assert _committed(path) == set()  # not yet: one commit for the batch
            group.commit()
            assert _committed(path) == {"a.xlsx", "b.xlsx"}
            ws.store_submission(_new("/r/c.xlsx"))
        assert _committed(path) == {"a.xlsx", "b.xlsx", "c.xlsx"}  # committed on leaving

        with pytest.raises(KeyboardInterrupt), ws.batched():
            ws.store_submission(_new("/r/d.xlsx"))
            with pytest.raises(ZeroDivisionError), ws.transaction() as db:  # one file's failure
                db.execute("DELETE FROM submissions")
                raise ZeroDivisionError
            ws.store_submission(_new("/r/e.xlsx"))
            raise KeyboardInterrupt
        assert _committed(path) == {"a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx", "e.xlsx"}


def test_files_stored_before_ctrl_c_are_committed(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _round(reports, 5)
    seen: list[str] = []

    def interrupt_at_third(result: batch.FileResult) -> None:
        seen.append(result.file)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with Workspace(tmp_path / "ws.sqlite") as ws, pytest.raises(KeyboardInterrupt):
        ingest_folder(reports, ws, jobs=2, on_file=interrupt_at_third)
    assert _committed(tmp_path / "ws.sqlite") == set(seen)
