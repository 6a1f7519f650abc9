"""What extractors hand to the layout interpreter, and how a value becomes an observation.

`TextLine`s and `Cell`s know where they came from; `observe` turns a label and a printed value into
an `Observation` and records a `Flag` when the value cannot be as printed (`Parsed.issue`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from egovcli.model import Observation
from egovcli.problems import Problem
from egovcli.textnorm import remembered
from egovcli.values import Parsed, negative_count, parse_text


class TextLine(NamedTuple):
    """One line of running text and where it is ("đoạn 14", "trang 1, dòng 12")."""

    text: str
    location: str


class Cell(NamedTuple):
    """One table cell's text and where it is ("Sheet!E12", "bảng 2, dòng 5, cột 5").

    `span` is the number of columns a merged cell covers from here (its text is read once, here);
    `down` the number of rows it covers (a value merged over several labelled rows answers each).
    Immutable, and a tuple: readers make one per cell of every grid, at half a frozen dataclass's cost.
    """

    text: str
    location: str
    span: int = 1
    down: int = 1


Grid = Sequence[Sequence[Cell]]


@dataclass(slots=True)
class Document:
    """What a reader found in one file before it is interpreted: its lines and tables, and the
    problems about the file itself (`refused`: the file was not read, `problems` say why)."""

    lines: list[TextLine] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: bool = False

    @classmethod
    def refusal(cls, reason: Problem) -> Document:
        return cls(problems=[reason], refused=True)


class Flag(NamedTuple):
    """A value that cannot be as printed ("Quý V/2018"), for a W-IMPOSSIBLE-VALUE problem."""

    label: str
    raw: str
    issue: str
    location: str


# the one entry point the layout modules use: `parse_value` of a text, remembered (no call for a value
# met before: a round's values repeat; a new one is parsed in one call, not remembered twice)
parse = remembered(parse_text)


def observe(
    label: str,
    raw: str,
    parsed: Parsed,
    location: str,
    flags: list[Flag] | None,
    *,
    unit: str = "",
    note: str | None = None,
    ref: str = "",
    kind: str = "data",
    indicator: str = "",
    max_points: float | None = None,
) -> Observation:
    """An observation (of `kind`, a data one by default) of `raw` read as `parsed` (its unit before
    `unit`, `note` replacing its note when given); an impossible value is also recorded in `flags`:
    a negative count in a row whose unit column counts things ("-2" under "người") too."""
    unit = parsed.unit or unit
    value = parsed.value
    issue = parsed.issue or (negative_count(value, unit) if value is not None and value < 0 else "")
    if issue and flags is not None:
        flags.append(Flag(label, raw, issue, location))
    return Observation(
        label, raw, value, kind, unit, indicator, ref, max_points, parsed.denominator,
        parsed.note if note is None else note, location,
    )
