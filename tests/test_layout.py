"""Format-independent interpretation: lines and cell grids taken from the seed reports."""

from pathlib import Path

import pytest
from helpers import table_observations

from egovcli.ingest.layout import (
    Cell,
    TextLine,
    continues_table,
    detect_date,
    detect_period,
    interpret,
    lines_to_observations,
    rows_to_lines,
)
from egovcli.model import Observation

TSV = Path(__file__).resolve().parent.parent / "samples/source/hanam-2022-phuluc-so-tai-chinh.tsv"
HEADER = ["TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá"]


def _grid(rows: list[list[str]]) -> list[list[Cell]]:
    numbered = enumerate(rows, 1)
    return [[Cell(text, f"dòng {r}, cột {c}") for c, text in enumerate(row, 1)] for r, row in numbered]


def _tab_rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.strip("\n").splitlines()]


def _lines(text: str) -> list[TextLine]:
    numbered = enumerate(text.strip("\n").splitlines(), 1)
    return [TextLine(line, f"đoạn {n}") for n, line in numbered if line.strip()]


def _hanam_rows() -> list[list[str]]:
    """The 107 data rows of the Hà Nam 2022 criteria table (Sở Tài chính), as cleaned."""
    rows = _tab_rows(TSV.read_text(encoding="utf-8"))[1:]
    assert len(rows) == 107
    return rows


SECTIONS = ["I", "II", "II.1", "II.2", "II.3", "II.4", "III", "III.1", "III.2", "IV", "V", "VI"]
LEAVES = (
    ["I.1", "I.2", "I.3.1", "I.3.2", "I.3.3", "I.3.4", "I.4", "I.5", "I.6"]
    + [f"II.1.{n}" for n in ("1", "2", "3", "4", "5", "6.1", "6.2", "6.3", "7")]
    + ["II.2.1", "II.2.2", "II.3.1", "II.3.2", "II.4.1", "II.4.2", "II.4.3", "II.4.4"]
    + [f"III.1.{n}" for n in ("1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3", "4", "5")]
    + [f"III.1.{n}" for n in ("6.1", "6.2", "7.1", "7.2", "8", "9.1", "9.2", "9.3", "10", "11", "12")]
    + [f"III.2.{n}" for n in ("1", "2", "3", "4", "5", "5.1", "5.2", "8.1", "8.2", "8.3", "9", "10", "11")]
    + [f"IV.{n}" for n in ("1", "2", "3", "4", "5", "6.1", "6.2", "6.3", "6.4", "6.5", "7", "8")]
    + ["V.1.1", "V.1.2", "V.2", "V.3", "VI.1", "VI.2", "VI.3", "VI.4", "VI.5"]
)


# --- criteria table ---------------------------------------------------------------------------
def test_hanam_criteria_table_paths_and_scores() -> None:
    observations = table_observations(_grid([HEADER, *_hanam_rows()]))
    by_path = {o.indicator: o for o in observations}
    assert len(by_path) == len(observations) == len(SECTIONS) + len(LEAVES) + 1
    assert set(by_path) == {*SECTIONS, *LEAVES, "TOTAL"}
    assert {o.kind for o in observations} == {"self_score"}
    assert sum(by_path[path].value or 0 for path in LEAVES) == 496
    total = by_path["TOTAL"]
    assert (total.value, total.max_points, total.ref) == (496, 500, "TỔNG (I+II+III+IV+V+VI)")
    assert (by_path["II"].value, by_path["II"].max_points) == (146, 150)
    assert (by_path["II.4.1"].value, by_path["II.4.1"].max_points) == (0, 4)
    # refs as printed; sections normalised
    assert (by_path["III.2"].ref, by_path["IV"].ref, by_path["III.2.5.1"].ref) == ("III. 2", "IV.", "5.1")
    # "5 5 5": three sub-maxima summed, the parts kept
    assert (by_path["II.1.7"].max_points, by_path["II.1.7"].value) == (15, 15)
    assert "5 + 5 + 5" in by_path["II.1.7"].note
    # the unnumbered scored row under heading "3 Thông tin tuyên truyền, phổ biến"
    assert by_path["III.1.3"].ref == ""
    assert by_path["III.1.3"].label.startswith("Tuyên truyền, phổ biến, hướng dẫn")
    # location is the self-score cell (header is row 1)
    assert by_path["I.1"].location == "dòng 3, cột 5"
    assert by_path["I.1"].label == "Tỷ lệ CBCCVC được trang bị máy tính"


def _paginate(rows: list[list[str]], every: int) -> list[list[str]]:
    """The table as a pdf/docx page break leaves it: every `every` rows the last row is cut in
    two (the rest of its text in a row with no TT and no numbers) and the header is repeated."""
    out: list[list[str]] = [HEADER]
    for index, row in enumerate(rows, 1):
        if index % every or not row[1] or not row[2]:
            out.append(row)
            continue
        label_cut, method_cut = row[1].rfind(" ", 0, len(row[1]) // 2), row[2].rfind(" ", 0, len(row[2]) // 2)
        out.append([row[0], row[1][:label_cut], row[2][:method_cut], row[3], row[4]])
        out.append(HEADER)
        out.append(["", row[1][label_cut + 1:], row[2][method_cut + 1:], "", ""])
    return out


def test_page_breaks_repeated_headers_and_broken_rows_are_joined() -> None:
    clean = table_observations(_grid([HEADER, *_hanam_rows()]))
    paged_rows = _paginate(_hanam_rows(), every=9)
    assert sum(row == HEADER for row in paged_rows) > 5
    paged = table_observations(_grid(paged_rows))
    assert [(o.indicator, o.ref, o.value, o.max_points, o.label) for o in paged] == [
        (o.indicator, o.ref, o.value, o.max_points, o.label) for o in clean
    ]


def test_seed_page_break_row_joined() -> None:
    """Seed 004 as extracted: row 5 of section I is cut by the page break (text only)."""
    rows = _tab_rows(
        "TT\tNội dung\tCách tính\tĐiểm tối đa\tĐiểm tự đánh giá\n"
        "I\tHẠ TẦNG KỸ THUẬT CNTT\t\t50\t50\n"
        "5\tTỷ lệ máy tính cài đặt phần mềm văn\tĐiểm = Tỷ lệ % x\t5\t5\n"
        "TT\tNội dung\tCách tính\tĐiểm tối đa\tĐiểm tự đánh giá\n"
        "\tphòng (Word, Excel, PowerPoint...) bản quyền hoặc mã nguồn mở\tĐiểm tối đa\t\t\n"
        "6\tMáy quét (Scan) văn bản\tCó: điểm tối đa Không: 0 điểm\t5\t5\n"
    )
    observations = table_observations(_grid(rows))
    assert [o.indicator for o in observations] == ["I", "I.5", "I.6"]
    assert observations[1].label == (
        "Tỷ lệ máy tính cài đặt phần mềm văn phòng (Word, Excel, PowerPoint...) bản quyền hoặc mã nguồn mở"
    )


def test_blank_self_score_is_kept_not_dropped() -> None:
    rows = [
        HEADER,
        ["I", "HẠ TẦNG", "", "10", ""],
        ["1", "Máy tính", "", "10", ""],
        ["2", "Máy quét", "", "", ""],
    ]
    observations = table_observations(_grid(rows))
    assert [(o.indicator, o.raw_value, o.value, o.max_points) for o in observations] == [
        ("I", "", None, 10), ("I.1", "", None, 10),
    ]  # "2" has neither maximum nor score: a heading in a table that prints maxima
    assert observations[1].location == "dòng 3, cột 5"


def test_table_without_maxima_tells_headings_from_blank_scores() -> None:
    rows = [
        ["STT", "Tiêu chí", "Điểm tự chấm"],
        ["1", "Hạ tầng", ""],  # heading: 1.1 follows
        ["1.1", "Máy tính", "8"],
        ["1.2", "Máy quét", ""],  # blank score: 2 follows
        ["2", "Nhân lực", "5"],
    ]
    observations = table_observations(_grid(rows))
    assert [(o.indicator, o.value) for o in observations] == [("1.1", 8), ("1.2", None), ("2", 5)]


def test_two_row_header_letters_column_numbers_and_refs_in_labels() -> None:
    rows = [
        ["Nội dung", "Điểm", ""],
        ["", "Tối đa", "Tự đánh giá"],
        ["(1)", "(2)", "(3)"],
        ["I. Hạ tầng kỹ thuật", "20", "17"],
        ["1. Máy tính", "", ""],
        ["a) Máy tính để bàn", "5", "4,5"],
        ["b) Máy tính xách tay", "5", "5 điểm"],
        ["2. Mạng LAN", "10", "7,5"],
        ["Tổng cộng", "20", "17"],
    ]
    observations = table_observations(_grid(rows))
    assert [(o.indicator, o.ref, o.value, o.max_points) for o in observations] == [
        ("I", "I", 17, 20), ("I.1.a", "a", 4.5, 5), ("I.1.b", "b", 5, 5), ("I.2", "2", 7.5, 10),
        ("TOTAL", "", 17, 20),
    ]
    assert observations[0].label == "Hạ tầng kỹ thuật"
    assert observations[2].unit == "điểm"


def test_row_problems_unparsed_score_and_unplaced_row() -> None:
    rows = [HEADER, ["", "Dòng không số thứ tự", "", "5", "5"], ["1", "Máy tính", "", "10", "Đạt"]]
    extracted = interpret([], [_grid(rows)], source="a/b.docx")
    assert [(o.indicator, o.value) for o in extracted.observations] == [("", 5), ("1", None)]
    assert [(p.code, p.file, p.location) for p in extracted.problems] == [
        ("W-NO-CRITERION-PATH", "a/b.docx", "dòng 2, cột 5"),
        ("W-UNPARSED-VALUE", "a/b.docx", "dòng 3, cột 5"),
    ]
    assert "Đạt" in extracted.problems[1].message


# --- data tables --------------------------------------------------------------------------------
HA_TINH = """
TT\tTên tiêu chí\tSở Xây dựng
I\tA- Thông tin chung về đơn vị\t
1\tTên đơn vị\tSở Xây dựng
2\tHọ tên Giám đốc:\tTrần Xuân Tiến
9\tSố cán bộ công chức:\t36
II\tB- Về cơ sở hạ tầng thông tin\t
3\tSố lượng máy chủ (Server)\t2
4\tKết nối mạng truyền số liệu chuyên dùng\tKhông
III C- Về nhân lực CNTT\t\t
1\tSố cán bộ chuyên trách CNTT có trình độ thạc sỹ trở lên về chuyên ngành CNTT\t
16\tSố hồ sơ được tiếp nhận và giải quyết đúng hạn\t792 (còn 117 HS đang giải quyết chưa đến hạn).
"""


def test_ha_tinh_form_rows_become_data() -> None:
    observations = table_observations(_grid(_tab_rows(HA_TINH)))
    assert {o.kind for o in observations} == {"data"}
    by_label = {o.label: o for o in observations}
    blank = "Số cán bộ chuyên trách CNTT có trình độ thạc sỹ trở lên về chuyên ngành CNTT"
    assert list(by_label) == [
        "Tên đơn vị", "Họ tên Giám đốc", "Số cán bộ công chức", "Số lượng máy chủ (Server)",
        "Kết nối mạng truyền số liệu chuyên dùng", blank, "Số hồ sơ được tiếp nhận và giải quyết đúng hạn",
    ]
    # issue 11.6: the row left blank is kept, explicitly missing (never 0), at its value cell
    kept = by_label[blank]
    assert (kept.raw_value, kept.value, kept.location) == ("", None, "dòng 10, cột 3")
    assert (by_label["Số cán bộ công chức"].value, by_label["Số cán bộ công chức"].ref) == (36, "9")
    assert by_label["Số lượng máy chủ (Server)"].location == "dòng 7, cột 3"
    assert by_label["Kết nối mạng truyền số liệu chuyên dùng"].value == 0
    assert by_label["Số hồ sơ được tiếp nhận và giải quyết đúng hạn"].value == 792
    assert by_label["Tên đơn vị"].raw_value == "Sở Xây dựng" and by_label["Tên đơn vị"].value is None


def test_data_table_unit_column_and_several_value_columns() -> None:
    rows = [
        ["TT", "Nội dung/tiêu chí", "Đơn vị tính", "Năm 2021", "Năm 2022"],
        ["1", "Tổng số máy tính", "chiếc", "40", "45"],
        ["", "- Số máy tính kết nối Internet", "chiếc", "", "44"],
    ]
    observations = table_observations(_grid(rows))
    assert [(o.label, o.raw_value, o.value, o.unit, o.note) for o in observations] == [
        ("Tổng số máy tính", "40", 40, "chiếc", "Năm 2021"),
        ("Tổng số máy tính", "45", 45, "chiếc", "Năm 2022"),
        ("Số máy tính kết nối Internet", "", None, "chiếc", "Năm 2021"),  # left empty: missing (issue 11.6)
        ("Số máy tính kết nối Internet", "44", 44, "chiếc", "Năm 2022"),
    ]


# --- lines ------------------------------------------------------------------------------------
HANAM_TEXT = (
    "SỞ TÀI CHÍNH\nBÁO CÁO\nKết quả ứng dụng công nghệ thông tin năm 2022\n"
    "Cổng Thông tin điện tử Sở Tài chính đã cập nhật kịp thời, đầy đủ thông tin theo quy định tại "
    "Nghị định số 42/2012/NĐ-CP ngày 24/6/2012 của Chính phủ.\n"
    "- Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia: 26/27 (96,30%).\n"
    "Các ứng dụng CNTT ngành tài chính đã đáp ứng được yêu cầu của công tác quản lý và điều hành tài "
    "chính ngân sách, bao gồm: Hệ thống Thông tin Quản lý Ngân sách và"
) + """
- Máy chủ: 04 chiếc
- Mạng Wan kết nối với UBND tỉnh, Bộ Tài chính, Phòng Tài chính
- Phòng họp trực tuyến: 01 bộ thiết bị
- Tổng số cán bộ, công chức và người lao động của cơ quan: 50 người.
Sở Tài chính đã ban hành các văn bản tạo môi trường pháp lý cho ứng dụng công nghệ thông tin (CNTT), cụ thể:
- Một số ứng dụng CNTT còn thiếu, như: Phần mềm quản lý nhân sự; Cơ sở dữ liệu về giá tại địa phương...
Nơi nhận:
- Lưu: VT.
(Kèm theo Báo cáo số /BC-STC ngày / 10 / 2022 của Sở Tài chính tỉnh Hà Nam)
THÔNG TIN CHUNG
Tên cơ quan, đơn vị: Sở Tài chính tỉnh Hà Nam
Tổng số đơn vị trực thuộc: 07
Tổng số điểm đạt được: 496
Tổng số điểm tối đa: 500 điểm
"""


def test_label_value_lines_from_narrative_and_general_information() -> None:
    observations = lines_to_observations(_lines(HANAM_TEXT))
    by_label = {o.label: o for o in observations}
    assert list(by_label) == [
        "Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia", "Máy chủ", "Phòng họp trực tuyến",
        "Tổng số cán bộ, công chức và người lao động của cơ quan", "Tên cơ quan, đơn vị",
        "Tổng số đơn vị trực thuộc", "Tổng số điểm đạt được",
    ]
    dvc = by_label["Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia"]
    assert (dvc.value, dvc.denominator, dvc.kind) == (26, 27, "data")
    server = by_label["Máy chủ"]
    assert (server.value, server.unit, server.raw_value) == (4, "chiếc", "04 chiếc")
    staff = by_label["Tổng số cán bộ, công chức và người lao động của cơ quan"]
    assert (staff.value, staff.unit, staff.location) == (50, "người", "đoạn 10")
    total = by_label["Tổng số điểm đạt được"]
    assert (total.kind, total.indicator, total.value, total.max_points) == ("self_score", "TOTAL", 496, 500)


def test_rows_outside_tables_read_as_lines() -> None:
    rows = _grid([
        ["ỦY BAN NHÂN DÂN TỈNH HÀ NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["Tên cơ quan, đơn vị:", "Sở Y tế"],
        ["Tổng số máy tính", "", "50"],
        ["Số: 12/BC-SYT", "Hà Nam, ngày 5 tháng 1 năm 2023"],
    ])
    assert [line.text for line in rows_to_lines(rows)] == [
        "ỦY BAN NHÂN DÂN TỈNH HÀ NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tên cơ quan, đơn vị: Sở Y tế",
        "Tổng số máy tính: 50", "Số: 12/BC-SYT", "Hà Nam, ngày 5 tháng 1 năm 2023",
    ]
    assert rows_to_lines(rows)[3].location == "dòng 3, cột 3"


# --- agency and period ------------------------------------------------------------------------
def test_interpret_hanam_lines_and_table() -> None:
    extracted = interpret(_lines(HANAM_TEXT), [_grid([HEADER, *_hanam_rows()])], source="so-tai-chinh.pdf")
    assert (extracted.agency, extracted.period) == ("Sở Tài chính tỉnh Hà Nam", "2022")
    assert extracted.problems == []
    totals = [o for o in extracted.observations if o.indicator == "TOTAL"]
    assert [(o.value, o.max_points) for o in totals] == [(496, 500), (496, 500)]


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        (HANAM_TEXT, "Sở Tài chính tỉnh Hà Nam"),  # "Tên cơ quan, đơn vị: …"
        ("Tên đơn vị: Sở Xây dựng\nĐơn vị: triệu đồng", "Sở Xây dựng"),
        ("Đơn vị: triệu đồng\n(Kèm theo Báo cáo số 96/BC-STC ngày 5/3/2020 của Sở Tài chính tỉnh Hà Nam)",
         "Sở Tài chính tỉnh Hà Nam"),
        ("UBND TỈNH HÀ NAM\nSỞ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBÁO CÁO", "Sở Tài chính"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ TUYÊN QUANG\nSố: 96 /BC-UBND", "Ủy ban nhân dân thành phố Tuyên Quang"),
        ("BÁO CÁO\nKết quả năm 2022", None),
    ],
)
def test_agency_from_lines(text: str, agency: str | None) -> None:
    assert interpret(_lines(text), []).agency == agency


def test_agency_from_tables() -> None:
    rows = _tab_rows(HA_TINH)
    assert interpret([], [_grid(rows)]).agency == "Sở Xây dựng"  # the "Tên đơn vị" row
    without_name_row = [row for row in rows if row[1] != "Tên đơn vị"]
    assert interpret([], [_grid(without_name_row)]).agency == "Sở Xây dựng"  # the value column header
    report = [["TT", "Nội dung/tiêu chí", "Đơn vị tính", "Số liệu"],
              ["2", "Tên cơ quan báo cáo", "", "Ủy ban nhân dân thành phố Tuyên Quang"]]
    assert interpret([], [_grid(report)]).agency == "Ủy ban nhân dân thành phố Tuyên Quang"
    assert interpret([], [_grid([["TT", "Nội dung", "Số liệu"], ["1", "Máy chủ", "2"]])]).agency is None


@pytest.mark.parametrize(
    ("text", "period"),
    [
        (HANAM_TEXT, "2022"),
        ("Hà Nam, ngày 5 tháng 1 năm 2023\nCăn cứ Quyết định ban hành năm 2012;\n"
         "BÁO CÁO\nKết quả ứng dụng CNTT năm 2022", "2022"),  # the title wins over the date and over prose
        ("BÁO CÁO\nĐÁNH GIÁ MỨC ĐỘ XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ 6 THÁNG ĐẦU NĂM 2020", "2020"),
        ("TP. Tuyên Quang, ngày 5 tháng 3 năm 2020\nBÁO CÁO\n"
         "Số liệu về phát triển Chính phủ điện tử quý I/2020", "2020"),
        ("Căn cứ Nghị định ngày 24/6/2012;\nKế hoạch ứng dụng CNTT trong năm 2021 đã hoàn thành", "2021"),
        ("Hà Nam, ngày 5 tháng 1 năm 2023\nNghị định số 42/2012/NĐ-CP ngày 24/6/2012", None),
        # issue 12: the period of a line is read by values.parse_period, as in a cell ("Q1/2020" too)
        ("BÁO CÁO SỐ LIỆU Q1/2020", "2020"),
        ("BÁO CÁO\nSố liệu quý V/2018\n2019", None),  # no such quarter; a number alone names no period
    ],
)
def test_detect_period(text: str, period: str | None) -> None:
    assert detect_period(_lines(text)) == period


def test_continues_table() -> None:
    first = _grid([HEADER, ["I", "HẠ TẦNG", "", "50", "50"]])
    assert continues_table(first, _grid([HEADER, ["1", "Máy tính", "", "10", "10"]]))
    assert continues_table(first, _grid([["2", "Máy quét", "", "5", "5"]]))
    assert not continues_table(first, _grid([["Người lập biểu", "Giám đốc"]]))
    assert not continues_table(first, _grid([["TT", "Tên tiêu chí", "Sở Xây dựng"]]))
    assert not continues_table(_grid([["Họ tên", "Chức vụ", "", "", ""]]), _grid([["1", "a", "", "", ""]]))


def test_observation_fields_are_plain_data() -> None:
    observation = table_observations(_grid([HEADER, ["1", "Máy tính", "", "10", "9"]]))[0]
    assert observation == Observation(
        "Máy tính", "9", 9, kind="self_score", indicator="1", ref="1", max_points=10,
        location="dòng 2, cột 5",
    )


# --- issue 3: form answers, sub-rows, merged headers, dates, impossible values ---------------------
def test_tick_box_answers_on_the_line_and_the_next() -> None:
    text = (
        "6. Cơ quan có mạng diện rộng (WAN):\n☒ Có □ Không\n"
        "b. Người chịu trách nhiệm quản lý nội dung:\nCó: ☒ Không: □\n"
        "c. Hệ thống báo cháy: □ Có ☑ Không\n"
        "d. Hệ thống chống sét: □ Có □ Không\n"  # nothing ticked: asked, unanswered: blank, never "Không"
        "e. Tường lửa: ☒ Có ☒ Không\n"  # both ticked: no value, a problem
    )
    extracted = interpret(_lines(text), [], source="f.docx")
    assert [(o.label, o.raw_value, o.value, o.location) for o in extracted.observations] == [
        ("Cơ quan có mạng diện rộng (WAN)", "☒ Có □ Không", 1, "đoạn 2"),
        ("Người chịu trách nhiệm quản lý nội dung", "Có: ☒ Không: □", 1, "đoạn 4"),
        ("Hệ thống báo cháy", "□ Có ☑ Không", 0, "đoạn 5"),
        ("Hệ thống chống sét", "", None, "đoạn 6"),
        ("Tường lửa", "☒ Có ☒ Không", None, "đoạn 7"),
    ]
    assert [(p.code, p.location) for p in extracted.problems] == [("W-IMPOSSIBLE-VALUE", "đoạn 7")]


def test_boxed_fields_and_options_take_their_question() -> None:
    text = (
        "- Cán bộ phụ trách về CNTT:\n□ Chuyên trách: 2 người □ Kiêm nhiệm: …… người\n"
        "- Đơn vị đang áp dụng chữ ký số của:\n☒ Chữ ký số chuyên dùng\n□ Chữ ký số công cộng\n"
    )
    assert [(o.label, o.value) for o in lines_to_observations(_lines(text))] == [
        ("Cán bộ phụ trách về CNTT – Chuyên trách", 2),  # the unfilled "Kiêm nhiệm" gives nothing
        ("Chữ ký số chuyên dùng", 1), ("Chữ ký số công cộng", 0),
    ]
    blank = "- Đơn vị áp dụng:\n□ Chữ ký số chuyên dùng\n□ Chữ ký số công cộng"
    assert lines_to_observations(_lines(blank)) == []  # no box ticked anywhere: a blank form, not "no"


def test_dot_leaders_and_recipients() -> None:
    text = (
        "4. Tổng số máy chủ: 03…………\n"
        "5. Tổng số máy quét:………… chiếc\n"  # blank left unfilled
        "- Tổng số CBCC được tập huấn về CNTT trong năm……………… 30\n"
        "- Số văn bản đi/ Tổng số văn bản đi:…1250…/…1300…\n"
        "Nơi nhận:\n- Chuyên viên: CNTT;\n- Lưu: VT.\n"
    )
    assert [(o.label, o.raw_value, o.value, o.denominator) for o in lines_to_observations(_lines(text))] == [
        ("Tổng số máy chủ", "03", 3, None),
        ("Tổng số máy quét", "", None, None),  # issue 11.6: kept, explicitly missing
        ("Tổng số CBCC được tập huấn về CNTT trong năm", "30", 30, None),
        ("Số văn bản đi/ Tổng số văn bản đi", "1250/1300", 1250, 1300),
    ]


def test_data_sub_rows_take_their_parent_and_are_never_joined() -> None:
    rows = [
        ["TT", "Nội dung/tiêu chí", "ĐVT", "Số liệu"],
        ["1.1", "- Tổng số CBCCVC chuyên trách CNTT của đơn vị", "người", "1"],
        ["", "- Tỷ lệ/tổng số CBCCVC", "%", ""],  # a sub-row left blank: not a continuation
        ["2,1", "Số lượng máy tính được cài đặt:", "chiếc", "150/168"],
        ["", "Tỷ lệ:", "%", "89,3"],
        ["4,4", "Tỷ lệ máy tính kết nối Internet", "", "100"],
        ["", "- Tại UBND cấp huyện:", "%", "100"],
        ["a", "Quản lý nhân sự", "", ""],
        ["", "1/0 (1: Có; 0: Chưa có)", "", "0"],  # the legend where the label should be
    ]
    assert [(o.label, o.value, o.unit, o.ref) for o in table_observations(_grid(rows))] == [
        ("Tổng số CBCCVC chuyên trách CNTT của đơn vị", 1, "người", "1.1"),
        ("Tỷ lệ/tổng số CBCCVC", None, "%", ""),  # issue 11.6: the blank sub-row is kept, missing
        ("Số lượng máy tính được cài đặt", 150, "chiếc", "2,1"),
        ("Số lượng máy tính được cài đặt – Tỷ lệ", 89.3, "%", ""),
        ("Tỷ lệ máy tính kết nối Internet", 100, "", "4,4"),
        ("Tỷ lệ máy tính kết nối Internet – Tại UBND cấp huyện", 100, "%", ""),
        ("Quản lý nhân sự", 0, "1/0 (1: Có; 0: Chưa có)", ""),
    ]


def test_two_row_header_groups_values_out_of_place_and_tick_columns() -> None:
    rows = [
        ["TT", "Nội dung", "Đơn vị tính", "Phân khai báo số liệu", ""],
        ["", "", "", "Số liệu", "Ghi chú"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", "Quý báo cáo", "Quý I/2020", "", ""],  # typed into the unit column
        ["2", "Quy chế đảm bảo an toàn thông tin", "1/0 (1: Có; 0: Không)", "", "Đang xây dựng"],
        ["3", "Số hệ thống thư điện tử", "Hệ thống", "02", "dùng chung"],
    ]
    observations = table_observations(_grid(rows))
    assert [(o.label, o.raw_value, o.value, o.note, o.location) for o in observations] == [
        ("Quý báo cáo", "Quý I/2020", None, "Quý I/2020", "dòng 4, cột 3"),
        # issue 11.6: "not yet" written in the note column is the row's answer, kept as text (not 0)
        ("Quy chế đảm bảo an toàn thông tin", "Đang xây dựng", None, "Đang xây dựng", "dòng 5, cột 5"),
        ("Số hệ thống thư điện tử", "02", 2, "dùng chung", "dòng 6, cột 4"),
    ]
    ticks = [["STT", "Giải pháp", "Có", "Không"], ["1", "Băng từ", "□", "☒"], ["2", "NAS", "☒", "□"]]
    assert [(o.label, o.value, o.note) for o in table_observations(_grid(ticks))] == [
        ("Băng từ", 0, "Không"), ("NAS", 1, "Có"),
    ]


def test_impossible_value_in_a_table_is_a_problem() -> None:
    rows = [["TT", "Nội dung/tiêu chí", "Đơn vị tính", "Số liệu"], ["1", "Quý báo cáo", "", "Quý V/2018"]]
    extracted = interpret([], [_grid(rows)], source="a.xlsx")
    assert [(p.code, p.file, p.location) for p in extracted.problems] == [
        ("W-IMPOSSIBLE-VALUE", "a.xlsx", "dòng 2, cột 4"),
    ]
    assert "Quý V/2018" in extracted.problems[0].message and "Quý báo cáo" in extracted.problems[0].message


def test_impossible_value_flag_comes_from_parsed_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    from egovcli.ingest.layout import lines
    from egovcli.values import Parsed

    # (patched where a line's value is parsed: `parse` is bound in each layout module at import; the issue
    # text is one no real parse gives, so the flag can only come from the Parsed handed over)
    impossible = Parsed("435/463 (98%)", 98.0, "percent", issue="lệch giả lập")
    monkeypatch.setattr(lines, "parse", lambda raw: impossible)
    extracted = interpret(_lines("Tỷ lệ hồ sơ: 435/463 (98%)"), [])
    assert [(p.code, p.location) for p in extracted.problems] == [("W-IMPOSSIBLE-VALUE", "đoạn 1")]
    assert "lệch giả lập" in extracted.problems[0].message


def test_published_ranking_tables_are_asked_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from egovcli.ingest import layout

    ranking = [Observation("Sở Tài chính", "95", 95, kind="published_score", indicator="TOTAL")]
    seen: list[int] = []

    def published(rows: object) -> list[Observation] | None:
        seen.append(len(rows))  # type: ignore[arg-type]
        return ranking if len(rows) == 2 else None  # type: ignore[arg-type]

    monkeypatch.setattr(layout, "ranking_table_observations", published)
    grid = _grid([["TT", "Đơn vị", "Tổng điểm"], ["1", "Sở Tài chính", "95"]])
    assert interpret([], [grid]).observations == ranking
    criteria = _grid([HEADER, ["1", "Máy tính", "", "10", "9"]])
    assert [o.indicator for o in interpret([], [criteria]).observations] == ["1"]
    assert seen == [2]  # a self-assessment table is never asked about


def test_outside_rows_date_line_is_not_a_label() -> None:
    rows = _grid([["Bình Định, ngày 15 tháng 01 năm 2020", "Bình Định, ngày 15 tháng 01 năm 2020"]])
    assert [line.text for line in rows_to_lines(rows)] == ["Bình Định, ngày 15 tháng 01 năm 2020"] * 2


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ỦY BAN NHÂN DÂN\nSố: 96 /BC-UBND\nTP. Tuyền Quang, ngày 5 tháng 3 năm 2020\nBÁO CÁO", "2020-03-05"),
        ("QUYẾT ĐỊNH\nngày 27 tháng 12 năm 2017\nCăn cứ Luật ngày 19/6/2015;", "2017-12-27"),
        ("BÁO CÁO QUÝ I NĂM 2020\n(Kèm theo Báo cáo số 96/BC-UBND ngày 5/3/2020 của UBND)", "2020-03-05"),
        ("Căn cứ Quyết định số 4158/QĐ-UBND ngày 18 tháng 11 năm 2015 của UBND tỉnh;", None),
        ("Bình Định, ngày..... tháng.... năm 2019", None),  # not filled in
        ("Hà Nam, ngày 31 tháng 2 năm 2022", None),  # no such day
        ("Hà Tĩnh, ngày 5 tháng 3 năm 1020", None),  # issue 12: a date is valid as values.valid_date says
    ],
)
def test_detect_date(text: str, date: str | None) -> None:
    assert detect_date(_lines(text)) == date


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("MẪU PHIẾU ĐÁNH GIÁ SỐ LIỆU\n1. Năm báo cáo: 2019\nBình Định, ngày 15 tháng 01 năm 2020", "2019"),
        ("Quý báo cáo: Quý V/2018", None),  # an impossible quarter names no period
        ("BÁO CÁO ĐỊNH KỲ QUÝ I NĂM 2020\nQuý báo cáo: Quý V/2018", "2020"),
    ],
)
def test_detect_period_from_a_labelled_line(text: str, period: str | None) -> None:
    assert detect_period(_lines(text)) == period


def test_value_merged_down_answers_each_labelled_row_of_a_data_table() -> None:
    rows = [
        [Cell("TT", "A1"), Cell("Tên tiêu chí", "B1"), Cell("Sở Xây dựng", "C1")],
        [Cell("1", "A2"), Cell("Phần mềm kế toán và quản lý tài sản công", "B2"), Cell("Có", "C2", down=2)],
        [Cell("2", "A3"), Cell("Phần mềm quản lý cán bộ công chức", "B3"), Cell("", "C3")],
        [Cell("3", "A4"), Cell("Số phần mềm quản lý nghiệp vụ chuyên ngành", "B4"), Cell("9", "C4")],
    ]
    got = [(o.label, o.value, o.location) for o in table_observations(rows)]
    assert got == [
        ("Phần mềm kế toán và quản lý tài sản công", 1.0, "C2"),
        ("Phần mềm quản lý cán bộ công chức", 1.0, "C2"),
        ("Số phần mềm quản lý nghiệp vụ chuyên ngành", 9.0, "C4"),
    ]


def test_score_merged_down_in_a_criteria_table_is_not_copied() -> None:
    titles = ("TT", "Nội dung", "Điểm tối đa", "Điểm tự đánh giá")
    header = [Cell(t, f"{c}1") for t, c in zip(titles, "ABCD", strict=True)]
    rows = [
        header,
        [Cell("I", "A2"), Cell("HẠ TẦNG KỸ THUẬT CNTT", "B2"), Cell("50", "C2"), Cell("10", "D2")],
        [Cell("1", "A3"), Cell("Tỷ lệ CBCCVC được trang bị máy tính", "B3"), Cell("10", "C3"),
         Cell("10", "D3", down=2)],
        [Cell("2", "A4"), Cell("Tỷ lệ máy tính có kết nối Internet", "B4"), Cell("10", "C4"), Cell("", "D4")],
    ]
    scores = {o.indicator: o.value for o in table_observations(rows) if o.kind == "self_score"}
    assert scores == {"I": 10.0, "I.1": 10.0, "I.2": None}


def test_rows_above_a_header_read_again_in_the_next_file_give_the_same_result(monkeypatch) -> None:
    """A round's forms repeat the rows above their table (letterhead, "label | value" pairs): the
    second file reads exactly as the first, a long cell is never remembered, memory stays bounded."""
    from egovcli.ingest.layout import header

    monkeypatch.setattr(header, "_UNHEADED", set())
    monkeypatch.setattr(header, "_UNHEADED_MAX", 2)
    above = [
        ["UBND TỈNH HÀ NAM", ""], ["Tên đơn vị:", "Sở Tài chính"], ["Ghi chú " * 40, ""],
        ["Năm báo cáo:", "2022"],
    ]
    rows = [*above, HEADER, ["1", "Kế hoạch", "Có: 5", "5", "4"]]
    first, again = interpret([], [_grid(rows)]), interpret([], [_grid(rows)])
    assert first == again and first.agency == "Sở Tài chính" and first.period == "2022"
    assert [(o.indicator, o.value) for o in first.observations if o.kind == "self_score"] == [("1", 4.0)]
    assert len(header._UNHEADED) <= 2 and not any(len(row[0]) > 200 for row in header._UNHEADED)
