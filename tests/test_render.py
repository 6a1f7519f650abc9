"""Rendering: the ranking workbook (layout, audit sheet, formula safety) and the md/html summaries."""

import random
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
SHEETS = ["Sở, ban, ngành", "UBND cấp huyện", "Chi tiết tiêu chí", "Kiểm tra", "Thông tin lần chạy"]


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


def test_workbook_sheets_and_ranking_layout(workbook):
    """One ranking sheet per group (the group's title, no Nhóm/Kỳ columns: the sheet is one table),
    then the criterion detail, the flags and the run."""
    wb = load_workbook(workbook)
    assert wb.sheetnames == SHEETS
    ws = wb["Sở, ban, ngành"]
    assert ws["A1"].value == "Kết quả xếp hạng: Sở, ban, ngành, kỳ 2022"
    assert ws["A2"].value == "Bộ tiêu chí: hanam-2022; kỳ đánh giá: 2022; nhóm: Sở, ban, ngành"
    header = rows_of(ws)[2]
    assert header[:2] == ["Xếp hạng", "Cơ quan"]
    assert header[2] == "I. Hạ tầng kỹ thuật CNTT\n(tối đa 50)"
    assert header[-1] == "Tổng điểm\n(tối đa 38)" and len(header) == 2 + len(SECTIONS) + 1
    data = rows_of(ws)[3:]
    assert [r[:2] for r in data] == [[1, "Sở <script>alert(1)</script>"], [2, "Sở Tài chính"]]
    assert data[1][2:] == [18.5, 15, None, None, None, None, 33.5]
    assert ws.freeze_panes == "C4"
    districts = rows_of(wb["UBND cấp huyện"])
    assert [r[:2] for r in districts[3:]] == [[1, "UBND huyện Kim Bảng"], [2, HYPERLINK]]


def test_every_sheet_prints_a4_landscape_one_page_wide_in_times(workbook):
    for ws in load_workbook(workbook):
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (
            9, "landscape", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$3:$3"
        assert ws.oddFooter.center.text == "Trang &P/&N" and ws.oddHeader.center.text == "hanam-2022"
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}, ws.title


def test_detail_sheet_one_row_per_agency_and_criterion(workbook):
    ws = load_workbook(workbook)["Chi tiết tiêu chí"]
    rows = rows_of(ws)
    assert rows[2] == ["Cơ quan", "Nhóm", "Kỳ", "TT", "Tiêu chí", "Điểm", "Điểm tối đa", "Căn cứ",
                       "Điểm tự đánh giá", "Điểm thẩm định", "Cảnh báo", "Diễn giải", "Nguồn số liệu"]
    assert ws.auto_filter.ref == f"A3:M{3 + 4 * 8}"  # filterable: 4 agencies × 8 rows
    mine = [r for r in rows[3:] if r[0] == "Sở Tài chính"]
    assert [r[3] for r in mine] == ["I", "I.1", "I.3.1", "I.3.4", "II.1", "II.1.7", "II.4", "II.4.1"]
    assert mine[1] == [
        "Sở Tài chính", "Sở, ban, ngành", "2022", "I.1", "Tỷ lệ CBCCVC được trang bị máy tính", 9.5, 10,
        "số liệu", 10, None, "claim_exceeds_evidence – Điểm tự đánh giá cao hơn số liệu minh chứng",
        "Tỷ lệ 95% × 10 điểm = 9,5", "SoTaiChinh_2022.xlsx, Phụ lục!E3",
    ]
    line = 4 + rows[3:].index(mine[1])
    assert ws.cell(line, 6).fill.fgColor.rgb.endswith("FCD5B4")  # flagged
    assert ws.cell(line - 1, 1).font.b and not ws.cell(line, 1).font.b  # the section row in bold
    assert mine[2][7] == "điểm tự đánh giá"


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
    ws = load_workbook(path)["Sở, ban, ngành"]
    assert (ws["B4"].value, ws["B4"].data_type) == ("+1+1", "s")
    assert ws["A2"].value == "Bộ tiêu chí: =1+1; kỳ đánh giá: 2022; nhóm: Sở, ban, ngành"
    detail = load_workbook(path)["Chi tiết tiêu chí"]
    assert detail["E5"].value == "Tỷ lệ\\x00 máy tính\\x1f"  # shown, not dropped


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
    assert wb.sheetnames == ["Xếp hạng", *SHEETS[2:]]
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


def test_a_workbook_of_two_periods_verifies_clean(tmp_path):
    """Each group and period on its own sheet, titled with both: `egov verify` reads each as its own
    table (the one "Tổng hợp" table of 2024 and 2025 rows, agencies that came and went between them,
    gave false rank mismatches)."""
    from egovcli.api import verify_file
    from egovcli.rules import load_rules

    rules = load_rules("hanam-2022")
    scores = []
    for period, members in (("2024", range(3, 10)), ("2025", range(1, 7))):
        rng = random.Random(period)
        for i in members:
            rows = [CriterionScore(f"{s.id}.1", s.id, "x", round(rng.uniform(0.3, 1) * s.max, 1), s.max,
                                   "data") for s in rules.sections]
            scores.append(AgencyScore(f"Sở số {i}", "department", period, rules.name, rows))
    ranking = rank_scores(scores)
    path = tmp_path / "r.xlsx"
    sections = [(s.id, s.title, s.max) for s in rules.sections]
    write_ranking_workbook(path, ranking, scores, sections, rules.title, rules=rules)
    assert load_workbook(path).sheetnames[:2] == ["Sở, ban, ngành 2025", "Sở, ban, ngành 2024"]
    for given in (rules, None):
        checked = verify_file(path, given)
        assert checked.findings == [] and checked.cells == 13 * (len(sections) + 2)


def test_the_run_sheet_takes_a_manifest_as_pairs_or_a_dict(tmp_path, scores):
    """What produced the workbook: what the workbook knows, then the run description it is given
    (the reproducibility manifest: a dict or (label, value) pairs; lists one item per line)."""
    path = tmp_path / "r.xlsx"
    manifest = {"Tệp đầu vào": ["a.xlsx (sha256 1a2b)", "b.docx (sha256 3c4d)"], "Số lần chạy": 2, "Có": True}
    write_ranking_workbook(path, rank_scores(scores), scores, SECTIONS, "Bộ tiêu chí 2022", run=manifest)
    sheet = load_workbook(path)["Thông tin lần chạy"]
    items = [tuple(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert items[0][0] == "Phần mềm" and items[0][1].startswith("egov ")
    assert items[-3:] == [("Tệp đầu vào", "a.xlsx (sha256 1a2b)\nb.docx (sha256 3c4d)"), ("Số lần chạy", "2"),
                          ("Có", "có")]
    assert ("Số cơ quan xếp hạng", "Sở, ban, ngành, kỳ 2022: 2\nUBND cấp huyện, kỳ 2022: 2") in items
