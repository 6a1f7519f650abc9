"""A validated rule set: sections, subsections and scored criteria with typed formulas."""

from __future__ import annotations

from dataclasses import dataclass, field

from egovcli.rules.formulas import Condition, Formula


class RuleSetError(ValueError):
    """A rule-set file that cannot be used; the message names the file and the criterion."""


@dataclass(frozen=True, slots=True)
class Reading:
    """How an inconsistency or gap in the published rules is interpreted."""

    text: str
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subsection:
    id: str  # "II.1"
    tt: str  # as printed: "II.1", "III. 2"
    title: str
    max: float
    note: str = ""  # printed wording that applies to the whole subsection


@dataclass(frozen=True, slots=True)
class Section:
    id: str  # "I" … "VI"
    tt: str  # as printed: "I", "IV."
    title: str
    max: float
    subsections: tuple[Subsection, ...] = ()


@dataclass(frozen=True, slots=True)
class Heading:
    """An unscored row of the printed table (e.g. I.3 "Mạng LAN … yêu cầu sau:")."""

    id: str
    tt: str
    label: str
    formula_text: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str  # TT path: "I.1", "II.1.7", "III.2.5.1"
    tt: str  # as printed in the TT column ("" for an unnumbered row)
    section: str
    subsection: str  # "" when the section has no subsections
    label: str
    formula_text: str  # "Cách tính" as printed
    max: float
    formula: Formula
    inputs: tuple[str, ...] = ()  # catalogue indicator ids the formula reads
    reading: str = ""


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    title: str
    period: str
    max_total: float
    sections: tuple[Section, ...]
    criteria: tuple[Criterion, ...]
    headings: tuple[Heading, ...] = ()
    conditions: tuple[Condition, ...] = ()
    general_readings: tuple[Reading, ...] = ()
    source: str = ""
    text: str = field(default="", repr=False, compare=False)  # the YAML as loaded, kept with each scoring run

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id; KeyError if there is none."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    @property
    def readings(self) -> tuple[Reading, ...]:
        """All interpretation choices: the general ones, then each criterion's, in rule order."""
        own = tuple(Reading(c.reading, (c.id,)) for c in self.criteria if c.reading)
        return self.general_readings + own

    @property
    def total_ids(self) -> tuple[str, ...]:
        """Ids of the total rows in report order: each section, its subsections, then TOTAL."""
        ids = [i for s in self.sections for i in (s.id, *(sub.id for sub in s.subsections))]
        return (*ids, "TOTAL")
