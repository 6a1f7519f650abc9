"""Each ranked agency's change since the previous period of the same kind: against its own row,
against its former name's row (renamed), or against the mean of its predecessors (merged, as the
national DTI compared merged provinces in 2024). Ranks are compared only for the same agency or a
renamed one: a merged unit has no previous rank (ranks of several units cannot be averaged)."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Sequence
from datetime import date
from math import fsum

from egovcli.agencies import agency_key
from egovcli.lineage import Lineage, Predecessor
from egovcli.rank.model import MERGED_MEAN, RENAMED, SAME, RankRow

_PERIOD = re.compile(r"^(\d{4})(?:-([QH])(\d)|(.*))$")  # "2022", "2020-Q2", "2020-H1", "2020-9M"


def _kind(period: str) -> str | None:
    """What a period is compared with: "" (years), "Q" (quarters), "H" (halves), "-9M" (the same
    months of other years); None for a period egov did not name."""
    match = _PERIOD.match(period)
    return None if match is None else match.group(2) or match.group(4)


def _bounds(period: str) -> tuple[str, str]:
    """The first and last day of a period egov named (ISO): "2024" → 2024-01-01, 2024-12-31;
    "2024-Q3" → 2024-07-01, 2024-09-30; "2024-H1" → 2024-01-01, 2024-06-30; "2024-9M" → the year."""
    match = _PERIOD.match(period)
    assert match is not None  # only periods `_kind` accepts are compared
    year, part, n = int(match.group(1)), match.group(2), int(match.group(3) or 1)
    months = {"Q": 3, "H": 6}.get(part or "", 12)
    first, last = months * (n - 1) + 1, months * n
    return date(year, first, 1).isoformat(), date(year, last, monthrange(year, last)[1]).isoformat()


def _use_lineage(item: Lineage, previous: str, own: RankRow | None) -> bool:
    """Whether `previous` is compared through the lineage: it ended before the merger or rename
    took effect; not when it began on or after it; a period that straddles it (or no `since`):
    only when the agency has no row of its own there (its report may already be the new unit's)."""
    start, end = _bounds(previous)
    if item.since and end < item.since:
        return True
    return own is None and not (item.since and start >= item.since)


def compare_with_previous(ranking: list[RankRow], lineage: Sequence[Lineage] = (), decimals: int = 2) -> None:
    """Fill each row's previous_* and *_change from the latest earlier period of the same kind: 2021
    for 2022, 2020-Q1 for 2020-Q2 (never a quarter against a year). Agencies absent keep None.

    - The same agency (same group): the same `agency_key` ("Sở Kế hoạch và Đầu tư tỉnh Hà Nam" in
      one year, "Sở Kế hoạch - Đầu tư" in the next).
    - An agency with a `Lineage` (agencies.csv), when the previous period ended before its `since`
      (straddling it, or without `since`: when it has no row of its own there; `_use_lineage`):
      merged — the previous total is the
      mean of its predecessors' totals (those present; the note names the missing ones), no previous
      rank; renamed — its former name's row, rank and total. Predecessors are found in any group
      by the `agency_key` of any of their spellings.
    `previous_note` says so in Vietnamese ("hợp nhất từ A, B (trung bình)", "trước đây: A")."""
    periods: dict[tuple[str, str], list[str]] = {}  # (group, kind) → periods, ascending
    anywhere: dict[str, list[str]] = {}  # kind → periods of any group, ascending
    for period, group in sorted({(r.period, r.group) for r in ranking}):
        kind = _kind(period)
        if kind is not None:
            periods.setdefault((group, kind), []).append(period)
            if period not in anywhere.get(kind, []):
                anywhere.setdefault(kind, []).append(period)
    if all(len(found) < 2 for found in anywhere.values()):
        return  # one period of each kind (a round ranked alone): nothing earlier to compare with
    keys = [agency_key(r.agency) for r in ranking]  # once per row: the costliest step here
    rows = {(r.period, r.group, k): r for r, k in zip(ranking, keys, strict=True)}
    in_period: dict[tuple[str, str], RankRow] = {}  # (period, key) → row, any group
    for r, k in zip(ranking, keys, strict=True):
        in_period.setdefault((r.period, k), r)
    formed = {k: item for item in lineage for k in item.keys}
    for r, k in zip(ranking, keys, strict=True):
        kind = _kind(r.period)
        if kind is None:
            continue
        item = formed.get(k)
        candidates = anywhere[kind] if item else periods[(r.group, kind)]
        earlier = [p for p in candidates if p < r.period]
        if not earlier:
            continue
        r.previous_period = earlier[-1]
        own = rows.get((earlier[-1], r.group, k))
        if item and _use_lineage(item, earlier[-1], own):
            _compare_with_lineage(r, item, in_period, decimals)
        elif own is not None:
            _compare(r, own, SAME, decimals)


def _compare(r: RankRow, before: RankRow, basis: str, decimals: int) -> None:
    """r against one row of the previous period; ranks only within one group."""
    if before.group == r.group:
        r.previous_rank, r.rank_change = before.rank, before.rank - r.rank
    r.previous_total, r.total_change = before.total, round(r.total - before.total, decimals)
    r.previous_basis = basis


def _compare_with_lineage(
    r: RankRow, item: Lineage, in_period: dict[tuple[str, str], RankRow], decimals: int
) -> None:
    def found(unit: Predecessor) -> RankRow | None:
        return next((row for k in unit.keys if (row := in_period.get((r.previous_period, k)))), None)

    # merged: its former names are predecessors too ("Sở Nông nghiệp và Môi trường", renamed from
    # Sở Nông nghiệp và Phát triển nông thôn, merged from Sở Tài nguyên và Môi trường); each unit once
    listed = (*item.renamed_from, *item.merged_from) if item.merged_from else item.renamed_from
    units = [u for i, u in enumerate(listed) if not any(set(u.keys) & set(v.keys) for v in listed[:i])]
    names = ", ".join(u.name for u in units)
    r.predecessors = [u.name for u in units]
    present = [(u, row) for u in units if (row := found(u)) is not None]
    if not item.merged_from:  # renamed: its former name's row, the first one listed that is there
        if not present:
            r.previous_note = f"trước đây: {names}; kỳ {r.previous_period} không có"
            return
        former, before = present[0]
        _compare(r, before, RENAMED, decimals)
        r.previous_note = f"trước đây: {former.name}"
        return
    missing = ", ".join(u.name for u in units if found(u) is None)
    if not present:
        r.previous_note = f"hợp nhất từ {names}; kỳ {r.previous_period} không có đơn vị nào"
        return
    mean = fsum(row.total for _, row in present) / len(present)
    r.previous_total, r.total_change = round(mean, decimals), round(r.total - mean, decimals)
    r.previous_basis = MERGED_MEAN
    of = ", ".join(u.name for u, _ in present)
    detail = f" của {of}; kỳ {r.previous_period} không có {missing}" if missing else ""
    r.previous_note = f"hợp nhất từ {names} (trung bình{detail})"
