# ruff: noqa: E501  (expected labels and values are quoted verbatim from the seeds, one per line)
"""Every report shape in the seeds, read back from files built from the seed text (tests/shapes.py):
at least 20 values per shape checked against the seed (label → value, unit, location), the agency,
the period, the document date, and the problems each quirk must raise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapes
from helpers import table_observations

from egovcli.indicators import Matcher
from egovcli.ingest.layout.cells import Cell
from egovcli.ingest.readers import docx as docx_extractor
from egovcli.ingest.readers import xlsx as xlsx_extractor
from egovcli.model import Extracted, Observation

Expected = tuple[str, str, float | None, str]  # label, raw value, value, unit


def _extract(tmp_path_factory: pytest.TempPathFactory, write: Callable[[Path], Path], name: str) -> Extracted:
    path = write(tmp_path_factory.mktemp("shape") / name)
    reader = xlsx_extractor if path.suffix == ".xlsx" else docx_extractor
    return reader.extract(path)


def _at(extracted: Extracted, location: str, label: str | None = None) -> Observation:
    found = [o for o in extracted.observations if o.location == location and label in (None, o.label)]
    assert len(found) == 1, f"{location}: {found}"
    return found[0]


def _check(extracted: Extracted, expected: dict[str, Expected]) -> None:
    """Each location holds one data observation with the label, raw value, value and unit given."""
    assert len(expected) >= 20
    for location, (label, raw, value, unit) in expected.items():
        obs = _at(extracted, location, label)
        assert (obs.kind, obs.label, obs.raw_value, obs.unit) == ("data", label, raw, unit), location
        assert obs.value == pytest.approx(value) if value is not None else obs.value is None, location


def _paragraph(blocks: list[Any], start: str) -> str:
    """Location of the paragraph of `blocks` starting with `start` ("đoạn N": paragraphs only)."""
    paragraphs = [b.removeprefix(shapes.IN_CONTENT_CONTROL) for b in blocks if isinstance(b, str)]
    return f"đoạn {next(n for n, text in enumerate(paragraphs, 1) if text.startswith(start))}"


def _table(blocks: list[Any], first_cell: str) -> int:
    tables = [b for b in blocks if not isinstance(b, str)]
    return next(n for n, (rows, _) in enumerate(tables, 1) if rows[0][0] == first_cell)


# --- seed 000: Hà Tĩnh raw-data form, as xlsx and as docx ---------------------------------------------
HA_TINH_ROWS = shapes.rows_of(shapes.HA_TINH_TABLE)
HA_TINH: list[tuple[str, str, str, float | None]] = [  # seed label, label read, raw value, value
    ("Tên đơn vị", "Tên đơn vị", "Sở Xây dựng", None),
    ("Họ tên Giám đốc:", "Họ tên Giám đốc", "Trần Xuân Tiến", None),
    ("Số cán bộ chuyên trách CNTT", "Số cán bộ chuyên trách CNTT", "3", 3),
    ("Số cán bộ công chức:", "Số cán bộ công chức", "36", 36),
    ("Tổng số CBCCVC tại các đơn vị sự nghiệp:", "Tổng số CBCCVC tại các đơn vị sự nghiệp", "17", 17),
    ("Địa chỉ Cổng TTĐT:", "Địa chỉ Cổng TTĐT", "https://soxaydung.hatinh.gov.vn", None),
    ("Số TTHC:", "Số TTHC", "38", 38),
    ("Số lượng máy tính để bàn (PC) tại đơn vị:", "Số lượng máy tính để bàn (PC) tại đơn vị", "34", 34),
    ("Số lượng máy chủ (Server)", "Số lượng máy chủ (Server)", "2", 2),
    ("Kết nối mạng truyền số liệu chuyên dùng", "Kết nối mạng truyền số liệu chuyên dùng", "Không", 0),
    ("Số lượng máy in", "Số lượng máy in", "31", 31),
    ("Số lượng máy Scan bị hỏng từ 1-3 tháng/năm", "Số lượng máy Scan bị hỏng từ 1-3 tháng/năm", "0", 0),
    ("Hệ thống tường lửa/ giám sát truy nhập trái phép, bảo vệ an toàn mạng LAN",
     "Hệ thống tường lửa/ giám sát truy nhập trái phép, bảo vệ an toàn mạng LAN", "Có", 1),
    ("Phòng họp trực tuyến", "Phòng họp trực tuyến", "Không", 0),
    ("Số cán bộ chuyên trách CNTT có trình độ đại học chuyên ngành CNTT",
     "Số cán bộ chuyên trách CNTT có trình độ đại học chuyên ngành CNTT", "1", 1),
    ("Quyết định bổ nhiệm/ phân công Lãnh đạo phụ trách CNTT-CIO",
     "Quyết định bổ nhiệm/ phân công Lãnh đạo phụ trách CNTT-CIO",
     "Có (Quyết định số 109/QĐ-SXD ngày 19/11/2018.)", 1),
    ("Tổng kinh phí chi cho CNTT trong năm (Triệu đồng)", "Tổng kinh phí chi cho CNTT trong năm (Triệu đồng)",
     "87", 87),
    ("Số lượng Kế hoạch/ lịch công tác hàng tháng", "Số lượng Kế hoạch/ lịch công tác hàng tháng",
     "250 (lịch công tác trong 6 tháng)", 250),
    ("Số lượng DVC TT mức độ 3", "Số lượng DVC TT mức độ 3", "23", 23),
    ("Số văn bản đến được số hóa và quản lý trong Hệ thống QLVB&ĐH",
     "Số văn bản đến được số hóa và quản lý trong Hệ thống QLVB&ĐH", "4356", 4356),
    ("Số hồ sơ được tiếp nhận và giải quyết đúng hạn", "Số hồ sơ được tiếp nhận và giải quyết đúng hạn",
     "792 (còn 117 HS đang giải quyết chưa đến hạn).", 792),
    ("Phần mềm kế toán và quản lý tài sản công", "Phần mềm kế toán và quản lý tài sản công", "Có", 1),
    ("Số phần mềm quản lý nghiệp vụ chuyên ngành", "Số phần mềm quản lý nghiệp vụ chuyên ngành", "9", 9),
    ("Số hồ sơ nộp trực tuyến mức độ 3", "Số hồ sơ nộp trực tuyến mức độ 3", "78", 78),
    ("hồ sơ nộp qua DVC trực tuyến mức độ 3 và 4 liên thông từ cấp huyện",
     "hồ sơ nộp qua DVC trực tuyến mức độ 3 và 4 liên thông từ cấp huyện", "0", 0),
]
HA_TINH_LIST = next(row for row in HA_TINH_ROWS if row[1] == "Số CSDL chuyên ngành đang sử dụng")


def _ha_tinh_row(label: str) -> int:
    return next(index for index, row in enumerate(HA_TINH_ROWS) if row[1] == label)


HA_TINH_FORMATS = {
    "xlsx": (shapes.ha_tinh_xlsx, lambda r: f"Số liệu 6 tháng!C{shapes.ha_tinh_first_row() + r}"),
    "docx": (shapes.ha_tinh_docx, lambda r: f"bảng 1, dòng {r + 1}, cột 3"),
    # the form inside a page-wide layout table, and inside a letterhead | motto table inside that
    "docx-in-layout": (shapes.ha_tinh_docx_in_layout, lambda r: f"bảng 1 › bảng 1, dòng {r + 1}, cột 3"),
    "docx-in-two-layouts": (lambda path: shapes.ha_tinh_docx_in_layout(path, depth=2),
                            lambda r: f"bảng 1 › bảng 1 › bảng 1, dòng {r + 1}, cột 3"),
}


@pytest.fixture(scope="module", params=list(HA_TINH_FORMATS))
def ha_tinh(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Extracted, Any]:
    write, locate = HA_TINH_FORMATS[request.param]
    return _extract(tmp_path_factory, write, f"ha-tinh-{request.param}.{request.param[:4]}"), locate


def test_ha_tinh_values_agency_period(ha_tinh: tuple[Extracted, Any]) -> None:
    extracted, locate = ha_tinh
    assert (extracted.agency, extracted.period, extracted.doc_date) == ("Sở Xây dựng", "2020", None)
    assert extracted.problems == []
    _check(extracted, {locate(_ha_tinh_row(seed)): (label, raw, value, "") for seed, label, raw, value in
                       HA_TINH})
    quyet_dinh = _at(extracted, locate(_ha_tinh_row(HA_TINH[15][0])))
    assert quyet_dinh.note == "Quyết định số 109/QĐ-SXD ngày 19/11/2018" and quyet_dinh.ref == "1"


def test_ha_tinh_one_observation_per_row(ha_tinh: tuple[Extracted, Any]) -> None:
    """Section rows (one merged across the table, one in the TT cell) and the signature block give
    nothing; a numbered row left blank is kept, explicitly missing (raw value "", no value, never
    0: issue 11.6); a value merged over two labelled rows answers both, located at the merged cell."""
    extracted, locate = ha_tinh
    numbered = [r for r, (tt, _, _) in enumerate(HA_TINH_ROWS) if tt.isdigit()]
    blank = [r for r in numbered if not HA_TINH_ROWS[r][2]]
    assert len(blank) == 9  # C.1, C.3, C.4, C.6, C.7, C.10, C.12, C.13, D.8
    merged_top = _ha_tinh_row(shapes.HA_TINH_MERGED_DOWN[0])
    merged_below = _ha_tinh_row(shapes.HA_TINH_MERGED_DOWN[1])
    assert sorted(o.location for o in extracted.observations) == sorted(
        locate(merged_top if r == merged_below else r) for r in numbered
    )
    for r in blank:
        obs = _at(extracted, locate(r))
        assert (obs.label, obs.raw_value, obs.value) == (HA_TINH_ROWS[r][1], "", None)
    below = _at(extracted, locate(merged_top), shapes.HA_TINH_MERGED_DOWN[1])
    assert (below.raw_value, below.value) == ("Có", 1.0)
    assert {o.kind for o in extracted.observations} == {"data"}


def test_ha_tinh_multi_line_cells_keep_label_and_value_whole(ha_tinh: tuple[Extracted, Any]) -> None:
    extracted, locate = ha_tinh
    listed = _at(extracted, locate(_ha_tinh_row(HA_TINH_LIST[1])))
    assert listed.raw_value == HA_TINH_LIST[2]  # five items on five lines of the cell, read as printed
    assert listed.raw_value.startswith("1. Phần mềm quản trị thông tin Quy hoạch Xây dựng")
    broken = _at(extracted, locate(_ha_tinh_row("Số lượng máy Scan bị hỏng từ 1-3 tháng/năm")))
    assert broken.label == "Số lượng máy Scan bị hỏng từ 1-3 tháng/năm"


# --- seed 003: Tuyên Quang quarterly annex (xlsx) and its covering report (docx) ---------------------
def _tq(sheet: str, label: str, column: str = "D", nth: int = 0) -> str:
    """Location of the nth row of `sheet` whose label (as in the seed) is `label` or, for a label
    ending with "…", starts with it."""
    rows = shapes.rows_of(shapes.TUYEN_QUANG_SHEETS[sheet][1])
    matches = (lambda text: text.startswith(label[:-1])) if label.endswith("…") else label.__eq__
    index = [r for r, row in enumerate(rows) if matches(row[1])][nth]
    return f"{sheet}!{column}{shapes.tuyen_quang_first_row(sheet) + index}"


RATE = "Tỷ lệ:"
TUYEN_QUANG: dict[str, Expected] = {
    _tq("1.Thongtinchung", "Tên cơ quan báo cáo"): (
        "Tên cơ quan báo cáo", "Ủy ban nhân dân thành phố Tuyên Quang", None, ""),
    _tq("1.Thongtinchung", "- Số lượng các cơ quan, đơn vị thuộc UBND thành phố"): (
        "Số lượng các cơ quan, đơn vị thuộc UBND thành phố", "16", 16, "cơ quan"),
    _tq("1.Thongtinchung", "- Số lượng CBCCVC thành phố"): ("Số lượng CBCCVC thành phố", "157", 157, "người"),
    _tq("1.Thongtinchung", "- Số lượng CBCCVC cấp xã"): ("Số lượng CBCCVC cấp xã", "306", 306, "người"),
    _tq("1.Thongtinchung", "- Số lượng UBND cấp xã"): ("Số lượng UBND cấp xã", "15", 15, "cơ quan"),
    _tq("2.HatangCNTT", "- Tổng số máy tính tại các CQNN của huyện/thành phố:"): (
        "Tổng số máy tính tại các CQNN của huyện/thành phố", "435/463", 435, "chiếc"),
    _tq("2.HatangCNTT", "- Tỷ lệ máy tính/CBCC:"): ("Tỷ lệ máy tính/CBCC", "94,0", 94.0, "%"),
    _tq("2.HatangCNTT", "- Tổng số CBCC tại UBND cấp huyện được trang bị máy tính:"): (
        "Tổng số CBCC tại UBND cấp huyện được trang bị máy tính", "168/157", 168, "người"),
    _tq("2.HatangCNTT", RATE, nth=1): (
        "Số lượng máy tính của UBND cấp xã được cài đặt – Tỷ lệ", "67,4", 67.4, "%"),
    _tq("2.HatangCNTT", "- Tổng băng thông kết nối Internet quy đổi của UBND cấp huyện (cách tính xem tại mục 10.1, "
        'Sheet "10.Giaithich"):'): (
        'Tổng băng thông kết nối Internet quy đổi của UBND cấp huyện (cách tính xem tại mục 10.1, Sheet '
        '"10.Giaithich")', "1250", 1250, "Mbps"),
    _tq("2.HatangCNTT", "- Tại UBND cấp huyện:"): (
        "Tỷ lệ máy tính kết nối Internet – Tại UBND cấp huyện", "100", 100, "%"),
    _tq("3.UDCNTT", "Số lượng CBCCVC cấp xã được cấp tài khoản thư điện tử"): (
        "Số lượng CBCCVC cấp xã được cấp tài khoản thư điện tử", "29", 29, "Người"),
    _tq("3.UDCNTT", "Tỷ lệ", nth=3): ("Số lượng CBCCVC cấp xã được cấp tài khoản thư điện tử – Tỷ lệ", "9,5", 9.5, "%"),
    _tq("3.UDCNTT", "Tổng số hồ sơ tiếp nhận qua Hệ thống thông tin một cửa điện tử trên toàn huyện/thành phố"): (
        "Tổng số hồ sơ tiếp nhận qua Hệ thống thông tin một cửa điện tử trên toàn huyện/thành phố", "3.367", 3367,
        "Hồ sơ"),
    _tq("3.UDCNTT", "Tổng số hồ sơ được giải quyết đúng hạn"): (
        "Tổng số hồ sơ được giải quyết đúng hạn", "2.995", 2995, "Hồ sơ"),
    _tq("3.UDCNTT", "1/0 (1: Có; 0: Chưa có)"): ("Quản lý nhân sự", "0", 0, "1/0 (1: Có; 0: Chưa có)"),
    _tq("3.UDCNTT", "Số lượng UBND cấp huyện đã triển khai"): (  # under "b Quản lý kế toán - tài chính"
        "Quản lý kế toán - tài chính – Số lượng UBND cấp huyện đã triển khai", "4", 4, "Cơ quan"),
    _tq("3.UDCNTT", "Tỷ lệ", nth=9): (
        "Quản lý kế toán - tài chính – Số lượng UBND cấp huyện đã triển khai – Tỷ lệ", "100", 100, "%"),
    _tq("4.Website", "Số lượng truy cập trong năm (theo công cụ đếm số lần truy cập)"): (
        "Số lượng truy cập trong năm (theo công cụ đếm số lần truy cập)", "215.136", 215136, "lần"),
    _tq("5.DVCTT", "Tổng số thủ tục hành chính của huyện/thành phố:"): (
        "Tổng số thủ tục hành chính của huyện/thành phố", "413", 413, "thủ tục"),
    _tq("5.DVCTT", "- Tổng số DVCTT đã kết nối/tích hợp lên Cổng dịch vụ công của tỉnh:"): (
        "Tổng số DVCTT đã kết nối/tích hợp lên Cổng dịch vụ công của tỉnh", "Đang triển khai", None,
        "dịch vụ"),  # issue 11.6: not yet is text, never 0
    _tq("6.Chinh sach", "Quy chế đảm bảo an toàn thông tin trong hoạt động ứng dụng CNTT", column="E"): (
        "Quy chế đảm bảo an toàn thông tin trong hoạt động ứng dụng CNTT", "Đang xây dựng", None,
        "1/0 (1: Có; 0: Không)"),
    _tq("7.Nhan luc", "- Tổng số CBCCVC chuyên trách CNTT của đơn vị"): (
        "Tổng số CBCCVC chuyên trách CNTT của đơn vị", "1", 1, "người"),
    _tq("7.Nhan luc", "Đại học:"): (
        "Trình độ chuyên môn nghiệp vụ của CBCCVC chuyên trách/phụ trách CNTT, ATTT (văn bằng trong lĩnh vực "
        "CNTT) – Đại học", "3", 3, "người"),
}


@pytest.fixture(scope="module")
def tuyen_quang(tmp_path_factory: pytest.TempPathFactory) -> Extracted:
    return _extract(tmp_path_factory, shapes.tuyen_quang_xlsx, "phu-luc-quy-1.xlsx")


def test_tuyen_quang_values_agency_period_date(tuyen_quang: Extracted) -> None:
    assert (tuyen_quang.agency, tuyen_quang.period) == ("Ủy ban nhân dân thành phố Tuyên Quang", "2020")
    assert tuyen_quang.doc_date == "2020-03-05"  # the annex's "(Kèm theo Báo cáo số 96 … ngày 5/3/2020 …)"
    _check(tuyen_quang, TUYEN_QUANG)


def test_tuyen_quang_sub_rows_notes_and_merged_headers(tuyen_quang: Extracted) -> None:
    cqnn = _at(tuyen_quang, _tq("1.Thongtinchung", "Tổng số CQNN thuộc UBND thành phố:…"))
    assert (cqnn.label, cqnn.value, cqnn.ref) == ("Tổng số CQNN thuộc UBND thành phố", 31, "5.1")
    assert cqnn.note.startswith("Ghi chú: Cụm từ")  # the italic second line of the label cell
    computers = _at(tuyen_quang, _tq("2.HatangCNTT", "- Tổng số máy tính tại các CQNN của huyện/thành phố:"))
    assert (computers.denominator, computers.note) == (463, "")  # one filled value column: no column name
    mail = _at(tuyen_quang, _tq("3.UDCNTT", "Số lượng CBCCVC cấp xã được cấp tài khoản thư điện tử"))
    assert mail.note == "04 người chưa được cấp"  # the "Ghi chú" column under the merged group
    plan = _at(tuyen_quang, _tq("6.Chinh sach", "Kế hoạch ứng dụng CNTT trong năm báo cáo"))
    assert plan.value == 1 and plan.note.startswith("Kế hoạch số 127/KH-UBND ngày 01/8/2019")
    header_words = {"Số liệu", "Chi tiết làm rõ", "Ghi chú", "(4)", "(2)", "Đơn vị tính"}
    assert not [o for o in tuyen_quang.observations if o.raw_value in header_words or o.label in header_words]


def test_tuyen_quang_impossible_quarter_and_formula_without_value(tuyen_quang: Extracted) -> None:
    quarter = _at(tuyen_quang, _tq("1.Thongtinchung", "Quý báo cáo", column="C"))  # merged: unit + value
    assert (quarter.label, quarter.raw_value, quarter.value, quarter.unit) == (
        "Quý báo cáo", "Quý V/2018", None, "")
    formula = _at(tuyen_quang, _tq("2.HatangCNTT", RATE))
    assert (formula.raw_value, formula.value) == (shapes.TUYEN_QUANG_FORMULA, None)  # never 0, never blank
    assert formula.label == "Số lượng máy tính của UBND cấp huyện/thành phố được cài đặt – Tỷ lệ"
    assert [(p.code, p.location) for p in tuyen_quang.problems] == [
        ("W-IMPOSSIBLE-VALUE", quarter.location), ("W-FORMULA-NO-VALUE", formula.location),
    ]
    assert "Quý V/2018" in tuyen_quang.problems[0].message
    assert shapes.TUYEN_QUANG_FORMULA in tuyen_quang.problems[1].message


def test_tuyen_quang_hidden_sheet_and_tick_columns(tuyen_quang: Extracted) -> None:
    hidden = [o for o in tuyen_quang.observations if o.location.startswith(f"{shapes.TUYEN_QUANG_HIDDEN}!")]
    assert len([o for o in hidden if o.raw_value]) == 11
    assert len([o for o in hidden if not o.raw_value and o.value is None]) == 8  # rows left blank: kept
    civil = [o for o in tuyen_quang.observations if o.label == "Phần mềm hộ tịch"]
    assert [(o.raw_value, o.value, o.location) for o in civil] == [
        ("Phòng Tư pháp thành phố", None, "PL.3A.1!C5"), ("x", 1, "PL.3A.1!D5"), ("x", 1, "PL.3A.1!H5"),
    ]
    assert "Ứng dụng do Bộ chuyên ngành xây dựng" in civil[1].note and civil[2].note.endswith("Toàn tỉnh")


ACCOUNTING = "Quản lý kế toán - tài chính"  # the heading of 4.1.b, whose sub-rows name no application


def test_tuyen_quang_rows_named_by_their_group_heading(tuyen_quang: Extracted) -> None:
    """Under "b Quản lý kế toán - tài chính" (4.1), the form's per-application rows take the heading
    in front of their printed label; the rows that already name it, and rows under other headings,
    keep theirs."""
    rows = [
        ("1/0 (1: Có; 0: Chưa có)", 1, ACCOUNTING, "accounting_software"),
        ("Tỷ lệ", 8, f"{ACCOUNTING} – Tỷ lệ", "accounting_software_share"),
        ("Số lượng UBND cấp huyện đã triển khai", 0,
         f"{ACCOUNTING} – Số lượng UBND cấp huyện đã triển khai", "committees_with_accounting_software"),
        ("Tỷ lệ", 9, f"{ACCOUNTING} – Số lượng UBND cấp huyện đã triển khai – Tỷ lệ",
         "committees_with_accounting_software_share"),
    ]
    for printed, nth, label, indicator in rows:
        obs = _at(tuyen_quang, _tq("3.UDCNTT", printed, nth=nth))
        assert (obs.label, obs.ref, Matcher().match(obs.label).indicator) == (label, "", indicator), printed
    # (values, units and locations: TUYEN_QUANG) "d Quản lý Thi đua - Khen thưởng" ends its page; the
    # rows of the next page are not its
    vnpost = "Kết nối với hệ thống thông tin của Tổng công ty bưu điện Việt Nam (VNPost) phục vụ triển khai Quyết định số 45/2016/QĐ-TTg"
    obs = _at(tuyen_quang, _tq("3.UDCNTT", vnpost))
    assert (obs.label, Matcher().match(obs.label).indicator) == (vnpost, "one_stop_vnpost")


def _section_4_1(*, legends: bool = True, repeat_under: str = "", page_break: bool = False) -> dict[str, str]:
    """Seed 003's header and section 4.1 read as one table: label → raw value. `legends=False` drops
    the "1/0" rows (and the "Tỷ lệ" under them), `repeat_under` prints b's deployment rows under that
    application too (as the form does under each; the seed's page shows b's only), `page_break`
    repeats the header between b's heading and its rows."""
    rows = shapes.rows_of(shapes.TUYEN_QUANG_SHEETS["3.UDCNTT"][1])
    start = next(r for r, row in enumerate(rows) if row[0] == "4,1")
    section = rows[start:next(r for r, row in enumerate(rows) if row[0] == "d")]
    deployment = [row for row in section if row[1] == "Số lượng UBND cấp huyện đã triển khai"]
    deployment.append(section[section.index(deployment[0]) + 1])
    if not legends:
        section = [row for r, row in enumerate(section) if not row[1].startswith("1/0")
                   and not (row[1] == "Tỷ lệ" and section[r - 1][1].startswith("1/0"))]
    if repeat_under:
        at = next(r for r, row in enumerate(section) if row[1] == repeat_under) + 1
        section[at:at] = deployment
    if page_break:
        at = next(r for r, row in enumerate(section) if row[1] == ACCOUNTING) + 1
        section[at:at] = rows[:2]
    grid = [[Cell(text, f"dòng {r}, cột {c}") for c, text in enumerate(row, 1)]
            for r, row in enumerate([*rows[:3], *section], 1)]
    return {o.label: o.raw_value for o in table_observations(grid)}


def test_group_heading_only_where_the_label_cannot_tell_the_groups_apart() -> None:
    deployed, share = "Số lượng UBND cấp huyện đã triển khai", "Số lượng UBND cấp huyện đã triển khai – Tỷ lệ"
    # the rows repeat under two applications: each takes its own heading
    repeated = _section_4_1(legends=False, repeat_under="Quản lý tài sản")
    assert {label: repeated[label] for label in repeated if deployed in label} == {
        f"{ACCOUNTING} – {deployed}": "4", f"{ACCOUNTING} – {share}": "100",
        f"Quản lý tài sản – {deployed}": "4", f"Quản lý tài sản – {share}": "100",
    }
    assert Matcher().match(f"Quản lý tài sản – {deployed}").indicator == ""  # no alias of another application claims it
    # printed once, under a heading with no answer of its own: nothing to tell apart
    assert {deployed, share} <= set(_section_4_1(legends=False))
    # a repeated header (a new page) ends the group: a heading is never carried onto the next page
    assert {deployed, share} <= set(_section_4_1(page_break=True))


def test_tuyen_quang_covering_report(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The letterhead in a layout table with multi-line cells; the recipients list is not data."""
    extracted = _extract(tmp_path_factory, shapes.tuyen_quang_docx, "bao-cao-quy-1.docx")
    cover = shapes.TUYEN_QUANG_COVER
    assert (extracted.agency, extracted.period, extracted.doc_date) == (
        "Ủy ban nhân dân thành phố Tuyên Quang", "2020", "2020-03-05")
    assert [(o.label, o.value, o.location) for o in extracted.observations] == [
        ("Cơ quan, đơn vị thuộc UBND thành phố", 16, _paragraph(cover, "- Cơ quan, đơn vị")),
        ("Ủy ban nhân dân các xã, phường", 15, _paragraph(cover, "- Ủy ban nhân dân các xã")),
        ("Địa chỉ trang/cổng thông tin điện tử (Website/Portal) chính thức của cơ quan, đơn vị", None,
         _paragraph(cover, "- Địa chỉ trang")),
    ]


# --- seed 002: Bình Định survey forms, filled in ---------------------------------------------------
DEPARTMENT = shapes.BINH_DINH_DEPARTMENT
TICKED = "☒ Có □ Không"
PROFILE = "Trình độ chuyên môn nghiệp vụ của cán bộ phụ trách về CNTT (văn bằng trong lĩnh vực CNTT)"
IT_STAFF = "Cán bộ phụ trách về CNTT tại Văn phòng của sở, ban, ngành"
CERTIFICATES = "Số lượng CBCC chuyên trách CNTT có chứng chỉ quốc tế về CNTT (một người có thể có nhiều chứng chỉ)"
BINH_DINH_DEPARTMENT: dict[str, Expected] = {
    _paragraph(DEPARTMENT, "8. Tổng số cán bộ"): (
        "Tổng số cán bộ, công chức (CBCC) của khối Văn phòng", "45", 45, ""),
    _paragraph(DEPARTMENT, "9. Tổng số cán bộ"): (  # typed between dot leaders
        "Tổng số cán bộ, viên chức (CBVC) các đơn vị sự nghiệp trực thuộc", "18", 18, ""),
    _paragraph(DEPARTMENT, "b. Tổng băng thông"): (
        "Tổng băng thông kết nối Internet quy đổi của sở, ban, ngành", "250 Mbps", 250, "Mbps"),
    _paragraph(DEPARTMENT, "4. Tổng số máy chủ"): (
        "Tổng số máy chủ/Server (kể cả máy chủ/Server thuê dịch vụ CNTT)", "03", 3, ""),
    _paragraph(DEPARTMENT, "☒ Có □ Không"): (  # the answer on the line under its question
        "Cơ quan có mạng diện rộng (WAN) kết nối các đơn vị trực thuộc", TICKED, 1, ""),
    _paragraph(DEPARTMENT, "c. Hệ thống an toàn báo cháy"): (
        "Hệ thống an toàn báo cháy, nổ tại phòng máy chủ", "☑ Có □ Không", 1, ""),
    _paragraph(DEPARTMENT, "d. Hệ thống an toàn chống sét"): (  # legacy form checkboxes
        "Hệ thống an toàn chống sét tại phòng máy chủ", "□ Có ☒ Không", 0, ""),
    _paragraph(DEPARTMENT, "8. Hệ thống mạng LAN"): (
        "Hệ thống mạng LAN đã có hệ thống an toàn dữ liệu", TICKED, 1, ""),
    _paragraph(DEPARTMENT, "- Tổng số CBCC được tập huấn"): (  # no colon: the dot leaders separate
        "Tổng số CBCC được tập huấn về CNTT trong năm", "30", 30, ""),
    _paragraph(DEPARTMENT, "+ Khác: 1"): (f"{CERTIFICATES} – Khác", "1", 1, ""),
    _paragraph(DEPARTMENT, "- Số lượng văn bản điện tử gửi (VB đi)"): (
        "Số lượng văn bản điện tử gửi (VB đi)/ Tổng số văn bản đi (Bao gồm gửi qua văn bản giấy và văn bản điện tử)",
        "1250/1300", 1250, ""),
    _paragraph(DEPARTMENT, "2. Triển khai ứng dụng chữ ký số"): (
        "Triển khai ứng dụng chữ ký số", "☒ Đã triển khai □ Chưa triển khai", 1, ""),
    _paragraph(DEPARTMENT, "☒ Chữ ký số chuyên dùng"): (
        "Chữ ký số chuyên dùng (do Ban cơ yếu Chính phủ cung cấp)",
        "☒ Chữ ký số chuyên dùng (do Ban cơ yếu Chính phủ cung cấp)", 1, ""),
    _paragraph(DEPARTMENT, "□ Chữ ký số công cộng"): (
        "Chữ ký số công cộng do đơn vị khác cung cấp", "□ Chữ ký số công cộng do đơn vị khác cung cấp", 0, ""),
    _paragraph(DEPARTMENT, "Có: ☒ Không: □"): (  # boxes after their options
        "Triển khai tất cả các phòng, ban chuyên môn đơn vị trực thuộc", "Có: ☒ Không: □", 1, ""),
    _paragraph(DEPARTMENT, "c. Số lượng CBCC thường xuyên"): (  # inside a content control
        "Số lượng CBCC thường xuyên sử dụng thư điện tử công vụ trong công việc (kiểm tra và sử dụng hàng ngày)",
        "60", 60, ""),
    _paragraph(DEPARTMENT, "- Tổng số thành viên"): ("Tổng số thành viên của Ban Biên tập", "5 (người)", 5, ""),
    _paragraph(DEPARTMENT, "a. ☒ Chương trình"): (
        "Chương trình, kế hoạch cải cách hành chính có bao gồm ứng dụng CNTT",
        "☒ Chương trình, kế hoạch cải cách hành chính có bao gồm ứng dụng CNTT", 1, ""),
    f"bảng {_table(DEPARTMENT, 'STT')}, dòng 2, cột 3": ("Băng từ", "□", 0, ""),  # a lone box column, filled form
    f"bảng {_table(DEPARTMENT, 'STT')}, dòng 5, cột 3": ("NAS", "☒", 1, ""),  # Wingdings tick
    f"bảng {_table(DEPARTMENT, 'STT')}, dòng 5, cột 4": ("NAS", "1", 1, ""),
    f"bảng {_table(DEPARTMENT, 'STT')}, dòng 6, cột 3": ("DAS", "□", 0, ""),  # Wingdings empty box
    f"bảng {_table(DEPARTMENT, 'TT')}, dòng 3, cột 5": (
        "Tổng chi ngân sách của cơ quan cho ứng dụng CNTT trong năm", "420", 420, "Tr.đ"),
    f"bảng {_table(DEPARTMENT, 'Nội dung')}, dòng 2, cột 2": (
        "Báo cáo tình hình ứng dụng công nghệ thông tin và xây dựng chính quyền điện tử định kỳ hàng quý", "☒", 1, ""),
}


@pytest.fixture(scope="module")
def binh_dinh_department(tmp_path_factory: pytest.TempPathFactory) -> Extracted:
    return _extract(tmp_path_factory, shapes.binh_dinh_department_docx, "so-tu-phap.docx")


def test_binh_dinh_department_values_agency_period_date(binh_dinh_department: Extracted) -> None:
    extracted = binh_dinh_department
    assert (extracted.agency, extracted.period, extracted.doc_date) == (
        "Sở Tư pháp tỉnh Bình Định", "2019", "2020-01-15")
    assert extracted.problems == []
    _check(extracted, BINH_DINH_DEPARTMENT)


def test_binh_dinh_boxes_with_fields(binh_dinh_department: Extracted) -> None:
    """"□ Chuyên trách: 2 người": each field is a value of its own, under the question above it;
    a box left with its blank unfilled gives nothing; "X Có Không Số lượng: 2" is yes plus a count."""
    def at(start: str) -> list[tuple[str, str, float | None]]:
        location = _paragraph(DEPARTMENT, start)
        return [(o.label, o.raw_value, o.value) for o in extracted.observations if o.location == location]

    extracted = binh_dinh_department
    assert at("□ Chuyên trách") == [
        (f"{IT_STAFF} – Chuyên trách", "1 người", 1), (f"{IT_STAFF} – Kiêm nhiệm", "2 người", 2),
    ]
    assert at("□ Tiến sỹ") == [(f"{PROFILE} – Thạc sỹ", "1", 1), (f"{PROFILE} – Đại học", "2", 2)]
    assert at("□ Cao đẳng") == []
    firewall = "Cơ quan có thiết bị Hệ thống tường lửa"
    assert at("a. Cơ quan có thiết bị") == [
        (f"{firewall} – Số lượng", "2", 2), (firewall, "X Có Không Số lượng: 2", 1),
    ]
    ids = "Cơ quan có hệ thống phát hiện và phòng chống truy cập trái phép (IPS, IDS)"
    assert at("☒ Có □ Không Số lượng: 1") == [
        (f"{ids} – Số lượng", "1", 1), (ids, "☒ Có □ Không Số lượng: 1", 1),
    ]
    assert at("Nếu có đánh dấu X") == []
    # a field left as dot leaders was found empty: kept, explicitly missing (issue 11.6)
    assert at("Tên đơn vị cung cấp") == [("Tên đơn vị cung cấp chữ ký số công cộng", "", None)]


def test_binh_dinh_tick_tables(binh_dinh_department: Extracted) -> None:
    """Có | Không columns: the ticked one answers (Không → 0); Hoàn chỉnh | Đang thử nghiệm | Chưa có
    columns: the ticked one, named in the note."""
    yes_no = _table(DEPARTMENT, "TT") + 2  # after the budget and the posts tables
    features = yes_no + 1
    ticked = {(o.location, o.value, o.note) for o in binh_dinh_department.observations
              if o.location.startswith((f"bảng {yes_no},", f"bảng {features},"))}
    assert ticked == {
        (f"bảng {yes_no}, dòng 2, cột 3", 1, "Có"), (f"bảng {yes_no}, dòng 4, cột 4", 0, "Không"),
        (f"bảng {yes_no}, dòng 5, cột 3", 1, "Có"), (f"bảng {features}, dòng 3, cột 3", 1, "Hoàn chỉnh"),
        (f"bảng {features}, dòng 4, cột 4", 0, "Đang thử nghiệm"), (f"bảng {features}, dòng 5, cột 5", 0, "Chưa có"),
    }
    rent = "Chi cho việc thuê dịch vụ CNTT"
    years = [(o.value, o.note) for o in binh_dinh_department.observations if o.label == rent]
    assert years == [(30, "Năm 2018"), (25, "Năm 2019")]  # "Năm" merged over "2018 | 2019"


DISTRICT = shapes.BINH_DINH_DISTRICT
BINH_DINH_DISTRICT: dict[str, Expected] = {
    _paragraph(DISTRICT, "8. Tổng số UBND"): ("Tổng số UBND các xã, phường, thị trấn (cấp xã)", "13", 13, ""),
    _paragraph(DISTRICT, "9. Tổng số CBCC"): (
        "Tổng số CBCC của khối Văn phòng UBND cấp huyện (không tính viên chức và LĐHĐ)", "110", 110, ""),
    _paragraph(DISTRICT, "10. Tổng số CBCC"): (
        "Tổng số CBCC của UBND cấp xã (không tính viên chức và LĐHĐ)", "290", 290, ""),
    _paragraph(DISTRICT, "a. Tổng số CBCC"): ("Tổng số CBCC được trang bị máy tính tại UBND cấp huyện", "108", 108, ""),
    _paragraph(DISTRICT, "b. Tổng số CBCC"): ("Tổng số CBCC được trang bị máy tính tại UBND cấp xã", "270", 270, ""),
    _paragraph(DISTRICT, "4. Tổng số máy chủ"): (
        "Tổng số máy chủ/Server (kể cả máy chủ/Server thuê dịch vụ CNTT)", "4", 4, ""),
    _paragraph(DISTRICT, "5. Tổng số máy quét"): ("Tổng số máy quét (Scan)", "15", 15, ""),
    _paragraph(DISTRICT, "6. Trụ sở UBND"): (  # boxes after the question, no colon
        "Trụ sở UBND huyện, thị xã, thành phố có mạng cục bộ (LAN - Local Area Network)", TICKED, 1, ""),
    _paragraph(DISTRICT, "- Mạng LAN có kết nối với"): (
        "Mạng LAN có kết nối với các phòng, ban chuyên môn nằm ngoài khuôn viên trụ sở UBND huyện", "□ Có ☒ Không", 0,
        ""),
    _paragraph(DISTRICT, "+ Số lượng máy tính của UBND cấp xã"): (
        "Số lượng máy tính của UBND cấp xã được cài đặt", "250", 250, ""),
    _paragraph(DISTRICT, "☒ Chuyên trách"): (
        "Cán bộ phụ trách về CNTT tại Văn phòng của UBND huyện, thị xã, thành phố – Chuyên trách", "1 người", 1,
        "người"),
    _paragraph(DISTRICT, "- Số cán bộ phụ trách về CNTT tại đơn vị cấp xã"): (
        "Số cán bộ phụ trách về CNTT tại đơn vị cấp xã, phường, thị trấn", "13 người", 13, "người"),
    _paragraph(DISTRICT, "2. Ứng dụng công nghệ thông tin"): (
        "Ứng dụng công nghệ thông tin trong việc tiếp nhận và xử lý hồ sơ tại bộ phận một cửa (Phần mềm một cửa "
        "điện tử)", TICKED, 1, ""),
    _paragraph(DISTRICT, "- ☒ Số phòng, ban"): ("Số phòng, ban chuyên môn trực thuộc triển khai", "12", 12, ""),
    _paragraph(DISTRICT, "- ☒ Triển khai tại"): (
        "Triển khai tại bộ phận một cửa", "☒ Triển khai tại bộ phận một cửa", 1, ""),
    _paragraph(DISTRICT, "- Số thủ tục hành chính"): (
        "Số thủ tục hành chính (TTHC) huyện, thị xã, thành phố đã triển khai qua phần mềm một cửa điện tử", "280",
        280, ""),
    _paragraph(DISTRICT, "a. Số cuộc họp"): (
        "Số cuộc họp qua hệ thống truyền hình trực tuyến giữa UBND huyện và UBND tỉnh trong năm", "24", 24, ""),
    _paragraph(DISTRICT, "Nếu có, kinh phí"): (
        "Đầu tư, nâng cấp hệ thống giao ban trực tuyến từ UBND huyện, thị xã, thành phố đến UBND xã, phường, thị "
        "trấn – Nếu có, kinh phí đầu tư, nâng cấp là bao nhiêu (triệu đồng)", "500", 500, ""),
    _paragraph(DISTRICT, "Có: ☒"): (  # the question on the line above has no colon
        "Đầu tư, nâng cấp Trang thông tin điện tử cho UBND xã, phường, thị trấn (hiển thị Trang thông tin điện tử "
        "dạng Sub Folder)", "Có: ☒", 1, ""),
    _paragraph(DISTRICT, "2. Quy định về quy trình"): (  # "X" typed before the option
        "Quy định về quy trình trao đổi, lưu trữ, xử lý văn bản điện tử, sử dụng chữ ký số trong nội bộ cơ quan",
        "X Có", 1, ""),
}


def test_binh_dinh_district_values_agency_period_date(tmp_path_factory: pytest.TempPathFactory) -> None:
    extracted = _extract(tmp_path_factory, shapes.binh_dinh_district_docx, "tuy-phuoc.docx")
    assert (extracted.agency, extracted.period, extracted.doc_date) == (
        "UBND huyện Tuy Phước", "2019", "2020-01-10")
    _check(extracted, BINH_DINH_DISTRICT)
    location = _paragraph(DISTRICT, "☒ Có Tổng số điểm")
    connections = [o for o in extracted.observations if o.location == location]
    assert [(o.label, o.value) for o in connections] == [
        ("Tổng số điểm kết nối", 13),
        ("Đầu tư, nâng cấp hệ thống giao ban trực tuyến từ UBND huyện, thị xã, thành phố đến UBND xã, phường, thị "
         "trấn", 1),
    ]


# --- seed 004: Hà Nam report (narrative + criteria table), as the sample generator writes it -------------
HA_NAM: dict[str, Expected] = {
    "đoạn 14": ("Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia", "26/27 (96,30%)", 26, ""),
    "đoạn 22": ("Máy chủ", "04 chiếc", 4, "chiếc"),
    "đoạn 23": ("Máy tính cá nhân (để bàn và xách tay)", "50 chiếc", 50, "chiếc"),
    "đoạn 24": ("Máy in", "24 chiếc", 24, "chiếc"),
    "đoạn 25": ("Switch", "04 chiếc", 4, "chiếc"),
    "đoạn 26": ("Số máy trạm kết nối trong mạng Lan, Internet", "50", 50, ""),
    "đoạn 28": ("IP tĩnh", "01", 1, ""),
    "đoạn 29": ("Máy Scanner (quét văn bản)", "02 chiếc", 2, "chiếc"),
    "đoạn 30": ("Route", "01 chiếc", 1, "chiếc"),
    "đoạn 31": ("Firewall", "01 chiếc", 1, "chiếc"),
    "đoạn 32": ("Phòng họp trực tuyến", "01 bộ thiết bị", 1, "bộ"),
    "đoạn 34": ("Tổng số cán bộ, công chức và người lao động của cơ quan", "50 người", 50, "người"),
    "đoạn 35": ("Số người tốt nghiệp đại học về CNTT", "1 người", 1, "người"),
    "đoạn 36": ("Số cán bộ chuyên trách về CNTT của cơ quan", "1 người", 1, "người"),
    "đoạn 37": ("Tổng số người đã được đào tạo về CNTT", "50 người", 50, "người"),
    "đoạn 85": ("Tổng số đơn vị trực thuộc", "07", 7, ""),
    "đoạn 86": ("Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan", "50", 50, ""),
    "đoạn 87": ("Tổng số máy tính được trang bị (gồm máy tính để bàn, xách tay, máy tính bảng)", "50", 50, ""),
}


def test_ha_nam_report_values_and_criteria(tmp_path_factory: pytest.TempPathFactory) -> None:
    from samples.generate import WRITERS, seed_004_spec

    path = tmp_path_factory.mktemp("shape") / "so-tai-chinh.docx"
    WRITERS["docx"](seed_004_spec(), path)
    extracted = docx_extractor.extract(path)
    assert (extracted.agency, extracted.period, extracted.doc_date) == (
        "Sở Tài chính tỉnh Hà Nam", "2022", "2022-10-20")
    scores = {o.indicator: o for o in extracted.observations
              if o.kind == "self_score" and o.location.startswith("bảng")}
    assert (scores["I.1"].value, scores["I.1"].max_points, scores["II.4.1"].value) == (10, 10, 0)
    assert (scores["TOTAL"].value, scores["TOTAL"].max_points) == (496, 500)
    expected = {**HA_NAM, **{
        scores[path].location: (scores[path].label, raw, value, "") for path, raw, value in
        [("I.1", "10", 10), ("I.3.4", "5", 5), ("II.1.7", "15", 15)]
    }}
    for location, (label, raw, value, unit) in expected.items():
        obs = _at(extracted, location)
        assert (obs.label, obs.raw_value, obs.unit) == (label, raw, unit), location
        assert obs.value == pytest.approx(value), location


# --- mapping: every data row a person would map is mapped --------------------------------------------
# Per shape, the data rows that name no indicator, each reviewed: identity, contact details, names,
# addresses, free text. Every other data row must map to a catalogue indicator (the test fails on both
# an unmapped row missing here and a row listed here that maps or no longer occurs).
_NAME, _CONTACT, _ADDRESS, _PERIOD = "a name", "contact details", "an address", "the reporting period"
NOT_INDICATORS: dict[str, dict[str, str]] = {
    "000": {
        "Tên đơn vị": _NAME, "Họ tên Giám đốc": _NAME, "Họ tên Lãnh đạo phụ trách CNTT - CIO": _NAME,
        "Số điện thoại và Email Lãnh đạo CIO": _CONTACT, "Họ tên cán bộ chuyên trách CNTT 1": _NAME,
        "Số điện thoại và Email cán bộ chuyên trách CNTT 1": _CONTACT,
        "Danh sách cán bộ chuyên trách CNTT còn lại": "a list of names (the count is A.5)",
        "Địa chỉ Cổng TTĐT": _ADDRESS,
        "Danh sách phần mềm quản lý nghiệp vụ chuyên ngành": "a list of programs (the count is F.20)",
    },
    "003": {
        "Quý báo cáo": _PERIOD, "Tên cơ quan báo cáo": _NAME, "Địa chỉ trụ sở cơ quan, đơn vị": _ADDRESS,
        "Địa chỉ trang/cổng thông tin điện tử (Website/Portal) chính thức của cơ quan, đơn vị": _ADDRESS,
        "Họ và tên người thực hiện báo cáo": _NAME, "Đơn vị công tác": _CONTACT, "Chức vụ": _CONTACT,
        "Điện thoại cố định": _CONTACT, "Điện thoại di động": _CONTACT, "Thư điện tử": _CONTACT,
    },
    "003-cover": {
        "Địa chỉ trang/cổng thông tin điện tử (Website/Portal) chính thức của cơ quan, đơn vị": _ADDRESS,
    },
    "002-I": {
        "Năm báo cáo": _PERIOD, "Tên cơ quan": _NAME, "Điện thoại, Fax": _CONTACT,
        "Địa chỉ trang thông tin điện tử": _ADDRESS, "Thư điện tử liên hệ": _CONTACT,
        "Họ và tên người điền phiếu": _NAME, "Bộ phận công tác": _CONTACT, "Chức vụ": _CONTACT,
        "Thư điện tử công vụ liên hệ": _CONTACT,
    },
    "002-II": {"Năm báo cáo": _PERIOD, "Tên huyện, thị xã, thành phố (cấp huyện)": _NAME},
    "004": {
        "Tên cơ quan, đơn vị": _NAME,
        "Đối với hạ tầng kỹ thuật CNTT": "free text: the agency's recommendation (Đề xuất, kiến nghị)",
    },
}
# Different labels of one shape that claim one indicator: the form repeats a row, or a box and its count.
REPEATS: dict[str, dict[str, set[str]]] = {
    "003": {  # 1.2 prints the district-level e-mail rows twice ("cấp huyện" / "của huyện/thành phố")
        "internet_computers_share": {"Tỷ lệ máy tính kết nối Internet",
                                     "Tỷ lệ máy tính kết nối Internet – Trên toàn huyện/thành phố"},
        "email_accounts": {"Số lượng CBCCVC cấp huyện được cấp tài khoản thư điện tử",
                           "Số lượng CBCCVC của huyện/thành phố được cấp tài khoản thư điện tử"},
        "email_accounts_share_office": {
            "Số lượng CBCCVC cấp huyện được cấp tài khoản thư điện tử – Tỷ lệ",
            "Số lượng CBCCVC của huyện/thành phố được cấp tài khoản thư điện tử – Tỷ lệ"},
        "email_shared_accounts": {"Số lượng CBCCVC cấp huyện được cấp tài khoản thư điện tử dùng chung",
                                  "Số lượng CBCCVC của huyện/thành phố được cấp tài khoản thư điện tử dùng chung"},
        "email_shared_accounts_share": {
            "Số lượng CBCCVC cấp huyện được cấp tài khoản thư điện tử dùng chung – Tỷ lệ",
            "Số lượng CBCCVC của huyện/thành phố được cấp tài khoản thư điện tử dùng chung – Tỷ lệ"},
    },
    "002-I": {  # "X Có Không Số lượng: 2": the box and its count
        "firewalls": {"Cơ quan có thiết bị Hệ thống tường lửa", "Cơ quan có thiết bị Hệ thống tường lửa – Số lượng"},
        "intrusion_prevention": {
            "Cơ quan có hệ thống phát hiện và phòng chống truy cập trái phép (IPS, IDS)",
            "Cơ quan có hệ thống phát hiện và phòng chống truy cập trái phép (IPS, IDS) – Số lượng"},
    },
    "004": {  # the narrative report and its annex
        "computers_total": {"Máy tính cá nhân (để bàn và xách tay)",
                            "Tổng số máy tính được trang bị (gồm máy tính để bàn, xách tay, máy tính bảng)"},
        "staff_total": {"Tổng số cán bộ, công chức và người lao động của cơ quan",
                        "Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan"},
    },
}
# One row per application (name, owner, ticks): listed, not counted. A count of the rows would need the
# reader to count them; the catalogue's derivations combine indicators only.
LIST_SHEET = "PL.3A.1!"


def _ha_nam_docx(path: Path) -> Path:
    from samples.generate import WRITERS, seed_004_spec

    WRITERS["docx"](seed_004_spec(), path)
    return path


SHAPES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "000": (shapes.ha_tinh_xlsx, "ha-tinh.xlsx"),
    "000-docx": (shapes.ha_tinh_docx, "ha-tinh.docx"),
    "003": (shapes.tuyen_quang_xlsx, "phu-luc-quy-1.xlsx"),
    "003-cover": (shapes.tuyen_quang_docx, "bao-cao-quy-1.docx"),
    "002-I": (shapes.binh_dinh_department_docx, "so-tu-phap.docx"),
    "002-II": (shapes.binh_dinh_district_docx, "tuy-phuoc.docx"),
    "004": (_ha_nam_docx, "so-tai-chinh.docx"),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_data_row_maps_to_an_indicator(tmp_path_factory: pytest.TempPathFactory, shape: str) -> None:
    extracted = _extract(tmp_path_factory, *SHAPES[shape])
    reviewed = shape.removesuffix("-docx")  # the Hà Tĩnh table reads the same from both formats
    # rows found blank are kept (issue 11.6) but name nothing to map until someone fills them in
    data = [o for o in extracted.observations if o.kind == "data" and o.raw_value]
    listed = [o for o in data if o.location.startswith(LIST_SHEET)]
    assert [o.label for o in listed if Matcher().match(o.label).indicator] == []
    assert bool(listed) == (shape == "003")
    mapped: dict[str, set[str]] = {}
    unmapped = set()
    for o in data:
        if o.location.startswith(LIST_SHEET):
            continue
        if indicator := Matcher().match(o.label).indicator:
            mapped.setdefault(indicator, set()).add(o.label)
        else:
            unmapped.add(o.label)
    assert unmapped == set(NOT_INDICATORS[reviewed])
    repeated = {indicator: labels for indicator, labels in mapped.items() if len(labels) > 1}
    assert repeated == REPEATS.get(reviewed, {})  # any other: two rows claiming one indicator
