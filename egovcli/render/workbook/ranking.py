"""The ranking sheets: one per agency group (and period), as a Sở publishes each group's table — rank,
agency, section points (indices with `result: index`), total, level, rank interval, change since the
previous period. `egov verify` reads each sheet as one printed table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from egovcli.rank.model import RankRow
from egovcli.render.summary import change, section_heading
from egovcli.render.workbook.layout import HEADER_ROW, Sheet, put
from egovcli.rules.model import RuleSet
from egovcli.textnorm import vi_number

INTERVAL_HEADER = "Khoảng hạng (5–95%)"  # `egov rank --robustness N`: egovcli.rank.robustness


def index_format(rules: RuleSet) -> str:
    """The number format of an index cell: the rule set's decimals, fixed ("0.0000")."""
    decimals = rules.precision.decimals
    return "0." + "0" * decimals if decimals else "0"


def maximum(sid: str, max_points: float, uncounted: frozenset[str], unit: str = "") -> str:
    """"tối đa 100", with "không tính điểm" for a section that is not counted."""
    return f"tối đa {vi_number(max_points)}{unit}" + ("; không tính điểm" if sid in uncounted else "")


def ranking_sheet(
    ws: Any,
    rows: list[RankRow],
    sections: Sequence[tuple[str, str, float]],
    subtitle: str,
    rules_title: str,
    st: dict[str, Any],
    rules: RuleSet | None,
) -> None:
    """One group's ranking in one period: a row per agency, the header frozen and repeated."""
    uncounted = rules.uncounted if rules else frozenset()
    fmt = index_format(rules) if rules and rules.precision.index else None
    has_levels = any(r.level for r in rows)
    has_interval = any(r.rank_low is not None for r in rows)
    has_previous = any(r.previous_period for r in rows)
    has_notes = any(r.predecessors for r in rows)  # a merged or renamed agency: with what it is compared
    maxima = {r.max_total for r in rows}
    labels: list[tuple[str, float]] = [("Xếp hạng", 8), ("Cơ quan", 36)]
    if fmt:  # `result: index`: the sections and the total as indices (0–1) of their maxima
        labels += [(f"{section_heading(sid, t)}\n(chỉ số"
                    + ("; không tính điểm)" if sid in uncounted else ")"), 12) for sid, t, _ in sections]
        labels += [("Chỉ số", 10)]
    else:
        labels += [(f"{section_heading(sid, t)}\n({maximum(sid, m, uncounted)})", 12)
                   for sid, t, m in sections]
        top = f"\n(tối đa {vi_number(next(iter(maxima)))})" if len(maxima) == 1 else ""
        labels += [(f"Tổng điểm{top}", 10)]
    labels += [("Điểm tối đa", 9)] if len(maxima) > 1 else []  # an agency scored out of its own maxima
    labels += [("Xếp loại", 12)] if has_levels else []
    labels += [(INTERVAL_HEADER, 10)] if has_interval else []
    if has_previous:
        labels += [("Kỳ trước", 8), ("Hạng kỳ trước", 8), ("Thay đổi hạng", 8), ("Tổng điểm kỳ trước", 10),
                   ("Thay đổi điểm", 9)]
    labels += [("So với kỳ trước", 30)] if has_notes else []
    first = rows[0] if rows else None
    title = "Kết quả xếp hạng" + (f": {first.group_label}, kỳ {first.period}" if first else "")
    sheet = Sheet(ws, labels, st).begin(title, subtitle, rules_title, f"C{HEADER_ROW + 1}")
    ncols = len(labels)
    total_col = 3 + len(sections)
    for r in rows:
        values: list[object] = [r.rank, r.agency]
        if fmt:
            values += [r.section_indices.get(sid) for sid, _, _ in sections] + [r.index]
        else:
            values += [r.sections.get(sid) for sid, _, _ in sections] + [r.total]
        values += [r.max_total] if len(maxima) > 1 else []
        values += [r.level] if has_levels else []
        values += [r.rank_interval] if has_interval else []
        if has_previous:  # changes as signed text ("+2", "-1,5"): a sign is what readers look for
            values += [r.previous_period, r.previous_rank, change(r.rank_change), r.previous_total,
                       change(r.total_change)]
        values += [r.previous_note] if has_notes else []
        cells = []
        for col, value in enumerate(values, start=1):
            font = "bold" if col == total_col else "text"
            align = "wrap" if col == 2 or col == ncols and has_notes else "centre"
            cell = put(ws, value, st, font, "border", align)
            if fmt and 3 <= col <= total_col:
                cell.number_format = fmt
            cells.append(cell)
        sheet.add(cells)
    sheet.end()


def by_table(ranking: list[RankRow]) -> list[list[RankRow]]:
    """The ranking cut into its tables, one per (period, group), the latest period first, groups in
    ranking order (the rule set's)."""
    tables: list[list[RankRow]] = []
    for row in ranking:
        if not tables or (tables[-1][0].period, tables[-1][0].group) != (row.period, row.group):
            tables.append([])
        tables[-1].append(row)
    periods = sorted({t[0].period for t in tables}, reverse=True)
    return sorted(tables, key=lambda t: periods.index(t[0].period))  # stable: groups keep their order
