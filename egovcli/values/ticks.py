"""Tick boxes: which marks are boxes and whether each is ticked — the one rule for cells, form lines
(`ingest.layout.checkbox`), tick tables (`lone_mark`) and Word symbols (`ingest.readers.docx`)."""

from __future__ import annotations

import re
from typing import NamedTuple

from egovcli.textnorm import lazy_pattern, remembered
from egovcli.values.yes_no import OPTION_HEAD, option

# Wingdings / Wingdings 2 tick boxes: Word stores a symbol as F000 + its glyph code (`w:sym`), and a
# PDF's text shows the same private-use character.
WINGDINGS_TICKED = "\uf0fe\uf0fd\uf078\uf053\uf054\uf052"
WINGDINGS_EMPTY = "\uf0a8\uf06f\uf071\uf0a3\uf030\uf0a1"
TICKED = "☒☑✓✔✗✘⊠▣⌧" + WINGDINGS_TICKED
EMPTY = "□☐▢◻❑❒⬜" + WINGDINGS_EMPTY
BOTH_TICKED = "đánh dấu cả Có và Không"
_BOX = rf"\[\s*[xX✓✔]?\s*\]|[{TICKED}{EMPTY}]"
# a bare mark not inside a word: its lookbehind after the mark, so that every alternative opens with a
# known character and the search skips to those (twice as fast on the text of every form line)
_MARK = re.compile(rf"{_BOX}|[xX■](?<![^\W_][xX■])(?![^\W_])")
_LONE_MARK = lazy_pattern(rf"\s*(?:{_BOX}|[xX■])\s*")
_ANY_MARK = re.compile(f"[{re.escape(TICKED + EMPTY)}\\[xX■]")  # a first, cheap test: a text may hold a box
_WORD_AFTER = lazy_pattern(r"\s+[^\W_]")  # "X Chữ ký số …": an X ticking the words after it
_COLON_BEFORE = lazy_pattern(r":\s*$")
_INSTRUCTION = lazy_pattern(r"(?:đánh dấu|danh dau)\s*(?:\(?\s*)$", re.IGNORECASE)


class TickMark(NamedTuple):
    """One tick box in a text: where it stands, as printed, and whether it is ticked."""

    start: int
    end: int
    text: str
    ticked: bool


@remembered  # a form line is asked for its boxes by each step reading it (has a box? options? ticked?)
def tick_marks(text: str) -> tuple[TickMark, ...]:
    """The tick boxes of `text` in order: boxes (☒ □ [x] [ ], Wingdings ones) and a bare "X" or "■"
    where it stands in a box's place. Marks in an instruction ("Đánh dấu [x] vào ô …") are none."""
    if not _ANY_MARK.search(text):
        return ()
    found = list(_MARK.finditer(text))
    if not found:  # an x inside words ("xã", "Xây dựng")
        return ()
    strong = any(not _weak(m.group()) for m in found)
    marks = []
    for m in found:
        if _INSTRUCTION.search(text, 0, m.start()):  # how to tick, not a tick
            continue
        if _weak(m.group()) and not _in_box_place(text, m.start(), m.end(), strong):
            continue
        marks.append(TickMark(m.start(), m.end(), m.group(), _ticked(m.group())))
    return tuple(marks)


def lone_mark(text: str) -> bool | None:
    """For a text that is one tick box alone (a tick table's cell: "☒", "□", "[x]", "x", "■"):
    whether it is ticked; None for any other text."""
    if not text or not _ANY_MARK.search(text) or not _LONE_MARK.fullmatch(text):
        return None
    return _ticked(text.strip())


def _ticked(mark: str) -> bool:
    if mark[0] == "[":
        return mark.strip("[] ") != ""
    return mark[0] not in EMPTY


def _weak(mark: str) -> bool:
    """A bare "X" or "■": a tick only where a box would be."""
    return mark in ("x", "X", "■")


def _in_box_place(text: str, start: int, end: int, strong: bool) -> bool:
    """Whether the bare "X" or "■" at text[start:end] stands where a box would: next to a Có/Không
    option ("X Có", "□ Có X Không", "Có: X"), at the start of an answer with boxes ("■ Có □
    Không"), or an "X" before the words it ticks, at the start or after a colon ("X Chữ ký số
    chuyên dùng", "Đơn vị áp dụng: X Chữ ký số chuyên dùng")."""
    before, after = text[:start], text[end:]
    if option(after, at_end=False) is not None or option(before, at_end=True) is not None:
        return True
    at_start = not OPTION_HEAD.sub("", before)
    if at_start and strong:
        return True
    return (text[start] in "xX" and (at_start or _COLON_BEFORE.search(before) is not None)
            and _WORD_AFTER.match(after) is not None)
