"""`egov verify` on ranking tables shaped as they are really published (issue 14): the national DTI
ranking of provinces, the IT ranking of ministries ("Bộ, cơ quan ngang Bộ"), an ICT Index table, a
province's ranking of its sở ("Sở, ban, ngành"), a top-10 excerpt — written as .xlsx, .docx, .pdf
(a table running over pages) and a web page saved from a portal (.html).

The headers, layouts (rank column first, "rank (value)" cells, 4-decimal indices with a decimal
comma or, as on the DTI portal, a decimal point) and precision are those of the published tables.
The VALUES of the DTI, ministries, ICT Index and top-10 tables are ILLUSTRATIVE (not the published
figures), chosen so that each total is exactly its published aggregation (DTI: weighted pillars;
ICT Index: mean of its sub-indices) rounded as printed. The sở table and the district table 2.1
carry the REAL figures of seed 001 (QĐ 2631/QĐ-UBND Hòa Bình 2017): the sở's domain totals as its
tables 2.1–2.5 print them, and table 2.1 of the districts with its real inconsistencies (UBND huyện
Kỳ Sơn 5 + 4,0 + 4 + 4 printed as 16,7; UBND huyện Đà Bắc 3 + 4,0 + 4 + 4 printed as 14,9).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from egovcli.api import (
    Columns,
    NothingToVerifyError,
    RulesMisfitError,
    VerifyResult,
    parse_columns,
    verify_file,
)
from egovcli.ingest.layout.vocabulary import role
from egovcli.rules import RuleSet, load_rules
from samples.published import FONT


@dataclass(frozen=True)
class Shape:
    """A published table: its heading, header rows (merged cells: `spans` (r0, c0, r1, c1) in the
    header), body rows as printed (decimal comma)."""

    heading: str
    header: tuple[tuple[str, ...], ...]
    body: tuple[tuple[str, ...], ...]
    spans: tuple[tuple[int, int, int, int], ...] = ()

    def with_cell(self, agency: str, column: int, text: str) -> Shape:
        """The table with one printed cell changed (a planted error)."""
        body = tuple(
            tuple(text if c == column and any(agency in v for v in row[:2]) else v for c, v in enumerate(row))
            for row in self.body
        )
        return replace(self, body=body)


def _dti_rows() -> tuple[tuple[str, ...], ...]:
    """DTI = 0,4 × Chính quyền số + 0,3 × Kinh tế số + 0,3 × Xã hội số (illustrative weights and
    values); Bình Dương and Long An tie (competition ranking 6, 6, 8)."""
    pillars = [
        ("Quảng Ninh", 0.72, 0.61, 0.65), ("Đà Nẵng", 0.70, 0.60, 0.66), ("Thừa Thiên Huế", 0.68, 0.56, 0.60),
        ("Hà Nội", 0.65, 0.58, 0.59), ("Bắc Giang", 0.60, 0.55, 0.60), ("Bình Dương", 0.59, 0.57, 0.57),
        ("Long An", 0.59, 0.56, 0.58), ("Lâm Đồng", 0.50, 0.48, 0.51),
    ]
    ranks = (1, 2, 3, 4, 5, 6, 6, 8)
    return tuple(
        (str(rank), name, *(f"{v:.4f}".replace(".", ",") for v in (a, b, c, 0.4 * a + 0.3 * b + 0.3 * c)))
        for rank, (name, a, b, c) in zip(ranks, pillars, strict=True)
    )


DTI = Shape(
    "Bảng 3. Xếp hạng Chỉ số chuyển đổi số cấp tỉnh (DTI) năm 2022",
    (("Xếp hạng", "Tỉnh, thành phố trực thuộc Trung ương", "Chính quyền số", "Kinh tế số", "Xã hội số",
      "Chỉ số DTI"),),
    _dti_rows(),
)
DTI_RULES = """\
name: dti-tinh-minh-hoa
title: "DTI cấp tỉnh (minh họa): ba trụ cột có trọng số"
period: "2022"
max_total: 1
weights: {CQS: 0.4, KTS: 0.3, XHS: 0.3}
sections:
  - {id: CQS, title: "Chính quyền số", max: 1}
  - {id: KTS, title: "Kinh tế số", max: 1}
  - {id: XHS, title: "Xã hội số", max: 1}
criteria:
  - {id: CQS.1, section: CQS, label: "Chính quyền số", max: 1, inputs: [], formula: {type: manual}}
  - {id: KTS.1, section: KTS, label: "Kinh tế số", max: 1, inputs: [], formula: {type: manual}}
  - {id: XHS.1, section: XHS, label: "Xã hội số", max: 1, inputs: [], formula: {type: manual}}
"""
# The IT ranking of ministries: TT, the ministry, its index and rank only (illustrative values);
# dense ranking of a tie (3, 3, 4).
MINISTRIES = Shape(
    "Bảng 2. Xếp hạng mức độ ứng dụng CNTT của các Bộ, cơ quan ngang Bộ năm 2019",
    (("TT", "Bộ, cơ quan ngang Bộ", "Chỉ số", "Xếp hạng"),),
    (
        ("1", "Bộ Tài chính", "0,8642", "1"),
        ("2", "Bộ Thông tin và Truyền thông", "0,8639", "2"),
        ("3", "Bộ Tư pháp", "0,7615", "3"),
        ("4", "Ngân hàng Nhà nước Việt Nam", "0,7615", "3"),
        ("5", "Bộ Công Thương", "0,7401", "4"),
        ("6", "Bộ Giao thông vận tải", "0,6982", "5"),
    ),
)


def _ict_rows(count: int) -> tuple[tuple[str, ...], ...]:
    """ICT Index = mean of its three sub-indices (illustrative values), every cell "rank (value)"."""
    rows = []
    for n in range(count):
        parts = (0.900 - 0.011 * n, 0.850 - 0.009 * n, 0.780 - 0.007 * n)
        index = sum(parts) / 3
        rows.append((f"Tỉnh số {n + 1:02d}", *(f"{n + 1} ({v:.3f})".replace(".", ",") for v in parts),
                     f"{n + 1} ({index:.4f})".replace(".", ",")))
    return tuple(rows)


ICT = Shape(
    "Bảng 5. Xếp hạng Vietnam ICT Index 2019 của các tỉnh, thành phố",
    (("Các tỉnh, thành phố\ntrực thuộc TW", "Hạ tầng kỹ thuật", "Hạ tầng nhân lực", "Ứng dụng CNTT",
      "ICT Index"),),
    _ict_rows(63),  # runs over two pdf pages
)
# seed 001's sở: section totals 2.1–2.5 as their tables print them, competition ranking
SO = Shape(
    "1. Xếp hạng chung các sở, ban, ngành",
    (("STT", "Sở, ban, ngành", "Điểm", "", "", "", "", "Tổng điểm", "Xếp hạng"),
     ("", "", "Hạ tầng kỹ thuật CNTT", "Hạ tầng nhân lực CNTT", "Ứng dụng CNTT",
      "Công tác đảm bảo an toàn, an ninh thông tin", "Môi trường tổ chức và chính sách", "", "")),
    tuple(
        (str(n), name, *parts, total, rank)
        for n, (name, *parts, total, rank) in enumerate(
            (
                ("Sở Tài chính", "17", "9", "39", "17", "14", "96", "1"),
                ("Sở Thông tin và Truyền thông", "17", "9", "39", "17", "14", "96", "1"),
                ("Ban Quản lý các KCN", "13", "9", "39", "17", "16", "94", "3"),
                ("Sở Khoa học và Công nghệ", "13", "9", "41", "17", "14", "94", "3"),
                ("Văn phòng UBND tỉnh", "17", "9", "38", "17", "12", "93", "5"),
                ("Sở Nội vụ", "13", "9", "39", "17", "14", "92", "6"),
                ("Sở Công thương", "13", "9", "39", "17", "12", "90", "7"),
                ("Sở Ngoại vụ", "13", "9", "38,5", "17", "12", "89,5", "8"),
                ("Sở Tài nguyên và Môi trường", "13", "9", "37", "17", "10", "86", "9"),
                ("Sở Giao thông Vận tải", "13", "9", "39", "17", "6", "84", "10"),
            ),
            1,
        )
    ),
    spans=((0, 2, 0, 6), (0, 0, 1, 0), (0, 1, 1, 1), (0, 7, 1, 7), (0, 8, 1, 8)),
)
# "10 tỉnh dẫn đầu" and the last one: ranks 1–10, then 63 (illustrative values; decimal point)
TOP = Shape(
    "10 tỉnh, thành phố dẫn đầu và tỉnh cuối bảng xếp hạng DTI 2022",
    (("Xếp hạng", "Tỉnh", "Chỉ số DTI"),),
    tuple(
        (str(rank), name, value)
        for rank, name, value in (
            (1, "Quảng Ninh", "0,6660"), (2, "Đà Nẵng", "0,6580"), (3, "Thừa Thiên Huế", "0,6200"),
            (4, "Hà Nội", "0,6110"), (5, "Bắc Giang", "0,5850"), (6, "Bình Dương", "0,5780"),
            (7, "Long An", "0,5700"), (8, "Lâm Đồng", "0,5650"), (9, "Vĩnh Phúc", "0,5600"),
            (10, "Hải Phòng", "0,5550"), (63, "Tỉnh cuối bảng", "0,3010"),
        )
    ),
)
# seed 001, table 2.1 of the districts, as printed (real figures, real inconsistencies)
DISTRICTS_21 = Shape(
    "2.1. HẠ TẦNG KỸ THUẬT CÔNG NGHỆ THÔNG TIN",
    (("TT", "Đơn vị", "Điểm", "", "", "", "Tổng điểm"),
     ("", "", "Tổng số máy tính/Tổng số các CBCC",
      "Tổng số MT có kết nối mạng LAN/Tổng số máy tính của đơn vị",
      "Tổng số máy tính kết nối Internet/Tổng số máy tính của đơn vị",
      "Đơn vị có kết nối mạng số liệu chuyên dùng", ""),
     ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)")),
    (
        ("1", "UBND huyện Cao Phong", "5.0", "4", "4", "4", "17.0"),
        ("2", "UBND huyện Lạc Sơn", "5", "4.0", "4", "4", "17.0"),
        ("3", "UBND huyện Tân Lạc", "5", "4.0", "4", "4", "17.0"),
        ("4", "UBND huyện Mai Châu", "5", "4.0", "4", "4", "17.0"),
        ("5", "UBND huyện Kim Bôi", "5", "4.0", "4", "4", "17.0"),
        ("6", "UBND huyện Lạc Thủy", "5", "4.0", "4", "4", "17.0"),
        ("7", "UBND huyện Kỳ Sơn", "5", "4.0", "4", "4", "16.7"),
        ("8", "UBND thành phố Hòa Bình", "4.0", "4", "4", "4", "16.0"),
        ("9", "UBND huyện Yên Thủy", "4", "4.0", "4", "4", "16.0"),
        ("10", "UBND huyện Lương Sơn", "3.1", "4", "4", "4", "15.1"),
        ("11", "UBND huyện Đà Bắc", "3", "4.0", "4", "4", "14.9"),
    ),
    spans=((0, 2, 0, 5), (0, 0, 1, 0), (0, 1, 1, 1), (0, 6, 1, 6)),
)


# --- writers -------------------------------------------------------------------------------------
def _as_number(text: str) -> float | str:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def write_xlsx(path: Path, shape: Shape) -> None:
    """The heading, then the table; numbers stored as numbers (as a spreadsheet holds them)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([shape.heading])
    for row in shape.header:
        sheet.append(list(row))
    for r0, c0, r1, c1 in shape.spans:
        sheet.merge_cells(start_row=2 + r0, start_column=c0 + 1, end_row=2 + r1, end_column=c1 + 1)
    for row in shape.body:
        sheet.append([row[0] if c == 1 else _as_number(v) for c, v in enumerate(row)])
        sheet.cell(sheet.max_row, 2).value = row[1]
    book.save(path)


def write_docx(path: Path, shape: Shape) -> None:
    """A heading paragraph and a Word table, numbers as printed (decimal comma)."""
    import docx

    document = docx.Document()
    document.add_paragraph(shape.heading)
    rows = [*shape.header, *shape.body]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for r0, c0, r1, c1 in shape.spans:
        keep = table.cell(r0, c0).text
        table.cell(r0, c0).merge(table.cell(r1, c1)).text = keep
    document.save(str(path))


def write_pdf(path: Path, shape: Shape) -> None:
    """A ruled table on A4 pages, its header repeated on every page it runs onto."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    cell = ParagraphStyle("cell", fontName="DejaVu", fontSize=7, leading=9)
    data: list[list[Any]] = [[Paragraph(v.replace("\n", "<br/>"), cell) for v in row] for row in shape.header]
    data += [list(row) for row in shape.body]
    style = [("FONT", (0, 0), (-1, -1), "DejaVu", 7), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
             *[("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in shape.spans]]
    table = Table(data, repeatRows=len(shape.header))
    table.setStyle(TableStyle(style))
    story = [Paragraph(shape.heading, ParagraphStyle("h", fontName="DejaVu", fontSize=10)), table]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)


def write_html(path: Path, shape: Shape, *, point: bool = False) -> None:
    """A page saved from a portal: menus, a script, the heading, the table (`point`: numbers with a
    decimal point, as the DTI portal prints them)."""
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in shape.spans}
    covered = {(r, c) for r0, c0, r1, c1 in shape.spans for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    lines = ["<html><head><meta charset='utf-8'><script>alert('x')</script></head><body>",
             "<div class='menu'><a href='http://example.invalid/'>Trang chủ</a></div>",
             f"<h3>{shape.heading}</h3><table border='1'>"]
    for r, row in enumerate(shape.header):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered and (r, c) not in spans:
                continue
            down, across = spans.get((r, c), (1, 1))
            cells.append(f"<th rowspan='{down}' colspan='{across}'>{value.replace(chr(10), '<br>')}</th>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    for row in shape.body:
        texts = [v.replace(",", ".") if point and c != 1 else v for c, v in enumerate(row)]
        lines.append("<tr>" + "".join(f"<td>{v}</td>" for v in texts) + "</tr>")
    lines.append("</table><p>Nguồn: Cổng thông tin</p></body></html>")
    path.write_text("\n".join(lines), encoding="utf-8")


WRITERS: dict[str, Callable[[Path, Shape], None]] = {
    "xlsx": write_xlsx, "docx": write_docx, "pdf": write_pdf, "html": write_html,
    "portal.html": lambda p, s: write_html(p, s, point=True),
}


def _verify(tmp_path: Path, shape: Shape, fmt: str, rules: RuleSet | None = None, **kw: Any) -> VerifyResult:
    path = tmp_path / f"bang.{fmt.rpartition('.')[2]}"
    WRITERS[fmt](path, shape)
    return verify_file(path, rules, **kw)


def _found(result: VerifyResult) -> set[tuple[str, str, str]]:
    return {(f.agency, f.item, f.kind) for f in result.findings}


@pytest.fixture(scope="module")
def dti_rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    path = tmp_path_factory.mktemp("rules") / "dti.yaml"
    path.write_text(DTI_RULES, encoding="utf-8")
    return load_rules(str(path))


# --- headers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Tỉnh, thành phố trực thuộc Trung ương", "agency"), ("Các tỉnh, thành phố\ntrực thuộc TW", "agency"),
        ("Bộ, cơ quan ngang Bộ", "agency"), ("Sở, ban, ngành", "agency"), ("Cơ quan, đơn vị", "agency"),
        ("Địa phương", "agency"), ("Đơn vị được đánh giá", "agency"), ("TÊN ĐƠN VỊ", "agency"),
        ("Điểm", "TOTAL"), ("Tổng điểm", "TOTAL"), ("Chỉ số DTI", "TOTAL"), ("Chỉ số DTI 2022", "TOTAL"),
        ("Chỉ số", "TOTAL"), ("Giá trị", "TOTAL"), ("Xếp hạng", "RANK"), ("Thứ hạng", "RANK"),
        ("Hạng", "RANK"), ("TT", "tt"), ("STT", "tt"), ("Hạ tầng kỹ thuật", ""),
    ],
)
def test_every_published_header_has_its_role(header: str, expected: str) -> None:
    assert role(header) == expected


# --- a correct table yields no finding, in every format --------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "html", "portal.html"])
def test_dti_provinces_weighted_correct_in_every_format(tmp_path: Path, fmt: str, dti_rules: RuleSet) -> None:
    """Rank first, 4-decimal indices (3 in xlsx, which stores 0.666), a tie at 6 then 8."""
    result = _verify(tmp_path, DTI, fmt, dti_rules)
    assert result.findings == []
    assert result.cells == 8 * 5


def test_dti_without_rules_checks_ranks_and_says_the_weighted_parts_are_unchecked(tmp_path: Path) -> None:
    result = _verify(tmp_path, DTI, "docx")
    assert result.findings == []
    assert any("trọng số" in note.message for note in result.notes)


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_ministries_totals_only_with_dense_tie(tmp_path: Path, fmt: str) -> None:
    """0,8642 and 0,8639 do not tie (4 decimals); 0,7615 twice shares rank 3, then 4 (dense)."""
    result = _verify(tmp_path, MINISTRIES, fmt)
    assert result.findings == []
    assert any("không kiểm tra được các thành phần" in note.message for note in result.notes)


def test_ict_index_mean_of_rank_value_cells_over_two_pdf_pages(tmp_path: Path) -> None:
    """"17 (0,633)" cells: the value is checked, the rank too; the ICT Index is the mean of its parts;
    the table runs over two pages (header repeated) and is read as one."""
    import pdfplumber

    result = _verify(tmp_path, ICT, "pdf")
    with pdfplumber.open(tmp_path / "bang.pdf") as pdf:
        assert len(pdf.pages) >= 2
    assert result.findings == []
    assert result.cells == 63 * 5
    broken = ICT.with_cell("Tỉnh số 17", 4, "17 (0,7100)")  # mean 0,7230 printed 0,7100
    assert ("Tỉnh số 17", "5.TOTAL", "total_mismatch") in _found(_verify(tmp_path, broken, "pdf"))


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_so_ranking_with_its_rule_set(tmp_path: Path, fmt: str) -> None:
    """The sở ranked together with competition ties (1, 1, 3, 3, 5); hoabinh-2017 fits (5 sections)."""
    result = _verify(tmp_path, SO, fmt, load_rules("hoabinh-2017"))
    assert result.findings == []


def test_top_ten_excerpt_ranks_may_jump(tmp_path: Path) -> None:
    result = _verify(tmp_path, TOP, "portal.html")
    assert result.findings == []
    late = TOP.with_cell("Tỉnh cuối bảng", 2, "0,6000")  # printed 63rd with a higher index than the 10th
    found = _verify(tmp_path, late, "portal.html").findings
    assert [(f.agency, f.kind) for f in found] == [("Tỉnh cuối bảng", "rank_mismatch")]


# --- planted errors, found with their cells ---------------------------------------------------------
def test_a_total_off_at_the_printed_precision(tmp_path: Path, dti_rules: RuleSet) -> None:
    """0,6110 printed 0,6120: off by 0,001, twenty half-units of the 4th decimal."""
    result = _verify(tmp_path, DTI.with_cell("Hà Nội", 5, "0,6120"), "docx", dti_rules)
    [finding] = result.findings
    assert (finding.agency, finding.kind, finding.found) == ("Hà Nội", "total_mismatch", 0.612)
    assert finding.location.endswith("dòng 5, cột 6")


def test_two_ranks_swapped(tmp_path: Path) -> None:
    swapped = DTI.with_cell("Hà Nội", 0, "5").with_cell("Bắc Giang", 0, "4")
    result = _verify(tmp_path, swapped, "xlsx")
    got = {(f.agency, f.kind, f.expected, f.found, f.location) for f in result.findings}
    assert got == {
        ("Hà Nội", "rank_mismatch", 4, 5, "Sheet!A6"), ("Bắc Giang", "rank_mismatch", 5, 4, "Sheet!A7")
    }


def test_a_component_above_its_maximum(tmp_path: Path) -> None:
    """Hạ tầng kỹ thuật CNTT 18 for a maximum of 17 (hoabinh-2017's 2.1)."""
    result = _verify(tmp_path, SO.with_cell("Sở Nội vụ", 2, "18"), "xlsx", load_rules("hoabinh-2017"))
    over = [f for f in result.findings if f.kind == "over_max"]
    assert [(f.agency, f.expected, f.found, f.location) for f in over] == [("Sở Nội vụ", 17, 18, "Sheet!C9")]


def test_a_tie_of_different_values_and_an_untied_equal_pair(tmp_path: Path) -> None:
    wrong = MINISTRIES.with_cell("Bộ Thông tin", 3, "1").with_cell("Ngân hàng", 3, "4")
    result = _verify(tmp_path, wrong, "docx")
    got = {(f.agency, f.expected, f.found) for f in result.findings}
    assert got == {("Bộ Thông tin và Truyền thông", 2, 1), ("Ngân hàng Nhà nước Việt Nam", 3, 4)}


# --- a real published inconsistency -----------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_seed_001_table_2_1_real_inconsistencies(tmp_path: Path, fmt: str) -> None:
    """Without a rule set: the parts add up in 9 rows of 11, so the two that do not are reported."""
    result = _verify(tmp_path, DISTRICTS_21, fmt)
    got = {(f.agency, f.item, f.kind, f.expected, f.found) for f in result.findings}
    assert got == {
        ("UBND huyện Kỳ Sơn", "2.1.TOTAL", "total_mismatch", 17.0, 16.7),
        ("UBND huyện Đà Bắc", "2.1.TOTAL", "total_mismatch", 15.0, 14.9),
    }


# --- a rule set that does not fit; no table; --columns ----------------------------------------------
def test_a_rule_set_that_does_not_fit_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(RulesMisfitError, match="3 cột thành phần.*5 lĩnh vực"):
        _verify(tmp_path, replace(ICT, body=ICT.body[:5]), "html", load_rules("hoabinh-2017"))
    scaled = replace(SO, body=tuple((*row[:2], *(str(int(float(v.replace(",", "."))) * 3) for v in row[2:7]),
                                     *row[7:]) for row in SO.body))
    with pytest.raises(RulesMisfitError, match="vượt điểm tối đa"):
        _verify(tmp_path, scaled, "html", load_rules("hoabinh-2017"))


def test_cli_exit_2_for_a_misfit_and_for_no_table(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from egovcli.cli import app

    write_html(tmp_path / "ict.html", replace(ICT, body=ICT.body[:5]))
    run = CliRunner().invoke(app, ["verify", str(tmp_path / "ict.html"), "--rules", "hoabinh-2017"])
    assert run.exit_code == 2 and "E-VERIFY-RULES-MISFIT" in run.output
    odd = replace(TOP, header=(("Hạng mục", "Vùng", "Kết quả đo"),))
    write_html(tmp_path / "odd.html", odd)
    run = CliRunner().invoke(app, ["verify", str(tmp_path / "odd.html")])
    assert run.exit_code == 2
    assert "Hạng mục | Vùng | Kết quả đo" in run.output and "--columns" in run.output
    given = ["verify", str(tmp_path / "odd.html"), "--columns", "agency=B; total=Kết quả đo; rank=A"]
    run = CliRunner().invoke(app, given)
    assert run.exit_code == 0, run.output
    assert "0 phát hiện" in run.output


def test_columns_by_letter(tmp_path: Path) -> None:
    odd = replace(TOP, header=(("Hạng mục", "Vùng", "Kết quả đo"),))
    with pytest.raises(NothingToVerifyError):
        _verify(tmp_path, odd, "xlsx")
    result = _verify(tmp_path, odd.with_cell("Tỉnh cuối bảng", 2, "0,6000"), "xlsx",
                     columns=Columns(agency="B", total="C", rank="A"))
    assert [(f.agency, f.kind) for f in result.findings] == [("Tỉnh cuối bảng", "rank_mismatch")]
    assert parse_columns(["agency=B; total=F", "components=C:E"]) == Columns("B", "F", "", ("C", "D", "E"))



def test_a_hostile_web_page_is_read_safely(tmp_path: Path) -> None:
    """No entity of a DTD expanded (billion laughs), no file or URL fetched, spans and cells capped
    (docs/safety.md: no network, no entity expansion, size limits)."""
    from egovcli.ingest.readers import html
    from egovcli.ingest.readers.safety import Limits, applied

    page = tmp_path / "a.html"
    page.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>&b; &xxe;</p>'
        '<table><tr><td>a</td><td colspan="999999999">b</td></tr></table></body></html>',
        encoding="utf-8",
    )
    document = html.read(page)
    assert [line.text for line in document.lines] == ["&b; &xxe;"]
    assert [len(row) for table in document.tables for row in table] == [1001]  # a span is at most 1000
    wide = "<table><tr>" + '<td colspan="1000" rowspan="1000">x</td>' * 5 + "</tr></table>"
    page.write_text(wide, encoding="utf-8")
    with applied(Limits(max_cells=100_000)):
        refused = html.read(page)
    assert refused.refused and refused.problems[0].code == "E-TOO-LARGE"


def test_one_domain_table_alone_is_checked_and_the_others_are_said_once(tmp_path: Path) -> None:
    """Seed 001's table 2.1 alone, with its rule set: its two real inconsistencies, and one note per
    table the file does not print, not a missing row for every agency."""
    result = _verify(tmp_path, DISTRICTS_21, "docx", load_rules("hoabinh-2017"))
    assert _found(result) == {
        ("UBND huyện Kỳ Sơn", "2.1.TOTAL", "total_mismatch"),
        ("UBND huyện Đà Bắc", "2.1.TOTAL", "total_mismatch"),
    }
    assert len([n for n in result.notes if "không in bảng" in n.message]) == 4


def test_legacy_xls_through_libreoffice(tmp_path: Path) -> None:
    """An old .xls of the sở ranking, converted by LibreOffice as today: the same cells, the same
    planted finding at the same cell."""
    import subprocess

    from tests.helpers import require_libreoffice

    soffice = require_libreoffice("Calc", tmp_path)
    source = tmp_path / "so.xlsx"
    write_xlsx(source, SO.with_cell("Sở Nội vụ", 2, "18"))
    out = tmp_path / "old"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / '.profile').as_uri()}", "--headless", "--convert-to",
         "xls", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    result = verify_file(out / "so.xls", load_rules("hoabinh-2017"))
    over = [(f.agency, f.kind, f.location) for f in result.findings if f.kind == "over_max"]
    assert over == [("Sở Nội vụ", "over_max", "Sheet!C9")]


def test_a_unit_column_of_a_data_table_is_no_agency_column() -> None:
    """"Giá trị" and "Chỉ số" now head ranking totals: a data table "Chỉ tiêu | Đơn vị | Giá trị"
    (units in the "Đơn vị" column, labels left of it) stays a data table."""
    from egovcli.ingest.layout import Cell
    from egovcli.ingest.layout.published import ranking_table_observations

    rows = [("STT", "Chỉ tiêu", "Đơn vị", "Giá trị"), ("1", "Số máy tính", "Cái", "35"),
            ("2", "Số cán bộ", "Người", "40"), ("3", "Tỷ lệ ký số", "%", "80")]
    grid = [[Cell(text, f"dòng {r}, cột {c}") for c, text in enumerate(row)] for r, row in enumerate(rows)]
    assert ranking_table_observations(grid) is None


# --- a rule set's own aggregation: index results, a pillar not counted, the mean ---------------------
DTI_1000 = """\
name: dti-1000-minh-hoa
title: "DTI (minh họa): 1.000 điểm, kết quả dạng chỉ số, một trụ cột không tính điểm"
period: "2022"
max_total: 1000
result: index
decimals: 4
weights: {CQS: 400, KTS: 300, XHS: 300, TD: 0}
sections:
  - {id: CQS, title: "Chính quyền số", max: 100}
  - {id: KTS, title: "Kinh tế số", max: 100}
  - {id: XHS, title: "Xã hội số", max: 100}
  - {id: TD, title: "Theo dõi (không tính điểm)", max: 100}
criteria:
  - {id: CQS.1, section: CQS, label: "Chính quyền số", max: 100, inputs: [], formula: {type: manual}}
  - {id: KTS.1, section: KTS, label: "Kinh tế số", max: 100, inputs: [], formula: {type: manual}}
  - {id: XHS.1, section: XHS, label: "Xã hội số", max: 100, inputs: [], formula: {type: manual}}
  - {id: TD.1, section: TD, label: "Theo dõi", max: 100, inputs: [], formula: {type: manual}}
"""
ICT_MEAN = """\
name: ict-minh-hoa
title: "Chỉ số ICT (minh họa): trung bình ba chỉ số thành phần"
period: "2019"
max_total: 1
aggregate: mean
decimals: 4
sections:
  - {id: HT, title: "Hạ tầng", max: 1}
  - {id: NL, title: "Nhân lực", max: 1}
  - {id: UD, title: "Ứng dụng", max: 1}
criteria:
  - {id: HT.1, section: HT, label: "Hạ tầng", max: 1, inputs: [], formula: {type: manual}}
  - {id: NL.1, section: NL, label: "Nhân lực", max: 1, inputs: [], formula: {type: manual}}
  - {id: UD.1, section: UD, label: "Ứng dụng", max: 1, inputs: [], formula: {type: manual}}
"""


def _rules(tmp_path: Path, text: str) -> RuleSet:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules(str(path))


def test_an_index_table_of_a_1000_point_rule_set_with_a_pillar_not_counted(tmp_path: Path) -> None:
    """The DTI table prints its pillars and its total as 0–1 indices; the rule set scores 1,000 points
    with a weight-0 pillar the table leaves out (or prints, and it is not added)."""
    rules = _rules(tmp_path, DTI_1000)
    assert _verify(tmp_path, DTI, "xlsx", rules).findings == []
    # 0,6110 printed 0,6120 (a docx keeps the printed 4 decimals; these illustrative values have 3)
    off = _verify(tmp_path, DTI.with_cell("Hà Nội", 5, "0,6120"), "docx", rules)
    assert [(f.agency, f.kind, f.expected, f.found) for f in off.findings] == [
        ("Hà Nội", "total_mismatch", 0.611, 0.612)]
    with_td = replace(DTI, header=((*DTI.header[0][:5], "Theo dõi", DTI.header[0][5]),),
                      body=tuple((*row[:5], "0,5000", row[5]) for row in DTI.body))
    assert _verify(tmp_path, with_td, "xlsx", rules).findings == []
    over = _verify(tmp_path, DTI.with_cell("Đà Nẵng", 2, "1,0700"), "xlsx", rules)  # an index above 1
    got = {(f.agency, f.item.rpartition(".")[2], f.kind, f.expected) for f in over.findings}
    assert got == {("Đà Nẵng", "2", "over_max", 1.0), ("Đà Nẵng", "TOTAL", "total_mismatch", 0.806)}


def test_a_mean_rule_set_checks_the_ict_index(tmp_path: Path) -> None:
    """`aggregate: mean`: the ICT Index is the mean of its sub-indices (without the rule set the mean
    was found from the table alone; with it, the rule set says so)."""
    rules = _rules(tmp_path, ICT_MEAN)
    assert _verify(tmp_path, ICT, "xlsx", rules).findings == []
    broken = ICT.with_cell("Tỉnh số 17", 4, "17 (0,7100)")
    found = [f for f in _verify(tmp_path, broken, "xlsx", rules).findings if f.kind == "total_mismatch"]
    assert [(f.agency, f.found) for f in found] == [("Tỉnh số 17", 0.71)]
    assert "trung bình chỉ số" in found[0].explanation


def test_a_domain_table_is_compared_at_the_precision_it_is_printed_in(tmp_path: Path) -> None:
    """Seed 001's table 2.1 with its rule set, one row printed with 2 decimals: 3,13 + 4 + 4 + 4 is
    15,13, printed 15,10 — off by 0,03, which a fixed 0,05 tolerance hid; at 2 printed decimals
    half a unit is 0,005."""
    two_places = DISTRICTS_21.with_cell("Lương Sơn", 2, "3.13").with_cell("Lương Sơn", 6, "15.10")
    result = _verify(tmp_path, two_places, "docx", load_rules("hoabinh-2017"))
    mismatches = {(f.agency, f.expected, f.found) for f in result.findings if f.kind == "total_mismatch"}
    assert ("UBND huyện Lương Sơn", 15.13, 15.1) in mismatches
    assert {a for a, _, _ in mismatches} == {"UBND huyện Lương Sơn", "UBND huyện Kỳ Sơn", "UBND huyện Đà Bắc"}


def test_blocks_of_several_years_in_one_page_are_ranked_each_on_its_own(tmp_path: Path) -> None:
    """A portal page printing the DTI blocks of two years, one table under each heading, the same
    provinces in both: each table is checked alone (not one table of 16 rows whose ranks repeat). The
    page declares no charset: UTF-8 is read as UTF-8, not Latin-1."""
    import re

    parts = []
    for year, shape in (("2021", replace(DTI, heading=DTI.heading.replace("2022", "2021"))), ("2022", DTI)):
        write_html(tmp_path / f"{year}.html", shape)
        page = (tmp_path / f"{year}.html").read_text(encoding="utf-8")
        parts.append(re.search(r"<h3>.*</table>", page, re.S).group(0))  # type: ignore[union-attr]
    (tmp_path / "dti.html").write_text("<html><body>" + "\n".join(parts) + "</body></html>", encoding="utf-8")
    result = verify_file(tmp_path / "dti.html", None)
    assert result.findings == []
    assert result.cells == 2 * 8 * 5
    swapped = DTI.with_cell("Hà Nội", 0, "5").with_cell("Bắc Giang", 0, "4")
    write_html(tmp_path / "2022.html", swapped)
    page = (tmp_path / "2022.html").read_text(encoding="utf-8")
    parts[1] = re.search(r"<h3>.*</table>", page, re.S).group(0)  # type: ignore[union-attr]
    (tmp_path / "dti.html").write_text("<html><body>" + "\n".join(parts) + "</body></html>", encoding="utf-8")
    found = {(f.agency, f.kind, f.found) for f in verify_file(tmp_path / "dti.html", None).findings}
    assert found == {("Hà Nội", "rank_mismatch", 5), ("Bắc Giang", "rank_mismatch", 4)}


def test_a_ranking_egov_published_is_verified_clean(tmp_path: Path) -> None:
    """Last year's ranking as egov wrote it (the Hà Nam samples' summary, a web page with its "Điểm
    tối đa" column and a title row naming the group): found, every total the sum of its sections."""
    from egovcli import api

    ws_path = tmp_path / "ws.sqlite"
    with api.open_workspace(ws_path, create=True) as ws:
        api.ingest(ws, Path(__file__).parent.parent / "samples" / "hanam-2022", jobs=1)
        api.score_workspace(ws, "hanam-2022")
        result = api.rank_workspace(ws)
    api.write_rank_outputs(result, xlsx=None, md=None, html=tmp_path / "summary.html")
    checked = verify_file(tmp_path / "summary.html", load_rules("hanam-2022"))
    assert checked.findings == [] and checked.cells == 8 * 8
    page = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert "Điểm tối đa" in page  # a column beside the scores, not a section
