"""The PDF reader's own page loading (readers/pdf_pages.py) reads exactly what pdfplumber reads:
the same characters and objects, the same cell texts, and so the same document, observations and
problems for report-shaped PDFs (prose before the table, a table over two pages, a signature
page, a scanned page)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from egovcli.ingest.readers import pdf as pdf_reader
from egovcli.ingest.readers import pdf_pages
from egovcli.ingest.readers.safety import Limits

ROOT = Path(__file__).resolve().parent.parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AGENCY = "SỞ NỘI VỤ TỈNH HÀ NAM"
PROSE = (
    "Thực hiện Kế hoạch số 15/KH-UBND của Ủy ban nhân dân tỉnh về ứng dụng công nghệ thông tin, "
    "phát triển Chính quyền số, Sở Nội vụ báo cáo kết quả thực hiện năm 2022 như sau. "
)
HEADER = ["TT", "Nội dung", "Điểm tối đa", "Điểm tự đánh giá"]


def _rows(count: int) -> list[list[str]]:
    return [[str(n), f"Tỷ lệ hồ sơ loại {n} được xử lý trực tuyến", "2", "1,5"] for n in range(1, count + 1)]


def _report(path: Path, *, prose_pages: int, rows: int, signature_page: bool) -> Path:
    """A report: letterhead and `prose_pages` pages of running text, then a ruled criteria table
    (its header repeated on the page it runs onto) and, on a page of its own, the signature."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    text = ParagraphStyle("t", fontName="DejaVu", fontSize=11, leading=15)
    story: list[Any] = [Paragraph(AGENCY, text), Paragraph("BÁO CÁO Kết quả ứng dụng CNTT năm 2022", text)]
    for page in range(prose_pages):
        story += [Paragraph(PROSE * 3, text) for _ in range(4)]
        story.append(Paragraph(f"Tổng số cán bộ, công chức của cơ quan: {40 + page} người.", text))
        story.append(PageBreak())
    story.append(Paragraph("Bảng 1. Kết quả tự đánh giá", text))
    table = Table([HEADER, *_rows(rows)], repeatRows=1)
    table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 9), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    )
    story.append(table)
    if signature_page:
        story.append(PageBreak())
    story += [
        Spacer(1, 20),
        Paragraph("GIÁM ĐỐC", text),
        Paragraph("(Đã ký)", text),
        Paragraph("Nguyễn Văn An", text),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def _scanned(path: Path) -> Path:
    """A scanned report: one page holding only an image, no text layer."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = io.BytesIO()
    Image.new("L", (200, 280), color=200).save(image, format="PNG")
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    page.drawImage(ImageReader(io.BytesIO(image.getvalue())), 40, 40, width=500, height=700)
    page.showPage()
    page.save()
    return path


def _rotated(path: Path) -> Path:
    """Text set at an angle and on its side (the character boxes of a turned matrix)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    page.setFont("DejaVu", 10)
    page.drawString(72, 800, "Điểm tự đánh giá: 94,5")
    page.rotate(90)
    page.drawString(100, -60, "Ghi chú dọc lề trang")
    page.rotate(-60)
    page.drawString(200, 100, "Chữ nghiêng 30 độ")
    page.showPage()
    page.save()
    return path


def _todays_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as before pdf_pages: pdfplumber builds the objects and extracts the tables."""
    monkeypatch.setattr(pdf_pages, "load", lambda page: None)
    monkeypatch.setattr(
        pdf_pages, "cell_texts", lambda table: [[text or "" for text in row] for row in table.extract()]
    )


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(extracted, document) read by pdf_pages, then by today's pdfplumber path."""
    fast = (pdf_reader.extract(path), pdf_reader.read(path))
    with monkeypatch.context() as patched:
        _todays_path(patched)
        today = (pdf_reader.extract(path), pdf_reader.read(path))
    return fast, today


def _same_objects(path: Path) -> None:
    with pdfplumber.open(path) as theirs, pdfplumber.open(path) as ours:
        for their_page, our_page in zip(theirs.pages, ours.pages, strict=True):
            pdf_pages.load(our_page)
            expected, got = their_page.objects, our_page.objects
            assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in expected.items()}
            for kind, objects in expected.items():
                for their, our in zip(objects, got[kind], strict=True):
                    keys = pdf_pages.CHAR_KEYS if kind == "char" else their.keys()
                    assert {k: our[k] for k in keys} == {k: their[k] for k in keys}, (path, kind)
            ours_found = pdf_pages.ruled_tables(our_page, Limits().max_table_rules)
            assert isinstance(ours_found, list)
            for their_table, our_table in zip(their_page.find_tables(), ours_found, strict=True):
                assert our_table.bbox == their_table.bbox
                assert pdf_pages.cell_texts(our_table) == [
                    [t or "" for t in row] for row in their_table.extract()
                ]


@pytest.mark.parametrize(
    "sample",
    [
        "samples/hanam-2022/so-noi-vu.pdf",
        "samples/hoabinh-2017/qd-2631-2017.pdf",
        "samples/dti-example-2025/so-y-te.pdf",
    ],
)
def test_sample_pages_load_as_pdfplumber_reads_them(sample: str) -> None:
    _same_objects(ROOT / sample)


def test_turned_text_loads_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    path = _rotated(tmp_path / "xoay.pdf")
    _same_objects(path)
    with pdfplumber.open(path) as pdf:
        pdf_pages.load(pdf.pages[0])
        assert not all(char["upright"] for char in pdf.pages[0].chars)


def test_table_after_two_pages_of_prose_then_over_two_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _report(tmp_path / "bao-cao.pdf", prose_pages=2, rows=45, signature_page=False)
    (extracted, document), today = _both(path, monkeypatch)
    assert (extracted, document) == today
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 4 and not pdf.pages[1].find_tables() and pdf.pages[3].find_tables()
    (table,) = document.tables  # page 4 continues page 3's table
    assert table[1][0].location == "trang 3, bảng 1, dòng 2, cột 1"
    assert table[-1][1].text == "Tỷ lệ hồ sơ loại 45 được xử lý trực tuyến"
    assert table[-1][0].location.startswith("trang 4, bảng 1, dòng")
    assert any(
        line.text.startswith("Tổng số cán bộ") and line.location.startswith("trang 2, dòng")
        for line in document.lines
    )
    assert extracted.observations and extracted.agency == today[0].agency


def test_signature_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _report(tmp_path / "ky.pdf", prose_pages=0, rows=5, signature_page=True)
    (extracted, document), today = _both(path, monkeypatch)
    assert (extracted, document) == today
    signature = [line for line in document.lines if line.location.startswith("trang 2,")]
    assert [line.text for line in signature] == ["GIÁM ĐỐC", "(Đã ký)", "Nguyễn Văn An"]
    assert len(document.tables) == 1


def test_scanned_page_reads_as_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _scanned(tmp_path / "scan.pdf")
    (extracted, document), today = _both(path, monkeypatch)
    assert (extracted, document) == today
    assert not document.lines and not document.tables and not extracted.observations
    assert [p.code for p in extracted.problems] == [p.code for p in today[0].problems]


def _char(text: str, x0: float, top: float, *, width: float = 5.0, upright: bool = True) -> dict[str, Any]:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + 10,
        "doctop": top,
        "upright": upright,
    }


@pytest.mark.parametrize(
    "chars",
    [
        [_char("A", 10, 100), _char("b", 15, 100.5), _char(" ", 20, 100), _char("c", 25, 99)],  # a blank
        [_char("1", 10, 100), _char("2", 24, 100), _char("3", 16, 102.9)],  # a gap, one line in tolerance
        [_char("x", 30, 100), _char("y", 10, 100), _char("z", 12, 104)],  # out of order, a second line
        [
            _char("ﬁ", 10, 100),
            _char("n", 15, 100),
            _char("", 20, 100),
            _char("e", 20, 100),
        ],  # ligature, empty
        [_char("d", 10, 100, upright=False), _char("e", 10, 105, upright=False)],  # turned
        [_char("5", 10, 100), _char("0", 15, 100), _char("%", 14, 101), _char("Đạt", 40, 100, width=15)],
    ],
)
def test_cell_text_as_pdfplumber_extracts_it(chars: list[dict[str, Any]]) -> None:
    from pdfplumber.utils import extract_text

    assert pdf_pages._text(chars) == extract_text(chars)



def _ruled_page(path: Path, *, boxes: int = 0, rules: int = 0) -> Path:
    """A report page (agency, year, staff and computers lines) above `boxes` small unconnected
    squares (a page built to stall pdfplumber's table finder) or a grid of `rules` × `rules`
    crossing lines, its cells empty."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("DejaVu", 10)
    for n, text in enumerate([AGENCY, "Năm báo cáo: 2022", "Tổng số cán bộ, công chức: 48",
                              "Tổng số máy tính được trang bị: 45"]):
        pdf.drawString(50, 780 - 14 * n, text)
    for n in range(boxes):
        pdf.rect(50 + n % 50 * 10, 100 + n // 50 * 10, 5, 5)
    for n in range(rules):
        pdf.line(50, 100 + n * 10, 50 + (rules - 1) * 10, 100 + n * 10)
        pdf.line(50 + n * 10, 100, 50 + n * 10, 100 + (rules - 1) * 10)
    pdf.showPage()
    pdf.save()
    return path


@pytest.mark.parametrize(
    ("boxes", "rules", "what", "count"),
    [(60, 0, "số đoạn kẻ", 240), (0, 12, "số giao điểm của các đoạn kẻ", 144)],
)
def test_page_with_too_many_rules_is_read_as_text(
    tmp_path: Path, boxes: int, rules: int, what: str, count: int
) -> None:
    """A page whose rules (or their crossings) are over `max_table_rules` is not given to the
    table finder (quadratic in them): its text is read, and a warning names the page and the
    count against the limit."""
    from egovcli.ingest.extract import extract_file

    path = _ruled_page(tmp_path / "day-dac.pdf", boxes=boxes, rules=rules)
    extracted = extract_file(path, Limits(max_table_rules=100))
    values = {obs.label: obs.value for obs in extracted.observations}
    assert values["Tổng số cán bộ, công chức"] == 48 and values["Tổng số máy tính được trang bị"] == 45
    (warning,) = [p for p in extracted.problems if p.code == "W-PDF-TABLE-RULES"]
    assert warning.severity == "warning" and warning.where.page == 1 and warning.where.file == str(path)
    expected = f"Trang 1 có quá nhiều đường kẻ để tìm bảng kẻ ô ({what} là {count}, tối đa 100)"
    assert warning.message.startswith(expected)
    # under the default limit the same page goes to the table finder, with the same text
    default = extract_file(path)
    assert not [p for p in default.problems if p.code == "W-PDF-TABLE-RULES"]
    assert {obs.label: obs.value for obs in default.observations if obs.label in values} == values
