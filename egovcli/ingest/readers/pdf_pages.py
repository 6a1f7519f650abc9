"""A PDF page's drawn objects and its tables' cell texts, as pdfplumber gives them, built faster.

pdfplumber reads a page by letting pdfminer build one `LTChar` per character and then converting
every object's attributes (colours resolved, names decoded) into a dict: two thirds of the time of
a report PDF went there. `load` builds the character dicts straight from pdfminer's text rendering
(the same arithmetic as `LTChar` and pdfplumber, only the keys the readers use) and leaves the
other objects (rules, rectangles, images: a few per page) to pdfplumber. `cell_texts` reads a
table's cells like `Table.extract` without testing every character against every cell.
`ruled_tables` is `page.find_tables()` refusing a page whose ruling lines would make its table
finder quadratic work. tests/test_pdf_pages.py holds them to pdfplumber's own results.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

CHAR_KEYS = (
    "text", "fontname", "size", "adv", "upright", "matrix", "x0", "y0", "x1", "y1",
    "width", "height", "top", "bottom", "doctop", "object_type", "page_number", "mcid", "tag",
)  # fmt: skip


def load(page: Any) -> None:
    """Fill pdfplumber's cache of `page.objects`, characters built directly (a page read with
    layout analysis keeps pdfplumber's own reading: its containers are objects too)."""
    if hasattr(page, "_objects") or page.pdf.laparams is not None:
        return
    from pdfplumber.utils.exceptions import PdfminerException

    from egovcli.ingest.readers.pdf_content import Interpreter

    device = _device(page)
    try:
        Interpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:  # as pdfplumber's own `Page.layout` reports it
        raise PdfminerException(exc) from exc
    objects: dict[str, list[dict[str, Any]]] = {}
    for obj in page.iter_layout_objects(device.get_result()._objs):
        if obj["object_type"] != "anno":
            objects.setdefault(obj["object_type"], []).append(obj)
    if device.chars:
        objects["char"] = device.chars
    page._objects = objects


def _device(page: Any) -> Any:
    """A pdfplumber page aggregator that keeps characters as dicts in `chars`, not in the layout."""
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent, fix_fontname_bytes

    height, number, doctop = page.height, page.page_number, page.initial_doctop
    left, top_edge = page.mediabox[0], page.mediabox[1]

    class Device(PDFPageAggregatorWithMarkedContent):
        chars: list[dict[str, Any]]
        glyphs: dict[tuple[Any, int], tuple[str, float]]  # (font, cid) → text, width
        faces: dict[Any, tuple[bool, float, str]]  # font → vertical, descent, name

        def render_char(
            self,
            matrix: tuple[float, float, float, float, float, float],
            font: Any,
            fontsize: float,
            scaling: float,
            rise: float,
            cid: int,
            ncs: Any,
            graphicstate: Any,
        ) -> float:
            # pdfminer's PDFLayoutAnalyzer.render_char and LTChar.__init__, then pdfplumber's
            # Page.process_object, step by step so that every float comes out the same; what
            # depends on the font alone is looked up once per page
            glyph = self.glyphs.get((font, cid))
            if glyph is None:
                try:
                    text = font.to_unichr(cid)
                except PDFUnicodeNotDefined:
                    text = self.handle_undefined_char(font, cid)
                glyph = self.glyphs[font, cid] = (text, font.char_width(cid))
            text, width = glyph
            face = self.faces.get(font)
            if face is None:
                name = font.fontname
                name = fix_fontname_bytes(name) if isinstance(name, bytes) else name
                face = self.faces[font] = (font.is_vertical(), font.get_descent(), name)
            vertical, descent, fontname = face
            adv = width * fontsize * scaling
            if vertical:
                vx, vy = font.char_disp(cid)
                vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
                vy = (1000 - vy) * fontsize * 0.001
                box = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
            else:
                descent = descent * fontsize
                box = (0, descent + rise, adv, descent + rise + fontsize)
            a, b, c, d, e, f = matrix
            if b == 0 and c == 0:  # text set straight: apply_matrix_rect's corners reduce to two
                x0, x1 = a * box[0] + e, a * box[2] + e
                y0, y1 = d * box[1] + f, d * box[3] + f
                if x1 < x0:  # sorted, as apply_matrix_rect's min and max
                    x0, x1 = x1, x0
                if y1 < y0:
                    y0, y1 = y1, y0
            else:
                x0, y0, x1, y1 = apply_matrix_rect(matrix, box)
            top = (height - y1) + top_edge
            self.chars.append(
                {
                    "text": text,
                    "fontname": fontname,
                    "size": x1 - x0 if vertical else y1 - y0,
                    "adv": adv,
                    "upright": a * d * scaling > 0 and b * c <= 0,
                    "matrix": matrix,
                    "x0": x0 + left if left else x0,
                    "y0": y0,
                    "x1": x1 + left if left else x1,
                    "y1": y1,
                    "width": x1 - x0,
                    "height": y1 - y0,
                    "top": top,
                    "bottom": (height - y0) + top_edge,
                    "doctop": doctop + top,
                    "object_type": "char",
                    "page_number": number,
                    "mcid": self.cur_mcid,
                    "tag": self.cur_tag,
                }
            )
            return adv

    device = Device(page.pdf.rsrcmgr, pageno=number, laparams=None)
    device.chars, device.glyphs, device.faces = [], {}, {}
    return device


@dataclass(frozen=True, slots=True)
class Crowded:
    """A page not searched for ruled tables: what of its rules was over the limit, and how many."""

    what: str  # in Vietnamese, for the message
    count: int


def ruled_tables(page: Any, limit: int) -> list[Any] | Crowded:
    """`page.find_tables()`, unless the page's ruling lines (once pdfplumber has joined them) or the
    points where they cross are more than `limit`: pdfplumber's table finder is quadratic in both
    (edge against edge, point against point, cell against cell: 3,000 small rectangles on one page
    took over a minute), while a dense real annex page (55 rows × 20 columns) has 81 lines and
    1,260 crossings."""
    from types import SimpleNamespace

    from pdfplumber.table import (
        Table,
        TableFinder,
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
    )

    # TableFinder.__init__ step by step (get_edges reads only the page and the settings)
    settings = TableSettings.resolve(None)
    finder: Any = SimpleNamespace(page=page, settings=settings)
    edges = TableFinder.get_edges(finder)
    if len(edges) > limit:
        return Crowded("số đoạn kẻ", len(edges))
    tolerances = settings.intersection_x_tolerance, settings.intersection_y_tolerance
    points = edges_to_intersections(edges, *tolerances)
    if len(points) > limit:
        return Crowded("số giao điểm của các đoạn kẻ", len(points))
    return [Table(page, cells) for cells in cells_to_tables(intersections_to_cells(points))]


def cell_texts(table: Any) -> list[list[str]]:
    """`table.extract()` with "" for a missing cell: a cell's text is that of the page's
    characters whose centre lies in it (left and top edges included), in page order."""
    chars = table.page.chars
    middles = sorted(((char["top"] + char["bottom"]) / 2, n) for n, char in enumerate(chars))
    heights = [middle for middle, _ in middles]
    bands: dict[tuple[float, float], tuple[list[float], list[int]]] = {}  # (top, bottom) → chars by centre x
    rows: list[list[str]] = []
    for row in table.rows:
        texts = []
        for cell in row.cells:
            if cell is None:
                texts.append("")
                continue
            x0, top, x1, bottom = cell
            band = bands.get((top, bottom))
            if band is None:
                across = sorted(
                    ((chars[n]["x0"] + chars[n]["x1"]) / 2, n)
                    for _, n in middles[bisect_left(heights, top) : bisect_left(heights, bottom)]
                )
                band = bands[top, bottom] = ([x for x, _ in across], [n for _, n in across])
            xs, numbers = band
            inside = sorted(numbers[bisect_left(xs, x0) : bisect_left(xs, x1)])
            texts.append(_text([chars[n] for n in inside]) if inside else "")
        rows.append(texts)
    return rows


def _text(chars: list[dict[str, Any]]) -> str:
    """`pdfplumber.utils.extract_text(chars)` with its default settings, without its general
    machinery (directions, extra attributes, a text map) for upright text: lines are clusters of
    character tops, words break at a blank or a gap, lines are clusters of word tops."""
    from pdfplumber.utils import extract_text
    from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

    if not all(char["upright"] and char["text"] for char in chars):  # turned text, empty glyphs
        return extract_text(chars)
    words: list[tuple[float, str]] = []  # top, text

    def close(word: list[dict[str, Any]]) -> None:
        if word:
            text = "".join(LIGATURES.get(char["text"], char["text"]) for char in word)
            words.append((min(char["top"] for char in word), text))

    for line in _clusters(chars, itemgetter("top")):
        word: list[dict[str, Any]] = []
        for char in sorted(line, key=itemgetter("x0")):
            if char["text"].isspace():
                close(word)
                word = []
            elif word and (
                char["x0"] < word[-1]["x0"]
                or char["x0"] > word[-1]["x1"] + DEFAULT_X_TOLERANCE
                or abs(char["top"] - word[-1]["top"]) > DEFAULT_Y_TOLERANCE
            ):
                close(word)
                word = [char]
            else:
                word.append(char)
        close(word)
    lines = _clusters(words, itemgetter(0))
    return "\n".join(" ".join(text for _, text in line) for line in lines)


def _clusters(objects: list[Any], key: Any) -> list[list[Any]]:
    """`cluster_objects(objects, key, DEFAULT_Y_TOLERANCE)`: lines of a cell's text, at once when
    all of it lies within the tolerance (one line: pdfplumber would chain every value into it)."""
    from pdfplumber.utils import cluster_objects
    from pdfplumber.utils.text import DEFAULT_Y_TOLERANCE

    values = [key(obj) for obj in objects]
    if values and max(values) <= min(values) + DEFAULT_Y_TOLERANCE:
        return [objects]
    return cluster_objects(objects, key, DEFAULT_Y_TOLERANCE)
