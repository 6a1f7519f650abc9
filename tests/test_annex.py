"""Issue 16, item 1: `egov rank --docx phu-luc.docx` writes the ranking as the annex (phụ lục) of a
decision the way Nghị định 30/2020/NĐ-CP lays one out. Read as its reader reads it: printed (converted
to PDF by LibreOffice, checked with pdfplumber: the text, A4, nothing past the right margin, the header
row again on the next page) and opened in Word (python-docx)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pdfplumber
import pytest
from helpers import egov, to_pdf

from egovcli import api
from egovcli.rank.model import RankRow
from egovcli.render.annex import AnnexHeading, write_annex
from egovcli.textnorm import vi_number

ROOT = Path(__file__).resolve().parent.parent
HANAM = ROOT / "samples" / "hanam-2022"
MM = 72 / 25.4  # points per mm
RIGHT_MARGIN_MM = 15
LEFT_MARGIN_MM = 30
TOLERANCE = 2.0  # points


@pytest.fixture(scope="module")
def hanam_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Hà Nam 2022 samples ingested and scored (as `make demo` does, without adjustments)."""
    folder = tmp_path_factory.mktemp("hanam")
    ws = folder / "egov.sqlite"
    assert egov("ingest", str(HANAM), "--workspace", str(ws))[0] == 0
    scored = egov("score", "--rules", "hanam-2022", "--workspace", str(ws), "--out", str(folder / "s.csv"))
    assert scored[0] == 0
    return ws


def _pdf_pages(path: Path) -> list[tuple[float, float, str, list[dict[str, float]]]]:
    """(width, height, text, chars and rects) of every page."""
    with pdfplumber.open(path) as pdf:
        return [(p.width, p.height, p.extract_text() or "", [*p.chars, *p.rects]) for p in pdf.pages]


def _assert_a4_within_margins(pages: list[tuple[float, float, str, list[dict[str, float]]]]) -> None:
    for number, (width, height, _, shapes) in enumerate(pages, start=1):
        assert sorted((round(width), round(height))) == pytest.approx([595, 842], abs=2), number
        limit = width - RIGHT_MARGIN_MM * MM + TOLERANCE
        over = [s for s in shapes if s["x1"] > limit]
        assert over == [], f"trang {number}: {len(over)} ký tự/đường kẻ vượt lề phải ({over[:3]})"


def test_rank_docx_is_a_decision_annex_as_printed(hanam_ws: Path, tmp_path: Path, writer: str) -> None:
    target = tmp_path / "phu-luc.docx"
    code, _, err = egov("rank", "--workspace", str(hanam_ws), "--docx", str(target),
                        "--so-quyet-dinh", "125/QĐ-UBND", "--ngay-quyet-dinh", "5/1/2023",
                        "--co-quan-ban-hanh", "UBND tỉnh Hà Nam")
    assert code == 0, err
    assert f"Đã ghi {target}" in err
    with api.open_workspace(hanam_ws, readonly=True) as ws:
        result = api.rank_workspace(ws)
    pages = _pdf_pages(to_pdf(target, writer))
    text = "\n".join(page[2] for page in pages)
    # Nghị định 30: "PHỤ LỤC", the annex's name, then the "(Kèm theo …)" line right under it
    assert text.startswith("PHỤ LỤC\nKẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG NĂM 2022\n(Kèm theo Quyết định số 125/QĐ-UBND"
                           " ngày 05 tháng 01 năm 2023 của UBND tỉnh Hà Nam)\n")
    assert "I. Sở, ban, ngành" in text
    lines = text.splitlines()
    for row in result.ranking:  # each agency on one line with its total as printed and its rank
        line = next(line for line in lines if re.match(rf"\d+ {re.escape(row.agency)} ", line))
        assert line.split()[-2:] == [vi_number(row.total, 2), str(row.rank)], line
    _assert_a4_within_margins(pages)
    # six sections do not leave the agency's name room enough on a portrait page: landscape
    assert pages[0][0] > pages[0][1]


def test_placeholders_stay_dotted_and_the_file_is_the_same_each_time(hanam_ws: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for target in (first, second):
        assert egov("rank", "--workspace", str(hanam_ws), "--docx", str(target))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    document = docx.Document(str(first))
    paragraphs = [p.text for p in document.paragraphs]
    assert "(Kèm theo Quyết định số …/QĐ-… ngày … tháng … năm … của …)" in paragraphs
    assert document.styles["Normal"].font.name == "Times New Roman"
    section = document.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    header = section.header._element.xml  # Nghị định 30: centred at the top, none on page 1
    assert "PAGE" in header and "fldChar" in header and "PAGE" not in section.footer._element.xml
    assert section.different_first_page_header_footer
    table = document.tables[0]
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert all("w:cantSplit" in row._tr.xml for row in table.rows)
    # egov's own output: never read back as a report by `egov ingest`
    assert "egov-output" in document.core_properties.keywords


def test_a_bad_decision_date_or_target_is_refused_before_any_work(hanam_ws: Path, tmp_path: Path) -> None:
    code, _, err = egov("rank", "--workspace", str(hanam_ws), "--docx", str(tmp_path / "a.docx"),
                        "--ngay-quyet-dinh", "31/02/2023")
    assert code == 2 and "31/02/2023" in err and "không phải một ngày" in err
    code, _, err = egov("rank", "--workspace", str(hanam_ws), "--docx", str(tmp_path / "a.pdf"))
    assert code == 2 and ".docx" in err
    assert list(tmp_path.iterdir()) == []


def _communes(count: int) -> list[RankRow]:
    """A round of `count` communes under dti-example-2025 (an index rule set), best first."""
    rules = api.load_rules("dti-example-2025")
    rows = []
    for i in range(count):
        index = round(0.95 - i * 0.004, 4)
        sections = {s.id: round(index * 0.9 + (j % 3) * 0.03, 4) for j, s in enumerate(rules.sections)}
        rows.append(RankRow(rank=i + 1, agency=f"UBND xã Thành Phố Mới Số {i + 1:03d} tỉnh Hải Sơn",
                            group="commune", period="2025", total=round(index * 1000, 4), max_total=1000,
                            group_label="UBND xã, phường, đặc khu", index=index, section_indices=sections))
    return rows


def test_a_long_group_repeats_its_header_on_every_page(tmp_path: Path, writer: str) -> None:
    rules = api.load_rules("dti-example-2025")
    ranking = _communes(150)
    target = tmp_path / "phu-luc.docx"
    write_annex(target, ranking, rules, AnnexHeading(number="7/QĐ-UBND"))
    pages = _pdf_pages(to_pdf(target, writer))
    assert len(pages) >= 3
    _assert_a4_within_margins(pages)
    # Nghị định 30: the number centred in the top margin, from page 2 on (page 1 shows none)
    assert pages[0][2].startswith("PHỤ LỤC\n") and not pages[0][2].rstrip().endswith("\n1")
    for number, (width, _, text, shapes) in enumerate(pages[1:], start=2):
        assert "Tên cơ quan, đơn vị" in text, f"trang {number}: thiếu dòng tiêu đề bảng"
        assert text.startswith(f"{number}\n"), f"trang {number}: số trang không ở lề trên"
        digits = [s for s in shapes if s.get("text") and s["top"] < 20 * MM]
        middle = (min(s["x0"] for s in digits) + max(s["x1"] for s in digits)) / 2
        text_middle = (LEFT_MARGIN_MM * MM + width - RIGHT_MARGIN_MM * MM) / 2
        assert abs(middle - text_middle) < 3 * MM, f"trang {number}: số trang không canh giữa"
    text = "\n".join(page[2] for page in pages)
    lines = text.splitlines()
    for row in ranking:  # each row whole on one line (never split across pages): name, index, rank
        line = next(line for line in lines if row.agency in line)
        assert line.split()[-2:] == [vi_number(row.index, 4, fixed=True), str(row.rank)], line
        assert vi_number(row.total, 4) in line


def test_an_existing_target_is_left_alone_when_it_cannot_be_replaced(hanam_ws: Path, tmp_path: Path) -> None:
    """The annex is written atomically: a folder in its place is refused, nothing half-written."""
    folder = tmp_path / "phu-luc.docx"
    folder.mkdir()
    code, _, err = egov("rank", "--workspace", str(hanam_ws), "--docx", str(folder))
    assert code == 2 and "thư mục" in err
    assert list(folder.iterdir()) == []
    shutil.rmtree(folder)


def test_levels_and_several_periods_get_their_columns_and_headings(tmp_path: Path) -> None:
    rules = api.load_rules("hanam-2022")
    ranking = [
        RankRow(1, "Sở Tài chính tỉnh Hà Nam", "department", "2021", 480.5, 500, "Sở, ban, ngành",
                level="Tốt", sections={"I": 50.0, "II": 140.5}),
        RankRow(1, "Sở Tài chính tỉnh Hà Nam", "department", "2022", 496, 500, "Sở, ban, ngành", level="Tốt"),
        RankRow(1, "UBND huyện Kim Bảng", "district", "2022", 410.25, 500, "UBND cấp huyện", level="Khá"),
    ]
    target = tmp_path / "phu-luc.docx"
    write_annex(target, ranking, rules, AnnexHeading(title="Kết quả chỉ số CNTT các năm 2021–2022"))
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert "KẾT QUẢ CHỈ SỐ CNTT CÁC NĂM 2021–2022" in texts
    assert sum(t.startswith("Ghi chú: cột mục là điểm") for t in texts) == 1  # once, after the last table
    assert texts[-1].startswith("Ghi chú: cột mục là điểm của từng mục — I. ")
    headings = [t for t in texts if re.match(r"^I+\. ", t)]
    assert headings == ["I. Sở, ban, ngành — năm 2021", "II. Sở, ban, ngành — năm 2022",
                        "III. UBND cấp huyện — năm 2022"]
    first, _, third = document.tables
    assert [c.text for c in first.rows[0].cells][-3:] == ["Tổng điểm", "Xếp hạng", "Xếp loại"]
    assert [c.text for c in first.rows[1].cells][2:4] == ["50", "140,5"]
    assert [c.text for c in third.rows[1].cells][-3:] == ["410,25", "1", "Khá"]


def test_every_table_is_numbered_in_roman_numerals_however_many(tmp_path: Path) -> None:
    """Three groups over five periods make fifteen tables: XIII, XIV, XV — not "13", "14", "15"."""
    rules = api.load_rules("hanam-2022")
    groups = (("department", "Sở, ban, ngành"), ("district", "UBND cấp huyện"), ("commune", "UBND xã"))
    ranking = [RankRow(1, f"{label} A", group, str(year), 400, 500, label)
               for year in range(2018, 2023) for group, label in groups]
    target = tmp_path / "phu-luc.docx"
    write_annex(target, ranking, rules)
    headings = [p.text.split(".")[0] for p in docx.Document(str(target)).paragraphs
                if re.match(r"^[IVXLC\d]+\. ", p.text)]
    assert headings == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
                        "XIV", "XV"]
