"""Labels as forms print them: "8. label: value" lines, dot leaders left from blanks to fill in,
and sub-item labels ("Tỷ lệ", "Đại học", "- Tại UBND cấp huyện") that need their parent's label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from egovcli.textnorm import fold, key, lazy_pattern, nfc, remembered

BULLET = re.compile(r"^(?:[-+•*–—·]+\s*|(?:\d+(?:[.,]\d+)*|[a-zđ])[.)]\s+)")
_TRAILING_LA = re.compile(r"\s+là$", re.IGNORECASE)
_PROSE_LABEL = 160  # a longer "label" is a sentence that happens to contain a colon
_SKIP_LABELS = frozenset({"so", "kinh gui", "noi nhan", "luu", "can cu", "dia chi"})
_LIST_INTRO = re.compile(r"(?:^| )(?:nhu|gom|bao gom|cu the|sau|sau day)$")
# a run of dots standing for a blank to fill in ("Năm báo cáo:……… 2019 …….", "Số lượng:……….."),
# longer than an ellipsis ("…", "...") in prose; at either end of a value any run is one
_LEADERS = re.compile(r"\s*(?:\.{4,}|…[.…]+|\.+…[.…]*)\s*")
_EDGES = lazy_pattern(r"^[\s.…]+|[\s.…;,]+$")
# dots left around a number or a fraction's slash ("…1250…/…1300…")
_AT_NUMBER = lazy_pattern(r"(?<=[\d/])\s*(?:…|\.{2,})[.…]*\s*|\s*(?:…|\.{2,})[.…]*\s*(?=[\d/])")
_EMBEDDED_NOTE = lazy_pattern(r"\s*\(?\s*\b(?:ghi chú|lưu ý)\s*:", re.IGNORECASE)
# sub-items that only make sense under their parent: "Tỷ lệ:", "Khác", "- Tại UBND cấp huyện:",
# "Trong nội bộ …", a "1/0 (1: Có; 0: Không)" legend printed where the label should be
_VAGUE = lazy_pattern(
    r"^(?:ty le|ti le|khac|so luong|tong so|trong do|cu the|neu\b.*"
    r"|(?:tai|tren|trong|voi|cho|doi voi|o|cua) .+)$"
)
_LEGEND = lazy_pattern(r"^1\s*/\s*0\b")
_LEGEND_OPTION = lazy_pattern(r"\b([01])\s*:\s*([^;:()]+)")  # "1: Đã kết nối", "0: Chưa kết nối"

_new = tuple.__new__  # a line's Split made without the Python call of a NamedTuple's __new__ (lines are new)


class Split(NamedTuple):  # (a tuple: made for every new line, at a third of a frozen dataclass's cost)
    """A "label: value" line. `value` is "" for a heading or question awaiting its answer;
    `by_leader` when dots, not a colon, separate the two ("… trong năm ……… 30")."""

    label: str
    value: str
    key: str
    by_leader: bool = False


@lru_cache(maxsize=4096)  # asked again by agency detection
def split_line(text: str) -> Split | None:
    """The label and value of a line ("8. Tổng số CBCC: 45", "Câu hỏi?"), or None for prose."""
    text = nfc(text)
    head, colon, value = text.partition(":")
    by_leader = False
    if not colon:
        if text.endswith("?"):
            head, value = text, ""
        elif (leader := _LEADERS.search(text)) and leader.start() > 0 and leader.end() < len(text):
            head, value, by_leader = text[: leader.start()], text[leader.end() :], True
        else:
            return None
    found = _label(head)
    return _new(Split, (found[0], value.strip(), found[1], by_leader)) if found else None


@remembered  # the same labels head every agency's lines, each with its own value
def _label(head: str) -> tuple[str, str] | None:
    """(label, its key) of the text before a line's value, or None when that is no label (prose,
    a number, "Nơi nhận", "… như sau")."""
    label = _TRAILING_LA.sub("", BULLET.sub("", head, count=1)).strip()
    if len(label) > _PROSE_LABEL or not any(ch.isalpha() for ch in label):
        return None
    label_key = key(label)
    if label_key in _SKIP_LABELS or _LIST_INTRO.search(label_key):
        return None
    return label, label_key


@remembered  # a line's value: the same answers and counts recur across a round
def clean_value(value: str) -> tuple[str, bool]:
    """(value without dot leaders and trailing punctuation, whether it began with a blank: then
    what is left is a unit printed after the blank ("……… người"), not an answer)."""
    value = value.strip()
    blank_first = value.startswith((".", "…"))
    if "…" not in value and ".." not in value:  # no leaders (most values): only the edges to trim
        if blank_first or value.endswith((".", ";", ",")):
            value = _EDGES.sub("", value)
        return value.strip(), blank_first
    value = _AT_NUMBER.sub("", _EDGES.sub("", value))
    return _LEADERS.sub(" ", value).strip(), blank_first


@remembered  # a data row's label cell: the same rows in every agency's form
def data_label(text: str) -> tuple[str, str]:
    """(label, note) of a table row's label cell: without its bullet and trailing colon, an
    embedded "Ghi chú: …" moved to the note."""
    label = BULLET.sub("", text, count=1)
    note = ""
    if (embedded := _EMBEDDED_NOTE.search(label)) and embedded.start() > 0:
        label, note = label[: embedded.start()], label[embedded.start() :].strip(" ()")
    return label.rstrip(" :"), note


@remembered  # (asked of the same labels row after row)
def vague(label: str) -> bool:
    """True for a label that names a part of its parent, not a quantity of its own."""
    return bool(_VAGUE.match(key(label)) or _LEGEND.match(fold(label)))


@remembered  # (asked of the same labels row after row)
def short(label: str) -> bool:
    """True for a label of at most two words ("Tiến sỹ", "Chuyên trách")."""
    return len(key(label).split()) <= 2


@remembered  # (asked of the same labels row after row)
def is_legend(label: str) -> bool:
    """True for a "1/0 (1: Có; 0: Không)" legend."""
    return bool(_LEGEND.match(fold(label)))


def legend_value(legend: str, answer: str) -> float | None:
    """The value a "1/0 (1: Có; 0: Chưa có)" legend gives an answer written as one of its options
    ("Chưa có" → 0); None when `legend` is none or names no such option."""
    if not is_legend(legend):
        return None
    wanted = key(answer)
    options = _LEGEND_OPTION.findall(nfc(legend))
    return next((float(digit) for digit, words in options if key(words) == wanted), None)


def qualify(parent: str, label: str) -> str:
    """ "Trình độ chuyên môn … – Đại học": a sub-item's label under its parent's."""
    parent = parent.rstrip(" :?")
    return f"{parent} – {label}" if parent else label
