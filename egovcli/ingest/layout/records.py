"""A table's rows below its header as logical records: continuation rows (a row broken across
pages) joined, repeated headers and "(1) (2) (3)" rows dropped, value cells merged down filled in,
the grand total marked; and the TT patterns both criteria and data tables number their rows with."""

from __future__ import annotations

import re
from collections.abc import Sequence

from egovcli.ingest.layout.cells import Cell, Grid
from egovcli.ingest.layout.header import SCORE_ROLES, TT_KEYS, Header, texts
from egovcli.ingest.layout.labels import BULLET
from egovcli.textnorm import fold, key, lazy_pattern, remembered

SECTION = re.compile(r"^([IVX]+|[A-Z])\.?$")
SUBSECTION = re.compile(r"^([IVX]+)\.(\d+(?:\.\d+)*)\.?$")
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
LETTER = lazy_pattern(r"^([a-zđ])[.)]?$")
_REF_IN_LABEL = re.compile(r"^((?:[IVX]+|\d+)(?:\.\d+)*|[a-zđ])[.)]\s+(?=\S)")
_TOTAL_ROW = re.compile(r"^tong(?: cong| so| diem| dat duoc| tu danh gia| tu cham)*\s*(?:\(.*)?[:.]?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_OPEN_END = (":", "?")  # a label ending so is complete: the row under it is not its continuation


class Record:
    """One logical table row (continuation rows joined), with its cells for locations.

    A plain class with slots: made for every row as cheaply as a slotted dataclass, without the
    half millisecond such a dataclass costs to create at import."""

    __slots__ = ("cells", "ref", "resumed", "texts", "total")

    def __init__(
        self, ref: str, texts: list[str], cells: Sequence[Cell | None], total: bool, resumed: bool = False
    ) -> None:
        self.ref = ref  # TT as printed (or found at the start of the label)
        self.texts = texts
        self.cells = cells
        self.total = total  # the grand total row "TỔNG (I+II+…)"
        self.resumed = resumed  # the first row after a repeated header (a new page)

    def text(self, column: int | None) -> str:
        return self.texts[column] if column is not None and column < len(self.texts) else ""

    def cell(self, column: int | None) -> Cell | None:
        return self.cells[column] if column is not None and column < len(self.cells) else None


def read_records(rows: Grid, header: Header, normalised: Sequence[list[str]] | None = None) -> list[Record]:
    """The records under `header`; `normalised` is `header.grid_texts(rows)` when the caller has it."""
    roles = header.roles
    tt, label, unit = roles.get("tt"), roles["label"], roles.get("unit")
    width = max(len(header.texts), max(map(len, rows), default=0))
    criteria, signatures = header.criteria, header.signatures
    opening = {found[0] for found in signatures if found}  # a row repeating a header opens as it does
    numeric = [roles[r] for r in SCORE_ROLES if r in roles] if criteria else header.values()
    records: list[Record] = []
    merged_down: dict[int, tuple[Cell, int]] = {}  # value column → (merged cell, rows it still covers)
    resumed = False
    for index in range(header.row + header.size, len(rows)):
        row = original = rows[index]
        if not criteria:  # in a criteria table a merged score is a group's, never each row's
            row = _fill_merged_values(row, numeric, merged_down)
        # (`normalised` rows are the caller's, read again for the agency: a row's texts are copied
        # before they are changed below, most never are)
        row_texts = normalised[index] if normalised is not None and row is original else texts(row)
        if len(row_texts) < width:
            row_texts = [*row_texts, *[""] * (width - len(row_texts))]
        if not any(row_texts) or (_COLUMN_NUMBER.match(row_texts[label]) and _is_column_numbers(row_texts)):
            continue
        ref = row_texts[tt] if tt is not None else ""
        # a repeated header (its `signature`), or one with slightly different wording: a new page
        # (the row has a text: its first, most often the TT, is found without a filter when filled)
        first = row_texts[0] or next(filter(None, row_texts))
        if (first in opening and tuple(filter(None, row_texts)) in signatures) or (ref and _names_tt(ref)):
            resumed = bool(records)
            continue
        if not ref and (found := _REF_IN_LABEL.match(row_texts[label])):
            row_texts = list(row_texts)
            ref, row_texts[label] = found.group(1), row_texts[label][found.end():]
        if not ref and records and _continues(records[-1], row_texts, numeric, label, unit):
            previous = records[-1]  # a row broken across pages: join it to the row before
            previous.texts = [
                f"{before} {text}".strip() if text and column != tt else before
                for column, (before, text) in enumerate(zip(previous.texts, row_texts, strict=True))
            ]
            continue
        total = _is_total(ref or row_texts[label])
        # (the row itself when it is as wide as the table: its cells are read, never changed)
        cells: Sequence[Cell | None] = row if len(row) == width else [*row, *[None] * (width - len(row))]
        records.append(Record(ref, row_texts, cells, total, resumed))
        resumed = False
    return records


def _fill_merged_values(
    row: Sequence[Cell], columns: list[int], merged_down: dict[int, tuple[Cell, int]]
) -> Sequence[Cell]:
    """A value cell merged down over several labelled rows answers each of them (same text, and the
    merged cell's own location as provenance); `row` itself when none does."""
    if not merged_down and not any(cell.down > 1 for cell in row):
        return row
    filled = list(row)
    for column in columns:
        cell = filled[column] if column < len(filled) else None
        if cell is not None and cell.text:
            if cell.down > 1:
                merged_down[column] = (cell, cell.down - 1)
            else:
                merged_down.pop(column, None)
        elif column in merged_down:
            top, left = merged_down[column]
            filled += [Cell("", "")] * (column + 1 - len(filled))
            filled[column] = top
            if left > 1:
                merged_down[column] = (top, left - 1)
            else:
                del merged_down[column]
    return filled


def _continues(previous: Record, row: list[str], numeric: list[int], label: int, unit: int | None) -> bool:
    """True for the rest of a row cut by a page break: no TT, no number, no unit, no bullet of its
    own, under a row that is not a total and whose label does not end with ":" or "?"."""
    return not (
        previous.total or any(map(row.__getitem__, numeric)) or (unit is not None and row[unit])
        or BULLET.match(row[label]) or previous.texts[label].endswith(_OPEN_END)
    )


@remembered  # a row's TT: the same few numbers head every table's rows
def _names_tt(ref: str) -> bool:
    """A TT cell that names the column ("STT", "TT"): a header repeated with other wording."""
    return key(ref) in TT_KEYS


@remembered  # a row's TT or label: the same few totals and numbers head every table's rows
def _is_total(text: str) -> bool:
    return bool(text) and bool(_TOTAL_ROW.match(fold(text)))


def _is_column_numbers(row: list[str]) -> bool:
    """The "(1) (2) (3) …" row printed under many headers (its label's cell checked first, cheaply)."""
    filled = [text for text in row if text]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(t) for t in filled)
