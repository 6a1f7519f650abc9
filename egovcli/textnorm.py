"""Vietnamese text helpers: NFC on the way in, accent/case-folded keys for comparison, numbers written
the Vietnamese way on the way out."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


_CACHED = 200  # texts up to this length (cells, labels) repeat within a file and across a round's files


def nfc(text: str | None) -> str:
    """Return `text` in NFC with runs of white space collapsed and the ends stripped."""
    if not text:
        return ""
    if type(text) is str and len(text) <= _CACHED:  # (not a subclass, nor 5 and 5.0 as one key)
        return _short_nfc(text)
    return _normalised(str(text))


@lru_cache(maxsize=1 << 14)  # every cell passes here, several times: its text is normalised once
def _short_nfc(text: str) -> str:
    return _normalised(text)


def _normalised(text: str) -> str:
    # split() cuts at the characters `\s` matches (str.isspace) and drops them at the ends: the same
    # as collapsing runs of white space and stripping, at a third of the cost
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=1 << 16)  # labels repeat across thousands of files
def fold(text: str | None) -> str:
    """Accent- and case-insensitive comparison key: 'Sở Tài chính' → 'so tai chinh'."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()


@lru_cache(maxsize=1 << 16)
def key(text: str | None) -> str:
    """Like `fold`, but punctuation becomes space: a key for matching labels and names."""
    return _SPACES.sub(" ", re.sub(r"[^\w%]+", " ", fold(text))).strip()


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
