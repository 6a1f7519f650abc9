"""Rank stage: agency totals → ranks per group (competition or dense ranking), optional levels,
and each agency's change since the previous period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from egovcli import groups
from egovcli.rank.model import RankRow
from egovcli.rank.previous import compare_with_previous as compare_with_previous  # its home before
from egovcli.rules.model import Precision
from egovcli.score.model import AgencyScore, AgencyTotals
from egovcli.textnorm import key

TIES = ("competition", "dense")
T = TypeVar("T", bound=Hashable)


def level_for(total: float, levels: Sequence[tuple[float, str]] | None, decimals: int = 2) -> str:
    """Name of the highest threshold (min_points, name) that `total` reaches at `decimals`; "" if none."""
    for min_points, name in sorted(levels or (), key=lambda lv: lv[0], reverse=True):
        if round(total, decimals) >= round(min_points, decimals):
            return name
    return ""


def tie_ranks(
    totals: Mapping[T, float], ties: str = "competition", decimals: int = 2, tolerance: float | None = None
) -> dict[T, tuple[int, int]]:
    """Each key's (rank, last position of its tie block), highest total first. Totals are compared
    unrounded, tied at the declared precision: equal when rounded to `decimals`, or — when a
    `tolerance` is given instead — closer than it to the best total of their block (so a block never
    drifts down a chain of close totals). `competition` gives tied keys the better rank and skips the
    next (1, 2, 2, 4), `dense` does not skip (1, 2, 2, 3). The one ranking rule of `rank_scores` and
    of `egov verify` (which rebuilds printed ranks); raises ValueError for an unknown `ties` mode."""
    if ties not in TIES:
        raise ValueError(f"ties must be one of {TIES}, not {ties!r}")
    block: dict[float, int] = {}  # each distinct total → its tie block, 0 the best
    top, current = None, -1
    for total in sorted(set(totals.values()), reverse=True):
        if top is None or not _tied(top, total, decimals, tolerance):
            top, current = total, current + 1
        block[total] = current
    sizes = Counter(block[total] for total in totals.values())
    ranks: dict[int, tuple[int, int]] = {}
    last = 0
    for dense, b in enumerate(sorted(sizes), start=1):
        ranks[b] = (last + 1 if ties == "competition" else dense, last + sizes[b])
        last += sizes[b]
    return {k: ranks[block[total]] for k, total in totals.items()}


def _tied(top: float, total: float, decimals: int, tolerance: float | None) -> bool:
    """Whether `total` (≤ `top`, the best of its block) ties with it at the declared precision."""
    if tolerance is None:
        return round(top, decimals) == round(total, decimals)
    return top - total < tolerance - 1e-12  # "closer than": a float difference a hair under is not


def by_rank(
    totals: Mapping[str, float], ties: str = "competition", decimals: int = 2, tolerance: float | None = None
) -> list[tuple[str, int, int]]:
    """(agency, rank, last position of its tie) best first (`tie_ranks`); within a tie by name,
    accent- and case-insensitively, so that the order never depends on the input's."""
    ranks = tie_ranks(totals, ties, decimals, tolerance)
    return [(a, *ranks[a]) for a in sorted(ranks, key=lambda a: (ranks[a][0], key(a), a))]


def rank_scores(
    scores: Sequence[AgencyScore | AgencyTotals],
    ties: str = "competition",
    levels: Sequence[tuple[float, str]] | None = None,
    ranked: Sequence[groups.Group] = (),
    precision: Precision | None = None,
) -> list[RankRow]:
    """Rank agencies (their scores, or only what ranks them: `AgencyTotals`) by their unrounded total
    points — or index (points ÷ max) with `result: index`
    — tied at the rule set's `precision` (`tie_ranks`: 2 decimals by default), each (period, group)
    separately, groups in the order of the rule set's `ranked` groups, else the registry's
    (departments before districts), each titled as they title it.

    Within a tie, agencies are ordered by name, accent- and case-insensitively. The result does not
    depend on input order. Raises ValueError for an unknown `ties` mode or an agency scored twice in
    one group and period.
    """
    if ties not in TIES:
        raise ValueError(f"ties must be one of {TIES}, not {ties!r}")
    buckets: dict[tuple[str, str], list[AgencyScore | AgencyTotals]] = {}
    for score in scores:
        buckets.setdefault((score.period, score.group), []).append(score)

    precision = precision or Precision()
    decimals = precision.decimals
    out: list[RankRow] = []
    for period, group in sorted(buckets, key=lambda pg: (pg[0], groups.order(pg[1], ranked))):
        members = {s.agency: s for s in buckets[(period, group)]}
        names = sorted(key(s.agency) for s in buckets[(period, group)])
        if dup := next((n for n, after in zip(names, names[1:], strict=False) if n == after), None):
            shown = next(s.agency for s in buckets[(period, group)] if key(s.agency) == dup)
            raise ValueError(f"Cơ quan {shown!r} có hai bộ điểm trong nhóm {group!r}, kỳ {period!r}")
        values = {a: s.ranking_value(precision.index) for a, s in members.items()}
        label = groups.label(group, ranked)
        for agency, rank, _ in by_rank(values, ties, decimals, precision.tie_tolerance):
            score = members[agency]
            total = round(score.total, decimals)
            out.append(
                RankRow(
                    rank=rank,
                    agency=score.agency,
                    group=group,
                    group_label=label,
                    period=period,
                    total=total,
                    max_total=score.max_total,
                    level=level_for(total, levels, decimals),
                    sections=score.section_points(),
                    index=round(values[agency], decimals) if precision.index else None,
                    section_indices=score.section_indices() if precision.index else {},
                )
            )
    return out
