"""Formula cells an .xlsx sheet holds without a cached value, found in the sheet's XML.

A workbook saved by Excel holds each formula's last value (`<v>`), which calamine reads. One written by
a script and never opened in Excel has none, and calamine reads such a cell as empty: `xlsx` asks this
module for those cells, only in the sheets where the zip guard saw a formula, and shows their formula
text instead, with a W-FORMULA-NO-VALUE problem.
"""

from __future__ import annotations

import html
import re

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.+?)</(?:\w+:)?v>", re.DOTALL)
_ATTRIBUTE = re.compile(rb'\b(r|t|si)="([^"]*)"')
# a formula's end not followed at once by a whole value ("<v>…</v>", no tag inside): in a sheet without
# one, `uncached` finds no cell without a value (a formula ends where `_FORMULA` ends it, and such a
# value cannot reach past its cell's end), at a tenth of the cost of reading every cell (`_CELL`)
_BARE_FORMULA = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)(?!<(?:\w+:)?v>[^<]+</(?:\w+:)?v>)")


def uncached(data: bytes) -> dict[str, str]:
    """Cells of one sheet's XML whose formula has no cached value (an empty string result,
    t="str", is a value)."""
    if _BARE_FORMULA.search(data) is None:  # each formula followed by its value (as Excel saves them)
        return {}
    shared: dict[bytes, str] = {}
    pending: list[tuple[str, bytes, str]] = []  # (cell, shared index, own formula text)
    for cell in _CELL.finditer(data):
        inner = cell.group(2)
        if not inner or b"f" not in inner or not (formula := _FORMULA.search(inner)):
            continue
        attributes = dict(_ATTRIBUTE.findall(cell.group(1)))
        formula_attributes = dict(_ATTRIBUTE.findall(formula.group(1)))
        text = html.unescape((formula.group(2) or b"").decode("utf-8", "replace"))
        index = formula_attributes.get(b"si", b"")
        if text and index:
            shared.setdefault(index, text)
        value = _VALUE.search(inner)
        if value is None and attributes.get(b"t") != b"str" and b"r" in attributes:
            pending.append((attributes[b"r"].decode(), index, text))
    return {ref: f"={text or shared.get(index, '')}" for ref, index, text in pending}
