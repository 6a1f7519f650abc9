# ruff: noqa: E501  (the seed rows at the end are kept verbatim, one table row per line)
"""Report files in the shapes agencies send, built from the seed texts (/work/shared/seeds).

Each writer names the quirks it plants; tests/test_shapes.py reads the files back.

- Hà Tĩnh raw-data form (seed 000): TT | Tên tiêu chí | <agency> table, as .xlsx and .docx.
- Tuyên Quang quarterly annex (seed 003): a multi-sheet .xlsx, and the covering .docx report.
- Bình Định survey forms (seed 002), filled in: Phụ lục I (a department), Phụ lục II (a district).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WINGDINGS_TICKED = "⟦W+⟧"  # a tick box drawn with the Wingdings symbol font (w:sym F0FE)
WINGDINGS_EMPTY = "⟦W-⟧"  # … an empty one (w:sym F0A8)
FORM_TICKED = "⟦F+⟧"  # a legacy FORMCHECKBOX field, ticked
FORM_EMPTY = "⟦F-⟧"  # … not ticked
IN_CONTENT_CONTROL = "⟦CC⟧"  # a paragraph wrapped in a content control (w:sdt)
_TOKENS = {
    WINGDINGS_TICKED: ("sym", "F0FE"), WINGDINGS_EMPTY: ("sym", "F0A8"),
    FORM_TICKED: ("form", "1"), FORM_EMPTY: ("form", "0"),
}


def rows_of(tsv: str) -> list[list[str]]:
    """Tab-separated seed rows, padded to the widest; "<i>…</i>" (a second line in the cell)
    becomes a line break."""
    rows = [
        line.replace(" <i>", "\n").replace("<i>", "").replace("</i>", "").split("\t")
        for line in tsv.strip("\n").splitlines()
    ]
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def _cell_value(text: str) -> int | str | None:
    """Digits as a number cell, anything else as text ("3.367", "94,0" as the agency typed them)."""
    return int(text) if text.isdigit() and not text.startswith("0") else (text or None)


# --- docx helpers ---------------------------------------------------------------------------------
def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


def _write_text(paragraph: Any, text: str) -> None:
    """Runs for `text`, the tick-box tokens becoming Wingdings symbols or form checkboxes."""
    from docx.oxml import OxmlElement

    parts = [text]
    for token in _TOKENS:
        parts = [piece for part in parts for piece in _split_keep(part, token)]
    for part in parts:
        if part not in _TOKENS:
            if part:
                paragraph.add_run(part)
            continue
        kind, value = _TOKENS[part]
        run = paragraph.add_run()._r
        if kind == "sym":
            sym = OxmlElement("w:sym")
            sym.set(_w("font"), "Wingdings")
            sym.set(_w("char"), value)
            run.append(sym)
            continue
        begin = OxmlElement("w:fldChar")
        begin.set(_w("fldCharType"), "begin")
        data, box, default = OxmlElement("w:ffData"), OxmlElement("w:checkBox"), OxmlElement("w:default")
        default.set(_w("val"), value)
        box.append(default)
        data.append(box)
        begin.append(data)
        run.append(begin)
        for field_part in ("instr", "separate", "end"):
            extra = paragraph.add_run()._r
            if field_part == "instr":
                instruction = OxmlElement("w:instrText")
                instruction.text = " FORMCHECKBOX "
                extra.append(instruction)
            else:
                char = OxmlElement("w:fldChar")
                char.set(_w("fldCharType"), field_part)
                extra.append(char)


def _split_keep(text: str, token: str) -> list[str]:
    pieces = text.split(token)
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index:
            out.append(token)
        out.append(piece)
    return out


def _paragraph(document: Any, text: str) -> None:  # a document or a table cell
    """A body paragraph; "⟦CC⟧…" puts it inside a content control."""
    from docx.oxml import OxmlElement

    wrapped = text.startswith(IN_CONTENT_CONTROL)
    paragraph = document.add_paragraph()
    _write_text(paragraph, text.removeprefix(IN_CONTENT_CONTROL))
    if wrapped:
        p = paragraph._p
        sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        p.addprevious(sdt)
        sdt.append(OxmlElement("w:sdtPr"))
        sdt.append(content)
        content.append(p)


def _set_cell(cell: Any, text: str) -> None:
    """A cell's text: "\\n\\n" separates paragraphs, "\\n" is a line break inside one."""
    first, *rest = text.split("\n\n")
    cell.text = ""
    _write_text(cell.paragraphs[0], first)
    for part in rest:
        _write_text(cell.add_paragraph(), part)


def _docx_table(document: Any, rows: list[list[str]], merges: list[tuple[int, int, int, int]] = ()) -> None:
    """A table of `rows` (in a document or a table cell); `merges` (row, column, last row, last
    column) are merged, keeping the text of their top-left cell."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    cells = table._cells
    width = len(rows[0])
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                _set_cell(cells[r * width + c], text)
    for top, left, bottom, right in merges:
        kept = rows[top][left]
        merged = table.cell(top, left).merge(table.cell(bottom, right))
        _set_cell(merged, kept)


def _fill(container: Any, blocks: list[Any]) -> None:
    """Paragraphs (str) and tables ((rows, merges)) added to a document or a table cell."""
    for block in blocks:
        if isinstance(block, str):
            _paragraph(container, block)
        else:
            _docx_table(container, *block)


def _docx(blocks: list[Any], path: Path) -> Path:
    """A document of paragraphs (str) and tables ((rows, merges))."""
    import docx

    document = docx.Document()
    _fill(document, blocks)
    document.save(str(path))
    return path


# --- seed 000: Hà Tĩnh raw-data form ----------------------------------------------------------------
HA_TINH_TITLE = ["BÁO CÁO", "ĐÁNH GIÁ MỨC ĐỘ XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ 6 THÁNG ĐẦU NĂM 2020"]
HA_TINH_FOOTER = [
    "GIÁM ĐỐC", "Nơi nhận:", "- UBND tỉnh (b/c);", "- Sở TT&TT;", "- Lãnh đạo Sở;", "- Lưu: VT, CNTT.",
    "Trần Xuân Tiến",
]
# label_broken_by_line_break: a long label typed over two lines of its cell
HA_TINH_BROKEN_LABELS = {
    "Số lượng máy Scan bị hỏng từ 1-3 tháng/năm": "Số lượng máy Scan bị hỏng\ntừ 1-3 tháng/năm",
    "Tổng số CBCCVC tại các đơn vị sự nghiệp:": "Tổng số CBCCVC tại các\nđơn vị sự nghiệp:",
}
# value_merged_over_two_rows: one "Có" cell for two consecutive criteria (read once, at the top)
HA_TINH_MERGED_DOWN = ("Phần mềm kế toán và quản lý tài sản công", "Phần mềm quản lý cán bộ công chức")


def ha_tinh_rows(paragraph_break: str, extra: tuple[tuple[str, str, str], ...] = ()
                 ) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The seed table with its quirks: section rows merged across the table (section_row_merged),
    long lists one item per line (list_value_one_item_per_line, items joined by `paragraph_break`),
    labels broken over two lines, one value merged over two rows; `extra` rows (TT, label, value) a
    province added at the end of the table."""
    rows = rows_of(HA_TINH_TABLE) + [list(row) for row in extra]
    merges: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(rows):
        tt, label, value = row
        if tt and not label:  # "III C- Về nhân lực CNTT" typed in the TT cell: the whole row is one cell
            merges.append((r, 0, r, 2))
        elif label[:2] in ("A-", "B-") or (tt in ("I", "II", "VI") and not value):
            merges.append((r, 1, r, 2))  # "A- Thông tin chung về đơn vị" spans label and value
        if value.startswith("1. ") and "; 2. " in value:
            row[2] = value.replace("; ", f";{paragraph_break}")
        row[1] = HA_TINH_BROKEN_LABELS.get(label, label)
        if label == HA_TINH_MERGED_DOWN[0]:
            merges.append((r, 2, r + 1, 2))
    return rows, merges


def ha_tinh_xlsx(path: Path, extra: tuple[tuple[str, str, str], ...] = ()) -> Path:
    """Seed 000 as a workbook: title rows merged across, the table (and `extra` rows), the signature
    block."""
    from openpyxl import Workbook

    rows, merges = ha_tinh_rows("\n", extra)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu 6 tháng"
    for r, title in enumerate(HA_TINH_TITLE, 1):
        sheet.cell(r, 1, title)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    first = len(HA_TINH_TITLE) + 2  # a blank row before the table
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            sheet.cell(first + r, c + 1, _cell_value(text))
    for top, left, bottom, right in merges:
        sheet.merge_cells(start_row=first + top, start_column=left + 1, end_row=first + bottom, end_column=right + 1)
    for r, text in enumerate(HA_TINH_FOOTER, first + len(rows) + 1):
        sheet.cell(r, 1, text)
    workbook.save(path)
    return path


def ha_tinh_first_row() -> int:
    """The sheet row of the table header in `ha_tinh_xlsx`."""
    return len(HA_TINH_TITLE) + 2


def ha_tinh_docx(path: Path, extra: tuple[tuple[str, str, str], ...] = ()) -> Path:
    """Seed 000 as a Word report: title paragraphs, the table (and `extra` rows), the signature block."""
    rows, merges = ha_tinh_rows("\n\n", extra)
    return _docx([*HA_TINH_TITLE, (rows, merges), *HA_TINH_FOOTER], path)


def ha_tinh_docx_in_layout(path: Path, depth: int = 1) -> Path:
    """Seed 000 as Word forms often lay it out (report_table_in_layout_table): the whole page a
    borderless 1×1 table holding the title, the table and the signature block; with `depth` 2, inside
    that a two-column table, the letterhead | motto over one merged cell holding them."""
    import docx

    rows, merges = ha_tinh_rows("\n\n")
    document = docx.Document()
    page = document.add_table(rows=1, cols=1).cell(0, 0)
    if depth == 2:
        inner = page.add_table(rows=2, cols=2)
        _set_cell(inner.cell(0, 0), "UBND TỈNH HÀ TĨNH\nSỞ XÂY DỰNG\n-------")
        _set_cell(inner.cell(0, 1), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
        page = inner.cell(1, 0).merge(inner.cell(1, 1))
    _fill(page, [*HA_TINH_TITLE, (rows, merges), *HA_TINH_FOOTER])
    document.save(str(path))
    return path


# --- seed 003: Tuyên Quang quarterly annex and its covering report --------------------------------------
TUYEN_QUANG_TITLE = [
    "BÁO CÁO ĐỊNH KỲ LĨNH VỰC ỨNG DỤNG CÔNG NGHỆ\nTHÔNG TIN, PHÁT TRIỂN CHÍNH PHỦ ĐIỆN TỬ QUÝ I NĂM 2020",
    "(Kèm theo Báo cáo số 96/BC-UBND ngày 5/3/2020 của Ủy ban nhân dân thành phố)",
]
# formula_without_cached_value: "Tỷ lệ:" under 2,1 (printed 89,3) computed by a formula never calculated
TUYEN_QUANG_FORMULA = "=ROUND(150/168*100,1)"
TUYEN_QUANG_HIDDEN = "7.Nhan luc"  # hidden_sheet: still read


def tuyen_quang_xlsx(path: Path) -> Path:
    """Seed 003's annex: one sheet per MỤC, each with its title row; two-row headers whose group
    ("Phân khai báo số liệu báo cáo") is merged across its parts and whose other cells are merged
    down; a "(1) (2) (3) …" row; "Quý V/2018" merged across the unit and value columns
    (value_merged_into_unit_column); a formula without cached value; a hidden sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (title, tsv) in TUYEN_QUANG_SHEETS.items():
        sheet = workbook.create_sheet(name)
        rows = rows_of(tsv)
        width = len(rows[0])
        titles = TUYEN_QUANG_TITLE if name == "1.Thongtinchung" else [title]
        for r, text in enumerate(titles, 1):
            sheet.cell(r, 1, text)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        first = len(titles) + 1
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                value: int | str | None = _cell_value(text)
                if row[1] == "Tỷ lệ:" and rows[r - 1][0] == "2,1":
                    value = TUYEN_QUANG_FORMULA if c == 3 else value
                sheet.cell(first + r, c + 1, value)
            if row[1] == "Quý báo cáo":
                sheet.merge_cells(start_row=first + r, start_column=3, end_row=first + r, end_column=4)
        for top, left, bottom, right in _header_merges(rows):
            sheet.merge_cells(start_row=first + top, start_column=left + 1,
                              end_row=first + bottom, end_column=right + 1)
        if name == TUYEN_QUANG_HIDDEN:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def tuyen_quang_first_row(name: str) -> int:
    """The sheet row of the table header of sheet `name` in `tuyen_quang_xlsx`."""
    return len(TUYEN_QUANG_TITLE) + 1 if name == "1.Thongtinchung" else 2


def _header_merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """A two-row header's merges: a group over the blank cells to its right, the other header
    cells down over the second row."""
    top, below = rows[0], rows[1]
    if below[0] or below[1]:
        return []
    merges = []
    for c, text in enumerate(top):
        if not text:
            continue
        if not below[c]:
            merges.append((0, c, 1, c))
            continue
        end = c
        while end + 1 < len(top) and not top[end + 1] and below[end + 1]:
            end += 1
        if end > c:
            merges.append((0, c, 0, end))
    return merges


TUYEN_QUANG_COVER: list[Any] = [
    ([["ỦY BAN NHÂN DÂN\nTHÀNH PHỐ TUYÊN QUANG\n-------",
       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------"],
      ["Số: 96 /BC-UBND", "TP. Tuyền Quang, ngày 5 tháng 3 năm 2020"]], []),
    "BÁO CÁO",
    "Số liệu về phát triển Chính phủ điện tử quý I/2020",
    "Căn cứ Công văn số 88/STTTT-CNTT ngày 28/02/2020 của Sở Thông tin và Truyền thông về việc báo cáo số "
    "liệu về phát triển Chính phủ điện tử quý I/2020,",
    "Ủy ban nhân dân thành phố báo cáo số liệu về phát triển Chính phủ điện tử quý I/2020 như sau:",
    "- Cơ quan, đơn vị thuộc UBND thành phố: 16",
    "- Ủy ban nhân dân các xã, phường: 15",
    "- Địa chỉ trang/cổng thông tin điện tử (Website/Portal) chính thức của cơ quan, đơn vị: "
    "<http://thanhphotuyenquang.gov.vn>",
    "(Có biểu số liệu kèm theo).",
    "Ủy ban nhân dân thành phố trân trọng báo cáo./",
    "Nơi nhận:",
    "- Sở Thông tin và Truyền thông; (Báo cáo)",
    "- Chủ tịch, các PCT UBND thành phố;",
    "- Phòng VHTT thành phố;",
    "- CVP, các PCVP HĐND và UBND thành phố;",
    "- Chuyên viên: CNTT;",
    "- Lưu: VT, VH.",
    "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    "Phạm Quốc Chương",
]


def tuyen_quang_docx(path: Path) -> Path:
    """Seed 003's covering report: the letterhead in a borderless two-column table with
    multi-line cells (letterhead_in_layout_table), the narrative, the signature."""
    return _docx(TUYEN_QUANG_COVER, path)


# --- seed 002: Bình Định survey forms, filled in ---------------------------------------------------
# Boxes as agencies tick them: ☒/☑ typed, "X" typed before an option, a box after its option
# ("Có: ☒"), Wingdings symbols, legacy form checkboxes; answers on the question's line or the next.
BINH_DINH_DEPARTMENT: list[Any] = [
    "Phụ lục I",
    "MẪU PHIẾU ĐÁNH GIÁ SỐ LIỆU XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ CỦA CÁC SỞ, BAN, NGÀNH TỈNH BÌNH ĐỊNH",
    "(Ban hành kèm theo Quyết định số 3871/QĐ-UBND ngày 25/10/ 2019 của UBND tỉnh Bình Định)",
    "1. Năm báo cáo: 2019",
    "2. Tên cơ quan: Sở Tư pháp tỉnh Bình Định……………………",
    "3. Địa chỉ: 255 Trần Hưng Đạo, thành phố Quy Nhơn",
    "4. Điện thoại, Fax: 0256.3822.567",
    "5. Địa chỉ trang thông tin điện tử: https://stp.binhdinh.gov.vn",
    "6. Thư điện tử liên hệ: stp@binhdinh.gov.vn",
    "7. Tổng số các đơn vị sự nghiệp trực thuộc cơ quan: 2",
    "8. Tổng số cán bộ, công chức (CBCC) của khối Văn phòng: 45",
    "9. Tổng số cán bộ, viên chức (CBVC) các đơn vị sự nghiệp trực thuộc:…… 18 ……….",
    "1. Họ và tên người điền phiếu: Nguyễn Văn An",
    "2. Bộ phận công tác: Văn phòng Sở",
    "3. Chức vụ: Chuyên viên",
    "5. Thư điện tử công vụ liên hệ: nvan@binhdinh.gov.vn",
    "1. Tổng số CBCC được trang bị máy tính trong toàn cơ quan: 63",
    "a. Tổng số CBCC của khối Văn phòng được trang bị máy tính: 45",
    "b. Tổng số CBVC tại các đơn vị sự nghiệp trực thuộc được trang bị máy tính: 18",
    "2. Kết nối mạng Internet:",
    "a. Tổng số máy tính có kết nối Internet: 63",
    "b. Tổng băng thông kết nối Internet quy đổi của sở, ban, ngành: 250 Mbps",
    "∑ Băng thông kết nối Internet quy đổi = (∑ Băng thông Leased Line) * 5 + (∑ Băng thông FTTH) * 5 + "
    "∑ Băng thông xDSL + ∑ Băng thông khác",
    "c. Tỷ lệ băng thông kết nối Internet quy đổi/CBCCVC đơn vị: 3,97 Mbps",
    "3. Tổng số máy tính không kết nối Internet vì lý do bảo mật an toàn thông tin: 1",
    "4. Tổng số máy chủ/Server (kể cả máy chủ/Server thuê dịch vụ CNTT): 03…………",
    "5. Số đơn vị trực thuộc của cơ quan có mạng cục bộ (LAN - Local Area Network): 2",
    "6. Cơ quan có mạng diện rộng (WAN) kết nối các đơn vị trực thuộc:",
    "☒ Có □ Không",
    "7. Hệ thống bảo đảm an toàn thông tin (kể cả hệ thống thuê dịch vụ CNTT):",
    "a. Cơ quan có thiết bị Hệ thống tường lửa: X Có Không Số lượng: 2",
    "b. Cơ quan có hệ thống phát hiện và phòng chống truy cập trái phép (IPS, IDS):",
    "☒ Có □ Không Số lượng: 1",
    "c. Hệ thống an toàn báo cháy, nổ tại phòng máy chủ: ☑ Có □ Không",
    f"d. Hệ thống an toàn chống sét tại phòng máy chủ: {FORM_EMPTY} Có {FORM_TICKED} Không",
    "đ. Tổng số máy tính được trang bị phần mềm diệt virus có bản quyền: 60",
    "8. Hệ thống mạng LAN đã có hệ thống an toàn dữ liệu: ☒ Có □ Không",
    ([["STT", "Giải pháp", "Có", "Số lượng"],
      ["1", "Băng từ", "□", ""],
      ["2", "Tủ đĩa", "□", ""],
      ["3", "SAN", "□", ""],
      ["4", "NAS", WINGDINGS_TICKED, "1"],
      ["5", "DAS", WINGDINGS_EMPTY, ""],
      ["6", "Giải pháp khác: Ổ cứng di động", "☒", "2"]], []),
    "Ghi chú: Mạng diện rộng (WAN) của tỉnh là một hệ thống mạng kết nối các mạng cục bộ (LAN - Local Area "
    "Network) của các cơ quan nhà nước của tỉnh với nhau (trong trường hợp Tỉnh có mạng kết nối các cơ quan "
    "với nhau thì cũng được tính tương tự).",
    "MỤC 4. NHÂN LỰC VÀ ĐẦU TƯ CHO ỨNG DỤNG CNTT",
    "1. Về nhân lực CNTT",
    "- Cán bộ phụ trách về CNTT tại Văn phòng của sở, ban, ngành:",
    "□ Chuyên trách: 1 người ☒ Kiêm nhiệm: 2 người",
    "- Số cán bộ phụ trách về CNTT tại đơn vị sự nghiệp trực thuộc: 2 người (Bao gồm những đơn vị có cán bộ "
    "kiêm nhiệm về CNTT)",
    "- Trình độ chuyên môn nghiệp vụ của cán bộ phụ trách về CNTT (văn bằng trong lĩnh vực CNTT):",
    "□ Tiến sỹ: …… □ Thạc sỹ: 1 ☒ Đại học: 2",
    "□ Cao đẳng: …… □ Trung cấp: …… □ Khác: ………",
    "- Số lượng CBCC chuyên trách CNTT có chứng chỉ quốc tế về CNTT (một người có thể có nhiều chứng chỉ):",
    "Trong đó:",
    "+ Số lượng CBCC có chứng chỉ về An toàn bảo mật (CISSP, Security+, CISA, CISM…): 1",
    "+ Số lượng CBCC có các chứng chỉ về Quản trị mạng (MCSE, MCSA, CCNA, CCNP…): 1",
    "+ Số lượng CBCCVC có chứng chỉ về Quản trị cơ sở dữ liệu (MCDBA, OCA, OCM, OCP…):…….",
    "+ Khác: 1",
    "- Tổng số CBCC được tập huấn về CNTT trong năm……………… 30",
    "- CBCC của cơ quan có chứng chỉ ứng dụng CNTT theo Chuẩn kỹ năng sử dụng CNTT cơ bản trở lên theo quy "
    "định tại Thông tư số 03/2014/TT-BTTTT ngày 11/3/2014 của Bộ trưởng Bộ Thông tin và Truyền thông hoặc "
    "chứng chỉ tin học ứng dụng A, B, C đã cấp: 52 người",
    "2. Về đầu tư cho ứng dụng CNTT",
    ([["TT", "Nội dung", "ĐVT", "Năm", ""],
      ["", "", "", "2018", "2019"],
      ["1", "Tổng chi ngân sách của cơ quan cho ứng dụng CNTT trong năm", "Tr.đ", "350", "420"],
      ["2", "Tổng chi mua sắm phần cứng trong năm", "Tr.đ", "200", "250"],
      ["3", "Tổng chi mua sắm/xây dựng phần mềm trong năm", "Tr.đ", "100", "120"],
      ["4", "Tổng chi cho những CBCC được cơ quan cử đi đào tạo, bồi dưỡng về lĩnh vực CNTT trong năm",
       "Tr.đ", "20", "25"],
      ["5", "Chi cho việc thuê dịch vụ CNTT", "Tr.đ", "30", "25"],
      ["6", "Chi khác", "Tr.đ", "", ""]],
     [(0, 3, 0, 4), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2)]),
    "MỤC 5. ỨNG DỤNG CNTT TRONG HOẠT ĐỘNG CỦA CƠ QUAN NHÀ NƯỚC",
    "1. Triển khai Hệ thống văn phòng điện tử (phần mềm quản lý văn bản và điều hành trên môi trường mạng):",
    "Nếu có đánh dấu X vào ô □",
    "☒ Triển khai tất cả các phòng, ban chuyên môn trong cơ quan",
    "□ Triển khai một số phòng, ban gồm:………………………………………….",
    "- Số lượng đơn vị sự nghiệp trực thuộc được triển khai: 2",
    "- Số lượng đơn vị sự nghiệp trực thuộc thường xuyên sử dụng: 2",
    "- Số lượng văn bản điện tử gửi (VB đi)/ Tổng số văn bản đi (Bao gồm gửi qua văn bản giấy và văn bản điện "
    "tử):…1250…/…1300…",
    "- Số lượng văn bản điện tử nhận (VB đến)/ Tổng số văn bản nhận (Bao gồm nhận văn bản giấy và nhận văn bản "
    "điện tử): 3400/3520",
    "2. Triển khai ứng dụng chữ ký số: ☒ Đã triển khai □ Chưa triển khai",
    "Nếu đã triển khai:",
    "- Đơn vị đang áp dụng chữ ký số của:",
    "☒ Chữ ký số chuyên dùng (do Ban cơ yếu Chính phủ cung cấp)",
    "□ Chữ ký số công cộng do đơn vị khác cung cấp",
    "Tên đơn vị cung cấp chữ ký số công cộng:………………………",
    "- Số lượng CKS được cung cấp (bao gồm chữ ký số chuyên dùng và chữ ký số công cộng): 48",
    "- Số lượng phòng, ban chuyên môn đã triển khai CKS: 5",
    "- Số lượng đơn vị sự nghiệp trực thuộc đã triển khai CKS: 2",
    "- Số lượng văn bản điện tử gửi (VB điện tử đi) đã có chữ ký số/ Tổng số văn bản điện tử gửi (VB điện tử "
    "đi): 1200/1250",
    "Trong đó:",
    "+ Số lượng văn bản điện tử đã có chữ ký số được trao đổi trong nội bộ cơ quan (giữa cơ quan với các đơn vị "
    "trực thuộc): 400",
    "3. Hệ thống thư điện tử công vụ tại cơ quan:",
    "a. Triển khai tất cả các phòng, ban chuyên môn đơn vị trực thuộc:",
    "Có: ☒ Không: □",
    "b. Số lượng CBCC được cấp hộp thư điện tử công vụ của tỉnh: 63",
    f"{IN_CONTENT_CONTROL}c. Số lượng CBCC thường xuyên sử dụng thư điện tử công vụ trong công việc (kiểm tra "
    "và sử dụng hàng ngày): 60",
    "MỤC 6. CỔNG THÔNG TIN ĐIỆN TỬ (WEBSITE)",
    "a. Số lượng tin, bài, văn bản cung cấp trên Website",
    ([["TT", "Tiêu chí", "Số lượng tin, bài, văn bản đã đăng tải trong năm"],
      ["1", "Tin tức, sự kiện: Các tin, bài về hoạt động, các vấn đề liên quan thuộc phạm vi quản lý nhà nước "
            "của cơ quan", "120"],
      ["2", "Thông tin chỉ đạo, điều hành", ""],
      ["a", "Ý kiến chỉ đạo điều hành của lãnh đạo cơ quan", "15"],
      ["b", "Ý kiến xử lý, phản hồi đối với các kiến nghị, yêu cầu của tổ chức, cá nhân", "4"],
      ["3", "Thông tin tuyên truyền, phổ biến, hướng dẫn thực hiện pháp luật, chế độ, chính sách", ""],
      ["a", "Tuyên truyền, phổ biến, hướng dẫn việc thực hiện pháp luật nói chung", "36"],
      ["7", "Thông tin báo cáo thống kê", "4"]], []),
    ([["TT", "Tiêu chí", "Có", "Không"],
      ["1", "Thông tin về các dự án, hạng mục đầu tư, đấu thầu, mua sắm công", "☒", "□"],
      ["2", "Thông tin chương trình nghiên cứu, đề tài khoa học được đưa lên Website", "", ""],
      ["a", "Danh mục các chương trình, đề tài bao gồm: mã số, tên, cấp quản lý, lĩnh vực, cơ quan chủ trì và "
            "thời gian thực hiện (cộng điểm khuyến khích)", "□", "☒"],
      ["c", "Liên kết mục thủ tục hành chính từ trang thông tin điện tử của đơn vị đến cổng dịch vụ công trực "
            "tuyến của tỉnh (dichvucong.binhdinh.gov.vn)", "☒", "□"]], []),
    ([["TT", "Tên chức năng", "Hoàn chỉnh", "Đang thử nghiệm", "Chưa có"],
      ["1", "Chức năng hỗ trợ khai thác thông tin", "", "", ""],
      ["a", "Tiếp nhận, phản hồi thông tin từ các tổ chức, cá nhân", "☒", "□", "□"],
      ["c", "Các chức năng hỗ trợ người khuyết tật tiếp cận thông tin phải đáp ứng các yêu cầu tối thiếu (Điều "
            "18 Thông tư 32/2017/TT-BTTTT ngày 15/11/2017)", "□", "☒", "□"],
      ["đ", "Công cụ đếm số lần truy cập", "□", "□", "☒"]], []),
    "b. Người chịu trách nhiệm quản lý nội dung Webstite:",
    "☒ Có □ Không",
    "c. Ban Biên tập Website",
    "- Tổng số thành viên của Ban Biên tập: 5 (người)",
    "- Số thành viên quản trị kỹ thuật: 1 (người)",
    "a. Cung cấp dịch vụ công trực tuyến:",
    ([["STT", "Nội dung", "Đơn vị tính", "Số lượng"],
      ["1", "Tổng số TTHC mức độ 3", "Thủ tục", "45"],
      ["2", "Tổng số TTHC mức độ 4", "Thủ tục", "12"],
      ["5", "Số hồ sơ TTHC mức độ 3 được tiếp nhận (cả hình thức trực tuyến và truyền thống)", "Hồ sơ", "1.234"],
      ["5.1", "Trong đó: Số hồ sơ TTHC mức độ 3 được tiếp nhận hình thức trực tuyến", "Hồ sơ", "321"]], []),
    "MỤC 7. CÔNG TÁC ĐẢM BẢO AN TOÀN THÔNG TIN",
    ([["TT", "Nội dung", "Có", "Không"],
      ["1", "Xây dựng Quy chế bảo đảm an toàn thông tin trong cơ quan", "☒", "□"],
      ["2", "Xây dựng Quy chế giám sát an toàn thông tin trong cơ quan (cộng điểm khuyến khích)", "□", "☒"],
      ["4", "Giải pháp quản lý truy cập máy chủ, máy trạm", "☒", "□"]], []),
    "MỤC 8. CƠ CHẾ, CHÍNH SÁCH VÀ CÁC QUY ĐỊNH THÚC ĐẨY ỨNG DỤNG CÔNG NGHỆ THÔNG TIN",
    "1. Hàng năm xây dựng Kế hoạch ứng dụng CNTT trong hoạt động của cơ quan:",
    "☒ Có □ Không",
    "Nếu có, ghi rõ số văn bản và liên kết (link) đăng tải văn bản trên trang thông tin điện tử của cơ quan: "
    "Kế hoạch số 15/KH-STP ngày 20/01/2019",
    "6. Có sự gắn kết giữa ứng dụng CNTT với cải cách hành chính:",
    "a. ☒ Chương trình, kế hoạch cải cách hành chính có bao gồm ứng dụng CNTT.",
    "b. □ Thủ tục hành chính được chuẩn hóa theo tiêu chuẩn ISO để ứng dụng CNTT.",
    "8. Thực hiện báo cáo công tác xây dựng chính quyền điện tử",
    ([["Nội dung", "Có", "Không", "Số hiệu ,tên, ngày, tháng văn bản"],
      ["Báo cáo tình hình ứng dụng công nghệ thông tin và xây dựng chính quyền điện tử định kỳ hàng quý", "☒",
       "□", "Báo cáo số 12/BC-STP ngày 05/4/2019"]], []),
    ([["Bình Định, ngày 15 tháng 01 năm 2020", "Bình Định, ngày 15 tháng 01 năm 2020"]], []),
]


def binh_dinh_department_docx(path: Path) -> Path:
    """Phụ lục I filled in by Sở Tư pháp."""
    return _docx(BINH_DINH_DEPARTMENT, path)


BINH_DINH_DISTRICT: list[Any] = [
    "Phụ lục II",
    "MẪU PHIẾU ĐÁNH GIÁ SỐ LIỆU XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ CỦA UBND CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ",
    "(Ban hành kèm theo Quyết định số 3871/QĐ-UBND ngày 25/10/2019 của UBND tỉnh Bình Định)",
    "1. Năm báo cáo: 2019",
    "2. Tên huyện, thị xã, thành phố (cấp huyện): Huyện Tuy Phước",
    "7. Tổng số các phòng, ban chuyên môn trực thuộc (không tính các đơn vị sự nghiệp trực thuộc UBND cấp "
    "huyện): 12",
    "8. Tổng số UBND các xã, phường, thị trấn (cấp xã): 13",
    "9. Tổng số CBCC của khối Văn phòng UBND cấp huyện (không tính viên chức và LĐHĐ): 110",
    "10. Tổng số CBCC của UBND cấp xã (không tính viên chức và LĐHĐ): 290",
    "1. Tổng số CBCC được trang bị máy tính trong toàn cơ quan:",
    "a. Tổng số CBCC được trang bị máy tính tại UBND cấp huyện: 108",
    "b. Tổng số CBCC được trang bị máy tính tại UBND cấp xã: 270",
    "4. Tổng số máy chủ/Server (kể cả máy chủ/Server thuê dịch vụ CNTT): 4",
    "5. Tổng số máy quét (Scan): 15",
    "6. Trụ sở UBND huyện, thị xã, thành phố có mạng cục bộ (LAN - Local Area Network) ☒ Có □ Không",
    "Nếu có:",
    "- Mạng LAN có kết nối tất cả phòng, ban trong khuôn viên trụ sở UBND cấp huyện: ☒ Có □ Không",
    "- Mạng LAN có kết nối với các phòng, ban chuyên môn nằm ngoài khuôn viên trụ sở UBND huyện: □ Có ☒ Không",
    "đ. Tổng số máy tính được trang bị phần mềm diệt virus có bản quyền:",
    "+ Số lượng máy tính của UBND cấp huyện được cài đặt: 100",
    "+ Số lượng máy tính của UBND cấp xã được cài đặt: 250",
    "- Cán bộ phụ trách về CNTT tại Văn phòng của UBND huyện, thị xã, thành phố:",
    "☒ Chuyên trách: 1 người □ Kiêm nhiệm: …… người",
    "- Số cán bộ phụ trách về CNTT tại đơn vị cấp xã, phường, thị trấn: 13 người",
    "2. Ứng dụng công nghệ thông tin trong việc tiếp nhận và xử lý hồ sơ tại bộ phận một cửa (Phần mềm một cửa "
    "điện tử): ☒ Có □ Không",
    "Nếu có:",
    "- ☒ Số phòng, ban chuyên môn trực thuộc triển khai: 12",
    "- ☒ Triển khai tại bộ phận một cửa",
    "- Số thủ tục hành chính (TTHC) huyện, thị xã, thành phố đã triển khai qua phần mềm một cửa điện tử: 280",
    "6. Hệ thống truyền hình trực tuyến:",
    "a. Số cuộc họp qua hệ thống truyền hình trực tuyến giữa UBND huyện và UBND tỉnh trong năm: 24",
    "7. Đầu tư, nâng cấp hệ thống giao ban trực tuyến từ UBND huyện, thị xã, thành phố đến UBND xã, phường, "
    "thị trấn:",
    "☒ Có Tổng số điểm kết nối: 13 □ Không",
    "Nếu có, kinh phí đầu tư, nâng cấp là bao nhiêu (triệu đồng): 500",
    "8. Đầu tư, nâng cấp Trang thông tin điện tử cho UBND xã, phường, thị trấn (hiển thị Trang thông tin điện "
    "tử dạng Sub Folder)",
    "Có: ☒",
    "2. Quy định về quy trình trao đổi, lưu trữ, xử lý văn bản điện tử, sử dụng chữ ký số trong nội bộ cơ "
    "quan: X Có",
    "Tuy Phước, ngày 10 tháng 01 năm 2020",
]


def binh_dinh_district_docx(path: Path) -> Path:
    """Phụ lục II filled in by a district."""
    return _docx(BINH_DINH_DISTRICT, path)


# --- district reports: letterheads as committees print them (seeds 001, 002, 003) -------------------
# One body (seed 004's facts) under letterheads naming the reporting district in the ways found in the
# seeds and in the field: the parent committee above the unit, "ỦY BAN NHÂN DÂN" over the level line,
# the letterhead in a two-column table (cells of several lines, or one line per row), "H."/"TX."/"TP.".
DISTRICT_BODY = [
    "BÁO CÁO", "Kết quả ứng dụng công nghệ thông tin năm 2022", "4. Hạ tầng kỹ thuật",
    "- Máy chủ: 04 chiếc", "- Máy tính cá nhân (để bàn và xách tay): 50 chiếc", "- Máy in: 24 chiếc",
]
DISTRICTS = (("huyện", "H.", "Kim Bảng"), ("huyện", "H.", "Lý Nhân"), ("thị xã", "TX.", "Duy Tiên"),
             ("thành phố", "TP.", "Phủ Lý"))  # the four district-level units of Hà Nam
_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------"


def district_letterheads(level: str, short: str, place: str) -> dict[str, list[Any]]:
    """Letterhead blocks (paragraphs, or (rows, merges) tables) naming `level place`, by quirk."""
    unit = f"{level} {place}".upper()
    date = f"{place}, ngày 10 tháng 01 năm 2023"
    return {
        "parent_over_unit": ["UBND TỈNH HÀ NAM", f"UBND {unit}", "-------", date],
        "parent_over_unit_in_table": [([[f"UBND TỈNH HÀ NAM\nUBND {unit}\n-------", _MOTTO],
                                        ["Số: 15/BC-UBND", date]], [])],
        "committee_over_level": ["ỦY BAN NHÂN DÂN", unit, "-------", date],
        "committee_over_level_in_table": [([[f"ỦY BAN NHÂN DÂN\n{unit}\n-------", _MOTTO],
                                            ["Số: 15/BC-UBND", date]], [])],
        "one_line_per_table_row": [([["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                                     [unit, "Độc lập - Tự do - Hạnh phúc"],
                                     ["Số: 15/BC-UBND", date]], [])],
        "abbreviated_level": [f"UBND {short.upper()} {place.upper()}", date],
        "abbreviated_level_ordinary_case": [f"UBND {short} {place}", date],
    }


def district_docx(path: Path, letterhead: list[Any]) -> Path:
    """A district's report: `letterhead`, then seed 004's figures."""
    return _docx([*letterhead, *DISTRICT_BODY], path)


def district_xlsx(path: Path, letterhead: list[Any]) -> Path:
    """A district's annex: the letterhead's lines in the first rows (a table's rows as they are), the
    title, then a TT | Nội dung | Đơn vị tính | Số liệu table of seed 003's labels."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Biểu số liệu"
    for block in letterhead:
        for row in ([[block]] if isinstance(block, str) else block[0]):
            sheet.append([row[0], None, None, *row[1:]])
    sheet.append(["BIỂU SỐ LIỆU ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM 2022"])
    for row in DISTRICT_TABLE:
        sheet.append([_cell_value(text) for text in row])
    workbook.save(path)
    return path


DISTRICT_TABLE = [
    ["TT", "Nội dung/tiêu chí", "Đơn vị tính", "Số liệu"],
    ["1", "Tổng số máy tính tại các CQNN của huyện/thành phố", "chiếc", "420"],
    ["2", "Số lượng UBND cấp xã", "đơn vị", "18"],
    ["3", "Tổng số thủ tục hành chính của huyện/thành phố", "thủ tục", "280"],
]


# --- seed texts -----------------------------------------------------------------------------------
HA_TINH_TABLE = """\
TT	Tên tiêu chí	Sở Xây dựng
I	A- Thông tin chung về đơn vị
1	Tên đơn vị	Sở Xây dựng
2	Họ tên Giám đốc:	Trần Xuân Tiến
3	Họ tên Lãnh đạo phụ trách CNTT - CIO	Phạm Văn Tình
4	Số điện thoại và Email Lãnh đạo CIO	0913312364, vantinh.sxd@hatinh.gov.vn
5	Số cán bộ chuyên trách CNTT	3
6	Họ tên cán bộ chuyên trách CNTT 1:	Nguyễn Hữu Trung
7	Số điện thoại và Email cán bộ chuyên trách CNTT 1	0948557568, nguyentrung.sxd@hatinh.gov.vn
8	Danh sách cán bộ chuyên trách CNTT còn lại	Nguyễn Mạnh Cường - Viện QHKT, Nguyễn Hữu Thọ - TTKĐ
9	Số cán bộ công chức:	36
10	Số đơn vị sự nghiệp trực thuộc	2
11	Tổng số CBCCVC tại các đơn vị sự nghiệp:	17
12	Địa chỉ Cổng TTĐT:	https://soxaydung.hatinh.gov.vn
13	Số TTHC:	38
14	Số phòng chuyên môn	3
II	B- Về cơ sở hạ tầng thông tin
1	Số lượng máy tính để bàn (PC) tại đơn vị:	34
2	Số lượng máy tính xách tay (laptop)	6
3	Số lượng máy chủ (Server)	2
4	Kết nối mạng truyền số liệu chuyên dùng	Không
5	Số đường kết nối Internet băng rộng FTTH - cáp quang	1
6	Số đường kết nối Internet riêng - Leased Line	1
7	Tổng băng thông kết nối Internet	1
8	Số lượng máy in	31
9	Số lượng máy Scan đang hoạt động	2
10	Số lượng máy Scan bị hỏng từ 1-3 tháng/năm	0
11	Số CSDL chuyên ngành đang sử dụng	1. Phần mềm quản trị thông tin Quy hoạch Xây dựng và Quy hoạch Đô thị Việt Nam; 2. Phần mềm quản lý thi sát hạch cấp chứng chỉ hoạt động xây dựng cho cá nhân; 3. Phần mềm công khai năng lực hoạt động xây dựng của tổ chức, cá nhân; 4. Phần mềm báo cáo thống kê ngành Xây dựng; 5. Phần mềm báo cáo thông kê công tác quản lý VLXD.
12	Tổng số máy tính để bàn (PC) trong đơn vị sự nghiệp trực thuộc	27
13	Tổng số máy tính xách tay (laptop) tại các đơn vị sự nghiệp trực thuộc	22
14	Số đơn vị sự nghiệp trực thuộc có sử dụng máy Scan (Đang hoạt động tốt)	2
15	Tổng số đơn vị sự nghiệp trực thuộc có mạng LAN và kết nối Internet băng rộng	2
16	Màn hình cỡ lớn (≥ 50 inch) hoặc bảng LED điện tử hiển thị công khai lịch công tác hàng ngày, tuần của Lãnh đạo	Có: 02 Màn hình Samsung TV Led 55 inch, Full HD, Smart TV (Phục vụ công tác chỉ đạo điều hành và hiển thị lịch công tác hàng ngày, tuần của cơ quan).
17	Hệ thống Camera giám sát an ninh	Có: Hệ thống camera Dahua 2.0 (Hệ thống camera giám sát an ninh của cơ quan gồm 8 mắt phục công tác giám sát an ninh trong, ngoài trụ sở và bảo vệ tài sản trong cơ quan).
18	Hệ thống tường lửa/ giám sát truy nhập trái phép, bảo vệ an toàn mạng LAN	Có
19	Phòng họp trực tuyến	Không
20	Số đơn vị sự nghiệp trực thuộc có CSDL quản lý chuyên ngành	2
III C- Về nhân lực CNTT
1	Số cán bộ chuyên trách CNTT có trình độ thạc sỹ trở lên về chuyên ngành CNTT
2	Số cán bộ chuyên trách CNTT có trình độ đại học chuyên ngành CNTT	1
3	Số cán bộ chuyên trách CNTT được hưởng chính sách theo Nghị quyết 93/2014/NQ-HĐND của tỉnh
4	số cán bộ chuyên trách CNTT có một trong số chứng chỉ nghiệp vụ lập, quản lý, giám sát DA CNTT theo NĐ 102/2009/NĐ-CP
5	Số cán bộ công chức đã qua đào tạo và cấp chứng chỉ theo thông tư số 03 /2014/TT-BTTTT trở lên (không tính CB CTr CNTT)	29
6	Số lượt tập huấn chuyên sâu cho cán bộ chuyên trách CNTT trong năm
7	Số lượt tập huấn nâng cao kỹ năng ứng dụng CNTT cho cán bộ công chức trong năm
8	Số đơn vị sự nghiệp trực thuộc có cán bộ chuyên trách CNTT	2
9	Tổng số cán bộ chuyên trách CNTT tại đơn vị sự nghiệp trực thuộc	2
10	Tổng số cán bộ chuyên trách CNTT tại các đơn vị sự nghiệp trực thuộc có trình độ đại học trở lên về CNTT
11	Tổng số CBCCVC tại các đơn vị trực thuộc thành thạo kỹ năng sử dụng máy tính	17
12	Số lượt tập huấn chuyên sâu cho cán bộ chuyên trách CNTT tại các đơn vị sự nghiệp
13	Tổng số lượt tập huấn kỹ năng CNTT cho CBCCVC tại các đơn vị sự nghiệp trong năm
IV D- Về môi trường chính sách
1	Quyết định bổ nhiệm/ phân công Lãnh đạo phụ trách CNTT-CIO	Có (Quyết định số 109/QĐ-SXD ngày 19/11/2018.)
2	Quyết định bổ nhiệm/ phân công cán bộ làm nhiệm vụ chuyên trách CNTT	Có (Quyết định số 96/QĐ-SXD ngày 30/10/2018.)
3	Ban hành kế hoạch CNTT năm	Có (Kế hoạch số 2706/KH-SXD ngày 30/10/2019 Kế hoạch ứng dụng CNTT trong hoạt động cơ quan Sở Xây dựng năm 2020)
4	Ban hành văn bản quy định về tổ chức ứng dụng các hệ thống thông tin và bảo đảm an toàn an ninh thông tin nội bộ; quy định về gửi nhận văn bản điện tử, ứng dụng chữ ký số	Có (Quyết định số 65/QĐ-SXD ngày 16/8/2018 Quy chế nội bộ về ứng dụng công nghệ thông tin, đảm bảo ATTT trong hoạt động chỉ đạo và điều hành của cơ quan Sở Xây dựng)
5	Ban hành Quy chế hoạt động của Ban Biên tập Cổng/Trang TTĐT, quy định về quản lý, vận hành và cung cấp thông tin trên Cổng/ trang TTĐT	Có (Quyết định số 18/QĐ-SXD ngày 05/02/2016 ban hành Quy chế của Ban Biên tập website Sở Xây dựng)
6	Ban hành kế hoạch/ văn bản chỉ đạo tuyên truyền, phổ biến, quán triệt văn bản Trung ương và của tỉnh về chính sách và thành quả ứng dụng, phát triển CNTT	Có (Kế hoạch số 469/KH-SXD ngày 20/4/2016; Kế hoạch số 379/KH-SXD 13/3/2017; Kế hoạch số 950/KH-SXD ngày 07/5/2019).
7	Chi trả chế độ nhuận bút cho cán bộ viết bài trên Cổng / trang TTĐT	Có (Quyết định số 08/QĐ-SXD ngày 06/02/2020; Quyết định số 90/QĐ-SXD ngày 27/10/2017).
8	Thực hiện chi trả đầy đủ chế độ đặc thù cho cán bộ chuyên trách CNTT theo NQ 93/2014/NQ-HĐND và QĐ 60/2014/QĐ-UBND
9	Báo cáo kết quả tổ chức ứng dụng CNTT 6 tháng	1
10	Báo cáo kết quả tổ chức ứng dụng CNTT cuối năm	1
11	Tổng kinh phí chi cho CNTT trong năm (Triệu đồng)	87
V E- về mức độ "Hiện diện"
1	Cổng/ Trang thông tin điện tử	Có (https://soxaydung.hatinh.gov.vn)
2	Thông tin về lịch sử phát triển, truyền thống văn hóa của đơn vị	Có (https://soxaydung.hatinh.gov.vn/portal/pages/2012/Lich-su-nganh-xay-dung-Ha-Tinh-638066.aspx)
3	Thông tin về cơ cấu tổ chức, chức năng nhiệm vụ và quyền hạn của tổ chức, đơn vị trực thuộc	Có (https://soxaydung.hatinh.gov.vn/portal/pages/2020-03-04/Co-cau-to-chuc9mcxi8yv9ulx.aspx ; https://soxaydung.hatinh.gov.vn/portal/KenhTin/Don-vi-truc-thuoc.aspx)
4	Thông tin về lãnh đạo trong cơ quan và lãnh đạo các đơn vị trực thuộc	Có (https://soxaydung.hatinh.gov.vn/portal/pages/2020-03-04/Co-cau-to-chuc9mcxi8yv9ulx.aspx ; https://soxaydung.hatinh.gov.vn/portal/KenhTin/Don-vi-truc-thuoc.aspx)
5	Thông tin giao dịch chính thức	Có (CÔNG THÔNG TIN ĐIỆN TỬ SỞ XÂY DỰNG TỈNH HÀ TĨNH Địa chỉ: Số 14 Võ Liêm Sơn, thành phố Hà Tĩnh, tỉnh Hà Tĩnh Điện thoại: 084-039 3855526, Fax: 039 3856102, Email:soxaydung@hatinh.gov.vn)
6	Số lượng Kế hoạch/ lịch công tác hàng tháng	250 (lịch công tác trong 6 tháng)
7	Số Ý kiến chỉ đạo, điều hành của Lãnh đạo (VB, BB họp hoặc mệnh lệnh) hàng tháng	174 (ý kiến chỉ đạo, điều hành trên phần mềm văn bản chỉ đạo điều hành và HSCV)
8	Thông tin về khen thưởng, xử phạt đối với các tổ chức, cá nhân và doanh nghiệp trên địa bàn	Có (https://soxaydung.hatinh.gov.vn/portal/KenhTin/Thong-tin-khen-thuong-doanh-nghiep-ca-nhan.aspx)
9	Số bài tuyên truyền, phổ biến, hướng dẫn việc thực hiện pháp luật nói chung	11
10	Số bài tuyên truyền về chế độ, chính sách lao động	7
11	Số bài tuyên truyền về VB QPPL, chính sách mới thuộc ngành	10
12	Số bài tuyên truyền về an toàn vệ sinh thực phẩm/ trật tự đô thị/ an ninh thông tin/ khoa học công nghệ mới/ an toàn giao thông/ dịch bệnh/ mùa vụ/ sản xuất kinh doanh/phát triển đô thị/chính sách dân số/quản lý CCVC/an toàn giao thông/phát triển văn hóa, nghệ thuật, du lịch/hoạt động ngoại giao, đối ngoại/...(theo từng ngành)	6
13	Số bài tuyên truyền về chiến lược, định hướng, quy hoạch, kế hoạch phát triển	9
14	Số bài tuyên truyền về chính sách, ưu đãi, cơ hội đầu tư	5
15	Thông tin Quy hoạch/ chiến lược/ kế hoạch phát triển KTXH dài hạn của địa phương, kế hoạch sử dụng đất	Có (https://soxaydung.hatinh.gov.vn/portal/KenhTin/Chu-ong-trinh-ke-hoach.aspx ; http://quyhoach xaydung.gov.vn/vn/Pages/DSQuyHoach.aspx?tID=28)
16	Chính sách ưu đãi, mời thầu	Có (https://soxaydung.hatinh.gov.vn/portal/KenhTin/Thong-tin-mua-sam-dau-thau.aspx)
17	Danh sách VB QPPL (Số ký hiệu, trích yếu, ngày ban hành, cơ quan ban hành, file đính kèm)	Có (17/06/2020 45.signed_100130.pdf; 17/06/2020 QPPL05.signed.pdf; 17/06/2020 VanBanGoc_21.signed.pdf; 17/06/2020 QPPL13.signed_024313.pdf; 17/06/2020 VanBanGoc_TTu_20.2019.pdf; 17/06/2020 VanBanGoc_10-2019-thongtu_KTXD_0001_20200109045829322320_signed20200109045855.pdf; 17/06/2020 09.2019.TT-BXD.zip; 17/06/2020 QPPL59.signed_024538.pdf).
18	Liên kết CSDL văn bản QPPL cấp tỉnh và trung ương	Có
19	Danh mục dự án đang đầu tư và đã hoàn thành đưa vào sử dụng trong năm	Không
20	Danh mục dự án chuẩn bị đầu tư, đang mời gọi đầu tư	Có (Dự án xây dựng cơ sở dữ liệu về quy hoạch xây dựng trên địa bàn tỉnh Hà Tĩnh; Dự án xây dựng cơ sở dữ liệu về nhà ở và thị trường bất động sản trên địa bàn tỉnh Hà Tĩnh).
21	Số lượng DVC TT mức độ 1 và 2	38
22	Số lượng DVC TT mức độ 3	23
23	Số lượng DVC TT mức độ 4	0
24	Thông tin về sáng kiến kinh nghiệm, chương trình, đề tài khoa học hàng năm (mã số, Tên, cấp quản lý, đơn vị chủ trì, thời gian thực hiện,..)	Có (https://soxaydung.hatinh.gov.vn/portal/KenhTin/qy7w5mThong-tin-ve-nghien-cuu-khoa-hoc.aspx).
25	Kết quả các chương trình, đề tài sau khi nghiệm thu và đưa vào ứng dụng (báo cáo tổng hợp, kết quả áp dụng)	Có (https://soxaydung.hatinh.gov.vn/portal/KenhTin/qy7w5mThong-tin-ve-nghien-cuu-khoa-hoc.aspx).
26	Báo cáo chỉ tiêu ngành hàng quý	12
27	Báo cáo ngành cuối năm	Có
28	Chuyên mục Ý kiến góp ý/ Hỏi đáp	Có (https://soxaydung.hatinh.gov.vn/portal/Home/hoi-dap/default.aspx ; https://soxaydung.hatinh.gov.vn/portal/Home/gop-y-vb/default.aspx).
29	Chức năng hỗ trợ người khuyết tật tiếp cận thông tin	Có
VI	F- Về mức độ "Tương tác"
1	Ứng dụng phần mềm Hệ thống Quản lý Văn bản và Điều hành	Có (https://hscvsxd.hatinh.gov.vn)
2	Số cán bộ công chức được cấp phát tài khoản và sử dụng thường xuyên phần mềm QLVB&ĐH	36
3	Số văn bản đến được số hóa và quản lý trong Hệ thống QLVB&ĐH	4356
4	Số văn bản đi được số hóa và quản lý trong Hệ thống QLVB&ĐH	1406
5	Tổng số văn bản đến trong năm	4356
6	Tổng số văn bản đi trong năm	1406
7	Số văn bản đến được Lãnh đạo duyệt và chỉ đạo trực tuyến trên Hệ thống QLVB&ĐH	4356
8	Số văn bản đi được Lãnh đạo xét duyệt trong Hệ thống QLVB&ĐH	1406
9	Số đơn vị sự nghiệp trực thuộc sử dụng Hệ thống QLVB&ĐH	2
10	Số cán bộ viên chức tại các đơn vị sự nghiệp trực thuộc được cấp phát tài khoản sử dụng Hệ thống QLVB&ĐH	19
11	Số văn bản đi được ký số bằng chữ ký số cơ quan và gửi đi trên môi trường mạng	2316
12	Số đơn vị sự nghiệp trực thuộc được cấp phát và sử dụng chữ ký số	2
13	Số cán bộ công chức được cấp hộp thư điện tử chuyên dùng của cơ quan nhà nước và thường xuyên sử dụng vào mục đích công vụ	34
14	Số hồ sơ TTHC quản lý trong phần mềm một cửa	909
15	Số hồ sơ được tiếp nhận qua dịch vụ Bưu điện	27
16	Số hồ sơ được tiếp nhận và giải quyết đúng hạn	792 (còn 117 HS đang giải quyết chưa đến hạn).
17	Tổng số hồ sơ TTHC tiếp nhận có thời hạn thụ lý trong năm	909
18	Phần mềm kế toán và quản lý tài sản công	Có
19	Phần mềm quản lý cán bộ công chức	Có
20	Số phần mềm quản lý nghiệp vụ chuyên ngành	9
21	Danh sách phần mềm quản lý nghiệp vụ chuyên ngành	1. Phần mềm quản lý thi sát hạch cấp chứng chỉ hành nghề cho cá nhân; 2. Phần mềm công khai năng lực hoạt động xây dựng của tổ chức, cá nhân; 3. Phần mềm quản lý kế toán; 4. Phần mềm kê khai thuế; 5. Phần mềm tính dự toán công trình. 6. Phần mềm báo cáo thống kê ngành Xây dựng. 7. Phần mềm chạy kết cấu công trình. 8. Phần mềm thiết kế công trình: Autocad, 3Dmax...; 9. Phần mềm báo cáo thông kê công tác quản lý VLXD.
VII G- Về mức độ "Giao dịch"
1	Số hồ sơ nộp trực tuyến mức độ 3	78
2	Số hồ sơ nộp trực tuyến mức độ 4	0
3	Số ý kiến của các tổ chức, cá nhân được trả lời trên Cổng, Trang TTĐT	1
4	Số hồ sơ tiếp nhận qua DVC TT mức độ 3 và 4 trả đúng hạn	78
5	Tổng số ý kiến phản ánh của các tổ chức, cá nhân gửi đến bằng mọi hình thức	0
VIII H- Về mức độ "Chuyển đổi"
1	Ứng dụng mẫu biểu điện tử dùng chung	Có (2281_QD_cong_bo_Danh_muc_va_Quy_trinh_noi_b o_TTHC_So_Xay_dung.docx)
2	Ứng dụng quản lý người dùng và đăng nhập một lần cho tất cả các phần mềm ứng dụng (1 cửa, DVC TT, QLHSCV&ĐHTN, email, dữ liệu VBQPPL và các ứng dụng chuyên ngành khác....)	Có (Tài khoản và mật khẩu đăng nhập; Khóa và chữ ký số)
3	hồ sơ nộp qua DVC trực tuyến mức độ 3 và 4 liên thông từ cấp huyện	0
"""

TUYEN_QUANG_SHEETS = {
    "1.Thongtinchung": (
        '',
        """\
TT	Nội dung/tiêu chí	Đơn vị tính	Số liệu
MỤC 1.	THÔNG TIN CHUNG
1	Quý báo cáo	Quý V/2018
2	Tên cơ quan báo cáo		Ủy ban nhân dân thành phố Tuyên Quang
3	Địa chỉ trụ sở cơ quan, đơn vị		Thôn 9, Phường An Tường, thành phố Tuyên Quang
4	Địa chỉ trang/cổng thông tin điện tử (Website/Portal) chính thức của cơ quan, đơn vị		http://thanhphotuyenquang.gov.vn
5	Phạm vi đánh giá ứng dụng CNTT
5.1	Tổng số CQNN thuộc UBND thành phố: <i>Ghi chú: Cụm từ "Tổng số CQNN cấp huyện" sau đây được hiểu là toàn bộ CQNN của huyện/thành phố; bao gồm: các CQNN UBND cấp huyện, UBND cấp xã.</i>	cơ quan	31
	- Số lượng các cơ quan, đơn vị thuộc UBND thành phố	cơ quan	16
	- Số lượng UBND cấp xã	cơ quan	15
5.2	Tổng số cán bộ, công chức của huyện/thành phố (viết tắt CBCCVC) <i>Ghi chú: CBCCVC của huyện/thành phố trong phạm vi thống kê bao gồm các CBCCVC của các đơn vị thuộc huyện/thành phố nói trên</i>	người	463
	- Số lượng CBCCVC thành phố	người	157
	- Số lượng CBCCVC cấp xã	người	306
MỤC 2.	HẠ TẦNG KỸ THUẬT CNTT <i>Khai báo chi tiết tại Bảng "2.HatangCNTT"</i>
MỤC 3.	ỨNG DỤNG CNTT TRONG HOẠT ĐỘNG CỦA CƠ QUAN NHÀ NƯỚC <i>Khai báo chi tiết tại Bảng "3.UDCNTT"</i>
MỤC 4	TRANG THÔNG TIN ĐIỆN TỬ HOẶC CỔNG THÔNG TIN ĐIỆN TỬ <i>Khai báo chi tiết tại Bảng "4.Website"</i>
MỤC 5.	CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN <i>Khai báo chi tiết tại Bảng "5.DVCTT"</i>
MỤC 6.	CƠ CHẾ, CHÍNH SÁCH VÀ CÁC QUY ĐỊNH CHO ỨNG DỤNG CNTT <i>Khai báo chi tiết tại Bảng "6.Chinh sach"</i>
MỤC 7.	NHÂN LỰC CHO ỨNG DỤNG CNTT <i>Khai báo chi tiết tại Bảng "7.Nhan luc"</i>
MỤC 8.	THÔNG TIN KHÁC Vui lòng cung cấp thêm thông tin khác về tình hình ứng dụng CNTT ngoài các nội dung nêu trên và ý kiến khác (nếu có):
MỤC 9.	THÔNG TIN LIÊN HỆ
	1. Họ và tên người thực hiện báo cáo		Nguyễn Thu Phương
	2. Đơn vị công tác		Phòng Văn hóa và Thông tin thành phố
	3. Chức vụ		Chuyên viên
	4. Điện thoại cố định		02073811690
	5. Điện thoại di động		0918346588
	6. Thư điện tử		nthphuong.ubndtp@tuyenquang.gov.vn
""",
    ),
    "2.HatangCNTT": (
        'MỤC 2. HẠ TẦNG KỸ THUẬT CNTT',
        """\
TT	Nội dung chỉ tiêu	Đơn vị tính	Phân khai báo số liệu báo cáo
			Số liệu	Chi tiết làm rõ	Số liệu
(1)	(2)	(3)	(4)	(5)	(6)
1	Trang bị máy tính (bao gồm máy tính để bàn, xách tay, máy tính bảng).
	- Tổng số máy tính tại các CQNN của huyện/thành phố:	chiếc	435/463
	- Tỷ lệ máy tính/CBCC:	%	94,0
1,1	Tại các UBND thành phố
	- Tổng số máy tính tại các UBND cấp huyện/thành phố:	chiếc	168
	- Tổng số CBCC tại UBND cấp huyện được trang bị máy tính:	người	168/157
	- Tỷ lệ CBCC tại UBND cấp huyện trang bị máy tính:	%	107,0
1,2	Tại các UBND cấp xã
	- Tổng số máy tính tại các UBND cấp xã:	chiếc	267
	- Tổng số CBCC tại UBND cấp xã được trang bị máy tính:	người	267/306
	- Tỷ lệ CBCC tại UBND cấp xã trang bị máy tính:	%	87,3
2	Cài đặt phần mềm diệt Virus bản quyền có trả phí:
	- Tổng số máy tính được cài đặt:	chiếc	330/435
	- Tỷ lệ máy tính được cài đặt:	%	82,8
2,1	Số lượng máy tính của UBND cấp huyện/thành phố được cài đặt:	chiếc	150/168
	Tỷ lệ:	%	89,3
2,2	Số lượng máy tính của UBND cấp xã được cài đặt:	chiếc	196/267
	Tỷ lệ:	%	67,4
3	Mạng cục bộ (LAN - Local Area Network):
	- Tổng số CQNN của huyện/thành phố có mạng LAN:	cơ quan	31
	- Tỷ lệ CQNN có mạng LAN:	%	100
3,1	Số lượng CQNN cấp huyện có mạng LAN:	cơ quan	16
	Tỷ lệ:	%	100
3,2	Số lượng UBND cấp xã có mạng LAN:	cơ quan	15
	Tỷ lệ:	%	100
4	Kết nối mạng Internet
4,1	- Tổng băng thông kết nối Internet quy đổi của UBND cấp huyện (cách tính xem tại mục 10.1, Sheet "10.Giaithich"):	Mbps	1250
4,2	- Tỷ lệ băng thông kết nối Internet quy đổi/CBCC của UBND cấp huyện (cách tính xem tại mục 10.2, Sheet "10.Giaithich"):	Mbps/ người	3,2
4,3	Số lượng UBND cấp xã có kết nối Internet:	cơ quan	13
	Tỷ lệ:	%	100
4,4	Tỷ lệ máy tính kết nối Internet		100
	- Trên toàn huyện/thành phố:	%	100
	- Tại UBND cấp huyện:	%	100
	- Tại các CQNN cấp xã:	%	100
""",
    ),
    "3.UDCNTT": (
        'MỤC 3. ỨNG DỤNG CÔNG NGHỆ THÔNG TIN TRONG CƠ QUAN NHÀ NƯỚC',
        """\
TT	Nội dung chỉ tiêu	Đơn vị tính	Phân khai báo số liệu báo cáo
			Số liệu	Ghi chú
(1)	(2)	(3)	(4)	(5)
1	Hệ thống thư điện tử
1.1	Huyện/Thành phố có bao nhiêu hệ thống thư điện tử (bao gồm hệ thống thư điện tử dùng chung và hệ thống dùng riêng của các đơn vị thuộc huyện/thành phố)	Hệ thống	02	- 01 hệ thống thư điện tử dùng chung; - 01 hệ thống thư điện tử dùng riêng của ngành giáo dục cấp cho Phòng GD
1.2	Số lượng CBCC của huyện/thành phố được cấp tài khoản thư điện tử (bao gồm hệ thống thư điện tử dùng chung và dùng riêng)	Người	160/463	- 131 địa chỉ thư điện tử cấp cho CBCC cấp thành phố - Cấp xã: 29 địa chỉ
	Tỷ lệ	%	34,6
	Số lượng CBCCVC cấp huyện được cấp tài khoản thư điện tử	Người	131
	Tỷ lệ	%	83,4
	Số lượng CBCCVC của huyện/thành phố được cấp tài khoản thư điện tử	Người	131/157
	Tỷ lệ	%	83,4
	Số lượng CBCCVC cấp xã được cấp tài khoản thư điện tử	Người	29	04 người chưa được cấp
	Tỷ lệ	%	9,5
	Số lượng CBCCVC cấp huyện được cấp tài khoản thư điện tử dùng chung	Người	131/157
	Tỷ lệ	%	83,4
	Số lượng CBCCVC của huyện/thành phố được cấp tài khoản thư điện tử dùng chung	Người	131/157
	Tỷ lệ	%	83,4
	Số lượng CBCCVC của huyện/thành phố được cấp tài khoản thư điện tử dùng riêng	Người	05/7
	Tỷ lệ	%	71,4
1.3	Tỷ lệ CBCCVC trên toàn huyện/thành phố thường xuyên sử dụng thư điện tử trong công việc (kiểm tra nhận thư, gửi thư, trả lời thư hàng ngày)		80
	Tỷ lệ CBCCVC của huyện thường xuyên sử dụng thư điện tử trong công việc	%	80
	Tỷ lệ CBCCVC cấp xã thường xuyên sử dụng thư điện tử trong công việc	%	60
TT	Nội dung chi tiêu	Đơn vị tính	Phản khai báo số liệu báo cáo
			Số liệu	Ghi chú
(1)	(2)	(3)	(4)	(5)
b	Thống kê tại Văn thư của Văn phòng UBND huyện/thành phố
	Thống kê văn bản điện tử: Tổng số văn bản đi thống kê trên hệ thống QLVBDH tại bộ phận Văn thư của Văn phòng UBND huyện/thành phố (gọi tắt là tổng số văn bản điện tử - Σ VBDT)	Văn bản	681
	Thống kê văn bản giấy: Tổng số văn bản đi thống kê trên Sổ đăng ký văn bản đi tại bộ phận Văn thư của Văn phòng UBND huyện/thành phố (gọi tắt là tổng số văn bản giấy - Σ VBG)	Văn bản	720
	Tỷ lệ giữa tổng số văn bản điện tử (Σ VBDT)/ tổng số văn bản giấy (Σ VBG)	%	94,5
c	Sử dụng Hệ thống QLVBDH để điều hành, CQNN của huyện/thành phố sử dụng Hệ thống QLVBDH như thế nào (chọn một hoặc cả hai trường hợp phù hợp với thực tế của mình):
i	Đề phục vụ công tác chỉ đạo điều hành của Lãnh đạo	1/0 (1: Có; 0: Không)	1
	Tỷ lệ Lãnh đạo của huyện/thành phố sử dụng hệ thống QLVBDH để điều hành, giải quyết công việc	%	100
	Tỷ lệ lãnh đạo CQNN cấp huyện (trưởng, phó các đơn vị: Văn phòng UBND cấp huyện; các cơ quan, đơn vị trực thuộc UBND cấp huyện) sử dụng hệ thống QLVBDH để điều hành, giải quyết công việc	%	100
	Tỷ lệ CQNN cấp huyện sử dụng để điều hành, giải quyết công việc	%	100
	Tỷ lệ lãnh đạo UBND cấp huyện (chủ tịch, phó chủ tịch) sử dụng hệ thống QLVBDH để điều hành, giải quyết công việc	%	100
TT	Nội dung chỉ tiêu	Đơn vị tính	Phân khai báo số liệu báo cáo
			Số liệu	Ghi chú
(1)	(2)	(3)	(4)	(5)
	Số lượng lãnh đạo UBND cấp xã đã được cấp	Người	29/33	Còn 04 lãnh đạo chưa được cấp
	Tỉ lệ (Tổng số lãnh đạo UBND cấp xã đã được cấp / Tổng số lãnh đạo UBND cấp xã)	%	87,9
	Số lượng CBCC tại các UBND cấp xã đã được cấp	Người	0
	Tỷ lệ	%	0
3.2	Về sử dụng chữ ký số trong Hệ thống QLVBDH
a	Tình hình tích hợp chữ ký số trong hệ thống QLVBDH dùng chung	1/0 (1: Đã tích hợp; 0: Chưa tích hợp)	1
b	Tần suất trao đổi văn bản điện tử có chữ ký số trung bình mỗi tháng
	Trong nội bộ huyện/thành phố (giữa Văn phòng UBND cấp huyện và các CQNN của huyện/thành phố)	Số lượng trung bình văn bản điện tử có chữ ký số/Tổng số văn bản điện tử
	Với các cơ quan ngoài tỉnh (giữa Văn phòng UBND cấp huyện với các địa phương khác)	Số lượng trung bình văn bản điện tử có chữ ký số/Tổng số văn bản điện tử
4	Các ứng dụng đã triển khai
4,1	Ứng dụng cơ bản
a	Quản lý nhân sự
	1/0 (1: Có; 0: Chưa có)		0
b	Quản lý kế toán - tài chính
	1/0 (1: Có; 0: Chưa có)	Cơ quan	1
	Tỷ lệ	%	100
	Số lượng UBND cấp huyện đã triển khai	Cơ quan	4
	Tỷ lệ	%	100
c	Quản lý tài sản
	1/0 (1: Có; 0: Chưa có)		1
d	Quản lý Thi đua - Khen thưởng
TT	Nội dung chỉ tiêu	Đơn vị tính	Phản khai báo số liệu báo cáo
			Số liệu	Ghi chú
(1)	(2)	(3)	(4)	(5)
	Kết nối với Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp để hỗ trợ xác thực thông tin doanh nghiệp	1/0 (1: Đã kết nối; 0: Chưa kết nối)	0
	Kết nối với Công thanh toán tập trung của quốc gia hoặc các hệ thống thanh toán trực tuyến hợp pháp khác để hỗ trợ việc nộp, thanh toán trực tuyến thuế, phí, lệ phí	1/0 (1: Đã kết nối; 0: Chưa kết nối)	0
	Kết nối với hệ thống thông tin của Tổng công ty bưu điện Việt Nam (VNPost) phục vụ triển khai Quyết định số 45/2016/QĐ-TTg	1/0 (1: Đã kết nối; 0: Chưa kết nối)	0
5.4	Hiệu quả sử dụng trong năm
	Các CQNN của huyện/thành phố sử dụng Hệ thống thông tin một cửa điện tử như thế nào:
	Chi sử dụng tại bộ phận tiếp nhận và trả kết quả	1/0 (1: Có; 0: Không)	1
	Lãnh đạo và các phòng ban chuyên môn tham gia giải quyết hồ sơ trên hệ thống	1/0 (1: Có; 0: Không)	1
	Tổng số hồ sơ tiếp nhận qua Hệ thống thông tin một cửa điện tử trên toàn huyện/thành phố	Hồ sơ	3.367
	Tổng số hồ sơ được giải quyết đúng hạn	Hồ sơ	2.995
	Tỷ lệ	%	88,95
6	Họp qua truyền hình
6.1	Hệ thống hội nghị truyền hình
	Huyện/thành phố có Hệ thống hội nghị truyền hình không	1/0 (1: Có; 0: Không)	1
	Nếu có: Tổng số điểm kết nối	Số điểm	1
6.2	Họp qua truyền hình giữa UBND cấp huyện với UBND tỉnh, với CQNN cấp tỉnh, UBND cấp xã
	Tổng số cuộc họp giữa UBND cấp huyện với UBND tỉnh và các CQNN khác trong năm	cuộc họp	2
	Tổng số cuộc họp qua truyền hình (theo mọi hình thức: trên Hệ thống hội nghị truyền hình, Web Conferencing, Video Conference,...) của CQCP trong năm	cuộc họp	0
""",
    ),
    "4.Website": (
        'MỤC 4. TRANG THÔNG TIN ĐIỆN TỬ HOẶC CÔNG THÔNG TIN ĐIỆN TỬ',
        """\
TT	Nội dung chỉ tiêu	Đơn vị tính	Phản khai báo số liệu báo cáo
			Số liệu	Ghi chú
(1)	(2)	(3)	(4)	(5)
I	Thông tin về Website/Portal của huyện/thành phố
1	Website/Portal của huyện/thành phố có công khai thông tin đầy đủ theo quy định tại Nghị định số 43/2011/NĐ-CP ngày 13/6/2011 của Chính phủ không	1/0 (1: có; 0: không)	1
2	Số lượng truy cập trong năm (theo công cụ đếm số lần truy cập)	lần	215.136
II	Số lượng tin, bài, văn bản đăng tải lên Website/Portal của huyện/thành phố trong năm
1	Tin tức, sự kiện: các tin, bài về hoạt động, các vấn đề liên quan thuộc phạm vi quản lý nhà nước của huyện/thành phố	tin/bài	80
2	Thông tin chỉ đạo, điều hành
a	Ý kiến chỉ đạo điều hành của Ủy ban nhân dân tỉnh, huyện/thành phố	tin/bài	12
b	Ý kiến xử lý, phản hồi đối với các kiến nghị, yêu cầu của tổ chức, cá nhân	tin/bài
c	Thông tin khen thưởng, xử phạt đối với tổ chức, doanh nghiệp hoạt động trong lĩnh vực quản lý nhà nước của huyện/thành phố	tin/bài
d	Lịch làm việc của Ủy ban nhân dân tỉnh, huyện/thành phố (đăng tải theo tháng)	lần	4
3	Thông tin tuyên truyền, phổ biến, hướng dẫn thực hiện pháp luật, chế độ, chính sách
a	Tuyên truyền, phổ biến, hướng dẫn việc thực hiện pháp luật nói chung	tin/bài	4
b	Chế độ, chính sách đối với những lĩnh vực thuộc phạm vi quản lý nhà nước của huyện/thành phố	tin/bài
4	Chiến lược, định hướng, quy hoạch, kế hoạch phát triển
a	Chiến lược, quy hoạch, kế hoạch phát triển ngành, lĩnh vực tại tỉnh, huyện/thành phố	tin/bài
b	Chính sách ưu đãi, cơ hội đầu tư, các dự án mời gọi vốn đầu tư	tin/bài
c	Quy hoạch xây dựng, quy hoạch đô thị; quy hoạch, kế hoạch sử dụng đất	tin/bài	1
b	Quy hoạch, kế hoạch và hoạt động khai thác tài nguyên thiên nhiên	tin/bài
e	Quy hoạch thu gom, tái chế, xử lý chất thải	tin/bài
5	Hệ thống văn bản quy phạm pháp luật chuyên ngành và văn bản quản lý hành chính có liên quan	văn bản
6	Công báo điện tử	bản
7	Mục lấy ý kiến góp ý của tổ chức, cá nhân
a	Đăng tải danh sách văn bản quy phạm pháp luật, chủ trương chính sách cần xin ý kiến	văn bản
b	Ý kiến góp ý của tổ chức, cá nhân	ý kiến
8	Thông tin báo cáo tổng kê	tin/bài
9	Thông tin về chương trình nghiên cứu, đề tài khoa học	chương trình/đề tài
10	Thông tin về dự án, hạng mục đầu tư, đấu thầu, mua sắm công	tin/bài
""",
    ),
    "5.DVCTT": (
        'MỤC 5. CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN',
        """\
TT	Nội dung/tiêu chí	Đơn vị tính	Phản khai báo số liệu báo cáo
			Số liệu	Ghi chú
(1)	(2)	(3)	(4)	(5)
1	Thông tin về thủ tục hành chính và công dịch vụ công
1.1	Tổng số thủ tục hành chính của huyện/thành phố:	thủ tục	413
1.2	Huyện/thành phố có Trang dịch vụ công không?	1/0 (1: Có; 0: Không)	Theo địa chỉ http://dichvucong.tuyenquang.gov.vn
	Nếu có:
	- Địa chỉ Trang dịch vụ công của huyện/thành phố:	địa chỉ URL
	- Tổng số DVCTT đã kết nối/tích hợp lên Cổng dịch vụ công của tỉnh:	dịch vụ	Đang triển khai
	- Trang dịch vụ công của huyện/thành phố có cung cấp giao diện mobile cho các thiết bị di động không?	1/0 (1: Có; 0: Không)	1
	- Trang dịch vụ công của huyện/thành phố có công khai mức độ hài lòng của người dân khi sử dụng DVCTT không?	1/0 (1: Có; 0: Không)	1
2	Tổng số dịch vụ công trực tuyến mức độ 1, 2:	dịch vụ	365
3	Dịch vụ công trực tuyến (DVCTT) mức độ 3,4:
	- Tổng số dịch vụ công trực tuyến mức độ 3,4:	dịch vụ	89
	- Tổng số hồ sơ đã được tiếp nhận, giải quyết trực tuyến (hồ sơ trực tuyến) qua các DVCTT mức độ 3,4 trong năm:	hồ sơ
	- Tổng số DVCTT mức độ 3,4 có phát sinh hồ sơ trực tuyến trong năm:	dịch vụ
	- Tổng số hồ sơ của các DVCTT mức độ 3,4 vẫn được người dân, doanh nghiệp gửi xử lý trực tiếp (hồ sơ không trực tuyến) từ trong năm:	hồ sơ
	- Tỷ lệ hồ sơ trực tuyến do người dân, doanh nghiệp tự khai báo:	%
	- Tỷ lệ hồ sơ trực tuyến do CBCCVN (tại bộ phận một cửa, trung tâm hành chính công...) khai báo thay người dân, doanh nghiệp:	%
	- Số lượng DVCTT mức độ 3,4 có sử dụng chữ ký số, ứng dụng di động định danh cá nhân (Mobile ID) để xác thực:	dịch vụ
	- Số lượng DVCTT mức độ 3,4 công khai thời gian xử lý cho người dân, doanh nghiệp (cho phép người sử dụng theo dõi, kiểm tra việc tiếp nhận và trả kết quả giải quyết thủ tục hành chính và có thông báo tự động cho người sử dụng biết thông tin về việc tiếp nhận và trả kết quả giải quyết thủ tục hành chính):	dịch vụ
	- Số lượng DVCTT mức độ 3,4 có biểu mẫu điện tử tự động nhập các thông tin mà người dân, doanh nghiệp (thông tin được tự động lấy từ thông tin đã khai báo trong lần sử dụng trước hoặc từ các cơ sở dữ liệu khác đã có)	dịch vụ
	- Số lượng DVCTT mức độ 3,4 đã kết nối và sử dụng dữ liệu từ CSDL đăng ký doanh nghiệp:	dịch vụ
	- Cung cấp danh sách các dịch vụ công trực tuyến mức độ 3 tại bảng "PL.3A.2"
4	Tổng số DVCTT có hỗ trợ hướng dẫn sử dụng, giải đáp thắc mắc cho người dân và doanh nghiệp:	dịch vụ
	<i>Trong đó:</i>
	- Số lượng DVCTT mức độ 1, 2 có hỗ trợ:	dịch vụ
	- Số lượng DVCTT mức độ 3 có hỗ trợ:	dịch vụ
	- Số lượng DVCTT mức độ 4 có hỗ trợ:	dịch vụ
5	Sử dụng giao thức https
	- Trang cung cấp dịch vụ công trực tuyến mức độ 3, 4 của đơn vị có sử dụng giao thức https không?	1/0 (1: Có; 0: Không)	1
""",
    ),
    "6.Chinh sach": (
        'MỤC 6. CƠ CHẾ, CHÍNH SÁCH VÀ CÁC QUY ĐỊNH CHO ỨNG DỤNG CNTT',
        """\
TT	Tiêu chí	Đơn vị tính	Phản khai báo số liệu
			Số liệu	Số, tên, ngày văn bản và địa chỉ URLs
(1)	(2)	(3)	(4)	(5)
1	Kế hoạch ứng dụng CNTT giai đoạn 5 năm	1/0 (1: Có; 0: Không)	0
2	Kế hoạch ứng dụng CNTT trong năm báo cáo	1/0 (1: Có; 0: Không)	1	Kế hoạch số 127/KH-UBND ngày 01/8/2019 về ứng dụng CNTT trong hoạt động cơ quan nhà nước năm 2020
3	Báo cáo mức độ hoàn thành kế hoạch ứng dụng CNTT trong năm báo cáo	1/0 (1: Có; 0: Không)	0
4	Quy chế đảm bảo an toàn thông tin trong hoạt động ứng dụng CNTT	1/0 (1: Có; 0: Không)		Đang xây dựng
5	Quy chế quản lý và sử dụng hệ thống thư điện tử công vụ	1/0 (1: Có; 0: Không)		Đang xây dựng
6	Quy chế vận hành và duy trì hoạt động cho cổng/trang thông tin điện tử, trang/cổng dịch vụ công trực tuyến	1/0 (1: Có; 0: Không)		Đang xây dựng
7	Ban hành các văn bản gắn kết giữa ứng dụng CNTT với cải cách hành chính	1/0 (1: Có; 0: Không)	1	- Kế hoạch số 49/KH-UBND ngày 07/01/2020 về cải cách hành chính thành phố Tuyên Quang năm 2020 - Kế hoạch số 19/KH-UBND ngày 05/02/2020 về tuyên truyền cải cách hành chính thành phố Tuyên Quang năm 2020
8	Các báo cáo về ứng dụng CNTT và phát triển chính phủ điện tử	1/0 (1: Có; 0: Không)	0
9	Các văn bản khác liên quan đến ứng dụng CNTT	1/0 (1: Có; 0: Không)	1	- Văn bản số 21/UBND-TH ngày 07/01/2020 về việc đảm bảo an ninh mạng - Văn bản số 110/UBND-CNTT ngày 17/01/2020 về việc tăng cường bảo đảm an toàn, an ninh mạng trong dịp Tết Canh Tý
""",
    ),
    "7.Nhan luc": (
        'MỤC 7. NHÂN LỰC CHO ỨNG DỤNG CNTT',
        """\
TT	Nội dung/tiêu chí	ĐVT	Số liệu
1	Nhân lực cho ứng dụng CNTT
1.1	- Tổng số CBCCVC chuyên trách CNTT của đơn vị	người	1
	- Tỷ lệ/tổng số CBCCVC	%
	- Tổng số CBCCVC phụ trách CNTT của đơn vị	người	2
	- Tỷ lệ/tổng số CBCCVC	%
1.2	Trình độ chuyên môn nghiệp vụ của CBCCVC chuyên trách/phụ trách CNTT, ATTT (văn bằng trong lĩnh vực CNTT):
	Tiến sỹ:	người
	Thạc sỹ	người
	Cao đẳng	người
	Đại học:	người	3
	Trung cấp:	người
	Khác	người
	Số lượng CBCCVC có chứng chỉ về An toàn bảo mật (CISSP, Security+, CISA, CISM...):	người	1
	Số lượng CBCCVC có các chứng chỉ về Quản trị mạng (MCSE, MCSA, CCNA, CCNP...):	người	1
	Số lượng CBCCVC có chứng chỉ về Quản trị cơ sở dữ liệu (MCDBA, OCA, OCM, OCP...):	người
1.3	Kỹ năng ứng dụng CNTT các CBCCVC trong đơn vị
	- Tỷ lệ CBCCVC thường xuyên sử dụng máy tính để xử lý công việc:	%	100
	- Tỷ lệ CBCCVC thường xuyên sử dụng internet để xử lý công việc:	%	98
2	Đào tạo về CNTT
2.1	Đào tạo về CNTT cho CBCCVC chuyên trách/phụ trách CNTT của đơn vị
	- Số lượng CBCCVC chuyên trách/phụ trách CNTT được đào tạo về CNTT trong năm	người	0
	- Tỷ lệ được đào tạo (so với tổng số CBCCVC của đơn vị)	%	0
2.2	Đào tạo về CNTT cho CBCCVC của đơn vị
	- Số lượng CBCCVC (không tính số lượng đã kê khai tại mục 2.1) được đào tạo về CNTT trong năm	người	0
	- Tỷ lệ	%	0
""",
    ),
    "PL.3A.1": (
        'Bảng 3A.1 DANH SÁCH CÁC ỨNG DỤNG CHUYÊN NGÀNH CỦA HUYỆN/THÀNH PHỐ',
        """\
TT	Tên ứng dụng	Cơ quan chủ trì	Cơ quan xây dựng ứng dụng Đánh dấu [x] vào ô phù hợp			Quy mô sử dụng Đánh dấu [x] vào ô phù		Kết nối, chia sẻ dữ liệu với các hệ thống thông tin khác (Có: 1/ Không: 0)
			Ứng dụng do Bộ chuyên ngành xây dựng	Ứng dụng dùng chung	Ứng dụng do tỉnh xây dựng	Tại CQNN cấp tỉnh	Toàn tỉnh
1	Phần mềm chi trả trợ cấp ưu đãi người có công	Phòng Lao động, Thương binh và Xã hội thành phố	x				x
2	Phần mềm hộ tịch	Phòng Tư pháp thành phố	x				x
3	Phần mềm CSDL ngành giáo dục; PM phổ cập giáo dục - chống mù chữ; PM thông kê trực tuyến; PM Trường học kết nối; PM hỗ trợ kiểm định chất lượng trường Mầm non; PM thông kê chất lượng giáo dục tiểu học, THCS	Phòng Giáo dục và Đào tạo thành phố					x
4	Phần mềm quyết toán; phần mềm đăng ký mã số đơn vị có quan hệ với ngân sách; phần mềm quản lý ngân sách; HTTT Quản lý ngân sách và kho bạc (TABMIS); phần mềm CSDL Thu, chi ngân sách và Báo cáo điều hành	Phòng Tài chính kế hoạch thành phố	x				x
5	Phần mềm chuyên ngành: Microstation, Famis	Phòng Tài nguyên và Môi trường thành phố		x			x
6	Phần mềm chuyên ngành Autocad	Phòng Quản lý đô thị thành phố		x			x
""",
    ),
}
