"""Appraisal adjustments (điều chỉnh sau thẩm định): points changed by the appraisers after scoring.

adjustments.csv (UTF-8, header `agency,criterion,points,reason[,period]`), one row per change:

- `points` "3" or "0,5" sets the criterion's points; "+1" / "-2" adds to or takes from the points
  egov computed (the result kept within 0 … max, the explanation says so when it is clamped).
- `reason` is required: it is shown wherever the points are (exports, workbook, summaries).
- `period` is needed only when the workspace holds the agency in more than one period.

An adjusted row has basis "adjusted"; its explanation keeps the computation it replaces. The file
is read strictly (`egovcli.csvfile`: a quote error never swallows the rows after it). Every mistake
(a quote error, a non-number, unknown agency or criterion, a set value above the maximum, a row
given twice) is a `Problem` (E-CSV-…) at `file:line` and nothing is scored, so no adjustment is
silently dropped.

The adjustments are part of the workspace's state (`AdjustmentSet`: file name, sha256, rows): stored
with each scoring run and kept for the next one until replaced or cleared.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from egovcli.agencies import agency_key
from egovcli.csvfile import CsvReadError, read_csv
from egovcli.problems import EgovError, Location, Problem, problem
from egovcli.score.model import CriterionScore
from egovcli.textnorm import vi_number
from egovcli.values import parse_number

COLUMNS = ("agency", "criterion", "points", "reason")
ADJUSTED = "adjusted"


class AdjustmentsError(EgovError, ValueError):
    """adjustments.csv cannot be applied; one problem (`file:line: what`) per mistake."""

    code = "E-CSV-VALUE"
    heading = "Lỗi tệp điều chỉnh (không chấm điểm)"


@dataclass(frozen=True, slots=True)
class Adjustment:
    agency: str
    criterion: str
    points: float
    relative: bool  # "+1" / "-2": added to the computed points; else the points are set
    reason: str
    period: str = ""
    file: str = ""  # the adjustments file's name
    line: int = 0

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def change(self) -> str:
        """As written: "3", "+1", "-2"."""
        if not self.relative:
            return vi_number(self.points)
        return f"{'+' if self.points >= 0 else '-'}{vi_number(abs(self.points))}"


@dataclass(frozen=True, slots=True)
class AdjustmentSet:
    """The appraisal adjustments a scoring run applies: the file they came from and its rows."""

    file: str  # the file's name
    sha256: str  # of the file's bytes
    rows: tuple[Adjustment, ...]

    def describe(self) -> str:
        """As outputs name it: "adjustments.csv (2 dòng, sha256 1a2b3c4d5e6f…)"."""
        return f"{self.file} ({len(self.rows)} dòng, sha256 {self.sha256[:12]}…)"

    def to_json(self) -> str:
        rows = [dataclasses.asdict(a) for a in self.rows]
        return json.dumps({"file": self.file, "sha256": self.sha256, "rows": rows}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> AdjustmentSet:
        data = json.loads(text)
        return cls(data["file"], data["sha256"], tuple(Adjustment(**row) for row in data["rows"]))


def read_adjustments(path: str | Path) -> tuple[AdjustmentSet, list[Problem]]:
    """Read adjustments.csv: the readable rows, and a problem at the line of every unreadable one (a
    quote error, a missing cell, a non-number), in line order. AdjustmentsError when the file cannot
    be used at all (unreadable, not UTF-8, a missing column)."""
    path = Path(path)
    try:
        table = read_csv(path, path.name, multiline=("reason",))
    except CsvReadError as exc:
        raise AdjustmentsError(exc.problems) from exc
    header = table.columns
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        need = ", ".join(COLUMNS)
        what = f"thiếu cột {', '.join(missing)} (cần: {need}[, period])"
        raise AdjustmentsError([table.problem("E-CSV-HEADER", 1, what)])
    out, errors = [], []
    for row in table.rows:
        if len(row.cells) > len(header):
            what = (f"dòng có {len(row.cells)} cột, tiêu đề chỉ có {len(header)}"
                    " (ô có dấu phẩy cần đặt trong ngoặc kép)")
            errors.append(table.problem("E-CSV-COLUMNS", row.line, what))
            continue
        cells = {k: v.strip() for k, v in zip(header, row.cells, strict=False) if k}
        cells = {c: cells.get(c, "") for c in (*COLUMNS, "period")}
        raw = cells["points"].replace(" ", "")
        relative = raw[:1] in ("+", "-")
        number = parse_number(raw[1:] if relative else raw)
        missing = [c for c in ("agency", "criterion", "reason") if not cells[c]]
        problems = [f"thiếu {c}" for c in missing]
        if number is None:
            problems.append(f"điểm '{cells['points']}' không phải số (ví dụ 3, 0,5, +1, -2)")
        if problems or number is None:
            code = "E-CSV-MISSING" if missing else "E-CSV-VALUE"
            errors.append(table.problem(code, row.line, "; ".join(problems)))
            continue
        points = -number if raw.startswith("-") else number
        out.append(Adjustment(cells["agency"], cells["criterion"], points, relative, cells["reason"],
                              cells["period"], path.name, row.line))
    return AdjustmentSet(path.name, table.sha256, tuple(out)), table.report(errors)


Key = tuple[str, str]  # agency_key, period


def match_adjustments(
    adjustments: Sequence[Adjustment], scored: Iterable[tuple[str, str, dict[str, float]]]
) -> dict[Key, list[Adjustment]]:
    """Adjustments per (agency key, period) of the `scored` (agency, period, criterion id → max);
    AdjustmentsError for any that names no scored agency, period or criterion, sets points outside
    0 … max, or repeats a row."""
    if not adjustments:  # (a national round's agencies not even listed)
        return {}
    periods: dict[str, list[str]] = {}
    criteria: dict[Key, dict[str, float]] = {}
    for agency, period, ids in scored:
        periods.setdefault(agency_key(agency), []).append(period)
        criteria[(agency_key(agency), period)] = ids
    out: dict[Key, list[Adjustment]] = {}
    seen: dict[tuple[str, str, str], str] = {}
    errors: list[Problem] = []
    for adj in adjustments:
        k = agency_key(adj.agency)
        known = periods.get(k)
        where = Location(adj.file, line=adj.line, agency=adj.agency, criterion=adj.criterion)
        if not known:
            what = f"không có cơ quan '{adj.agency}' trong kết quả chấm điểm"
            errors.append(problem("E-CSV-UNKNOWN", where=where, message=what))
            continue
        if adj.period and adj.period not in known:
            what = f"'{adj.agency}' không có kỳ '{adj.period}' (có: {', '.join(known)})"
            errors.append(problem("E-CSV-UNKNOWN", where=where, message=what))
            continue
        if not adj.period and len(known) > 1:
            what = f"'{adj.agency}' có nhiều kỳ ({', '.join(known)}): ghi rõ cột period"
            errors.append(problem("E-CSV-MISSING", where=where, message=what))
            continue
        period = adj.period or known[0]
        maxima = criteria[(k, period)]
        if adj.criterion not in maxima:
            what = f"'{adj.agency}' không được chấm tiêu chí '{adj.criterion}'"
            errors.append(problem("E-CSV-UNKNOWN", where=where, message=what))
            continue
        if not adj.relative and not 0 <= adj.points <= maxima[adj.criterion]:
            what = (f"điểm {vi_number(adj.points)} của tiêu chí {adj.criterion} "
                    f"ngoài khoảng 0–{vi_number(maxima[adj.criterion])}")
            errors.append(problem("E-CSV-VALUE", where=where, message=what))
            continue
        if (k, period, adj.criterion) in seen:
            first = seen[(k, period, adj.criterion)]
            what = f"tiêu chí {adj.criterion} của '{adj.agency}' đã điều chỉnh ở {first}"
            errors.append(problem("E-CSV-DUPLICATE", where=where, message=what))
            continue
        seen[(k, period, adj.criterion)] = adj.source
        out.setdefault((k, period), []).append(adj)
    if errors:
        raise AdjustmentsError(errors)
    return out

def adjust(row: CriterionScore, adj: Adjustment) -> None:
    """Apply a matched `adj` to its criterion row: basis "adjusted", the reason kept on the row, the
    explanation naming the adjustments file and line and keeping the computation it replaces; the
    row's source stays the submission's cell (its flags are about that cell). A change is kept
    within 0 … max."""
    before = row.points
    after = min(max(before + adj.points, 0.0), row.max_points) if adj.relative else adj.points
    clamped = adj.relative and abs(after - (before + adj.points)) > 1e-9
    row.explanation = (
        f"Điều chỉnh sau thẩm định ({adj.change}; {adj.file} dòng {adj.line}): "
        f"{vi_number(before)} → {vi_number(after)}"
        + (f" (giữ trong 0–{vi_number(row.max_points)})" if clamped else "")
        + f". Lý do: {adj.reason}. Trước điều chỉnh: {row.explanation}"
    )
    row.points, row.basis, row.adjustment_reason = round(after, 2), ADJUSTED, adj.reason
