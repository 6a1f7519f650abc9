"""Unruled pdf tables (no ruling lines, only aligned columns): found on pages without a ruled
table, wrapped cell text read as one value, tables stitched across pages, prose left alone."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from test_extract_formats import FONT, HEADER, PREAMBLE, _check_table, _criteria_rows

from egovcli.ingest.readers import pdf as pdf_extractor


def _build(
    path: Path, rows: list[list[str]], widths: list[float], before: list[str], repeat: int = 0
) -> None:
    """`before` as paragraphs, then `rows` as a table with no lines (cells top-aligned, the first
    `repeat` rows repeated on each page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("vi", fontName="DejaVu", fontSize=8, leading=10)
    table = Table(
        [[Paragraph(escape(text), style) for text in row] for row in rows],
        colWidths=widths,
        repeatRows=repeat,
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(str(path), pagesize=A4).build([*(Paragraph(escape(t), style) for t in before), table])


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header-on-page-2"])
def test_unruled_criteria_table_reads_like_a_ruled_one(tmp_path: Path, repeat_header: bool) -> None:
    """The criteria table of test_extract_formats without its grid: same criterion paths, values,
    wrapped labels and "label: value" lines above it."""
    path = tmp_path / "khong-ke-o.pdf"
    _build(path, [HEADER, *_criteria_rows()], [60, 190, 120, 60, 70], PREAMBLE, repeat=int(repeat_header))
    extracted = pdf_extractor.extract(path)
    scores = _check_table(extracted)
    assert scores["I.1"].location == "trang 1, bảng 1, dòng 3, cột 5"  # "Điểm tự đánh giá" wrapped: one row
    assert scores["I.1"].label == "Tỷ lệ CBCCVC được trang bị máy tính"
    pages = [int(o.location.split(",")[0].removeprefix("trang ")) for o in scores.values()]
    assert pages == sorted(pages) and pages[-1] >= 2


def test_wrapped_agency_names_are_one_value(tmp_path: Path) -> None:
    """Names wrapped over two or three lines in a narrow column: one agency each, one row each."""
    names = ["Sở Thông tin và Truyền thông", "Sở Lao động, Thương binh và Xã hội", "Sở Y tế", "Ban Dân tộc"]
    rows = [["TT", "Đơn vị", "Hạ tầng", "Ứng dụng", "Tổng điểm", "Xếp hạng"]]
    rows += [[str(n), name, "15", str(30 - n), str(45 - n), str(n)] for n, name in enumerate(names, 1)]
    path = tmp_path / "ten-dai.pdf"
    _build(path, rows, [30, 70, 60, 60, 60, 60], ["Bảng 2. Xếp hạng các sở, ban, ngành"])

    published = [o for o in pdf_extractor.extract(path).observations if o.kind == "published_score"]
    assert [o.agency for o in published if o.indicator == "2.TOTAL"] == names
    assert [(o.raw_value, o.location) for o in published if o.agency == "Sở Y tế"] == [
        ("15", "trang 1, bảng 1, dòng 4, cột 3"),
        ("27", "trang 1, bảng 1, dòng 4, cột 4"),
        ("42", "trang 1, bảng 1, dòng 4, cột 5"),
        ("3", "trang 1, bảng 1, dòng 4, cột 6"),
    ]
    assert {o.indicator for o in published} == {"2.3", "2.4", "2.TOTAL", "2.RANK"}


def test_prose_with_numbers_is_no_table(tmp_path: Path) -> None:
    """Lines of a report that hold numbers but no columns stay "label: value" lines."""
    lines = [
        "BÁO CÁO kết quả ứng dụng công nghệ thông tin năm 2022",
        "- Tổng số máy tính: 48 chiếc, trong đó 45 máy kết nối Internet, 40 máy có bản quyền.",
        "- Số văn bản đi: 1.250 văn bản; số văn bản đến: 3.400 văn bản; ký số 1.100 văn bản.",
        "1. Máy chủ: 04 chiếc",
        "2. Máy in: 12 chiếc",
    ]
    path = tmp_path / "van-xuoi.pdf"
    _build(path, [["", ""]], [100, 100], lines)

    extracted = pdf_extractor.extract(path)
    located = {o.label: o.location for o in extracted.observations}
    assert located["Máy chủ"] == "trang 1, dòng 4" and located["Máy in"] == "trang 1, dòng 5"
    assert all(", bảng " not in location for location in located.values())
