"""Criteria tables → self_score observations, each under its rebuilt criterion path (as
docs/architecture.md describes): "I", "I.2", "1", "a" under the rows above them; and, where the
table has an appraisal column ("Điểm thẩm định"), an appraisal_score observation per row the
appraisers filled in, under the same path, at its own cell."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from egovcli.ingest.layout.cells import Cell, Flag, Grid, observe, parse
from egovcli.ingest.layout.header import SCORE_ROLES, Header
from egovcli.ingest.layout.records import LETTER, NUMBERED, SECTION, SUBSECTION, Record, read_records
from egovcli.model import Observation
from egovcli.values import Parsed, parse_number

_SMALL_PART = re.compile(r"^\d{1,2}(?:,\d+)?$")


def _join(prefix: str, part: str) -> str:
    return f"{prefix}.{part}" if prefix else part


@dataclass(frozen=True, slots=True)
class CriteriaRow:
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
    found = []
    for record, path, _, heading in _tree(records, header):
        if heading:
            continue
        found.append(_score(record, path, header, flags))
        if record.text(header.roles.get("appraisal")):
            found.append(_appraisal(record, path, header, flags))
    return found


def _tree(records: list[Record], header: Header) -> Iterator[tuple[Record, str, bool, bool]]:
    """(record, criterion path, whether a section row, whether a heading) of each numbered or
    scored row."""
    prefix = last_numbered = ""
    pending: str | None = None  # a numbered heading waiting for its unnumbered scored row
    for index, record in enumerate(records):
        compact = record.ref.replace(" ", "")
        scored = any(record.text(header.roles.get(r)) for r in SCORE_ROLES)
        section = False
        if record.total:
            path = "TOTAL"
        elif match := SECTION.match(compact):
            path = prefix = match.group(1)
            section = True
        elif match := SUBSECTION.match(compact):
            path = prefix = f"{match.group(1)}.{match.group(2)}"
            section = True
        elif match := NUMBERED.match(compact):
            path = last_numbered = _join(prefix, match.group(1))
        elif match := LETTER.match(compact):
            path = _join(last_numbered or prefix, match.group(1))
        elif scored:  # unnumbered: takes the number of the heading right before it, if any
            path = pending or ""
        else:
            continue
        if not scored and _is_heading(records, index, header, section):
            pending = None if section else path
            yield record, path, section, True
            continue
        pending = None
        yield record, path, section, False


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


def _points(text: str) -> Parsed:
    """A score cell; "5 5 5" (a maximum per sub-item) is 15, its parts kept in the note."""
    parts = text.split()
    if len(parts) > 1 and all(_SMALL_PART.match(part) for part in parts):
        total = sum(parse_number(part) or 0.0 for part in parts)
        return Parsed(text, total, "number", note=" + ".join(parts))
    return parse(text)


def _score(record: Record, path: str, header: Header, flags: list[Flag] | None) -> Observation:
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


def _appraisal(record: Record, path: str, header: Header, flags: list[Flag] | None) -> Observation:
    """The appraisers' score of a row ("Điểm thẩm định"), at its own cell, with the printed maximum."""
    roles = header.roles
    raw, printed_max = record.text(roles.get("appraisal")), record.text(roles.get("max"))
    cell = record.cell(roles.get("appraisal"))
    label = record.text(roles["label"]) or record.ref
    points = _points(raw)
    obs = observe(label, raw, points, cell.location if cell else "", flags, ref=record.ref)
    obs.kind, obs.indicator = "appraisal_score", path
    obs.max_points = _points(printed_max).value if printed_max else None
    return obs
