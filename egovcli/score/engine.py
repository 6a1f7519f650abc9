"""Score agencies: observations + a rule set → one row per criterion, then the total rows.

Policy per criterion: when its `not_applicable_when` condition holds, full points (basis
"not_applicable"); else when the submission's own data lets the formula be computed, those points
count (basis "data"); otherwise the appraisers' score ("Điểm thẩm định") clamped to [0, max] (basis
"appraisal"); otherwise the self-score clamped to [0, max] (basis "self"); otherwise 0 (basis
"missing"). When the data was reported but cannot be used — a blank cell, text such as "Đang xây
dựng", a zero denominator, an answer outside the categories, a `normalised_to_best` criterion
scored alone … — the row is flagged with that reason and its explanation says what was found,
where, and which basis counts instead (never a silent "chưa có số liệu").
The data includes derived indicators (catalogue `derive`: 34 desktops + 6 laptops → 40 computers).
Criteria of another agency group are left out. Rows come in rule order: the criteria, then the
total rows (`egovcli.score.totals`) — each section (cap applied) followed by its subsections, the
bonus, and TOTAL last (basis "total"; weights, mean and the bonus applied; what is not counted left out).

`score_agency` scores one agency; `score_agencies` scores many and first resolves
`normalised_to_best` criteria against the best value among agencies of the same period and group
(`best_values`); a run that streams its agencies (`api.score_workspace`) does the same with a
`Scorer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from egovcli.agencies import agency_key
from egovcli.indicators import catalogue
from egovcli.model import SourcedObservation
from egovcli.rules import Condition, Criterion, RuleSet
from egovcli.rules.formulas import NormalisedToBest, indicators
from egovcli.score.adjust import Adjustment, adjust, match_adjustments
from egovcli.score.basis import QUOTED, appraised_scores, by_appraisal, no_self_score
from egovcli.score.derived import Derivations, derive_inputs
from egovcli.score.formulas import Gap, Input, Inputs, evaluate, measure
from egovcli.score.model import (
    BLANK_VALUE,
    CLAIM_EXCEEDS_EVIDENCE,
    INCONSISTENT_FIGURES,
    MISSING_SELF_SCORE,
    NEGATIVE_VALUE,
    NOT_A_RATIO,
    OVER_MAX,
    TEXT_VALUE,
    UNKNOWN_CATEGORY,
    ZERO_DENOMINATOR,
    AgencyScore,
    CriterionScore,
)
from egovcli.score.totals import TOLERANCE, Totals
from egovcli.textnorm import fold, vi_number
from egovcli.values import is_blank

AgencyData = tuple[str, str, str, Sequence[SourcedObservation]]  # agency, group, period, observations


Best = dict[tuple[str, str, str], tuple[float, str]]  # (period, group, criterion) → best value, agency


def score_agencies(
    rules: RuleSet, agencies: Iterable[AgencyData], adjustments: Sequence[Adjustment] = ()
) -> list[AgencyScore]:
    """Score each agency; a `normalised_to_best` criterion divides by the best value reported by
    the agencies of the same period and group (an agency alone is its own best). `adjustments` are
    applied to the criterion rows before the totals; AdjustmentsError when one matches nothing."""
    agencies = list(agencies)
    matched = match_adjustments(adjustments, ((a, p, maxima(rules, g)) for a, g, p, _ in agencies))
    scorer = Scorer(rules, best_values(rules, agencies), matched)
    return [scorer.score(*data) for data in agencies]


def maxima(rules: RuleSet, group: str) -> dict[str, float]:
    """Criterion id → maximum of the criteria scored for an agency of `group`."""
    return {c.id: c.max for c in rules.criteria if c.applies(group)}


def needs_best(rules: RuleSet) -> bool:
    """Whether some criterion compares each agency with the best one (a pass over all agencies first)."""
    return any(isinstance(c.formula, NormalisedToBest) for c in rules.criteria)


def best_values(
    rules: RuleSet, agencies: Iterable[AgencyData], position: Mapping[tuple[str, str, str], int] | None = None
) -> Best:
    """The best value of each `normalised_to_best` criterion per period and group, and who reported it:
    of agencies reporting the same best value, the first in the run's order (`position` of (agency,
    group, period); default: the order they come in)."""
    best: dict[tuple[str, str, str], tuple[float, int, str]] = {}
    if not needs_best(rules):
        return {}
    for i, (agency, group, period, observations) in enumerate(agencies):
        place = i if position is None else position[(agency, group, period)]
        inputs = collect_inputs(observations)
        for c in rules.criteria:
            if isinstance(c.formula, NormalisedToBest) and c.applies(group):
                measured = measure(c.formula.source, inputs)
                slot = (period, group, c.id)
                if isinstance(measured, Gap):
                    continue
                if slot not in best or (measured[0], -place) > best[slot][:2]:
                    best[slot] = (measured[0], -place, agency)
    return {slot: (value, agency) for slot, (value, _, agency) in best.items()}


class Scorer:
    """Scores agencies one at a time, once the best values (`best_values`) and the matched appraisal
    adjustments (`match_adjustments`) of the whole run are known."""

    def __init__(self, rules: RuleSet, best: Best, matched: Mapping[tuple[str, str], Sequence[Adjustment]]):
        self.rules, self.best, self.matched = rules, best, matched
        self._resolved: dict[tuple[str, str], GroupRules] = {}

    def score(
        self, agency: str, group: str, period: str, observations: Sequence[SourcedObservation]
    ) -> AgencyScore:
        resolved = self._resolved.get((period, group))
        if resolved is None:
            resolved = GroupRules(_with_best(self.rules, period, group, self.best), group)
            self._resolved[(period, group)] = resolved
        mine = self.matched.get((agency_key(agency), period), ()) if self.matched else ()
        return resolved.score(agency, period, observations, mine)


def _with_best(rules: RuleSet, period: str, group: str, best: Best) -> RuleSet:
    """`rules` with each normalised criterion's best value for this period and group filled in."""
    criteria = []
    for c in rules.criteria:
        found = best.get((period, group, c.id))
        if found is not None and isinstance(c.formula, NormalisedToBest):
            c = replace(c, formula=replace(c.formula, best=found[0], best_agency=found[1]))
        criteria.append(c)
    return replace(rules, criteria=tuple(criteria))


def score_agency(
    rules: RuleSet,
    agency: str,
    group: str,
    period: str,
    observations: Sequence[SourcedObservation],
    adjustments: Sequence[Adjustment] = (),
) -> AgencyScore:
    """Score one agency's observations (all of one period) under `rules`, then apply its matched
    `adjustments`. A `normalised_to_best` criterion needs the other agencies: alone it is flagged
    needs_other_agencies and falls back like any gap (see score_agencies)."""
    return GroupRules(rules, group).score(agency, period, observations, adjustments)


class GroupRules:
    """A rule set as it scores the agencies of one group, worked out once for all of them: the
    criteria that apply, the indicators they read, the layout of the total rows."""

    def __init__(self, rules: RuleSet, group: str) -> None:
        self.rules, self.group = rules, group
        self.applicable = tuple(c for c in rules.criteria if c.applies(group))
        self.criterion_ids = frozenset(c.id for c in self.applicable)
        self.total_ids = frozenset(rules.total_ids)
        self.totals = Totals(rules, self.applicable)
        self.unread = tuple(_unread(c) for c in self.applicable)
        # the inputs scoring reads, and those they are derived from: no other is collected nor derived
        self.derivations = Derivations(i for c in self.applicable
                                       for i in (*indicators(c.formula), *_condition(c)))

    def score(self, agency: str, period: str, observations: Sequence[SourcedObservation],
              adjustments: Sequence[Adjustment] = ()) -> AgencyScore:
        """Score one agency's observations (all of one period), then apply its matched `adjustments`."""
        inputs = collect_inputs(observations, self.derivations)
        total_ids, criterion_ids = self.total_ids, self.criterion_ids
        own: dict[str, SourcedObservation] = {}
        written: dict[str, list[SourcedObservation]] = {}
        unmatched: list[SourcedObservation] = []
        doc_rows: list[SourcedObservation] = []
        appraised = appraised_scores(observations, criterion_ids)
        for so in observations:
            if so.obs.kind != "self_score":
                continue
            indicator = so.obs.indicator
            if indicator in total_ids:
                written.setdefault(indicator, []).append(so)
            else:
                if indicator:
                    doc_rows.append(so)
                if indicator in criterion_ids and indicator not in own:
                    own[indicator] = so
                else:  # no such criterion, or a second value for one already read
                    unmatched.append(so)
        rows = [_criterion_row(c, unread, inputs, own.get(c.id), appraised.get(c.id))
                for c, unread in zip(self.applicable, self.unread, strict=True)]
        for adj in adjustments:
            adjust(next(r for r in rows if r.criterion == adj.criterion), adj)
        rows += self.totals.rows(rows, written, doc_rows)
        return AgencyScore(agency, self.group, period, self.rules.name, rows, unmatched)


def _condition(c: Criterion) -> tuple[str, ...]:
    """The indicator of the criterion's `not_applicable_when` condition, if it has one."""
    return (c.not_applicable_when.indicator,) if c.not_applicable_when else ()


def collect_inputs(
    observations: Iterable[SourcedObservation], derivations: Derivations | None = None
) -> dict[str, Input]:
    """Per indicator, the first reported number, else the first text, else the first blank (a row
    found empty: scoring then says so), as formula inputs; then the derived indicators that were not
    reported, computed from these (with `derivations`: only the indicators it reads). In a table with
    one column per year ("Năm 2018 | Năm 2019") the column of the agency's own period counts, before
    any other, even when it is text or blank: another year's figure never stands in for it."""
    reads = derivations.reads if derivations is not None else None
    inputs: dict[str, Input] = {}
    ranks: dict[str, tuple[bool, bool, bool]] = {}
    for so in observations:
        obs = so.obs
        if obs.kind != "data" or not obs.indicator or (reads is not None and obs.indicator not in reads):
            continue
        missing = obs.value is None
        rank = (_other_year(obs.note, so.period), missing, missing and is_blank(obs.raw_value))
        if obs.indicator in ranks and ranks[obs.indicator] <= rank:
            continue
        ranks[obs.indicator] = rank
        inputs[obs.indicator] = Input(obs.indicator, obs.value, obs.denominator, obs.unit, obs.raw_value,
                                      obs.label, so.source_file, obs.location)
    return derivations(inputs) if derivations is not None else derive_inputs(inputs)


_YEAR_COLUMN = re.compile(r"(?:nam\s+)?(\d{4})")  # a column header naming a year: "Năm 2019", "2019"


def _other_year(note: str, period: str) -> bool:
    """Whether a value's column names a year other than the period's ("Năm 2018" in a 2019 report)."""
    column = _YEAR_COLUMN.fullmatch(fold(note).strip()) if note else None
    return column is not None and not period.startswith(column.group(1))


def _criterion_row(c: Criterion, unread: str, inputs: Inputs, own: SourcedObservation | None,
                   appraisal: SourcedObservation | None = None) -> CriterionScore:
    """The row of criterion `c` (`unread`: `_unread(c)`) from the agency's inputs, its self-score
    cell (`own`) and its appraisers' score cell."""
    claimed = own.obs.value if own else None
    flags = []
    if claimed is not None and claimed > c.max + TOLERANCE:
        flags.append(OVER_MAX)
    row = CriterionScore(c.id, c.section, c.label, 0.0, c.max, "missing", claimed, flags)
    row.appraised_points = appraisal.obs.value if appraisal else None
    exempt = _holding(c.not_applicable_when, inputs) if c.not_applicable_when else None
    if exempt is not None and c.not_applicable_when is not None:
        row.basis, row.points = "not_applicable", c.max
        reason = c.not_applicable_when.text or c.not_applicable_when.name
        row.explanation = f"Không áp dụng ({reason}): điểm tối đa {vi_number(c.max)}. Nguồn: {_where(exempt)}"
        row.source_file, row.location = exempt.source_file, exempt.location
        return row
    if claimed is None:
        flags.append(MISSING_SELF_SCORE)
    result = evaluate(c.formula, c.max, inputs)
    if not isinstance(result, Gap):
        row.basis, row.points = "data", result.points
        if len(result.used) == 1:  # most formulas read one input
            item = inputs[result.used[0]]
            row.explanation = f"{result.explanation}. Nguồn: {_where(item)}"
            row.source_file, row.location = item.source_file, item.location
        else:
            used = [inputs[i] for i in dict.fromkeys(result.used)]
            row.explanation = f"{result.explanation}. Nguồn: " + "; ".join(_where(i) for i in used)
            row.source_file = "; ".join(dict.fromkeys(i.source_file for i in used))
            row.location = "; ".join(dict.fromkeys(i.location for i in used))
        for name, gap in result.gaps:  # a case of `highest` the data could not compute: said, flagged
            row.explanation += f". {name[:1].upper()}{name[1:]}: {_why(gap, unread)}"
            if gap.flag and gap.flag not in flags:
                flags.append(gap.flag)
        if claimed is not None and claimed > result.points + TOLERANCE:
            flags.append(CLAIM_EXCEEDS_EVIDENCE)
            row.explanation += f". Tự đánh giá {vi_number(claimed)} > {vi_number(result.points)} theo số liệu"
        if appraisal is not None:  # the data decides; the appraisers' score is shown beside it
            appraised = row.appraised_points
            written = appraisal.obs.raw_value if appraised is None else vi_number(appraised)
            self_text = "không có" if claimed is None else vi_number(claimed)
            where = f"{appraisal.source_file}, {appraisal.obs.location}"
            row.explanation += (f". Điểm thẩm định ghi {written} ({where}), tự đánh giá {self_text}: "
                                "tính theo số liệu")
    else:
        if result.flag:
            flags.append(result.flag)
        why = _why(result, unread)
        if appraisal is not None and row.appraised_points is not None:
            by_appraisal(row, appraisal, why)
            return row
        if appraisal is not None:  # an appraisal cell that is no number ("Đạt"): said, not used
            why += (f"; điểm thẩm định ghi '{appraisal.obs.raw_value[:QUOTED]}', không phải số "
                    f"({appraisal.source_file}, {appraisal.obs.location})")
        if claimed is not None:
            row.basis, row.points = "self", round(min(max(claimed, 0.0), c.max), 2)
            row.explanation = f"Theo điểm tự đánh giá {vi_number(claimed)} ({why})"
            if not 0 <= claimed <= c.max:
                row.explanation += f"; ngoài khoảng 0–{vi_number(c.max)} nên tính {vi_number(row.points)}"
        else:  # basis "missing": what was missing, and why the data could not stand in
            row.explanation = f"{no_self_score(own)}; {why}: 0 điểm"
        if result.item is not None and not own:  # no self-score cell: point at the cell that was read
            row.source_file, row.location = result.item.source_file, result.item.location
    if own and (flags or row.basis != "data"):  # the self-score cell decided or was flagged
        row.source_file, row.location = own.source_file, own.obs.location
    return row


def _why(gap: Gap, unread: str) -> str:
    """What kept the data from scoring a criterion, in Vietnamese, naming the value and its cell;
    `unread`: what to say when its data was not reported (`_unread`)."""
    item = gap.item
    if not gap.flag or item is None:  # not reported (a flagged gap always names what was read)
        return f"chưa tính được từ số liệu: {gap.detail}" if gap.detail else unread
    if gap.flag in (BLANK_VALUE, TEXT_VALUE, UNKNOWN_CATEGORY):  # the value as written, at its cell
        name = f"«{item.label or _names([gap.indicator])}»"
        where = f"({item.source_file}, {item.location})" if item.location else ""
        text = item.text if len(item.text) <= QUOTED else f"{item.text[:QUOTED - 1]}…"
        found = {
            BLANK_VALUE: f"{name} là ô trống {where}",
            TEXT_VALUE: f"{name} ghi '{text}', không phải số liệu {where}",
            UNKNOWN_CATEGORY: f"{name} ghi '{text}', không khớp phương án nào của tiêu chí {where}",
        }[gap.flag]
    else:  # the value with its label and cell
        shown = _where(item)
        found = {
            ZERO_DENOMINATOR: f"mẫu số bằng 0: {shown}",
            NOT_A_RATIO: f"{shown} không phải tỷ lệ (cần dạng a/b hoặc %)",
            NEGATIVE_VALUE: f"{shown} là số âm, số lượng không thể âm",
            INCONSISTENT_FIGURES: f"số liệu mâu thuẫn: {shown}",
        }.get(gap.flag, shown)
    detail = f"; {gap.detail}" if gap.detail else ""
    return f"không tính được từ số liệu: {found.rstrip()}{detail}"


def _unread(c: Criterion) -> str:
    """Why the data does not score `c` when none of it was reported: which, or that it is self-scored."""
    return f"chưa có số liệu: {_names(c.inputs)}" if c.inputs else "tiêu chí chấm theo tự đánh giá"


def _holding(condition: Condition | None, inputs: Inputs) -> Input | None:
    """The input that makes `condition` hold (its indicator equals the value), else None."""
    item = inputs.get(condition.indicator) if condition else None
    if condition is None or item is None or item.value is None:
        return None
    return item if abs(item.value - condition.equals) < 1e-9 else None


def _names(indicator_ids: Iterable[str]) -> str:
    """Vietnamese names of catalogue indicators, for explanations read by civil servants."""
    known = catalogue()
    return "; ".join(known[i].name if i in known else i for i in indicator_ids)


def _where(item: Input) -> str:
    """"label = value (file, location)"; a derived input shows its computation and each part's."""
    name = item.label or item.indicator
    if item.parts:
        return f"{name} = {item.text} [{'; '.join(_where(part) for part in item.parts)}]"
    shown = item.text or ("ô trống" if item.value is None else vi_number(item.value))  # a blank is never "0"
    return f"{name} = {shown} ({item.source_file}, {item.location})"
