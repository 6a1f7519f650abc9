"""The ranking as an Excel workbook, laid out like a decision annex.

Sheets: "Tổng hợp" (one row per agency: rank, section points, total), one sheet per section with the
criteria down and the agencies across (as in the phụ lục tables the agencies filled in: TT, Tiêu chí,
Điểm tối đa, then one points column per agency), and "Kiểm tra" (one row per scoring flag).
Points stay real numbers; how each point was obtained is shown by the cell's number format
("10 (TĐG)" = taken from the self-assessment), a fill for flagged cells, a legend under the table,
and a cell comment with the explanation and source. Text from submissions is always written as text.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from egovcli import OUTPUT_MARKER, groups
from egovcli.rank.model import RankRow
from egovcli.render.atomic import Protected, atomic_path
from egovcli.render.export import FORMULA_START
from egovcli.render.fixedzip import FIXED_TIME, normalised_zip
from egovcli.render.problems import code_label
from egovcli.render.summary import (
    adjustment_rows,
    change,
    criterion_sort_key,
    flag_rows,
    ordered_scores,
    section_heading,
)
from egovcli.rules.model import RuleSet
from egovcli.score.model import BASIS_WORDS, AgencyScore, CriterionScore
from egovcli.textnorm import vi_number
from egovcli.untrusted import visible

SUMMARY_SHEET = "Tổng hợp"
AUDIT_SHEET = "Kiểm tra"
ADJUSTMENT_SHEET = "Điều chỉnh"  # only when the scoring applied appraisal adjustments
ADJUSTMENT_COLUMNS = (  # adjustment_rows key, header, width
    ("agency", "Cơ quan", 30),
    ("period", "Kỳ", 8),
    ("criterion", "Tiêu chí", 10),
    ("label", "Nội dung", 45),
    ("points", "Điểm sau điều chỉnh", 12),
    ("max_points", "Điểm tối đa", 10),
    ("reason", "Lý do", 40),
    ("explanation", "Diễn giải", 60),
    ("source_file", "Tệp", 22),
    ("location", "Vị trí", 10),
)
# a points cell's basis, as a marker after the number (data: none)
BASIS_MARKS = {
    "appraisal": "TĐ", "self": "TĐG", "missing": "thiếu", "not_applicable": "KAD", "adjusted": "ĐC",
}
UNCOUNTED_MARK = "không tính"  # `counted: false`, weight 0: computed and shown, in no total
LEGEND = (
    "Ghi chú:",
    "Số không kèm ký hiệu: điểm tính từ số liệu minh chứng.",
    "(TĐ): điểm lấy theo điểm thẩm định (không có số liệu để đối chiếu).",
    "(TĐG): điểm lấy theo điểm tự đánh giá của cơ quan (không có số liệu để đối chiếu).",
    "(thiếu): không có số liệu và không có điểm tự đánh giá.",
    "(KAD): tiêu chí không áp dụng với cơ quan nên được điểm tối đa.",
    "(ĐC): điểm điều chỉnh sau thẩm định, lý do ở trang “Điều chỉnh”.",
    f"Ô tô màu cam: có cảnh báo, xem trang “{AUDIT_SHEET}”. Dòng in đậm: điểm của mục, tiểu mục.",
    "Đặt chuột vào ô điểm để xem diễn giải cách tính và nguồn số liệu.",
)
UNCOUNTED_LEGEND = "(không tính): tiêu chí, mục không tính điểm: được chấm và hiển thị, không cộng vào tổng."
AUDIT_COLUMNS = (  # flag_rows key, header, width
    ("agency", "Cơ quan", 30),
    ("criterion", "Tiêu chí", 10),
    ("label", "Nội dung", 45),
    ("flag", "Cờ", 36),
    ("self_points", "Điểm tự đánh giá", 12),
    ("appraised_points", "Điểm thẩm định", 12),
    ("basis", "Căn cứ", 10),
    ("points", "Điểm tính được", 12),
    ("explanation", "Diễn giải", 50),
    ("source_file", "Tệp nguồn", 30),
    ("location", "Vị trí", 22),
)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_ranking_workbook(
    path: str | os.PathLike[str],
    ranking: list[RankRow],
    scores: Sequence[AgencyScore],
    sections: list[tuple[str, str, float]],
    rules_title: str = "",
    *,
    adjustments: str = "",
    protected: Protected | None = None,
    rules: RuleSet | None = None,
) -> None:
    """Write the ranking workbook to `path` atomically (never onto a `protected` path).

    `sections` = (id, title, max) in rule order; `rules_title` names the rule set in the title rows
    (default: the rule-set names found in `scores`); `adjustments` says which appraisal adjustments
    the scoring applied ("adjustments.csv (2 dòng, sha256 …)" or "không có"), after the rule set;
    `rules` how its totals were made: with `result: index` each total's index beside its points,
    what is not counted marked "không tính điểm" (None: points, 2 decimals, everything counted).
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "egov"
    wb.properties.keywords = OUTPUT_MARKER  # so that `egov ingest` never reads it back as a report
    wb.properties.created = FIXED_TIME
    st = _styles()
    subtitle = "Bộ tiêu chí: {}; kỳ đánh giá: {}".format(
        rules_title or ", ".join(sorted({s.rules for s in scores})),
        ", ".join(sorted({r.period for r in ranking})),
    ) + (f"; điều chỉnh sau thẩm định: {adjustments}" if adjustments else "")
    uncounted = rules.uncounted if rules else frozenset()
    index_format = _index_format(rules) if rules and rules.precision.index else None
    _summary_sheet(wb.active, ranking, sections, subtitle, st, uncounted, index_format)
    used = {SUMMARY_SHEET.casefold(), AUDIT_SHEET.casefold(), ADJUSTMENT_SHEET.casefold()}
    agencies = ordered_scores(ranking, scores)
    labels = {r.group: r.group_label for r in ranking}
    for sid, title, max_points in sections:
        ws = wb.create_sheet(sheet_name(section_heading(sid, title), used))
        _section_sheet(ws, sid, title, max_points, agencies, labels, subtitle, st, uncounted)
    flags = flag_rows(ranking, scores)
    _list_sheet(wb.create_sheet(AUDIT_SHEET), "Kiểm tra: cảnh báo khi chấm điểm", AUDIT_COLUMNS, flags,
                "Không có cảnh báo.", subtitle, st)
    adjusted = adjustment_rows(ranking, scores)
    if adjusted:
        _list_sheet(wb.create_sheet(ADJUSTMENT_SHEET), "Điều chỉnh sau thẩm định", ADJUSTMENT_COLUMNS,
                    adjusted, "", subtitle, st)
    buffer = io.BytesIO()  # built in memory: a full disk can only fail the one write below
    wb.save(buffer)
    data = normalised_zip(buffer.getvalue())
    with atomic_path(path, protected) as tmp:
        tmp.write_bytes(data)


def sheet_name(text: str, used: set[str]) -> str:
    """A valid, unique (case-insensitive) sheet name: ≤31 characters, none of []:*?/\\ ."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", visible(text)).split()).strip("'") or "Mục"
    name, n = _fit(base, 31), 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = _fit(base, 31 - len(suffix)) + suffix, n + 1
    used.add(name.casefold())
    return name


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut[: cut.rindex(" ")] if " " in cut else cut).rstrip(" ,;.-–") + "…"


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "title": Font(bold=True, size=14),
        "subtitle": Font(italic=True),
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="DCE6F1"),
        "flag_fill": PatternFill("solid", fgColor="FCD5B4"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "header_align": Alignment(wrap_text=True, horizontal="center", vertical="center"),
    }


def _put(ws: Any, row: int, col: int, value: object) -> Any:
    """Set a cell; strings are always literal text (never a formula), whatever they start with, with
    control characters shown as visible escapes (openpyxl refuses them; a reader must see them)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = visible(value)
        cell.value = text
        cell.data_type = "s"
        if text.lstrip(" \u00a0").startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    else:
        cell.value = value
    return cell


def _titles(ws: Any, title: str, subtitle: str, width: int, st: dict[str, Any]) -> None:
    _put(ws, 1, 1, title).font = st["title"]
    _put(ws, 2, 1, subtitle).font = st["subtitle"]
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _header(ws: Any, row: int, labels: Iterable[tuple[str, float]], st: dict[str, Any]) -> int:
    """Write a header row of (label, column width); returns the number of columns."""
    from openpyxl.utils import get_column_letter

    col = 0
    for col, (label, width) in enumerate(labels, start=1):
        cell = _put(ws, row, col, label)
        cell.font, cell.fill, cell.border = st["bold"], st["header_fill"], st["border"]
        cell.alignment = st["header_align"]
        ws.column_dimensions[get_column_letter(col)].width = width
    return col


def _print_setup(ws: Any, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def _index_format(rules: RuleSet) -> str:
    """The number format of an index cell: the rule set's decimals, fixed ("0.0000")."""
    decimals = rules.precision.decimals
    return "0." + "0" * decimals if decimals else "0"


def _maximum(sid: str, max_points: float, uncounted: frozenset[str], unit: str = "") -> str:
    """"tối đa 100", with "không tính điểm" for a section that is not counted."""
    return f"tối đa {vi_number(max_points)}{unit}" + ("; không tính điểm" if sid in uncounted else "")


def _summary_sheet(
    ws: Any, ranking: list[RankRow], sections: list[tuple[str, str, float]], subtitle: str,
    st: dict[str, Any], uncounted: frozenset[str] = frozenset(), index_format: str | None = None,
) -> None:
    """One row per agency: rank, section points, total (with `index_format`: the total's and each
    section's index after the total), level, change since the previous period."""
    has_levels = any(r.level for r in ranking)
    has_previous = any(r.previous_period for r in ranking)
    has_notes = any(r.predecessors for r in ranking)  # a merged or renamed agency: with what it is compared
    headers = [("Xếp hạng", 9), ("Cơ quan", 38), ("Nhóm", 16), ("Kỳ", 8)]
    headers += [(f"{section_heading(sid, t)}\n({_maximum(sid, m, uncounted)})", 15) for sid, t, m in sections]
    headers += [("Tổng điểm", 11), ("Điểm tối đa", 11)]
    if index_format:
        headers += [("Chỉ số", 11)] + [(f"Chỉ số {sid}", 11) for sid, _, _ in sections]
    headers += [("Xếp loại", 14)] if has_levels else []
    if has_previous:
        headers += [("Kỳ trước", 9), ("Hạng kỳ trước", 10), ("Thay đổi hạng", 10), ("Tổng điểm kỳ trước", 11),
                    ("Thay đổi điểm", 10)]
    headers += [("So với kỳ trước", 40)] if has_notes else []
    ws.title = SUMMARY_SHEET
    _titles(ws, "Kết quả xếp hạng", subtitle, len(headers), st)
    ncols = _header(ws, 3, headers, st)
    ws.row_dimensions[3].height = 75
    for i, r in enumerate(ranking, start=4):
        values: list[object] = [r.rank, r.agency, r.group_label, r.period]
        values += [r.sections.get(sid) for sid, _, _ in sections] + [r.total, r.max_total]
        if index_format:
            values += [r.index] + [r.section_indices.get(sid) for sid, _, _ in sections]
        values += [r.level] if has_levels else []
        if has_previous:  # changes as signed text ("+2", "-1,5"): a sign is what readers look for
            values += [r.previous_period, r.previous_rank, change(r.rank_change), r.previous_total,
                       change(r.total_change)]
        values += [r.previous_note] if has_notes else []
        for col, value in enumerate(values, start=1):
            _put(ws, i, col, value).border = st["border"]
        ws.cell(row=i, column=5 + len(sections)).font = st["bold"]  # Tổng điểm
        if index_format:
            first = 7 + len(sections)  # Chỉ số, then one per section
            for col in range(first, first + 1 + len(sections)):
                ws.cell(row=i, column=col).number_format = index_format
            ws.cell(row=i, column=first).font = st["bold"]
    ws.freeze_panes = "C4"
    if ranking:
        from openpyxl.utils import get_column_letter

        ws.auto_filter.ref = f"A3:{get_column_letter(ncols)}{len(ranking) + 3}"
    _print_setup(ws, 3)


def _section_sheet(
    ws: Any,
    sid: str,
    title: str,
    max_points: float,
    agencies: list[AgencyScore],
    labels: dict[str, str],
    subtitle: str,
    st: dict[str, Any],
    uncounted: frozenset[str] = frozenset(),
) -> None:
    """Criteria down (section row, subsection rows in bold, criteria), agencies across under their
    group's heading (`labels`: group id → heading); what is not counted marked "(không tính)"."""
    rows = [{r.criterion: r for r in a.rows if r.section == sid or r.criterion == sid} for a in agencies]
    ids = sorted({sid}.union(*(r.keys() for r in rows)), key=criterion_sort_key)
    heading = f"{section_heading(sid, title)} ({_maximum(sid, max_points, uncounted, ' điểm')})"
    _titles(ws, heading, subtitle, 3 + len(agencies), st)
    _group_band(ws, 3, agencies, labels, st)
    _header(ws, 4, [("TT", 9), ("Tiêu chí", 60), ("Điểm tối đa", 9)] + [(a.agency, 13) for a in agencies], st)
    ws.row_dimensions[4].height = 60
    line = 4
    for cid in ids:
        line += 1
        found = [r[cid] for r in rows if cid in r]
        is_total = cid == sid or any(r.basis == "total" for r in found)
        label = title if cid == sid else (found[0].label if found else "")
        maximum = max_points if cid == sid else (found[0].max_points if found else None)
        for col, value in enumerate((cid, label, maximum), start=1):
            cell = _put(ws, line, col, value)
            cell.border, cell.alignment = st["border"], st["wrap"]
            if is_total:
                cell.font = st["bold"]
        for col, (agency, by_id) in enumerate(zip(agencies, rows, strict=True), start=4):
            row = by_id.get(cid)
            cell = ws.cell(row=line, column=col)
            _points_cell(cell, _points(agency, sid, cid, row, is_total), row, st)
            if is_total:
                cell.font = st["bold"]
    legend = LEGEND + ((UNCOUNTED_LEGEND,) if uncounted else ())
    for offset, text in enumerate(legend, start=2):
        _put(ws, line + offset, 1, text)
    ws.freeze_panes = "D5"
    _print_setup(ws, 4)


def _group_band(
    ws: Any, row: int, agencies: list[AgencyScore], labels: dict[str, str], st: dict[str, Any]
) -> None:
    """Above the agency columns: one merged cell per group ("Sở, ban, ngành", "UBND cấp huyện")."""
    col = 4
    for group, members in groupby(agencies, key=lambda a: a.group):
        width = len(list(members))
        cell = _put(ws, row, col, labels.get(group) or groups.label(group))
        cell.font, cell.alignment = st["bold"], st["header_align"]
        if width > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + width - 1)
        col += width


def _points(
    agency: AgencyScore, sid: str, cid: str, row: CriterionScore | None, is_total: bool
) -> float | None:
    """Points shown for one agency on one line: a total line's own row (what is not counted left out),
    else the sum of the criteria beneath it."""
    if cid == sid:
        return agency.section_points().get(sid, 0.0 if row else None)
    if not is_total or (row is not None and row.basis == "total"):
        return row.points if row else None
    parts = [c.points for c in agency.criteria if c.criterion.startswith(cid + ".")]
    return round(sum(parts), 2) if parts or row else None


def _points_cell(cell: Any, value: float | None, row: CriterionScore | None, st: dict[str, Any]) -> None:
    """Fill a points cell: the number, a basis marker, a fill when flagged, a comment explaining it."""
    from openpyxl.comments import Comment

    cell.value = value
    cell.border = st["border"]
    if row is None:
        return
    marks = [m for m in (BASIS_MARKS.get(row.basis), None if row.counted else UNCOUNTED_MARK) if m]
    if marks:
        cell.number_format = f'General" ({", ".join(marks)})"'
    if row.flags:
        cell.fill = st["flag_fill"]
    written = "Tổng ghi trong báo cáo" if row.basis == "total" else "Điểm tự đánh giá"
    notes = [
        row.explanation,
        f"{written}: {vi_number(row.self_points)}" if row.self_points is not None else "",
        f"Điểm thẩm định: {vi_number(row.appraised_points)}" if row.appraised_points is not None else "",
        f"Căn cứ: {BASIS_WORDS[row.basis]}" if row.basis in BASIS_WORDS else "",
        "Cảnh báo: " + "; ".join(code_label(f) for f in row.flags) if row.flags else "",
        f"Lý do điều chỉnh: {row.adjustment_reason}" if row.adjustment_reason else "",
        "Nguồn: " + ", ".join(p for p in (row.source_file, row.location) if p) if row.source_file else "",
    ]
    text = "\n".join(n for n in notes if n)
    if text:
        cell.comment = Comment(visible(text), "egov", height=160, width=320)


def _list_sheet(
    ws: Any, title: str, columns: tuple[tuple[str, str, int], ...], rows: list[dict[str, Any]], empty: str,
    subtitle: str, st: dict[str, Any],
) -> None:
    """A sheet listing `rows` (the audit flags, the adjustments) under `columns` (key, header, width)."""
    _titles(ws, title, subtitle, len(columns), st)
    ncols = _header(ws, 3, [(label, width) for _, label, width in columns], st)
    for i, row in enumerate(rows, start=4):
        for col, (k, _, _) in enumerate(columns, start=1):
            cell = _put(ws, i, col, row[k])
            cell.border, cell.alignment = st["border"], st["wrap"]
    if not rows:
        _put(ws, 4, 1, empty)
    else:
        from openpyxl.utils import get_column_letter

        ws.auto_filter.ref = f"A3:{get_column_letter(ncols)}{len(rows) + 3}"
    ws.freeze_panes = "A4"
    _print_setup(ws, 3)
