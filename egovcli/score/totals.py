"""The total rows of one agency's score: each section (cap applied) and its subsections, the bonus,
then TOTAL (basis "total"). Only what counts adds up: a criterion or section with `counted: false`
(or weight 0) is computed and shown, "không tính điểm", in no total nor maximum. The sections make
the TOTAL by their sum, their weights, or the mean of their indices (`aggregate: mean`); each total
is stored at the rule set's `decimals`, computed from unrounded parts and keeping its unrounded
value (`exact`) for ranking, and with `result: index` its index (points ÷ max)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from egovcli.model import SourcedObservation
from egovcli.rules import Criterion, RuleSet, Section
from egovcli.score.model import SUBTOTAL_MISMATCH, CriterionScore
from egovcli.textnorm import vi_number

TOLERANCE = 0.005  # a written or claimed value this close to the computed one agrees with it


@dataclass(frozen=True, slots=True)
class _Sum:
    """One total row as laid out for the criteria of a group: the criterion rows it adds up (their
    positions), its maximum (the `cap` when it has one), and the rows beneath it not counted."""

    id: str
    section: str
    title: str
    maximum: float
    rows: tuple[int, ...]
    cap: float | None = None
    left_out: str = ""  # "I.3, VII.1": rows beneath it computed and shown, not added up


@dataclass(frozen=True, slots=True)
class _SectionSum:
    """A section's total row and its subsections' as laid out for a group: its maximum for the group
    (its cap when lower; `own`: the sum of its criteria's maxima when that is not the declared one)."""

    section: Section
    total: _Sum
    effective: float
    own_note: str  # "; tối đa …: chỉ các tiêu chí áp dụng cho cơ quan (mục khai báo …)", or ""
    subsections: tuple[_Sum, ...]


class Totals:
    """The total rows of a rule set for the agencies of one group, laid out once: which of the group's
    criterion rows (given in `criteria` order) each total adds up — a criterion "II.1.7" is beneath
    "II" and "II.1", TOTAL takes every row — the maxima, and for each written self-score row the
    totals its value is checked against."""

    def __init__(self, rules: RuleSet, criteria: Sequence[Criterion]) -> None:
        self.rules, self.size = rules, len(criteria)
        self.uncounted = uncounted = rules.uncounted
        self.ids = rules.total_ids  # TOTAL last
        self.num = num = _shown(rules)
        self.marked = tuple(i for i, c in enumerate(criteria) if c.id in uncounted)  # "không tính điểm"
        self._checked: dict[str, tuple[str, ...]] = {}

        def laid_out(total_id: str, section: str, title: str, maximum: float,
                     cap: float | None = None) -> _Sum:
            return _laid_out(criteria, uncounted, _Sum(total_id, section, title, maximum, (), cap))

        own = _own_maxima(rules, criteria, uncounted)
        sections, maxima = [], {}  # counted section → the most it can give this agency
        for section in rules.sections:
            maximum = own.get(section.id, section.max)
            cap = section.cap if section.cap is not None and section.cap < maximum else None
            effective = maximum if cap is None else cap
            note = (f"; tối đa {num(maximum)}: chỉ các tiêu chí áp dụng cho cơ quan (mục khai báo "
                    f"{num(section.max)})" if section.id in own else "")
            subsections = tuple(laid_out(sub.id, section.id, sub.title, sub.max)
                                for sub in section.subsections)
            laid = laid_out(section.id, section.id, section.title, maximum, cap)
            sections.append(_SectionSum(section, laid, effective, note, subsections))
            if section.counts:
                maxima[section.id] = effective
        self.sections = tuple(sections)
        self.counted = maxima
        bonus = rules.bonus
        self.bonus = laid_out(bonus.id, bonus.id, bonus.title, bonus.cap, cap=bonus.cap) if bonus else None
        self.combines = bool(rules.weighted or rules.bonus or uncounted
                             or any(s.cap is not None for s in rules.sections))
        label = f"TỔNG ({'+'.join(s.id for s in rules.counted_sections)})"
        self.total = laid_out("TOTAL", "", label, _total_max(rules, maxima, own))

    def checked(self, indicator: str) -> tuple[str, ...]:
        """The totals (TOTAL included) whose written value the self-score row of `indicator` adds to:
        those whose id and a dot start it, unless it is left out of one as not counted."""
        found = self._checked.get(indicator)
        if found is None:
            found = tuple(t for t in self.ids if t == "TOTAL" or indicator.startswith(t + "."))
            if self.uncounted:
                found = tuple(t for t in found if not _left_out(t, indicator, self.uncounted))
            if len(self._checked) < _REMEMBERED:
                self._checked[indicator] = found
        return found

    def rows(
        self,
        rows: list[CriterionScore],
        written: dict[str, list[SourcedObservation]],
        doc_rows: list[SourcedObservation],
    ) -> list[CriterionScore]:
        """Each section (cap applied) and its subsections, the bonus, then TOTAL, from the group's
        criterion `rows` (in the order of the criteria laid out): the counted sections added,
        weighted (`weights`) or averaged as indices (`aggregate: mean`), plus the bonus. What is not
        counted (`counted: false`, weight 0) is computed and shown, in no total."""
        assert len(rows) == self.size, "the criterion rows of the group the totals were laid out for"
        rules, num = self.rules, self.num
        precision = rules.precision
        for i in self.marked:
            rows[i].counted = False
            rows[i].explanation += "; không tính điểm (không cộng vào tổng mục và tổng điểm)"
        values: dict[str, list[float | None]] = {t: [] for t in self.ids}
        for so in doc_rows:
            for t in self.checked(so.obs.indicator):
                values[t].append(so.obs.value)

        def total(laid: _Sum, combined: tuple[float, str] | None = None) -> CriterionScore:
            return _total_row(laid, rows, values[laid.id], written.get(laid.id, ()), rules, num, combined)

        out: list[CriterionScore] = []
        parts: list[tuple[float, str]] = []
        for sums in self.sections:
            section, effective = sums.section, sums.effective
            row = total(sums.total)
            row.explanation += sums.own_note
            out.append(row)
            points = _exact(row)
            if not section.counts:
                row.counted = False
                row.explanation += "; không tính điểm (không cộng vào tổng)"
                parts.append((0.0, f"{section.id} {num(points)} (không tính điểm)"))
                continue
            if not effective:  # no criterion of it applies to this agency: it neither gives nor counts
                parts.append((0.0, f"{section.id} (không áp dụng)"))
            elif section.weight is not None:
                share = points / effective * section.weight
                parts.append((share, f"{section.id} {num(points)}/{num(effective)} × "
                                     f"{num(section.weight)} = {num(share)}"))
            elif precision.aggregate == "mean":
                share = points / effective
                parts.append((share, f"{section.id} {num(points)}/{num(effective)} = "
                                     f"{_index_text(rules, share)}"))
            else:
                parts.append((points, f"{section.id} {num(points)}"))
            out += [total(sub) for sub in sums.subsections]
        combined = None
        if precision.aggregate == "mean":
            counted = [p for (p, _), s in zip(parts, rules.sections, strict=True) if self.counted.get(s.id)]
            mean = sum(counted) / len(counted) if counted else 0.0
            how = (f"Trung bình chỉ số các mục: ({'; '.join(t for _, t in parts)}) ÷ {len(counted)} = "
                   f"{_index_text(rules, mean)} × {num(rules.max_total)}")
            combined = (mean * rules.max_total, how)
        elif self.combines:
            how = "Theo trọng số: " + "; ".join(t for _, t in parts) if rules.weighted else \
                "Cộng các mục: " + " + ".join(t for _, t in parts)
            combined = (sum(p for p, _ in parts), how)
        if self.bonus:
            row = total(self.bonus)
            out.append(row)
            added = f"{self.bonus.id} (khuyến khích) {num(_exact(row))}"
            assert combined is not None  # a bonus always combines
            combined = (combined[0] + _exact(row),
                        f"{combined[1]}; + {added}" if precision.aggregate == "mean"
                        else f"{combined[1]}{'; ' if rules.weighted else ' + '}{added}")
        out.append(total(self.total, combined))
        return out


_REMEMBERED = 1 << 12  # self-score row ids laid out per rule set: its criteria's, and any others


def _laid_out(criteria: Sequence[Criterion], uncounted: frozenset[str], total: _Sum) -> _Sum:
    """`total` (its maximum as declared) with the positions of the criteria it adds up, its maximum
    the cap when it has one, and the criteria beneath it that are not counted."""
    beneath = [i for i, c in enumerate(criteria) if total.id == "TOTAL" or c.id.startswith(total.id + ".")]
    counted = tuple(i for i in beneath if _counts_in(total.id, criteria[i], uncounted))
    left_out = ", ".join(criteria[i].id for i in beneath if i not in counted)
    maximum = total.maximum if total.cap is None else total.cap
    return replace(total, maximum=maximum, rows=counted, left_out=left_out)


def _own_maxima(rules: RuleSet, criteria: Sequence[Criterion], uncounted: frozenset[str]) -> dict[str, float]:
    """Section id → the sum of the maxima of the group's counted criteria in it, where that is not
    the section's declared maximum: an agency outside the groups the sums are checked for (ranked
    apart, "Chưa xếp nhóm") is scored on the criteria naming no group only, and its maximum is theirs."""
    own: dict[str, float] = {}
    for section in rules.sections:
        got = sum(c.max for c in criteria if c.section == section.id and c.id not in uncounted)
        if abs(got - section.max) > TOLERANCE:
            own[section.id] = got
    return own


def _total_max(rules: RuleSet, maxima: dict[str, float], own: dict[str, float]) -> float:
    """The TOTAL's maximum: the rule set's, unless some section gives this agency less (`own`): then
    the sum of the counted sections' maxima, or of the weights of those that apply to it."""
    if not own or rules.precision.aggregate == "mean":
        return rules.max_total
    if rules.weighted:
        return sum(s.weight or 0.0 for s in rules.counted_sections if maxima.get(s.id))
    return sum(maxima.values())


def _exact(row: CriterionScore) -> float:
    return row.points if row.exact is None else row.exact


def _shown(rules: RuleSet) -> Callable[[float | None], str]:
    """Points as shown in total explanations: the rule set's decimals."""
    return lambda value: vi_number(value, rules.precision.decimals)


def _index_text(rules: RuleSet, value: float) -> str:
    """An index (0–1) as shown: the rule set's decimals (at least 4: an index has few digits), fixed."""
    return vi_number(value, max(rules.precision.decimals, 4), fixed=True)


def _counts_in(total_id: str, criterion: Criterion, uncounted: frozenset[str]) -> bool:
    """Whether a criterion adds to this total: not `counted: false`, and for TOTAL not in a section
    that is not counted."""
    if criterion.id in uncounted:
        return False
    return total_id != "TOTAL" or criterion.section not in uncounted


def _left_out(total_id: str, indicator: str, uncounted: frozenset[str]) -> bool:
    """Whether a written row is outside this total as not counted: an uncounted criterion, or a row
    of an uncounted section (other than that section's own total)."""
    return any((indicator == u or indicator.startswith(u + ".")) and not (total_id + ".").startswith(u + ".")
               for u in uncounted)


def _total_row(
    laid: _Sum,
    rows: list[CriterionScore],
    values: list[float | None],
    written: Sequence[SourcedObservation],
    rules: RuleSet,
    num: Callable[[float | None], str],
    combined: tuple[float, str] | None = None,
) -> CriterionScore:
    """One total row: the sum of the counted `rows` it adds up, at most its cap, or the `combined`
    (unrounded points, explanation) of the sections; its points rounded to the rule set's decimals
    (`exact` keeps them unrounded for ranking), and with `result: index` its index. Flags
    subtotal_mismatch when a `written` subtotal ≠ the (capped) sum of the written rows it adds up
    (their `values`); a combined total is not compared."""
    decimals, cap, max_points = rules.precision.decimals, laid.cap, laid.maximum
    raw = sum([rows[i].points for i in laid.rows])
    exact = raw if cap is None else min(raw, cap)
    row = CriterionScore(laid.id, laid.section, laid.title, round(exact, decimals), max_points, "total")
    row.explanation = f"Cộng {len(laid.rows)} tiêu chí: {num(row.points)}/{num(max_points)}"
    if cap is not None and raw > cap + TOLERANCE:
        row.explanation = (f"Cộng {len(laid.rows)} tiêu chí: {num(raw)}, giới hạn {num(cap)}"
                           f" → {num(row.points)}")
    if combined is not None:
        exact = combined[0]
        row.points = round(exact, decimals)
        row.explanation = f"{combined[1]} → {num(row.points)}/{num(max_points)}"
    elif laid.left_out:
        row.explanation += f"; không tính điểm: {laid.left_out}"
    row.exact = exact
    if rules.precision.index and max_points > 0:
        row.index = round(exact / max_points, decimals)
        row.explanation += f"; chỉ số {_index_text(rules, exact / max_points)}"
    decided = None
    if written:
        row_sum = round(sum(v for v in values if v is not None), 2)
        row_sum = row_sum if cap is None else min(row_sum, cap)
    for so in written:
        value = so.obs.value
        if value is None:
            continue
        if row.self_points is None:
            row.self_points, decided = value, so
        note = f"; tự đánh giá ghi {vi_number(value)} ({so.obs.location})"
        if combined is None and any(v is not None for v in values) and abs(value - row_sum) > TOLERANCE:
            note += f" ≠ {vi_number(row_sum)} cộng từ các dòng tự đánh giá"
            if SUBTOTAL_MISMATCH not in row.flags:
                row.flags.append(SUBTOTAL_MISMATCH)
                decided = so
        row.explanation += note
    if decided is not None:
        row.source_file, row.location = decided.source_file, decided.obs.location
    return row
