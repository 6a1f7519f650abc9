"""The .docx light path (issue 15): word/document.xml parsed with lxml from the zip guard's bytes and
laid out without python-docx's object model must read every shape exactly as python-docx did —
merged cells, tables in tables, layout tables, text boxes, fields, tracked changes, content
controls, hyperlinks, line breaks, tabs, empty cells — and leave to python-docx the packages and
table shapes it does not handle. The reference is the reader before issue 15: python-docx's parse
and its `Table._cells` layout grid."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import hostile
import pytest
import shapes
from lxml import etree

from egovcli.ingest.extract import exception_problem, extract_file
from egovcli.ingest.layout import Document
from egovcli.ingest.readers import docx as reader
from egovcli.ingest.readers import docx_body, safety, zipguard

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NAMESPACES = (
    f'{W} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
)


def reference(path: Path, monkeypatch: pytest.MonkeyPatch) -> Document:
    """The document as the reader before issue 15 read it: python-docx's parse and layout grid."""
    with monkeypatch.context() as patch:
        patch.setattr(reader, "_light_body", lambda parts: None)
        return reader.read(path)


def light(path: Path, monkeypatch: pytest.MonkeyPatch) -> Document:
    """The document as the light path reads it (python-docx never asked)."""
    def refused(path: Path) -> Any:
        raise AssertionError("python-docx opened a file the light path reads")

    with monkeypatch.context() as patch:
        patch.setattr(reader, "_python_docx", refused)
        return reader.read(path)


def _p(*runs: str, inner: str = "") -> str:
    texts = "".join(f'<w:r><w:t xml:space="preserve">{run}</w:t></w:r>' for run in runs)
    return f"<w:p>{texts}{inner}</w:p>"


def _tc(content: str, properties: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{properties}</w:tcPr>' if properties else ''}{content or '<w:p/>'}</w:tc>"


def _tbl(columns: int, rows: list[str]) -> str:
    grid = "<w:gridCol/>" * columns
    body = "".join(f"<w:tr>{row}</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"


def _docx(tmp_path: Path, name: str, body: str) -> Path:
    source = hostile.good_docx(tmp_path / f"nguon-{name}.docx")
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f"<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>")
    return hostile._zip(source, tmp_path / f"{name}.docx", {"word/document.xml": document.encode()})


# seed 004 phụ lục: "TT | Nội dung | Đơn vị tính | Số liệu | Ghi chú", a group heading merged across
# the row, a value merged down over two rows, empty cells
APPENDIX = _tbl(5, [
    _tc(_p("TT")) + _tc(_p("Nội dung")) + _tc(_p("Đơn vị tính")) + _tc(_p("Số liệu")) + _tc(_p("Ghi chú")),
    _tc(_p("I")) + _tc(_p("HẠ TẦNG KỸ THUẬT"), '<w:gridSpan w:val="4"/>'),
    _tc(_p("1")) + _tc(_p("Tổng số máy tính")) + _tc(_p("Chiếc"))
    + _tc(_p("435"), '<w:vMerge w:val="restart"/>') + _tc(""),
    _tc(_p("2")) + _tc(_p("Số máy tính kết nối Internet")) + _tc(_p("Chiếc")) + _tc("", "<w:vMerge/>")
    + _tc(_p("đã ", "kết nối")),
    _tc(_p("3")) + _tc(_p("Tỷ lệ cán bộ có máy tính")) + _tc(_p("%")) + _tc(_p("94,0")) + _tc(""),
])
TEXT_BOX = (
    '<w:r><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>'
    + _p("Hộp chữ: 99") + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
    "</w:drawing></w:r>"
    '<w:r><w:pict><v:shape><v:textbox><w:txbxContent>' + _p("VML: 98")
    + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)
SHAPES = {
    "phu-luc": _p("Tên cơ quan: Sở Tài chính") + _p("Năm 2022") + APPENDIX,
    "bang-trong-bang": _p("Tên cơ quan: Sở Y tế") + _tbl(2, [
        _tc(_p("Nội dung")) + _tc(_p("Số liệu")),
        _tc(_p("Tổng số máy chủ")) + _tc(_p("12") + _tbl(2, [_tc(_p("vật lý")) + _tc(_p("8"))])),
    ]),
    "bang-bo-cuc": _tbl(1, [_tc(_p("Tên cơ quan: Sở Tư pháp") + APPENDIX + _p("Kết thúc"))]),
    "bo-cuc-hai-cot": _tbl(2, [_tc(_p("Tên cơ quan: Sở Nội vụ")) + _tc(APPENDIX)]),
    "hop-chu": _p("Tổng số máy tính: 45", inner=TEXT_BOX) + _p("Số cán bộ: 48"),
    "truong": _p("Số cán bộ: ") .replace(
        "</w:p>",
        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>48</w:t></w:r></w:fldSimple>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t> người</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    ) + '<w:p><w:r><w:t>Có cổng thông tin: </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"><w:ffData>'
        '<w:checkBox><w:default w:val="1"/></w:checkBox></w:ffData></w:fldChar></w:r>'
        "<w:r><w:t> Có</w:t></w:r>"
        '<w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r><w:r><w:t> Không</w:t></w:r></w:p>',
    "sua-doi": '<w:p><w:r><w:t>Tổng số máy tính: </w:t></w:r><w:del w:id="1" w:author="A"><w:r>'
               '<w:delText>40</w:delText><w:tab/></w:r></w:del>'
               '<w:ins w:id="2" w:author="A"><w:r><w:t>45</w:t></w:r></w:ins>'
               '<w:moveFrom w:id="3" w:author="A"><w:r><w:t>cũ</w:t></w:r></w:moveFrom>'
               '<w:moveTo w:id="4" w:author="A"><w:r><w:t> chiếc</w:t></w:r></w:moveTo></w:p>',
    "kiem-soat-noi-dung": '<w:sdt><w:sdtPr/><w:sdtContent>' + _p("Tên cơ quan: Sở Xây dựng")
        + _tbl(2, [_tc(_p("Nội dung")) + _tc(_p("Số liệu")),
                   _tc(_p("Số cán bộ"))
                   + _tc("<w:sdt><w:sdtContent>" + _p("48") + "</w:sdtContent></w:sdt>")])
        + '</w:sdtContent></w:sdt><w:p><w:sdt><w:sdtContent><w:r><w:t>Số máy chủ: </w:t></w:r></w:sdtContent>'
        '</w:sdt><w:customXml w:element="x"><w:smartTag w:element="y"><w:r><w:t>7</w:t></w:r></w:smartTag>'
        "</w:customXml></w:p>",
    "lien-ket-ngat-dong": '<w:p><w:hyperlink w:history="1"><w:r><w:t>Cổng: dichvucong.gov.vn</w:t></w:r>'
        '</w:hyperlink></w:p><w:p><w:r><w:t>Số cán bộ:</w:t><w:tab/><w:t>48</w:t><w:br/>'
        '<w:t>Số máy tính: 45</w:t><w:br w:type="page"/><w:t>!</w:t><w:cr/><w:t>Hết</w:t></w:r></w:p>',
    "o-trong": _tbl(3, [_tc("") * 3, _tc(_p("Nội dung")) + _tc("") + _tc(_p("Số liệu")), _tc("") * 3]),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_light_path_reads_each_shape_as_python_docx_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = _docx(tmp_path, name, SHAPES[name])
    document = light(path, monkeypatch)
    assert document == reference(path, monkeypatch)
    assert document.lines or document.tables


def _texts(document: Document) -> list[str]:
    return [line.text for line in document.lines]


def test_light_path_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What each inline shape reads as: a text box's text, deleted and moved-away text and field
    codes are left out; inserted text, hyperlinks, content controls, fields' results, tabs and line
    breaks (not page breaks) and tick boxes are read."""
    def read(name: str) -> list[str]:
        return _texts(light(_docx(tmp_path, name, SHAPES[name]), monkeypatch))

    assert read("hop-chu") == ["Tổng số máy tính: 45", "Số cán bộ: 48"]
    assert read("sua-doi") == ["Tổng số máy tính: 45 chiếc"]
    assert read("truong") == ["Số cán bộ: 48 người", "Có cổng thông tin: ☒ Có□ Không"]
    assert read("kiem-soat-noi-dung")[-1] == "Số máy chủ: 7"
    assert read("lien-ket-ngat-dong") == [
        "Cổng: dichvucong.gov.vn", "Số cán bộ:\t48", "Số máy tính: 45!", "Hết",
    ]


def test_light_path_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Merged cells read once at their top-left position with their span; a table in a data cell is
    that cell's text; a layout table is opened, its tables located inside it."""
    (appendix,) = light(_docx(tmp_path, "phu-luc", SHAPES["phu-luc"]), monkeypatch).tables
    heading, first, second = appendix[1], appendix[2], appendix[3]
    assert (heading[1].text, heading[1].span, heading[2].text) == ("HẠ TẦNG KỸ THUẬT", 4, "")
    assert (first[3].text, first[3].down, first[3].location) == ("435", 2, "bảng 1, dòng 3, cột 4")
    assert (second[3].text, second[4].text) == ("", "đã kết nối")
    (nested,) = light(_docx(tmp_path, "trong", SHAPES["bang-trong-bang"]), monkeypatch).tables
    assert nested[1][1].text == "12\nvật lý\n8"
    opened = light(_docx(tmp_path, "bo-cuc", SHAPES["bang-bo-cuc"]), monkeypatch)
    assert [line.location for line in opened.lines] == ["bảng 1 › đoạn 1", "bảng 1 › đoạn 2"]
    assert opened.tables[0][2][3].location == "bảng 1 › bảng 1, dòng 3, cột 4"


@pytest.mark.parametrize("builder", [
    shapes.ha_tinh_docx, shapes.ha_tinh_docx_in_layout, shapes.tuyen_quang_docx,
    shapes.binh_dinh_department_docx, shapes.binh_dinh_district_docx,
])
def test_light_path_reads_the_seed_shapes_as_python_docx_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builder: Any
) -> None:
    path = builder(tmp_path / "mau.docx")
    assert light(path, monkeypatch) == reference(path, monkeypatch)


def test_samples_read_by_the_light_path(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in sorted(SAMPLES.rglob("*.docx")):
        assert light(path, monkeypatch) == reference(path, monkeypatch), path


UNUSUAL = {  # table shapes the light path leaves to python-docx, which reads or refuses them
    "khong-luoi": "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
    "gop-chu": _tbl(2, [_tc(_p("a"), '<w:gridSpan w:val="hai"/>') + _tc(_p("b"))]),
    "gop-thieu": _tbl(2, [_tc(_p("a"), "<w:gridSpan/>") + _tc(_p("b"))]),
}


@pytest.mark.parametrize("name", sorted(UNUSUAL))
def test_unusual_tables_fall_back_to_python_docx(tmp_path: Path, name: str) -> None:
    import docx
    from docx.table import Table

    path = _docx(tmp_path, name, _p("Số cán bộ: 48") + UNUSUAL[name])
    document = docx.Document(str(path))
    with pytest.raises(Exception) as refused:  # noqa: PT011 - whatever python-docx raises
        Table(document.element.body.find(f"{reader._TBL}"), document)._cells  # noqa: B018
    expected = exception_problem(str(path), refused.value)
    (only,) = extract_file(path).problems  # python-docx's own error, as before the light path
    assert (only.code, only.message) == ("E-UNREADABLE", expected.message)


def test_a_template_or_a_main_part_elsewhere_is_opened_by_python_docx(tmp_path: Path) -> None:
    template = hostile.good_docx(tmp_path / "mau.docx")
    with zipfile.ZipFile(template) as archive:
        types = archive.read("[Content_Types].xml").replace(b"document.main+xml", b"template.main+xml")
    path = hostile._zip(template, tmp_path / "mau.dotx.docx", {"[Content_Types].xml": types})
    (only,) = extract_file(path).problems
    assert only.code == "E-UNREADABLE" and "is not a Word file" in only.message


def test_parts_no_parser_reads_have_their_prolog_checked(tmp_path: Path) -> None:
    """A DOCTYPE in a part the reader never parses is still refused, after comments and
    processing instructions too; one in a UTF-16 part is found by the full check."""
    source = hostile.good_docx(tmp_path / "a.docx")
    xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:styles>&e;</w:styles>'
    cases = {
        "sau-chu-thich": f'<?xml version="1.0"?><!-- {"x" * 9000} --><?pi?>{xxe}'.encode(),
        "utf16": f'<?xml version="1.0" encoding="UTF-16"?>{xxe}'.encode("utf-16"),
    }
    # a DOCTYPE whose "<" is the last byte of the prolog's first bytes decompressed: not a root yet
    cut = '<?xml version="1.0"?>'
    cases["coupee"] = f"{cut}{' ' * (zipguard._QUICK - 1 - len(cut))}{xxe}".encode()
    for name, styles in cases.items():
        path = hostile._zip(source, tmp_path / f"{name}.docx", {"word/styles.xml": styles})
        refused = zipguard.scan_zip(path, safety.Limits(), keep=reader._PACKAGE,
                                    parsed=reader._PACKAGE.__contains__).problem
        assert refused is not None and refused.code == "E-HOSTILE", name
    stored = tmp_path / "khong-nen.docx"  # a part stored without compression is checked alike
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            styles = info.filename == "word/styles.xml"
            new.writestr(info.filename, xxe.encode() if styles else old.read(info))
    assert [p.code for p in extract_file(stored).problems] == ["E-HOSTILE"]
    body = '<w:styles><!-- <!DOCTYPE x> --></w:styles>'  # after the root: not a declaration
    path = hostile._zip(source, tmp_path / "sau-goc.docx", {"word/styles.xml": body.encode()})
    assert [p.code for p in extract_file(path).problems] == []


def test_text_rules_read_at_c_level_as_the_python_walk_read_them(tmp_path: Path) -> None:
    """The body's text is read by an XSLT stylesheet (issue 15): each rule the Python walk over the
    lxml tree followed holds — a <w:t>'s text stops at its first child node (lxml's `.text`),
    Wingdings codes are read in any case, a form checkbox by its w:checked then its w:default,
    page breaks are no line breaks, and a document without a body is refused as before."""
    def run(inner: str) -> str:
        return f"<w:r>{inner}</w:r>"

    t_children = "<w:p>" + "".join(run(t) for t in (
        "<w:t>ab<!--c-->cd</w:t>", "<w:t><!--c-->ef</w:t>", "<w:t>gh<w:x>ij</w:x>kl</w:t>", "<w:t/>",
    )) + "</w:p>"
    symbols = "<w:p>" + "".join(run(f'<w:sym w:font="Wingdings" w:char="{code}"/>')
                                for code in ("f0fe", "F0a8", "0041", "")) + "</w:p>"
    boxes = "<w:p>" + "".join(
        run(f'<w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox>{state}</w:checkBox></w:ffData>'
            "</w:fldChar>")
        for state in ('<w:checked/>', '<w:checked w:val="off"/>', '<w:default w:val="on"/>', "<w:default/>",
                      '<w:default w:val="1"/><w:checked w:val="false"/>')
    ) + "</w:p>"
    breaks = "<w:p>" + "".join(run(f"<w:t>a</w:t>{item}<w:t>b</w:t>") for item in (
        '<w:br w:type="column"/>', '<w:br w:type="textWrapping"/>', "<w:ptab/>", "<w:delText>x</w:delText>",
    )) + "</w:p>"
    path = _docx(tmp_path, "quy-tac", t_children + symbols + boxes + breaks)
    assert _texts(reader.read(path)) == ["abgh", "☒□", "☒□☒□□", "aba", "babab"]
    nobody = hostile._zip(hostile.good_docx(tmp_path / "nguon.docx"), tmp_path / "khong-than.docx", {
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}/>'.encode(),
    })
    (only,) = extract_file(nobody).problems
    assert only.message_en.endswith("TypeError: 'NoneType' object is not iterable")


def test_tables_nested_deeper_than_layout_depth(tmp_path: Path) -> None:
    """Layout tables are opened `MAX_LAYOUT_DEPTH` levels down; the table found there is read as a
    grid, the tables nested in its cells as those cells' text (all their paragraphs, in order)."""
    inner = _tbl(2, [_tc(_p("Số máy chủ")) + _tc(_p("9") + _tbl(1, [_tc(_p("vật lý: 5"))]))])
    body = inner
    for level in range(reader.MAX_LAYOUT_DEPTH + 1):
        body = _tbl(1, [_tc(_p(f"mức {level}") + body)])
    document = reader.read(_docx(tmp_path, "sau", body))
    assert [line.location for line in document.lines][:2] == ["bảng 1 › đoạn 1", "bảng 1 › bảng 1 › đoạn 1"]
    (grid,) = document.tables
    assert grid[0][0].location == "bảng 1 › bảng 1 › bảng 1 › bảng 1 › bảng 1 › bảng 1, dòng 1, cột 1"
    assert grid[0][0].text == "mức 0\nSố máy chủ\n9\nvật lý: 5"


def _nested(depth: int) -> str:
    """Tables in a cell of a table, `depth` of them, the innermost one with a table in a cell."""
    body = _tbl(2, [_tc(_p("Số máy chủ")) + _tc(_p("9") + _tbl(1, [_tc(_p("vật lý: 5"))]))])
    for level in range(depth):
        body = _tbl(1, [_tc(_p(f"mức {level}") + body + _p("sau"), '<w:gridSpan w:val="1"/>')])
    return body


DEPTHS = (1, reader.MAX_LAYOUT_DEPTH, reader.MAX_LAYOUT_DEPTH + 2)
PLAIN = {  # bodies the plain pass reads itself: runs of text, tabs, breaks, tick boxes; merged cells;
    # tables in cells; content controls around paragraphs and tables
    **{name: SHAPES[name] for name in ("phu-luc", "o-trong", "bang-trong-bang", "bang-bo-cuc",
                                       "bo-cuc-hai-cot")},
    **{f"long-{depth}": _nested(depth) + _p("hết") for depth in DEPTHS},
    "luot-trong-lien-ket": '<w:p><w:hyperlink><w:r><w:rPr/></w:r></w:hyperlink><w:r><w:t>a</w:t></w:r></w:p>',
    "ngat-dong": '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Số cán bộ:'
                 '</w:t><w:tab/><w:t>48</w:t><w:br/><w:t>a</w:t><w:br w:type="page"/><w:cr/><w:t/>'
                 "<w:t>ab<!--c-->cd</w:t><w:lastRenderedPageBreak/></w:r><w:proofErr/></w:p>"
                 + _tbl(2, [_tc(_p("a") + _p("b")) + _tc(_p("c"), '<w:vMerge w:val="restart"/>'),
                            "<w:tc><w:tcPr/><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>" + _p("d") + "</w:tc>"
                            + _tc("", '<w:gridSpan w:val="3"/><w:gridSpan w:val="1"/><w:vMerge w:val="x"/>')])
                 + _p("sau bảng"),
    # tick boxes in runs (the Bình Định survey form's "□ Có □ Không", seed 002): Wingdings symbols,
    # lower-case codes, a symbol of no tick box; form checkboxes by their first <w:checked>, else
    # their <w:default>, a field of no checkbox
    "o-danh-dau": "".join(
        '<w:p><w:r><w:t>c. Hệ thống an toàn báo cháy, nổ tại phòng máy chủ: </w:t></w:r>'
        f'<w:r>{first}<w:t xml:space="preserve"> Có </w:t>{second}<w:t> Không</w:t></w:r></w:p>'
        for first, second in (
            ('<w:sym w:font="Wingdings" w:char="F0FE"/>', '<w:sym w:font="Wingdings" w:char="f0a8"/>'),
            ('<w:sym w:font="Wingdings" w:char="F0A8"/>', '<w:sym w:font="Wingdings 2" w:char="F052"/>'),
            ('<w:sym w:font="Symbol" w:char="F0B7"/>', "<w:sym/>"),
        )
    ) + "".join(
        "<w:p><w:r><w:t>Kết nối mạng truyền số liệu chuyên dùng: </w:t></w:r>"
        f'<w:r><w:fldChar w:fldCharType="begin">{field}</w:fldChar></w:r><w:r><w:t> Có</w:t></w:r></w:p>'
        for field in (
            '<w:ffData><w:checkBox><w:checked w:val="0"/><w:checked/></w:checkBox></w:ffData>',
            '<w:ffData><w:checkBox><w:checked w:val="false"/></w:checkBox></w:ffData>',
            '<w:ffData><w:checkBox><w:checked/></w:checkBox></w:ffData>',
            '<w:ffData><w:checkBox><w:checked w:val="1"/></w:checkBox></w:ffData>',
            '<w:ffData><w:checkBox><w:default w:val="1"/></w:checkBox></w:ffData>',
            '<w:ffData><w:checkBox><w:default w:val="0"/></w:checkBox></w:ffData>',
            '<w:ffData><w:name w:val="x"/></w:ffData><w:ffData><w:checkBox><w:default w:val="on"/>'
            "</w:checkBox></w:ffData>",
            "<w:ffData><w:checkBox/></w:ffData>", "<w:ffData><w:textInput/></w:ffData>", "",
        )
    ) + _tbl(2, [_tc(_p("Tường lửa")) + _tc('<w:p><w:r><w:sym w:font="Wingdings" w:char="F0FE"/>'
                                             '<w:t> Có</w:t></w:r></w:p>')]),
    # content controls around paragraphs and tables, in the body and in a cell
    "kiem-soat-quanh-khoi": '<w:sdt><w:sdtPr><w:alias w:val="Tên"/></w:sdtPr><w:sdtContent>'
        + _p("Tên cơ quan: Sở Xây dựng") + "</w:sdtContent></w:sdt>"
        + "<w:customXml w:element='bang'><w:sdt><w:sdtContent>"
        + _tbl(2, [_tc(_p("Số cán bộ")) + _tc("<w:sdt><w:sdtContent>" + _p("48") + "</w:sdtContent></w:sdt>"),
                   _tc(_p("Số máy chủ")) + _tc("<w:sdt><w:sdtContent>" + _tbl(1, [_tc(_p("7"))])
                                               + "</w:sdtContent></w:sdt>")])
        + "</w:sdtContent></w:sdt></w:customXml>" + _p("Hết"),
}
UNPLAIN = {  # bodies it hands to the stylesheet: each shape a plain body has not
    "doan-trong-thuoc-tinh": '<w:sdt><w:sdtPr><w:p><w:r><w:t>ẩn</w:t></w:r></w:p></w:sdtPr><w:sdtContent>'
                             + _p("a") + "</w:sdtContent></w:sdt>",
    "o-danh-dau-ngoai-luot": '<w:p><w:sym w:font="Wingdings" w:char="F0FE"/><w:r><w:t> Có</w:t></w:r></w:p>',
    **{name: SHAPES[name] for name in (
        "hop-chu", "truong", "sua-doi", "kiem-soat-noi-dung", "lien-ket-ngat-dong",
    )},
    "chu-ngoai-luot": '<w:p><w:t>ngoài lượt</w:t><w:r><w:t>x</w:t></w:r></w:p>',
    "doi-thuoc-tinh": _tbl(2, [
        _tc(_p("a"), '<w:tcPrChange><w:tcPr><w:gridSpan w:val="2"/></w:tcPr></w:tcPrChange>') + _tc(_p("b")),
    ]),
    "dong-trong-noi-dung": '<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:sdt><w:sdtContent><w:tr>'
                           + _tc(_p("ẩn")) + "</w:tr></w:sdtContent></w:sdt><w:tr>" + _tc(_p("q"))
                           + "</w:tr></w:tbl>",
    "o-trong-noi-dung": _tbl(2, ["<w:sdt><w:sdtContent>" + _tc(_p("ẩn")) + "</w:sdtContent></w:sdt>"
                                 + _tc(_p("a")) + _tc(_p("b"))]),
    "hop-chu-trong-bang-long": _tbl(1, [_tc(_tbl(1, [_tc(SHAPES["hop-chu"])]))]),
    "gop-sau-bang-long": _tbl(1, [
        "<w:tc>" + _tbl(1, [_tc(_p("a"))]) + '<w:tcPr><w:gridSpan w:val="1"/></w:tcPr>' + _p("b") + "</w:tc>",
    ]),
    "tab-trong-lien-ket": '<w:p><w:r><w:t>a</w:t></w:r><w:hyperlink><w:r><w:tab/></w:r></w:hyperlink></w:p>',
    "ngat-trong-lien-ket": '<w:p><w:hyperlink><w:r><w:br/></w:r></w:hyperlink></w:p>',
    "dieu-chinh-khac": '<w:p><w:r><w:x><w:tab/></w:x><w:t>y</w:t></w:r></w:p>',
}


def _blocks_as_data(blocks: list[Any]) -> list[Any]:
    return [block if isinstance(block, str) else (
        block.width, block.nested, block.index, [_blocks_as_data(cell) for cell in block.cells],
        block.continues, block.spans, block.flat) for block in blocks]


@pytest.mark.parametrize("name", sorted({**PLAIN, **UNPLAIN}))
def test_plain_bodies_read_without_the_stylesheet_as_it_reads_them(name: str) -> None:
    """A plain body (paragraphs of runs, tables, tables in their cells, deeper than the layout
    depth too, tick boxes, content controls around paragraphs and tables) is read by one Python
    pass over lxml's iteration (issue 15): what it reads is what the stylesheet reads, and every
    other shape (a text box, a field, a tracked change, a content control in a paragraph or in a
    row's or cell's place, a link, text or a tick box outside a run, a merge outside a cell's first
    properties) is handed to the stylesheet."""
    inside = PLAIN.get(name) or UNPLAIN[name]
    document = f"<w:document {NAMESPACES}><w:body>{inside}<w:sectPr/></w:body></w:document>"
    body = etree.fromstring(document, reader._PARSER)[0]
    plain = docx_body._plain_blocks(body)
    assert (plain is not None) == (name in PLAIN)
    assert _blocks_as_data(docx_body.blocks(body)) == _blocks_as_data(docx_body._transformed_blocks(body))


LINK = '<w:p><w:hyperlink><w:r><w:t>liên kết</w:t></w:r></w:hyperlink></w:p>'  # no plain body
UNUSUAL_PLACES = {  # where an unusual table (or span) sits: the plain pass or the stylesheet reads the body
    "sau-lien-ket": lambda table: LINK + table,
    "trong-o": lambda table: _tbl(1, [_tc(_p("khung") + table + _p(""))]),
    "gop-thu-hai": lambda table: _tbl(2, [_tc(_p("a"), '<w:gridSpan w:val="1"/><w:gridSpan w:val="x"/>')
                                          + _tc(_p("b"))]) + table,
    "gop-sua-doi": lambda table: _tbl(2, [_tc(_p("a"), '<w:tcPrChange><w:tcPr><w:gridSpan w:val="x"/>'
                                                       "</w:tcPr></w:tcPrChange>") + _tc(_p("b"))]),
}


@pytest.mark.parametrize("place", sorted(UNUSUAL_PLACES))
@pytest.mark.parametrize("name", sorted(UNUSUAL))
def test_unusual_tables_anywhere_are_python_docx_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   name: str, place: str) -> None:
    """Whether the plain pass (which tells an unusual table in its own pass) or the stylesheet reads
    the body, a table without a grid or a span that is no number anywhere in it hands the document
    to python-docx, which reads or refuses it as before the light path."""
    path = _docx(tmp_path, f"{name}-{place}", _p("Số cán bộ: 48") + UNUSUAL_PLACES[place](UNUSUAL[name]))
    with monkeypatch.context() as patch:
        patch.setattr(reader, "_light_body", lambda parts: None)
        expected = extract_file(path)
    assert extract_file(path) == expected
