"""Rank stage: agency totals → ranks per group (competition or dense ranking), optional levels,
and each agency's change since the previous period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from egovcli import groups
from egovcli.rank.model import RankRow
from egovcli.rank.previous import compare_with_previous as compare_with_previous  # its home before
from egovcli.score.model import AgencyScore
from egovcli.textnorm import key

TIES = ("competition", "dense")
T = TypeVar("T", bound=Hashable)


def level_for(total: float, levels: Sequence[tuple[float, str]] | None) -> str:
    """Name of the highest threshold (min_points, name) that `total` reaches; "" if none."""
    for min_points, name in sorted(levels or (), key=lambda lv: lv[0], reverse=True):
        if round(total, 2) >= round(min_points, 2):
            return name
    return ""


def tie_ranks(
    totals: Mapping[T, float], ties: str = "competition", decimals: int = 2
) -> dict[T, tuple[int, int]]:
    """Each key's (rank, last position of its tie block), highest total first, totals compared after
    rounding to `decimals`: `competition` gives tied keys the better rank and skips the next (1, 2, 2,
    4), `dense` does not skip (1, 2, 2, 3). The one ranking rule of `rank_scores` and of `egov
    verify` (which rebuilds printed ranks); raises ValueError for an unknown `ties` mode."""
    if ties not in TIES:
        raise ValueError(f"ties must be one of {TIES}, not {ties!r}")
    rounded = {k: round(total, decimals) for k, total in totals.items()}
    sizes = Counter(rounded.values())
    blocks: dict[float, tuple[int, int]] = {}
    last = 0
    for dense, total in enumerate(sorted(sizes, reverse=True), start=1):
        blocks[total] = (last + 1 if ties == "competition" else dense, last + sizes[total])
        last += sizes[total]
    return {k: blocks[total] for k, total in rounded.items()}


def by_rank(
    totals: Mapping[str, float], ties: str = "competition", decimals: int = 2
) -> list[tuple[str, int, int]]:
    """(agency, rank, last position of its tie) best first (`tie_ranks`); within a tie by name,
    accent- and case-insensitively, so that the order never depends on the input's."""
    ranks = tie_ranks(totals, ties, decimals)
    return [(a, *ranks[a]) for a in sorted(ranks, key=lambda a: (ranks[a][0], key(a), a))]


def rank_scores(
    scores: list[AgencyScore],
    ties: str = "competition",
    levels: Sequence[tuple[float, str]] | None = None,
    ranked: Sequence[groups.Group] = (),
) -> list[RankRow]:
    """Rank agencies by total points (`tie_ranks`, totals rounded to 2 decimals), each (period,
    group) separately, groups in the order of the rule set's `ranked` groups, else the registry's
    (departments before districts), each titled as they title it.

    Within a tie, agencies are ordered by name, accent- and case-insensitively. The result does not
    depend on input order. Raises ValueError for an unknown `ties` mode or an agency scored twice in
    one group and period.
    """
    if ties not in TIES:
        raise ValueError(f"ties must be one of {TIES}, not {ties!r}")
    buckets: dict[tuple[str, str], list[AgencyScore]] = {}
    for score in scores:
        buckets.setdefault((score.period, score.group), []).append(score)

    out: list[RankRow] = []
    for period, group in sorted(buckets, key=lambda pg: (pg[0], groups.order(pg[1], ranked))):
        members = {s.agency: s for s in buckets[(period, group)]}
        names = sorted(key(s.agency) for s in buckets[(period, group)])
        if dup := next((n for n, after in zip(names, names[1:], strict=False) if n == after), None):
            shown = next(s.agency for s in buckets[(period, group)] if key(s.agency) == dup)
            raise ValueError(f"Cơ quan {shown!r} có hai bộ điểm trong nhóm {group!r}, kỳ {period!r}")
        for agency, rank, _ in by_rank({a: s.total for a, s in members.items()}, ties):
            score = members[agency]
            total = round(score.total, 2)
            out.append(
                RankRow(
                    rank=rank,
                    agency=score.agency,
                    group=group,
                    group_label=groups.label(group, ranked),
                    period=period,
                    total=total,
                    max_total=score.max_total,
                    level=level_for(total, levels),
                    sections=score.section_points(),
                )
            )
    return out
