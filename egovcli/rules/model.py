"""A validated rule set: sections, subsections and scored criteria with typed formulas."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from egovcli import groups as agency_groups
from egovcli.agencies import agency_key
from egovcli.groups import Group
from egovcli.indicators import Indicator
from egovcli.problems import EgovError, Problem, sorted_by_line
from egovcli.rules.formulas import Condition, Formula


class RuleSetError(EgovError, ValueError):
    """A rule set that cannot be used. `problems` holds every mistake found (`Problem`s with a code
    E-RULES-… and `Location(file, line)`), in line order; the message shows each as `file:line: what`
    on its own line."""

    code = "E-RULES-FIELD"
    heading = "Lỗi bộ tiêu chí"

    def __init__(self, problems: str | Iterable[Problem], **kwargs: Any) -> None:
        super().__init__(problems if isinstance(problems, str) else sorted_by_line(problems), **kwargs)


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
    cap: float | None = None  # section points never above this (criteria maxima may sum higher)
    weight: float | None = None  # weighted rule sets: contribution = points ÷ effective max × weight
    counted: bool = True  # False (`counted: false`): computed and shown, "không tính điểm"

    @property
    def effective_max(self) -> float:
        """The most points the section can give: its cap when it has one, else its max."""
        return self.max if self.cap is None else self.cap

    @property
    def counts(self) -> bool:
        """Whether the section counts in the total and its maximum: not `counted: false`, not weight 0."""
        return self.counted and self.weight != 0


@dataclass(frozen=True, slots=True)
class Bonus:
    """Bonus points ("cộng điểm khuyến khích"): criteria with `section: <id>`, outside max_total,
    adding at most `cap` to the total."""

    id: str
    title: str
    cap: float


@dataclass(frozen=True, slots=True)
class Level:
    """A grade (xếp loại) reached by totals of at least `min` points, e.g. Tốt from 80."""

    name: str
    min: float


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
    groups: tuple[str, ...] = ()  # agency groups scored on it; () = every group
    not_applicable_when: Condition | None = None  # full points when this condition holds
    evidence: str = ""  # "Tài liệu kiểm chứng" as printed
    data_source: str = ""  # "Nguồn" / "Đơn vị phối hợp xác minh" as printed
    counted: bool = True  # False (`counted: false`): computed and shown, in no total nor maximum

    def applies(self, group: str) -> bool:
        """Whether agencies of this group are scored on the criterion (and it counts in their max)."""
        return not self.groups or group in self.groups


RESULTS = ("points", "index")  # `result:` how totals are shown (and ranked)
AGGREGATES = ("sum", "mean")  # `aggregate:` how the sections make the total


@dataclass(frozen=True, slots=True)
class Precision:
    """How totals are combined, shown and compared (docs/rules.md §6, "Kết quả dạng chỉ số"):
    `result` "index" adds points ÷ maximum (0–1) to every total and ranks by it; `decimals` is the
    precision shown and used for ties (totals are stored at it, computed from unrounded parts);
    `tie_tolerance`, when given, makes two totals closer than it tie instead; `aggregate` "mean"
    makes the total the mean of the counted sections' indices × max_total. The defaults are egov's
    behaviour before these keys existed: points, 2 decimals, sum."""

    result: str = "points"
    decimals: int = 2
    tie_tolerance: float | None = None
    aggregate: str = "sum"

    @property
    def index(self) -> bool:
        return self.result == "index"


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
    bonus: Bonus | None = None
    levels: tuple[Level, ...] = ()  # highest first
    text: str = field(default="", repr=False, compare=False)  # the YAML as loaded, kept with each scoring run
    # the warnings of a usable rule set, in line order: W-RULES-TODO (a draft's to-dos) and
    # W-RULES-DECIMAL-COMMA ("2,5" read as 2.5); `egov rules validate` lists them
    todos: tuple[Problem, ...] = field(default=(), compare=False)
    groups: tuple[Group, ...] = ()  # the agency groups it ranks, in display order; () = the built-in ones
    precision: Precision = Precision()  # result, decimals, tie_tolerance, aggregate
    # `indicators:` the rule set's own (rules/own_indicators.py): new ones, and shipped ones with its labels
    indicators: tuple[Indicator, ...] = ()

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
        """Ids of the total rows in report order: each section, its subsections, the bonus, TOTAL."""
        ids = [i for s in self.sections for i in (s.id, *(sub.id for sub in s.subsections))]
        return (*ids, *([self.bonus.id] if self.bonus else []), "TOTAL")

    @property
    def counted_sections(self) -> tuple[Section, ...]:
        """The sections the total and its maximum are made of (not `counted: false`, not weight 0)."""
        return tuple(s for s in self.sections if s.counts)

    @property
    def uncounted(self) -> frozenset[str]:
        """Ids of what is computed and shown but counts in no total: sections (`counted: false`,
        weight 0) and criteria (`counted: false`)."""
        return frozenset([*(s.id for s in self.sections if not s.counts),
                          *(c.id for c in self.criteria if not c.counted)])

    @property
    def weighted(self) -> bool:
        """Whether sections count by their weights (declared at rule-set level) instead of points."""
        return any(s.weight is not None for s in self.sections)

    @property
    def ranked_groups(self) -> tuple[Group, ...]:
        """The groups agencies are ranked in, in display order: the declared ones, else the built-in."""
        return self.groups or agency_groups.GROUPS

    def group_of(self, agency: str, stored: str, registered: bool) -> str:
        """The group this rule set ranks an agency in. An agency of agencies.csv keeps the group it has
        there (the registry decides) when the rule set ranks it; any other is recognised by its name
        (`groups.infer` over the declared groups). A group the rule set does not rank gives
        `groups.UNGROUPED` (ranked apart, and said). Without declared groups: the stored group."""
        if not self.groups:
            return stored if stored in agency_groups.ids() else agency_groups.UNGROUPED
        if registered and stored != agency_groups.UNGROUPED:
            return stored if any(g.id == stored for g in self.groups) else agency_groups.UNGROUPED
        return agency_groups.infer(agency_key(agency), self.groups)
