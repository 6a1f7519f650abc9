"""Checks of published ranking tables (`published_score` observations) against a rule set.

A domain table's indicators are "<section>.<column>" ("2.1.3"), "<section>.TOTAL" and
"<section>.RANK"; every other published indicator ("TOTAL", "RANK", "1.3") belongs to the overall
table, whose score columns are, in printed order, the sections' totals. Tables are told apart by
source file and agency group (departments and districts are ranked separately).

The tables are read by `tables`, the domain tables checked by `domains`, the overall table by
`overall`; this module runs them and rebuilds the overall ranking.
"""

from __future__ import annotations

from collections.abc import Mapping

from egovcli import groups
from egovcli.model import SourcedObservation
from egovcli.rank import by_rank
from egovcli.rank.model import RankRow
from egovcli.rules import RuleSet
from egovcli.verify.domains import check_domains
from egovcli.verify.overall import check_overall
from egovcli.verify.printed import MISFIT_SHARE, Checked, RulesMisfitError, check_printed
from egovcli.verify.tables import OVERALL, Finding, Row, TableKey, read_tables


def verify_published(observations: list[SourcedObservation], rules: RuleSet | None = None) -> list[Finding]:
    """Every finding about the published tables in `observations`: those of the domain tables
    (rows in printed order), then those of the overall tables."""
    return check_published(observations, rules).findings


def check_published(observations: list[SourcedObservation], rules: RuleSet | None = None) -> Checked:
    """The findings of `verify_published`, and what could not be checked. An overall table printed
    with its domain tables is checked against them and the rule set (`check_overall`); one printed
    alone (a national ranking, a top-10 excerpt) against itself and, when given, the rule set's
    sections (`check_printed`). Raises RulesMisfitError when the rule set does not fit the tables."""
    tables = read_tables(observations, rules)
    sections = rules.sections if rules else ()
    findings, parts = check_domains(tables, rules) if rules else ([], {})
    if rules:
        _check_fit(tables, findings, rules)
    notes = [
        f"Tệp không in bảng {s.id} «{s.title}» (nhóm {group or 'chưa xếp nhóm'}): không tính được "
        "tổng điểm chung."
        for (source, group) in parts
        for s in sections
        if (source, group, s.id) not in tables
    ]
    for (source, group, table), rows in tables.items():
        if table != OVERALL and rules:
            continue
        domains = {s.id: tables.get((source, group, s.id), {}) for s in sections}
        if any(domains.values()) and rules:
            findings += check_overall(rows, rules.sections, parts.get((source, group), {}), domains)
        else:
            checked = check_printed(rows, rules, _title(rows), table)
            findings += checked.findings
            notes += checked.notes
    return Checked(findings, notes)


def _title(rows: Mapping[str, Row]) -> str:
    """The table's heading as printed above it, else "Bảng xếp hạng"."""
    first = next(iter(rows.values()))
    heading = next(iter(first.cells.values())).obs.note
    return f"Bảng «{heading}»" if heading else "Bảng xếp hạng"


def _check_fit(tables: Mapping[TableKey, Mapping[str, Row]], findings: list[Finding], rules: RuleSet) -> None:
    """A domain table whose rows mostly exceed the rule set's maxima was scored by another rule set."""
    over: dict[str, set[str]] = {}
    for finding in findings:
        if finding.kind == "over_max":
            over.setdefault(finding.item.rpartition(".")[0], set()).add(finding.agency)
    for (_, _, table), rows in tables.items():
        if table != OVERALL and len(over.get(table, ())) > MISFIT_SHARE * len(rows):
            raise RulesMisfitError(
                f"Bảng {table}: {len(over[table])}/{len(rows)} dòng vượt điểm tối đa của bộ tiêu chí "
                f"{rules.name}: bộ tiêu chí không khớp với bảng; chọn bộ tiêu chí khác hoặc bỏ --rules."
            )


def rebuild_overall(observations: list[SourcedObservation], rules: RuleSet | None) -> list[RankRow]:
    """The overall ranking per period and group rebuilt from the criterion cells: each domain total
    recomputed (cells clamped to their maximum), summed over the sections; only agencies with a row
    in every domain table. Competition ranking on totals rounded to 2 decimals, ties by name; none
    without a rule set."""
    if rules is None:
        return []
    tables = read_tables(observations, rules)
    _, parts = check_domains(tables, rules)
    periods = {
        (source, group, row.agency): row.period
        for (source, group, _), rows in tables.items()
        for row in rows.values()
    }
    buckets: dict[tuple[str, str], dict[str, dict[str, float]]] = {}
    for (source, group), agencies in parts.items():
        for agency, points in agencies.items():
            if len(points) == len(rules.sections):
                buckets.setdefault((periods[(source, group, agency)], group), {})[agency] = points
    out: list[RankRow] = []
    for period, group in sorted(buckets, key=lambda pg: (pg[0], groups.order(pg[1], rules.groups))):
        agencies = buckets[(period, group)]
        totals = {agency: round(sum(points.values()), 2) for agency, points in agencies.items()}
        for agency, rank, _ in by_rank(totals):
            sections = {s.id: agencies[agency][s.id] for s in rules.sections}
            out.append(
                RankRow(
                    rank,
                    agency,
                    group,
                    period,
                    totals[agency],
                    rules.max_total,
                    groups.label(group, rules.groups),
                    sections=sections,
                )
            )
    return out
