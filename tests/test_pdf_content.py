"""The PDF reader's content-stream parser (readers/pdf_content.py) gives exactly the objects
pdfminer's own parser gives — on the samples' pages, on odd input (escapes, hex strings, stray
delimiters, a token at a stream's end) and on random streams — and leaves to pdfminer what it does
not reproduce (inline images), so a page reads the same either way."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream, list_value, stream_value
from pdfminer.psparser import PSEOF

from egovcli.ingest.readers import pdf_content, pdf_pages

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ["samples/hanam-2022/so-noi-vu.pdf", "samples/hoabinh-2017/qd-2631-2017.pdf",
           "samples/dti-example-2025/so-y-te.pdf"]  # fmt: skip


def _streams(*datas: bytes) -> list[PDFStream]:
    streams = []
    for number, data in enumerate(datas, 1):
        stream = PDFStream({}, data)
        stream.objid = number
        streams.append(stream)
    return streams


def _pdfminer(streams: list[PDFStream]) -> list[Any]:
    try:
        parser = PDFContentParser(streams)
    except PSEOF:
        return []
    objects = []
    while True:
        try:
            objects.append(parser.nextobject()[1])
        except PSEOF:
            return objects


def _same(streams: list[PDFStream]) -> bool:
    """Whether `parse` gives pdfminer's objects (True) or leaves the streams to it (False)."""
    try:
        ours = pdf_content.parse(streams)
    except pdf_content._Unsupported:
        return False
    theirs = _pdfminer(streams)
    assert repr(ours) == repr(theirs)
    assert ours == theirs
    return True


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_pages_parse_as_pdfminer_parses_them(sample: str) -> None:
    with pdfplumber.open(ROOT / sample) as pdf:
        for page in pdf.pages:
            streams = [stream_value(s) for s in list_value(page.page_obj.contents)]
            assert _same(streams)


@pytest.mark.parametrize(
    "datas",
    [
        (b"BT /F1 12 Tf 1 0 0 1 72.5 700 Tm (Hello) Tj ET\n",),
        (b"[(A) -120 (B) 3.5 (C)] TJ T* (x) ' 1 2 (y) \" ",),  # text arrays, ' and " operators
        (b"(a(b)c) (\\(\\)\\\\) (\\n\\r\\t\\b\\f) (\\101\\7\\0123) (\\q\\\nz) ()",),  # nesting, escapes
        (b"<48 65 6c6C6f> <4> <> <41>>",),  # blanks, an odd digit, a hex string before ">>"
        (b"-5 +5 - + . -.5 5. 1.2.3 0.5a 12abc --3",),  # signs and dots as pdfminer reads them
        (b"/P <</MCID 3 /Lang (vi)>> BDC EMC /Span<</ActualText<FEFF0041>>>BDC",),  # marked content
        (b"true false truex /N.a-me_1 % a comment ( not a string\n q Q",),  # booleans, names, comments
        (b"] >> [1 [2 3] /A] ) # \x80 \x00 q",),  # stray delimiters, bytes that start nothing
        (b"0 0 1", b"2 re f"),  # a stream boundary separates two tokens
        (b"BT (a) Tj", b"", b"ET"),  # an empty stream between
        (b"[1 2", b"3] 0 d"),  # an array across streams
    ],
)
def test_odd_streams_parse_as_pdfminer_parses_them(datas: tuple[bytes, ...]) -> None:
    assert _same(_streams(*datas))


@pytest.mark.parametrize(
    "datas",
    [
        (b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",),  # an inline image
        (b"(cut by the end",),
        (b"(\\400)",),  # an octal escape pdfminer refuses
        (b"(a\\\r\nb)",),  # a backslash before a carriage return
        (b"/A#41 Tf",),
        (b"q /", b"F1 Tf"),  # pdfminer reads a bare "/" on into the next stream
        (b"<< /A 1 >", b"> BDC"),  # … and a ">" at the end of a stream
        (b"<41", b"42>"),
        (b"[1 2 3",),  # an unterminated array
        (b"<< /A >> BDC",),  # a dict of odd length: pdfminer raises
        (b"{ 1 } q",),  # a procedure
    ],
)
def test_what_pdfminer_alone_parses_exactly_is_left_to_it(datas: tuple[bytes, ...]) -> None:
    assert not _same(_streams(*datas))


def test_random_streams_parse_as_pdfminer_parses_them() -> None:
    fragments = (
        b"1|-|+|.|0.5|-3.|Tj|T*|'|\"|true|/F1|/|#|(|)|(a(b)c)|\\|\\053|\\7|<|>|<<|>>|<4a 6|[|]|%c".split(b"|")
    )
    fragments += [b" ", b"\n", b"\r", b"\t", b"\x00", b"\x80", b"\xc3\xa9", b"BT", b"d0"]
    chosen = random.Random(15)
    parsed = 0
    for _ in range(3000):
        datas = [b"".join(chosen.choice(fragments) for _ in range(chosen.randint(0, 25)))
                 for _ in range(chosen.choice((1, 1, 2, 3)))]  # fmt: skip
        parsed += _same(_streams(*datas))
    assert parsed > 500  # most of them by `parse` itself


def test_a_page_with_an_inline_image_loads_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "anh.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    drawing.drawString(72, 760, "Tổng số máy tính: 45")
    drawing.drawInlineImage(Image.new("L", (4, 4), 128), 72, 600, 40, 40)
    drawing.rect(72, 500, 200, 20)
    drawing.save()
    with pdfplumber.open(path) as theirs, pdfplumber.open(path) as ours:
        page = ours.pages[0]
        streams = [stream_value(s) for s in list_value(page.page_obj.contents)]
        assert not _same(streams)  # read by pdfminer's parser …
        pdf_pages.load(page)
        expected, got = theirs.pages[0].objects, page.objects
        assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in expected.items()}
        assert [c["text"] for c in got["char"]] == [c["text"] for c in expected["char"]]  # … the same
        assert got["rect"] == expected["rect"]
