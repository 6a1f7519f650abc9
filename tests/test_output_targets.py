"""Where an output may go (issue 11, items 3 and 5): `--out` / `--md` / `--html` follow a symbolic
link, write into a device or FIFO without replacing it, refuse a folder, the workspace and the input
reports, take `-` as stdout, pick the format from the extension; a write that fails (disk full)
is a clear error that leaves no temp file and no half-written output.

/dev/null and /dev/full are only ever written by the fixed code: before the fix, `-o /dev/null` as
root replaced the device node itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import egov
from openpyxl import load_workbook

from egovcli.rank import rank_scores
from egovcli.render.atomic import OutputError, atomic_path
from egovcli.render.workbook import write_ranking_workbook
from egovcli.score.model import AgencyScore, CriterionScore
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"


@pytest.fixture(scope="module")
def round_(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two sample reports ingested and scored."""
    tmp = tmp_path_factory.mktemp("targets")
    folder = tmp / "reports"
    folder.mkdir()
    for name in ("so-xay-dung.xlsx", "so-cong-thuong.xlsx"):
        shutil.copyfile(SAMPLES / name, folder / name)
    ws = tmp / "ws.sqlite"
    assert egov("ingest", str(folder), "-w", str(ws), "-j", "1")[0] == 0
    assert egov("score", "-r", "hanam-2022", "-w", str(ws), "-f", "csv")[0] == 0
    return {"ws": ws, "folder": folder, "tmp": tmp}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".egov-*"))


# -- links, devices, FIFOs, folders, stdout -------------------------------------------------------


def test_a_symlink_is_followed_and_stays_a_link(round_: dict[str, Any], tmp_path: Path) -> None:
    target, link = tmp_path / "real" / "ranking.xlsx", tmp_path / "ranking.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link.symlink_to(target)
    md_target, md_link = tmp_path / "real" / "summary.md", tmp_path / "summary.md"
    md_link.symlink_to(md_target)  # a dangling link: its target is created
    code, _, err = egov("rank", "-w", str(round_["ws"]), "-o", str(link), "--md", str(md_link))
    assert code == 0, err
    assert link.is_symlink() and md_link.is_symlink()
    assert load_workbook(target).worksheets[0]["B4"].value  # the workbook went to the link's target
    assert md_target.read_text(encoding="utf-8").startswith("# Kết quả xếp hạng")
    assert leftovers(tmp_path) == []


def test_a_fifo_is_written_into_not_replaced(round_: dict[str, Any], tmp_path: Path) -> None:
    fifo = tmp_path / "rows.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that the writer never waits
    try:
        code, _, err = egov("rank", "-w", str(round_["ws"]), "-o", str(fifo), "-f", "json")
        assert code == 0, err
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not a file renamed over it
        data = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(reader, 65536):
                data += chunk
    finally:
        os.close(reader)
    assert [r["rank"] for r in json.loads(data)] == [1, 2]
    assert leftovers(tmp_path) == []


def test_a_unix_socket_is_written_into(round_: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "rows.sock"
    received: list[bytes] = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)

        def serve() -> None:
            connection, _ = server.accept()
            with connection:
                while chunk := connection.recv(65536):
                    received.append(chunk)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        code, _, err = egov("rank", "-w", str(round_["ws"]), "-o", str(path), "-f", "csv")
        thread.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert b"".join(received).decode("utf-8").startswith("rank,agency,")


def test_dev_null_stays_a_character_device(round_: dict[str, Any]) -> None:
    before = os.stat("/dev/null")
    for args in (["indicators", "-o", "/dev/null"], ["rank", "-o", "/dev/null", "--md", "/dev/null"],
                 ["score", "-r", "hanam-2022", "-o", "/dev/null", "-f", "csv"]):
        code, _, err = egov(*args, "-w", str(round_["ws"]))
        assert code == 0, (args, err)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert not [p for p in Path("/dev").glob(".egov-*")]


def test_a_folder_is_refused(round_: dict[str, Any], tmp_path: Path) -> None:
    for args in (["indicators", "-o", str(tmp_path)], ["rank", "-o", str(tmp_path)],
                 ["rank", "--html", str(tmp_path)]):
        code, _, err = egov(*args, "-w", str(round_["ws"]))
        assert code == 2 and "thư mục" in err, (args, err)
    assert list(tmp_path.iterdir()) == []


def test_dash_is_stdout(round_: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = egov("indicators", "-w", str(round_["ws"]), "-o", "-", "-f", "json")
    assert code == 0 and json.loads(out)
    code, out, _ = egov("rank", "-w", str(round_["ws"]), "--md", "-")
    assert code == 0 and out.startswith("# Kết quả xếp hạng")  # the summary, not the rows as well
    code, _, err = egov("rank", "-w", str(round_["ws"]), "--md", "-", "--html", "-")
    assert code == 2 and "stdout" in err
    assert list(tmp_path.iterdir()) == []


# -- what must never be overwritten -------------------------------------------------------------


def test_the_workspace_and_the_reports_are_never_overwritten(round_: dict[str, Any], tmp_path: Path) -> None:
    ws = round_["ws"]
    report = round_["folder"] / "so-xay-dung.xlsx"
    link = tmp_path / "link.sqlite"
    link.symlink_to(ws)
    before = {p: digest(p) for p in (ws, report)}
    attempts = [
        ["rank", "--md", str(ws)],  # destroyed the workspace before the fix
        ["rank", "-o", f"{ws}-wal", "-f", "csv"],
        ["rank", "--html", str(link)],
        ["indicators", "-o", str(report), "-f", "csv"],
        ["score", "-r", "hanam-2022", "-o", str(ws), "-f", "csv"],
    ]
    for args in attempts:
        code, _, err = egov(*args, "-w", str(ws))
        assert code == 2 and "không ghi đè" in err, (args, err)
    assert {p: digest(p) for p in (ws, report)} == before
    with Workspace(ws, create=False) as w:
        assert w.latest_run() is not None


def test_the_inputs_of_a_command_are_never_overwritten(round_: dict[str, Any], tmp_path: Path) -> None:
    adjustments = tmp_path / "adjustments.csv"
    adjustments.write_text("agency,criterion,points,reason\nSở Xây dựng,I.1,+1,thẩm định\n", encoding="utf-8")
    before = digest(adjustments)
    code, _, err = egov("score", "-r", "hanam-2022", "-w", str(round_["ws"]),
                        "--adjustments", str(adjustments), "-o", str(adjustments))
    assert code == 2 and "không ghi đè" in err
    assert digest(adjustments) == before
    pdf = ROOT / "samples" / "hoabinh-2017" / "qd-2631-2017.pdf"
    copy = tmp_path / "qd.pdf"
    shutil.copyfile(pdf, copy)
    code, _, err = egov("verify", str(copy), "-r", "hoabinh-2017", "-f", "json", "-o", str(copy))
    assert code == 2 and "không ghi đè" in err and digest(copy) == digest(pdf)


# -- the format follows the extension -------------------------------------------------------------


def test_the_format_follows_the_extension(round_: dict[str, Any], tmp_path: Path) -> None:
    ws = str(round_["ws"])
    assert egov("indicators", "-w", ws, "-o", str(tmp_path / "i.json"))[0] == 0
    assert json.loads((tmp_path / "i.json").read_text(encoding="utf-8"))
    assert egov("indicators", "-w", ws, "-o", str(tmp_path / "i.csv"))[0] == 0
    assert (tmp_path / "i.csv").read_text(encoding="utf-8").startswith("agency,period,indicator,")
    assert egov("indicators", "-w", ws, "-o", str(tmp_path / "i.txt"))[0] == 0
    assert "Cơ quan" in (tmp_path / "i.txt").read_text(encoding="utf-8")  # the table
    assert egov("rank", "-w", ws, "-o", str(tmp_path / "r.json"))[0] == 0
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))[0]["rank"] == 1
    assert egov("rules", "show", "hanam-2022", "-o", str(tmp_path / "rules.csv"))[0] == 0
    assert (tmp_path / "rules.csv").read_text(encoding="utf-8").startswith("id,tt,section,")
    assert egov("indicators", "-w", ws, "-o", str(tmp_path / "x.dat"), "-f", "csv")[0] == 0  # --format says


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["indicators", "-o", "r.html"], ".csv, .json, .txt, .md"),  # wrote CSV before the fix
        (["indicators", "-o", "r.csv", "-f", "json"], "--format"),
        (["score", "-r", "hanam-2022", "-o", "r.json", "-f", "table"], "--format"),
        (["rank", "-o", "r.html"], "--html"),
        (["rank", "-o", "r.csv", "-f", "json"], "--format"),
        (["rank", "-o", "r.pdf"], ".xlsx, .csv, .json"),
        (["rank", "--md", "s.html"], "--md"),
        (["rank", "--html", "s.xlsx"], "--html"),
        (["rules", "list", "-o", "r.xlsx"], ".csv"),
    ],
)
def test_an_unknown_or_contradicting_extension_is_refused(
    round_: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    before = digest(round_["ws"])
    workspace = [] if args[0] == "rules" else ["-w", str(round_["ws"])]
    code, _, err = egov(*args, *workspace)
    assert code == 2 and message in err, err
    assert list(tmp_path.iterdir()) == [] and digest(round_["ws"]) == before  # nothing written, not scored


# -- a write that fails ---------------------------------------------------------------------------


def test_dev_full_is_a_clear_error(round_: dict[str, Any]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    code, _, err = egov("indicators", "-w", str(round_["ws"]), "-o", "/dev/full", "-f", "json")
    assert code == 2 and "hết chỗ trên đĩa" in err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def _limited(limit: int) -> None:
    """In the child: files may not grow past `limit` bytes, and that is an error, not a signal."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_a_full_disk_leaves_the_old_output_and_no_temp_file(round_: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    out.write_text("[]\n", encoding="utf-8")  # a previous, whole output
    xlsx = tmp_path / "ranking.xlsx"
    for args in (["indicators", "-o", str(out)], ["rank", "-o", str(xlsx)]):
        done = subprocess.run(
            [sys.executable, "-m", "egovcli", *args, "-w", str(round_["ws"])],
            capture_output=True, text=True, timeout=120,
            preexec_fn=lambda: _limited(32768),  # room for SQLite's -shm, not for the outputs
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "hết chỗ trên đĩa" in done.stderr and "Traceback" not in done.stderr
    assert out.read_text(encoding="utf-8") == "[]\n" and not xlsx.exists()
    assert leftovers(tmp_path) == []


def _scores() -> list[AgencyScore]:
    row = CriterionScore("I.1", "I", "x", 1.0, 10, "data")
    return [AgencyScore("Sở A", "department", "2022", "r", [row])]


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError(28, "No space left on device"), ValueError])
def test_an_interrupted_workbook_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException | type[BaseException]
) -> None:
    target = tmp_path / "ranking.xlsx"
    target.write_bytes(b"the previous workbook")
    write_bytes = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        write_bytes(self, data[:100])  # half a workbook reaches the temp file, then Ctrl-C / disk full
        raise error

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    scores = _scores()
    expected: Any = OutputError if isinstance(error, OSError) else error
    with pytest.raises(expected):
        write_ranking_workbook(target, rank_scores(scores), scores, [("I", "Hạ tầng", 10)])
    monkeypatch.undo()
    assert target.read_bytes() == b"the previous workbook"
    assert leftovers(tmp_path) == []


def test_atomic_path_refuses_before_creating_anything(tmp_path: Path) -> None:
    protected = {tmp_path / "ws.sqlite": "workspace"}
    (tmp_path / "ws.sqlite").write_bytes(b"x")
    with pytest.raises(OutputError, match="workspace"), atomic_path(tmp_path / "ws.sqlite", protected):
        pass
    with pytest.raises(OutputError, match="thư mục"), atomic_path(tmp_path, protected):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws.sqlite"]


def test_a_protected_file_is_recognised_under_any_spelling(tmp_path: Path) -> None:
    """Issue 15: a target is compared with each protected file by one stat (a national workspace
    protects 12,000 reports); the same file under another name is still refused — a hard link, a
    link to its folder, `..` — and so is a protected file not there (the workspace's -wal, a report
    moved away, a link to nothing), while a new file beside them is written."""
    from egovcli.render.atomic import check_target

    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "ws.sqlite").write_bytes(b"x")
    os.link(folder / "ws.sqlite", tmp_path / "hard.sqlite")
    (tmp_path / "alias").symlink_to(folder)
    (tmp_path / "moved.xlsx").symlink_to(tmp_path / "elsewhere.xlsx")  # a link to nothing (yet)
    protected = {folder / "ws.sqlite": "workspace", folder / "ws.sqlite-wal": "tệp phụ của workspace",
                 tmp_path / "moved.xlsx": "báo cáo đã chuyển", tmp_path / "gone" / "old.xlsx": "báo cáo cũ",
                 **{tmp_path / f"r{i}.xlsx": "một báo cáo" for i in range(3)}}
    for i in range(3):
        (tmp_path / f"r{i}.xlsx").write_bytes(b"r")
    alias = tmp_path / "alias"
    refused = [(tmp_path / "hard.sqlite", "workspace"), (alias / "ws.sqlite", "workspace"),
               (alias / ".." / "ws" / "ws.sqlite-wal", "tệp phụ"), (alias / "ws.sqlite-wal", "tệp phụ"),
               (tmp_path / "r1.xlsx", "báo cáo"), (tmp_path / "elsewhere.xlsx", "đã chuyển"),
               (alias / ".." / "gone" / "old.xlsx", "báo cáo cũ")]
    for target, role in refused:
        with pytest.raises(OutputError, match=role):
            check_target(target, protected)
    check_target(tmp_path / "new.csv", protected)
    check_target(alias / "new.csv", protected)
