"""Tables → observations: criteria tables (self scores with their criterion paths, as
docs/architecture.md describes) and data tables (one observation per filled value cell).

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

import re
from collections.abc import Sequence
from dataclasses import dataclass

from egovcli.ingest.layout.cells import Cell, Flag, Grid, observe, parse
from egovcli.ingest.layout.header import TT_KEYS, Header, signature, texts
from egovcli.ingest.layout.labels import BULLET, data_label, is_legend, legend_value, qualify, short, vague
from egovcli.model import Observation
from egovcli.textnorm import fold, key
from egovcli.values import Parsed, lone_mark, option_value, parse_number

_SECTION = re.compile(r"^([IVX]+|[A-Z])\.?$")
_SUBSECTION = re.compile(r"^([IVX]+)\.(\d+(?:\.\d+)*)\.?$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
_LETTER = re.compile(r"^([a-zđ])[.)]?$")
_YEAR_COLUMN = re.compile(r"\b(?:19|20)\d{2}\b")  # "Năm 2019", "2019"
_SMALL_ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]?$")  # "i", "ii" under "c"
_REF_IN_LABEL = re.compile(r"^((?:[IVX]+|\d+)(?:\.\d+)*|[a-zđ])[.)]\s+(?=\S)")
_TOTAL_ROW = re.compile(r"^tong(?: cong| so| diem| dat duoc| tu danh gia| tu cham)*\s*(?:\(.*)?[:.]?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_SMALL_PART = re.compile(r"^\d{1,2}(?:,\d+)?$")
_OPEN_END = (":", "?")  # a label ending so is complete: the row under it is not its continuation


@dataclass(slots=True)
class _Record:
    """One logical table row (continuation rows joined), with its cells for locations."""

    ref: str  # TT as printed (or found at the start of the label)
    texts: list[str]
    cells: list[Cell | None]
    total: bool  # the grand total row "TỔNG (I+II+…)"
    resumed: bool = False  # the first row after a repeated header (a new page)

    def text(self, column: int | None) -> str:
        return self.texts[column] if column is not None and column < len(self.texts) else ""

    def cell(self, column: int | None) -> Cell | None:
        return self.cells[column] if column is not None and column < len(self.cells) else None


def header_table_observations(rows: Grid, header: Header, flags: list[Flag] | None) -> list[Observation]:
    """Observations of a table whose header is known."""
    records = _records(rows, header)
    return _criteria(records, header, flags) if header.criteria else _data(records, header, flags)


# --- rows -------------------------------------------------------------------------------------
def _records(rows: Grid, header: Header) -> list[_Record]:
    roles = header.roles
    tt, label, unit = roles.get("tt"), roles["label"], roles.get("unit")
    width = max(len(header.texts), max((len(row) for row in rows), default=0))
    numeric = [roles[r] for r in ("max", "self") if r in roles] if header.criteria else header.values()
    records: list[_Record] = []
    merged_down: dict[int, tuple[Cell, int]] = {}  # value column → (merged cell, rows it still covers)
    resumed = False
    for row in rows[header.row + header.size:]:
        if not header.criteria:  # in a criteria table a merged score is a group's, never each row's
            row = _fill_merged_values(row, numeric, merged_down)
        row_texts = texts(row)
        row_texts += [""] * (width - len(row_texts))
        if not any(row_texts) or _is_column_numbers(row_texts, label):
            continue
        ref = row_texts[tt] if tt is not None else ""
        if signature(row_texts) in header.signatures or key(ref) in TT_KEYS:  # a repeated header
            resumed = bool(records)  # (or one with slightly different wording): a new page
            continue
        if not ref and (found := _REF_IN_LABEL.match(row_texts[label])):
            ref, row_texts[label] = found.group(1), row_texts[label][found.end():]
        if not ref and records and _continues(records[-1], row_texts, numeric, label, unit):
            previous = records[-1]  # a row broken across pages: join it to the row before
            for column, text in enumerate(row_texts):
                if text and column != tt:
                    previous.texts[column] = f"{previous.texts[column]} {text}".strip()
            continue
        total = _is_total(ref) or (not ref and _is_total(row_texts[label]))
        cells: list[Cell | None] = [*row, *[None] * (width - len(row))]
        records.append(_Record(ref, row_texts, cells, total, resumed))
        resumed = False
    return records


def _fill_merged_values(
    row: Sequence[Cell], columns: list[int], merged_down: dict[int, tuple[Cell, int]]
) -> Sequence[Cell]:
    """A value cell merged down over several labelled rows answers each of them (same text, and the
    merged cell's own location as provenance)."""
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


def _continues(previous: _Record, row: list[str], numeric: list[int], label: int, unit: int | None) -> bool:
    """True for the rest of a row cut by a page break: no TT, no number, no unit, no bullet of its
    own, under a row that is not a total and whose label does not end with ":" or "?"."""
    return not (
        previous.total or any(row[c] for c in numeric) or (unit is not None and row[unit])
        or BULLET.match(row[label]) or previous.texts[label].endswith(_OPEN_END)
    )


def _is_total(text: str) -> bool:
    return bool(text) and bool(_TOTAL_ROW.match(fold(text)))


def _is_column_numbers(row: list[str], label: int) -> bool:
    """The "(1) (2) (3) …" row printed under many headers."""
    filled = [text for text in row if text]
    return bool(row[label]) and len(filled) >= 3 and all(_COLUMN_NUMBER.match(t) for t in filled)


# --- criteria tables ----------------------------------------------------------------------------
def _join(prefix: str, part: str) -> str:
    return f"{prefix}.{part}" if prefix else part


def _criteria(records: list[_Record], header: Header, flags: list[Flag] | None) -> list[Observation]:
    """One self_score observation per scored row, its indicator the rebuilt criterion path."""
    prefix = last_numbered = ""
    pending: str | None = None  # a numbered heading waiting for its unnumbered scored row
    observations: list[Observation] = []
    for index, record in enumerate(records):
        compact = record.ref.replace(" ", "")
        scored = bool(record.text(header.roles.get("self")) or record.text(header.roles.get("max")))
        section = False
        if record.total:
            path = "TOTAL"
        elif match := _SECTION.match(compact):
            path = prefix = match.group(1)
            section = True
        elif match := _SUBSECTION.match(compact):
            path = prefix = f"{match.group(1)}.{match.group(2)}"
            section = True
        elif match := _NUMBERED.match(compact):
            path = last_numbered = _join(prefix, match.group(1))
        elif match := _LETTER.match(compact):
            path = _join(last_numbered or prefix, match.group(1))
        elif scored:  # unnumbered: takes the number of the heading right before it, if any
            path = pending or ""
        else:
            continue
        if not scored and _is_heading(records, index, header, section):
            pending = None if section else path
            continue
        pending = None
        observations.append(_score(record, path, header, flags))
    return observations


def _is_heading(records: list[_Record], index: int, header: Header, section: bool) -> bool:
    """A row without scores is a heading when the table prints maxima (a scored row would show
    one) or when the next row is deeper or unnumbered; otherwise it is a blank self-score."""
    if section or "max" in header.roles:
        return True
    if index + 1 == len(records):
        return False
    here = records[index].ref.replace(" ", "")
    after = records[index + 1].ref.replace(" ", "")
    deeper = _NUMBERED.match(after)
    return not after or bool(_LETTER.match(after)) or bool(
        deeper and _NUMBERED.match(here) and deeper.group(1).count(".") > here.count(".")
    )


def _points(text: str) -> Parsed:
    """A score cell; "5 5 5" (a maximum per sub-item) is 15, its parts kept in the note."""
    parts = text.split()
    if len(parts) > 1 and all(_SMALL_PART.match(part) for part in parts):
        total = sum(parse_number(part) or 0.0 for part in parts)
        return Parsed(text, total, "number", note=" + ".join(parts))
    return parse(text)


def _score(record: _Record, path: str, header: Header, flags: list[Flag] | None) -> Observation:
    roles = header.roles
    raw, printed_max = record.text(roles.get("self")), record.text(roles.get("max"))
    cell = record.cell(roles.get("self")) or record.cell(roles.get("max"))
    label = record.text(roles["label"]) or record.ref
    location = cell.location if cell else ""
    points = _points(raw) if raw else Parsed("", None, "blank")
    maximum = _points(printed_max) if printed_max else Parsed("", None, "blank")
    obs = observe(label, raw, points, location, flags, ref=record.ref, note="; ".join(
        part for part in (points.note, maximum.note, record.text(roles.get("note"))) if part
    ))
    obs.kind, obs.indicator, obs.max_points = "self_score", path, maximum.value
    return obs


# --- data tables --------------------------------------------------------------------------------
_Found = tuple[int, str, Cell | None]  # (column, text, cell) of a value


@dataclass(slots=True)
class _Row:
    """A data row as read: its label (qualified by its parent or heading), unit, and value cells."""

    record: _Record
    label: str
    unit: str
    label_note: str  # a "Ghi chú: …" printed inside the label
    values: list[_Found]
    heading: str = ""  # label of the group heading above a row without a TT
    group: int = -1  # index of that heading row (-1: none)
    legend: bool = False  # a "1/0 (1: Có; 0: Chưa có)" row answering its heading
    asks: bool = False  # a row that asks for a value: found empty, it is a blank, not a heading


def _data(records: list[_Record], header: Header, flags: list[Flag] | None) -> list[Observation]:
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


def _rows(records: list[_Record], header: Header, columns: list[int]) -> list[_Row]:
    """The labelled rows of a data table, each sub-row with its parent's label in front of a part's
    ("… – Tỷ lệ") and with the group heading it is under."""
    roles = header.roles
    parent = heading = ""
    group = -1
    rows: list[_Row] = []
    for index, record in enumerate(records):
        compact = record.ref.replace(" ", "")
        section = bool(_SECTION.match(compact) or _SUBSECTION.match(compact))
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


def _asks(records: list[_Record], index: int, has_unit: bool) -> bool:
    """Whether a data row without a value asks for one (and was left blank): it has a unit, or a
    row number (1, 2.3, b) and no row under it. "MỤC 1. THÔNG TIN CHUNG", "Nếu có:", "Trong đó:"
    and a numbered heading over its sub-rows ask for nothing."""
    ref = records[index].ref.replace(" ", "")
    if has_unit:
        return True
    if not (_NUMBERED.match(ref.replace(",", ".")) or _LETTER.match(ref) or _SMALL_ROMAN.match(ref)):
        return False
    return index + 1 == len(records) or not _under(ref, records[index + 1])


def _under(ref: str, after: _Record) -> bool:
    """Whether `after` sits under the row numbered `ref`: it has no TT of its own, or a deeper one
    (5 → 5.1, "4" → "4,1" as printed, 3 → a, c → i)."""
    below = after.ref.replace(" ", "")
    if not below:
        return not after.total
    if _SECTION.match(below) or _SUBSECTION.match(below):
        return False
    number, deeper = ref.replace(",", ".").rstrip("."), below.replace(",", ".").rstrip(".")
    if _NUMBERED.match(number):
        return bool(_LETTER.match(below) or deeper.startswith(number + "."))
    if _LETTER.match(ref) and not _SMALL_ROMAN.match(ref):  # "c" then "i", "ii": roman sub-items
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


def _box_columns(records: list[_Record], header: Header) -> list[int]:
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


def _misplaced(record: _Record, header: Header, columns: list[int]) -> _Found | None:
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
