"""An .xlsx is read from one scan of its zip (issue 15): the zip guard checks in full the parts
calamine parses, only the prolog of the XML parts nobody parses (themes, drawings, properties),
hands the reader the workbook's parts, and notes the sheets with formulas — only those are read
again for formulas saved without a value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hostile
import pytest

from egovcli.ingest.extract import extract_file
from egovcli.ingest.readers import plainzip, safety, sheetxml, xlsx, zipguard

XXE = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e SYSTEM "file:///etc/passwd">]><a:theme>&e;</a:theme>'


def _scan(path: Path) -> zipguard.ZipScan:
    return zipguard.scan_zip(path, safety.Limits(), keep=xlsx._WORKBOOK, parsed=xlsx._calamine_reads)


def test_the_scan_keeps_the_workbook_parts_and_notes_formulas(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Phụ lục"
    workbook.active.append(["Tổng số máy tính", 45])
    with_formula = workbook.create_sheet("Tính")
    with_formula.append(["Tổng", "=SUM(1,2)"])
    workbook.save(tmp_path / "a.xlsx")
    scan = _scan(tmp_path / "a.xlsx")
    # the workbook's parts, and the sheet with a formula: its cells are looked at again from these bytes
    assert scan.problem is None and set(scan.parts) == {*xlsx._WORKBOOK, "xl/worksheets/sheet2.xml"}
    assert {part: area.formulas for part, area in scan.sheets.items()} == {
        "xl/worksheets/sheet1.xml": False, "xl/worksheets/sheet2.xml": True,
    }
    # openpyxl saves no cached value: the formula is said where it is, as before
    codes = [(p.code, p.location) for p in extract_file(tmp_path / "a.xlsx").problems]
    assert ("W-FORMULA-NO-VALUE", "Tính!B1") in codes


_SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          '<row r="1"><c r="A1" t="inlineStr"><is><t>Tổng số máy tính</t></is></c>'
          '<c r="B1"><f>SUM(40,5)</f><v>45</v></c></row>'
          '<row r="2"><c r="A2" t="inlineStr"><is><t>Số máy tính kết nối Internet</t></is></c>{cell}</row>'
          '<row r="3"><c r="A3" t="inlineStr"><is><t>Tên</t></is></c><c r="B3" t="str"><f>"x"</f><v></v></c>'
          '</row></sheetData></worksheet>')


@pytest.mark.parametrize(("cell", "unvalued"), [
    ('<c r="B2"><f t="shared" ref="B2" si="0">SUM(40,4)</f><v>44</v></c>', []),  # as Excel saves them
    ('<c r="B2"><f>SUM(40,4)</f></c>', [("Tính!B2", "=SUM(40,4)")]),
    ('<c r="B2"><f>SUM(40,4)</f><v/></c>', [("Tính!B2", "=SUM(40,4)")]),
    ('<x:c r="B2" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:f>SUM(40,4)</x:f>'
     '</x:c>', [("Tính!B2", "=SUM(40,4)")]),
])
def test_formulas_with_their_values_are_read_as_values_and_the_others_named(
    tmp_path: Path, cell: str, unvalued: list[tuple[str, str]]
) -> None:
    """A sheet whose formulas all have their cached value (every file Excel saved) is not read cell
    by cell for formulas without one; a formula without a value (none, an empty <v/>) is named
    wherever it is, with or without a namespace prefix (a t="str" formula with an empty text is a
    value)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Tính"
    workbook.active.append(["=1+1"])
    workbook.save(tmp_path / "a.xlsx")
    path = hostile._zip(tmp_path / "a.xlsx", tmp_path / "b.xlsx",
                        {"xl/worksheets/sheet1.xml": _SHEET.format(cell=cell).encode()})
    extracted = extract_file(path)
    named = [(p.location, p.message) for p in extracted.problems if p.code == "W-FORMULA-NO-VALUE"]
    assert [location for location, _ in named] == [location for location, _ in unvalued]
    assert all(formula in message for (_, message), (_, formula) in zip(named, unvalued, strict=True))
    assert ("Tổng số máy tính", 45.0) in [(o.label, o.value) for o in extracted.observations]


def test_parts_calamine_never_reads_have_their_prolog_checked(tmp_path: Path) -> None:
    source = hostile.good_xlsx(tmp_path / "a.xlsx")
    theme = hostile._zip(source, tmp_path / "theme.xlsx", {"xl/theme/theme1.xml": XXE.encode()})
    (refused,) = extract_file(theme).problems
    assert refused.code == "E-HOSTILE" and "xl/theme/theme1.xml" in refused.message
    assert not xlsx._calamine_reads("xl/media/image1.png") and xlsx._calamine_reads("xl/styles.xml")


def test_a_vba_project_is_noted_from_the_scan(tmp_path: Path) -> None:
    source = hostile.good_xlsx(tmp_path / "a.xlsx")
    path = hostile._zip(source, tmp_path / "macro.xlsx", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"})
    assert [p.code for p in extract_file(path).problems] == ["I-MACROS-NOT-RUN"]


def test_each_zip_is_opened_once_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sniffer, the egov-output check, the zip guard and the reader share one open zip: its
    central directory is read once per file (issue 15), not once by each of them — and a small
    report's not at all by zipfile: each of them reads the bytes the sniffer read."""
    import zipfile

    from egovcli.ingest.extract import EXTRACTORS, read_report

    opened: list[str] = []

    class Counted(zipfile.ZipFile):
        def __init__(self, file: Any, *args: Any, **kwargs: Any) -> None:
            opened.append(str(file))
            super().__init__(file, *args, **kwargs)

    files = [hostile.good_xlsx(tmp_path / "a.xlsx"), hostile.good_docx(tmp_path / "a.docx")]
    monkeypatch.setattr(zipfile, "ZipFile", Counted)
    for path in files:
        assert read_report(path, safety.Limits(), EXTRACTORS).observations
    assert opened == []


def test_a_sheet_is_counted_cell_by_cell_only_when_its_bounds_do_not_clear_it(tmp_path: Path) -> None:
    """A sheet whose cell references all lie within A1:Z999 is measured by its tags alone (upper
    bounds that leave it under the limits and dense); a cell in column AA or row 1000 has its
    cells counted one by one, its box exact."""
    from openpyxl import Workbook

    for far, counted in (("Z999", False), ("AA1", True), ("A1000", True)):
        workbook = Workbook()
        workbook.active["A1"], workbook.active[far] = "Máy tính", 45
        workbook.save(tmp_path / f"{far}.xlsx")
        ((_part, area),) = _scan(tmp_path / f"{far}.xlsx").sheets.items()
        assert not xlsx._sparse(area, safety.Limits())
        if counted:
            row, column = sheetxml.position(far) or (0, 0)
            assert (area.cells, area.box_rows, area.box_cells) == (2, row + 1, (row + 1) * (column + 1))
        else:
            assert area.cells >= 2 and (area.box_rows, area.box_cells) == (1000, 26_000)


def _forged(source: Path, path: Path, member: str, declared: int) -> Path:
    """A copy of the zip `source` whose headers (local and central) declare `member` as its first
    `declared` bytes, with their CRC: a reader that trusts the headers sees only those bytes."""
    import struct
    import zipfile
    import zlib

    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(member)
        crc = zlib.crc32(archive.read(member)[:declared])
    struct.pack_into("<I", data, info.header_offset + 14, crc)  # local header: CRC, sizes
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while data[at + 46:at + 46 + struct.unpack_from("<H", data, at + 28)[0]] != name:  # its directory entry
        at = data.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 16, crc)
    struct.pack_into("<I", data, at + 24, declared)
    path.write_bytes(bytes(data))
    return path


def test_a_sheet_whose_headers_lie_about_its_size_is_never_read(tmp_path: Path) -> None:
    """Sizes in zip headers can lie: a sheet of 3000 rows (over the limit) declared as its first
    2000 bytes. Python's zipfile yields only the declared bytes, so the guard measures those; the
    reader behind it (calamine's zip crate) refuses a part larger than declared, so the rows past
    them are never read — the file is refused, not read as the small sheet the guard measured. A
    sheet declared larger than it is holds no more than the guard saw: it is read as it is."""
    limits = safety.Limits(max_rows=2000, max_cells=100_000)
    rows = hostile._many_rows(tmp_path / "rows.xlsx", 3000)
    sheet = "xl/worksheets/sheet1.xml"
    assert zipguard.scan_zip(rows, limits).problem is not None  # honest headers: refused by the guard
    shorter = _forged(rows, tmp_path / "ngan.xlsx", sheet, 2000)
    with zipguard.zipfile.ZipFile(shorter) as archive, shorter.open("rb") as raw:
        assert plainzip.inflated(raw, archive.getinfo(sheet)) is None  # not taken as it says
    with safety.applied(limits):
        scan = zipguard.scan_zip(shorter, limits, keep=xlsx._WORKBOOK, parsed=xlsx._calamine_reads)
    assert scan.problem is None and scan.sheets[sheet].cells <= 2000  # the declared bytes' tags
    extracted = extract_file(shorter, limits)
    assert not extracted.observations
    assert [p.code for p in extracted.problems] == ["E-UNREADABLE"]
    assert "larger than its declared uncompressed size" in extracted.problems[0].message
    small = hostile.good_xlsx(tmp_path / "a.xlsx")
    with zipguard.zipfile.ZipFile(small) as archive:
        size = archive.getinfo(sheet).file_size
    longer = _forged(small, tmp_path / "dai.xlsx", sheet, size + 100)
    with zipguard.zipfile.ZipFile(longer) as archive, longer.open("rb") as raw:
        assert plainzip.inflated(raw, archive.getinfo(sheet)) is None  # left to zipfile, as before
    assert extract_file(longer).observations == extract_file(small).observations


def test_a_small_part_read_straight_from_the_file_is_what_zipfile_reads(tmp_path: Path) -> None:
    """The zip guard decompresses small parts itself (`plainzip.inflated`): byte for byte what zipfile
    yields, stored or deflated, whatever the name's encoding; a part too big for that is left to
    zipfile."""
    import zipfile

    path = tmp_path / "a.xlsx"
    good_xlsx = hostile.good_xlsx(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good_xlsx) as good, zipfile.ZipFile(path, "w") as out:
        for info in good.infolist():
            out.writestr(info.filename, good.read(info), zipfile.ZIP_DEFLATED)
        out.writestr("xl/media/ảnh.xml", "<a>ảnh</a>", zipfile.ZIP_STORED)
        out.writestr("xl/to.xml", b"<a>" + bytes(zipguard._CHUNK) + b"</a>", zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
        for info in archive.infolist():
            small = plainzip.inflated(raw, info)
            if info.filename == "xl/to.xml":
                assert small is None
            else:
                assert small == archive.read(info), info.filename


def _variants(tmp_path: Path) -> dict[str, Path]:
    """One workbook as zips of other shapes: an archive comment, bytes before the zip, a part
    stored uncompressed, a name in cp437 and an extra field, a part too big to read in one go."""
    import zipfile

    good = hostile.good_xlsx(tmp_path / "good.xlsx")
    found = {"good": good}
    with zipfile.ZipFile(good) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    for kind in ("comment", "stored", "named", "big"):
        path = found[kind] = tmp_path / f"{kind}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in members:
                stored = kind == "stored" and info.filename.endswith("sheet1.xml")
                out.writestr(info.filename, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
            if kind == "comment":
                out.comment = b"egov"
            elif kind == "named":
                extra = zipfile.ZipInfo("docProps/ảnh.png")  # (cp437 unless UTF-8 is needed)
                extra.extra = b"\x99\x99\x02\x00ab"
                out.writestr(extra, b"png")
                out.writestr("xl/media/image1.png", b"png")
            elif kind == "big":
                out.writestr("customXml/item1.xml", b"<a>" + bytes(zipguard._CHUNK) + b"</a>")
                out.writestr("xl/big.xml", b"<a>" + bytes(zipguard._CHUNK) + b"</a>")
    found["prefixed"] = tmp_path / "prefixed.xlsx"
    found["prefixed"].write_bytes(b"MZ" * 100 + good.read_bytes())
    return found


def test_a_zip_s_directory_is_read_as_zipfile_reads_it_or_left_to_zipfile(tmp_path: Path) -> None:
    """The central directory is parsed once with struct (`plainzip`): the same parts, names, sizes
    and offsets as zipfile's, or nothing (zipfile then reads the file) for a zip it would read
    another way: an archive comment, bytes before the zip."""
    import zipfile

    from egovcli.ingest.readers import plainzip

    fields = ("filename", "orig_filename", "flag_bits", "compress_type", "CRC", "compress_size",
              "file_size", "header_offset")
    for kind, path in _variants(tmp_path).items():
        plain = plainzip.read(path)
        if kind in ("comment", "prefixed"):
            assert plain is None, kind
            continue
        assert plain is not None, kind
        with zipfile.ZipFile(path) as archive:
            expected = [tuple(getattr(info, f) for f in fields) for info in archive.infolist()]
        assert [tuple(getattr(m, f) for f in fields) for m in plain.members] == expected, kind
    assert plainzip.read(tmp_path / "prefixed.xlsx") is None
    (tmp_path / "short.xlsx").write_bytes(b"PK\x05\x06")
    assert plainzip.read(tmp_path / "short.xlsx") is None


def test_calamine_reads_the_parts_the_guard_checked_as_it_would_read_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """calamine is handed the zip again with the parsed parts stored as the guard checked them
    (`ZipScan.rebuilt`), so it never decompresses them twice: every workbook reads exactly as from
    the file — samples, zips of other shapes (some left to zipfile: no rebuilt zip), and a
    workbook calamine refuses (its error told by the file itself, as before)."""
    import zipfile

    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(_variants(tmp_path)["good"]) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = b"<workbook><sheets><sheet" if info.filename == "xl/workbook.xml" else source.read(info)
            out.writestr(info, data)
    samples = sorted(Path(__file__).parents[1].glob("samples/*/*.xlsx"))[:6]
    paths = [*_variants(tmp_path).values(), broken, *samples]
    rebuilt = {p.name: zipguard.scan_zip(p, safety.Limits(), keep=xlsx._WORKBOOK, parsed=xlsx._calamine_reads,
                                         rebuild=True).rebuilt is not None for p in paths}
    assert all(rebuilt[name] for name in ("good.xlsx", "stored.xlsx", "named.xlsx", samples[0].name))
    assert not rebuilt["big.xlsx"] and not rebuilt["comment.xlsx"] and not rebuilt["prefixed.xlsx"]
    fast = {p: repr(extract_file(p)) for p in paths}
    monkeypatch.setattr(zipguard.plainzip, "rebuilt", lambda plain, checked: None)
    assert {p: repr(extract_file(p)) for p in paths} == fast
    assert "E-UNREADABLE" in fast[broken]


def test_the_collector_paused_for_a_workbook_is_left_as_the_caller_had_it(tmp_path: Path) -> None:
    """The cyclic garbage collector is paused while a workbook is read (issue 15: its cells are in
    no cycle) and on again afterwards, whether the file is read, refused or broken; a caller who
    paused it finds it still paused."""
    import gc

    good = hostile.good_xlsx(tmp_path / "a.xlsx")
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(good.read_bytes()[:-40])
    for path in (good, broken):
        extract_file(path)
        assert gc.isenabled()
    gc.disable()
    try:
        assert extract_file(good).observations
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cells_are_located_where_they_are_when_workbooks_share_a_sheet_name_and_box(tmp_path: Path) -> None:
    """Locations are remembered by sheet name, first cell and box size (reports filled in from one
    template share them): the same sheet name and box size elsewhere on the sheet, or its rows and
    columns a box of another shape, are located where they are."""
    from openpyxl import Workbook

    def read(name: str, corner: tuple[int, int], rows: int, columns: int) -> list[list[tuple[str, str]]]:
        workbook = Workbook()
        workbook.active.title = "Phụ lục"
        for row in range(rows):
            for column in range(columns):
                workbook.active.cell(corner[0] + row, corner[1] + column, f"{row}.{column}")
        workbook.save(tmp_path / name)
        # few cells allowed: a box far from A1 is read from its used area, not padded from A1
        with safety.applied(safety.Limits(max_rows=100, max_cells=20)):
            (grid,) = xlsx.read(tmp_path / name).tables
        return [[(cell.text, cell.location) for cell in row] for row in grid]

    assert read("a.xlsx", (5, 3), 2, 2) == [[("0.0", "Phụ lục!C5"), ("0.1", "Phụ lục!D5")],
                                            [("1.0", "Phụ lục!C6"), ("1.1", "Phụ lục!D6")]]
    assert read("b.xlsx", (7, 3), 2, 2) == [[("0.0", "Phụ lục!C7"), ("0.1", "Phụ lục!D7")],
                                            [("1.0", "Phụ lục!C8"), ("1.1", "Phụ lục!D8")]]
    assert read("c.xlsx", (5, 5), 2, 2) == [[("0.0", "Phụ lục!E5"), ("0.1", "Phụ lục!F5")],
                                            [("1.0", "Phụ lục!E6"), ("1.1", "Phụ lục!F6")]]
    assert read("d.xlsx", (5, 3), 1, 4)[0][3] == ("0.3", "Phụ lục!F5")
    assert read("e.xlsx", (5, 3), 2, 2)[1][1] == ("1.1", "Phụ lục!D6")  # (remembered)


def test_remembered_cell_locations_stay_bounded_and_keep_the_newest_boxes() -> None:
    """A round of many templates (a national one) never grows the remembered locations past their
    bound, and a box that recurs after others is remembered again; a box too big is never held."""
    for top in range(3 * xlsx._PLACES_MAX):
        assert xlsx._places(["Phụ lục!C", "Phụ lục!D"], top, 2)[-1] == f"Phụ lục!D{top + 2}"
        assert len(xlsx._known_places) <= xlsx._PLACES_MAX
    assert ("Phụ lục!C", 2, 3 * xlsx._PLACES_MAX - 1, 2) in xlsx._known_places
    tall = xlsx._PLACES_CELLS  # (two columns: twice the cells a remembered box may have)
    assert len(xlsx._places(["Phụ lục!C", "Phụ lục!D"], 0, tall)) == 2 * tall
    assert ("Phụ lục!C", 2, 0, tall) not in xlsx._known_places
