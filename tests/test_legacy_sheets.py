""".ods and .xls workbooks with a stray cell far from the report are read like an .xlsx one (issue 11,
item 16, its sibling): calamine builds every sheet of those as a dense box when it opens them (an
.ods with a cell at XFD1048576: refused; an .xls with one at IV65536: a 16-million-cell grid, 1 GB),
so egov reads their cells one by one (`sheetxml.read_ods`, `xls.read_xls`), counting real cells.

The workbooks are the seed 000 report (tests/shapes.py) saved by LibreOffice as .ods / .xls, so
these tests need `soffice`: skipped without it, except in CI (EGOV_REQUIRE_SOFFICE=1).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import hostile
import pytest
import shapes
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from egovcli import ingest
from egovcli.ingest.readers import legacy, safety, sheetxml, xls
from egovcli.ingest.readers import xlsx as xlsx_extractor
from egovcli.model import Extracted

pytestmark = pytest.mark.usefixtures("calc")  # the workbooks are saved by LibreOffice Calc
STRAY = "Số máy chủ dự phòng"
SMALL = safety.Limits(max_rows=1_000, max_cells=10_000)


def _save_as(source: Path, fmt: str) -> Path:
    """`source` saved by LibreOffice as `fmt` (ods | xls | xlsx) in a folder beside it."""
    command = legacy.soffice()
    assert command, f"LibreOffice (soffice) is required here: {legacy.INSTALL_HINT}"
    outdir = source.parent / fmt
    profile = (source.parent / ".profile").as_uri()
    subprocess.run([command, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=180)
    return outdir / f"{source.stem}.{fmt}"


def _seen(extracted: Extracted) -> set[tuple[str, str, float | None, str]]:
    return {(o.label, o.raw_value, o.value, o.location) for o in extracted.observations}


@pytest.mark.parametrize(("fmt", "strays", "read_at"), [
    ("ods", {"XFD1048576": f"{STRAY}: 3"}, "XFD1048576"),  # the last cell of the sheet
    ("ods", {"A1048576": 21, "B1048576": STRAY, "C1048576": 3}, "C1048576"),
    ("ods", {"XFD1": f"{STRAY}: 3", "A1048576": 5}, "XFD1"),
    ("xls", {"IV65536": f"{STRAY}: 3"}, "IV65536"),  # the last cell of an Excel 97-2003 sheet
    ("xls", {"A65536": 21, "B65536": STRAY, "C65536": 3}, "C65536"),
    ("xls", {"IV1": f"{STRAY}: 3", "A65536": 5}, "IV1"),
])
def test_a_stray_cell_far_away_is_read_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, strays: dict[str, object], read_at: str
) -> None:
    """Seed 000's workbook saved as .ods / .xls with stray cells at the far ends of the sheet: read
    directly (LibreOffice is not asked), within limits that count real cells, every value at its
    reference, the stray cells too."""
    plain = shapes.ha_tinh_xlsx(tmp_path / "ha-tinh.xlsx")
    workbook = load_workbook(plain)
    for ref, value in strays.items():
        workbook.active[ref] = value
    workbook.save(tmp_path / "o-le-xa.xlsx")
    before, after = _save_as(plain, fmt), _save_as(tmp_path / "o-le-xa.xlsx", fmt)
    monkeypatch.setattr(legacy, "soffice", lambda: None)  # read directly, never converted
    with safety.applied(SMALL):
        read_before, read_after = legacy.extract(before), legacy.extract(after)
    assert (read_after.agency, read_after.period, read_after.problems) == (
        read_before.agency, read_before.period, [],
    )
    assert len(_seen(read_before)) > 100
    assert _seen(read_after) - _seen(read_before) == {(STRAY, "3", 3, f"Số liệu 6 tháng!{read_at}")}
    assert _seen(read_before) < _seen(read_after)


def _kinds_of_cells(path: Path) -> Path:
    """A workbook with every kind of cell: strings (Vietnamese, line breaks, spaces), whole,
    decimal, negative and large numbers, booleans, dates, a time, a percentage, formula results
    (number, text, an error), a merged range, a hidden sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet.append(["Tên cơ quan, đơn vị:", "Sở Y tế", "Sở Y tế"])
    sheet.append(["Tỷ lệ", 84.96, 0.1])
    sheet.append(["Máy chủ", 4, True])
    sheet.append(["Ngày báo cáo", dt.date(2023, 1, 5), dt.datetime(2022, 12, 31, 0, 0)])
    sheet["C4"].number_format = "dd/mm/yyyy"
    sheet.append(["Tổng", "=B3+1", "có"])
    sheet.merge_cells("A6:C6")
    sheet["A6"] = "Ghi chú"
    sheet.append(["Lỗi", "=1/0", '="a"&"b"'])
    sheet.append(["Giờ", dt.time(10, 30), 0.5])
    sheet["C8"].number_format = "0%"
    sheet.append(["Số âm", -3, 1234567.125])
    sheet.append(["Hai dòng", "dòng 1\ndòng 2", "  cách   "])
    sheet.append([None, None, 12345678901])
    sheet["B12"] = False
    hidden = workbook.create_sheet("Ẩn")
    hidden["A1"] = "ẩn"
    hidden.sheet_state = "hidden"
    long = workbook.create_sheet("Nhiều chuỗi")  # a shared-string table over many records
    for n in range(3000):
        label = f"Tiêu chí số {n}: " + "ứng dụng công nghệ thông tin " * (n % 9)
        long.append([label, f"text {n} " * (n % 40)])
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`_kinds_of_cells` as LibreOffice saves it in .xlsx, .ods and .xls (cached formula results)."""
    source = _kinds_of_cells(tmp_path_factory.mktemp("kinds") / "kieu-o.xlsx")
    return {fmt: _save_as(source, fmt) for fmt in ("xlsx", "ods", "xls")}


def _read_by_egov(path: Path) -> list[tuple[str, sheetxml.Sheet]]:
    if path.suffix == ".xls":
        return xls.read_xls(path, 10**6, 10**7)
    with zipfile.ZipFile(path) as archive:
        if path.suffix == ".ods":
            return sheetxml.read_ods(archive, 10**6, 10**7)
        parts = sheetxml.parts(archive)
        return [(name, sheetxml.read_sheet(archive, member, parts)) for name, member in parts.sheets.items()]


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_egovs_readers_give_calamines_values(kinds: dict[str, Path], fmt: str) -> None:
    """Each sheet, cell by cell, as egov reads it gives the text calamine gives (so a workbook reads
    the same whichever reader a stray cell sends it to); merged ranges as calamine has them."""
    read = _read_by_egov(kinds[fmt])
    calamine = CalamineWorkbook.from_path(str(kinds[fmt]))
    assert [name for name, _sheet in read] == calamine.sheet_names
    for name, sheet in read:
        grid = calamine.get_sheet_by_name(name)
        rows = grid.to_python(skip_empty_area=False)  # from A1
        theirs = {(r, c): xlsx_extractor._text(v) for r, row in enumerate(rows) for c, v in enumerate(row)}
        ours = {at: xlsx_extractor._text(value) for at, value in sheet.cells.items()}
        assert ours == {at: text for at, text in theirs.items() if text}, name
        if fmt != "ods":  # (calamine has no merged ranges for .ods)
            assert sorted(sheet.merged) == sorted(grid.merged_cell_ranges or []), name
    assert len(dict(read)["Nhiều chuỗi"].cells) == 3000 + sum(1 for n in range(3000) if n % 40)


def test_limits_count_real_cells_of_an_xls(tmp_path: Path) -> None:
    """An .xls sheet with more real cells than the limit is refused, naming the sheet."""
    workbook = Workbook()
    workbook.active.title = "Dữ liệu"
    for _ in range(300):
        workbook.active.append([1] * 40)
    workbook.save(tmp_path / "nhieu-o.xlsx")
    with safety.applied(SMALL):
        (refused,) = xlsx_extractor.extract(_save_as(tmp_path / "nhieu-o.xlsx", "xls")).problems
    assert (refused.code, refused.location) == ("E-TOO-LARGE", "Dữ liệu")
    assert "trang tính Dữ liệu" in refused.message and "10000 ô" in refused.message


def test_a_box_calamine_would_build_too_large_names_its_far_corner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .xls that xlrd does not read (damaged in a way calamine forgives; xlrd is told to give up
    here) is calamine's: a box over the limits is refused, naming the sheet and the far corner that
    stretches it."""
    plain = shapes.ha_tinh_xlsx(tmp_path / "ha-tinh.xlsx")
    workbook = load_workbook(plain)
    workbook.active["A20000"] = 5
    workbook.save(tmp_path / "xa.xlsx")

    def unreadable(*_args: object) -> None:
        raise xls.Unreadable("CompDocError: damaged")

    monkeypatch.setattr(xls, "read_xls", unreadable)
    with safety.applied(SMALL):
        (refused,) = xlsx_extractor.extract(_save_as(tmp_path / "xa.xlsx", "xls")).problems
    assert (refused.code, refused.location) == ("E-TOO-LARGE", "Số liệu 6 tháng")
    assert "vùng dữ liệu A1:C20000" in refused.message and "kéo đến dòng 20000, cột C" in refused.message


ENCRYPTED = Path(__file__).parent / "fixtures" / "encrypted"  # hostile.good_xlsx saved by LibreOffice
# 7.4 with a password (storeToURL with "Password"): egov's tools cannot write an encrypted .xls/.ods


@pytest.mark.parametrize("name", ["mat-khau.xls", "mat-khau.ods"])
def test_a_password_protected_xls_or_ods_is_encrypted(name: str) -> None:
    """A workbook with a password no reader opens (LibreOffice is asked too, and cannot) is
    E-ENCRYPTED, with the advice to remove the password — not a failed conversion."""
    (found,) = ingest.extract_file(ENCRYPTED / name).problems
    assert (found.code, found.category) == ("E-ENCRYPTED", "encrypted")
    assert "mật khẩu" in found.message


def test_an_xls_locked_with_excels_default_password_is_read_through_libreoffice() -> None:
    """Excel encrypts a workbook whose structure is protected with its default password
    (VelvetSweatshop): xlrd and calamine refuse it, LibreOffice opens it — so it is converted."""
    extracted = ingest.extract_file(ENCRYPTED / "mat-khau-mac-dinh.xls")
    assert extracted.agency == "Sở Tài chính"
    assert [p.code for p in extracted.problems] == ["I-CONVERTED"]
    assert {o.raw_value for o in extracted.observations} >= {"48", "45"}


def test_xlrds_warnings_never_reach_stdout(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """xlrd prints its warnings about a damaged file on stdout by default, where they would mix with
    a command's output (`--format json`): a cut .xls is `Unreadable`, silently."""
    whole = _save_as(hostile.good_xlsx(tmp_path / "tot.xlsx"), "xls").read_bytes()
    cut = tmp_path / "cat-cut.xls"
    cut.write_bytes(whole[:-300])
    with pytest.raises(xls.Unreadable):
        xls.read_xls(cut, 10**6, 10**7)
    assert capfd.readouterr().out == ""


def test_a_reader_that_panics_is_the_files_problem_not_an_escape(tmp_path: Path) -> None:
    """calamine panics on a cut .xls (xlrd refused it first); the panic is a BaseException, and
    `extract_file`, which promises that nothing raises, reports it as the file's problem."""
    whole = _save_as(hostile.good_xlsx(tmp_path / "tot.xlsx"), "xls").read_bytes()
    cut = tmp_path / "cat-cut.xls"
    cut.write_bytes(whole[:-300])
    extracted = ingest.extract_file(cut)
    assert not extracted.observations
    assert [p.code for p in extracted.problems] == ["E-UNREADABLE"]
    assert extracted.problems[0].file == str(cut)
