"""Which group each agency is scored and ranked in, under one rule set (`RuleSet.group_of`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from egovcli.groups import UNGROUPED, label
from egovcli.model import SourcedObservation
from egovcli.problems import Location, Problem, problem
from egovcli.rules.model import RuleSet


def by_group(
    rules: RuleSet, observations: Iterable[SourcedObservation]
) -> tuple[dict[tuple[str, str, str], list[SourcedObservation]], list[Problem]]:
    """Observations by (agency, the group the rule set ranks it in, period) (`RuleSet.group_of`), and
    a W-GROUP-NOT-RANKED for each agency ranked apart because the rule set does not rank its group."""
    by_agency: dict[tuple[str, str, str], list[SourcedObservation]] = defaultdict(list)
    apart: dict[str, Problem] = {}
    ranked = ", ".join(f"{g.id} = {g.label}" for g in rules.ranked_groups)
    decided: dict[tuple[str, str, bool], str] = {}  # once per agency, not per value it reported
    for so in observations:
        asked = (so.agency, so.group, so.registered)
        group = decided.get(asked)
        if group is None:
            group = decided[asked] = rules.group_of(*asked)
        by_agency[(so.agency, group, so.period)].append(so)
        if group == UNGROUPED and (rules.groups or so.group != UNGROUPED) and so.agency not in apart:
            where = Location(file=so.source_file, agency=so.agency)
            apart[so.agency] = problem("W-GROUP-NOT-RANKED", where=where, agency=so.agency,
                                       group=label(so.group), groups=ranked)
    return by_agency, list(apart.values())
