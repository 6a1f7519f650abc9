"""Table headers: which column is the row number, the label, the unit, the values, the scores.

A header row has a label column ("Nội dung", "Tên tiêu chí", "Giải pháp", or the column right after
"TT") and one more known column. A second header row under it names the parts of a merged group
("Điểm" over "Tối đa | Tự đánh giá", "Năm" over "2018 | 2019", "Phân khai báo số liệu" over
"Số liệu | Ghi chú"): its label and TT cells are blank, its other cells short words or years.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

from egovcli.ingest.layout.cells import Cell, Grid, TextLine
from egovcli.ingest.layout.lines import rows_to_lines
from egovcli.textnorm import key, lazy_pattern, nfc, nfc_all

_HEADER_SCAN = 60  # rows searched for a table header
_HEADER_TEXT = 60  # a longer cell is content, not a column name
TT_KEYS = frozenset({"tt", "stt", "so tt", "thu tu"})
_LABEL_KEYS = frozenset({"ung dung", "giai phap", "noi dung"})
_ROLE_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("max", ("diem toi da", "toi da", "thang diem", "diem chuan")),
    ("label", ("noi dung", "tieu chi", "ten tieu chi", "chi tieu", "ten chi tieu", "hang muc",
               "giai phap", "ten chuc nang", "ten ung dung", "danh muc")),
    ("method", ("cach tinh", "cach xac dinh", "phuong phap", "huong dan cham")),
    ("unit", ("don vi tinh", "dvt")),
    ("note", ("ghi chu", "tai lieu kiem chung", "minh chung", "giai trinh", "chi tiet", "so hieu",
              "so ten ngay")),
    ("value", ("so lieu", "gia tri", "ket qua")),
)
SCORE_ROLES = ("max", "self", "appraisal")  # the columns of a criteria table that hold points
_YEAR = lazy_pattern(r"^(?:19|20)\d{2}$")
_LETTER = re.compile(r"[^\W\d_]")
# the appraisers' score beside the self-assessed one: "Điểm thẩm định", "Điểm thẩm định/chấm",
# "Kết quả thẩm định", "Điểm hội đồng thẩm định", "Thẩm định" under a merged "Điểm"
_APPRAISAL = re.compile(r"^(?:(?:so )?diem|ket qua)\b.*\btham dinh\b|^tham dinh$")


class Header(NamedTuple):
    """Where a table's header is and what its columns hold."""

    row: int  # index of the (first) header row
    size: int  # 1, or 2 for a two-row header
    roles: dict[str, int]  # role → column (the first column with that role)
    texts: list[str]  # header text per column ("Năm 2018" for "2018" under "Năm")
    names: list[str]  # the lowest header text per column ("2018", "Có")
    signatures: set[tuple[str, ...]]

    @property
    def criteria(self) -> bool:
        return "max" in self.roles or "self" in self.roles

    def values(self) -> list[int]:
        """Value columns: explicit "Số liệu"-like ones, else all without a role after the label."""
        explicit = [c for c, name in enumerate(self.names) if name and role(name) == "value"]
        return explicit or self.free()

    def free(self) -> list[int]:
        """Columns after the label without a role (where tick boxes may be)."""
        taken = set(self.roles.values())
        return [c for c in range(self.roles["label"] + 1, len(self.texts)) if c not in taken]


@lru_cache(maxsize=1 << 16)  # header cells repeat across a round's files
def role(text: str) -> str | None:
    """The role a header text gives its column, or None."""
    if not _LETTER.search(text):  # a figure names no column (and is new in every file: not folded)
        return None
    cell_key = key(text)
    if cell_key in TT_KEYS:
        return "tt"
    if "tu danh gia" in cell_key or "tu cham" in cell_key:
        return "self"
    if _APPRAISAL.match(cell_key):  # before "ket qua" (a value column) below
        return "appraisal"
    if cell_key in _LABEL_KEYS:
        return "label"
    for name, prefixes in _ROLE_PREFIXES:
        if cell_key.startswith(prefixes):
            return name
    return None


def _roles(upper: Sequence[str], lower: Sequence[str] | None = None) -> dict[str, int]:
    """Roles of the header texts per column (`lower`, as long as `upper` when given, the second
    header row's): the lower text names the column first."""
    roles: dict[str, int] = {}
    # (of a single header row, only its filled columns: most rows above a header are mostly blank)
    for column in range(len(upper)) if lower is not None else compress(range(len(upper)), upper):
        text, found = upper[column], None
        if lower is not None and (below := lower[column]) and len(below) < _HEADER_TEXT:
            found = role(below)
        if not found and text and len(text) < _HEADER_TEXT:
            found = role(text)
        if found and found not in roles:
            roles[found] = column
    if "label" not in roles and "tt" in roles:  # "STT | Tên đơn vị | …": the column after TT
        after = roles["tt"] + 1
        named = after < len(upper) and (upper[after] or (lower is not None and lower[after]))
        if named and after not in roles.values():
            roles["label"] = after
    return roles


def _is_header(roles: dict[str, int]) -> bool:
    return "label" in roles and len(roles) >= 2


_TEXT = attrgetter("text")


def texts(row: Sequence[Cell]) -> list[str]:
    """The row's cell texts in NFC."""
    return nfc_all(map(_TEXT, row))


def grid_texts(rows: Grid) -> list[list[str]]:
    """`texts` of every row: a grid's texts normalised once for all the detectors that read them
    (all at once, then cut into rows: no call per row)."""
    flat = nfc_all([cell.text for row in rows for cell in row])
    found: list[list[str]] = []
    start = 0
    for size in map(len, rows):
        found.append(flat[start:start + size])
        start += size
    return found


def find_header(rows: Grid, normalised: Sequence[list[str]] | None = None) -> Header | None:
    """The header row (TT | Nội dung | …), possibly over a second row naming merged groups;
    `normalised` is `grid_texts(rows)` when the caller has it."""
    for index, row in enumerate(rows[:_HEADER_SCAN]):
        top = normalised[index] if normalised is not None else texts(row)
        if (seen := tuple(top)) in _UNHEADED:
            continue
        roles = _roles(top)
        if "label" not in roles:
            _no_label(seen)
            continue
        below = None
        if index + 1 < len(rows):
            below = normalised[index + 1] if normalised is not None else texts(rows[index + 1])
        if below is not None and _names_parts(below, roles):
            width = max(len(top), len(below))
            top_, below_ = top + [""] * (width - len(top)), below + [""] * (width - len(below))
            two_roles = _roles(top_, below_)
            if _is_header(two_roles):
                names = [lower or upper for upper, lower in zip(top_, below_, strict=True)]
                merged = _merge(row, below)
                return Header(index, 2, two_roles, merged, names, {signature(top), signature(below)})
        if _is_header(roles):
            return Header(index, 1, roles, list(top), list(top), {signature(top)})
    return None


# rows above a header (letterheads, "label | value" pairs) recur across a round's files: those known
# to name no label column are passed over at once (rows of short texts only; emptied when full)
_UNHEADED: set[tuple[str, ...]] = set()
_UNHEADED_MAX = 1 << 12
_UNHEADED_TEXT = 200


def _no_label(row: tuple[str, ...]) -> None:
    if max(map(len, row), default=0) <= _UNHEADED_TEXT:
        if len(_UNHEADED) >= _UNHEADED_MAX:
            _UNHEADED.clear()
        _UNHEADED.add(row)


def _names_parts(below: list[str], roles: dict[str, int]) -> bool:
    """True when the row under a header names the parts of its merged groups."""
    for name in ("label", "tt"):
        column = roles.get(name)
        if column is not None and column < len(below) and below[column]:
            return False
    filled = [text for text in below if text]
    return bool(filled) and all(
        len(text) < _HEADER_TEXT and (_YEAR.match(text) or any(ch.isalpha() for ch in text))
        for text in filled
    )


def _merge(top_row: Sequence[Cell], below: list[str]) -> list[str]:
    """Column texts of a two-row header: a group's text over each of its parts ("Năm 2018"). A
    group spans its merged width, or (when the format does not say) the blank cells to its right."""
    merged: list[str] = []
    parent, reach = "", 0
    for column in range(max(len(top_row), len(below))):
        cell = top_row[column] if column < len(top_row) else None
        upper = nfc(cell.text) if cell else ""
        if upper:
            parent, reach = upper, column + (cell.span if cell and cell.span > 1 else len(below))
        elif column >= reach:
            parent = ""
        lower = below[column] if column < len(below) else ""
        merged.append(f"{upper or parent} {lower}".strip() if lower else upper)
    return merged


def signature(texts: Sequence[str]) -> tuple[str, ...]:
    """The filled texts of a header row, to recognise it repeated."""
    return tuple(filter(None, texts))


def continues_table(previous: Grid, rows: Grid) -> bool:
    """True when `rows` carry on the table `previous` (e.g. on the next pdf page): it repeats
    the same header, or it has no header and the same number of columns."""
    before = find_header(previous)
    if before is None or not rows:
        return False
    header = find_header(rows)
    if header is None:
        return len(rows[0]) == len(previous[0])
    return header.roles == before.roles


class Table(NamedTuple):
    """A grid with its header (None when it has none), the lines read from the rows before the
    header (every row of a grid without one) and its `grid_texts`."""

    rows: Grid
    header: Header | None
    lines: list[TextLine]
    texts: list[list[str]]


def read_table(rows: Grid) -> Table:
    normalised = grid_texts(rows)
    header = find_header(rows, normalised)
    end = header.row if header else len(rows)
    return Table(rows, header, rows_to_lines(rows[:end], normalised[:end]), normalised)
