"""Checks of published ranking tables (`published_score` observations) against a rule set.

A domain table's indicators are "<section>.<column>" ("2.1.3"), "<section>.TOTAL" and
"<section>.RANK"; every other published indicator ("TOTAL", "RANK", "1.3") belongs to the overall
table, whose score columns are, in printed order, the sections' totals. Tables are told apart by
source file and agency group (departments and districts are ranked separately).

The tables are read by `tables`, the domain tables checked by `domains`, the overall table by
`overall`; this module runs them and rebuilds the overall ranking.
"""

from __future__ import annotations

from egovcli import groups
from egovcli.model import SourcedObservation
from egovcli.rank import by_rank
from egovcli.rank.model import RankRow
from egovcli.rules import RuleSet
from egovcli.verify.domains import check_domains
from egovcli.verify.overall import check_overall
from egovcli.verify.tables import OVERALL, Finding, read_tables


def verify_published(observations: list[SourcedObservation], rules: RuleSet) -> list[Finding]:
    """Every finding about the published tables in `observations`: those of the domain tables
    (rows in printed order), then those of the overall tables."""
    tables = read_tables(observations, rules)
    findings, parts = check_domains(tables, rules)
    for (source, group, table), rows in tables.items():
        if table == OVERALL:
            domains = {s.id: tables.get((source, group, s.id), {}) for s in rules.sections}
            findings += check_overall(rows, rules.sections, parts.get((source, group), {}), domains)
    return findings


def rebuild_overall(observations: list[SourcedObservation], rules: RuleSet) -> list[RankRow]:
    """The overall ranking per period and group rebuilt from the criterion cells: each domain total
    recomputed (cells clamped to their maximum), summed over the sections; only agencies with a row
    in every domain table. Competition ranking on totals rounded to 2 decimals, ties by name."""
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
