# ruff: noqa: E501  (seed rows quoted verbatim)
"""Issue 11, items 6 and 13: every row found is kept. A value cell left blank is an explicit missing
value (raw value "", no value), text such as "Đang xây dựng" stays text (a W-UNPARSED-VALUE at its
cell when a number was expected), only an explicit 0 / "Không" is 0, and the raw text is kept
exactly as submitted ("-2+3" is never "2+3"). Each layout path is checked on a seed's shape
(tests/shapes.py), then through the workspace (storage, `egov indicators`, supersession)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapes
from helpers import statuses, table_observations

from egovcli import api
from egovcli.ingest import ingest_folder
from egovcli.ingest.layout import TextLine, interpret
from egovcli.ingest.layout.cells import Cell
from egovcli.model import SourcedObservation
from egovcli.problems import Problem
from egovcli.score.engine import collect_inputs
from egovcli.workspace import Workspace


def _grid(rows: list[list[str]], sheet: str = "S") -> list[list[Cell]]:
    return [[Cell(text, f"{sheet}!{chr(65 + c)}{r}") for c, text in enumerate(row)] for r, row in enumerate(rows, 1)]


def _lines(*texts: str) -> list[TextLine]:
    return [TextLine(text, f"đoạn {n}") for n, text in enumerate(texts, 1)]


# --- data tables ---------------------------------------------------------------------------------
HA_TINH_C = [  # seed 000, section C: TT | Tên tiêu chí | <agency>, rows left blank between filled ones
    ["TT", "Tên tiêu chí", "Sở Xây dựng"],
    ["III", "C- Về nhân lực CNTT", ""],
    ["1", "Số cán bộ chuyên trách CNTT có trình độ thạc sỹ trở lên về chuyên ngành CNTT", ""],
    ["2", "Số cán bộ chuyên trách CNTT có trình độ đại học chuyên ngành CNTT", "1"],
    ["3", "Số cán bộ chuyên trách CNTT được hưởng chính sách theo Nghị quyết 93/2014/NQ-HĐND của tỉnh", ""],
    ["IV", "D- Về môi trường chính sách", ""],
    ["8", "Thực hiện chi trả đầy đủ chế độ đặc thù cho cán bộ chuyên trách CNTT theo NQ 93/2014/NQ-HĐND và QĐ 60/2014/QĐ-UBND", ""],
]


def test_a_raw_data_row_left_blank_is_kept_as_missing_not_dropped() -> None:
    observations = table_observations(_grid(HA_TINH_C))
    assert [(o.ref, o.raw_value, o.value, o.location) for o in observations] == [
        ("1", "", None, "S!C3"), ("2", "1", 1, "S!C4"), ("3", "", None, "S!C5"), ("8", "", None, "S!C7"),
    ]
    assert observations[0].label == HA_TINH_C[2][1]


def test_a_numbered_heading_over_its_sub_rows_is_no_blank() -> None:
    """Seed 003 (Tuyên Quang, 5.DVCTT and 7.Nhan luc): "3 Dịch vụ công … mức độ 3,4:" heads the rows
    under it; the rows under it with a unit and no figure are blanks; "Nếu có:" asks for nothing."""
    rows = [
        ["TT", "Nội dung/tiêu chí", "Đơn vị tính", "Số liệu"],
        ["3", "Dịch vụ công trực tuyến (DVCTT) mức độ 3,4:", "", ""],
        ["", "- Tổng số dịch vụ công trực tuyến mức độ 3,4:", "dịch vụ", "89"],
        ["", "- Tổng số hồ sơ đã được tiếp nhận, giải quyết trực tuyến (hồ sơ trực tuyến) qua các DVCTT mức độ 3,4 trong năm:", "hồ sơ", ""],
        ["", "Nếu có:", "", ""],
        ["1.2", "Trình độ chuyên môn nghiệp vụ của CBCCVC chuyên trách/phụ trách CNTT, ATTT (văn bằng trong lĩnh vực CNTT):", "", ""],
        ["", "Tiến sỹ:", "người", ""],
        ["", "Đại học:", "người", "3"],
    ]
    found = [(o.raw_value, o.value, o.unit, o.location) for o in table_observations(_grid(rows))]
    assert found == [
        ("89", 89, "dịch vụ", "S!D3"), ("", None, "hồ sơ", "S!D4"), ("", None, "người", "S!D7"), ("3", 3, "người", "S!D8"),
    ]
    # 3.UDCNTT: "c" over its roman sub-items "i", "ii" (siblings of each other); "h" then "i" are siblings
    lettered = [["TT", "Nội dung", "Số liệu"], ["c", "Sử dụng Hệ thống QLVBDH như thế nào", ""],
                ["i", "Để phục vụ công tác chỉ đạo điều hành", ""], ["ii", "Để xử lý hồ sơ", "1"],
                ["h", "Mục h", ""], ["i", "Mục i", "2"]]
    assert [(o.ref, o.raw_value) for o in table_observations(_grid(lettered))] == [
        ("i", ""), ("ii", "1"), ("h", ""), ("i", "2")]


def test_text_in_a_value_cell_stays_text_and_a_legend_names_its_answers() -> None:
    """Seed 003: "Đang triển khai" in a count row and "Đang xây dựng" in the note column of a 1/0 row
    are text (never 0); "Chưa có" answering a "1/0 (1: Có; 0: Chưa có)" row is its legend's 0."""
    rows = [
        ["TT", "Nội dung/tiêu chí", "Đơn vị tính", "Số liệu", "Ghi chú"],
        ["1", "Tổng số DVCTT đã kết nối/tích hợp lên Cổng dịch vụ công của tỉnh", "dịch vụ", "Đang triển khai", ""],
        ["4", "Quy chế đảm bảo an toàn thông tin trong hoạt động ứng dụng CNTT", "1/0 (1: Có; 0: Không)", "", "Đang xây dựng"],
        ["5", "Quản lý nhân sự", "1/0 (1: Có; 0: Chưa có)", "Chưa có", ""],
        ["6", "Tình hình tích hợp chữ ký số", "1/0 (1: Đã tích hợp; 0: Chưa tích hợp)", "Đã tích hợp", ""],
        ["7", "Kế hoạch ứng dụng CNTT giai đoạn 5 năm", "1/0 (1: Có; 0: Không)", "0", ""],
    ]
    found = [(o.raw_value, o.value, o.location) for o in table_observations(_grid(rows))]
    assert found == [
        ("Đang triển khai", None, "S!D2"), ("Đang xây dựng", None, "S!E3"), ("Chưa có", 0, "S!D4"),
        ("Đã tích hợp", 1, "S!D5"), ("0", 0, "S!D6"),
    ]


def test_a_tick_table_row_with_no_box_ticked_is_blank_not_no() -> None:
    """Seed 002 (Bình Định, MỤC 7): Có | Không columns; a row with neither ticked was not answered."""
    rows = [
        ["TT", "Nội dung", "Có", "Không"],
        ["1", "Xây dựng Quy chế bảo đảm an toàn thông tin trong cơ quan", "☒", "□"],
        ["2", "Xây dựng Quy chế giám sát an toàn thông tin trong cơ quan (cộng điểm khuyến khích)", "□", "□"],
        ["4", "Giải pháp quản lý truy cập máy chủ, máy trạm", "□", "☒"],
    ]
    found = [(o.ref, o.raw_value, o.value, o.location) for o in table_observations(_grid(rows))]
    assert found == [("1", "☒", 1, "S!C2"), ("2", "", None, "S!C3"), ("4", "☒", 0, "S!D4")]


def test_a_year_column_left_blank_beside_a_filled_one_is_kept() -> None:
    """Seed 002's budget table (Năm 2018 | 2019): a blank 2019 cell is 2019's missing value, so the
    2019 report never takes the 2018 figure for its own (even when no 2019 cell is filled at all)."""
    rows = [
        ["TT", "Nội dung", "ĐVT", "Năm 2018", "Năm 2019"],
        ["1", "Tổng chi ngân sách của cơ quan cho ứng dụng CNTT trong năm", "Tr.đ", "350", ""],
    ]
    observations = table_observations(_grid(rows))
    assert [(o.raw_value, o.value, o.note, o.location) for o in observations] == [
        ("350", 350, "Năm 2018", "S!D2"), ("", None, "Năm 2019", "S!E2"),
    ]
    for obs in observations:
        obs.indicator = "it_budget"
    budget = collect_inputs([SourcedObservation("Sở Tư pháp", "department", "2019", "a.docx", o) for o in observations])
    assert (budget["it_budget"].value, budget["it_budget"].location) == (None, "S!E2")  # 2019's own: blank


def test_criteria_table_blank_or_dash_self_score_is_missing_and_text_is_flagged() -> None:
    rows = [
        ["TT", "Nội dung", "Điểm tối đa", "Điểm tự đánh giá"],
        ["I", "HẠ TẦNG KỸ THUẬT", "50", ""],
        ["1", "Tỷ lệ máy tính", "10", ""],
        ["2", "Tỷ lệ máy tính kết nối", "10", "-"],
        ["3", "Mạng LAN", "5", "Đạt"],
        ["4", "Máy chủ", "5", "0"],
    ]
    extracted = interpret([], [_grid(rows)], source="phu-luc.xlsx")
    scores = {o.indicator: (o.raw_value, o.value) for o in extracted.observations}
    assert scores == {"I": ("", None), "I.1": ("", None), "I.2": ("-", None), "I.3": ("Đạt", None), "I.4": ("0", 0)}
    assert [(p.code, p.file, p.location) for p in extracted.problems] == [("W-UNPARSED-VALUE", "phu-luc.xlsx", "S!D5")]


def test_a_negative_count_under_a_unit_column_is_impossible_but_kept() -> None:
    rows = [["TT", "Nội dung", "Đơn vị tính", "Số liệu"], ["1", "Số lượng máy chủ", "chiếc", "-2"], ["2", "Tăng trưởng", "%", "-5"]]
    extracted = interpret([], [_grid(rows)], source="a.xlsx")
    assert [(o.raw_value, o.value) for o in extracted.observations] == [("-2", -2), ("-5", -5)]
    assert [(p.code, p.location) for p in extracted.problems] == [("W-IMPOSSIBLE-VALUE", "S!D2")]
    assert "số lượng âm (-2 chiếc)" in extracted.problems[0].message


# --- lines and forms -------------------------------------------------------------------------------
def test_lines_keep_signs_blanks_and_not_yet_text() -> None:
    """Seed 002 and 004 line shapes: the raw value is kept exactly, a sum is text, a field left as
    dot leaders (with or without its unit) and a question with no box ticked are blanks."""
    extracted = interpret(_lines(
        "- Máy chủ: -2+3",
        "- Số máy in: -2",
        "5. Tổng số máy quét:………… chiếc",
        "+ Số lượng CBCCVC có chứng chỉ về Quản trị cơ sở dữ liệu (MCDBA, OCA, OCM, OCP…):…….",
        "Trang thông tin điện tử: Đang xây dựng",
        "Phần mềm quản lý văn bản: Chưa triển khai",
        "Phòng họp trực tuyến: Không",
        "d. Hệ thống an toàn chống sét tại phòng máy chủ: □ Có □ Không",
    ), [], source="bao-cao.docx")
    found = [(o.label, o.raw_value, o.value, o.unit) for o in extracted.observations]
    assert found == [
        ("Máy chủ", "-2+3", None, ""),  # the label loses its bullet, the value keeps its sign
        ("Số máy in", "-2", -2, ""),
        ("Tổng số máy quét", "", None, "chiếc"),
        ("Số lượng CBCCVC có chứng chỉ về Quản trị cơ sở dữ liệu (MCDBA, OCA, OCM, OCP…)", "", None, ""),
        ("Trang thông tin điện tử", "Đang xây dựng", None, ""),
        ("Phần mềm quản lý văn bản", "Chưa triển khai", None, ""),
        ("Phòng họp trực tuyến", "Không", 0, ""),  # only an explicit "Không" is 0
        ("Hệ thống an toàn chống sét tại phòng máy chủ", "", None, ""),
    ]


def test_a_box_option_not_there_yet_is_still_the_forms_no() -> None:
    """Seed 002 mục 5.2: ticking the form's own "Chưa triển khai" option answers no."""
    extracted = interpret(_lines("2. Triển khai ứng dụng chữ ký số: □ Đã triển khai ☒ Chưa triển khai"), [])
    assert [(o.raw_value, o.value) for o in extracted.observations] == [("□ Đã triển khai ☒ Chưa triển khai", 0)]


# --- through the workspace -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def tuyen_quang(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, list[Problem]]]:
    """Seed 003's annex ingested into a workspace: the workspace and the file's problems."""
    folder = tmp_path_factory.mktemp("tq") / "reports"
    folder.mkdir()
    shapes.tuyen_quang_xlsx(folder / "phu-luc-quy-1.xlsx")
    with Workspace(folder.parent / "ws.sqlite") as ws:
        (result,) = ingest_folder(folder, ws, jobs=1).files
        yield ws, result.problems


def test_blank_rows_are_stored_and_listed_by_egov_indicators(
    tuyen_quang: tuple[Workspace, list[Problem]],
) -> None:
    ws, _ = tuyen_quang
    rows = {row.location: row.as_dict() for row in api.indicator_rows(ws)}
    replies = rows["4.Website!D12"]  # "b Ý kiến xử lý, phản hồi … | tin/bài | (blank)"
    assert (replies["indicator"], replies["raw_value"], replies["value"], replies["unit"]) == (
        "portal_feedback_replies", "", None, "tin/bài")
    training = rows["7.Nhan luc!D9"]  # "Tiến sỹ: | người | (blank)"
    assert (training["raw_value"], training["value"]) == ("", None)


def test_text_mapped_to_an_indicator_is_a_warning_at_its_cell(
    tuyen_quang: tuple[Workspace, list[Problem]],
) -> None:
    ws, problems = tuyen_quang
    unparsed = {p.location: p for p in problems if p.code == "W-UNPARSED-VALUE"}
    assert {"5.DVCTT!D10", "6.Chinh sach!E8"} <= set(unparsed)  # "Đang triển khai", "Đang xây dựng"
    assert unparsed["5.DVCTT!D10"].file == "phu-luc-quy-1.xlsx"
    assert "'Đang triển khai'" in unparsed["5.DVCTT!D10"].message and "không tính là 0" in unparsed["5.DVCTT!D10"].message
    assert "4.Website!D12" not in unparsed  # a blank is missing, not unreadable
    inputs = collect_inputs(ws.observations())
    assert (inputs["dvc_provincial_portal"].value, inputs["dvc_provincial_portal"].text) == (None, "Đang triển khai")


def _hatinh_table(path: Path, values: list[str]) -> Path:
    """An xlsx annex shaped like seed 000 (TT | Tên tiêu chí | <agency>) for Sở Xây dựng, 2020."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO ĐÁNH GIÁ MỨC ĐỘ XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ NĂM 2020"])
    ws.append(["TT", "Tên tiêu chí", "Sở Xây dựng"])
    ws.append(["1", "Tên đơn vị", "Sở Xây dựng"])
    labels = ["Số lượng máy tính để bàn (PC) tại đơn vị:", "Số lượng máy tính xách tay (laptop)",
              "Số lượng máy chủ (Server)", "Số lượng máy in", "Số lượng máy Scan đang hoạt động"]
    for number, (label, value) in enumerate(zip(labels, values, strict=True), 2):
        ws.append([str(number), label, value or None])
    wb.save(path)
    return path


def test_a_later_file_with_its_value_cells_blank_does_not_supersede_the_figures(tmp_path: Path) -> None:
    """The same form sent again with its value cells empty (a template by mistake) reports nothing:
    the earlier file's figures still count, and the blanks never stand in for them."""
    reports = tmp_path / "reports"
    reports.mkdir()
    figures = _hatinh_table(reports / "so-lieu.xlsx", ["34", "6", "2", "31", "2"])
    template = _hatinh_table(reports / "so-lieu-mau.xlsx", ["", "", "", "", ""])
    os.utime(figures, (1_000, 1_000))
    os.utime(template, (2_000, 2_000))
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports, ws, jobs=1)
        assert {name: status for name, (status, _) in statuses(ws).items()} == {
            "so-lieu.xlsx": "ok", "so-lieu-mau.xlsx": "ok"}
        inputs = collect_inputs(ws.observations())
        assert (inputs["desktops"].value, inputs["desktops"].source_file) == (34, "so-lieu.xlsx")
        assert (inputs["servers"].value, inputs["servers"].location) == (2, "Sheet!C6")
