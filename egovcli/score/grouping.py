"""Which group each agency is scored and ranked in, under one rule set (`RuleSet.group_of`), and the
observations of each agency and period gathered as they stream out of the workspace.

A national round holds about 1.2 million observations: they are never all in memory. `plan` reads
only whom each submission's rows are about (`Workspace.observation_sources`), so the run knows its
agencies, their order and each one's submissions before any row is read; `gather` then hands over
each agency's rows as soon as the last submission holding some has streamed past.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from egovcli.groups import UNGROUPED, label
from egovcli.model import SourcedObservation
from egovcli.problems import Location, Problem, problem
from egovcli.rules.model import RuleSet
from egovcli.workspace.store import ObservationSource

Key = tuple[str, str, str]  # agency, the group the rule set ranks it in, period


@dataclass(slots=True)
class Plan:
    """The agencies of a run in their order (agency, group, period), the submissions each one's
    rows come from, and a W-GROUP-NOT-RANKED for each agency ranked apart."""

    keys: list[Key]
    holds: dict[int, set[Key]]  # submission id → the agencies some of its rows are about
    apart: list[Problem]
    decided: dict[tuple[str, str, bool], str] = field(default_factory=dict)  # (agency, group, registered)


def plan(rules: RuleSet, sources: Iterable[ObservationSource]) -> Plan:
    """The run's agencies from whom the workspace's rows are about (`Workspace.observation_sources`)."""
    holds: dict[int, set[Key]] = {}
    apart: dict[str, Problem] = {}
    ranked = ", ".join(f"{g.id} = {g.label}" for g in rules.ranked_groups)
    found = Plan([], holds, [])
    for s in sources:
        group = _group(found, rules, s.agency, s.group, s.registered)
        holds.setdefault(s.submission, set()).add((s.agency, group, s.period))
        if group == UNGROUPED and (rules.groups or s.group != UNGROUPED) and s.agency not in apart:
            where = Location(file=s.source_file, agency=s.agency)
            apart[s.agency] = problem("W-GROUP-NOT-RANKED", where=where, agency=s.agency,
                                      group=label(s.group), groups=ranked)
    found.keys = sorted({key for keys in holds.values() for key in keys})
    found.apart = list(apart.values())
    return found


@dataclass(frozen=True, slots=True)
class Chunk:
    """Agencies that come one after the other in a run, and the submissions holding their rows, in
    the stream's order."""

    keys: list[Key]
    submissions: list[int]


def chunks(found: Plan, size: int) -> Iterator[Chunk]:
    """The run's agencies in its order, `size` at a time, each chunk with the submissions holding its
    rows: gathering those submissions alone (`part`) hands over the chunk's agencies with the rows a
    pass over the whole stream gives them (`Workspace.stream_observations`: an agency's name comes
    from the first of its own submissions, and all of those hold it)."""
    place = {submission: i for i, submission in enumerate(found.holds)}
    holders: dict[Key, list[int]] = {}
    for submission, keys in found.holds.items():
        for key in keys:
            holders.setdefault(key, []).append(submission)
    for at in range(0, len(found.keys), size):
        chunk = found.keys[at:at + size]
        submissions = {submission for key in chunk for submission in holders.get(key, ())}
        yield Chunk(chunk, sorted(submissions, key=place.__getitem__))


def part(found: Plan, chunk: Chunk) -> Plan:
    """The plan of one chunk's agencies alone (`gather` over its submissions' rows)."""
    wanted = set(chunk.keys)
    return Plan(chunk.keys, {s: found.holds[s] & wanted for s in chunk.submissions}, [], found.decided)


def gather(
    found: Plan, rules: RuleSet, rows: Iterable[tuple[int, SourcedObservation]]
) -> Iterator[tuple[Key, list[SourcedObservation]]]:
    """Each agency's observations (`Workspace.stream_observations`: submission id, row), in the
    order they came, as soon as every submission holding some of them has gone by; rows of an
    agency the plan does not hold (another chunk's: `part`) are left out. The rows must be those
    the plan was made from (read in the same transaction)."""
    waiting = {key: 0 for key in found.keys}
    for keys in found.holds.values():
        for key in keys:
            waiting[key] += 1
    gathered: dict[Key, list[SourcedObservation]] = {}
    current: int | None = None
    for submission, so in rows:
        if submission != current:
            if current is not None:
                yield from _done(found.holds.get(current, ()), waiting, gathered)
            current = submission
        key = (so.agency, _group(found, rules, so.agency, so.group, so.registered), so.period)
        if key in waiting:
            gathered.setdefault(key, []).append(so)
    if current is not None:
        yield from _done(found.holds.get(current, ()), waiting, gathered)


def _done(
    keys: Iterable[Key], waiting: dict[Key, int], gathered: dict[Key, list[SourcedObservation]]
) -> Iterator[tuple[Key, list[SourcedObservation]]]:
    """The agencies a submission that has gone by completes."""
    for key in sorted(keys):
        waiting[key] -= 1
        if waiting[key] == 0 and key in gathered:
            yield key, gathered.pop(key)


def _group(found: Plan, rules: RuleSet, agency: str, group: str, registered: bool) -> str:
    """`RuleSet.group_of`, decided once per agency, not once per value it reported."""
    asked = (agency, group, registered)
    decided = found.decided.get(asked)
    if decided is None:
        decided = found.decided[asked] = rules.group_of(*asked)
    return decided
