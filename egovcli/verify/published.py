"""Checks of published ranking tables (`published_score` observations) against a rule set.

A domain table's indicators are "<section>.<column>" ("2.1.3"), "<section>.TOTAL" and
"<section>.RANK"; every other published indicator ("TOTAL", "RANK", "1.3") belongs to the overall
table, whose score columns are, in printed order, the sections' totals. Tables are told apart by
source file and agency group (departments and districts are ranked separately).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from egovcli import groups
from egovcli.agencies import agency_key
from egovcli.model import SourcedObservation
from egovcli.problems import Location, Problem, problem
from egovcli.rank import by_rank, tie_ranks
from egovcli.rank.model import RankRow
from egovcli.rules import Criterion, RuleSet, Section
from egovcli.textnorm import key

KINDS = ("over_max", "total_mismatch", "rank_mismatch", "missing_value")  # problem codes (docs/problems.md)
TOLERANCE = 0.05  # totals are printed with one decimal
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
class _Row:
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


_TableKey = tuple[str, str, str]  # source file, group, table id (a section id or OVERALL)
_Parts = dict[tuple[str, str], dict[str, dict[str, float]]]  # (source, group) → agency → section → points


def verify_published(observations: list[SourcedObservation], rules: RuleSet) -> list[Finding]:
    """Every finding about the published tables in `observations`: those of the domain tables
    (rows in printed order), then those of the overall tables."""
    tables = _tables(observations, rules)
    findings, parts = _check_domains(tables, rules)
    for (source, group, table), rows in tables.items():
        if table == OVERALL:
            domains = {s.id: tables.get((source, group, s.id), {}) for s in rules.sections}
            findings += _check_overall(rows, rules.sections, parts.get((source, group), {}), domains)
    return findings


def rebuild_overall(observations: list[SourcedObservation], rules: RuleSet) -> list[RankRow]:
    """The overall ranking per period and group rebuilt from the criterion cells: each domain total
    recomputed (cells clamped to their maximum), summed over the sections; only agencies with a row
    in every domain table. Competition ranking on totals rounded to 2 decimals, ties by name."""
    tables = _tables(observations, rules)
    _, parts = _check_domains(tables, rules)
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
    for period, group in sorted(buckets, key=lambda pg: (pg[0], groups.order(pg[1]))):
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
                    sections=sections,
                )
            )
    return out


# --- reading the tables -------------------------------------------------------------------------
def _tables(observations: Iterable[SourcedObservation], rules: RuleSet) -> dict[_TableKey, dict[str, _Row]]:
    """(source file, group, table id) → agency → row, tables and rows in printed order. An agency
    printed two ways ("Sở Kế hoạch - Đầu tư", "Sở Kế hoạch và Đầu tư") is one row, under the
    spelling met first."""
    sections = {s.id for s in rules.sections}
    tables: dict[_TableKey, dict[str, _Row]] = {}
    names: dict[str, str] = {}
    for cell in observations:
        if cell.obs.kind != "published_score":
            continue
        prefix = cell.obs.indicator.rpartition(".")[0]
        table = prefix if prefix in sections else OVERALL
        rows = tables.setdefault((cell.source_file, cell.group, table), {})
        name = names.setdefault(agency_key(cell.agency), cell.agency)
        row = rows.setdefault(name, _Row(name, cell.period, cell.source_file, cell.obs.ref))
        row.cells[cell.obs.indicator] = cell
    return tables


def _differs(a: float, b: float) -> bool:
    return abs(a - b) > TOLERANCE


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


# --- domain tables ------------------------------------------------------------------------------
def _check_domains(
    tables: Mapping[_TableKey, Mapping[str, _Row]], rules: RuleSet
) -> tuple[list[Finding], _Parts]:
    """Findings of the domain tables, and each agency's recomputed domain totals."""
    findings: list[Finding] = []
    parts: _Parts = {}
    for (source, group, table), rows in tables.items():
        if table == OVERALL:
            continue
        criteria = [c for c in rules.criteria if c.section == table]
        for row in rows.values():
            total, row_findings = _check_row(row, table, criteria)
            findings += row_findings
            parts.setdefault((source, group), {}).setdefault(row.agency, {})[table] = total
        findings += _check_order(rows, table)
    for (source, group), agencies in parts.items():
        for agency, points in agencies.items():
            for section in rules.sections:
                if section.id not in points:
                    findings.append(
                        Finding(
                            agency,
                            section.id,
                            "missing_value",
                            None,
                            None,
                            "",
                            source,
                            f"{agency} không có dòng trong bảng {section.id} «{section.title}» "
                            f"(nhóm {group}): không tính được tổng điểm chung.",
                        )
                    )
    return findings, parts


def _cell_of(row: _Row, criterion: Criterion, section: str) -> SourcedObservation | None:
    """The row's cell for `criterion`: by id, else by the column's label (a column printed under
    another number, e.g. "(6)" for 2.2.5), spaces ignored (pdf text may split words)."""
    if criterion.id in row.cells:
        return row.cells[criterion.id]
    wanted = key(criterion.label).replace(" ", "")
    return next(
        (
            cell
            for indicator, cell in row.cells.items()
            if indicator.startswith(section + ".") and key(cell.obs.label).replace(" ", "") == wanted
        ),
        None,
    )


def _check_row(row: _Row, section: str, criteria: list[Criterion]) -> tuple[float, list[Finding]]:
    """The row's recomputed total (each cell clamped to [0, max]) and its findings."""
    findings: list[Finding] = []
    total = 0.0
    over: list[str] = []
    for criterion in criteria:
        cell = _cell_of(row, criterion, section)
        value = cell.obs.value if cell else None
        if cell is None or value is None:
            findings.append(
                Finding(
                    row.agency,
                    criterion.id,
                    "missing_value",
                    criterion.max,
                    None,
                    cell.obs.location if cell else row.location(f"{section}.TOTAL"),
                    row.source_file,
                    f"Bảng {section}, {row.agency}: thiếu điểm tiêu chí {criterion.id} «{criterion.label}»"
                    + (f" (in «{cell.obs.raw_value}»)" if cell else "")
                    + "; tính 0.",
                )
            )
            continue
        points = min(max(value, 0.0), criterion.max)
        total += points
        if value > criterion.max:
            over.append(criterion.id)
            findings.append(
                Finding(
                    row.agency,
                    cell.obs.indicator,
                    "over_max",
                    criterion.max,
                    value,
                    cell.obs.location,
                    row.source_file,
                    f"Bảng {section}, {row.agency}: tiêu chí {criterion.id} «{criterion.label}» in "
                    f"«{cell.obs.raw_value}», vượt điểm tối đa {_n(criterion.max)}; "
                    f"tính {_n(criterion.max)}.",
                )
            )
    total = round(total, 2)
    printed = row.value(f"{section}.TOTAL")
    if printed is None:
        findings.append(
            Finding(
                row.agency,
                f"{section}.TOTAL",
                "missing_value",
                total,
                None,
                row.location(f"{section}.TOTAL"),
                row.source_file,
                f"Bảng {section}, {row.agency}: không in «Tổng điểm»; các ô điểm cộng lại {_n(total)}.",
            )
        )
    elif _differs(total, printed):
        capped = f" (ô {', '.join(over)} tính bằng điểm tối đa)" if over else ""
        findings.append(
            Finding(
                row.agency,
                f"{section}.TOTAL",
                "total_mismatch",
                total,
                printed,
                row.location(f"{section}.TOTAL"),
                row.source_file,
                f"Bảng {section}, {row.agency}: các ô điểm cộng lại {_n(total)}{capped}, "
                f"«Tổng điểm» in {_n(printed)} (lệch {printed - total:+.1f}).",
            )
        )
    return total, findings


def _check_order(rows: Mapping[str, _Row], section: str) -> list[Finding]:
    """Printed ranks ("<section>.RANK") against the competition ranking of the printed totals; a
    table without a rank column is a ranking by its row order (TT): a row printed outside the
    positions its total earns (its tie block) is out of place."""
    rank_id, total_id = f"{section}.RANK", f"{section}.TOTAL"
    totals = {a: t for a, row in rows.items() if (t := row.value(total_id)) is not None}
    ranks = tie_ranks(totals)
    has_rank = any(rank_id in row.cells for row in rows.values())
    findings: list[Finding] = []
    for agency, (rank, last) in ranks.items():
        row = rows[agency]
        tie = f" (đồng hạng, vị trí {rank}–{last})" if last > rank else ""
        if has_rank:
            printed = row.value(rank_id)
            if printed is not None and printed != rank:
                findings.append(
                    Finding(
                        agency,
                        rank_id,
                        "rank_mismatch",
                        rank,
                        printed,
                        row.location(rank_id),
                        row.source_file,
                        f"Bảng {section}: {agency} có «Tổng điểm» {_n(totals[agency])}, xếp thứ {rank}{tie}, "
                        f"bảng in hạng {_n(printed)}.",
                    )
                )
        elif row.ref.isdigit() and not rank <= int(row.ref) <= last:
            findings.append(
                Finding(
                    agency,
                    total_id,
                    "rank_mismatch",
                    rank,
                    float(row.ref),
                    row.location(total_id),
                    row.source_file,
                    f"Bảng {section} xếp theo thứ tự TT: {agency} in ở TT {row.ref} với «Tổng điểm» "
                    f"{_n(totals[agency])}, theo điểm xếp thứ {rank}{tie}.",
                )
            )
    return findings


# --- the overall table --------------------------------------------------------------------------
def _domain_columns(row: _Row) -> list[str]:
    """The row's section-total columns in printed order ("1.3" … "1.7")."""
    ids = [i for i in row.cells if i not in ("TOTAL", "RANK")]
    return sorted(ids, key=lambda i: int(n) if (n := i.rpartition(".")[2]).isdigit() else 0)


def _check_overall(
    rows: Mapping[str, _Row],
    sections: tuple[Section, ...],
    parts: Mapping[str, Mapping[str, float]],
    domains: Mapping[str, Mapping[str, _Row]],
) -> list[Finding]:
    """The printed overall table against the domain tables (`domains`: section → agency → row) and
    the totals rebuilt from the criterion cells (`parts`); each difference explained."""
    findings: list[Finding] = []
    rebuilt = {
        a: round(sum(parts[a].values()), 2) for a in rows if a in parts and len(parts[a]) == len(sections)
    }
    ranks = tie_ranks(rebuilt)
    printed_totals = {a: t for a, row in rows.items() if (t := row.value("TOTAL")) is not None}
    printed_ranks = tie_ranks(printed_totals)
    for agency, row in rows.items():
        findings += _check_columns(row, sections, domains)
        reasons = _reasons(row, sections, parts.get(agency, {}), domains)
        printed, expected = row.value("TOTAL"), rebuilt.get(agency)
        columns = [row.value(c) for c in _domain_columns(row)]
        listed = round(sum(v for v in columns if v is not None), 2)
        if printed is None:
            findings.append(
                Finding(
                    agency,
                    "TOTAL",
                    "missing_value",
                    expected,
                    None,
                    row.location("TOTAL"),
                    row.source_file,
                    f"Xếp hạng chung, {agency}: không in «Tổng điểm».",
                )
            )
        elif (expected is not None and _differs(expected, printed)) or _differs(listed, printed):
            if expected is None or not _differs(expected, printed):
                expected = listed
            same = agency in ranks and ranks[agency][0] == row.value("RANK")
            findings.append(
                Finding(
                    agency,
                    "TOTAL",
                    "total_mismatch",
                    expected,
                    printed,
                    row.location("TOTAL"),
                    row.source_file,
                    f"Xếp hạng chung, {agency}: «Tổng điểm» in {_n(printed)}, tính lại {_n(expected)}: "
                    + "; ".join(reasons)
                    + (f". Thứ hạng không đổi ({ranks[agency][0]})." if same else "."),
                )
            )
        printed_rank = row.value("RANK")
        if agency in ranks and printed_rank is not None and printed_rank != ranks[agency][0]:
            rank = ranks[agency][0]
            if agency in printed_ranks and printed_ranks[agency][0] == printed_rank:
                why = (
                    f"hạng in đúng theo «Tổng điểm» in ({_n(printed)}) nhưng tổng tính lại là "
                    f"{_n(expected)}: " + "; ".join(reasons)
                )
            else:
                by_print = printed_ranks[agency][0] if agency in printed_ranks else "—"
                why = f"hạng in không khớp với «Tổng điểm» in {_n(printed)} (theo đó xếp thứ {by_print})"
            findings.append(
                Finding(
                    agency,
                    "RANK",
                    "rank_mismatch",
                    rank,
                    printed_rank,
                    row.location("RANK"),
                    row.source_file,
                    f"Xếp hạng chung, {agency}: in hạng {_n(printed_rank)}, tính lại hạng {rank}; {why}.",
                )
            )
    return findings


def _check_columns(
    row: _Row, sections: tuple[Section, ...], domains: Mapping[str, Mapping[str, _Row]]
) -> list[Finding]:
    """Each section column of the overall row against the «Tổng điểm» printed in that section's table."""
    findings: list[Finding] = []
    for section, column in zip(sections, _domain_columns(row), strict=False):
        value = row.value(column)
        domain = domains.get(section.id, {}).get(row.agency)
        printed = domain.value(f"{section.id}.TOTAL") if domain else None
        if value is not None and printed is not None and _differs(value, printed):
            findings.append(
                Finding(
                    row.agency,
                    column,
                    "total_mismatch",
                    printed,
                    value,
                    row.location(column),
                    row.source_file,
                    f"Xếp hạng chung, {row.agency}: cột lĩnh vực {section.id} in {_n(value)}, "
                    f"bảng {section.id} in «Tổng điểm» {_n(printed)}.",
                )
            )
    return findings


def _reasons(
    row: _Row,
    sections: tuple[Section, ...],
    parts: Mapping[str, float],
    domains: Mapping[str, Mapping[str, _Row]],
) -> list[str]:
    """Why the row's printed overall total differs from the rebuilt one, in Vietnamese."""
    reasons: list[str] = []
    columns = _domain_columns(row)
    for section, column in zip(sections, columns, strict=False):
        value, computed = row.value(column), parts.get(section.id)
        domain = domains.get(section.id, {}).get(row.agency)
        printed = domain.value(f"{section.id}.TOTAL") if domain else None
        if value is None or computed is None or not _differs(value, computed):
            continue
        if printed is not None and not _differs(value, printed):
            reasons.append(
                f"lĩnh vực {section.id} in {_n(value)} (cột {column}), như «Tổng điểm» của bảng "
                f"{section.id}, nhưng các ô điểm của bảng {section.id} cộng lại {_n(computed)}"
            )
        else:
            reasons.append(
                f"lĩnh vực {section.id} in {_n(value)} (cột {column}), bảng {section.id} in «Tổng điểm» "
                f"{_n(printed)} và các ô điểm của bảng cộng lại {_n(computed)}"
            )
    printed_total = row.value("TOTAL")
    listed = [v for c in columns if (v := row.value(c)) is not None]
    if printed_total is not None and len(listed) == len(sections) and _differs(sum(listed), printed_total):
        reasons.append(
            f"«Tổng điểm» in {_n(printed_total)} khác tổng các cột lĩnh vực in {_n(round(sum(listed), 2))}"
        )
    return reasons or ["không rõ nguyên nhân"]
