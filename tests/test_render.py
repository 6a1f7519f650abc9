"""Rendering: the ranking workbook (layout, audit sheet, formula safety) and the md/html summaries."""

import re
import time
import zipfile

import pytest
from openpyxl import load_workbook

from egovcli.rank import rank_scores
from egovcli.render.summary import (
    criterion_sort_key,
    md_cell,
    render_html,
    render_markdown,
    section_heading,
    summary_context,
    template_dir,
)
from egovcli.render.workbook import sheet_name, write_ranking_workbook
from egovcli.score.model import AgencyScore, CriterionScore
from egovcli.textnorm import vi_number

SECTIONS = [
    ("I", "HẠ TẦNG KỸ THUẬT CNTT", 50),
    ("II", "ỨNG DỤNG CNTT TRONG HOẠT ĐỘNG NỘI BỘ CƠ QUAN", 150),
    ("III", "ỨNG DỤNG CNTT PHỤC VỤ NGƯỜI DÂN VÀ DOANH NGHIỆP", 170),
    ("IV", "NHÂN LỰC CNTT", 30),
    ("V", "MÔI TRƯỜNG CHÍNH SÁCH", 50),
    ("VI", "AN TOÀN THÔNG TIN", 50),
]
HYPERLINK = '=HYPERLINK("http://x")'
SHEETS = [
    "Tổng hợp",
    "I. Hạ tầng kỹ thuật CNTT",
    "II. Ứng dụng CNTT trong hoạt…",
    "III. Ứng dụng CNTT phục vụ…",
    "IV. Nhân lực CNTT",
    "V. Môi trường chính sách",
    "VI. An toàn thông tin",
    "Kiểm tra",
]


def hanam(agency: str, group: str, pc_points: float, source: str = "SoTaiChinh_2022.xlsx") -> AgencyScore:
    """Rows shaped like the Hà Nam 2022 phụ lục (sections I and II), with one flag of each kind."""
    sheet = "Phụ lục"
    c = CriterionScore
    rows = [
        c(
            "I",
            "I",
            "HẠ TẦNG KỸ THUẬT CNTT",
            pc_points + 9,
            50,
            "total",
            self_points=50,
            flags=["subtotal_mismatch"],
            explanation="Tổng ghi 50, tổng các dòng khác",
            source_file=source,
            location=f"{sheet}!E2",
        ),
        c(
            "I.1",
            "I",
            "Tỷ lệ CBCCVC được trang bị máy tính",
            pc_points,
            10,
            "data",
            self_points=10,
            flags=["claim_exceeds_evidence"] if pc_points < 10 else [],
            explanation="Tỷ lệ 95% × 10 điểm = 9,5",
            source_file=source,
            location=f"{sheet}!E3",
        ),
        c(
            "I.3.1",
            "I",
            "Phòng máy chủ (phòng lắp đặt thiết bị mạng, máy chủ, điều hòa ...)",
            4,
            4,
            "self",
            self_points=4,
            source_file=source,
            location=f"{sheet}!E5",
        ),
        c(
            "I.3.4",
            "I",
            "Hệ thống sao lưu | SAN, NAS\nhoặc DAS",
            5,
            5,
            "self",
            self_points=6,
            flags=["over_max"],
            explanation="@SUM(A1)",
            source_file="-2+3.xlsx",
            location="\t=1+1",
        ),
        c("II.1", "II", "Sử dụng Hệ thống Quản lý văn bản và điều hành (QLVB&DH)", 15, 80, "total"),
        c("II.1.7", "II", "Tỷ lệ vào lịch công tác của cơ quan, phòng, ban", 15, 15, "self", self_points=15),
        c("II.4", "II", "Các ứng dụng CNTT khác", 0, 20, "total"),
        c(
            "II.4.1",
            "II",
            "Phần mềm quản lý nhân sự",
            0,
            4,
            "missing",
            flags=["missing_self_score"],
            source_file=source,
            location=f"{sheet}!E40",
        ),
    ]
    return AgencyScore(agency, group, "2022", "hanam-2022", rows)


@pytest.fixture
def scores():
    return [
        hanam("Sở Tài chính", "department", 9.5),
        hanam("Sở <script>alert(1)</script>", "department", 10),
        hanam(HYPERLINK, "district", 7),
        hanam("UBND huyện Kim Bảng", "district", 10),
    ]


@pytest.fixture
def workbook(tmp_path, scores):
    path = tmp_path / "out" / "xep-hang.xlsx"
    write_ranking_workbook(path, rank_scores(scores), scores, SECTIONS)
    return path


def rows_of(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_workbook_sheets_and_summary_layout(workbook):
    wb = load_workbook(workbook)
    assert wb.sheetnames == SHEETS
    ws = wb["Tổng hợp"]
    assert "Kết quả xếp hạng" in ws["A1"].value
    assert "hanam-2022" in ws["A2"].value and "2022" in ws["A2"].value
    header = rows_of(ws)[2]
    assert header[:4] == ["Xếp hạng", "Cơ quan", "Nhóm", "Kỳ"]
    assert header[4] == "I. Hạ tầng kỹ thuật CNTT\n(tối đa 50)"
    assert header[-2:] == ["Tổng điểm", "Điểm tối đa"]
    assert len(header) == 4 + len(SECTIONS) + 2
    data = rows_of(ws)[3:]
    assert [r[:4] for r in data] == [
        [1, "Sở <script>alert(1)</script>", "Sở, ban, ngành", "2022"],
        [2, "Sở Tài chính", "Sở, ban, ngành", "2022"],
        [1, "UBND huyện Kim Bảng", "UBND cấp huyện", "2022"],
        [2, HYPERLINK, "UBND cấp huyện", "2022"],
    ]
    assert data[1][4:] == [18.5, 15, None, None, None, None, 33.5, 38]
    assert ws.freeze_panes == "C4"


def test_section_sheet_criteria_down_agencies_across(workbook):
    ws = load_workbook(workbook)["I. Hạ tầng kỹ thuật CNTT"]
    rows = rows_of(ws)
    assert rows[2][3:] == ["Sở, ban, ngành", None, "UBND cấp huyện", None]
    assert rows[3] == [
        "TT",
        "Tiêu chí",
        "Điểm tối đa",
        "Sở <script>alert(1)</script>",
        "Sở Tài chính",
        "UBND huyện Kim Bảng",
        HYPERLINK,
    ]
    assert [r[0] for r in rows[4:8]] == ["I", "I.1", "I.3.1", "I.3.4"]
    assert rows[4][1:] == ["HẠ TẦNG KỸ THUẬT CNTT", 50, 19, 18.5, 19, 16]  # recomputed from the criteria
    assert rows[5][2:] == [10, 10, 9.5, 10, 7]
    data_cell, self_cell = ws["E6"], ws["E7"]
    assert data_cell.number_format == "General" and "(TĐG)" in self_cell.number_format
    assert data_cell.fill.fgColor.rgb.endswith("FCD5B4")  # flagged: claim_exceeds_evidence
    assert ws["D6"].fill.fill_type is None
    assert "Tỷ lệ 95% × 10 điểm = 9,5" in data_cell.comment.text
    assert "SoTaiChinh_2022.xlsx, Phụ lục!E3" in data_cell.comment.text
    legend = [r[0] for r in rows if r[0] and str(r[0]).startswith("(TĐG)")]
    assert legend, "basis legend missing under the table"
    subsections = [r[0] for r in rows_of(load_workbook(workbook)[SHEETS[2]])[4:8]]
    assert subsections == ["II", "II.1", "II.1.7", "II.4"]


def test_audit_sheet_lists_every_flag_with_source(workbook):
    ws = load_workbook(workbook)["Kiểm tra"]
    rows = rows_of(ws)
    assert rows[2] == [
        "Cơ quan",
        "Tiêu chí",
        "Nội dung",
        "Cờ",
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Căn cứ",
        "Điểm tính được",
        "Diễn giải",
        "Tệp nguồn",
        "Vị trí",
    ]
    flagged = [r for r in rows[3:] if r[0] == "Sở Tài chính" and r[1] == "I.1"]
    assert flagged == [
        [
            "Sở Tài chính",
            "I.1",
            "Tỷ lệ CBCCVC được trang bị máy tính",
            "claim_exceeds_evidence – Điểm tự đánh giá cao hơn số liệu minh chứng",
            10,
            None,  # no appraisal column in this submission
            "số liệu",
            9.5,
            "Tỷ lệ 95% × 10 điểm = 9,5",
            "SoTaiChinh_2022.xlsx",
            "Phụ lục!E3",
        ]
    ]
    codes = {r[3].split(" – ")[0] for r in rows[3:]}
    assert codes == {"over_max", "claim_exceeds_evidence", "subtotal_mismatch", "missing_self_score"}
    assert len(rows) - 3 == 4 * 3 + 2  # three flags per agency, plus claim_exceeds_evidence for two


def test_untrusted_text_is_never_a_formula(workbook):
    wb = load_workbook(workbook)
    dangerous = {HYPERLINK, "@SUM(A1)", "-2+3.xlsx", "\t=1+1"}
    seen = set()
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r":
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate)
                    seen.add(cell.value)
    assert dangerous <= seen
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)


def test_plus_formula_and_control_characters_stay_text(tmp_path):
    score = hanam("+1+1", "department", 10)
    score.rows[1].label = "Tỷ lệ\x00 máy tính\x1f"  # control characters from a PDF extraction
    path = tmp_path / "x.xlsx"
    write_ranking_workbook(path, rank_scores([score]), [score], SECTIONS[:1], rules_title="=1+1")
    ws = load_workbook(path)["Tổng hợp"]
    assert (ws["B4"].value, ws["B4"].data_type) == ("+1+1", "s")
    assert ws["A2"].value == "Bộ tiêu chí: =1+1; kỳ đánh giá: 2022"
    assert load_workbook(path)[SHEETS[1]]["B6"].value == "Tỷ lệ\\x00 máy tính\\x1f"  # shown, not dropped


def test_workbook_is_deterministic_and_written_atomically(tmp_path, scores, monkeypatch):
    ranking = rank_scores(scores)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_ranking_workbook(first, ranking, scores, SECTIONS)
    later = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: later)  # the clock must not leak into the file
    write_ranking_workbook(second, ranking, scores[::-1], SECTIONS)
    assert first.read_bytes() == second.read_bytes()
    write_ranking_workbook(second, ranking, scores, SECTIONS)  # over an existing file
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temp files left


def test_workbook_without_agencies(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_ranking_workbook(path, [], [], SECTIONS)
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    assert wb["Kiểm tra"]["A4"].value == "Không có cảnh báo."


def test_sheet_names_are_valid_and_unique():
    used = {"tổng hợp"}
    names = [
        sheet_name(t, used)
        for t in ("Tổng hợp", "A/B: [x]*?\\", "I. " + "rất dài " * 10, "I. " + "rất dài " * 10)
    ]
    assert names[0] == "Tổng hợp (2)"
    assert names[1] == "A B x"
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert names[2] != names[3] and names[3].endswith("(2)")


def test_display_helpers():
    assert [vi_number(v) for v in (487.5, 500.0, 9.3333, 0.1 + 0.2, -0.0, None)] == [
        "487,5",
        "500",
        "9,33",
        "0,3",
        "0",
        "",
    ]
    assert section_heading("I", "HẠ TẦNG KỸ THUẬT CNTT") == "I. Hạ tầng kỹ thuật CNTT"
    assert section_heading("III", "ỨNG DỤNG CNTT PHỤC VỤ NGƯỜI DÂN VÀ DOANH NGHIỆP") == (
        "III. Ứng dụng CNTT phục vụ người dân và doanh nghiệp"
    )
    assert section_heading("II", "Ứng dụng CNTT của UBND") == "II. Ứng dụng CNTT của UBND"
    ids = ["II.1.10", "TOTAL", "I", "II.1.2", "I.3.1", "II", "I.4", "II.1", "III.2.5.1", "III.2.5"]
    assert sorted(ids, key=criterion_sort_key) == [
        "I",
        "I.3.1",
        "I.4",
        "II",
        "II.1",
        "II.1.2",
        "II.1.10",
        "III.2.5",
        "III.2.5.1",
        "TOTAL",
    ]
    assert md_cell("a | b\nc <b>") == r"a \| b c \<b\>"
    assert (template_dir() / "summary.md.j2").is_file()


def context(scores):
    return summary_context(rank_scores(scores), scores, SECTIONS, "Hà Nam 2022 (QĐ 1234/QĐ-UBND)", "2022")


def test_markdown_summary(scores):
    md = render_markdown(context(scores))
    assert md.startswith("# Kết quả xếp hạng\n")
    assert "## Sở, ban, ngành" in md and "## UBND cấp huyện" in md and "## Cảnh báo kiểm tra" in md
    assert "| Xếp hạng | Cơ quan | I. Hạ tầng kỹ thuật CNTT (tối đa 50) |" in md
    assert "| 2 | Sở Tài chính | 18,5 | 15 |  |  |  |  | 33,5 | 38 |" in md
    assert r"Hệ thống sao lưu \| SAN, NAS hoặc DAS" in md  # "|" escaped, newline removed
    assert r"Sở \<script\>" in md
    for table in re.findall(r"(?:^\|.*\n)+", md, flags=re.M):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(widths) == 1, table  # every row has as many cells as the header
    assert "SoTaiChinh_2022.xlsx | Phụ lục!E3 |" in md


def test_html_summary_is_escaped_and_self_contained(scores):
    html = render_html(context(scores))
    assert '<html lang="vi">' in html and '<meta charset="utf-8">' in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<style>" in html and "<link" not in html
    assert html.count("<table>") == 3  # two groups + flags
    assert "SoTaiChinh_2022.xlsx</td>" in html and "<td>Phụ lục!E3</td>" in html
    assert "Cách tính điểm" in html and "33,5" in html
    assert "Thiếu điểm tự đánh giá" in html
