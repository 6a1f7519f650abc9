"""Which group each agency is scored and ranked in, under one rule set (`RuleSet.group_of`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from egovcli.groups import UNGROUPED, UNGROUPED_LABEL
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
    for so in observations:
        group = rules.group_of(so.agency, so.group, so.registered)
        by_agency[(so.agency, group, so.period)].append(so)
        if group == UNGROUPED and (rules.groups or so.group != UNGROUPED) and so.agency not in apart:
            where = Location(file=so.source_file, agency=so.agency)
            apart[so.agency] = problem("W-GROUP-NOT-RANKED", where=where, agency=so.agency,
                                       group=so.group or UNGROUPED_LABEL, groups=ranked)
    return by_agency, list(apart.values())
