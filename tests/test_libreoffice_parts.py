"""A LibreOffice installed without the component a file needs (a minimal install: Calc but no
Writer, or Writer but no Calc) is named with the package to install, not reported as a failed
conversion. The installation is faked: a LibreOffice program folder holding one component's library,
its soffice linked from a bin folder as Debian does (/usr/bin/soffice → …/program/soffice)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from egovcli.ingest import ingest_folder, legacy
from egovcli.workspace import Workspace

HTML = (
    "<html><head><meta charset='utf-8'></head><body><table>"
    "<tr><td>Tên cơ quan, đơn vị:</td><td>Sở Xây dựng</td></tr>"
    "<tr><td>Tổng số máy tính được trang bị:</td><td>35</td></tr>"
    "</table></body></html>"
)


def _libreoffice(root: Path, *libraries: str) -> Path:
    """A LibreOffice program folder with `libraries`; its soffice, linked from root/bin, records in
    root/ran that it was started (it must not be) and fails."""
    program = root / "lib" / "libreoffice" / "program"
    program.mkdir(parents=True)
    for library in libraries:
        (program / library).write_bytes(b"")
    soffice = program / "soffice"
    soffice.write_text(f"#!/bin/sh\ntouch {root / 'ran'}\nexit 1\n", encoding="utf-8")
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


@pytest.mark.skipif(legacy.soffice() is None, reason="LibreOffice (soffice) chưa cài")
def test_the_installed_libreoffice_has_what_the_conversions_use() -> None:
    command = legacy.soffice() or ""
    assert legacy.missing_component(command, "docx") is None
    assert legacy.missing_component(command, "xlsx") is None


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
