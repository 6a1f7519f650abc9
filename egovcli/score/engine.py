"""Score one agency: its observations + a rule set → one row per criterion, then the total rows.

Policy per criterion: when the submission's own data lets the formula be computed, those points
count (basis "data"); otherwise the self-score clamped to [0, max] (basis "self"); otherwise 0
(basis "missing"). The data includes derived indicators (catalogue `derive`: 34 desktops + 6 laptops
→ 40 computers). Rows come in rule order: all criteria, then the total rows — each section followed
by its subsections, and TOTAL last (basis "total").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from egovcli.indicators import catalogue
from egovcli.model import SourcedObservation
from egovcli.rules import Criterion, RuleSet
from egovcli.score.derived import derive_inputs
from egovcli.score.formulas import Input, Inputs, evaluate, fmt
from egovcli.score.model import (
    CLAIM_EXCEEDS_EVIDENCE,
    MISSING_SELF_SCORE,
    OVER_MAX,
    SUBTOTAL_MISMATCH,
    AgencyScore,
    CriterionScore,
)

TOLERANCE = 0.005


def score_agency(
    rules: RuleSet, agency: str, group: str, period: str, observations: Sequence[SourcedObservation]
) -> AgencyScore:
    """Score one agency's observations (all of one period) under `rules`."""
    inputs = collect_inputs(observations)
    criterion_ids = {c.id for c in rules.criteria}
    total_ids = set(rules.total_ids)
    own: dict[str, SourcedObservation] = {}
    written: dict[str, list[SourcedObservation]] = {}
    unmatched: list[SourcedObservation] = []
    for so in observations:
        if so.obs.kind != "self_score":
            continue
        indicator = so.obs.indicator
        if indicator in total_ids:
            written.setdefault(indicator, []).append(so)
        elif indicator in criterion_ids and indicator not in own:
            own[indicator] = so
        else:  # no such criterion, or a second value for one already read
            unmatched.append(so)
    rows = [_criterion_row(c, inputs, own.get(c.id)) for c in rules.criteria]
    doc_rows = [so for so in observations
                if so.obs.kind == "self_score" and so.obs.indicator and so.obs.indicator not in total_ids]
    rows += _total_rows(rules, rows, written, doc_rows)
    return AgencyScore(agency, group, period, rules.name, rows, unmatched)


def collect_inputs(observations: Iterable[SourcedObservation]) -> dict[str, Input]:
    """Per indicator, the first reported number (else the first reported text), as formula inputs;
    then the derived indicators that were not reported, computed from these."""
    inputs: dict[str, Input] = {}
    for so in observations:
        obs = so.obs
        if obs.kind != "data" or not obs.indicator or not obs.raw_value.strip():
            continue
        known = inputs.get(obs.indicator)
        if known is not None and (known.value is not None or obs.value is None):
            continue
        inputs[obs.indicator] = Input(obs.indicator, obs.value, obs.denominator, obs.unit, obs.raw_value,
                                      obs.label, so.source_file, obs.location)
    return derive_inputs(inputs)


def _criterion_row(c: Criterion, inputs: Inputs, own: SourcedObservation | None) -> CriterionScore:
    result = evaluate(c.formula, c.max, inputs)
    claimed = own.obs.value if own else None
    flags = []
    if claimed is None:
        flags.append(MISSING_SELF_SCORE)
    elif claimed > c.max + TOLERANCE:
        flags.append(OVER_MAX)
    row = CriterionScore(c.id, c.section, c.label, 0.0, c.max, "missing", claimed, flags)
    if result is not None:
        used = [inputs[i] for i in dict.fromkeys(result.used)]
        row.basis, row.points = "data", result.points
        row.explanation = f"{result.explanation}. Nguồn: " + "; ".join(_where(i) for i in used)
        row.source_file = "; ".join(dict.fromkeys(i.source_file for i in used))
        row.location = "; ".join(dict.fromkeys(i.location for i in used))
        if claimed is not None and claimed > result.points + TOLERANCE:
            flags.append(CLAIM_EXCEEDS_EVIDENCE)
            row.explanation += f". Tự đánh giá {fmt(claimed)} > {fmt(result.points)} theo số liệu"
    elif claimed is not None:
        row.basis, row.points = "self", round(min(max(claimed, 0.0), c.max), 2)
        needs = f"chưa có số liệu: {_names(c.inputs)}" if c.inputs else "tiêu chí chấm theo tự đánh giá"
        row.explanation = f"Theo điểm tự đánh giá {fmt(claimed)} ({needs})"
        if not 0 <= claimed <= c.max:
            row.explanation += f"; ngoài khoảng 0–{fmt(c.max)} nên tính {fmt(row.points)}"
    else:
        row.explanation = "Không có điểm tự đánh giá và không đủ số liệu để tính: 0 điểm"
    if own and (flags or row.basis != "data"):  # the self-score cell decided or was flagged
        row.source_file, row.location = own.source_file, own.obs.location
    return row


def _names(indicator_ids: Iterable[str]) -> str:
    """Vietnamese names of catalogue indicators, for explanations read by civil servants."""
    known = catalogue()
    return "; ".join(known[i].name if i in known else i for i in indicator_ids)


def _where(item: Input) -> str:
    """"label = value (file, location)"; a derived input shows its computation and each part's."""
    name = item.label or item.indicator
    if item.parts:
        return f"{name} = {item.text} [{'; '.join(_where(part) for part in item.parts)}]"
    return f"{name} = {item.text or fmt(item.value or 0)} ({item.source_file}, {item.location})"


def _total_rows(
    rules: RuleSet,
    rows: list[CriterionScore],
    written: dict[str, list[SourcedObservation]],
    doc_rows: list[SourcedObservation],
) -> list[CriterionScore]:
    out = []
    for section in rules.sections:
        out.append(_total_row(section.id, section.id, section.title, section.max, rows, written, doc_rows))
        for sub in section.subsections:
            out.append(_total_row(sub.id, section.id, sub.title, sub.max, rows, written, doc_rows))
    label = f"TỔNG ({'+'.join(s.id for s in rules.sections)})"
    out.append(_total_row("TOTAL", "", label, rules.max_total, rows, written, doc_rows))
    return out


def _beneath(total_id: str, criterion_id: str) -> bool:
    return total_id == "TOTAL" or criterion_id.startswith(total_id + ".")


def _total_row(
    total_id: str,
    section: str,
    title: str,
    max_points: float,
    rows: list[CriterionScore],
    written: dict[str, list[SourcedObservation]],
    doc_rows: list[SourcedObservation],
) -> CriterionScore:
    """One total row; flags subtotal_mismatch when a written subtotal ≠ the sum of the written rows."""
    mine = [r for r in rows if _beneath(total_id, r.criterion)]
    points = round(sum(r.points for r in mine), 2)
    row = CriterionScore(total_id, section, title, points, max_points, "total")
    row.explanation = f"Cộng {len(mine)} tiêu chí: {fmt(points)}/{fmt(max_points)}"
    values = [so.obs.value for so in doc_rows if _beneath(total_id, so.obs.indicator)]
    row_sum = round(sum(v for v in values if v is not None), 2)
    decided = None
    for so in written.get(total_id, []):
        value = so.obs.value
        if value is None:
            continue
        if row.self_points is None:
            row.self_points, decided = value, so
        note = f"; tự đánh giá ghi {fmt(value)} ({so.obs.location})"
        if any(v is not None for v in values) and abs(value - row_sum) > TOLERANCE:
            note += f" ≠ {fmt(row_sum)} cộng từ các dòng tự đánh giá"
            if SUBTOTAL_MISMATCH not in row.flags:
                row.flags.append(SUBTOTAL_MISMATCH)
                decided = so
        row.explanation += note
    if decided is not None:
        row.source_file, row.location = decided.source_file, decided.obs.location
    return row
