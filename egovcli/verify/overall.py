"""Checks of the overall table («Xếp hạng chung») against the domain tables and the totals rebuilt
from the criterion cells, each difference explained in Vietnamese."""

from __future__ import annotations

from collections.abc import Mapping

from egovcli.rank import tie_ranks
from egovcli.rules import Section
from egovcli.verify.tables import Finding, Row, differs, shown, table_places


def _domain_columns(row: Row) -> list[str]:
    """The row's section-total columns in printed order ("1.3" … "1.7")."""
    ids = [i for i in row.cells if i not in ("TOTAL", "RANK")]
    return sorted(ids, key=lambda i: int(n) if (n := i.rpartition(".")[2]).isdigit() else 0)


def check_overall(
    rows: Mapping[str, Row],
    sections: tuple[Section, ...],
    parts: Mapping[str, Mapping[str, float]],
    domains: Mapping[str, Mapping[str, Row]],
) -> list[Finding]:
    """The printed overall table against the domain tables (`domains`: section → agency → row) and
    the totals rebuilt from the criterion cells (`parts`); each difference explained."""
    findings: list[Finding] = []
    # compared at the precision the tables are printed in (the overall one and its domain tables)
    places = max([table_places(rows), *(table_places(d) for d in domains.values())])
    rebuilt = {
        a: round(sum(parts[a].values()), max(places, 2))
        for a in rows if a in parts and len(parts[a]) == len(sections)
    }
    ranks = tie_ranks(rebuilt, decimals=places)
    printed_totals = {a: t for a, row in rows.items() if (t := row.value("TOTAL")) is not None}
    printed_ranks = tie_ranks(printed_totals, decimals=places)
    for agency, row in rows.items():
        findings += _check_columns(row, sections, domains, places)
        reasons = _reasons(row, sections, parts.get(agency, {}), domains, places)
        printed, expected = row.value("TOTAL"), rebuilt.get(agency)
        columns = [row.value(c) for c in _domain_columns(row)]
        listed = round(sum(v for v in columns if v is not None), max(places, 2))
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
        elif differs(listed, printed, places) or (
            expected is not None and differs(expected, printed, places)
        ):
            if expected is None or not differs(expected, printed, places):
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
                    f"Xếp hạng chung, {agency}: «Tổng điểm» in {shown(printed)}, tính lại {shown(expected)}: "
                    + "; ".join(reasons)
                    + (f". Thứ hạng không đổi ({ranks[agency][0]})." if same else "."),
                )
            )
        printed_rank = row.value("RANK")
        if agency in ranks and printed_rank is not None and printed_rank != ranks[agency][0]:
            rank = ranks[agency][0]
            if agency in printed_ranks and printed_ranks[agency][0] == printed_rank:
                why = (
                    f"hạng in đúng theo «Tổng điểm» in ({shown(printed)}) nhưng tổng tính lại là "
                    f"{shown(expected)}: " + "; ".join(reasons)
                )
            else:
                by_print = printed_ranks[agency][0] if agency in printed_ranks else "—"
                why = f"hạng in không khớp với «Tổng điểm» in {shown(printed)} (theo đó xếp thứ {by_print})"
            findings.append(
                Finding(
                    agency,
                    "RANK",
                    "rank_mismatch",
                    rank,
                    printed_rank,
                    row.location("RANK"),
                    row.source_file,
                    f"Xếp hạng chung, {agency}: in hạng {shown(printed_rank)}, tính lại hạng {rank}; {why}.",
                )
            )
    return findings


def _check_columns(
    row: Row, sections: tuple[Section, ...], domains: Mapping[str, Mapping[str, Row]], places: int
) -> list[Finding]:
    """Each section column of the overall row against the «Tổng điểm» printed in that section's table."""
    findings: list[Finding] = []
    for section, column in zip(sections, _domain_columns(row), strict=False):
        value = row.value(column)
        domain = domains.get(section.id, {}).get(row.agency)
        printed = domain.value(f"{section.id}.TOTAL") if domain else None
        if value is not None and printed is not None and differs(value, printed, places):
            findings.append(
                Finding(
                    row.agency,
                    column,
                    "total_mismatch",
                    printed,
                    value,
                    row.location(column),
                    row.source_file,
                    f"Xếp hạng chung, {row.agency}: cột lĩnh vực {section.id} in {shown(value)}, "
                    f"bảng {section.id} in «Tổng điểm» {shown(printed)}.",
                )
            )
    return findings


def _reasons(
    row: Row,
    sections: tuple[Section, ...],
    parts: Mapping[str, float],
    domains: Mapping[str, Mapping[str, Row]],
    places: int,
) -> list[str]:
    """Why the row's printed overall total differs from the rebuilt one, in Vietnamese."""
    reasons: list[str] = []
    columns = _domain_columns(row)
    for section, column in zip(sections, columns, strict=False):
        value, computed = row.value(column), parts.get(section.id)
        domain = domains.get(section.id, {}).get(row.agency)
        printed = domain.value(f"{section.id}.TOTAL") if domain else None
        if value is None or computed is None or not differs(value, computed, places):
            continue
        if printed is not None and not differs(value, printed, places):
            reasons.append(
                f"lĩnh vực {section.id} in {shown(value)} (cột {column}), như «Tổng điểm» của bảng "
                f"{section.id}, nhưng các ô điểm của bảng {section.id} cộng lại {shown(computed)}"
            )
        else:
            reasons.append(
                f"lĩnh vực {section.id} in {shown(value)} (cột {column}), bảng {section.id} in «Tổng điểm» "
                f"{shown(printed)} và các ô điểm của bảng cộng lại {shown(computed)}"
            )
    printed_total = row.value("TOTAL")
    listed = [v for c in columns if (v := row.value(c)) is not None]
    complete = printed_total is not None and len(listed) == len(sections)
    if complete and printed_total is not None and differs(sum(listed), printed_total, places):
        reasons.append(
            f"«Tổng điểm» in {shown(printed_total)} khác tổng các cột lĩnh vực in "
            f"{shown(round(sum(listed), 2))}"
        )
    return reasons or ["không rõ nguyên nhân"]
