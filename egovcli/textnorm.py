"""Vietnamese text helpers: NFC on the way in, accent/case-folded keys for comparison, numbers written
the Vietnamese way on the way out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar, cast

_SPACES = re.compile(r"\s+")
_REMEMBERED = 200  # texts up to this length (cells, labels) repeat within a file and across a round's files
_MEMO_SIZE = 1 << 14
T = TypeVar("T")


def lazy_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, compiled when first used: most of a module's patterns serve rare
    shapes (published rankings, legends, dates in notes) that one file seldom holds, and compiling
    them all at import is a tenth of a one-file ingest's start."""
    return cast("re.Pattern[str]", _LazyPattern(source, flags))


class _LazyPattern:
    def __init__(self, source: str, flags: int) -> None:
        self._source = (source, flags)

    def __getattr__(self, name: str) -> Any:
        found = getattr(re.compile(*self._source), name)
        setattr(self, name, found)  # (kept: the next use is a plain attribute, no call)
        return found


def remembered(function: Callable[[str], T]) -> Callable[[str], T]:
    """`function` (pure, of one text) with its results for short texts remembered (bounded: emptied
    when full); a long text (prose, a hostile cell) is worked out each time and never held. A text
    met before costs one dict lookup, no call of a Python function (rows ask these per cell)."""
    return _Memo(function).__getitem__


class _Memo(dict[str, T]):
    __slots__ = ("function",)

    def __init__(self, function: Callable[[str], T]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, text: str) -> T:
        found = self.function(text)
        if len(text) <= _REMEMBERED:
            if len(self) >= _MEMO_SIZE:
                self.clear()
            self[text] = found
        return found


class _Normalised(dict[str, str]):
    """Short text → `nfc` of it; bounded by emptying it when full (a round's texts fill it again at
    once). Its lookup is `nfc`: a text met before costs no call of a Python function."""

    __slots__ = ()

    def __missing__(self, text: str | None) -> str:
        if type(text) is str and len(text) <= _REMEMBERED:  # (not a subclass, nor 5 and 5.0 as one key)
            if len(self) >= _KNOWN_MAX:
                self.clear()
            found = self[text] = _normalised(text)
            return found
        return _normalised(str(text)) if text else ""


_KNOWN = _Normalised()
_KNOWN_MAX = 1 << 15
nfc: Callable[[str | None], str] = _KNOWN.__getitem__  # type: ignore[assignment]
"""Return `text` in NFC with runs of white space collapsed and the ends stripped."""


def nfc_all(texts: Iterable[str]) -> list[str]:
    """`nfc` of each of `texts` (a row's cells), all at once: a text met before (a round's cells
    repeat: labels, maxima, blanks) costs no call of a Python function."""
    texts = texts if type(texts) is list else list(texts)
    try:
        return list(map(nfc, texts))
    except TypeError:  # not a text at all (unhashable)
        return [_KNOWN.__missing__(text) for text in texts]


def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # of the white space characters (str.isspace) only " " is printable: a printable text without
    # doubled or outer spaces is already collapsed and stripped (most texts: cut nothing, make nothing)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    # split() cuts at the characters `\s` matches (str.isspace) and drops them at the ends: the same
    # as collapsing runs of white space and stripping, at a third of the cost
    return " ".join(text.split())


# a decomposed text of ASCII and the marks Vietnamese letters decompose into (the block U+0300–U+036F,
# all combining marks, Mn), and what else may be a mark
_NOT_LATIN = re.compile("[^\x00-\x7f\u0300-\u036f]")
_OTHER = re.compile(r"[^\x00-\x7f]")
_PUNCTUATION = re.compile(r"[^\w%]+")


@lru_cache(maxsize=1 << 16)  # labels repeat across thousands of files
def fold(text: str | None) -> str:
    """Accent- and case-insensitive comparison key: 'Sở Tài chính' → 'so tai chinh'."""
    text = nfc(text)
    if "đ" in text or "Đ" in text:
        text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    if not _NOT_LATIN.search(decomposed):  # Vietnamese: dropping the marks leaves ASCII
        folded = decomposed.encode("ascii", "ignore").decode("ascii").lower()
        # a mark alone between spaces leaves two (`text` has no other white space than single spaces)
        if "  " in folded or folded[:1] == " " or folded[-1:] == " ":
            return " ".join(folded.split())
        return folded
    stripped = _OTHER.sub(_unless_mark, decomposed)
    return _SPACES.sub(" ", stripped.casefold()).strip()


def _unless_mark(found: re.Match[str]) -> str:
    return "" if unicodedata.category(found.group()) == "Mn" else found.group()


@lru_cache(maxsize=1 << 16)
def key(text: str | None) -> str:
    """Like `fold`, but punctuation becomes space: a key for matching labels and names."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(text))).strip()


# remembered: an agency's explanations show ~150 numbers, the same few (maxima, points, counts) across a
# round; 1, 1.0 and True (0.0 and -0.0) are one key and show alike
@lru_cache(maxsize=1 << 14)
def vi_number(value: float | None, decimals: int = 2, *, fixed: bool = False) -> str:
    """A number the Vietnamese way, for every message and output: decimal comma, rounded to
    `decimals`, trailing zeros dropped unless `fixed` (487.5 → "487,5", 500.0 → "500", 1.5 with 1
    fixed decimal → "1,5", 2.0 → "2,0"); never "-0"; "" for None (nothing to show)."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    if decimals and not fixed:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0."):  # -0.001 rounds to zero: no sign
        text = text[1:]
    return text.replace(".", ",")
