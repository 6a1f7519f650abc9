"""Checks of the domain tables: each cell against its criterion's maximum, each row's «Tổng điểm»
against the sum of its cells, and the printed order and ranks against the totals."""

from __future__ import annotations

from collections.abc import Mapping

from egovcli.model import SourcedObservation
from egovcli.rank import tie_ranks
from egovcli.rules import Criterion, RuleSet
from egovcli.textnorm import key
from egovcli.verify.tables import OVERALL, Finding, Parts, Row, TableKey, differs, shown, table_places


def check_domains(
    tables: Mapping[TableKey, Mapping[str, Row]], rules: RuleSet
) -> tuple[list[Finding], Parts]:
    """Findings of the domain tables, and each agency's recomputed domain totals."""
    findings: list[Finding] = []
    parts: Parts = {}
    for (source, group, table), rows in tables.items():
        if table == OVERALL:
            continue
        criteria = [c for c in rules.criteria if c.section == table]
        places = table_places(rows)  # compared at the precision the table is printed in
        for row in rows.values():
            total, row_findings = _check_row(row, table, criteria, places)
            findings += row_findings
            parts.setdefault((source, group), {}).setdefault(row.agency, {})[table] = total
        findings += _check_order(rows, table, places)
    for (source, group), agencies in parts.items():
        printed = {table for (s, g, table) in tables if (s, g) == (source, group)}
        for agency, points in agencies.items():
            for section in rules.sections:
                if section.id not in points and section.id in printed:  # a table not printed: said once
                    findings.append(
                        Finding(
                            agency,
                            section.id,
                            "missing_value",
                            None,
                            None,
                            "",
                            source,
                            f"{agency} không có dòng trong bảng {section.id} «{section.title}» "
                            f"(nhóm {group}): không tính được tổng điểm chung.",
                        )
                    )
    return findings, parts


def _cell_of(row: Row, criterion: Criterion, section: str) -> SourcedObservation | None:
    """The row's cell for `criterion`: by id, else by the column's label (a column printed under
    another number, e.g. "(6)" for 2.2.5), spaces ignored (pdf text may split words)."""
    if criterion.id in row.cells:
        return row.cells[criterion.id]
    wanted = key(criterion.label).replace(" ", "")
    return next(
        (
            cell
            for indicator, cell in row.cells.items()
            if indicator.startswith(section + ".") and key(cell.obs.label).replace(" ", "") == wanted
        ),
        None,
    )


def _check_row(row: Row, section: str, criteria: list[Criterion], places: int) -> tuple[float, list[Finding]]:
    """The row's recomputed total (each cell clamped to [0, max]) and its findings, the total compared
    at the table's printed precision (`places` decimals)."""
    findings: list[Finding] = []
    total = 0.0
    over: list[str] = []
    for criterion in criteria:
        cell = _cell_of(row, criterion, section)
        value = cell.obs.value if cell else None
        if cell is None or value is None:
            findings.append(
                Finding(
                    row.agency,
                    criterion.id,
                    "missing_value",
                    criterion.max,
                    None,
                    cell.obs.location if cell else row.location(f"{section}.TOTAL"),
                    row.source_file,
                    f"Bảng {section}, {row.agency}: thiếu điểm tiêu chí {criterion.id} «{criterion.label}»"
                    + (f" (in «{cell.obs.raw_value}»)" if cell else "")
                    + "; tính 0.",
                )
            )
            continue
        points = min(max(value, 0.0), criterion.max)
        total += points
        if value > criterion.max:
            over.append(criterion.id)
            findings.append(
                Finding(
                    row.agency,
                    cell.obs.indicator,
                    "over_max",
                    criterion.max,
                    value,
                    cell.obs.location,
                    row.source_file,
                    f"Bảng {section}, {row.agency}: tiêu chí {criterion.id} «{criterion.label}» in "
                    f"«{cell.obs.raw_value}», vượt điểm tối đa {shown(criterion.max)}; "
                    f"tính {shown(criterion.max)}.",
                )
            )
    total = round(total, max(places, 2))
    printed = row.value(f"{section}.TOTAL")
    if printed is None:
        findings.append(
            Finding(
                row.agency,
                f"{section}.TOTAL",
                "missing_value",
                total,
                None,
                row.location(f"{section}.TOTAL"),
                row.source_file,
                f"Bảng {section}, {row.agency}: không in «Tổng điểm»; các ô điểm cộng lại {shown(total)}.",
            )
        )
    elif differs(total, printed, places):
        capped = f" (ô {', '.join(over)} tính bằng điểm tối đa)" if over else ""
        findings.append(
            Finding(
                row.agency,
                f"{section}.TOTAL",
                "total_mismatch",
                total,
                printed,
                row.location(f"{section}.TOTAL"),
                row.source_file,
                f"Bảng {section}, {row.agency}: các ô điểm cộng lại {shown(total)}{capped}, "
                f"«Tổng điểm» in {shown(printed)} (lệch {printed - total:+.1f}).",
            )
        )
    return total, findings


def _check_order(rows: Mapping[str, Row], section: str, places: int) -> list[Finding]:
    """Printed ranks ("<section>.RANK") against the competition ranking of the printed totals (tied
    when equal at the table's printed precision, `places` decimals); a
    table without a rank column is a ranking by its row order (TT): a row printed outside the
    positions its total earns (its tie block) is out of place."""
    rank_id, total_id = f"{section}.RANK", f"{section}.TOTAL"
    totals = {a: t for a, row in rows.items() if (t := row.value(total_id)) is not None}
    ranks = tie_ranks(totals, decimals=places)
    has_rank = any(rank_id in row.cells for row in rows.values())
    findings: list[Finding] = []
    for agency, (rank, last) in ranks.items():
        row = rows[agency]
        tie = f" (đồng hạng, vị trí {rank}–{last})" if last > rank else ""
        if has_rank:
            printed = row.value(rank_id)
            if printed is not None and printed != rank:
                findings.append(
                    Finding(
                        agency,
                        rank_id,
                        "rank_mismatch",
                        rank,
                        printed,
                        row.location(rank_id),
                        row.source_file,
                        f"Bảng {section}: {agency} có «Tổng điểm» {shown(totals[agency])}, "
                        f"xếp thứ {rank}{tie}, "
                        f"bảng in hạng {shown(printed)}.",
                    )
                )
        elif row.ref.isdigit() and not rank <= int(row.ref) <= last:
            findings.append(
                Finding(
                    agency,
                    total_id,
                    "rank_mismatch",
                    rank,
                    float(row.ref),
                    row.location(total_id),
                    row.source_file,
                    f"Bảng {section} xếp theo thứ tự TT: {agency} in ở TT {row.ref} với «Tổng điểm» "
                    f"{shown(totals[agency])}, theo điểm xếp thứ {rank}{tie}.",
                )
            )
    return findings
