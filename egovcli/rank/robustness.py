"""How robust each place of a ranking is to the weights chosen (`egov rank --robustness N`).

Scheme (docs/rules.md, "Độ vững của thứ hạng"), as composite-indicator tools do it: in each of N
draws every counted section's weight in the total — its declared weight (`weights:`), 1 for
`aggregate: mean`, its maximum (cap) for a plain sum — is multiplied by a factor drawn uniformly in
[1 − spread, 1 + spread] (spread 0.2 by default), and the factors are renormalised so that the
weights keep their sum (the total maximum is unchanged). A plain sum scales a section's points with
its maximum: the agency keeps its share of the section. Levels, caps and the bonus are unchanged;
what is not counted stays out. Each agency's total is recomputed from its section points, and the
agencies are ranked per (period, group) as `egov rank` ranks them (the rule set's precision, the
tie rule). An agency's rank interval is the 5th and the 95th percentile of its N ranks, by the
nearest-rank method: the ⌈p/100 × N⌉-th smallest. The draws come from Python's `random.Random`
seeded with `seed` (2026 by default): the same seed gives the same intervals on every machine.

Only each agency's section points and maxima are needed (`AgencySections`), never its criterion
rows, so a national round's scores can be streamed through.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from egovcli.problems import UsageError
from egovcli.rank import tie_ranks
from egovcli.rules.model import RuleSet
from egovcli.score.model import AgencyScore
from egovcli.textnorm import vi_number

DEFAULT_SEED = 2026
DEFAULT_SPREAD = 0.2
PERCENTILES = (5, 95)
Key = tuple[str, str, str]  # period, group, agency: as `RankRow` names a ranked agency


@dataclass(frozen=True, slots=True)
class AgencySections:
    """What robustness needs of one ranked agency: its section points (cap applied; the bonus under
    its id) and the most each section gives it (its own maxima when only some criteria apply)."""

    period: str
    group: str
    agency: str
    points: Mapping[str, float]
    maxima: Mapping[str, float]


def sections_of(score: AgencyScore) -> AgencySections:
    """An agency's section points and maxima, from its score's section rows."""
    maxima = {r.criterion: r.max_points for r in score.rows
              if r.basis == "total" and r.criterion == r.section}
    return AgencySections(score.period, score.group, score.agency, score.section_points(), maxima)


def check_options(draws: int, spread: float) -> None:
    """UsageError (in Vietnamese) unless `draws` ≥ 1 and 0 ≤ `spread` < 1."""
    if draws < 1:
        raise UsageError(f"--robustness {draws}: số lần rút phải là số nguyên dương"
                         " (ví dụ --robustness 1000).")
    if not 0 <= spread < 1:
        raise UsageError(f"--robustness-spread {vi_number(spread)}: độ lệch phải từ 0 đến dưới 1"
                         " (mặc định 0,2).")


def describe(draws: int, seed: int, spread: float) -> str:
    """The scheme in one Vietnamese sentence, for the outputs that show the intervals."""
    low, high = vi_number(1 - spread), vi_number(1 + spread)
    return (f"{draws} lần rút ngẫu nhiên (seed {seed}): trọng số của mỗi mục nhân với một hệ số ngẫu nhiên"
            f" đều trong [{low}; {high}], chuẩn hóa để tổng điểm tối đa không đổi; khoảng hạng là bách"
            f" phân vị {PERCENTILES[0]} và {PERCENTILES[1]} của thứ hạng qua các lần rút (phương pháp"
            " thứ hạng gần nhất).")


def base_weights(rules: RuleSet) -> dict[str, float]:
    """Each counted section's weight in the total: its declared weight, 1 under `aggregate: mean`,
    else its maximum (cap applied)."""
    mean = rules.precision.aggregate == "mean"
    return {s.id: s.weight if s.weight is not None else 1.0 if mean else s.effective_max
            for s in rules.counted_sections}


def draw_factors(weights: Mapping[str, float], rng: random.Random, spread: float) -> dict[str, float]:
    """One draw: each section's factor, uniform in [1 − spread, 1 + spread], renormalised so that
    Σ weight × factor = Σ weight."""
    drawn = {sid: rng.uniform(1 - spread, 1 + spread) for sid in weights}
    scale = sum(weights.values()) / (sum(w * drawn[s] for s, w in weights.items()) or 1.0)
    return {sid: f * scale for sid, f in drawn.items()}


def ranking_value(agency: AgencySections, rules: RuleSet, factors: Mapping[str, float]) -> float:
    """The agency's total (its index with `result: index`) with every section's weight multiplied by
    its factor, made as the scoring makes it (`egovcli.score.totals`); factors of 1 give its total."""
    return _Weighed.of(agency, rules).value([factors[s.id] for s in rules.counted_sections])


@dataclass(frozen=True, slots=True)
class _Weighed:
    """An agency's total as a function of the counted sections' factors, with what does not depend
    on them worked out once (a draw only multiplies): each section that applies to it gives
    `points × factor` to the total and `most × factor` to its maximum, in the rule set's order, the
    same operations in the same order as the scoring's, so the same floats."""

    terms: tuple[tuple[int, float, float], ...]  # (section's place among the counted, points, most)
    mean: bool  # `aggregate: mean`: the total is the weighted mean × the rule set's maximum
    max_total: float
    bonus: float | None  # its bonus points, when the rule set has a bonus
    index: bool  # `result: index`: total ÷ the most it could give (own maxima) or the rule set's maximum
    own: bool  # some section's maximum is the agency's own (only some of its criteria apply)

    @classmethod
    def of(cls, agency: AgencySections, rules: RuleSet) -> _Weighed:
        mean = rules.precision.aggregate == "mean"
        terms: list[tuple[int, float, float]] = []
        own = False
        for i, s in enumerate(rules.counted_sections):
            maximum = agency.maxima.get(s.id, s.effective_max)
            own = own or abs(maximum - s.effective_max) > 1e-9
            if not maximum:  # no criterion of it applies to the agency: it neither gives nor counts
                continue
            points = agency.points.get(s.id, 0.0)
            if s.weight is not None:
                terms.append((i, points / maximum * s.weight, s.weight))
            elif mean:
                terms.append((i, points / maximum, 1.0))
            else:
                terms.append((i, points, maximum))
        bonus = agency.points.get(rules.bonus.id, 0.0) if rules.bonus else None
        return cls(tuple(terms), mean, rules.max_total, bonus, rules.precision.index, own)

    def value(self, factors: list[float]) -> float:
        """The total (or index) with the counted sections' `factors`, in the rule set's order."""
        total = most = 0.0
        for i, points, maximum in self.terms:
            factor = factors[i]
            total, most = total + points * factor, most + maximum * factor
        if self.mean:
            total, most = (total / most * self.max_total if most else 0.0), self.max_total
        if self.bonus is not None:
            total += self.bonus
        if not self.index:
            return total
        top = most if self.own else self.max_total
        return total / top if top else 0.0


def percentile(ranks: list[int], p: float) -> int:
    """The nearest-rank p-th percentile: the ⌈p/100 × n⌉-th smallest of `ranks` (not empty)."""
    ordered = sorted(ranks)
    return ordered[min(max(math.ceil(p / 100 * len(ordered)), 1), len(ordered)) - 1]


def rank_intervals(
    agencies: Iterable[AgencySections],
    rules: RuleSet,
    draws: int,
    *,
    seed: int = DEFAULT_SEED,
    spread: float = DEFAULT_SPREAD,
    ties: str = "competition",
) -> dict[Key, tuple[int, int]]:
    """Each agency's rank interval (5th, 95th percentile of its rank) over `draws` perturbations of
    the section weights (the module's scheme), ranked per (period, group) with `ties` and the rule
    set's precision. The same `seed` gives the same result. UsageError for draws < 1 or a spread
    outside [0, 1)."""
    check_options(draws, spread)
    buckets: dict[tuple[str, str], list[tuple[str, _Weighed]]] = {}
    for agency in agencies:
        weighed = _Weighed.of(agency, rules)
        buckets.setdefault((agency.period, agency.group), []).append((agency.agency, weighed))
    weights = base_weights(rules)
    precision = rules.precision
    rng = random.Random(seed)
    ranks: dict[Key, list[int]] = {}
    for _ in range(draws):
        drawn = draw_factors(weights, rng, spread)  # one draw weighs every group alike
        factors = [drawn[s.id] for s in rules.counted_sections]
        for (period, group), members in sorted(buckets.items()):
            values = {name: weighed.value(factors) for name, weighed in members}
            found = tie_ranks(values, ties, precision.decimals, precision.tie_tolerance)
            for name, (rank, _) in found.items():
                ranks.setdefault((period, group, name), []).append(rank)
    return {k: (percentile(v, PERCENTILES[0]), percentile(v, PERCENTILES[1])) for k, v in ranks.items()}
