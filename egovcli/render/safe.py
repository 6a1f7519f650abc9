"""Untrusted text on its way out: every output path shows submitted text, never obeys it.

Agency names, labels, values and file names come from submitted files. A terminal obeys escape
sequences (ESC, CSI, carriage return, BEL…) and rich obeys `[markup]`; bidirectional overrides
reorder what a reader sees. So before text reaches a terminal, a CSV, a markdown or an HTML file,
each such character is replaced by a visible escape (`\\x1b`, `\\u202e`); line breaks and tabs stay.
For rich, text is passed as `Text` objects (never parsed as markup) — see `terminal`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls but tab and line feed, DEL, C1 controls (0x9b is a one-byte CSI), the bidi
# embeddings/overrides/isolates and marks, line/paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character shown as a visible escape: 'a\\x1b[31mb' stays readable."""
    return _UNSAFE.sub(_escape, text)


def terminal(text: object) -> Text:
    """A rich `Text` showing `text` literally: no markup, no links, no escape sequences."""
    from rich.text import Text

    return Text(visible(str(text)))
