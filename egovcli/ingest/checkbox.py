"""Tick boxes as agencies fill in survey forms.

A box is "□" (empty) or "☒", "☑", "✓", "✔", "✗", "✘", "⊠", "[x]" (ticked); an "X" typed at the start
of an answer ("X Có") ticks the option after it. Boxes stand before their options ("☒ Có □ Không")
or after them ("Có: ☒ Không: □"). A cell holding only a box (or only "x") is a ticked or empty box.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from egovcli.values import trim

_EMPTY = "□☐❑❒▢"
_TICKED = "☒☑✓✔✗✘⊠⌧"
_BOX_CHARS = frozenset(_EMPTY + _TICKED)
_MARK = re.compile(rf"[{_EMPTY}{_TICKED}]|\[\s*[xX✓]?\s*\]|^\s*[xX](?=\s+\w)")
_X_TICK = re.compile(r"(?:^|:)\s*[xX]\s+\w")  # "X Có", "label: X Có"
_CELL = re.compile(rf"^\s*(?:[{_EMPTY}{_TICKED}]|\[\s*[xX✓]?\s*\]|[xX])\s*$")


@dataclass(frozen=True, slots=True)
class Option:
    """The words next to one box ("Có", "Chuyên trách: 2 người") and whether it is ticked.
    `ticked` is None for words after the last box that belong to no box ("… Số lượng: 2")."""

    text: str
    ticked: bool | None
    mark: str = ""


def has_box(text: str) -> bool:
    """True when `text` holds a box, or an "X" tick at its start or after its colon."""
    if _BOX_CHARS.isdisjoint(text) and "[" not in text:
        return ("x" in text or "X" in text) and _X_TICK.search(text) is not None
    return _MARK.search(text) is not None


def _ticked(mark: str) -> bool:
    return not any(ch in _EMPTY for ch in mark) and mark.strip("[] ") != ""


def cell_mark(text: str) -> bool | None:
    """For a cell holding only a box: whether it is ticked; None for any other cell."""
    if not text or not _CELL.match(text):
        return None
    return _ticked(text.strip())


def any_ticked(text: str) -> bool:
    """True when `text` has a ticked box."""
    return any(_ticked(match.group()) for match in _MARK.finditer(text))


def ticked_somewhere(texts: Iterable[str]) -> bool:
    """True when any of `texts` has a ticked box: the form was filled in."""
    return any(any_ticked(text) for text in texts if has_box(text))


def split_at_box(text: str) -> tuple[str, str]:
    """(the text before the first box, the rest from it)."""
    match = _MARK.search(text)
    return (text[: match.start()], text[match.start():]) if match else (text, "")


def options(text: str) -> list[Option]:
    """The boxed options of an answer, in order ([] when it has no box)."""
    marks = list(_MARK.finditer(text))
    if not marks:
        return []
    found: list[Option] = []
    if not text[: marks[0].start()].strip():  # boxes before their options: "☒ Có □ Không"
        ends = [m.start() for m in marks[1:]] + [len(text)]
        for mark, end in zip(marks, ends, strict=True):
            found.append(Option(_tidy(text[mark.end() : end]), _ticked(mark.group()), mark.group().strip()))
    else:  # boxes after their options: "Có: ☒ Không: □"
        start = 0
        for mark in marks:
            found.append(
                Option(_tidy(text[start : mark.start()]), _ticked(mark.group()), mark.group().strip())
            )
            start = mark.end()
        if rest := _tidy(text[start:]):
            found.append(Option(rest, None))
    return [option for option in found if option.text or option.ticked]


def _tidy(text: str) -> str:
    return trim(text, " \t;,-–").removesuffix(":").strip()
