"""Legacy / OpenDocument files: .xls/.ods read directly, .doc/.odt converted by LibreOffice.

The fixtures are the seed report (samples.generate) saved by LibreOffice in the old formats: a test
of Word formats needs LibreOffice Writer, one of spreadsheets Calc (the `writer` and `calc` fixtures,
tests/conftest.py). Without the one it needs, a test is skipped naming it, except in CI
(EGOV_REQUIRE_SOFFICE=1, see .ci/run), where it fails.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import until
from typer.testing import CliRunner

from egovcli.cli import app
from egovcli.ingest import ingest_folder
from egovcli.ingest.readers import docx, legacy, xlsx
from egovcli.ingest.readers.legacy import ConversionTimeout, convert
from egovcli.model import Extracted
from egovcli.workspace import Workspace
from samples.generate import seed_004_spec, write_docx, write_xlsx


def _save_as(command: str, source: Path, fmt: str, outdir: Path) -> Path:
    profile = (outdir / ".profile").as_uri()
    subprocess.run(
        [
            command,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / f"{source.stem}.{fmt}"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed report as .xlsx and .docx (no LibreOffice needed)."""
    src = tmp_path_factory.mktemp("seed")
    spec = seed_004_spec()
    write_xlsx(spec, src / "so-tai-chinh.xlsx")
    write_docx(spec, src / "so-tai-chinh.docx")
    return {".xlsx": src / "so-tai-chinh.xlsx", ".docx": src / "so-tai-chinh.docx"}


@pytest.fixture(scope="module")
def sheets(seed: dict[str, Path], calc: str) -> dict[str, Path]:
    """The seed workbook as LibreOffice Calc saves it in .xls and .ods."""
    return {f".{fmt}": _save_as(calc, seed[".xlsx"], fmt, seed[".xlsx"].parent) for fmt in ("xls", "ods")}


@pytest.fixture(scope="module")
def words(seed: dict[str, Path], writer: str) -> dict[str, Path]:
    """The seed document as LibreOffice Writer saves it in .odt and .doc."""
    src = seed[".docx"].parent
    odt = _save_as(writer, seed[".docx"], "odt", src)
    # LibreOffice 7.4 drops python-docx tables when saving .docx straight to .doc; via .odt it keeps them
    return {".odt": odt, ".doc": _save_as(writer, odt, "doc", src)}


def _rows(extracted: Extracted) -> list[tuple[object, ...]]:
    return [(o.kind, o.indicator, o.label, o.value, o.location) for o in extracted.observations]


@pytest.mark.parametrize("suffix", [".doc", ".odt"])
def test_word_formats_are_converted_and_read_like_the_docx(
    seed: dict[str, Path], words: dict[str, Path], suffix: str
) -> None:
    original = docx.extract(seed[".docx"])
    extracted = legacy.extract(words[suffix])
    assert (extracted.agency, extracted.period) == (original.agency, original.period)
    assert _rows(extracted) == _rows(original) and len(original.observations) > 100
    (note,) = [p for p in extracted.problems if p.code == "I-CONVERTED"]
    assert note.severity == "info" and suffix in note.message
    for p in extracted.problems:  # problems name the original file, never the temporary copy
        assert p.file == str(words[suffix]) and "input" not in p.message


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_spreadsheets_are_read_directly_without_libreoffice(
    seed: dict[str, Path], sheets: dict[str, Path], suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    extracted = legacy.extract(sheets[suffix])
    assert _rows(extracted) == _rows(xlsx.extract(seed[".xlsx"]))
    assert extracted.agency == "Sở Tài chính tỉnh Hà Nam" and not extracted.problems


@pytest.mark.usefixtures("calc")
def test_xls_that_is_really_html_goes_through_libreoffice(tmp_path: Path) -> None:
    page = tmp_path / "so-xay-dung.xls"  # what many web systems export as "Excel"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>Tên cơ quan, đơn vị:</td><td>Sở Xây dựng</td></tr>"
        "<tr><td>Tổng số máy tính được trang bị:</td><td>35</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    extracted = legacy.extract(page)
    assert extracted.agency == "Sở Xây dựng"
    assert ("Tổng số máy tính được trang bị", 35) in [(o.label, o.value) for o in extracted.observations]
    assert [p.code for p in extracted.problems] == ["I-CONVERTED"]


@pytest.mark.usefixtures("writer")
def test_broken_files_are_clear_problems(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "hong.odt").write_bytes(b"PK\x03\x04 not really a zip")
    (reports / "rac.doc").write_bytes(b"\xd0\xcf\x11\xe0 garbage")  # LibreOffice reads it as text
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1)
    codes = {f.file: (f.status, [p.code for p in f.problems]) for f in report.files}
    assert codes == {
        "hong.odt": ("failed", ["E-UNREADABLE"]),  # a broken zip never reaches LibreOffice
        "rac.doc": ("failed", ["I-CONVERTED", "E-EMPTY"]),
    }


def test_a_hung_conversion_is_stopped(words: dict[str, Path], writer: str, tmp_path: Path) -> None:
    """A conversion still running at its time limit is stopped, not waited for: LibreOffice wrote
    nothing, and none of its processes (all started in `tmp_path`) outlives the call."""
    with pytest.raises(ConversionTimeout, match="quá 0.2 giây"):
        convert(words[".doc"], "docx", tmp_path, writer, timeout=0.2)
    assert not (tmp_path / "out" / "input.docx").exists()  # stopped before it could finish
    assert until(lambda: not _running_in(tmp_path), 30), _running_in(tmp_path)  # the whole group was killed


def _running_in(folder: Path) -> list[str]:
    """Live processes whose command line names `folder`."""
    return [pid for pid in os.listdir("/proc") if pid.isdigit() and str(folder).encode() in _cmdline(pid)]


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_ingest_converts_in_parallel_and_reports_it(
    words: dict[str, Path], sheets: dict[str, Path], tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    for i, path in enumerate((words[".doc"], words[".odt"], sheets[".xls"])):
        (reports / f"d{i}").mkdir(parents=True)
        (reports / f"d{i}" / f"bao-cao{path.suffix}").write_bytes(path.read_bytes())
    ws = str(tmp_path / "ws.sqlite")
    result = CliRunner().invoke(app, ["ingest", str(reports), "--workspace", ws, "--jobs", "3", "--json"])
    assert result.exit_code == 0, result.output
    files = {f["file"]: f for f in json.loads(result.stdout)["files"]}
    # one agency and period: the latest file counts, the others are kept as superseded
    assert sorted(f["status"] for f in files.values()) == ["new", "superseded", "superseded"]
    assert {f["agency"] for f in files.values()} == {"Sở Tài chính tỉnh Hà Nam"}
    converted = {name for name, f in files.items() if any(p["code"] == "I-CONVERTED" for p in f["problems"])}
    assert converted == {"d0/bao-cao.doc", "d1/bao-cao.odt"}
    with Workspace(ws) as w:
        assert {s.display_path: s.status != "failed" for s in w.submissions()} == dict.fromkeys(files, True)
        sources = {so.source_file for so in w.observations(include_superseded=True)}
        assert sources == set(files)
