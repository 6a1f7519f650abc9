"""The total rows of one agency's score: each section (cap applied) and its subsections, the bonus,
then TOTAL (basis "total"). Only what counts adds up: a criterion or section with `counted: false`
(or weight 0) is computed and shown, "không tính điểm", in no total nor maximum. The sections make
the TOTAL by their sum, their weights, or the mean of their indices (`aggregate: mean`); each total
is stored at the rule set's `decimals`, computed from unrounded parts and keeping its unrounded
value (`exact`) for ranking, and with `result: index` its index (points ÷ max)."""

from __future__ import annotations

from collections.abc import Callable

from egovcli.model import SourcedObservation
from egovcli.rules import RuleSet
from egovcli.score.model import SUBTOTAL_MISMATCH, CriterionScore
from egovcli.textnorm import vi_number

TOLERANCE = 0.005  # a written or claimed value this close to the computed one agrees with it


class Totals:
    """The total rows of one rule set, laid out once for every agency scored under it: the ids each
    total adds up (a criterion "II.1.7" is beneath "II" and "II.1"; TOTAL takes every row), and for
    each written self-score row the totals its value is checked against."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.uncounted = rules.uncounted
        self.ids = rules.total_ids  # TOTAL last
        self.num = _shown(rules)
        self.combines = bool(rules.weighted or rules.bonus or self.uncounted
                             or any(s.cap is not None for s in rules.sections))
        self.label = f"TỔNG ({'+'.join(s.id for s in rules.counted_sections)})"
        self._beneath: dict[str, tuple[str, ...]] = {}
        self._checked: dict[str, tuple[str, ...]] = {}

    def beneath(self, criterion: str) -> tuple[str, ...]:
        """The totals other than TOTAL a criterion row is beneath: those whose id and a dot start its id."""
        found = self._beneath.get(criterion)
        if found is None:
            found = tuple(t for t in self.ids[:-1] if criterion.startswith(t + "."))
            if len(self._beneath) < _REMEMBERED:
                self._beneath[criterion] = found
        return found

    def checked(self, indicator: str) -> tuple[str, ...]:
        """The totals (TOTAL included) whose written value the self-score row of `indicator` adds to:
        those it is beneath, unless it is left out of one as not counted."""
        found = self._checked.get(indicator)
        if found is None:
            found = tuple(t for t in (*self.beneath(indicator), "TOTAL")
                          if not (self.uncounted and _left_out(t, indicator, self.uncounted)))
            if len(self._checked) < _REMEMBERED:
                self._checked[indicator] = found
        return found

    def rows(
        self,
        rows: list[CriterionScore],
        written: dict[str, list[SourcedObservation]],
        doc_rows: list[SourcedObservation],
    ) -> list[CriterionScore]:
        """Each section (cap applied) and its subsections, the bonus, then TOTAL: the counted sections
        added, weighted (`weights`) or averaged as indices (`aggregate: mean`), plus the bonus. What is
        not counted (`counted: false`, weight 0) is computed and shown, in no total."""
        rules, uncounted, num = self.rules, self.uncounted, self.num
        out: list[CriterionScore] = []
        parts: list[tuple[float, str]] = []
        precision = rules.precision
        _mark_uncounted(uncounted, rows)
        beneath: dict[str, list[CriterionScore]] = {t: [] for t in self.ids}
        beneath["TOTAL"] = rows
        for r in rows:
            for t in self.beneath(r.criterion):
                beneath[t].append(r)
        values: dict[str, list[float | None]] = {t: [] for t in self.ids}
        for so in doc_rows:
            for t in self.checked(so.obs.indicator):
                values[t].append(so.obs.value)

        def total(total_id: str, section: str, title: str, maximum: float, cap: float | None = None,
                  combined: tuple[float, str] | None = None) -> CriterionScore:
            return _total_row(total_id, section, title, maximum, beneath[total_id], values[total_id],
                              written, rules, uncounted, cap, combined)

        own = _own_maxima(rules, rows, uncounted)
        maxima: dict[str, float] = {}  # counted section → the most it can give this agency
        for section in rules.sections:
            maximum = own.get(section.id, section.max)
            cap = section.cap if section.cap is not None and section.cap < maximum else None
            effective = maximum if cap is None else cap
            row = total(section.id, section.id, section.title, maximum, cap=cap)
            if section.id in own:
                row.explanation += (f"; tối đa {num(maximum)}: chỉ các tiêu chí áp dụng cho cơ quan"
                                    f" (mục khai báo {num(section.max)})")
            out.append(row)
            points = _exact(row)
            if not section.counts:
                row.counted = False
                row.explanation += "; không tính điểm (không cộng vào tổng)"
                parts.append((0.0, f"{section.id} {num(points)} (không tính điểm)"))
                continue
            maxima[section.id] = effective
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
            for sub in section.subsections:
                out.append(total(sub.id, section.id, sub.title, sub.max))
        combined = None
        if precision.aggregate == "mean":
            counted = [p for (p, _), s in zip(parts, rules.sections, strict=True) if maxima.get(s.id)]
            mean = sum(counted) / len(counted) if counted else 0.0
            how = (f"Trung bình chỉ số các mục: ({'; '.join(t for _, t in parts)}) ÷ {len(counted)} = "
                   f"{_index_text(rules, mean)} × {num(rules.max_total)}")
            combined = (mean * rules.max_total, how)
        elif self.combines:
            how = "Theo trọng số: " + "; ".join(t for _, t in parts) if rules.weighted else \
                "Cộng các mục: " + " + ".join(t for _, t in parts)
            combined = (sum(p for p, _ in parts), how)
        if rules.bonus:
            bonus = rules.bonus
            row = total(bonus.id, bonus.id, bonus.title, bonus.cap, cap=bonus.cap)
            out.append(row)
            added = f"{bonus.id} (khuyến khích) {num(_exact(row))}"
            assert combined is not None  # a bonus always combines
            combined = (combined[0] + _exact(row),
                        f"{combined[1]}; + {added}" if precision.aggregate == "mean"
                        else f"{combined[1]}{'; ' if rules.weighted else ' + '}{added}")
        out.append(total("TOTAL", "", self.label, _total_max(rules, maxima, own), combined=combined))
        return out


_REMEMBERED = 1 << 12  # ids laid out per rule set: its criteria, and self-score rows naming none of them


def _own_maxima(rules: RuleSet, rows: list[CriterionScore], uncounted: frozenset[str]) -> dict[str, float]:
    """Section id → the sum of the maxima of this agency's counted criteria in it, where that is not
    the section's declared maximum: an agency outside the groups the sums are checked for (ranked
    apart, "Chưa xếp nhóm") is scored on the criteria naming no group only, and its maximum is theirs."""
    maxima: dict[str, list[float]] = {}
    for r in rows:
        if r.criterion not in uncounted:
            maxima.setdefault(r.section, []).append(r.max_points)
    own: dict[str, float] = {}
    for section in rules.sections:
        got = sum(maxima.get(section.id, ()))
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


def _mark_uncounted(uncounted: frozenset[str], rows: list[CriterionScore]) -> None:
    """Mark each criterion row of `uncounted` (sections and criteria not counted) "không tính điểm"."""
    if not uncounted:
        return
    for row in rows:
        if row.criterion in uncounted:
            row.counted = False
            row.explanation += "; không tính điểm (không cộng vào tổng mục và tổng điểm)"


def _exact(row: CriterionScore) -> float:
    return row.points if row.exact is None else row.exact


def _shown(rules: RuleSet) -> Callable[[float | None], str]:
    """Points as shown in total explanations: the rule set's decimals."""
    return lambda value: vi_number(value, rules.precision.decimals)


def _index_text(rules: RuleSet, value: float) -> str:
    """An index (0–1) as shown: the rule set's decimals (at least 4: an index has few digits), fixed."""
    return vi_number(value, max(rules.precision.decimals, 4), fixed=True)


def _counts_in(total_id: str, criterion: CriterionScore, uncounted: frozenset[str]) -> bool:
    """Whether a criterion row adds to this total: not `counted: false`, and for TOTAL not in a
    section that is not counted."""
    if criterion.criterion in uncounted:
        return False
    return total_id != "TOTAL" or criterion.section not in uncounted


def _left_out(total_id: str, indicator: str, uncounted: frozenset[str]) -> bool:
    """Whether a written row is outside this total as not counted: an uncounted criterion, or a row
    of an uncounted section (other than that section's own total)."""
    return any((indicator == u or indicator.startswith(u + ".")) and not (total_id + ".").startswith(u + ".")
               for u in uncounted)


def _total_row(
    total_id: str,
    section: str,
    title: str,
    max_points: float,
    beneath: list[CriterionScore],
    values: list[float | None],
    written: dict[str, list[SourcedObservation]],
    rules: RuleSet,
    uncounted: frozenset[str],
    cap: float | None = None,
    combined: tuple[float, str] | None = None,
) -> CriterionScore:
    """One total row: the sum of the counted rows `beneath` it, at most `cap` (which is then its
    maximum), or the `combined` (unrounded points, explanation) of the sections; its points rounded to
    the rule set's decimals (`exact` keeps them unrounded for ranking), and with `result: index` its
    index. Flags subtotal_mismatch when a written subtotal ≠ the (capped) sum of the written rows; a
    combined total is not compared; `values` are those of the written self-score rows it adds up."""
    decimals, num = rules.precision.decimals, _shown(rules)
    mine = [r for r in beneath if _counts_in(total_id, r, uncounted)] if uncounted else beneath
    raw = sum(r.points for r in mine)
    max_points = max_points if cap is None else cap
    exact = raw if cap is None else min(raw, cap)
    row = CriterionScore(total_id, section, title, round(exact, decimals), max_points, "total")
    row.explanation = f"Cộng {len(mine)} tiêu chí: {num(row.points)}/{num(max_points)}"
    if cap is not None and raw > cap + TOLERANCE:
        row.explanation = (f"Cộng {len(mine)} tiêu chí: {num(raw)}, giới hạn {num(cap)}"
                           f" → {num(row.points)}")
    if combined is not None:
        exact = combined[0]
        row.points = round(exact, decimals)
        row.explanation = f"{combined[1]} → {num(row.points)}/{num(max_points)}"
    elif len(mine) < len(beneath):
        counted = {id(r) for r in mine}  # by identity: rows compare by value, and that is slow
        left_out = [r.criterion for r in beneath if id(r) not in counted]
        row.explanation += f"; không tính điểm: {', '.join(left_out)}"
    row.exact = exact
    if rules.precision.index and max_points > 0:
        row.index = round(exact / max_points, decimals)
        row.explanation += f"; chỉ số {_index_text(rules, exact / max_points)}"
    decided, checks = None, written.get(total_id, [])
    if checks:
        row_sum = round(sum(v for v in values if v is not None), 2)
        row_sum = row_sum if cap is None else min(row_sum, cap)
    for so in checks:
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
