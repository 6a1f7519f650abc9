"""Which of one agency's submissions for one period count, and in what order: the supersession
policy, a pure function of the submissions (the workspace stores its decisions).

From the latest down, a submission is superseded when a later one that counts repeats it: at least
half of its items (distinct mapped data indicators and self-score criteria, and the labels of figures
no indicator of the catalogue names — a rule set may declare them, docs/rules.md §4.1) are reported
there too;
one with no items is superseded by the latest. Otherwise it counts too — an annex of figures beside
the report is not dropped. The result depends only on the submissions, never on the order they come
in. Latest = the later document date when every competing submission has one, else the later file
modification time (then the path). `precedence` numbers them from the latest (0).

Submissions with an unknown agency or period (`competes`), failed ones, and ones whose rows are all
about other agencies (published rankings) never compete. A row found blank (no value) reports no
item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from egovcli.textnorm import key

# the rows whose indicators say what a submission reports
ITEM_KINDS = ("data", "self_score", "appraisal_score")


class Row(NamedTuple):
    """One stored observation, as far as supersession looks at it."""

    kind: str
    indicator: str
    value: float | None
    raw_value: str
    agency: str  # "" = about the submission's own agency
    label: str = ""
    method: str = ""  # how a data row's label was mapped (indicators.Match.method)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One submission of the agency and period being settled."""

    path: str
    mtime: float
    doc_date: str | None  # ISO date printed in the document, if any
    failed: bool
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a competing submission counts (`superseded_by` None) or which later one replaces it;
    `precedence`: 0 for the latest, 1 for the one before…"""

    path: str
    precedence: int
    superseded_by: str | None


def competes(agency_key: str, period: str) -> bool:
    """Whether submissions of this agency and period compete at all: not when either is unknown."""
    return bool(agency_key and period)


# mapping methods that record a person's decision: a label left without an indicator by one of them
# (catalogue not_indicators, pinned to none in mapping.csv) names no figure, so reports no item
REVIEWED = ("pinned", "not_indicator")


def items(rows: Iterable[Row]) -> frozenset[tuple[str, str]]:
    """What a submission reports about its own agency: its (kind, indicator) pairs of mapped data
    rows and self scores, and ("label", its folded label) for a figure the catalogue has no indicator
    for (a province's own, which a rule set maps when scoring: an annex holding only such figures
    must not be dropped for "reporting nothing"); a row found empty (no value, blank as written)
    reports nothing, nor does text under an unknown label (a name, an address)."""
    from egovcli.values import is_blank  # (the value parsers: opening a workspace needs none)

    return frozenset(
        (r.kind, r.indicator) if r.indicator else ("label", key(r.label))
        for r in rows
        if not r.agency and r.kind in ITEM_KINDS and (r.value is not None or not is_blank(r.raw_value))
        and (r.indicator or _unnamed_figure(r))
    )


def _unnamed_figure(r: Row) -> bool:
    """A number under a label no indicator of the catalogue names and no person set aside."""
    return r.kind == "data" and r.value is not None and bool(key(r.label)) and r.method not in REVIEWED


def settle(candidates: Iterable[Candidate]) -> list[Decision]:
    """The decision for every competing submission of one agency and period, the latest first;
    failed ones and ones with no row about their own agency get none (they do not compete)."""
    competing = [c for c in candidates if not c.failed and any(not r.agency for r in c.rows)]
    by_date = all(c.doc_date for c in competing)
    latest_first = sorted(
        competing, key=lambda c: ((c.doc_date or "") if by_date else "", c.mtime, c.path), reverse=True
    )
    counting: list[tuple[str, frozenset[tuple[str, str]]]] = []  # (path, items), the latest first
    decisions = []
    for precedence, candidate in enumerate(latest_first):
        reported = items(candidate.rows)
        by = next((path for path, later in counting if 2 * len(reported & later) >= len(reported)), None)
        if by is None:
            counting.append((candidate.path, reported))
        decisions.append(Decision(candidate.path, precedence, by))
    return decisions
