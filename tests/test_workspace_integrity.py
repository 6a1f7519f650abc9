"""Workspace integrity under real processes: SIGKILL mid-ingest, two egov processes at once, a lock
that outlasts the busy timeout, idempotent re-ingest.

Every egov here is a real subprocess (`python -m egovcli`) and every kill a real SIGKILL. Nothing
sleeps for a guessed duration: the tests poll the workspace (with a generous deadline) and
synchronise on what it holds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from egovcli.cli import app
from egovcli.workspace import Workspace, WorkspaceError
from samples.generate import SEED_FACTS, info_for, seed_004_spec, write_xlsx

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
EGOV = [sys.executable, "-m", "egovcli"]
DEADLINE = 120.0  # seconds: only ever reached when something is broken
LOCKED = "đang bị một tiến trình khác khoá"

# Stops itself with a real SIGKILL while the Nth file's rows are being inserted: inside the open
# transaction, after the submission row and some observations are written but before COMMIT.
KILL_INSIDE_TRANSACTION = """
import dataclasses, os, signal, sys
from egovcli import workspace
from egovcli.cli import main

KILL_AT = int(os.environ["KILL_AT"])
original = workspace.Workspace.store_submission
calls = 0

def store(self, new):
    global calls
    calls += 1
    if calls == KILL_AT:
        rows = list(new.observations)
        def dying():
            for i, row in enumerate(rows):
                if i == len(rows) // 2:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield row
        new = dataclasses.replace(new, observations=dying())
    return original(self, new)

workspace.Workspace.store_submission = store
sys.argv = ["egov", *sys.argv[1:]]
main()
"""


# -- fixtures: report folders built at test time ------------------------------------------------


def _department(path: Path, name: str, mtime: float) -> None:
    """The seed-004 annex as another department writes it (its own agency name)."""
    seed = seed_004_spec()
    agency = f"{name} tỉnh Hà Nam"
    spec = dataclasses.replace(
        seed, agency=agency, header=name.upper(), info=info_for(agency, SEED_FACTS, seed.rows)
    )
    write_xlsx(spec, path)
    os.utime(path, (mtime, mtime))


def _copy(source: Path, path: Path, mtime: float) -> None:
    shutil.copyfile(source, path)
    os.utime(path, (mtime, mtime))


DEPARTMENTS = [
    "Sở Công nghệ", "Sở Du lịch", "Sở Giao thông", "Sở Kế hoạch", "Sở Khoa học", "Sở Lao động",
    "Sở Ngoại vụ", "Sở Tài nguyên", "Sở Thông tin", "Sở Văn hoá", "Sở Thể thao", "Sở Dân tộc",
    "Ban Quản lý", "Ban Dân tộc", "Thanh tra tỉnh", "Văn phòng UBND", "Đài Phát thanh", "Sở Gia đình",
    "Sở Môi trường", "Sở Hải quan", "Sở Ngân hàng", "Sở Thuế", "Sở Kho bạc", "Sở Bảo hiểm",
    "Sở Thống kê", "Sở Điện lực", "Sở Cấp nước", "Sở Bưu điện", "Sở Hàng hải", "Sở Hoà giải",
    "Sở Quy hoạch",
]  # fmt: skip


def build_round(folder: Path) -> list[str]:
    """40 reports, read in name order: mostly quick .xlsx with distinct agencies; the three sample
    PDFs (~1.5 s each) at 05, 17 and 29 so an ingest is still busy when the test kills it; copies
    of one sample under three names (same agency, period: two end up superseded)."""
    folder.mkdir(parents=True)
    base = 1_660_000_000.0
    slow = {5: "so-noi-vu.pdf", 17: "so-y-te.pdf", 29: "so-nong-nghiep-va-phat-trien-nong-thon.pdf"}
    copies = {11: "so-tai-chinh.docx", 23: "so-tai-chinh.docx", 35: "so-tai-chinh.docx",
              8: "so-tu-phap.docx", 14: "so-xay-dung.xlsx", 38: "so-cong-thuong.xlsx"}  # fmt: skip
    names, departments = [], iter(DEPARTMENTS)
    for i in range(40):
        if i in slow or i in copies:
            source = slow.get(i) or copies[i]
            name = f"{i:02d}-{source}"
            _copy(SAMPLES / source, folder / name, base + i)
        else:
            name = f"{i:02d}-bao-cao.xlsx"
            _department(folder / name, next(departments), base + i)
        names.append(name)
    return names


def egov(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EGOV, *args], capture_output=True, text=True, timeout=DEADLINE, env=_env(env), cwd=ROOT
    )


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without egov's settings, but in egov's language (the tests read its
    Vietnamese whatever the machine's locale: EGOV_LANG, set by conftest)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_") or k == "EGOV_LANG"}
    return env | (extra or {})


def _has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (Linux /proc)."""
    fds = Path(f"/proc/{pid}/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc to see the files a process has open")
    with contextlib.suppress(OSError):  # an fd may close while listing
        return any(os.path.realpath(fd) == str(path.resolve()) for fd in fds.iterdir())
    return False


# -- reading a workspace behind egov's back -------------------------------------------------------


def stored_count(path: Path) -> int:
    """Submissions committed so far (0 while the workspace does not exist yet)."""
    if not path.exists():
        return 0
    db = sqlite3.connect(path, timeout=DEADLINE)
    try:
        return int(db.execute("SELECT count(*) FROM submissions").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        db.close()


def snapshot(path: Path, *, ids: bool = False) -> dict[str, object]:
    """Everything the workspace holds, keyed by file path; row ids and timestamps only with `ids`."""
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        submissions = {}
        for s in db.execute("SELECT * FROM submissions ORDER BY path"):
            sub = dict(s)
            sid = sub["id"]
            if not ids:
                del sub["id"], sub["ingested_at"]
            rows = db.execute("SELECT * FROM observations WHERE submission_id = ? ORDER BY seq", (sid,))
            sub["observations"] = [
                {k: v for k, v in dict(r).items() if ids or k not in ("id", "submission_id")} for r in rows
            ]
            submissions[sub["path"]] = sub
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        return {"submissions": submissions, "meta": meta}
    finally:
        db.close()


def assert_consistent(path: Path) -> None:
    """integrity_check ok, foreign keys hold, and every file's rows are whole (seq 0..n-1)."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = db.execute(
            "SELECT count(*) FROM observations o LEFT JOIN submissions s ON s.id = o.submission_id"
            " WHERE s.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        for sid, status, count, first, last in db.execute(
            "SELECT s.id, s.status, count(o.id), min(o.seq), max(o.seq) FROM submissions s"
            " LEFT JOIN observations o ON o.submission_id = s.id GROUP BY s.id"
        ):
            if status != "failed":
                assert count > 0, f"submission {sid} has no observations"
            if count:
                assert (first, last) == (0, count - 1), f"submission {sid} has a gap in its rows"
    finally:
        db.close()


def assert_whole_files(path: Path, reference: dict[str, object]) -> None:
    """Each file stored so far holds exactly the rows an uninterrupted run stores for it."""
    got = snapshot(path)["submissions"]
    want = reference["submissions"]
    assert isinstance(got, dict) and isinstance(want, dict)
    for file, sub in got.items():
        assert sub["sha256"] == want[file]["sha256"], file
        assert sub["observations"] == want[file]["observations"], file


def poll(until: object, process: subprocess.Popen[str] | None = None) -> None:
    """Wait (polling every 10 ms, at most DEADLINE) until `until()` is true."""
    deadline = time.monotonic() + DEADLINE
    while not until():  # type: ignore[operator]
        if process is not None and process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"egov ended (exit {process.returncode}) before the test could act:\n{err}")
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the workspace")
        time.sleep(0.01)


@pytest.fixture(scope="module")
def round40(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The 40-report folder and the workspace an uninterrupted run (2 workers) makes of it."""
    tmp = tmp_path_factory.mktemp("round40")
    folder = tmp / "reports"
    names = build_round(folder)
    ws = tmp / "reference.sqlite"
    done = egov("ingest", str(folder), "--workspace", str(ws), "--jobs", "2", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["counts"] == {"new": 38, "superseded": 2}
    return {"folder": folder, "names": names, "reference": snapshot(ws)}


# -- SIGKILL ------------------------------------------------------------------------------------


def test_sigkill_mid_ingest_leaves_a_consistent_workspace_and_a_rerun_finishes(
    round40: dict[str, object], tmp_path: Path
) -> None:
    folder, reference = round40["folder"], round40["reference"]
    ws = tmp_path / "ws.sqlite"
    proc = subprocess.Popen(
        [*EGOV, "ingest", str(folder), "--workspace", str(ws), "--jobs", "1", "--json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
    )  # fmt: skip
    try:
        poll(lambda: stored_count(ws) >= 5, proc)  # file 05 is a PDF: egov is busy reading it
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    stored = stored_count(ws)
    assert 5 <= stored < 40
    assert_consistent(ws)
    assert_whole_files(ws, reference)  # type: ignore[arg-type]

    rerun = egov("ingest", str(folder), "--workspace", str(ws), "--jobs", "1", "--json")
    assert rerun.returncode == 0, rerun.stderr
    counts = json.loads(rerun.stdout)["counts"]
    assert counts.get("unchanged", 0) + counts.get("superseded", 0) + counts["new"] == 40
    assert counts.get("new", 0) <= 40 - stored  # only what was missing is read again
    assert_consistent(ws)
    assert snapshot(ws) == reference


def test_sigkill_inside_a_transaction_commits_nothing_of_that_file(
    round40: dict[str, object], tmp_path: Path
) -> None:
    folder, reference = round40["folder"], round40["reference"]
    ws = tmp_path / "ws.sqlite"
    killed = subprocess.run(
        [sys.executable, "-c", KILL_INSIDE_TRANSACTION, "ingest", str(folder), "-w", str(ws), "-j", "1"],
        capture_output=True, text=True, env=_env({"KILL_AT": "4"}), cwd=ROOT, timeout=DEADLINE,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (ws.parent / (ws.name + "-wal")).exists()  # killed with its write-ahead log open
    assert stored_count(ws) == 3  # the fourth file's half-inserted rows are gone
    assert_consistent(ws)
    assert_whole_files(ws, reference)  # type: ignore[arg-type]

    rerun = egov("ingest", str(folder), "--workspace", str(ws), "--jobs", "2", "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert_consistent(ws)
    assert snapshot(ws) == reference


def test_sigkill_while_replacing_a_changed_file_keeps_its_previous_rows(tmp_path: Path) -> None:
    folder, ws = tmp_path / "reports", tmp_path / "ws.sqlite"
    folder.mkdir()
    _department(folder / "a.xlsx", "Sở Du lịch", 1_660_000_000)
    _department(folder / "b.xlsx", "Sở Ngoại vụ", 1_660_000_001)
    assert egov("ingest", str(folder), "-w", str(ws)).returncode == 0
    before = snapshot(ws, ids=True)
    _department(folder / "b.xlsx", "Sở Ngoại giao", 1_660_000_002)  # changed content

    killed = subprocess.run(
        [sys.executable, "-c", KILL_INSIDE_TRANSACTION, "ingest", str(folder), "-w", str(ws), "-j", "1"],
        capture_output=True, text=True, env=_env({"KILL_AT": "1"}), cwd=ROOT, timeout=DEADLINE,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert_consistent(ws)
    assert snapshot(ws, ids=True) == before  # b.xlsx still has its old hash and rows, same ids

    rerun = egov("ingest", str(folder), "-w", str(ws), "--json")
    assert rerun.returncode == 0, rerun.stderr
    by_file = {f["file"]: f["status"] for f in json.loads(rerun.stdout)["files"]}
    assert by_file == {"a.xlsx": "unchanged", "b.xlsx": "updated"}
    assert_consistent(ws)


# -- two processes at once ------------------------------------------------------------------------


def _small_round(folder: Path, names: list[str], first_mtime: float) -> None:
    folder.mkdir(parents=True)
    for i, name in enumerate(names):
        _department(folder / f"{i:02d}.xlsx", name, first_mtime + i)


def _open_when_told(path: Path, start: Any, results: Any) -> None:
    """(In a forked process) open `path` once `start` lets every opener go; "" or why it failed."""
    start.wait()
    try:
        Workspace(path, busy_timeout=5).close()
        results.put("")
    except WorkspaceError as exc:
        results.put(str(exc))


def test_two_commands_opening_one_new_workspace_at_the_same_moment_both_open_it(tmp_path: Path) -> None:
    """Switching a new workspace to WAL takes an exclusive lock SQLite does not wait for: the second
    of two commands opening it at the same moment was told at once that it was locked (and that it
    had waited the busy timeout). Raced 60 times, nearly every race lost one before."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    failures = []
    for attempt in range(60):
        start, results = context.Barrier(2), context.Queue()
        path = tmp_path / f"{attempt}.sqlite"
        openers = [context.Process(target=_open_when_told, args=(path, start, results)) for _ in range(2)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(timeout=DEADLINE)
        failures += [message for message in (results.get(timeout=DEADLINE) for _ in openers) if message]
    assert failures == []


def test_two_ingests_of_different_folders_at_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _small_round(a, DEPARTMENTS[:12], 1_660_000_000)
    _small_round(b, DEPARTMENTS[12:24], 1_660_000_100)
    ws = tmp_path / "ws.sqlite"  # does not exist yet: both processes race to create it too
    procs = [
        subprocess.Popen(
            [*EGOV, "ingest", str(folder), "-w", str(ws), "-j", "1", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env=_env({"EGOV_BUSY_TIMEOUT": "110"}),  # both finish, however slow a loaded machine is
        )  # fmt: skip
        for folder in (a, b)
    ]
    results = [p.communicate(timeout=DEADLINE) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        assert json.loads(out)["counts"] == {"new": 12}
    assert_consistent(ws)

    sequential = tmp_path / "sequential.sqlite"
    for folder in (a, b):
        assert egov("ingest", str(folder), "-w", str(sequential), "-j", "1").returncode == 0
    assert snapshot(ws) == snapshot(sequential)


def test_ingest_score_and_rank_at_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _small_round(a, DEPARTMENTS[:6], 1_660_000_000)
    _small_round(b, DEPARTMENTS[6:30], 1_660_000_100)
    ws = tmp_path / "ws.sqlite"
    assert egov("ingest", str(a), "-w", str(ws)).returncode == 0
    ingest = subprocess.Popen(
        [*EGOV, "ingest", str(b), "-w", str(ws), "-j", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
    )  # fmt: skip
    poll(lambda: stored_count(ws) > 6, ingest)  # the second ingest is writing now
    for _ in range(2):
        score = egov("score", "--rules", "hanam-2022", "-w", str(ws), "-f", "json")
        assert score.returncode == 0, score.stderr
        assert "Traceback" not in score.stderr
        rank = egov("rank", "-w", str(ws), "-f", "json")
        assert rank.returncode == 0, rank.stderr
        assert len(json.loads(rank.stdout)) >= 6
    _, err = ingest.communicate(timeout=DEADLINE)
    assert ingest.returncode == 0, err
    assert stored_count(ws) == 30
    assert_consistent(ws)


# -- a lock that outlasts the busy timeout --------------------------------------------------------


@pytest.fixture()
def scored_ws(tmp_path: Path) -> Path:
    folder, ws = tmp_path / "reports", tmp_path / "ws.sqlite"
    _small_round(folder, DEPARTMENTS[:2], 1_660_000_000)
    assert egov("ingest", str(folder), "-w", str(ws)).returncode == 0
    assert egov("score", "--rules", "hanam-2022", "-w", str(ws), "-f", "json").returncode == 0
    return ws


@pytest.fixture()
def write_lock(scored_ws: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the workspace's write lock (as a long writer would)."""
    holder = sqlite3.connect(scored_ws, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize(
    "command", [["ingest", "{folder}"], ["score", "--rules", "hanam-2022"]], ids=["ingest", "score"]
)
def test_a_lock_that_stays_is_a_clear_message_and_exit_2(
    scored_ws: Path, write_lock: sqlite3.Connection, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [a.format(folder=scored_ws.parent / "reports") for a in command]
    done = egov(*args, "-w", str(scored_ws), env={"EGOV_BUSY_TIMEOUT": "1.5"})
    assert done.returncode == 2, done.stderr
    assert LOCKED in done.stderr and "EGOV_BUSY_TIMEOUT" in done.stderr and "1,5 giây" in done.stderr
    assert "Traceback" not in done.stderr
    # it waited for the lock first: the wait is SQLite's busy timeout, which the variable sets
    # (a short lock is waited for: test_a_short_lock_is_waited_for)
    monkeypatch.setenv("EGOV_BUSY_TIMEOUT", "1.5")
    with Workspace(scored_ws, readonly=True) as ws:
        assert ws.db.execute("PRAGMA busy_timeout").fetchone()[0] == 1500


@pytest.mark.parametrize(
    "command", [["rank", "-f", "json"], ["indicators", "-f", "json"]], ids=["rank", "indicators"]
)
def test_reading_commands_do_not_wait_for_a_writer(
    scored_ws: Path, write_lock: sqlite3.Connection, command: list[str]
) -> None:
    write_lock.execute("INSERT INTO meta(key, value) VALUES ('test', 'uncommitted')")
    done = egov(*command, "-w", str(scored_ws), env={"EGOV_BUSY_TIMEOUT": "0.5"})
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["agency"] for r in rows} == {f"{name} tỉnh Hà Nam" for name in DEPARTMENTS[:2]}
    assert write_lock.in_transaction  # the writer still holds its lock, its write unseen


def test_a_short_lock_is_waited_for(scored_ws: Path) -> None:
    holder = sqlite3.connect(scored_ws, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO meta(key, value) VALUES ('test', 'held')")
    score = subprocess.Popen(
        [*EGOV, "score", "--rules", "hanam-2022", "-w", str(scored_ws), "-f", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
    )  # fmt: skip
    poll(lambda: _has_open(score.pid, scored_ws), score)  # it has opened the workspace: now it must wait
    time.sleep(0.3)
    assert score.poll() is None  # still waiting: it cannot finish without the write lock held here
    holder.execute("COMMIT")
    holder.close()
    out, err = score.communicate(timeout=DEADLINE)
    assert score.returncode == 0, err
    assert json.loads(out)


def test_a_lock_taken_after_opening_is_a_clear_message_and_exit_2(
    scored_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOV_BUSY_TIMEOUT", "0.2")
    holders: list[sqlite3.Connection] = []
    store_scores = Workspace.store_scores

    def store_after_another_writer(self: Workspace, **kw: object) -> int:
        holder = sqlite3.connect(scored_ws, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process starts writing right now
        holders.append(holder)
        return store_scores(self, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Workspace, "store_scores", store_after_another_writer)
    result = CliRunner().invoke(app, ["score", "--rules", "hanam-2022", "-w", str(scored_ws)])
    for holder in holders:
        holder.close()
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2
    assert LOCKED in result.stderr


def test_library_lock_error_names_the_workspace_and_the_way_out(scored_ws: Path) -> None:
    holder = sqlite3.connect(scored_ws, isolation_level=None)
    try:
        with Workspace(scored_ws, busy_timeout=0.1) as ws:
            holder.execute("BEGIN IMMEDIATE")
            with pytest.raises(WorkspaceError, match=LOCKED) as caught:
                ws.set_meta("x", "1")
            assert str(scored_ws) in str(caught.value)
            assert not ws.db.in_transaction
            holder.execute("ROLLBACK")
            ws.set_meta("x", "1")  # usable again once the other writer is done
            assert ws.meta("x") == "1"
    finally:
        holder.close()


# -- idempotence ----------------------------------------------------------------------------------


def test_reingesting_unchanged_files_touches_nothing(tmp_path: Path) -> None:
    folder, ws = tmp_path / "reports", tmp_path / "ws.sqlite"
    folder.mkdir()
    for name in ("so-tai-chinh.docx", "so-xay-dung.xlsx", "so-cong-thuong.xlsx", "expected.json"):
        _copy(SAMPLES / name, folder / name, 1_660_000_000)
    first = egov("ingest", str(folder), "-w", str(ws), "--json")
    assert first.returncode == 0, first.stderr
    before = snapshot(ws, ids=True)

    watcher = sqlite3.connect(ws)  # PRAGMA data_version moves when another connection commits
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    os.utime(folder / "so-xay-dung.xlsx", (1_700_000_000, 1_700_000_000))  # touched, same content
    for _ in range(2):
        again = egov("ingest", str(folder), "-w", str(ws), "--json")
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["counts"] == {"unchanged": 3, "skipped": 1}
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version  # not one commit
    watcher.close()
    assert snapshot(ws, ids=True) == before  # same ids, same ingested_at, same rows
