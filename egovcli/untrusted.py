"""Untrusted text on its way out: every output path shows submitted text, never obeys it.

Agency names, labels, values and file names come from submitted files. A terminal obeys escape
sequences (ESC, CSI, carriage return, BEL…) and rich obeys `[markup]`; bidirectional overrides
reorder what a reader sees. So before text reaches a terminal, a CSV, a markdown, an HTML or an
Excel file, each such character is replaced by a visible escape (`\\x1b`, `\\u202e`); line breaks
and tabs stay. A file name's undecodable bytes (surrogate escapes) show as the byte (`\\xff`).
For rich, text is passed as `Text` objects (never parsed as markup) — see `terminal`; where rich
only takes a markup string (a progress description), `markup` escapes it. JSON keeps the exact
text, with those characters written as `\\u` escapes (`json_text`).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls but tab and line feed, DEL, C1 controls (0x9b is a one-byte CSI), the bidi
# embeddings/overrides/isolates and marks, line/paragraph separators, lone surrogates, and the two
# noncharacters XML (xlsx, docx) cannot hold.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` with only its lone surrogates escaped (`\\xff`), so SQLite, JSON and files accept it.

    A file name that is not valid UTF-8 (an archive made on Windows: b"bad\\xff.docx") reaches
    Python with its bad bytes as surrogates (os.fsdecode); stored as "bad\\xff.docx", it is still
    one key per file. Other characters stay as they are: `visible` handles them on the way out.
    """
    return _SURROGATE.sub(_escape, text)


def visible(text: str) -> str:
    """`text` with every control character shown as a visible escape: 'a\\x1b[31mb' stays readable."""
    if text.isprintable():  # every character `_UNSAFE` matches is unprintable (Cc, Cf, Cs, Cn, Zl, Zp)
        return text
    return _UNSAFE.sub(_escape, text)


def terminal(text: object) -> Text:
    """A rich `Text` showing `text` literally: no markup, no links, no escape sequences."""
    from rich.text import Text

    return Text(visible(str(text)))


def markup(text: object) -> str:
    """`text` for a place where rich parses markup (a progress description): shown, never obeyed."""
    from rich.markup import escape

    return escape(visible(str(text)))


def json_text(value: Any) -> str:
    """`value` as JSON: the exact text (json.dumps already escapes C0 controls), with DEL, C1
    controls, bidi overrides and lone surrogates written as `\\u` escapes too; never NaN."""
    text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    # these characters can only occur inside JSON strings, where any character may be \u-escaped
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
