"""Tables → observations: criteria tables (self scores with their criterion paths: `criteria`)
and data tables (one observation per filled value cell, read here), both from the table's logical
rows (`records`).

Data rows without a TT that only name a part of the row above ("Tỷ lệ", "- Tại UBND cấp huyện",
"Đại học") take that row's label in front of theirs. A row without a TT under a group heading (a
row with a TT and no value, "b Quản lý kế toán - tài chính") takes the heading in front of its label
when the label alone cannot tell the groups apart: it recurs under another heading of the table, or
the group is about the item its heading names (the heading's own answer is a "1/0 (1: Có; 0: Chưa
có)" row under it). A repeated header (a page break) ends a group. A value typed or merged into the
unit column ("Quý báo cáo | Quý V/2018 |"), or a yes/no answer written only in the note column
("Đang xây dựng"), is the row's value. Columns of tick boxes (□/☒, x) give 1 for a ticked box, named
by the column ("Có", "Không" → 0); a lone box column's empty boxes are 0 once the table has a tick.
A data row found with nothing in its value cells (nor a ticked box) is kept as a blank observation
(raw value "", no value: missing, never 0) unless it heads the rows under it; an answer that a "1/0
(1: Có; 0: Chưa có)" legend names is that value, other text stays text.
"""

from __future__ import annotations

from collections.abc import Sequence

from egovcli.ingest.layout.cells import Cell, Flag, Grid, observe, parse
from egovcli.ingest.layout.criteria import criteria_observations
from egovcli.ingest.layout.header import Header
from egovcli.ingest.layout.labels import data_label, is_legend, legend_value, qualify, short, vague
from egovcli.ingest.layout.records import LETTER, NUMBERED, SECTION, SUBSECTION, Record, read_records
from egovcli.model import Observation
from egovcli.textnorm import key, lazy_pattern
from egovcli.values import Parsed, lone_mark, option_value

_YEAR_COLUMN = lazy_pattern(r"\b(?:19|20)\d{2}\b")  # "Năm 2019", "2019"
_SMALL_ROMAN = lazy_pattern(r"^(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]?$")  # "i", "ii" under "c"


def header_table_observations(
    rows: Grid, header: Header, flags: list[Flag] | None, normalised: Sequence[list[str]] | None = None
) -> list[Observation]:
    """Observations of a table whose header is known (`normalised`: `header.grid_texts(rows)`, when
    the caller has it)."""
    records = read_records(rows, header, normalised)
    return criteria_observations(records, header, flags) if header.criteria else _data(records, header, flags)


# --- data tables --------------------------------------------------------------------------------
_Found = tuple[int, str, Cell | None]  # (column, text, cell) of a value


class _Row:
    """A data row as read: its label (qualified by its parent or heading), unit, and value cells.
    (A plain class with slots: a slotted dataclass costs about half a millisecond to create at import.)"""

    __slots__ = ("asks", "group", "heading", "label", "label_note", "legend", "record", "unit", "values")

    def __init__(
        self, record: Record, label: str, unit: str, label_note: str, values: list[_Found],
        heading: str = "", group: int = -1, legend: bool = False, asks: bool = False,
    ) -> None:
        self.record = record
        self.label = label
        self.unit = unit
        self.label_note = label_note  # a "Ghi chú: …" printed inside the label
        self.values = values
        self.heading = heading  # label of the group heading above a row without a TT
        self.group = group  # index of that heading row (-1: none)
        self.legend = legend  # a "1/0 (1: Có; 0: Chưa có)" row answering its heading
        self.asks = asks  # a row that asks for a value: found empty, it is a blank, not a heading


def _data(records: list[Record], header: Header, flags: list[Flag] | None) -> list[Observation]:
    """One data observation per filled value cell, or one blank observation for a row that asks for
    a value and has none; section rows ("I", "A- …") are headings."""
    roles = header.roles
    boxes = _box_columns(records, header)
    columns = sorted({*header.values(), *boxes})
    # value columns that hold figures: filled somewhere, or named by a year ("Năm 2019" left all blank)
    used = [c for c in columns if c not in boxes and (any(r.text(c) for r in records)
                                                      or _YEAR_COLUMN.search(header.texts[c]))]
    several = len({*used, *(c for c in boxes if any(r.text(c) for r in records))}) > 1  # name the column
    lone_box = len(boxes) == 1 and any(lone_mark(r.text(boxes[0])) for r in records)
    rows = _rows(records, header, columns)
    _add_context(rows)
    observations: list[Observation] = []
    for row in rows:
        record = row.record
        found = len(observations)
        asked = row.asks or any(raw for _, raw, _ in row.values)
        for column, raw, cell in row.values:
            if not raw:
                if several and asked and column in used:  # "Năm 2019" left empty beside "Năm 2018"
                    observations.append(_blank(row, column, cell, header))
                continue
            location = cell.location if cell else ""
            mark = lone_mark(raw) if column in boxes else None
            if mark is not None:
                if not mark and not lone_box:
                    continue
                parsed = _box_value(raw, header.names[column], mark)
            else:
                parsed = _answer(raw, row.unit)
            note = (header.texts[column] if several and column in columns else "", parsed.note,
                    row.label_note, record.text(roles.get("note")) if column != roles.get("note") else "")
            observations.append(observe(
                row.label, raw, parsed, location, flags, unit="" if column == roles.get("unit") else row.unit,
                ref=record.ref, note="; ".join(part for part in note if part),
            ))
        if len(observations) == found and asked and columns:  # left empty, or no box ticked: missing, not 0
            observations.append(_blank(row, columns[0], record.cell(columns[0]), header, name=False))
    return observations


def _blank(row: _Row, column: int, cell: Cell | None, header: Header, *, name: bool = True) -> Observation:
    """The observation of a value cell left empty: raw value "", no value (missing, never 0); `name`
    puts the column's header ("Năm 2019") in the note."""
    parts = (header.texts[column] if name else "", row.label_note, row.record.text(header.roles.get("note")))
    return observe(row.label, "", Parsed("", None, "blank"), cell.location if cell else "", None,
                   unit=row.unit, ref=row.record.ref, note="; ".join(part for part in parts if part))


def _answer(raw: str, unit: str) -> Parsed:
    """A value cell; text that the row's "1/0 (1: Có; 0: Chưa có)" legend names is its 1 or 0."""
    parsed = parse(raw)
    if parsed.value is None and parsed.kind == "text" and (value := legend_value(unit, raw)) is not None:
        return Parsed(raw, value, "yes" if value else "no")
    return parsed


def _rows(records: list[Record], header: Header, columns: list[int]) -> list[_Row]:
    """The labelled rows of a data table, each sub-row with its parent's label in front of a part's
    ("… – Tỷ lệ") and with the group heading it is under."""
    roles = header.roles
    parent = heading = ""
    group = -1
    rows: list[_Row] = []
    for index, record in enumerate(records):
        compact = record.ref.replace(" ", "")
        section = bool(SECTION.match(compact) or SUBSECTION.match(compact))
        if record.resumed or section:
            heading, group = "", -1
        label, label_note = data_label(record.text(roles["label"]))
        if not label or section:
            continue
        unit = record.text(roles.get("unit"))
        legend = not record.ref and is_legend(label)
        if legend:  # "1/0 (1: Có; 0: Chưa có)" where the label should be
            label, unit = parent or label, unit or label
        elif not record.ref and parent and (short(label) or vague(label)):
            label = qualify(parent, label)
        else:
            parent = label
        found = _misplaced(record, header, columns) if not any(record.text(c) for c in columns) else None
        values: list[_Found] = [found] if found else [(c, record.text(c), record.cell(c)) for c in columns]
        filled = any(raw for _, raw, _ in values)
        asks = not filled and _asks(records, index, bool(unit))
        if record.ref:  # a row with a TT heads the rows under it when it has no value of its own
            heading, group = ("", -1) if filled else (label, index)
            rows.append(_Row(record, label, unit, label_note, values, asks=asks))
        else:
            rows.append(_Row(record, label, unit, label_note, values, heading, group, legend, asks))
    return rows


def _asks(records: list[Record], index: int, has_unit: bool) -> bool:
    """Whether a data row without a value asks for one (and was left blank): it has a unit, or a
    row number (1, 2.3, b) and no row under it. "MỤC 1. THÔNG TIN CHUNG", "Nếu có:", "Trong đó:"
    and a numbered heading over its sub-rows ask for nothing."""
    ref = records[index].ref.replace(" ", "")
    if has_unit:
        return True
    if not (NUMBERED.match(ref.replace(",", ".")) or LETTER.match(ref) or _SMALL_ROMAN.match(ref)):
        return False
    return index + 1 == len(records) or not _under(ref, records[index + 1])


def _under(ref: str, after: Record) -> bool:
    """Whether `after` sits under the row numbered `ref`: it has no TT of its own, or a deeper one
    (5 → 5.1, "4" → "4,1" as printed, 3 → a, c → i)."""
    below = after.ref.replace(" ", "")
    if not below:
        return not after.total
    if SECTION.match(below) or SUBSECTION.match(below):
        return False
    number, deeper = ref.replace(",", ".").rstrip("."), below.replace(",", ".").rstrip(".")
    if NUMBERED.match(number):
        return bool(LETTER.match(below) or deeper.startswith(number + "."))
    if LETTER.match(ref) and not _SMALL_ROMAN.match(ref):  # "c" then "i", "ii": roman sub-items
        return bool(_SMALL_ROMAN.match(below)) and below[0] != chr(ord(ref[0]) + 1)  # "h" then "i": next
    return False


def _add_context(rows: list[_Row]) -> None:
    """Put the group heading in front of the labels that cannot tell their group apart ("Quản lý kế
    toán - tài chính – Số lượng UBND cấp huyện đã triển khai"), so that each maps on its own: a label
    under more than one heading, or any row of a group whose heading is answered by a 1/0 row (the
    group is about that item). A label already starting with its heading keeps it once."""
    headings: dict[str, set[str]] = {}
    for row in rows:
        if not row.record.ref:
            headings.setdefault(key(row.label), set()).add(key(row.heading))
    items = {row.group for row in rows if row.legend and row.group >= 0}
    for row in rows:
        if not row.heading or f"{key(row.label)} ".startswith(f"{key(row.heading)} "):
            continue
        if len(headings[key(row.label)]) > 1 or row.group in items:
            row.label = qualify(row.heading, row.label)


def _box_columns(records: list[Record], header: Header) -> list[int]:
    """Columns after the label holding only tick boxes (and blanks)."""
    boxes = []
    for column in header.free():
        marks = [lone_mark(text) for record in records if (text := record.text(column))]
        if marks and None not in marks:
            boxes.append(column)
    return boxes


def _box_value(raw: str, name: str, ticked: bool) -> Parsed:
    """A box under "Có" (1), "Không" / "Chưa có" / "Đang thử nghiệm" (0: the form offers that
    option) or another option (1): its value when ticked; an empty box under a lone box column is 0."""
    if not ticked:
        return Parsed(raw, 0.0, "no")
    named = option_value(name)
    value = 1.0 if named is None else named
    return Parsed(raw, value, "yes" if value else "no")


def _misplaced(record: Record, header: Header, columns: list[int]) -> _Found | None:
    """The value of a row whose value cells are blank: typed or merged into the unit column
    ("Quý V/2018"), or an answer written in the note column ("Có", "Đang xây dựng": kept as
    written, the latter as text)."""
    unit_column, note_column = header.roles.get("unit"), header.roles.get("note")
    unit, cell = record.text(unit_column), record.cell(unit_column)
    if unit and cell and unit_column is not None:
        merged = cell.span > 1 and any(unit_column < c < unit_column + cell.span for c in columns)
        if merged or (any(ch.isdigit() for ch in unit) and not is_legend(unit)):
            return unit_column, unit, cell
    note = record.text(note_column)
    if note and note_column is not None and option_value(note) is not None:
        return note_column, note, record.cell(note_column)
    return None
