"""Word pages the Vietnamese administrative way (Nghị định 30/2020/NĐ-CP): A4, Times New Roman, the
standard margins, page numbers centred at the top from page 2 on, tables with fixed column widths
whose header row repeats on every page and whose rows never break across pages; saved atomically and
byte for byte the same from the same content (`fixedzip`). Shared by the decision annex, the
per-agency pages and the submission form."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from egovcli import OUTPUT_MARKER
from egovcli.render.atomic import Protected, atomic_path
from egovcli.render.fixedzip import FIXED_TIME, normalised_zip
from egovcli.untrusted import visible

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13  # Nghị định 30: 13–14 for the text; tables may be smaller to fit
# margins in mm (Nghị định 30, Phụ lục I): top/bottom 20–25, left 30–35, right 15–20
TOP, BOTTOM, LEFT, RIGHT = 20, 20, 30, 15
A4 = (210, 297)  # mm, portrait


def new_document(*, landscape: bool = False, title: str = "", output: bool = True) -> Document:
    """An empty A4 document (landscape when asked) in Times New Roman 13, the standard margins and a
    centred PAGE field in the header, not shown on the first page (Nghị định 30, Phụ lục I: "canh
    giữa theo chiều ngang trong phần lề trên …, không hiển thị số trang thứ nhất"). `output` marks it
    as egov's own (never ingested back as a report); a form agencies fill in is not one."""
    import docx
    from docx.enum.section import WD_ORIENTATION
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):  # Vietnamese is "cs"/"eastAsia" to Word
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENTATION.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # the first page's header stays empty
    _page_number(section.header.paragraphs[0])
    props = document.core_properties
    props.author = props.last_modified_by = "egov"
    props.title = visible(title)
    props.keywords = OUTPUT_MARKER if output else ""
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    return document


def text_width_mm(landscape: bool) -> float:
    """The width between the margins."""
    return (A4[1] if landscape else A4[0]) - LEFT - RIGHT


def _page_number(paragraph: Paragraph) -> None:
    """A PAGE field, centred, in the body's size: the page number Word and LibreOffice fill in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def paragraph(document: Document, text: str, *, bold: bool = False, italic: bool = False,
              center: bool = False, size: float | None = None, before: float = 0,
              after: float = 0) -> Paragraph:
    """A paragraph of one run; submitted text in it shown with its control characters escaped."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    found = document.add_paragraph()
    if center:
        found.alignment = WD_ALIGN_PARAGRAPH.CENTER
    found.paragraph_format.space_before, found.paragraph_format.space_after = Pt(before), Pt(after)
    run = found.add_run(visible(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return found


def table(
    document: Document, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float],
    *, size: float = 12, right: Sequence[bool] = (), bold_rows: Sequence[int] = (),
) -> Table:
    """A ruled table with fixed column widths (`widths_mm`), its header row bold, centred and
    repeated on every page, no row split across pages; `right` aligns a column's cells to the right
    (numbers); `bold_rows` (indices into `rows`) are bold (section rows)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    found = document.add_table(rows=0, cols=len(header))
    found.style = "Table Grid"
    found.alignment = WD_TABLE_ALIGNMENT.CENTER
    found.autofit = False
    layout = OxmlElement("w:tblLayout")  # the widths as given, not grown to the content
    layout.set(qn("w:type"), "fixed")
    found._tbl.tblPr.append(layout)
    for column, width in zip(found.columns, widths_mm, strict=True):
        column.width = Mm(width)
    bold = set(bold_rows)
    for index, texts in enumerate([header, *rows]):
        row = found.add_row()
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index == 0:
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            properties.append(repeat)
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.width = Mm(widths_mm[column])
            lines = visible(text).split("\n")
            para = cell.paragraphs[0]
            for number, line in enumerate(lines):
                run = para.add_run(line)
                run.font.size = Pt(size)
                run.bold = True if index == 0 or (index - 1) in bold else None
                if number + 1 < len(lines):
                    run.add_break()
            if index == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif column < len(right) and right[column]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return found


def save(document: Document, target: str | os.PathLike[str], protected: Protected | None = None) -> None:
    """Save `document` to `target` atomically (never onto a `protected` path), with fixed timestamps:
    the same content gives the same bytes."""
    buffer = io.BytesIO()  # built in memory: a full disk can only fail the one write below
    document.save(buffer)
    data = normalised_zip(buffer.getvalue())
    with atomic_path(target, protected) as tmp:
        tmp.write_bytes(data)
