"""Results of scoring: one row per criterion, plus one per section/subsection and the grand total."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from egovcli.model import SourcedObservation
from egovcli.problems import CATALOGUE, Location, Problem, problem

# Flag names are part of the export contract and of the stored scoring runs; each is a problem code
# (egovcli.problems.CATALOGUE, docs/problems.md) — `CriterionScore.problems` gives them as Problems.
OVER_MAX = "over_max"  # self-score above the criterion's maximum
CLAIM_EXCEEDS_EVIDENCE = "claim_exceeds_evidence"  # self-score above the points the data supports
SUBTOTAL_MISMATCH = "subtotal_mismatch"  # a written section/grand total ≠ the sum of its rows
MISSING_SELF_SCORE = "missing_self_score"  # no self-assessed score for a criterion
# The formula's data was reported but cannot be used (the self-score, if any, counts instead):
BLANK_VALUE = "blank_value"  # an input's cell was left blank
TEXT_VALUE = "text_value"  # an input is text, not a number ("Đang xây dựng")
ZERO_DENOMINATOR = "zero_denominator"  # a ratio's denominator is 0 ("27/27" level-4 → 27 − 27 = 0)
NOT_A_RATIO = "not_a_ratio"  # a share reported as a bare number ("27", neither a/b nor %)
NEGATIVE_VALUE = "negative_value"  # a count below 0
UNKNOWN_CATEGORY = "unknown_category"  # an answer that matches none of the criterion's categories
INCONSISTENT_FIGURES = "inconsistent_figures"  # parts that contradict each other (a − b < 0)
NEEDS_OTHER_AGENCIES = "needs_other_agencies"  # normalised_to_best scored without the agencies it compares

# basis values: data | appraisal (the appraisers' score, "Điểm thẩm định", where the data cannot
# score it) | self | missing | not_applicable (full points: the criterion's not_applicable_when
# condition holds) | adjusted (appraisal adjustment, see score.adjust) for criteria; total for
# section, subsection and TOTAL rows.
BASES = ("data", "appraisal", "self", "missing", "not_applicable", "adjusted", "total")
# each basis in words, for the outputs people read (CSV and JSON keep the values above)
BASIS_WORDS = {
    "data": "số liệu", "appraisal": "điểm thẩm định", "self": "điểm tự đánh giá",
    "missing": "không có số liệu và điểm tự đánh giá", "not_applicable": "không áp dụng (điểm tối đa)",
    "adjusted": "điều chỉnh sau thẩm định", "total": "tổng",
}


@dataclass(slots=True)
class CriterionScore:
    """Points for one criterion (or one section total, basis = "total") of one agency."""

    criterion: str  # "I.1", "II.1.7", … or "I", "II.1", "TOTAL" for total rows
    section: str  # top-level section id ("I" … "VI"); "" for TOTAL
    label: str
    points: float
    max_points: float
    basis: str
    self_points: float | None = None  # as written in the submission (for totals: the written subtotal)
    flags: list[str] = field(default_factory=list)
    explanation: str = ""  # Vietnamese: which inputs, which formula, which band
    source_file: str = ""  # where the points (or the flagged value) came from
    location: str = ""
    adjustment_reason: str = ""  # basis "adjusted": the appraisers' reason, shown in every output
    appraised_points: float | None = None  # "Điểm thẩm định" as written beside the self-score, if any
    counted: bool = True  # False: "không tính điểm", computed and shown but in no total
    index: float | None = None  # total rows of an index result (`result: index`): points ÷ max, 0–1
    exact: float | None = None  # total rows: the points before rounding to the rule set's decimals

    def as_dict(self) -> dict[str, object]:
        """The row's fields by name, in their order (flags a copy), as exported and stored; spelled
        out, as it is built for every row stored and every row exported (tests/test_score_engine.py
        checks it names every field)."""
        return {
            "criterion": self.criterion, "section": self.section, "label": self.label, "points": self.points,
            "max_points": self.max_points, "basis": self.basis, "self_points": self.self_points,
            "flags": list(self.flags), "explanation": self.explanation, "source_file": self.source_file,
            "location": self.location, "adjustment_reason": self.adjustment_reason,
            "appraised_points": self.appraised_points, "counted": self.counted, "index": self.index,
            "exact": self.exact,
        }

    def problems(self, agency: str) -> list[Problem]:
        """The row's flags as Problems of `agency`: at the cell the points (or the flagged value)
        came from, about this criterion; the message is what the flag means. A stored flag this egov
        does not know (a workspace edited by hand) stays in `flags` only."""
        if not self.flags:  # most rows: no location to build
            return []
        where = Location.at(self.source_file, self.location, agency=agency, criterion=self.criterion)
        return [problem(code, where=where) for code in self.flags if code in CATALOGUE]


@dataclass(frozen=True, slots=True)
class AgencyTotals:
    """What ranks one scored agency, without its criterion rows: stored beside them by each scoring
    run, so that `egov rank` reads one small record per agency (`AgencyScore.totals`)."""

    agency: str
    group: str
    period: str
    total: float
    max_total: float
    exact: float  # the TOTAL's unrounded points (`AgencyScore.ranking_value`)
    sections: dict[str, float] = field(default_factory=dict)  # `AgencyScore.section_points`
    indices: dict[str, float] = field(default_factory=dict)  # `AgencyScore.section_indices`

    def ranking_value(self, index: bool = False) -> float:
        return self.exact / self.max_total if index and self.max_total else self.exact

    def section_points(self) -> dict[str, float]:
        return dict(self.sections)

    def section_indices(self) -> dict[str, float]:
        return dict(self.indices)

    def as_dict(self) -> dict[str, object]:
        """As stored (JSON): what `from_dict` reads back."""
        return {"total": self.total, "max_total": self.max_total, "exact": self.exact,
                "sections": self.sections, "indices": self.indices}

    @classmethod
    def from_dict(cls, agency: str, group: str, period: str, data: dict[str, Any]) -> AgencyTotals:
        return cls(agency, group, period, data["total"], data["max_total"], data["exact"], data["sections"],
                   data["indices"])


@dataclass(slots=True)
class AgencyScore:
    """All scored rows of one agency for one period under one rule set."""

    agency: str
    group: str  # an agency group id (`egovcli.groups`): department, district
    period: str
    rules: str
    rows: list[CriterionScore] = field(default_factory=list)
    # self-score observations that decided no row: no such criterion, or a repeated criterion
    unmatched: list[SourcedObservation] = field(default_factory=list)

    def unmatched_problems(self) -> list[Problem]:
        """A W-UNKNOWN-CRITERION problem for each self-score row that decided nothing, at its cell."""
        return [
            problem(
                "W-UNKNOWN-CRITERION",
                where=Location.at(so.source_file, so.obs.location, agency=self.agency,
                                  criterion=so.obs.indicator or so.obs.ref),
                ref=so.obs.indicator or so.obs.ref,
                rules=self.rules,
            )
            for so in self.unmatched
        ]

    @property
    def criteria(self) -> list[CriterionScore]:
        return [r for r in self.rows if r.basis != "total"]

    @property
    def total(self) -> float:
        """The TOTAL row's points (caps, weights and bonus applied); without one, the criteria's sum."""
        return self._total(self._total_rows())

    @property
    def max_total(self) -> float:
        return self._max_total(self._total_rows())

    def ranking_value(self, index: bool = False) -> float:
        """What ranks the agency, never rounded: the TOTAL's unrounded points, or its index (points
        ÷ max) when `index`; a run stored before unrounded totals were kept gives its stored points."""
        return self._ranking_value(self._total_rows(), index)

    def section_indices(self) -> dict[str, float]:
        """Index (points ÷ max) per section row that has one (`result: index`), in rule order."""
        return {r.criterion: r.index for r in self.rows
                if r.basis == "total" and r.index is not None and r.criterion == r.section}

    def section_points(self) -> dict[str, float]:
        """Points per top-level section (the section row's, cap applied, when there is one), in rule
        order; a bonus section is included."""
        return self._section_points(self._total_rows())

    def totals(self) -> AgencyTotals:
        """What ranks the agency (`AgencyTotals`), as computed from its rows (read once)."""
        found = self._total_rows()
        return AgencyTotals(self.agency, self.group, self.period, self._total(found), self._max_total(found),
                            self._ranking_value(found), self._section_points(found), self.section_indices())

    def _total_rows(self) -> dict[str, CriterionScore]:
        """The total rows by id (the first of each id)."""
        found: dict[str, CriterionScore] = {}
        for r in self.rows:
            if r.basis == "total" and r.criterion not in found:
                found[r.criterion] = r
        return found

    def _total(self, found: dict[str, CriterionScore]) -> float:
        row = found.get("TOTAL")
        return row.points if row else round(sum(r.points for r in self.criteria), 2)

    def _max_total(self, found: dict[str, CriterionScore]) -> float:
        row = found.get("TOTAL")
        return row.max_points if row else round(sum(r.max_points for r in self.criteria), 2)

    def _ranking_value(self, found: dict[str, CriterionScore], index: bool = False) -> float:
        row = found.get("TOTAL")
        points = self._total(found) if row is None or row.exact is None else row.exact
        max_total = self._max_total(found) if index else 0.0
        return points / max_total if index and max_total else points

    def _section_points(self, found: dict[str, CriterionScore]) -> dict[str, float]:
        out: dict[str, float] = {}
        for r in self.criteria:
            out[r.section] = round(out.get(r.section, 0.0) + r.points, 2)
        for section in out:
            row = found.get(section)
            if row:
                out[section] = row.points
        return out
