"""Criteria tables → self_score observations, each under its rebuilt criterion path (as
docs/architecture.md describes): "I", "I.2", "1", "a" under the rows above them; and, where the
table has an appraisal column ("Điểm thẩm định"), an appraisal_score observation per row the
appraisers filled in, under the same path, at its own cell."""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple

from egovcli.ingest.layout.cells import Cell, Flag, Grid, observe
from egovcli.ingest.layout.header import SCORE_ROLES, Header
from egovcli.ingest.layout.records import LETTER, NUMBERED, SECTION, SUBSECTION, Record, read_records
from egovcli.model import Observation
from egovcli.textnorm import lazy_pattern, remembered
from egovcli.values import Parsed, parse_number, parse_text

_SMALL_PART = lazy_pattern(r"^\d{1,2}(?:,\d+)?$")


class CriteriaRow(NamedTuple):
    """One row of a criteria table placed in the criterion tree: its path ("I", "II.1", "I.3.1",
    "TOTAL"), what it is ("section" for a roman or "II.1" row, "heading" for an unscored row over
    others, "scored", "total"), the TT as printed and its cell texts (continuation rows joined)."""

    path: str
    kind: str
    ref: str
    texts: tuple[str, ...]
    cells: tuple[Cell | None, ...]


def criteria_rows(rows: Grid, header: Header) -> list[CriteriaRow]:
    """Every row of a criteria table with its criterion path, headings included (the tree a rule
    set is drafted from); the same paths self-scores are read into."""
    found = []
    for record, path, section, heading in _tree(read_records(rows, header), header):
        kind = "total" if record.total else "section" if section else "heading" if heading else "scored"
        found.append(CriteriaRow(path, kind, record.ref, tuple(record.texts), tuple(record.cells)))
    return found


def criteria_observations(
    records: list[Record], header: Header, flags: list[Flag] | None
) -> list[Observation]:
    """One self_score observation per scored row, its indicator the rebuilt criterion path, each
    followed by the row's appraisal_score when the appraisal cell is filled in."""
    roles = header.roles
    own, most, label, note, appraisal = (
        roles.get("self"), roles.get("max"), roles["label"], roles.get("note"), roles.get("appraisal")
    )
    found = []
    for record, path, _, heading in _tree(records, header):
        if heading:
            continue
        # (a record has a text per header column: `read_records` pads it to the header's width)
        texts, cells, ref = record.texts, record.cells, record.ref
        printed_max = texts[most] if most is not None else ""
        maximum = _points(printed_max) if printed_max else _BLANK
        name = texts[label] or ref
        raw = texts[own] if own is not None else ""
        cell = (cells[own] if own is not None else None) or (cells[most] if most is not None else None)
        points = _points(raw) if raw else _BLANK
        remark = texts[note] if note is not None else ""  # after the parts of a "5 5 5" score
        if points.note or maximum.note:
            remark = "; ".join(part for part in (points.note, maximum.note, remark) if part)
        found.append(observe(name, raw, points, cell.location if cell else "", flags, ref=ref, note=remark,
                             kind="self_score", indicator=path, max_points=maximum.value))
        if appraisal is not None and (given := texts[appraisal]):  # the appraisers' score, at its own cell
            cell = cells[appraisal]
            found.append(observe(name, given, _points(given), cell.location if cell else "", flags, ref=ref,
                                 kind="appraisal_score", indicator=path, max_points=maximum.value))
    return found


_BLANK = Parsed("", None, "blank")


def _tree(records: list[Record], header: Header) -> list[tuple[Record, str, bool, bool]]:
    """(record, criterion path, whether a section row, whether a heading) of each numbered or
    scored row."""
    found: list[tuple[Record, str, bool, bool]] = []
    prefix = last_numbered = ""
    pending: str | None = None  # a numbered heading waiting for its unnumbered scored row
    scores = [column for role in SCORE_ROLES if (column := header.roles.get(role)) is not None]
    score_texts = itemgetter(*scores, *scores[:1])  # (a tuple even of one column)
    for index, record in enumerate(records):
        scored = any(score_texts(record.texts))  # (padded to the header's width: every score column is in it)
        section = False
        numbering = _numbering(record.ref)
        if record.total:
            path = "TOTAL"
        elif numbering is None:
            if not scored:
                continue
            path = pending or ""  # unnumbered: takes the number of the heading right before it, if any
        else:
            form, number = numbering
            if form == "section":
                path = prefix = number
                section = True
            elif form == "numbered":
                path = last_numbered = f"{prefix}.{number}" if prefix else number
            else:
                under = last_numbered or prefix  # a letter under the last numbered row ("3.a")
                path = f"{under}.{number}" if under else number
        if not scored and _is_heading(records, index, header, section):
            pending = None if section else path
            found.append((record, path, section, True))
            continue
        pending = None
        found.append((record, path, section, False))
    return found


@remembered  # the same few row numbers ("1", "II", "a") head every table's rows
def _numbering(ref: str) -> tuple[str, str] | None:
    """("section", "II" / "II.1"), ("numbered", "3.1") or ("letter", "a") for a row number as
    printed (spaces dropped: "3. 1" is "3.1"); None for none of them, or no number."""
    compact = ref.replace(" ", "")
    if match := SECTION.match(compact):
        return "section", match.group(1)
    if match := SUBSECTION.match(compact):
        return "section", f"{match.group(1)}.{match.group(2)}"
    if match := NUMBERED.match(compact):
        return "numbered", match.group(1)
    if match := LETTER.match(compact):
        return "letter", match.group(1)
    return None


def _is_heading(records: list[Record], index: int, header: Header, section: bool) -> bool:
    """A row without scores is a heading when the table prints maxima (a scored row would show
    one) or when the next row is deeper or unnumbered; otherwise it is a blank self-score."""
    if section or "max" in header.roles:
        return True
    if index + 1 == len(records):
        return False
    here = records[index].ref.replace(" ", "")
    after = records[index + 1].ref.replace(" ", "")
    deeper = NUMBERED.match(after)
    return not after or bool(LETTER.match(after)) or bool(
        deeper and NUMBERED.match(here) and deeper.group(1).count(".") > here.count(".")
    )


@remembered  # scores and maxima repeat ("25", "10", "0")
def _points(text: str) -> Parsed:
    """A score cell; "5 5 5" (a maximum per sub-item) is 15, its parts kept in the note."""
    parts = text.split()
    if len(parts) > 1 and all(_SMALL_PART.match(part) for part in parts):
        total = sum(parse_number(part) or 0.0 for part in parts)
        return Parsed(text, total, "number", note=" + ".join(parts))
    return parse_text(text)  # (remembered here, as `_points`: not in `parse`'s memo as well)
