"""The published tables as `verify` reads them: `published_score` cells grouped into one row per
agency of each printed table, and the `Finding` a check reports."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from egovcli import groups
from egovcli.agencies import agency_key
from egovcli.model import SourcedObservation
from egovcli.problems import Location, Problem, problem
from egovcli.rules import RuleSet

KINDS = ("over_max", "total_mismatch", "rank_mismatch", "missing_value")  # problem codes (docs/problems.md)
_DIGITS = re.compile(r"\d")
OVERALL = ""  # table id of the overall table ("1. Xếp hạng chung")


@dataclass(slots=True)
class Finding:
    """One inconsistency of a published table: `item` is the indicator ("2.3.11", "2.1.TOTAL",
    "RANK") or a section id for a missing row; `expected` is what the rules or the other printed
    figures give, `found` what is printed."""

    agency: str
    item: str
    kind: str  # one of KINDS
    expected: float | None
    found: float | None
    location: str
    source_file: str
    explanation: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"finding kind must be one of {KINDS}, not {self.kind!r}")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def problem(self) -> Problem:
        """The finding as a Problem: its kind is the code, its explanation the message, at its cell
        of the published file, about its agency and item."""
        where = Location.at(self.source_file, self.location, agency=self.agency, criterion=self.item)
        return problem(self.kind, where=where, message=self.explanation)


@dataclass(slots=True)
class Row:
    """One agency's row of one printed table."""

    agency: str
    period: str
    source_file: str
    ref: str  # TT as printed
    cells: dict[str, SourcedObservation] = field(default_factory=dict)  # indicator → cell

    def value(self, indicator: str) -> float | None:
        cell = self.cells.get(indicator)
        return cell.obs.value if cell else None

    def location(self, indicator: str) -> str:
        """The cell's location, else the row's first cell's."""
        cell = self.cells.get(indicator) or next(iter(self.cells.values()))
        return cell.obs.location


TableKey = tuple[str, str, str]  # source file, group, table id (a section id or OVERALL)
Parts = dict[tuple[str, str], dict[str, dict[str, float]]]  # (source, group) → agency → section → points

def read_tables(
    observations: Iterable[SourcedObservation], rules: RuleSet | None
) -> dict[TableKey, dict[str, Row]]:
    """(source file, group, table id) → agency → row, tables and rows in printed order. An agency
    printed two ways ("Sở Kế hoạch - Đầu tư", "Sở Kế hoạch và Đầu tư") is one row, under the
    spelling met first. Without a rule set, every numbered table printing a total or rank
    ("2.1.TOTAL") is a table of its own."""
    cells = [cell for cell in observations if cell.obs.kind == "published_score"]
    sections = {s.id for s in rules.sections} if rules else {
        prefix for cell in cells if (prefix := table_of(cell.obs.indicator)) and cell.obs.indicator.endswith(
            (".TOTAL", ".RANK"))
    }
    group_of = printed_groups(cells, sections)
    # several overall tables of one group, each under its own heading (DTI 2021, 2022, 2023 blocks;
    # one table per period): each is ranked on its own
    headings: dict[tuple[str, str], set[str]] = {}
    for cell in cells:
        if cell.obs.indicator.rpartition(".")[0] not in sections:
            headings.setdefault((cell.source_file, group_of[(cell.source_file, cell.agency)]), set()).add(
                cell.obs.note)
    tables: dict[TableKey, dict[str, Row]] = {}
    names: dict[str, str] = {}
    for cell in cells:
        prefix = cell.obs.indicator.rpartition(".")[0]
        table = prefix if prefix in sections else OVERALL
        group = group_of[(cell.source_file, cell.agency)]
        if table == OVERALL and len(headings[(cell.source_file, group)]) > 1:
            group = f"{group}\n{cell.obs.note}"  # the heading keeps apart tables of one group
        rows = tables.setdefault((cell.source_file, group, table), {})
        name = names.setdefault(agency_key(cell.agency), cell.agency)
        row = rows.setdefault(name, Row(name, cell.period, cell.source_file, cell.obs.ref))
        row.cells[cell.obs.indicator] = cell
    return tables


def table_of(indicator: str) -> str:
    """The table number of a published indicator ("2.1" of "2.1.3" and "2.1.TOTAL")."""
    return indicator.rpartition(".")[0]


def printed_groups(cells: list[SourcedObservation], sections: set[str]) -> dict[tuple[str, str], str]:
    """(source file, agency) → the group its rows are ranked in. A published table ranks the rows
    printed in it together: an agency whose name fits no group, or a ngành dọc unit, printed in a
    table whose other rows are one group's agencies (Công an tỉnh among the sở, ban, ngành) is
    ranked with them, as printed; one printed only among its own kind keeps its group; in a table
    of guests only (provinces, ministries), each takes the group most of them have. A printed
    table is a run of consecutive cells (cells come in printed order) of one file and table id."""
    known = {(cell.source_file, cell.agency): cell.group for cell in cells}
    runs: list[set[str]] = []
    run_of: dict[tuple[str, str], list[int]] = {}  # a guest → the runs it is printed in
    last: tuple[str, str] | None = None
    for cell in cells:
        prefix = cell.obs.indicator.rpartition(".")[0]
        here = (cell.source_file, prefix if prefix in sections else OVERALL)
        if here != last:
            runs.append(set())
            last = here
        runs[-1].add(cell.agency)
        if cell.group in groups.GUESTS:
            run_of.setdefault((cell.source_file, cell.agency), []).append(len(runs) - 1)
    found = dict(known)
    for (source, agency), indices in run_of.items():
        printed_with = {a for i in set(indices) for a in runs[i]}
        beside = Counter(g for a in printed_with if (g := known[(source, a)]) not in groups.GUESTS)
        if not beside:  # a table of guests only (ministries, provinces and a Ngân hàng Nhà nước): as most
            beside = Counter(known[(source, a)] for a in printed_with)
        found[(source, agency)] = max(sorted(beside), key=beside.__getitem__)  # ties: same each run
    return found


def decimals(raw: str, value: float) -> int:
    """How many decimals `raw` prints `value` with: 4 for "0,8642" or "0.8642", 0 for "3.367"
    read as 3367."""
    digits = "".join(_DIGITS.findall(raw.split("(")[0]))
    if not digits:
        return 0
    for count in range(len(digits)):
        if abs(int(digits) / 10**count - abs(value)) < 1e-9:
            return count
    return 0


def half_unit(places: int) -> float:
    """Half a unit of the last printed decimal (a hair more, for binary fractions)."""
    return 0.5 * 10.0**-places + 1e-9


def table_places(rows: Mapping[str, Row]) -> int:
    """The most decimals any figure of a table is printed with (1 for "16,7"; 4 for "0,8642")."""
    return max((decimals(c.obs.raw_value, c.obs.value) for r in rows.values() for c in r.cells.values()
                if c.obs.value is not None), default=0)


def differs(a: float, b: float, places: int) -> bool:
    """Whether two figures differ by more than half a unit of the last decimal the table prints."""
    return abs(a - b) > half_unit(places)


def shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
