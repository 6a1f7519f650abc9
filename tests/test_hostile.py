"""Hostile and broken input (tests/hostile.py) never crashes, hangs or exhausts the batch: each
bad file becomes a problem with a category, the good files beside them are read correctly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import hostile
import pytest
from typer.testing import CliRunner

from benchmarks.treemem import TreeSampler
from egovcli import ingest
from egovcli.cli import app
from egovcli.ingest import IngestReport, Limits, extract_file, ingest_folder
from egovcli.ingest.readers import legacy, safety, zipguard
from egovcli.problems import CATALOGUE, CATEGORIES
from egovcli.workspace import Workspace

# small limits, so that small generated files can exceed them; a hang costs `timeout` seconds; the
# default memory budget (`ngon-bo-nho.hog` asks for more at once)
LIMITS = Limits(
    max_file_mb=2, max_unzipped_mb=4, max_rows=2000, max_cells=100_000, max_pdf_pages=10,
    max_page_objects=2000, timeout=10,
)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestReport, dict[str, hostile.Expected], Path]:
    """One ingest of every hostile and good file, with LibreOffice and the test extractors set up."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legacy, "soffice", lambda: None)
        patch.setitem(ingest.EXTRACTORS, ".hang", "hostile")
        patch.setitem(ingest.EXTRACTORS, ".hog", "hostile")
        patch.setitem(ingest.EXTRACTORS, ".crash", "hostile")
        root = tmp_path_factory.mktemp("hostile")
        expected = hostile.build(root / "reports")
        workspace = root / "ws.sqlite"
        with Workspace(workspace) as ws, TreeSampler(os.getpid()) as memory:
            report = ingest_folder(root / "reports", ws, jobs=2, limits=LIMITS)
    PEAK["pss"] = memory.peak_pss
    return report, expected, workspace


PEAK: dict[str, int] = {}  # of the batch: the test process and its workers together


def test_there_are_at_least_30_hostile_files_of_every_category(batch: tuple) -> None:
    _report, expected, _ws = batch
    hostile_files = [name for name, (status, *_rest) in expected.items() if status != "new"]
    assert len(hostile_files) >= 30
    assert {category for *_, category, _agency in expected.values()} >= set(CATEGORIES)


def test_every_file_is_reported_once(batch: tuple) -> None:
    report, expected, _ws = batch
    assert sorted(f.file for f in report.files) == sorted(expected)


def test_each_file_has_its_status_problem_and_category(batch: tuple) -> None:
    """Status, first problem and its category of every file, compared at once (a diff names each)."""
    report, expected, _ws = batch
    got = {}
    for result in report.files:
        first = result.problems[0] if result.problems else None
        got[result.file] = (result.status, first.code if first else None, first.category if first else "")
    assert got == {name: (status, code, category) for name, (status, code, category, _) in expected.items()}


def test_good_files_are_read_correctly_beside_the_bad_ones(batch: tuple) -> None:
    report, expected, workspace = batch
    readable = {name: agency for name, (status, _, _, agency) in expected.items() if status == "new"}
    assert len(readable) >= 10
    assert {f.file: f.agency for f in report.files if f.status == "new"} == readable
    with Workspace(workspace) as ws:
        rows = ws.observations(kind="data")
    values: dict[str, dict[str, float | None]] = {}
    for row in rows:
        values.setdefault(row.source_file, {})[row.obs.indicator] = row.obs.value
        assert row.period == "2022"
    for name in readable:
        assert values[name].get("staff_total") == hostile.STAFF, name
        assert values[name].get("computers_total") == hostile.COMPUTERS, name


def test_display_names_are_nfc(batch: tuple) -> None:
    report, _expected, _ws = batch
    assert all(f.file == unicodedata.normalize("NFC", f.file) for f in report.files)
    assert "Sở Tư pháp 2022.xlsx" in {f.file for f in report.files}  # written to disk in NFD


def test_messages_are_in_the_catalogue_in_both_languages() -> None:
    for code, (severity, category, vietnamese, english) in CATALOGUE.items():
        assert severity in ("info", "warning", "error"), code
        assert category in ("", *CATEGORIES), code
        assert vietnamese and english, code


def test_wrong_extension_warning_names_both_types(batch: tuple) -> None:
    report, _expected, _ws = batch
    (result,) = [f for f in report.files if f.file == "pdf-ten-docx.docx"]
    assert ".docx" in result.problems[0].message and "PDF" in result.problems[0].message


def test_the_hung_reader_was_killed(batch: tuple) -> None:
    """The worker process stuck in `hostile.extract` (it wrote its pid) no longer exists."""
    import os
    import time

    report, _expected, workspace = batch
    assert [f.status for f in report.files if f.file == "treo.hang"] == ["failed"]
    pid = int((workspace.parent / "treo.hang.pid").read_text())
    deadline = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < deadline:  # being reaped
        time.sleep(0.05)
    assert pid != os.getpid() and not _alive(pid)


def _alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie."""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rpartition(")")[2].split()[0] == "Z")


def test_strict_fails_on_warnings_not_on_notes(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    hostile.good_xlsx(reports / "tot.xlsx")
    (reports / "ghi-chu.txt").write_text("không phải báo cáo", encoding="utf-8")  # a note only
    ws = str(tmp_path / "ws.sqlite")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(reports), "-w", ws, "--strict"]).exit_code == 0
    hostile.good_pdf(reports / "ten-sai.docx", hostile.AGENCIES[1])  # read, with a warning
    result = runner.invoke(app, ["ingest", str(reports), "-w", ws, "--strict", "--json", "--timeout", "30"])
    assert result.exit_code == 1, result.output
    (wrong,) = [f for f in json.loads(result.stdout)["files"] if f["file"] == "ten-sai.docx"]
    assert wrong["status"] == "new" and wrong["problems"][0]["category"] == "wrong_type"


def test_file_size_limit_from_the_command_line(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    hostile.good_xlsx(reports / "tot.xlsx")
    ws = str(tmp_path / "ws.sqlite")
    result = CliRunner().invoke(app, ["ingest", str(reports), "-w", ws, "--json", "--max-file-mb", "0.001"])
    assert result.exit_code == 0, result.output  # a refused file is a per-file problem, not a failed run
    (only,) = json.loads(result.stdout)["files"]
    assert (only["status"], only["problems"][0]["code"], only["problems"][0]["category"]) == (
        "failed", "E-TOO-LARGE", "too_large",
    )
    assert "--max-file-mb" in only["problems"][0]["message"]


def test_zip_guard_passes_genuine_files(tmp_path: Path) -> None:
    for path in (hostile.good_xlsx(tmp_path / "a.xlsx"), hostile.good_docx(tmp_path / "a.docx")):
        assert zipguard.scan_zip(path, Limits()).problem is None


def test_extract_file_in_process_uses_the_same_guards(tmp_path: Path) -> None:
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    (only,) = extract_file(path).problems
    assert (only.code, only.category) == ("E-EMPTY-FILE", "empty")


def test_the_batch_stays_far_below_2_gb(batch: tuple) -> None:
    """Issue 11, item 20: the whole tree (this process and its workers), shared pages counted once."""
    assert 0 < PEAK["pss"] < 2 << 30


def test_a_file_over_the_memory_share_names_the_options(batch: tuple) -> None:
    """A reader that asks for more than its worker's share (Python: MemoryError)."""
    report, _expected, _ws = batch
    (hog,) = [f for f in report.files if f.file == "ngon-bo-nho.hog"]
    share, budget = LIMITS.max_memory_mb // 2, LIMITS.max_memory_mb
    assert f"tối đa {share} MB mỗi tiến trình đọc (--max-memory-mb {budget} cho cả lượt, --jobs 2)" in (
        hog.problems[0].message
    )
    assert "tăng --max-memory-mb hoặc giảm --jobs" in hog.problems[0].message


# `egov` with the test-only readers registered, in a process of its own (small address space)
EGOV = (
    f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); from egovcli import ingest;"
    " ingest.EXTRACTORS.update(dict.fromkeys(('.oom', '.crash'), 'hostile')); from egovcli.cli import main;"
    " sys.argv = ['egov', *sys.argv[1:]]; main()"
)


def test_a_native_reader_out_of_memory_is_too_large_not_a_crash(tmp_path: Path) -> None:
    """Rust (calamine) aborts the process when an allocation fails under the cap: told from a crash
    by what it wrote, and reported with the options to change; the batch goes on."""
    reports = tmp_path / "reports"
    reports.mkdir()
    hostile.huge_sheet(reports / "bang-lon.oom", 60_000, 30)  # ~1.8 million cells, ~250 MB
    (reports / "sap.crash").write_bytes(b"x")
    hostile.good_xlsx(reports / "tot.xlsx")
    args = ["ingest", str(reports), "-w", str(tmp_path / "ws.sqlite"), "--max-memory-mb", "200", "-j", "1"]
    done = subprocess.run([sys.executable, "-c", EGOV, *args, "--json"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    files = {f["file"]: f for f in json.loads(done.stdout)["files"]}
    oom = files["bang-lon.oom"]["problems"][0]
    assert (oom["code"], oom["category"]) == ("E-TOO-LARGE", "too_large")
    assert "200 MB mỗi tiến trình đọc (--max-memory-mb 200 cho cả lượt, --jobs 1)" in oom["message"]
    assert files["sap.crash"]["problems"][0]["code"] == "E-CRASHED"  # a crash stays a crash
    assert (files["tot.xlsx"]["status"], files["tot.xlsx"]["agency"]) == ("new", hostile.AGENCIES[0])


def test_limits_with_an_option_name_it() -> None:
    """E-TOO-LARGE says which option raises the limit, or that it is fixed; E-TIMEOUT names --timeout."""
    from egovcli.problems import problem

    big = Path(__file__)
    (size,) = extract_file(big, Limits(max_file_mb=0.001)).problems
    assert "tối đa 0.001 MB" in size.message and "chạy lại với --max-file-mb lớn hơn" in size.message
    fixed = safety.too_large("x.xlsx", "số trang", 12, 10)
    assert "--" not in fixed.message and "giới hạn cố định" in fixed.message
    assert "--timeout" in problem("E-TIMEOUT", "x", seconds="10").message


@pytest.mark.parametrize(
    ("budget", "jobs", "workers", "share"),
    [(1280, 2, 2, 640), (1280, 8, 3, 426), (400, 4, 1, 400), (200, 1, 1, 200), (0, 8, 8, 0)],
)
def test_the_memory_budget_is_shared_by_the_readers(budget: int, jobs: int, workers: int, share: int) -> None:
    """Issue 11, item 17: --max-memory-mb is for the whole run, never multiplied by --jobs."""
    limits = Limits(max_memory_mb=budget)
    assert safety.workers_for(limits, jobs) == workers
    assert safety.worker_memory_mb(limits, workers) == share
    assert workers * share <= budget


def test_help_states_the_memory_budget_and_its_default() -> None:
    result = CliRunner().invoke(app, ["--lang", "en", "ingest", "--help"], terminal_width=200)
    text = " ".join(result.output.replace("│", " ").split())
    assert f"0: unlimited (default: {Limits().max_memory_mb})" in text
    assert "Memory of all reading processes together" in text
    result = CliRunner().invoke(app, ["ingest", "--help"], terminal_width=200)
    text = " ".join(result.output.replace("│", " ").split())
    assert f"0: không giới hạn (mặc định: {Limits().max_memory_mb})" in text


def test_what_a_readers_exception_means() -> None:
    """Nesting deeper than a parser allows is hostile, not a broken file (lxml, under python-docx,
    gives up at 256 levels; Python's own recursion limit elsewhere); a Rust reader that could not
    allocate a Python object (a PyO3 panic, under the memory cap) ran out of memory."""

    class PanicException(BaseException):  # (pyo3_runtime's, which only a panic can raise)
        pass

    from lxml import etree

    try:
        etree.fromstring("<a>" * 300 + "</a>" * 300)
    except etree.XMLSyntaxError as exc:
        deep = ingest.exception_problem("long-sau.docx", exc)
    assert (deep.code, deep.category) == ("E-HOSTILE", "hostile")
    assert "nội dung lồng nhau quá sâu: quá 256 mức" in deep.message
    recursion = ingest.exception_problem("long-sau.ods", RecursionError("maximum recursion depth exceeded"))
    assert (recursion.code, recursion.category) == ("E-HOSTILE", "hostile")
    panic = ingest.exception_problem("bang-lon.xlsx", PanicException("PyObject pointer is null"))
    assert (panic.code, panic.category) == ("E-TOO-LARGE", "too_large")
    broken = ingest.exception_problem("hong.xlsx", ValueError("bad zip"))
    assert (broken.code, broken.category) == ("E-UNREADABLE", "corrupt")
