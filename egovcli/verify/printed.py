"""Checks of a table that prints its own totals (a national DTI ranking, the IT ranking of ministries,
an ICT Index table, a top-10 excerpt): every figure compared at the precision it is printed in.

- ranks against the printed totals, always: a partial or top-N table may start above 1 and jump
  (… 9, 10, 63), but within the printed rows a higher total never ranks below a lower one, equal
  totals (at the printed precision) share a rank and different ones do not; competition (1, 2, 2,
  4) and dense (1, 2, 2, 3) ranking are both understood, as the printed ranks show which;
- without a rank column, a TT/STT column that follows the totals' order is a rank and is checked
  so; one that does not (an alphabetical list) is a row number and is said to be one;
- the total against its printed parts: with a rule set, its sections' aggregation (`aggregate`:
  weights, `aggregate: mean`, a pillar not counted left out — printed or not — and with `result:
  index` parts and total printed as 0–1 indices of their maxima);
  without, the plain sum or the mean when most rows add up that way, else it is said that the parts
  could not be checked; a table printing only totals is said to have no parts to check;
- each figure within its range (the rule set's maxima; 0–1 for an index).

The tolerance of a comparison is half a unit of the last decimal the table prints (0,00005 for
"0,8642"), plus, for a weighted or mean total, the rounding of its printed parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from egovcli.problems import EgovError
from egovcli.rules import RuleSet, Section
from egovcli.textnorm import vi_number
from egovcli.verify.tables import Finding, Row, decimals, half_unit, table_of

_RANKING_SHARE = 4  # a TT column is a rank when at most 1 in 4 of its steps goes against the totals
_ADD_UP_SHARE = 0.8  # the printed parts "add up" when they give the printed total in 4 rows of 5
MISFIT_SHARE = 0.5  # a rule set whose maxima most rows exceed does not fit the table


class RulesMisfitError(EgovError):
    """The rule set given does not fit the table (another number of components, maxima exceeded
    by most rows): a wrong choice of rule set, not a flood of findings."""

    code = "E-VERIFY-RULES-MISFIT"


@dataclass(slots=True)
class Checked:
    """What a printed table's check found, and what it could not check (said in Vietnamese)."""

    findings: list[Finding]
    notes: list[str]


def components(rows: Mapping[str, Row], roles: tuple[str, str]) -> list[str]:
    """The table's part columns in printed order (all but its total and rank)."""
    ids = {i for row in rows.values() for i in row.cells if i not in roles}
    return sorted(ids, key=lambda i: int(n) if (n := i.rpartition(".")[2]).isdigit() else 0)


def places(rows: Mapping[str, Row], column: str) -> int:
    """The most decimals `column` is printed with."""
    return max(
        (decimals(c.obs.raw_value, c.obs.value) for r in rows.values() if (c := r.cells.get(column))
         and c.obs.value is not None),
        default=0,
    )


def check_printed(rows: Mapping[str, Row], rules: RuleSet | None, title: str, table: str = "") -> Checked:
    """Every check of a table printing its own totals (`title` names it in messages; `table` is its
    number, "" for an overall table whose indicators are "TOTAL", "RANK")."""
    table = table or next(  # an overall table may print its number ("Bảng 3. Xếp hạng …"): "3.TOTAL"
        (table_of(i) for r in rows.values() for i in r.cells if i.endswith((".TOTAL", ".RANK"))), ""
    )
    total_id, rank_id = (f"{table}.TOTAL", f"{table}.RANK") if table else ("TOTAL", "RANK")
    parts = components(rows, (total_id, rank_id))
    if not any(total_id in r.cells for r in rows.values()) and len(parts) == 1:
        total_id, parts = parts[0], []  # "Tỉnh | Chỉ số": the one figure is the total
    totals = {a: v for a, r in rows.items() if (v := r.value(total_id)) is not None}
    digits = max([places(rows, total_id), *(places(rows, p) for p in parts)], default=0)
    notes: list[str] = []
    findings = _check_parts(rows, parts, total_id, rules, digits, title, notes)
    findings += _check_range(rows, totals, total_id, rules, title)
    findings += _check_ranks(rows, totals, (total_id, rank_id), places(rows, total_id), title, notes)
    return Checked(findings, notes)


def aggregate(rules: RuleSet, sections: Sequence[Section], values: Sequence[float]) -> float:
    """A total as the rule set makes it from its sections' points: the counted sections (not weight 0,
    not `counted: false`) weighted (points ÷ maximum × weight), averaged as indices × max_total
    (`aggregate: mean`), or added (each never above its cap). The one place a rule set's aggregation
    of printed parts is computed."""
    counted = [(s, v) for s, v in zip(sections, values, strict=True) if s.counts]
    if rules.precision.aggregate == "mean":
        indices = [min(v, s.effective_max) / s.effective_max for s, v in counted]
        return sum(indices) / len(indices) * rules.max_total
    return sum(v / s.effective_max * s.weight if s.weight is not None else min(v, s.effective_max)
               for s, v in counted)


def _rounding(rules: RuleSet, sections: Sequence[Section], moves: Sequence[float]) -> float:
    """How far the printed parts' rounding (`moves`: half a unit of each, in points) can move the
    total, in points."""
    counted = [(s, m) for s, m in zip(sections, moves, strict=True) if s.counts]
    if rules.precision.aggregate == "mean":
        return sum(m / s.effective_max for s, m in counted) / len(counted) * rules.max_total
    return sum(m / s.effective_max * s.weight if s.weight is not None else m for s, m in counted)


def _printed_sections(rules: RuleSet, parts: list[str], title: str) -> tuple[Section, ...]:
    """The rule set's sections the table's part columns print, in order: all of them, or only those
    that count (a table may leave out a pillar "không tính điểm"); else RulesMisfitError."""
    for sections in (rules.sections, rules.counted_sections):
        if len(parts) == len(sections):
            return sections
    raise RulesMisfitError(
        f"{title}: bảng in {len(parts)} cột thành phần, bộ tiêu chí {rules.name} có {len(rules.sections)} "
        "lĩnh vực: bộ tiêu chí không khớp với bảng; chọn bộ tiêu chí khác, bỏ --rules để chỉ kiểm "
        "tra thứ hạng và tổng in, hoặc chỉ rõ cột bằng --columns."
    )


def _scale(rules: RuleSet, rows: Mapping[str, Row], column: str, maximum: float) -> float:
    """Points per printed unit of a column: its maximum when a rule set with `result: index` sees it
    printed as an index (4 values in 5 within 0–1 while the maximum is above 1: "0,7200" of 100
    points; the others are then out of range, not another scale), else 1."""
    values = [v for r in rows.values() if (v := r.value(column)) is not None]
    inside = sum(0 <= v <= 1 for v in values)
    as_index = rules.precision.index and maximum > 1 and values and inside >= _ADD_UP_SHARE * len(values)
    return maximum if as_index else 1.0


def _check_parts(
    rows: Mapping[str, Row],
    parts: list[str],
    total_id: str,
    rules: RuleSet | None,
    digits: int,
    title: str,
    notes: list[str],
) -> list[Finding]:
    """Each row's printed total against its printed parts."""
    if not parts:
        notes.append(f"{title}: bảng chỉ in tổng điểm/chỉ số, không in các thành phần: "
                     "không kiểm tra được các thành phần; đã kiểm tra thứ hạng, thứ tự, đồng hạng và "
                     "khoảng giá trị.")
        return []
    if rules is not None:
        return _check_sections(rows, parts, total_id, rules, digits, title)
    tolerance = half_unit(digits)
    complete = {a: (vals, t) for a, r in rows.items()
                if (t := r.value(total_id)) is not None
                and None not in (vals := [r.value(p) for p in parts])}
    sums = {a: sum(v for v in vals if v is not None) for a, (vals, _) in complete.items()}
    means = {a: s / len(parts) for a, s in sums.items()}
    for name, made, how in (("tổng", sums, "cộng lại"), ("trung bình", means, "trung bình")):
        fits = [a for a in made if abs(made[a] - complete[a][1]) <= tolerance + (0 if name == "tổng" else
                                                                                 half_unit(digits))]
        if complete and len(fits) >= _ADD_UP_SHARE * len(complete):
            slack = tolerance + (0 if name == "tổng" else half_unit(digits))
            return [
                _total_finding(rows[a], total_id, made[a], complete[a][1], digits,
                               f"{title}, {a}: các cột thành phần {how} {_shown(made[a], digits)}, "
                               f"tổng in {rows[a].cells[total_id].obs.raw_value}")
                for a in made if abs(made[a] - complete[a][1]) > slack
            ]
    notes.append(f"{title}: các cột thành phần không cộng lại (cũng không trung bình) thành tổng in: "
                 "tổng có thể có trọng số; dùng --rules với bộ tiêu chí có trọng số để kiểm tra tổng.")
    return []


def _check_sections(
    rows: Mapping[str, Row], parts: list[str], total_id: str, rules: RuleSet, digits: int, title: str
) -> list[Finding]:
    """The parts as the rule set's sections, in order: each within its maximum, the total their
    aggregation. A rule set with another number of sections, or whose maxima most rows exceed,
    does not fit the table (RulesMisfitError)."""
    sections = _printed_sections(rules, parts, title)
    # with `result: index` a column may print indices (0–1) of a maximum in points: read back as points
    scales = [_scale(rules, rows, p, s.effective_max) for p, s in zip(parts, sections, strict=True)]
    per_total = _scale(rules, rows, total_id, rules.max_total)
    findings: list[Finding] = []
    over_rows: set[str] = set()
    # the parts' rounding at the table's precision: a spreadsheet drops trailing zeros ("0,72" of 0,7200)
    moves = [half_unit(digits) * scale for scale in scales]
    tolerance = half_unit(digits) + _rounding(rules, sections, moves) / per_total
    for agency, row in rows.items():
        values = [row.value(p) for p in parts]
        for part, section, value, scale in zip(parts, sections, values, scales, strict=True):
            if value is not None and value > section.effective_max / scale + half_unit(digits):
                over_rows.add(agency)
                cell = row.cells[part].obs
                findings.append(Finding(
                    agency, part, "over_max", section.effective_max / scale, value, cell.location,
                    row.source_file, f"{title}, {agency}: cột {section.id} «{section.title}» in "
                    f"«{cell.raw_value}», vượt {'chỉ số tối đa' if scale != 1 else 'điểm tối đa'} "
                    f"{_shown(section.effective_max / scale, digits)}.",
                ))
        printed = row.value(total_id)
        if printed is None or None in values:
            continue
        points = [v * scale for v, scale in zip(values, scales, strict=True) if v is not None]
        expected = aggregate(rules, sections, points) / per_total
        if abs(expected - printed) > tolerance:
            how = ("theo trọng số" if rules.weighted
                   else "trung bình chỉ số" if rules.precision.aggregate == "mean" else "cộng lại")
            findings.append(_total_finding(
                row, total_id, expected, printed, digits,
                f"{title}, {agency}: các lĩnh vực {how} thành {_shown(expected, digits)}, "
                f"tổng in {row.cells[total_id].obs.raw_value}",
            ))
    if rows and len(over_rows) > MISFIT_SHARE * len(rows):
        raise RulesMisfitError(
            f"{title}: {len(over_rows)}/{len(rows)} dòng vượt điểm tối đa của bộ tiêu chí {rules.name}: "
            "bộ tiêu chí không khớp với bảng; chọn bộ tiêu chí khác hoặc bỏ --rules."
        )
    return findings


def _total_finding(
    row: Row, total_id: str, expected: float, printed: float, digits: int, text: str
) -> Finding:
    cell = row.cells[total_id].obs
    return Finding(
        row.agency, total_id, "total_mismatch", round(expected, digits + 2), printed, cell.location,
        row.source_file, f"{text} (lệch {_shown(printed - expected, digits, signed=True)}, quá nửa đơn vị "
        f"của chữ số in cuối cùng).",
    )


def _check_range(
    rows: Mapping[str, Row], totals: Mapping[str, float], total_id: str, rules: RuleSet | None, title: str
) -> list[Finding]:
    """Totals within [0, maximum]: the rule set's, else one printed in the header, else 1 for an
    index table (most totals between 0 and 1)."""
    if not totals:
        return []
    stated = next(
        (m for r in rows.values() if (c := r.cells.get(total_id)) and (m := c.obs.max_points)), None
    )
    top = rules.max_total / _scale(rules, rows, total_id, rules.max_total) if rules else stated
    inside = sum(0 <= v <= 1 for v in totals.values())
    if top is None and inside >= _ADD_UP_SHARE * len(totals):
        top = 1.0
    findings: list[Finding] = []
    for agency, value in totals.items():
        if value < 0 or (top is not None and value > top):
            cell = rows[agency].cells[total_id].obs
            bound = 0.0 if value < 0 else top
            findings.append(Finding(
                agency, total_id, "over_max", bound, value, cell.location, rows[agency].source_file,
                f"{title}, {agency}: tổng in «{cell.raw_value}» nằm ngoài khoảng 0–{_shown(top or 0, 4)}.",
            ))
    return findings


def _check_ranks(
    rows: Mapping[str, Row],
    totals: Mapping[str, float],
    roles: tuple[str, str],
    digits: int,
    title: str,
    notes: list[str],
) -> list[Finding]:
    """Printed ranks (or a TT that follows the totals) against the totals within the printed rows:
    the fewest rows whose rank contradicts the others are reported, each with the rank the others
    give it."""
    total_id, column = roles
    ranks = {a: v for a in totals if (v := rows[a].value(column)) is not None}
    by_tt = not ranks
    if by_tt:
        tt = {a: float(rows[a].ref) for a in totals if rows[a].ref.isdigit()}
        if len(tt) < len(totals) or len(tt) < 2:
            notes.append(f"{title}: bảng không có cột xếp hạng: không kiểm tra được thứ hạng.")
            return []
        order = sorted(tt, key=lambda a: tt[a])
        against = sum(round(totals[b], digits) > round(totals[a], digits) for a, b in pairwise(order))
        if against * _RANKING_SHARE > len(order) - 1:
            notes.append(f"{title}: cột TT/STT là số thứ tự dòng, không theo thứ tự điểm: không phải thứ "
                         "hạng, không kiểm tra thứ hạng.")
            return []
        ranks, column = tt, total_id
    values = {a: round(totals[a], digits) for a in ranks}
    wrong = _contradicting(values, ranks, by_tt)
    competition = _competition(ranks)
    findings: list[Finding] = []
    for agency in (a for a in ranks if a in wrong):
        expected = _expected(agency, values, ranks, wrong, competition)
        if expected != ranks[agency]:
            tie = any(values[a] == values[agency] for a in ranks if a != agency)
            row = rows[agency]
            findings.append(
                _rank_finding(row, column, expected, ranks[agency], totals[agency], digits, title, tie, by_tt)
            )
    return findings


def _conflict(a: tuple[float, float], b: tuple[float, float], by_tt: bool) -> bool:
    """Whether two rows' (total, rank) contradict each other: the higher total ranked lower, or
    (ranks, not a TT) equal totals ranked apart or different totals ranked together."""
    (va, ra), (vb, rb) = a, b
    if va == vb:
        return not by_tt and ra != rb
    high, low = (ra, rb) if va > vb else (rb, ra)
    return high > low or (high == low and not by_tt)


def _contradicting(values: Mapping[str, float], ranks: Mapping[str, float], by_tt: bool) -> set[str]:
    """The rows to blame: repeatedly those in the most contradictions (both rows of a swap)."""
    names = list(ranks)
    pairs = {
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if _conflict((values[a], ranks[a]), (values[b], ranks[b]), by_tt)
    }
    blamed: set[str] = set()
    while pairs:
        count: dict[str, int] = {}
        for pair in pairs:
            for agency in pair:
                count[agency] = count.get(agency, 0) + 1
        most = max(count.values())
        chosen = {a for a, n in count.items() if n == most}
        blamed |= chosen
        pairs = {p for p in pairs if not set(p) & chosen}
    return blamed


def _competition(ranks: Mapping[str, float]) -> bool:
    """Whether the printed ranks skip after a tie (1, 2, 2, 4) rather than not (1, 2, 2, 3)."""
    shared: dict[float, int] = {}
    for rank in ranks.values():
        shared[rank] = shared.get(rank, 0) + 1
    return not any(n > 1 and rank + 1 in shared for rank, n in shared.items())


def _expected(
    agency: str, values: Mapping[str, float], ranks: Mapping[str, float], wrong: set[str], competition: bool
) -> float:
    """The rank the unblamed rows give `agency`: that of an equal total, else one past the lowest
    rank above it (past its whole tie in competition ranking), plus the blamed rows above it."""
    value = values[agency]
    equal = [ranks[a] for a in ranks if a not in wrong and values[a] == value]
    if equal:
        return min(equal)
    above = [ranks[a] for a in ranks if a not in wrong and values[a] > value]
    blamed_above = len({values[a] for a in wrong if a != agency and values[a] > value})
    if not above:
        return 1 + blamed_above
    top = max(above)
    tied = sum(1 for a in ranks if a not in wrong and ranks[a] == top)
    return top + (tied if competition else 1) + blamed_above


def _rank_finding(
    row: Row,
    column: str,
    expected: float,
    printed: float,
    total: float,
    digits: int,
    title: str,
    tie: bool,
    by_tt: bool,
) -> Finding:
    cell = row.cells[column].obs
    what = "in ở TT" if by_tt else "in hạng"
    same = " (đồng hạng với dòng có cùng giá trị)" if tie else ""
    return Finding(
        row.agency, column, "rank_mismatch", expected, printed, cell.location, row.source_file,
        f"{title}, {row.agency}: {what} {_shown(printed, 0)} với tổng {_shown(total, digits)}; theo các "
        f"tổng in thì xếp thứ {_shown(expected, 0)}{same}.",
    )


def _shown(value: float, digits: int, *, signed: bool = False) -> str:
    """A number as the table prints it: decimal comma, `digits` decimals."""
    text = vi_number(value, digits, fixed=True)
    return f"+{text}" if signed and value > 0 else text
