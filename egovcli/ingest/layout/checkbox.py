"""Tick boxes as agencies fill in survey forms: a form line's boxed options.

What is a box and whether it is ticked is `egovcli.values.tick_marks` (one rule for cells and
lines): "□" (empty) or "☒", "☑", "✓", "[x]" … (ticked); an "X" in a box's place ("X Có") ticks the
option after it. Boxes stand before their options ("☒ Có □ Không") or after them ("Có: ☒ Không: □").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from egovcli.values import tick_marks, trim


class Option(NamedTuple):
    """The words next to one box ("Có", "Chuyên trách: 2 người") and whether it is ticked.
    `ticked` is None for words after the last box that belong to no box ("… Số lượng: 2")."""

    text: str
    ticked: bool | None
    mark: str = ""


def has_box(text: str) -> bool:
    """True when `text` holds a tick box."""
    return bool(tick_marks(text))


def ticked_somewhere(texts: Iterable[str]) -> bool:
    """True when any of `texts` has a ticked box: the form was filled in."""
    return any(mark.ticked for text in texts for mark in tick_marks(text))


def split_at_box(text: str) -> tuple[str, str]:
    """(the text before the first box, the rest from it)."""
    marks = tick_marks(text)
    return (text[: marks[0].start], text[marks[0].start :]) if marks else (text, "")


def options(text: str) -> list[Option]:
    """The boxed options of an answer, in order ([] when it has no box)."""
    marks = tick_marks(text)
    if not marks:
        return []
    found: list[Option] = []
    if not text[: marks[0].start].strip():  # boxes before their options: "☒ Có □ Không"
        ends = [m.start for m in marks[1:]] + [len(text)]
        for mark, end in zip(marks, ends, strict=True):
            found.append(Option(_tidy(text[mark.end : end]), mark.ticked, mark.text.strip()))
    else:  # boxes after their options: "Có: ☒ Không: □"
        start = 0
        for mark in marks:
            found.append(Option(_tidy(text[start : mark.start]), mark.ticked, mark.text.strip()))
            start = mark.end
        if rest := _tidy(text[start:]):
            found.append(Option(rest, None))
    return [option for option in found if option.text or option.ticked]


def _tidy(text: str) -> str:
    return trim(text, " \t;,-–").removesuffix(":").strip()
