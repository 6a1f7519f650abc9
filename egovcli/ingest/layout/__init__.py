"""Format-independent reading: text lines and cell grids → observations, agency, period, date.

Extractors turn a file into `TextLine`s and tables (rows of `Cell`s) that know where they came
from; `interpret` reads them with the modules below and reports row-level problems.

- `lines`: "label: value" lines and filled-in form answers (tick boxes);
- `header`: where a table's header is and what its columns hold;
- `tables`: criteria tables (self scores with criterion paths) and data tables;
- `identity`: the reporting agency, the period and the document date.

Rows before a table's header and tables without a header are read as lines ("label | value" pairs
become "label: value"). A published ranking table (`published`) gives its own observations; a
criteria table (self-assessment) is an agency's own and never taken for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from itertools import chain

from egovcli.ingest.layout.cells import Cell, Document, Flag, Grid, TextLine
from egovcli.ingest.layout.checkbox import ticked_somewhere
from egovcli.ingest.layout.criteria import CriteriaRow, criteria_rows
from egovcli.ingest.layout.header import Table, continues_table, read_table
from egovcli.ingest.layout.identity import agency, detect_date, detect_period
from egovcli.ingest.layout.lines import lines_to_observations, rows_to_lines
from egovcli.ingest.layout.published import ranking_table_observations
from egovcli.ingest.layout.tables import header_table_observations
from egovcli.model import Extracted, Observation
from egovcli.problems import Problem, problem
from egovcli.values import is_blank

__all__ = [
    "Cell", "CriteriaRow", "Document", "Grid", "TextLine", "continues_table", "criteria_rows",
    "detect_date", "detect_period", "interpret", "interpret_document", "lines_to_observations",
    "rows_to_lines", "unparsed_value",
]
_LABEL_IN_MESSAGE = 80


def interpret(lines: Sequence[TextLine], tables: Sequence[Grid], source: str = "") -> Extracted:
    """Observations, agency, period, document date and row-level problems of one file's lines
    and tables.

    `source` names the file in problems. A missing agency or period, or no observation at all,
    is left for the ingest orchestrator to report (it knows the fallbacks).
    """
    flags: list[Flag] = []
    observations: list[Observation] = []
    read: list[Table] = []
    for rows in tables:
        table = read_table(rows)
        published = None if table.header and table.header.criteria else ranking_table_observations(rows)
        if published is None:
            read.append(table)
        else:
            observations.extend(published)
    all_lines = [*lines, *(line for table in read for line in table.lines)]
    cells = (cell.text for rows in tables for row in rows for cell in row)
    filled = partial(ticked_somewhere, chain((line.text for line in all_lines), cells))
    observations[:0] = lines_to_observations(all_lines, flags, filled=filled)
    for table in read:
        if table.header:
            observations.extend(header_table_observations(table.rows, table.header, flags, table.texts))
    return Extracted(
        observations, agency(lines, read), detect_period(all_lines, observations),
        _problems(observations, flags, source), detect_date(all_lines),
    )


def interpret_document(document: Document, source: str) -> Extracted:
    """`interpret` of what a reader found; the problems about the file itself follow those of its
    rows, and a refused file is its problems alone."""
    if document.refused:
        return Extracted(problems=list(document.problems))
    extracted = interpret(document.lines, document.tables, source=source)
    extracted.problems.extend(document.problems)
    return extracted


def _short(label: str) -> str:
    """A label or raw value cut for a message (a 5,000-digit cell must not make a 5,000-character one)."""
    return label if len(label) <= _LABEL_IN_MESSAGE else f"{label[:_LABEL_IN_MESSAGE - 1]}…"


def unparsed_value(obs: Observation, source: str) -> Problem | None:
    """W-UNPARSED-VALUE, at the value's cell, for a value that should be a number but is text ("Đang
    xây dựng", "2+3"): a self-score, or a figure mapped to an indicator. None for a number, a blank
    (missing, not unreadable) or a formula saved without its value (W-FORMULA-NO-VALUE says so)."""
    if obs.value is not None or is_blank(obs.raw_value) or obs.raw_value.startswith("="):
        return None
    raw, label = _short(obs.raw_value), _short(obs.label)
    return problem("W-UNPARSED-VALUE", source, obs.location, raw=raw, label=label)


def _problems(observations: list[Observation], flags: list[Flag], source: str) -> list[Problem]:
    """Self-scores and appraised scores that cannot be used as printed (unreadable, or with no
    criterion path), and values that cannot be as printed."""
    found: list[Problem] = []
    for obs in observations:
        if obs.kind not in ("self_score", "appraisal_score"):
            continue
        if obs.value is None and (unreadable := unparsed_value(obs, source)):  # (most rows hold a number)
            found.append(unreadable)
        if not obs.indicator and obs.kind == "self_score":  # said once per row, not again for its appraisal
            found.append(problem("W-NO-CRITERION-PATH", source, obs.location, label=_short(obs.label)))
    found.extend(
        problem("W-IMPOSSIBLE-VALUE", source, flag.location, raw=_short(flag.raw), label=_short(flag.label),
                issue=flag.issue)
        for flag in flags
    )
    return found
