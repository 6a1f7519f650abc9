"""Hostile and broken report files, built at test time (nothing large is committed).

`build(folder)` writes every file and returns what each one must become: its status after
`ingest_folder`, the code of its first problem (None: no problem) and that problem's category.
Extractors for test-only suffixes (.hang, .hog, .oom, .crash) misbehave on purpose: one never
returns, one eats memory, one runs out of memory in native code, one kills its own process (and .pid
only writes which process read it); tests
register this module for them in `ingest.EXTRACTORS`. `huge_sheet` writes a big sheet fast (raw
XML, no openpyxl).
"""

from __future__ import annotations

import faulthandler
import os
import random
import socket
import struct
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

from egovcli.model import Extracted

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
STAFF, COMPUTERS = 48, 45  # every good file reports these, each for its own agency
AGENCIES = [
    "Sở Tài chính", "Sở Y tế", "Sở Tư pháp", "Sở Xây dựng", "Sở Nội vụ", "Sở Công Thương",
    "Sở Giáo dục và Đào tạo", "Sở Giao thông vận tải", "Sở Khoa học và Công nghệ", "Sở Ngoại vụ",
    "Sở Tài nguyên và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội", "Sở Nông nghiệp và Phát triển nông thôn",
]


def _lines(agency: str) -> list[tuple[str, object]]:
    return [
        ("Tên cơ quan, đơn vị:", agency),
        ("Năm báo cáo:", "2022"),
        ("Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan:", STAFF),
        ("Tổng số máy tính được trang bị:", COMPUTERS),
    ]

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + "]>\n"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


_NOISE = random.Random(2020)  # garbage bytes, the same on every run


def extract(path: Path) -> Extracted:
    """The misbehaving extractor of the test-only suffixes."""
    if path.suffix == ".pid":  # which process read it, for the test to compare
        (path.parent.parent / f"{path.name}.pid").write_text(str(os.getpid()))
        return Extracted(problems=[])
    if path.suffix == ".hang":
        (path.parent.parent / f"{path.name}.pid").write_text(str(os.getpid()))  # for the test to check
        while True:  # a parser stuck in a loop; only killing the process ends it
            time.sleep(0.05)
    if path.suffix == ".hog":
        hoard = [bytearray(4 << 30)]  # 4 GB at once (over the tests' limit), trusting a declared size
        return Extracted(problems=[], agency=str(len(hoard)))
    if path.suffix == ".oom":  # a reader in native code (Rust) that runs out of memory aborts
        import python_calamine

        with path.open("rb") as fh:  # an .xlsx under another name, past every guard
            rows = python_calamine.CalamineWorkbook.from_filelike(fh).get_sheet_by_index(0).to_python()
        return Extracted(problems=[], agency=str(len(rows)))
    faulthandler.disable()  # (pytest's, inherited by the worker: no traceback on stderr)
    os.abort()


def good_xlsx(path: Path, agency: str = AGENCIES[0]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    for label, value in _lines(agency):
        sheet.append([label, value])
    workbook.save(path)
    return path


def good_docx(path: Path, agency: str = AGENCIES[0]) -> Path:
    import docx

    document = docx.Document()
    for label, value in _lines(agency):
        document.add_paragraph(f"{label} {value}")
    document.save(str(path))
    return path


def good_pdf(
    path: Path, agency: str = AGENCIES[0], password: str | None = None, pages: int = 1, rects: int = 0
) -> Path:
    """A text PDF of the good lines; encrypted with user `password` when given ("" opens without)."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    encrypt = StandardEncryption(password, ownerPassword="chu-so-huu") if password is not None else None
    pdf = canvas.Canvas(str(path), encrypt=encrypt)
    for _ in range(pages):
        pdf.setFont("DejaVu", 10)
        for n, (label, value) in enumerate(_lines(agency)):
            pdf.drawString(50, 780 - 14 * n, f"{label} {value}")
        for n in range(rects):
            pdf.rect(50 + n % 50 * 10, 100 + n // 50 % 50 * 10, 5, 5)
        pdf.showPage()
    pdf.save()
    return path


def _zip(source: Path, path: Path, parts: dict[str, bytes]) -> Path:
    """A copy of the zip `source` with `parts` replaced or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info.filename, old.read(info))
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def _laughs(root: str) -> bytes:
    return (LAUGHS + f"<{root}>&lol9;</{root}>").encode()


def _xxe(root: str) -> bytes:
    return (XXE + f"<{root}>&xxe;</{root}>").encode()


def _sheet_with_cells(path: Path, refs: list[str]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for ref in refs:
        workbook.active[ref] = 5
    workbook.save(path)
    return path


def _with_strays(path: Path, refs: list[str]) -> Path:
    """A workbook with a stray value far from its report at each of `refs`."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for ref in refs:
        workbook.active[ref] = 5
    workbook.save(path)
    return path


def _wide(path: Path, rows: int, columns: int) -> Path:
    """A sheet of `rows` × `columns` real cells."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    for _ in range(rows):
        sheet.append([1] * columns)
    workbook.save(path)
    return path


def _many_rows(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    for n in range(rows):
        sheet.append([f"Dòng {n}", n])
    workbook.save(path)
    return path


def nested_tables(source: Path, path: Path, depth: int) -> Path:
    """A copy of the .docx `source` whose body is a table inside a table … `depth` deep."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    inner = "<w:p><w:r><w:t>Tổng số máy tính được trang bị: 45</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{inner}</w:body></w:document>'
    return _zip(source, path, {"word/document.xml": document.encode()})


def huge_sheet(path: Path, rows: int, columns: int) -> Path:
    """An .xlsx with one rows × columns sheet of numbers and short texts, written directly (fast)."""
    def cells(r: int) -> str:
        return "".join(
            f'<c r="{_column(c)}{r}"><v>{r * c}</v></c>' if c % 2 else
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>ô {r}</t></is></c>'
            for c in range(1, columns + 1)
        )

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + _NS + b'"><sheetData>')
            for r in range(1, rows + 1):
                sheet.write(f'<row r="{r}">{cells(r)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods(path: Path, rows: str) -> Path:
    """An OpenDocument spreadsheet whose one sheet holds `rows` (<table:table-row> elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {_ODS_NAMESPACES} office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Phụ lục">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def good_ods(path: Path, agency: str = AGENCIES[0]) -> Path:
    """The good lines as an .ods, with a stray value at XFD1048576 (runs of empty rows and cells in
    between, as LibreOffice writes them)."""
    rows = "".join(
        f'<table:table-row><table:table-cell office:value-type="string"><text:p>{label}</text:p>'
        "</table:table-cell>"
        + (f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
           if isinstance(value, int) else
           f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>')
        + "</table:table-cell></table:table-row>"
        for label, value in _lines(agency)
    )
    far = 1_048_576 - len(_lines(agency)) - 1
    rows += (
        f'<table:table-row table:number-rows-repeated="{far}"><table:table-cell'
        ' table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell'
        ' table:number-columns-repeated="16383"/><table:table-cell office:value-type="float"'
        ' office:value="5"><text:p>5</text:p></table:table-cell></table:table-row>'
    )
    return _ods(path, rows)


def _encrypted(plain: Path, path: Path) -> Path:
    """`plain` (an .xlsx or .docx) protected with a password as Excel/Word do it ("Encrypt with
    password": an OLE file holding EncryptionInfo + EncryptedPackage), by msoffcrypto-tool."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with plain.open("rb") as source, path.open("wb") as out:
        OOXMLFile(source).encrypt("bi-mat", out)
    plain.unlink()
    return path


def _png(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + _NOISE.randbytes(64))
    return path


def _truncated(source: Path, path: Path, share: float = 0.5) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return path


Expected = tuple[str, str | None, str, str]  # status, code of the first problem, its category, agency


def build(folder: Path) -> dict[str, Expected]:
    """Write the good and hostile files into `folder`; file name (as displayed) → expected outcome.

    Every file read successfully reports `STAFF` and `COMPUTERS` for an agency of its own, so no
    submission supersedes another."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    xlsx, docx = good_xlsx(scratch / "a.xlsx"), good_docx(scratch / "a.docx")
    pdf = good_pdf(scratch / "a.pdf")
    expected: dict[str, Expected] = {}
    agencies = iter(AGENCIES)

    def add(name: str, status: str, code: str | None = None, category: str = "") -> Path:
        expected[unicodedata.normalize("NFC", name)] = (status, code, category, "")
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        return folder / name

    def read(name: str, code: str | None = None, category: str = "") -> tuple[Path, str]:
        """A file that must be read: its path and the agency to write in it."""
        agency = next(agencies)
        path = add(name, "new", code, category)
        expected[unicodedata.normalize("NFC", name)] = ("new", code, category, agency)
        return path, agency

    # good files beside the hostile ones, some with awkward names
    good_xlsx(*read("tot.xlsx"))
    good_docx(*read("tot.docx"))
    good_pdf(*read("tot.pdf"))
    good_pdf(*read("mat-khau-rong.pdf"), password="")  # an empty user password: opens as usual
    good_xlsx(*read("bao cao; rm -rf $HOME `x` (1).xlsx"))
    good_xlsx(*read("-bat-dau-bang-gach.xlsx"))
    good_xlsx(*read(unicodedata.normalize("NFC", "Sở Y tế 2022.xlsx")))
    good_xlsx(*read(unicodedata.normalize("NFD", "Sở Tư pháp 2022.xlsx")))
    good_xlsx(*read("bao-cao.xlsx/ben-trong.xlsx"))  # in a folder named like a file
    # a report with stray values far away: real cells are counted, not the 17-billion-cell box
    _with_strays(good_xlsx(*read("o-le-xa.xlsx")), ["XFD1048576", "A1048576"])
    good_ods(*read("o-le-xa.ods"))  # … and as an .ods (read by egov, not through LibreOffice)
    macros, agency = read("co-macro.xlsm", "I-MACROS-NOT-RUN")
    _zip(good_xlsx(scratch / "m.xlsx", agency), macros, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"})

    # wrong extensions: read as what they are, with a warning naming both
    wrong, agency = read("pdf-ten-docx.docx", "W-WRONG-EXTENSION", "wrong_type")
    good_pdf(wrong, agency)
    wrong, agency = read("docx-ten-xlsx.xlsx", "W-WRONG-EXTENSION", "wrong_type")
    good_docx(wrong, agency)
    wrong, agency = read("xlsx-ten-pdf.pdf", "W-WRONG-EXTENSION", "wrong_type")
    good_xlsx(wrong, agency)
    # … or explained when they cannot be read (LibreOffice is switched off in the tests)
    add("trang-web.xls", "failed", "E-WRONG-TYPE", "wrong_type").write_text(
        "<html><body><table><tr><td>Máy tính</td><td>35</td></tr></table></body></html>", encoding="utf-8"
    )
    add("van-ban.pdf", "failed", "E-WRONG-TYPE", "wrong_type").write_text("chỉ là chữ\n", encoding="utf-8")
    _png(add("anh-chup.xlsx", "failed", "E-WRONG-TYPE", "wrong_type"))
    with zipfile.ZipFile(add("nen.docx", "failed", "E-WRONG-TYPE", "wrong_type"), "w") as archive:
        archive.writestr("bao-cao.txt", "không phải Word")

    # empty and broken
    for name in ("rong.xlsx", "rong.docx", "rong.pdf"):
        add(name, "failed", "E-EMPTY-FILE", "empty").write_bytes(b"")
    _truncated(xlsx, add("cut.xlsx", "failed", "E-UNREADABLE", "corrupt"))
    _truncated(docx, add("cut.docx", "failed", "E-UNREADABLE", "corrupt"))
    _truncated(pdf, add("cut.pdf", "failed", "E-UNREADABLE", "corrupt"), 0.3)
    add("rac.xlsx", "failed", "E-UNREADABLE", "corrupt").write_bytes(b"\x01\x02" + _NOISE.randbytes(3000))
    add("pk-rac.docx", "failed", "E-UNREADABLE", "corrupt").write_bytes(b"PK\x03\x04" + _NOISE.randbytes(500))
    # its only cell at XFD1048576: read as one cell (not a 17-billion-cell grid), with no data in it
    _sheet_with_cells(add("o-xa.xlsx", "failed", "E-EMPTY", "empty"), ["XFD1048576"])

    # hostile XML: entity bombs and external entities, in each kind of part we parse
    parts = {
        "bom-xml.xlsx": {"xl/sharedStrings.xml": _laughs("sst")},
        "xxe.xlsx": {"xl/workbook.xml": _xxe("workbook")},
        "xxe-rels.xlsx": {"xl/_rels/workbook.xml.rels": _xxe("Relationships")},
        "xxe-utf16.xlsx": {"xl/workbook.xml": _xxe("workbook").decode().encode("utf-16")},
        "bom-xml.docx": {"word/document.xml": _laughs("w:document")},
        "xxe.docx": {"word/styles.xml": _xxe("w:styles")},
    }
    for name, replaced in parts.items():
        source = docx if name.endswith(".docx") else xlsx
        _zip(source, add(name, "failed", "E-HOSTILE", "hostile"), replaced)

    # nesting deeper than any form: hostile (libxml2 gives up at 256 levels; never a stack overflow)
    nested_tables(docx, add("long-sau.docx", "failed", "E-HOSTILE", "hostile"), 300)
    _ods(add("long-sau.ods", "failed", "E-HOSTILE", "hostile"),  # a cell's text in 5000 nested spans
         '<table:table-row><table:table-cell office:value-type="string"><text:p>'
         + "<text:span>" * 5000 + "Máy tính: 45" + "</text:span>" * 5000
         + "</text:p></table:table-cell></table:table-row>")

    # zip bombs and oversized content (see LIMITS in test_hostile.py)
    _zip(xlsx, add("bom-nen.xlsx", "failed", "E-HOSTILE", "hostile"), {"xl/media/x.bin": bytes(40 << 20)})
    unzipped = add("giai-nen-lon.xlsx", "failed", "E-TOO-LARGE", "too_large")
    _zip(xlsx, unzipped, {"xl/media/x.bin": bytes(10 << 20)})
    _many_rows(add("nhieu-dong.xlsx", "failed", "E-TOO-LARGE", "too_large"), 3000)
    _wide(add("nhieu-o.xlsx", "failed", "E-TOO-LARGE", "too_large"), 800, 130)  # 104 000 real cells
    _ods(add("lap-lai.ods", "failed", "E-TOO-LARGE", "too_large"),  # one cell repeated 17 billion times
         '<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float"'
         ' table:number-columns-repeated="16384" office:value="1"><text:p>1</text:p></table:table-cell>'
         "</table:table-row>")
    good_pdf(add("nhieu-trang.pdf", "failed", "E-TOO-LARGE", "too_large"), pages=12)
    good_pdf(add("trang-day-dac.pdf", "failed", "E-TOO-LARGE", "too_large"), rects=3000)
    add("qua-lon.pdf", "failed", "E-TOO-LARGE", "too_large").write_bytes(pdf.read_bytes() + bytes(3 << 20))

    # encrypted
    _encrypted(good_xlsx(folder / "plain.xlsx"), add("mat-khau.xlsx", "failed", "E-ENCRYPTED", "encrypted"))
    _encrypted(good_docx(folder / "plain.docx"), add("mat-khau.docx", "failed", "E-ENCRYPTED", "encrypted"))
    good_pdf(add("mat-khau.pdf", "failed", "E-ENCRYPTED", "encrypted"), password="bi-mat")

    # readers that hang, eat memory or die: stopped by the limits
    add("treo.hang", "failed", "E-TIMEOUT", "timeout").write_bytes(b"x")
    if sys.platform.startswith("linux"):  # the worker's memory cap (RLIMIT_AS) stops it only there
        add("ngon-bo-nho.hog", "failed", "E-TOO-LARGE", "too_large").write_bytes(b"x")
    add("sap.crash", "failed", "E-CRASHED", "corrupt").write_bytes(b"x")

    # not regular files, lock files: skipped with a note, never read
    good_xlsx(add("~$tot.xlsx", "skipped", "I-LOCK-FILE"))
    outside = good_xlsx(scratch / "ngoai.xlsx")
    add("lien-ket.xlsx", "skipped", "I-SKIPPED-LINK", "unsupported").symlink_to(outside)
    os.mkfifo(add("ong.xlsx", "skipped", "I-SKIPPED-SPECIAL", "unsupported"))
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(add("o-cam.docx", "skipped", "I-SKIPPED-SPECIAL", "unsupported")))
    return expected
