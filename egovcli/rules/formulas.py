"""Formula specs: one frozen dataclass per formula type, parsed from a rule-set YAML mapping.

To add a type: write its dataclass here (a `type` class constant and `needs()`), a parser registered
in `egovcli.rules.formula_parser.PARSERS`, and an evaluator registered in
`egovcli.score.formulas.EVALUATORS`.
Ratios and thresholds on ratios are fractions in [0, 1] (0.9 is 90%).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from egovcli.indicators import KINDS
from egovcli.problems import EgovError

# Catalogue kinds an input may have, per role.
RATIO_KINDS = ("fraction",)
NUMBER_KINDS = ("count",)
YES_NO_KINDS = ("yes_no", "count")
ANY_KIND = KINDS

Need = tuple[str, tuple[str, ...]]  # (indicator id, catalogue kinds it may have)


class FormulaError(EgovError, ValueError):
    """A formula mapping that cannot be read; the loader adds the file and criterion."""

    code = "E-RULES-FORMULA"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a measured number comes from: a fraction indicator (`of`), `numerator`/`denominator`
    count indicators (both give a ratio), or a plain number (`value`: days, posts, items)."""

    of: str = ""
    numerator: str = ""
    denominator: str = ""
    value: str = ""
    unit: str = ""  # words for explanations, e.g. "máy tính/CBCCVC"

    @property
    def is_ratio(self) -> bool:
        return not self.value

    def needs(self) -> tuple[Need, ...]:
        if self.of:
            return ((self.of, RATIO_KINDS),)
        if self.value:
            return ((self.value, NUMBER_KINDS),)
        return ((self.numerator, NUMBER_KINDS), (self.denominator, NUMBER_KINDS))


@dataclass(frozen=True, slots=True)
class Band:
    """One band of a banded formula: the first band whose bound holds decides the points.

    `award` is max | fixed (`points`) | ratio (ratio × max) | ratio_over (ratio / `over` × max).
    A band with neither `at_least` nor `at_most` is the catch-all (the last band).
    """

    award: str
    points: float | None = None
    at_least: float | None = None
    at_most: float | None = None
    over: float | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """A named condition on one indicator (`indicator` = `equals`), with its printed wording."""

    name: str
    indicator: str
    equals: float
    text: str = ""


@dataclass(frozen=True, slots=True)
class Ratio:
    type: ClassVar[str] = "ratio"
    source: Source

    def needs(self) -> tuple[Need, ...]:
        return self.source.needs()


@dataclass(frozen=True, slots=True)
class Banded:
    type: ClassVar[str] = "banded"
    source: Source
    bands: tuple[Band, ...]

    def needs(self) -> tuple[Need, ...]:
        return self.source.needs()


@dataclass(frozen=True, slots=True)
class YesNo:
    type: ClassVar[str] = "yes_no"
    input: str = ""  # a yes/no indicator, or a count (yes when > 0)

    def needs(self) -> tuple[Need, ...]:
        return ((self.input, YES_NO_KINDS),) if self.input else ()


@dataclass(frozen=True, slots=True)
class PerItem:
    type: ClassVar[str] = "per_item"
    each: float
    cap: float
    input: str = ""

    def needs(self) -> tuple[Need, ...]:
        return ((self.input, NUMBER_KINDS),) if self.input else ()


@dataclass(frozen=True, slots=True)
class DeductionItem:
    input: str
    each: float
    label: str = ""


@dataclass(frozen=True, slots=True)
class Deduction:
    type: ClassVar[str] = "deduction"
    items: tuple[DeductionItem, ...]

    def needs(self) -> tuple[Need, ...]:
        return tuple((item.input, NUMBER_KINDS) for item in self.items)


@dataclass(frozen=True, slots=True)
class Answer:
    """One printed answer: `award` max | fixed (`points`) | deduct (max − `deduct_each` × count).
    The catch-all (`otherwise`, the last answer) takes any other text; `answer` is then its wording
    for explanations ("" when the rule set gives none)."""

    answer: str
    award: str
    points: float | None = None
    deduct_each: float | None = None
    aliases: tuple[str, ...] = ()
    otherwise: bool = False


@dataclass(frozen=True, slots=True)
class Categorical:
    type: ClassVar[str] = "categorical"
    answers: tuple[Answer, ...]
    input: str = ""  # an indicator whose text is one of the answers
    count: str = ""  # the number of missing items, for a `deduct` answer

    def needs(self) -> tuple[Need, ...]:
        pairs = ((self.input, ANY_KIND), (self.count, NUMBER_KINDS))
        return tuple(pair for pair in pairs if pair[0])


@dataclass(frozen=True, slots=True)
class Exemption:
    type: ClassVar[str] = "exemption"
    when: Condition
    otherwise: Formula
    points: float | None = None  # None: the criterion's maximum

    def needs(self) -> tuple[Need, ...]:
        return ((self.when.indicator, NUMBER_KINDS), *self.otherwise.needs())


@dataclass(frozen=True, slots=True)
class Part:
    label: str
    max: float
    formula: Formula


@dataclass(frozen=True, slots=True)
class Parts:
    type: ClassVar[str] = "parts"
    parts: tuple[Part, ...]

    def needs(self) -> tuple[Need, ...]:
        return tuple(need for part in self.parts for need in part.formula.needs())


@dataclass(frozen=True, slots=True)
class NormalisedToBest:
    """value ÷ the best value among the agencies scored together × max. `best` is filled in by the
    scoring pass over all agencies (`egovcli.score.engine.score_agencies`); None until then."""

    type: ClassVar[str] = "normalised_to_best"
    source: Source
    best: float | None = None
    best_agency: str = ""

    def needs(self) -> tuple[Need, ...]:
        return self.source.needs()


@dataclass(frozen=True, slots=True)
class Case:
    """One case of a `highest` formula, with the words that name it in explanations ("" → its number)."""

    formula: Formula
    label: str = ""


@dataclass(frozen=True, slots=True)
class Highest:
    """"Lấy điểm cao nhất": each case is scored on the same maximum and the best one counts."""

    type: ClassVar[str] = "highest"
    cases: tuple[Case, ...]

    def needs(self) -> tuple[Need, ...]:
        return tuple(need for case in self.cases for need in case.formula.needs())


@dataclass(frozen=True, slots=True)
class Manual:
    type: ClassVar[str] = "manual"

    def needs(self) -> tuple[Need, ...]:
        return ()


Formula = (
    Ratio | Banded | YesNo | PerItem | Deduction | Categorical | Exemption | Parts | NormalisedToBest
    | Highest | Manual
)
Conditions = Mapping[str, Condition]


def indicators(formula: Formula) -> list[str]:
    """Indicator ids a formula reads, in order, without repeats."""
    return list(dict.fromkeys(ind for ind, _ in formula.needs()))
