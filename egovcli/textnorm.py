"""Vietnamese text helpers: NFC on the way in, accent/case-folded keys for comparison."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str | None) -> str:
    """Return `text` in NFC with runs of white space collapsed and the ends stripped."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


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
