"""The xlsx, docx and pdf extractors on real files built in tmp_path."""

from pathlib import Path

import pytest

from egovcli.ingest.readers import docx as docx_extractor
from egovcli.ingest.readers import pdf as pdf_extractor
from egovcli.ingest.readers import xlsx as xlsx_extractor
from egovcli.model import Extracted, Observation

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AGENCY = "Sở Tài chính tỉnh Hà Nam"
HEADER = ["TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá"]
LONG = 40  # numbered rows under II.1: enough to push the pdf table onto a second page


def _criteria_rows() -> list[list[str]]:
    """A Hà Nam-style criteria table: sections, a heading with sub-items, an unnumbered scored
    row under a heading (→ its number), a blank self-score and the grand total."""
    rows = [
        ["I", "HẠ TẦNG KỸ THUẬT CNTT", "", "20", "18"],
        ["1", "Tỷ lệ CBCCVC được trang bị máy tính", "Điểm = Tỷ lệ % x Điểm tối đa", "10", "10"],
        ["2", "Mạng LAN của cơ quan được lắp đặt đúng yêu cầu sau:", "", "", ""],
        ["2.1", "Phòng máy chủ", "Có: điểm tối đa Không: 0 điểm", "4", "4"],
        ["2.2", "Hệ thống an toàn chống sét lan truyền", "Có: điểm tối đa Không: 0 điểm", "6", "4"],
        ["II", "ỨNG DỤNG CNTT TRONG HOẠT ĐỘNG NỘI BỘ", "", str(2 * LONG + 3), str(2 * LONG - 1)],
        ["II.1", "Sử dụng Hệ thống Quản lý văn bản và điều hành", "", str(2 * LONG + 3), str(2 * LONG - 1)],
    ]
    for n in range(1, LONG + 1):
        self_score = "" if n == 5 else "2"
        label = f"Tỷ lệ văn bản loại {n} được số hóa trên hệ thống"
        rows.append([str(n), label, "Điểm = Tỷ lệ %", "2", self_score])
    rows += [
        [str(LONG + 1), "Thông tin tuyên truyền, phổ biến", "", "", ""],
        ["", "Tuyên truyền, phổ biến, hướng dẫn việc thực hiện pháp luật", "Cập nhật đủ: 3 điểm", "3", "1"],
        ["TỔNG (I+II)", "", "", str(2 * LONG + 23), str(2 * LONG + 17)],
    ]
    return rows


EXPECTED_PATHS = (
    ["I", "I.1", "I.2.1", "I.2.2", "II", "II.1"]
    + [f"II.1.{n}" for n in range(1, LONG + 2)]
    + ["TOTAL"]
)


def _scores(extracted: Extracted) -> dict[str, Observation]:
    """Self-score observations of the criteria table (not the "Tổng số điểm" line), by path."""
    table = [
        o for o in extracted.observations if o.kind == "self_score" and o.label != "Tổng số điểm đạt được"
    ]
    assert len({o.indicator for o in table}) == len(table), "one observation per criterion"
    return {o.indicator: o for o in table}


def _check_table(extracted: Extracted) -> dict[str, Observation]:
    """What every format must give for `_criteria_rows`."""
    assert extracted.agency == AGENCY
    assert extracted.period == "2022"
    scores = _scores(extracted)
    assert list(scores) == EXPECTED_PATHS
    leaves = [o for path, o in scores.items() if path.count(".") >= 1 and path not in ("II.1",)]
    assert sum(o.value or 0 for o in leaves) == 2 * LONG + 17 == scores["TOTAL"].value
    assert scores["II.1.5"].value is None and scores["II.1.5"].raw_value == ""
    assert scores["II.1.41"].ref == "" and scores["II.1.41"].label.startswith("Tuyên truyền")
    assert (scores["I.2.2"].max_points, scores["I.2.2"].value) == (6, 4)
    assert scores["II.1"].ref == "II.1" and scores["TOTAL"].max_points == 2 * LONG + 23
    data = {o.label: o for o in extracted.observations if o.kind == "data"}
    assert (data["Máy chủ"].value, data["Máy chủ"].unit) == (4, "chiếc")
    assert (data[DVC].value, data[DVC].denominator) == (27, 27)
    assert [o.value for o in extracted.observations if o.indicator == "TOTAL" and o.ref == ""] == [
        2 * LONG + 17
    ]
    return scores


DVC = (  # long enough to wrap in the pdf: read back as one line all the same
    "Số lượng dịch vụ công (DVC) trực tuyến đã triển khai cung cấp đạt mức 4 so với tổng số "
    "thủ tục hành chính (TTHC) của cơ quan"
)
PREAMBLE = [
    "SỞ TÀI CHÍNH",
    "BÁO CÁO",
    "Kết quả ứng dụng công nghệ thông tin năm 2022",
    "Căn cứ Nghị định số 42/2012/NĐ-CP ngày 24/6/2012 của Chính phủ;",
    "- Máy chủ: 04 chiếc",
    f"- {DVC}: 27/27 (100%) và không thu phí. Hồ sơ giải quyết thủ tục hành chính đã được số hóa.",
    f"Tên cơ quan, đơn vị: {AGENCY}",
    f"Tổng số điểm đạt được: {2 * LONG + 17}",
]


# --- docx -------------------------------------------------------------------------------------
def test_docx_paragraphs_tables_and_merged_cells(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in PREAMBLE:
        document.add_paragraph(text)
    rows = _criteria_rows()
    table = document.add_table(rows=len(rows) + 1, cols=5)
    for r, row in enumerate([HEADER, *rows]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    last = len(rows)
    total = table.cell(last, 0).merge(table.cell(last, 2))  # TỔNG spans TT..Cách tính
    total.text = "TỔNG (I+II)"
    method = table.cell(4, 2).merge(table.cell(5, 2))  # one "Cách tính" for 2.1 and 2.2
    method.text = "Có: điểm tối đa Không: 0 điểm"
    document.add_paragraph("Nơi nhận:")
    path = tmp_path / "bao-cao.docx"
    document.save(str(path))

    extracted = docx_extractor.extract(path)
    scores = _check_table(extracted)
    assert scores["I.1"].location == "bảng 1, dòng 3, cột 5"
    assert scores["TOTAL"].location == f"bảng 1, dòng {last + 1}, cột 5"
    assert scores["TOTAL"].label == "TỔNG (I+II)"  # merged text read once, not "TỔNG … TỔNG …"
    data = {o.label: o for o in extracted.observations if o.kind == "data"}
    assert data["Máy chủ"].location == "đoạn 5"
    assert extracted.problems == []


def test_docx_vertically_merged_score_is_read_once(tmp_path: Path) -> None:
    """One self-score printed for two rows (a vertical merge) is not counted for both."""
    import docx

    document = docx.Document()
    rows = [HEADER, ["1", "Phần mềm kế toán", "", "4", "8"], ["2", "Phần mềm tài sản", "", "4", ""]]
    table = document.add_table(rows=3, cols=5)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 4).merge(table.cell(2, 4)).text = "8"
    path = tmp_path / "gop-o.docx"
    document.save(str(path))

    scores = docx_extractor.extract(path).observations
    assert [(o.indicator, o.value, o.location) for o in scores] == [
        ("1", 8, "bảng 1, dòng 2, cột 5"), ("2", None, "bảng 1, dòng 3, cột 5"),
    ]


def _nested_docx(path: Path, depth: int) -> Path:
    """A report table (agency, computers) inside `depth` 1×1 layout tables, one inside another."""
    import docx

    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(depth - 1):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    table = cell.add_table(rows=2, cols=2)
    for r, (label, value) in enumerate([("Tên cơ quan, đơn vị", "Sở Y tế"), ("Tổng số máy tính", "35")]):
        table.cell(r, 0).text, table.cell(r, 1).text = label, value
    document.save(str(path))
    return path


def test_docx_layout_tables_are_opened_to_a_bounded_depth(tmp_path: Path) -> None:
    """Layout tables inside layout tables are opened up to MAX_LAYOUT_DEPTH levels; hostile nesting
    deeper than that is not followed (and beyond the XML parser's depth limit, refused as hostile)."""
    from egovcli.ingest import extract_file

    deepest = docx_extractor.MAX_LAYOUT_DEPTH
    read = docx_extractor.extract(_nested_docx(tmp_path / "long-nhau.docx", deepest))
    inside = " › ".join(["bảng 1"] * (deepest + 1))
    assert read.agency == "Sở Y tế"
    assert [(o.label, o.value, o.location) for o in read.observations][-1] == (
        "Tổng số máy tính", 35, f"{inside}, dòng 2, cột 2")
    for depth in (deepest + 1, 60):
        bounded = docx_extractor.extract(_nested_docx(tmp_path / f"sau-{depth}.docx", depth))
        assert (bounded.agency, bounded.observations) == (None, [])
    refused = extract_file(_nested_docx(tmp_path / "qua-sau.docx", 300))
    assert [(p.code, p.category) for p in refused.problems] == [("E-HOSTILE", "hostile")]
    assert not refused.observations


def test_docx_table_in_a_data_cell_is_part_of_its_answer(tmp_path: Path) -> None:
    """A table nested in a cell of a table with a header is that cell's answer, not a layout."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["TT", "Nội dung", "Số liệu"], ["1", "Số lượng máy chủ", "2"],
                             ["2", "Danh sách phần mềm", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    listed = table.cell(2, 2).add_table(rows=2, cols=1)
    listed.cell(0, 0).text, listed.cell(1, 0).text = "Phần mềm kế toán", "Phần mềm một cửa"
    path = tmp_path / "bang-trong-o.docx"
    document.save(str(path))
    observations = docx_extractor.extract(path).observations
    assert [(o.label, o.location) for o in observations] == [
        ("Số lượng máy chủ", "bảng 1, dòng 2, cột 3"), ("Danh sách phần mềm", "bảng 1, dòng 3, cột 3")]
    assert observations[1].raw_value == "Phần mềm kế toán Phần mềm một cửa"


# --- xlsx -------------------------------------------------------------------------------------
def test_xlsx_sheets_preamble_pairs_and_data_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append(["Bộ tiêu chí đánh giá, xếp hạng ứng dụng CNTT năm 2022"])
    sheet.append(["Tên cơ quan, đơn vị:", AGENCY])
    sheet.append(["- Máy chủ: 04 chiếc"])
    sheet.append([PREAMBLE[5]])
    sheet.append(["Tổng số điểm đạt được:", 2 * LONG + 17])
    sheet.append([])
    sheet.append(HEADER)
    for row in _criteria_rows():
        sheet.append([_number_or_text(text) for text in row])
    data = workbook.create_sheet("Số liệu")
    data.append(["TT", "Tên tiêu chí", "Sở Tài chính"])
    data.append(["I", "A- Thông tin chung về đơn vị", None])
    data.append([1, "Số lượng máy chủ (Server)", 2])
    data.append([2, "Tỷ lệ hồ sơ trực tuyến (%)", 84.96])
    data.append([3, "Kết nối mạng truyền số liệu chuyên dùng", "Không"])
    path = tmp_path / "phu-luc.xlsx"
    workbook.save(path)

    extracted = xlsx_extractor.extract(path)
    scores = _check_table(extracted)
    assert scores["I.1"].location == "Phụ lục!E9"
    assert scores["II.1.41"].location == f"Phụ lục!E{8 + len(_criteria_rows()) - 2}"
    rows = {o.label: o for o in extracted.observations if o.location.startswith("Số liệu!")}
    assert list(rows) == [
        "Số lượng máy chủ (Server)", "Tỷ lệ hồ sơ trực tuyến (%)", "Kết nối mạng truyền số liệu chuyên dùng",
    ]
    assert rows["Tỷ lệ hồ sơ trực tuyến (%)"].value == pytest.approx(84.96)
    assert rows["Tỷ lệ hồ sơ trực tuyến (%)"].location == "Số liệu!C4"
    assert rows["Kết nối mạng truyền số liệu chuyên dùng"].value == 0
    assert rows["Số lượng máy chủ (Server)"].ref == "1"


STRAY = "Số máy chủ dự phòng"


@pytest.mark.parametrize(("strays", "read_at"), [
    ({"XFD1048576": f"{STRAY}: 3"}, "XFD1048576"),  # the last cell of the sheet
    ({"A1048576": 21, "B1048576": STRAY, "C1048576": 3}, "C1048576"),  # a row at the bottom of the report
    ({"XFD1": f"{STRAY}: 3", "A1048576": 5}, "XFD1"),
])
def test_xlsx_stray_cells_far_away_are_read_not_refused(
    tmp_path: Path, strays: dict[str, object], read_at: str
) -> None:
    """Seed 000's workbook with stray cells at the far ends of the sheet: the limits count its real
    cells and rows (not the box up to XFD1048576), every value keeps its reference, and the stray
    cells are read too (a band of columns far from the report is a grid of its own)."""
    import shapes
    from openpyxl import load_workbook

    from egovcli.ingest.readers import safety

    plain = shapes.ha_tinh_xlsx(tmp_path / "ha-tinh.xlsx")
    workbook = load_workbook(plain)
    for ref, value in strays.items():
        workbook.active[ref] = value
    stray = tmp_path / "o-le-xa.xlsx"
    workbook.save(stray)
    with safety.applied(safety.Limits(max_rows=1_000, max_cells=10_000)):
        before, after = xlsx_extractor.extract(plain), xlsx_extractor.extract(stray)

    def seen(extracted: Extracted) -> set[tuple[str, str, float | None, str]]:
        return {(o.label, o.raw_value, o.value, o.location) for o in extracted.observations}

    assert (after.agency, after.period, after.problems) == (before.agency, before.period, [])
    assert len(seen(before)) > 100
    assert seen(after) - seen(before) == {(STRAY, "3", 3, f"Số liệu 6 tháng!{read_at}")}
    assert seen(before) < seen(after)


def test_xlsx_limits_count_real_cells_and_rows(tmp_path: Path) -> None:
    """The zip guard counts a sheet's real cells and rows: two cells far apart are two cells (their
    box is measured apart), a sheet of 104 000 real cells is over a 100 000-cell limit."""
    from openpyxl import Workbook

    from egovcli.ingest.readers import safety, zipguard

    workbook = Workbook()
    workbook.active["A1"], workbook.active["XFD1048576"] = 1, 2
    workbook.save(tmp_path / "hai-o.xlsx")
    scan = zipguard.scan_zip(tmp_path / "hai-o.xlsx", safety.Limits(max_rows=10, max_cells=10))
    ((_part, area),) = scan.sheets.items()
    assert scan.problem is None
    assert (area.cells, area.rows, area.box_rows, area.box_cells) == (2, 2, 1_048_576, 1_048_576 * 16_384)

    wide = Workbook(write_only=True)
    sheet = wide.create_sheet("Dữ liệu")
    for _ in range(800):
        sheet.append([1] * 130)
    wide.save(tmp_path / "nhieu-o.xlsx")
    limits = safety.Limits(max_rows=2_000, max_cells=100_000)
    refused = zipguard.scan_zip(tmp_path / "nhieu-o.xlsx", limits).problem
    assert refused is not None and refused.code == "E-TOO-LARGE"
    assert "800 dòng, 104000 ô" in refused.message


def test_xlsx_read_cell_by_cell_gives_calamines_values(tmp_path: Path) -> None:
    """A sheet read from its XML (`sheetxml`) gives each cell the text calamine gives it: strings,
    whole and decimal numbers, booleans, dates in built-in and custom formats, formula results,
    merged ranges."""
    import datetime as dt
    import zipfile

    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from egovcli.ingest.readers import sheetxml

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet.append(["Tên cơ quan, đơn vị:", "Sở Y tế", "Sở Y tế"])  # a repeated shared string
    sheet.append(["Tỷ lệ", 84.96, 0.1])
    sheet.append(["Máy chủ", 4, True])
    sheet.append(["Ngày báo cáo", dt.date(2023, 1, 5), dt.datetime(2022, 12, 31, 0, 0)])
    sheet["C4"].number_format = "dd/mm/yyyy"
    sheet.append(["Tổng", "=B3+1", "có"])
    sheet.merge_cells("A6:C6")
    sheet["A6"] = "Ghi chú"
    path = tmp_path / "kieu-o.xlsx"
    workbook.save(path)

    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Số liệu").to_python()
    with zipfile.ZipFile(path) as archive:
        parts = sheetxml.parts(archive)
        read = sheetxml.read_sheet(archive, parts.sheets["Số liệu"], parts)
    for r, row in enumerate(calamine):
        for c, value in enumerate(row):
            assert xlsx_extractor._text(read.cells.get((r, c), "")) == xlsx_extractor._text(value), (r, c)
    assert read.merged == [((5, 0), (5, 2))]


def _number_or_text(text: str) -> int | str | None:
    return int(text) if text.isdigit() else (text or None)


# --- pdf --------------------------------------------------------------------------------------
def _pdf(path: Path, repeat_header: bool) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("vi", fontName="DejaVu", fontSize=8, leading=10)
    data = [[Paragraph(text, style) for text in row] for row in [HEADER, *_criteria_rows()]]
    table = Table(data, colWidths=[60, 190, 120, 60, 70], repeatRows=1 if repeat_header else 0)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    story = [Paragraph(text, style) for text in PREAMBLE] + [table]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header-on-page-2"])
def test_pdf_table_stitched_across_pages(tmp_path: Path, repeat_header: bool) -> None:
    path = tmp_path / "bao-cao.pdf"
    _pdf(path, repeat_header)

    extracted = pdf_extractor.extract(path)
    scores = _check_table(extracted)
    assert scores["I.1"].location == "trang 1, bảng 1, dòng 3, cột 5"
    pages = [int(o.location.split(",")[0].removeprefix("trang ")) for o in scores.values()]
    assert pages == sorted(pages) and pages[-1] >= 2  # one logical table over 2+ pages,
    assert not scores[f"II.1.{LONG + 1}"].location.startswith("trang 1,")  # still in section II.1
    data = {o.label: o for o in extracted.observations if o.kind == "data"}
    assert data["Máy chủ"].location == "trang 1, dòng 5"
    assert data[DVC].location == "trang 1, dòng 6"
    assert data["Tên cơ quan, đơn vị"].location == "trang 1, dòng 8"  # DVC took lines 6 and 7


# --- round trip through samples/generate.py ------------------------------------------------------
EXTRACTORS = {"docx": docx_extractor.extract, "xlsx": xlsx_extractor.extract, "pdf": pdf_extractor.extract}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_generated_seed_004_round_trip(tmp_path: Path, fmt: str) -> None:
    from samples.generate import WRITERS, seed_004_spec

    path = tmp_path / f"so-tai-chinh.{fmt}"
    WRITERS[fmt](seed_004_spec(), path)
    extracted = EXTRACTORS[fmt](path)
    assert (extracted.agency, extracted.period, extracted.problems) == (AGENCY, "2022", [])
    scores = [o for o in extracted.observations if o.kind == "self_score"]
    assert [(o.value, o.max_points) for o in scores if o.indicator == "TOTAL"] == [(496, 500), (496, 500)]
    leaves = [o for o in scores if o.indicator != "TOTAL" and o.ref[:1] not in ("I", "V")]
    assert len(leaves) == 82 and sum(o.value or 0 for o in leaves) == 496
    assert len({o.indicator for o in leaves}) == 82
    servers = [o for o in extracted.observations if o.label == "Máy chủ"]
    assert [(o.value, o.unit) for o in servers] == [(4, "chiếc")]
