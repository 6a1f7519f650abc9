"""The sheets beside the rankings: every agency's points per criterion with how each was obtained
("Chi tiết tiêu chí", filterable), lists (the scoring flags, the appraisal adjustments), and what
produced the workbook ("Thông tin lần chạy")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from egovcli.rank.model import RankRow
from egovcli.render.problems import code_label
from egovcli.render.summary import criterion_sort_key, ordered_scores
from egovcli.render.workbook.layout import autofilter, fit_rows, header, print_setup, put, titles
from egovcli.score.model import BASIS_WORDS, AgencyScore, CriterionScore
from egovcli.textnorm import vi_number

DETAIL_COLUMNS = (  # header, width
    ("Cơ quan", 26), ("Nhóm", 13), ("Kỳ", 7), ("TT", 8), ("Tiêu chí", 34), ("Điểm", 8), ("Điểm tối đa", 8),
    ("Căn cứ", 13), ("Điểm tự đánh giá", 9), ("Điểm thẩm định", 9), ("Cảnh báo", 18), ("Diễn giải", 46),
    ("Nguồn số liệu", 22),
)
INDEX_COLUMN = ("Chỉ số", 8)  # `result: index`: after "Điểm tối đa"
RUN_COLUMNS = (("Mục", 28), ("Nội dung", 100))
HEADER_ROW = 3


def detail_sheet(
    ws: Any,
    ranking: list[RankRow],
    scores: Sequence[AgencyScore],
    subtitle: str,
    rules_title: str,
    st: dict[str, Any],
    index_format: str | None,
) -> None:
    """One row per agency and criterion (section and total rows in bold), agencies in ranking order,
    criteria in rule order: points, maximum, basis, self and appraised points, flags (the points
    cell filled), the explanation and the file and cell the value came from."""
    columns = list(DETAIL_COLUMNS)
    if index_format:
        columns.insert(7, INDEX_COLUMN)
    widths = [w for _, w in columns]
    titles(ws, "Chi tiết điểm theo tiêu chí", subtitle, widths, st)
    ncols = header(ws, HEADER_ROW, columns, st)
    labels = {(r.period, r.group): r.group_label for r in ranking}
    line = HEADER_ROW
    for score in ordered_scores(ranking, list(scores)):
        for row in sorted(score.rows, key=lambda r: criterion_sort_key(r.criterion)):
            line += 1
            values = _detail_values(score, row, labels.get((score.period, score.group), score.group))
            if index_format:
                values.insert(7, row.index)
            font = "bold" if row.basis == "total" else "text"  # section and total rows in bold
            for col, value in enumerate(values, start=1):
                flagged = ("flag_fill",) if col == 6 and row.flags else ()
                put(ws, line, col, value, st, font, "border", "wrap", *flagged)
            if index_format:
                ws.cell(row=line, column=8).number_format = index_format
    fit_rows(ws, HEADER_ROW + 1, line, widths)
    autofilter(ws, HEADER_ROW, ncols, line)
    print_setup(ws, HEADER_ROW, rules_title, f"B{HEADER_ROW + 1}")


def _detail_values(score: AgencyScore, row: CriterionScore, group: str) -> list[object]:
    basis = BASIS_WORDS.get(row.basis, row.basis) + ("" if row.counted else "; không tính điểm")
    source = ", ".join(p for p in (row.source_file, row.location) if p)
    return [
        score.agency, group, score.period, row.criterion, row.label, row.points, row.max_points, basis,
        row.self_points, row.appraised_points, "; ".join(code_label(f) for f in row.flags),
        row.explanation + (f" Lý do điều chỉnh: {row.adjustment_reason}" if row.adjustment_reason else ""),
        source,
    ]


def list_sheet(
    ws: Any, title: str, columns: Sequence[tuple[str, str, int]], rows: list[dict[str, Any]], empty: str,
    subtitle: str, rules_title: str, st: dict[str, Any],
) -> None:
    """A sheet listing `rows` (the audit flags, the adjustments) under `columns` (key, header, width)."""
    widths = [w for _, _, w in columns]
    titles(ws, title, subtitle, widths, st)
    ncols = header(ws, HEADER_ROW, [(label, width) for _, label, width in columns], st)
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        for col, (k, _, _) in enumerate(columns, start=1):
            put(ws, i, col, row[k], st, "text", "border", "wrap")
    if not rows:
        put(ws, HEADER_ROW + 1, 1, empty, st, "text")
    fit_rows(ws, HEADER_ROW + 1, HEADER_ROW + len(rows), widths)
    autofilter(ws, HEADER_ROW, ncols, HEADER_ROW + len(rows))
    print_setup(ws, HEADER_ROW, rules_title, f"A{HEADER_ROW + 1}")


def run_sheet(
    ws: Any, items: Sequence[tuple[str, object]], subtitle: str, rules_title: str, st: dict[str, Any]
) -> None:
    """What produced the workbook, one (label, value) per row: numbers in Vietnamese notation, lists
    one item per line."""
    widths = [w for _, w in RUN_COLUMNS]
    titles(ws, "Thông tin lần chạy", subtitle, widths, st)
    header(ws, HEADER_ROW, RUN_COLUMNS, st)
    for i, (label, value) in enumerate(items, start=HEADER_ROW + 1):
        for col, text in enumerate((label, _shown(value)), start=1):
            put(ws, i, col, text, st, "bold" if col == 1 else "text", "border", "wrap")
    fit_rows(ws, HEADER_ROW + 1, HEADER_ROW + len(items), widths)
    print_setup(ws, HEADER_ROW, rules_title, f"A{HEADER_ROW + 1}")


def _shown(value: object) -> str:
    """A run sheet value as text (always text: a hash or a version is no number to compute with)."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        return vi_number(value, 10)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(_shown(v) for v in value)
    return "" if value is None else str(value)
