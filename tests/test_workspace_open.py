"""Which file is the workspace (issue 11, items 11 and 5): a mistyped `-w` no longer creates an
empty workspace — only `egov ingest` creates one, and says so; a file that is not an egov workspace
is refused and left untouched; a full disk while writing the workspace is a clear error and leaves
the last committed state.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import egov

from egovcli.workspace import Workspace, WorkspaceError
from egovcli.workspace.runs import StoredAgency

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
READ_COMMANDS = [
    ["indicators"],
    ["indicators", "--unmapped", "-f", "json"],
    ["score", "-r", "hanam-2022"],
    ["rank"],
    ["rank", "-o", "r.xlsx"],
]


def _state(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.parametrize("args", READ_COMMANDS)
def test_a_mistyped_workspace_is_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = egov(*args, "-w", "typo.sqlite")
    assert code == 2 and out == ""
    assert "không tìm thấy workspace 'typo.sqlite' — hãy chạy egov ingest trước" in err
    assert list(tmp_path.iterdir()) == []  # no file, no -wal / -shm, no output


def test_the_default_and_environment_workspaces_are_not_created_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EGOV_WORKSPACE", raising=False)
    code, _, err = egov("rank")
    assert code == 2 and "'egov.sqlite'" in err
    monkeypatch.setenv("EGOV_WORKSPACE", str(tmp_path / "sub" / "env.sqlite"))
    code, _, err = egov("indicators")
    assert code == 2 and "env.sqlite" in err
    assert list(tmp_path.iterdir()) == []  # not even the folder


def test_only_ingest_creates_a_workspace_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copyfile(SAMPLES / "so-xay-dung.xlsx", folder / "so-xay-dung.xlsx")
    ws = tmp_path / "new" / "ws.sqlite"
    code, _, err = egov("ingest", str(folder), "-w", str(ws))
    assert code == 0 and f"Đã tạo workspace mới: {ws}" in err
    code, _, err = egov("ingest", str(folder), "-w", str(ws))
    assert code == 0 and "Đã tạo workspace mới" not in err
    assert egov("score", "-r", "hanam-2022", "-w", str(ws), "-f", "json")[0] == 0


def _foreign_sqlite(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO customers(name) VALUES ('x')")
    db.commit()
    db.close()
    return path


@pytest.mark.parametrize("kind", ["report", "empty", "text", "foreign sqlite"])
def test_a_file_that_is_not_a_workspace_is_refused_and_untouched(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "target"
    if kind == "report":
        shutil.copyfile(SAMPLES / "so-xay-dung.xlsx", path)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("egov.sqlite\n", encoding="utf-8")
    else:
        _foreign_sqlite(path)
    before = _state(path)
    commands = [*READ_COMMANDS]
    if kind != "empty":  # an empty file is what SQLite starts a new database from: ingest may use it
        commands.append(["ingest", str(SAMPLES)])
    for args in commands:
        code, _, err = egov(*args, "-w", str(path))
        assert code == 2 and "không phải workspace egov" in err and "tệp được giữ nguyên" in err, (args, err)
    assert _state(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]  # no -wal / -shm / journal left


def test_the_library_refuses_the_same(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="không tìm thấy workspace"):
        Workspace(tmp_path / "missing.sqlite", create=False)
    with pytest.raises(WorkspaceError, match="không phải workspace egov"):
        Workspace(_foreign_sqlite(tmp_path / "other.sqlite"))
    with Workspace(tmp_path / "new.sqlite") as ws:  # a library user creates one as before
        assert ws.created
    with Workspace(tmp_path / "new.sqlite", create=False) as ws:
        assert not ws.created


# -- disk full --------------------------------------------------------------------------------------


@pytest.fixture
def scored(tmp_path: Path) -> dict[str, Any]:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("so-xay-dung.xlsx", "so-cong-thuong.xlsx"):
        shutil.copyfile(SAMPLES / name, folder / name)
    ws = tmp_path / "ws.sqlite"
    assert egov("ingest", str(folder), "-w", str(ws), "-j", "1")[0] == 0
    code, out, _ = egov("score", "-r", "hanam-2022", "-w", str(ws), "-f", "json")
    assert code == 0
    return {"ws": ws, "scores": json.loads(out)}


def _snapshot(ws: Path) -> dict[str, Any]:
    with Workspace(ws, create=False) as w:
        assert w.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        run = w.latest_run()
        return {"runs": w.db.execute("SELECT count(*) FROM score_runs").fetchone()[0],
                "latest": run["id"], "rows": len(w.run_rows(run["id"])),
                "observations": len(w.observations())}


def test_a_full_disk_while_storing_scores_keeps_the_last_committed_state(scored: dict[str, Any]) -> None:
    before = _snapshot(scored["ws"])
    with Workspace(scored["ws"], create=False) as ws:
        pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
        ws.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # room for almost nothing more
        noise = [{"criterion": f"I.{i}", "explanation": os.urandom(1000).hex()} for i in range(200)]
        rows = [StoredAgency(0, "Sở A", "department", "2022", noise)]  # stored compressed: no repetition
        with pytest.raises(WorkspaceError, match="hết chỗ trên đĩa") as err:
            ws.store_scores(rules="r", rules_title="R", rules_text="x", agencies=rows)
        assert "lần ghi trọn vẹn cuối cùng" in str(err.value)
    assert _snapshot(scored["ws"]) == before


def _limited(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_egov_score_on_a_full_disk_is_a_clear_error(scored: dict[str, Any]) -> None:
    ws = scored["ws"]
    before = _snapshot(ws)
    done = subprocess.run(
        [sys.executable, "-m", "egovcli", "score", "-r", "hanam-2022", "-w", str(ws), "-f", "csv"],
        capture_output=True, text=True, timeout=120, cwd=ws.parent,
        preexec_fn=lambda: _limited(65536),  # the -shm fits, a new scoring run does not
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "hết chỗ trên đĩa" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""  # no scores printed as if they had been stored
    assert _snapshot(ws) == before
    assert not [p for p in os.listdir(ws.parent) if p.startswith(".egov-")]
