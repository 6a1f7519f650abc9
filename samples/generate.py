"""Generate the Hà Nam 2022 sample round: department reports as docx, xlsx and pdf, plus expected.json.

One file is seed 004 (Sở Tài chính) with its numbers unchanged; the others are variations of it with
other departments' names, counts and self-scores, each with at most one planted fault that egov must
flag. expected.json holds, per file, the points egov should give and the planted faults; it is
computed from the specs below, never typed by hand.

Usage: python samples/generate.py [OUT_DIR]   (default: samples/hanam-2022)
"""

from __future__ import annotations

import csv
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
DEFAULT_OUT = HERE / "hanam-2022"
HOABINH_OUT = HERE / "hoabinh-2017"
FIXED_TIME = datetime(2022, 10, 20, 8, 0, 0)  # every file claims this creation/modification time
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
HEADER = ("TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá")
TOTAL_KINDS = ("section", "subsection", "total")


class Row(NamedTuple):
    """One row of the criteria table, all cells as printed (the shape of the source TSV)."""

    tt: str
    noi_dung: str
    cach_tinh: str
    diem_toi_da: str
    diem_tu_danh_gia: str


@dataclass
class ReportSpec:
    """Everything one department's submission shows: header, narrative, general info, criteria table."""

    agency: str  # "Sở Tài chính tỉnh Hà Nam"
    header: str  # "SỞ TÀI CHÍNH"
    year: int
    narrative: list[str]  # paragraphs, from "BÁO CÁO" to the signer's name
    info: list[tuple[str, str]]  # THÔNG TIN CHUNG: (label, value)
    rows: list[Row]


@dataclass(frozen=True)
class Facts:
    """The counts a report states in its narrative and THÔNG TIN CHUNG."""

    staff: int
    computers: int
    networked: int
    servers: int
    printers: int
    switches: int
    scanners: int
    firewalls: int
    units: int
    dvc_level4: int  # level-4 online services …
    tthc: int  # … out of this many administrative procedures
    dvc_national: int  # services integrated on the national portal, out of tthc
    files_direct: int
    files_online: int
    files_total: int
    docs_sent: int
    docs_received: int


@dataclass(frozen=True)
class Department:
    """What changes in the seed narrative when another department writes it."""

    name: str  # "Sở Xây dựng"
    abbr: str  # document-number suffix: "SXD" as in "2030/QĐ-SXD"
    ministry: str
    field: str  # "xây dựng": the department's specialised domain
    apps: str  # the paragraph about its specialised IT applications
    missing: str  # a database it still lacks
    signer: str


@dataclass(frozen=True)
class Fault:
    """A planted fault and the flag egov must raise for it."""

    criterion: str
    flag: str
    description: str


@dataclass(frozen=True)
class Sample:
    """One file of the round: its name, what it shows, and what egov should make of it."""

    file: str
    spec: ReportSpec
    facts: Facts
    faults: tuple[Fault, ...] = ()

    @property
    def format(self) -> str:
        return Path(self.file).suffix.lstrip(".")


class RowPath(NamedTuple):
    """A criteria-table row's criterion path (docs/architecture.md) and kind."""

    path: str  # "I.3.1", "II.1", "TOTAL"; "" for rows that are none of these
    kind: str  # section | subsection | total | criterion | heading | ""


# ── criteria table ─────────────────────────────────────────────────────────────

_ROMAN = re.compile(r"^([IVX]+)\.?$")
_SUBSECTION = re.compile(r"^([IVX]+)\.\s*(\d+)$")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*$")


def row_paths(rows: list[Row]) -> list[RowPath]:
    """Criterion path and kind of every row, rebuilt from TT as the extractors do."""
    out: list[RowPath] = []
    section = subsection = heading = ""
    for row in rows:
        tt, scored = row.tt.strip(), bool(row.diem_toi_da.strip())
        if tt.upper().startswith("TỔNG"):
            found = RowPath("TOTAL", "total")
        elif m := _ROMAN.match(tt):
            section, subsection = m[1], ""
            found = RowPath(section, "section")
        elif m := _SUBSECTION.match(tt):
            section, subsection = m[1], f"{m[1]}.{m[2]}"
            found = RowPath(subsection, "subsection")
        elif _NUMBERED.match(tt):
            found = RowPath(f"{subsection or section}.{tt}", "criterion" if scored else "heading")
        elif not tt and scored and heading:
            found = RowPath(heading, "criterion")
        else:
            found = RowPath("", "")
        heading = found.path if found.kind == "heading" else ""
        out.append(found)
    return out


def paired(rows: list[Row]) -> list[tuple[Row, RowPath]]:
    """Each row with its criterion path and kind."""
    return list(zip(rows, row_paths(rows), strict=True))


def parse_points(text: str) -> float | None:
    """Points as printed: "" → None, "9,5" → 9.5, "5 5 5" → 15 (the parts of a split maximum)."""
    parts = text.replace(",", ".").split()
    return sum(float(p) for p in parts) if parts else None


def format_points(value: float) -> str:
    """Points the way an agency writes them: 12, 9,5."""
    return str(int(value)) if value == int(value) else f"{value:g}".replace(".", ",")


def with_scores(rows: list[Row], scores: dict[str, str]) -> list[Row]:
    """Rows with the self-scores of the given criteria replaced ("" leaves the cell blank)."""
    paths = [p.path if p.kind == "criterion" else "" for p in row_paths(rows)]
    if unknown := set(scores) - set(paths):
        raise KeyError(f"no such criteria: {sorted(unknown)}")
    return [r._replace(diem_tu_danh_gia=scores[path]) if path in scores else r
            for r, path in zip(rows, paths, strict=True)]


def with_totals(rows: list[Row], written: dict[str, str] | None = None) -> list[Row]:
    """Rows with section, subsection and grand totals recomputed from the criteria rows.

    `written` overrides a total with a value the agency wrote instead (a planted subtotal fault).
    """
    scores = {p.path: parse_points(r.diem_tu_danh_gia) or 0.0
              for r, p in paired(rows) if p.kind == "criterion"}
    out = []
    for row, p in paired(rows):
        if p.kind in TOTAL_KINDS:
            total = sum(v for k, v in scores.items() if p.kind == "total" or k.startswith(p.path + "."))
            row = row._replace(diem_tu_danh_gia=(written or {}).get(p.path, format_points(total)))
        out.append(row)
    return out


def written_total(rows: list[Row]) -> str:
    """The grand total as written in the table."""
    return next(r.diem_tu_danh_gia for r, p in paired(rows) if p.kind == "total")


# ── seed 004 ───────────────────────────────────────────────────────────────────

SEED_FACTS = Facts(
    staff=50, computers=50, networked=50, servers=4, printers=24, switches=4, scanners=2, firewalls=1,
    units=7, dvc_level4=27, tthc=27, dvc_national=26, files_direct=90, files_online=514, files_total=605,
    docs_sent=1798, docs_received=9251,
)


def load_rows(path: Path = SOURCE / "hanam-2022-phuluc-so-tai-chinh.tsv") -> list[Row]:
    """The criteria table of seed 004, as cleaned into the TSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return [Row(*cells) for cells in reader]


def load_narrative(path: Path = SOURCE / "hanam-2022-so-tai-chinh-baocao.txt") -> list[str]:
    """The narrative report of seed 004, one paragraph per line."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def info_for(agency: str, facts: Facts, rows: list[Row]) -> list[tuple[str, str]]:
    """THÔNG TIN CHUNG as seed 004 prints it, with this report's counts and written total."""
    total = next(r for r, p in paired(rows) if p.kind == "total")
    return [
        ("Tên cơ quan, đơn vị", agency),
        ("Tổng số đơn vị trực thuộc", f"{facts.units:02d}"),
        ("Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan", str(facts.staff)),
        ("Tổng số máy tính được trang bị (gồm máy tính để bàn, xách tay, máy tính bảng)",
         str(facts.computers)),
        ("Tổng số điểm đạt được", total.diem_tu_danh_gia),
        ("Tổng số điểm tối đa", f"{total.diem_toi_da} điểm"),
    ]


def seed_004_spec() -> ReportSpec:
    """Seed 004: the real 2022 report of Sở Tài chính tỉnh Hà Nam, numbers unchanged (total 496)."""
    agency, rows = "Sở Tài chính tỉnh Hà Nam", load_rows()
    info = info_for(agency, SEED_FACTS, rows)
    return ReportSpec(agency, "SỞ TÀI CHÍNH", 2022, load_narrative(), info, rows)


# ── variations ─────────────────────────────────────────────────────────────────


def _percent(part: int, whole: int) -> str:
    value = part * 100 / whole
    return f"{value:.0f}%" if value == int(value) else f"{value:.2f}%".replace(".", ",")


def apply_facts(narrative: list[str], f: Facts) -> list[str]:
    """The narrative with every count replaced by those in `f` (seed 004's facts give it back unchanged)."""
    lines = {
        "- Máy chủ: ": f"{f.servers:02d} chiếc",
        "- Máy tính cá nhân (để bàn và xách tay): ": f"{f.computers:02d} chiếc",
        "- Máy in: ": f"{f.printers:02d} chiếc",
        "- Switch: ": f"{f.switches:02d} chiếc",
        "- Số máy trạm kết nối trong mạng Lan, Internet: ": str(f.networked),
        "- Máy Scanner (quét văn bản): ": f"{f.scanners:02d} chiếc",
        "- Firewall: ": f"{f.firewalls:02d} chiếc",
        "- Tổng số cán bộ, công chức và người lao động của cơ quan: ": f"{f.staff} người.",
        "- Tổng số người đã được đào tạo về CNTT: ": f"{f.staff} người.",
        "- Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia: ":
            f"{f.dvc_national}/{f.tthc} ({_percent(f.dvc_national, f.tthc)}).",
    }
    direct, online = f"{f.files_direct}/{f.files_total}", f"{f.files_online}/{f.files_total}"
    online_share = _percent(f.files_online, f.files_total)
    inline = [
        (r"(TTHC\) của cơ quan là: )\d+/\d+ \([\d,]+%\)",
         rf"\g<1>{f.dvc_level4}/{f.tthc} ({_percent(f.dvc_level4, f.tthc)})"),
        (r"trực tiếp là \d+/\d+ hồ sơ, trực tuyến là \d+/\d+ hồ sơ đạt [\d,]+%",
         f"trực tiếp là {direct} hồ sơ, trực tuyến là {online} hồ sơ đạt {online_share}"),
        (r"(trên mạng năm \d+ \(đến thời điểm báo cáo\): )\d+/\d+", rf"\g<1>{f.docs_sent}/{f.docs_received}"),
        (r"đảm bảo \d+% thủ tục hành chính", f"đảm bảo {_percent(f.dvc_level4, f.tthc)} thủ tục hành chính"),
        (r"hồ sơ trực tuyến đạt trên \d+%",
         f"hồ sơ trực tuyến đạt trên {f.files_online * 10 // f.files_total * 10}%"),  # 84,96% → "trên 80%"
    ]
    out = []
    for line in narrative:
        line = next((prefix + value for prefix, value in lines.items() if line.startswith(prefix)), line)
        for pattern, replacement in inline:
            line = re.sub(pattern, replacement, line)
        out.append(line)
    return out


def narrative_for(dept: Department, facts: Facts, seed: list[str]) -> list[str]:
    """Seed 004's narrative as `dept` would have written it, with its own counts."""
    phrases = [
        ("Sở Tài chính", dept.name),
        ("Sở tài Chính", dept.name),
        ("-STC", f"-{dept.abbr}"),
        ("Bộ Tài chính, Phòng Tài chính", dept.ministry),
        ("chuyên ngành tài chính", f"chuyên ngành {dept.field}"),
        ("lĩnh vực quản lý tài chính ngân sách", f"lĩnh vực quản lý {dept.field}"),
        ("giá các mặt hàng chủ yếu, công khai ngân sách", f"thông tin chuyên ngành {dept.field}"),
        ("Cơ sở dữ liệu về giá tại địa phương", dept.missing),
        ("Vũ Văn Thư", dept.signer),
    ]
    out = []
    for line in apply_facts(seed, facts):
        if line.startswith("Các ứng dụng CNTT ngành tài chính"):
            line = dept.apps
        for old, new in phrases:
            line = line.replace(old, new)
        out.append(line)
    return out


def variant(seed: ReportSpec, dept: Department, facts: Facts, scores: dict[str, str],
            written: dict[str, str] | None = None) -> ReportSpec:
    """A department's report built on the seed: its narrative, counts and self-scores, totals recomputed."""
    agency = f"{dept.name} tỉnh Hà Nam"
    rows = with_totals(with_scores(seed.rows, scores), written)
    narrative = narrative_for(dept, facts, seed.narrative)
    return ReportSpec(agency, dept.name.upper(), seed.year, narrative, info_for(agency, facts, rows), rows)


# ── writers ────────────────────────────────────────────────────────────────────


def _title_lines(spec: ReportSpec) -> list[str]:
    return [
        "UBND TỈNH HÀ NAM",
        spec.header,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Hà Nam, ngày 20 tháng 10 năm {spec.year}",
    ]


def _appendix_lines(spec: ReportSpec) -> list[str]:
    return [
        "Phụ lục",
        "Bộ tiêu chí đánh giá, xếp hạng ứng dụng CNTT trong hoạt động của cơ quan nhà nước cấp tỉnh",
        f"(Kèm theo Báo cáo kết quả ứng dụng CNTT năm {spec.year} của {spec.agency})",
        "THÔNG TIN CHUNG",
    ]


def freeze_zip(path: Path, when: datetime = FIXED_TIME) -> None:
    """Rewrite a zip container with fixed member timestamps, so the same spec gives the same bytes."""
    with zipfile.ZipFile(path) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, when.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)


def write_docx(spec: ReportSpec, path: Path | str) -> None:
    """Word report: title lines, narrative, "Phụ lục", THÔNG TIN CHUNG lines, then the criteria table."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)

    def centered(text: str, bold: bool = True) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold

    for line in _title_lines(spec):
        centered(line)
    for i, text in enumerate(spec.narrative):
        if i < 2:  # "BÁO CÁO" and its subject line
            centered(text)
        else:
            document.add_paragraph(text)
    document.add_page_break()
    document.add_heading(_appendix_lines(spec)[0], level=1)
    for line in _appendix_lines(spec)[1:]:
        centered(line)
    for label, value in spec.info:
        document.add_paragraph(f"{label}: {value}")

    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    header_flag = OxmlElement("w:tblHeader")  # repeat the header row on every page
    header_flag.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header_flag)
    for row in spec.rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    widths = [Mm(w) for w in (18, 70, 52, 15, 15)]
    for table_row in table.rows:
        for cell, width in zip(table_row.cells, widths, strict=True):
            cell.width = width
            for run in (r for p in cell.paragraphs for r in p.runs):
                run.font.size = Pt(10)

    props = document.core_properties
    props.author = props.last_modified_by = spec.agency
    props.title = f"Báo cáo kết quả ứng dụng CNTT năm {spec.year}"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    document.save(str(path))
    freeze_zip(Path(path))


def _cell_value(text: str) -> int | float | str | None:
    """A printed value as a spreadsheet cell: numbers as numbers, blanks as empty cells."""
    if not text:
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+,\d+", text):
        return float(text.replace(",", "."))
    return text


def write_xlsx(spec: ReportSpec, path: Path | str) -> None:
    """Excel report: sheet "Báo cáo" (one line per row) and sheet "Phụ lục" (info pairs, then the table)."""
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    report = workbook.active
    report.title = "Báo cáo"
    for line in [*_title_lines(spec), *spec.narrative]:
        report.append([line])
    report.column_dimensions["A"].width = 120

    annex = workbook.create_sheet("Phụ lục")
    for line in _appendix_lines(spec):
        annex.append([line])
    for label, value in spec.info:
        annex.append([f"{label}:", _cell_value(value)])
    annex.append([])
    annex.append(list(HEADER))
    header_row = annex.max_row
    for row in spec.rows:
        annex.append([row.tt, row.noi_dung, row.cach_tinh, _cell_value(row.diem_toi_da),
                      _cell_value(row.diem_tu_danh_gia)])
    for column, width in zip("ABCDE", (14, 60, 45, 10, 12), strict=True):
        annex.column_dimensions[column].width = width
    for sheet in (report, annex):
        for cells in sheet.iter_rows():
            for cell in cells:
                cell.alignment = wrap
    for cell in annex[header_row]:
        cell.font = Font(bold=True)

    workbook.properties.creator = workbook.properties.lastModifiedBy = spec.agency
    workbook.properties.title = f"Báo cáo kết quả ứng dụng CNTT năm {spec.year}"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:  # Workbook.save() stamps "modified" now
        ExcelWriter(workbook, archive).save()
    freeze_zip(Path(path))


def register_fonts() -> None:
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold")


def _pdf_table(rows: list[Row]) -> Table:
    cell = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=7.5, leading=9)
    bold = ParagraphStyle("cell-bold", parent=cell, fontName="DejaVuSans-Bold")
    data: list[list[object]] = [[Paragraph(text, bold) for text in HEADER]]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), "DejaVuSans", 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
    ]
    for i, (row, kind) in enumerate(paired(rows), start=1):
        strong = kind.kind in TOTAL_KINDS
        data.append([row.tt, Paragraph(escape(row.noi_dung), bold if strong else cell),
                     Paragraph(escape(row.cach_tinh), cell), row.diem_toi_da, row.diem_tu_danh_gia])
        if strong:
            commands.append(("FONT", (0, i), (-1, i), "DejaVuSans-Bold", 7.5))
        if kind.kind == "total":  # the grand-total label spans TT, Nội dung and Cách tính
            commands.append(("SPAN", (0, i), (2, i)))
    return Table(data, colWidths=[16 * mm, 74 * mm, 58 * mm, 16 * mm, 16 * mm], repeatRows=1,
                 style=TableStyle(commands))


def write_pdf(spec: ReportSpec, path: Path | str) -> None:
    """PDF report (A4, DejaVu Sans): narrative, then the appendix with a ruled, multi-page criteria table."""
    register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10, leading=13, spaceAfter=4)
    title = ParagraphStyle("title", parent=body, fontName="DejaVuSans-Bold", alignment=TA_CENTER)
    story: list[object] = [Paragraph(escape(line), title) for line in _title_lines(spec)]
    story.append(Spacer(1, 8))
    story += [Paragraph(escape(text), title if i < 2 else body) for i, text in enumerate(spec.narrative)]
    story.append(PageBreak())
    story += [Paragraph(escape(line), title) for line in _appendix_lines(spec)]
    story += [Paragraph(escape(f"{label}: {value}"), body) for label, value in spec.info]
    story += [Spacer(1, 6), _pdf_table(spec.rows)]
    document = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, invariant=1, title=f"Báo cáo kết quả ứng dụng CNTT năm {spec.year}",
        author=spec.agency, creator="egov samples/generate.py",
    )
    document.build(story)


WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}


# ── the round ──────────────────────────────────────────────────────────────────

CLAIM_EXCEEDS_EVIDENCE = "claim_exceeds_evidence"
SUBTOTAL_MISMATCH = "subtotal_mismatch"
MISSING_SELF_SCORE = "missing_self_score"
OVER_MAX = "over_max"
ZERO_DENOMINATOR = "zero_denominator"


def _dept(name: str, abbr: str, ministry: str, domain: str, apps: str, missing: str, signer: str
          ) -> Department:
    intro = f"Các ứng dụng CNTT ngành {domain} đã đáp ứng được yêu cầu quản lý nhà nước của {name}, bao gồm: "
    return Department(name, abbr, ministry, domain, intro + apps, missing, signer)


XAY_DUNG = _dept(
    "Sở Xây dựng", "SXD", "Bộ Xây dựng", "xây dựng",
    "Hệ thống thông tin về nhà ở và thị trường bất động sản; Cơ sở dữ liệu cấp phép xây dựng; "
    "Phần mềm quản lý chứng chỉ hành nghề hoạt động xây dựng.",
    "Cơ sở dữ liệu về quy hoạch xây dựng", "Trần Quang Hưng",
)
Y_TE = _dept(
    "Sở Y tế", "SYT", "Bộ Y tế", "y tế",
    "Hệ thống quản lý khám, chữa bệnh và thanh toán bảo hiểm y tế; Hệ thống thông tin tiêm chủng quốc gia; "
    "Phần mềm quản lý hành nghề y, dược tư nhân.",
    "Hồ sơ sức khỏe điện tử", "Nguyễn Thị Thanh Hà",
)
GIAO_DUC = _dept(
    "Sở Giáo dục và Đào tạo", "SGDĐT", "Bộ Giáo dục và Đào tạo", "giáo dục và đào tạo",
    "Cơ sở dữ liệu ngành giáo dục và đào tạo; Phần mềm quản lý trường học; "
    "Hệ thống tuyển sinh đầu cấp trực tuyến.",
    "Phần mềm quản lý văn bằng, chứng chỉ", "Lê Văn Khánh",
)
TU_PHAP = _dept(
    "Sở Tư pháp", "STP", "Bộ Tư pháp", "tư pháp",
    "Phần mềm quản lý hộ tịch dùng chung; Phần mềm cấp phiếu lý lịch tư pháp; "
    "Cơ sở dữ liệu công chứng, chứng thực.",
    "Cơ sở dữ liệu về văn bản quy phạm pháp luật của địa phương", "Phạm Thị Minh Nguyệt",
)
NOI_VU = _dept(
    "Sở Nội vụ", "SNV", "Bộ Nội vụ", "nội vụ",
    "Cơ sở dữ liệu cán bộ, công chức, viên chức; Phần mềm quản lý thi đua, khen thưởng; "
    "Hệ thống đánh giá chỉ số cải cách hành chính.",
    "Phần mềm quản lý tài liệu lưu trữ điện tử", "Đỗ Văn Thắng",
)
CONG_THUONG = _dept(
    "Sở Công Thương", "SCT", "Bộ Công Thương", "công thương",
    "Hệ thống cấp giấy chứng nhận xuất xứ hàng hóa điện tử; Cơ sở dữ liệu cụm công nghiệp; "
    "Phần mềm quản lý an toàn thực phẩm thuộc ngành công thương.",
    "Cơ sở dữ liệu về thương mại điện tử", "Hoàng Minh Tuấn",
)
NONG_NGHIEP = _dept(
    "Sở Nông nghiệp và Phát triển nông thôn", "SNN", "Bộ Nông nghiệp và Phát triển nông thôn", "nông nghiệp",
    "Cơ sở dữ liệu về cây trồng, vật nuôi; Hệ thống truy xuất nguồn gốc nông sản; "
    "Phần mềm quản lý đê điều và phòng, chống thiên tai.",
    "Cơ sở dữ liệu về đất nông nghiệp", "Bùi Đức Long",
)


def _facts(staff: int, computers: int, networked: int, servers: int, printers: int, switches: int,
           scanners: int, firewalls: int, units: int, dvc: tuple[int, int, int], files: tuple[int, int],
           docs: tuple[int, int]) -> Facts:
    """Facts with dvc = (level 4, procedures, on the national portal) and files = (direct, online)."""
    return Facts(staff, computers, networked, servers, printers, switches, scanners, firewalls, units,
                 dvc[0], dvc[1], dvc[2], files[0], files[1], sum(files), docs[0], docs[1])


def hanam_2022_round() -> list[Sample]:
    """The eight submissions of the sample round, in file-name order of the README."""
    seed = seed_004_spec()
    xd = _facts(60, 48, 48, 3, 20, 4, 3, 1, 5, (41, 52, 50), (120, 860), (2150, 7820))
    yt = _facts(72, 72, 72, 5, 30, 6, 4, 2, 6, (96, 130, 121), (410, 2350), (3120, 11480))
    gd = _facts(64, 64, 64, 3, 28, 5, 3, 1, 8, (48, 60, 57), (75, 1290), (2480, 10250))
    tp = _facts(40, 40, 36, 2, 18, 3, 2, 1, 4, (100, 142, 131), (1540, 6210), (1620, 6930))
    nv = _facts(45, 45, 45, 3, 22, 4, 2, 1, 3, (35, 94, 88), (60, 410), (2890, 8140))
    ct = _facts(55, 44, 44, 3, 25, 4, 2, 1, 5, (80, 125, 118), (310, 1920), (1980, 7450))
    nn = _facts(120, 120, 108, 4, 46, 8, 6, 2, 9, (20, 60, 55), (95, 240), (3410, 12600))
    return [
        Sample("so-tai-chinh.docx", seed, SEED_FACTS),
        Sample("so-xay-dung.xlsx",
               variant(seed, XAY_DUNG, xd, {"II.1.2": "12", "III.1.12": "0", "III.2.8.2": "6", "VI.4": "6"}),
               xd, (Fault("I.1", CLAIM_EXCEEDS_EVIDENCE,
                          "I.1 self-scored 10/10 but 48 computers for 60 staff support 48/60 × 10 = 8"),)),
        Sample("so-y-te.pdf",
               variant(seed, Y_TE, yt, {"II.4.2": "0", "III.1.1.4": "2", "V.2": "5"}, written={"II": "146"}),
               yt, (Fault("II", SUBTOTAL_MISMATCH,
                          "section II written as 146 but its rows sum to 142 (II.4.2 is 0; II.4 = 12 and the "
                          "grand total are correct)"),)),
        Sample("so-giao-duc-va-dao-tao.xlsx",
               variant(seed, GIAO_DUC, gd, {"III.1.8": "", "II.2.2": "20", "III.2.5.2": "5", "V.1.1": "5",
                                             "VI.3": "5"}),
               gd, (Fault("III.1.8", MISSING_SELF_SCORE,
                          "III.1.8 self-score cell left blank; the totals are written without it"),)),
        Sample("so-tu-phap.docx",
               variant(seed, TU_PHAP, tp, {"I.2": "9", "II.4.4": "12", "III.2.8.2": "7", "VI.5": "6"}),
               tp, (Fault("II.4.4", OVER_MAX,
                          "II.4.4 self-scored 12 (3 programs × 4) above its maximum of 8; "
                          "totals include the 12"),)),
        Sample("so-noi-vu.pdf",
               variant(seed, NOI_VU, nv, {"II.1.7": "13", "III.2.4": "8", "V.1.2": "8"}), nv),
        Sample("so-cong-thuong.xlsx",
               variant(seed, CONG_THUONG, ct, {"I.1": "8", "II.4.1": "4", "II.4.4": "4", "V.1.1": "6"}), ct),
        Sample("so-nong-nghiep-va-phat-trien-nong-thon.pdf",
               variant(seed, NONG_NGHIEP, nn, {"I.2": "9", "II.2.2": "20", "II.3.2": "8", "III.1.11": "0",
                                                "III.2.5.1": "8", "IV.7": "0", "VI.1": "5"}), nn),
    ]


# ── expected results ───────────────────────────────────────────────────────────


def _dvc_band(f: Facts) -> float:
    ratio = f.dvc_level4 / f.tthc
    return 1.0 if ratio >= 0.3 else ratio if ratio >= 0.1 else 0.0


# Criteria egov scores from the reported data: the share of the maximum the facts support.
DATA_RULES = {
    "I.1": lambda f: min(f.computers / f.staff, 1.0),
    "I.2": lambda f: min(f.networked / f.computers, 1.0),
    "I.6": lambda f: 1.0 if f.scanners else 0.0,
    "III.2.3": _dvc_band,
    "IV.4": lambda f: 1.0 if f.firewalls else 0.0,
}


def expected_points(sample: Sample) -> dict[str, float]:
    """Points egov should give each criterion: data-based where a rule exists, else the self-score
    clamped to the maximum, a blank self-score counting 0."""
    points = {}
    for row, p in paired(sample.spec.rows):
        if p.kind != "criterion":
            continue
        top = parse_points(row.diem_toi_da) or 0.0
        if p.path in DATA_RULES:
            points[p.path] = round(DATA_RULES[p.path](sample.facts) * top, 2)
        else:
            points[p.path] = min(parse_points(row.diem_tu_danh_gia) or 0.0, top)
    return points


def data_flags(sample: Sample) -> list[Fault]:
    """Flags egov raises on a sample's honest data (no planted fault): with every procedure offered at
    level 4 (seed 004: 27/27), III.2.2's denominator, procedures − level-4 services, is 0."""
    f = sample.facts
    if f.dvc_level4 != f.tthc:
        return []
    why = f"{f.dvc_level4}/{f.tthc} services at level 4: III.2.2 divides by {f.tthc} − {f.dvc_level4} = 0"
    return [Fault("III.2.2", ZERO_DENOMINATOR, f"{why}, so the self-score counts, flagged")]


def competition_ranks(totals: list[float]) -> list[int]:
    """1 + the number of strictly higher totals: 496, 490, 490, 488 → 1, 2, 2, 4."""
    return [1 + sum(other > total for other in totals) for total in totals]


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def expected(samples: list[Sample]) -> dict[str, object]:
    """The content of expected.json."""
    totals = [round(sum(expected_points(s).values()), 2) for s in samples]
    return {
        "rules": "hanam-2022",
        "period": "2022",
        "files": {
            s.file: {
                "agency": s.spec.agency,
                "format": s.format,
                "expected_total": _number(total),
                "expected_rank": rank,
                "written_total": _number(parse_points(written_total(s.spec.rows)) or 0.0),
                "faults": [{"criterion": f.criterion, "flag": f.flag, "description": f.description}
                           for f in s.faults],
                "flags": [{"criterion": f.criterion, "flag": f.flag, "description": f.description}
                          for f in data_flags(s)],
                "points": {k: _number(v) for k, v in expected_points(s).items()},
            }
            for s, total, rank in zip(samples, totals, competition_ranks(totals), strict=True)
        },
    }


def generate_hoabinh(out_dir: Path | str = HOABINH_OUT) -> list[Path]:
    """Write seed 001's published ranking (QĐ 2631/QĐ-UBND, errors included) as a ruled PDF."""
    from samples.published import write_pdf

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "qd-2631-2017.pdf"
    write_pdf(path, ruled=True)
    return [path]


def generate(out_dir: Path | str = DEFAULT_OUT) -> list[Path]:
    """Write every sample and expected.json into `out_dir`; return the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    samples = hanam_2022_round()
    written = []
    for sample in samples:
        WRITERS[sample.format](sample.spec, out / sample.file)
        written.append(out / sample.file)
    manifest = out / "expected.json"
    manifest.write_text(json.dumps(expected(samples), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, manifest]


if __name__ == "__main__":  # generate.py [HANAM_DIR [HOABINH_DIR]]
    for written_path in (
        *generate(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT),
        *generate_hoabinh(sys.argv[2] if len(sys.argv) > 2 else HOABINH_OUT),
    ):
        print(written_path)
