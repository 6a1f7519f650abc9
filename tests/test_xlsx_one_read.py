"""An .xlsx is read from one scan of its zip (issue 15): the zip guard checks in full the parts
calamine parses, only the prolog of the XML parts nobody parses (themes, drawings, properties),
hands the reader the workbook's parts, and notes the sheets with formulas — only those are read
again for formulas saved without a value."""

from __future__ import annotations

from pathlib import Path

import hostile

from egovcli.ingest.extract import extract_file
from egovcli.ingest.readers import safety, xlsx, zipguard

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
    assert scan.problem is None and set(scan.parts) == set(xlsx._WORKBOOK)
    assert {part: area.formulas for part, area in scan.sheets.items()} == {
        "xl/worksheets/sheet1.xml": False, "xl/worksheets/sheet2.xml": True,
    }
    # openpyxl saves no cached value: the formula is said where it is, as before
    codes = [(p.code, p.location) for p in extract_file(tmp_path / "a.xlsx").problems]
    assert ("W-FORMULA-NO-VALUE", "Tính!B1") in codes


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
