"""A LibreOffice installed without the component a file needs (a minimal install: Calc but no
Writer, or Writer but no Calc) is named with the package to install, not reported as a failed
conversion. The installation is faked: a LibreOffice program folder holding one component's library,
its soffice linked from a bin folder as Debian does (/usr/bin/soffice → …/program/soffice).

The tests that need LibreOffice run only where a file really converts with the component they need
(the `writer` and `calc` fixtures, tests/helpers.py): on a Calc-only LibreOffice (faked here, Calc
handed to the real one) the Writer tests are skipped naming Writer, and fail under CI's
EGOV_REQUIRE_SOFFICE=1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import REQUIRE_SOFFICE, libreoffice_cannot, require_libreoffice

from egovcli.ingest import ingest_folder
from egovcli.ingest.readers import legacy
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent

HTML = (
    "<html><head><meta charset='utf-8'></head><body><table>"
    "<tr><td>Tên cơ quan, đơn vị:</td><td>Sở Xây dựng</td></tr>"
    "<tr><td>Tổng số máy tính được trang bị:</td><td>35</td></tr>"
    "</table></body></html>"
)


def _libreoffice(root: Path, *libraries: str, script: str = "") -> Path:
    """A LibreOffice program folder with `libraries`; its soffice, linked from root/bin, runs
    `script` — by default it records in root/ran that it was started (it must not be) and fails."""
    program = root / "lib" / "libreoffice" / "program"
    program.mkdir(parents=True)
    for library in libraries:
        (program / library).write_bytes(b"")
    soffice = program / "soffice"
    soffice.write_text(script or f"#!/bin/sh\ntouch {root / 'ran'}\nexit 1\n", encoding="utf-8")
    soffice.chmod(0o755)
    (root / "bin").mkdir()
    (root / "bin" / "soffice").symlink_to(soffice)
    return root / "bin" / "soffice"


@pytest.fixture
def calc_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    command = _libreoffice(tmp_path / "lo", "libsclo.so", "libscfiltlo.so", "libmergedlo.so")
    monkeypatch.setattr(legacy, "soffice", lambda: str(command))
    return tmp_path / "lo"


@pytest.fixture
def writer_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    command = _libreoffice(tmp_path / "lo", "libswlo.so", "libmergedlo.so")
    monkeypatch.setattr(legacy, "soffice", lambda: str(command))
    return tmp_path / "lo"


def test_detection_reads_the_program_folder(tmp_path: Path) -> None:
    calc = _libreoffice(tmp_path / "calc", "libsclo.so")
    assert legacy.missing_component(str(calc), "docx") == ("Writer", "libreoffice-writer-nogui")
    assert legacy.missing_component(str(calc), "xlsx") is None
    writer = _libreoffice(tmp_path / "writer", "libswlo.so")
    assert legacy.missing_component(str(writer), "xlsx") == ("Calc", "libreoffice-calc-nogui")
    unknown = _libreoffice(tmp_path / "snap")  # a wrapper: no component library to go by
    assert legacy.missing_component(str(unknown), "docx") is None


@pytest.mark.parametrize(("component", "target"), [("Writer", "docx"), ("Calc", "xlsx")])
def test_a_component_that_converts_is_not_taken_for_missing(
    request: pytest.FixtureRequest, component: str, target: str
) -> None:
    """Where a file really converts with a component here, its program folder does not say otherwise."""
    command = request.getfixturevalue(component.lower())  # skipped unless it converts
    assert legacy.missing_component(command, target) is None


@pytest.mark.parametrize("name", ["bao-cao.doc", "bao-cao.odt", "bao-cao.rtf"])
def test_word_files_without_writer_name_the_package(calc_only: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"{\\rtf1 B\\'e1o c\\'e1o}" if name.endswith(".rtf") else b"\xd0\xcf\x11\xe0 word")
    (only,) = legacy.extract(path).problems
    assert (only.code, only.category) == ("E-NEEDS-LIBREOFFICE-PART", "unsupported")
    assert only.message.startswith(f"Cần LibreOffice Writer để đọc tệp {path.suffix}")
    assert "apt install libreoffice-writer-nogui" in only.message
    assert not (calc_only / "ran").exists()  # refused before LibreOffice is started for nothing


def test_a_spreadsheet_calamine_cannot_read_without_calc(writer_only: Path, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.ods"
    path.write_bytes(b"PK\x03\x04 broken")
    (only,) = legacy.extract(path).problems
    assert only.code == "E-NEEDS-LIBREOFFICE-PART"
    assert "Cần LibreOffice Calc để đọc tệp .ods (đọc trực tiếp lỗi:" in only.message
    assert "apt install libreoffice-calc-nogui" in only.message


def test_ingest_names_the_missing_part_for_each_file(calc_only: Path, tmp_path: Path) -> None:
    """Web pages saved as .doc need Writer, saved as .xls Calc (present here): each file says what
    it needs; the .xls is converted (the fake LibreOffice fails, an ordinary conversion failure)."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "trang-web.doc").write_text(HTML, encoding="utf-8")
    (reports / "trang-web.xls").write_text(HTML, encoding="utf-8")
    (reports / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(64))
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1)
    codes = {f.file: [p.code for p in f.problems] for f in report.files}
    assert codes == {
        "trang-web.doc": ["W-WRONG-EXTENSION", "E-NEEDS-LIBREOFFICE-PART"],
        "trang-web.xls": ["W-WRONG-EXTENSION", "E-CONVERSION-FAILED"],
        "cu.doc": ["E-NEEDS-LIBREOFFICE-PART"],
    }
    needs = next(p for p in report.files if p.file == "cu.doc").problems[0]
    assert "LibreOffice Writer" in needs.message and needs.file == "cu.doc"


# --- the tests' own LibreOffice check -------------------------------------------------------------
def _calc_only(root: Path, *libraries: str) -> Path:
    """A LibreOffice with Calc but no Writer, its program folder holding `libraries`: its soffice
    fails a Writer job (a Word file in or a Word format out), as LibreOffice without Writer does, and
    hands anything else to the LibreOffice installed here."""
    real = os.path.realpath(shutil.which("soffice") or shutil.which("libreoffice") or "soffice")
    script = f"""#!/bin/sh
for arg in "$@"; do
    case "$arg" in
        *.doc|*.docx|*.odt|*.rtf|doc|docx*|odt*) echo "Error: no Writer here ($arg)" >&2; exit 1;;
    esac
done
exec {real} "$@"
"""
    return _libreoffice(root, *libraries, script=script)


def _on_path(command: Path) -> dict[str, str]:
    """The environment with `command`'s folder first on PATH, without CI's EGOV_REQUIRE_SOFFICE."""
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_SOFFICE}
    return env | {"PATH": f"{command.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.mark.usefixtures("calc")
def test_a_writer_that_cannot_convert_is_found_by_converting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LibreOffice whose program folder shows no component (a wrapper, as snap installs) but that
    cannot convert a Word file: the check converts, so Writer is found missing all the same — a skip
    naming it, a failure under EGOV_REQUIRE_SOFFICE=1 — while Calc converts."""
    fake = _calc_only(tmp_path / "lo")
    monkeypatch.setenv("PATH", _on_path(fake)["PATH"])
    monkeypatch.delenv(REQUIRE_SOFFICE, raising=False)
    assert legacy.soffice() == str(fake) and legacy.missing_component(str(fake), "docx") is None
    why = libreoffice_cannot("Writer", tmp_path)
    assert why.startswith("LibreOffice Writer không chuyển được tệp .rtf ở máy này: ")
    assert "no Writer here" in why  # what LibreOffice said
    assert libreoffice_cannot("Calc", tmp_path) == ""
    with pytest.raises(pytest.skip.Exception, match="^LibreOffice Writer không chuyển được"):
        require_libreoffice("Writer", tmp_path)
    monkeypatch.setenv(REQUIRE_SOFFICE, "1")
    with pytest.raises(pytest.fail.Exception, match="^EGOV_REQUIRE_SOFFICE: LibreOffice Writer"):
        require_libreoffice("Writer", tmp_path)
    assert require_libreoffice("Calc", tmp_path) == str(fake)


WRITER_TESTS = {
    "test_word_formats_are_converted_and_read_like_the_docx[.doc]",
    "test_word_formats_are_converted_and_read_like_the_docx[.odt]",
    "test_broken_files_are_clear_problems",
    "test_a_hung_conversion_is_stopped",
    "test_ingest_converts_in_parallel_and_reports_it",
}


def _run_test_legacy(tmp_path: Path, env: dict[str, str], *args: str) -> dict[str, tuple[str, str]]:
    """tests/test_legacy.py run by pytest in `env`: each test's outcome and its message."""
    tmp_path.mkdir()
    report = tmp_path / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_legacy.py", "-p", "no:cacheprovider", "-q",
         f"--basetemp={tmp_path / 'run'}", f"--junitxml={report}", *args],
        cwd=ROOT, env=env, capture_output=True, timeout=900, check=False,
    )
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        found = [(child.tag, child.get("message", "")) for child in case if child.tag != "system-out"]
        outcomes[case.get("name", "")] = found[0] if found else ("passed", "")
    return outcomes


@pytest.mark.usefixtures("calc")
def test_on_a_calc_only_libreoffice_the_writer_tests_are_skipped(tmp_path: Path) -> None:
    """LibreOffice Calc without Writer, as Debian installs libreoffice-calc-nogui alone: the tests of
    Word formats are skipped, naming Writer and its package, and the spreadsheet tests run and pass
    (they once failed there: `make test` was red). In CI (EGOV_REQUIRE_SOFFICE=1) the same tests fail."""
    fake = _calc_only(tmp_path / "lo", "libsclo.so", "libscfiltlo.so", "libmergedlo.so")
    outcomes = _run_test_legacy(tmp_path / "local", _on_path(fake))
    skipped = {name: message for name, (outcome, message) in outcomes.items() if outcome == "skipped"}
    assert set(skipped) == WRITER_TESTS, outcomes
    for message in skipped.values():
        assert message.startswith("LibreOffice Writer không chuyển được tệp .rtf ở máy này: Cần LibreOffice")
        assert "apt install libreoffice-writer-nogui" in message
    assert {outcome for name, (outcome, _) in outcomes.items() if name not in WRITER_TESTS} == {"passed"}
    assert len(outcomes) == len(WRITER_TESTS) + 3  # .xls and .ods read directly, a web page as .xls
    in_ci = _on_path(fake) | {REQUIRE_SOFFICE: "1"}
    ci = _run_test_legacy(tmp_path / "ci", in_ci, "-k", "broken_files or hung")
    assert {name: outcome for name, (outcome, _) in ci.items()} == {
        "test_broken_files_are_clear_problems": "error", "test_a_hung_conversion_is_stopped": "error",
    }
    assert all("EGOV_REQUIRE_SOFFICE: LibreOffice Writer" in message for _, message in ci.values())
