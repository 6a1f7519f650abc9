"""The sheets beside the rankings: every agency's points per criterion with how each was obtained
("Chi tiết tiêu chí", filterable), lists (the scoring flags, the appraisal adjustments), and what
produced the workbook ("Thông tin lần chạy")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from egovcli.rank.model import RankRow
from egovcli.render.problems import code_label
from egovcli.render.summary import criterion_sort_key
from egovcli.render.workbook.layout import HEADER_ROW, Sheet, put
from egovcli.score.model import BASIS_WORDS, AgencyScore, CriterionScore
from egovcli.textnorm import vi_number

DETAIL_COLUMNS = (  # header, width
    ("Cơ quan", 26), ("Nhóm", 13), ("Kỳ", 7), ("TT", 8), ("Tiêu chí", 34), ("Điểm", 8), ("Điểm tối đa", 8),
    ("Căn cứ", 13), ("Điểm tự đánh giá", 9), ("Điểm thẩm định", 9), ("Cảnh báo", 18), ("Diễn giải", 46),
    ("Nguồn số liệu", 22),
)
INDEX_COLUMN = ("Chỉ số", 8)  # `result: index`: after "Điểm tối đa"
RUN_COLUMNS = (("Mục", 28), ("Nội dung", 100))


class DetailSheet:
    """"Chi tiết tiêu chí": one row per agency and criterion (section and total rows in bold),
    agencies in the order they are added (ranking order), criteria in rule order: points, maximum,
    basis, self and appraised points, flags (the points cell filled), the explanation and the file
    and cell the value came from."""

    def __init__(
        self, ws: Any, ranking: list[RankRow], subtitle: str, rules_title: str, st: dict[str, Any],
        index_format: str | None,
    ) -> None:
        columns = list(DETAIL_COLUMNS)
        if index_format:
            columns.insert(7, INDEX_COLUMN)
        self.sheet = Sheet(ws, columns, st).begin("Chi tiết điểm theo tiêu chí", subtitle, rules_title,
                                                  f"B{HEADER_ROW + 1}")
        self.labels = {(r.period, r.group): r.group_label for r in ranking}
        self.index_format = index_format

    def add(self, score: AgencyScore) -> None:
        """The rows of one agency's score."""
        ws, st, index_format = self.sheet.ws, self.sheet.st, self.index_format
        group = self.labels.get((score.period, score.group), score.group)
        for row in sorted(score.rows, key=lambda r: criterion_sort_key(r.criterion)):
            values = _detail_values(score, row, group)
            if index_format:
                values.insert(7, row.index)
            font = "bold" if row.basis == "total" else "text"  # section and total rows in bold
            cells = []
            for col, value in enumerate(values, start=1):
                flagged = ("flag_fill",) if col == 6 and row.flags else ()
                cells.append(put(ws, value, st, font, "border", "wrap", *flagged))
            if index_format:
                cells[7].number_format = index_format
            self.sheet.add(cells)


def _detail_values(score: AgencyScore, row: CriterionScore, group: str) -> list[object]:
    basis = BASIS_WORDS.get(row.basis, row.basis) + ("" if row.counted else "; không tính điểm")
    source = ", ".join(p for p in (row.source_file, row.location) if p)
    return [
        score.agency, group, score.period, row.criterion, row.label, row.points, row.max_points, basis,
        row.self_points, row.appraised_points, "; ".join(code_label(f) for f in row.flags),
        row.explanation + (f" Lý do điều chỉnh: {row.adjustment_reason}" if row.adjustment_reason else ""),
        source,
    ]


class ListSheet:
    """A sheet listing rows (the audit flags, the adjustments) under `columns` (key, header, width),
    added as they come; `end` writes `empty` when none came."""

    def __init__(
        self, ws: Any, title: str, columns: Sequence[tuple[str, str, int]], subtitle: str, rules_title: str,
        st: dict[str, Any],
    ) -> None:
        self.keys = [key for key, _, _ in columns]
        self.sheet = Sheet(ws, [(label, width) for _, label, width in columns], st)
        self.sheet.begin(title, subtitle, rules_title, f"A{HEADER_ROW + 1}")

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        ws, st = self.sheet.ws, self.sheet.st
        for row in rows:
            self.sheet.add([put(ws, row[k], st, "text", "border", "wrap") for k in self.keys])

    def end(self, empty: str = "") -> None:
        if self.sheet.line == HEADER_ROW and empty:
            self.sheet.add([put(self.sheet.ws, empty, self.sheet.st, "text")], fit=False)
            return
        self.sheet.end()


def run_sheet(
    ws: Any, items: Sequence[tuple[str, object]], subtitle: str, rules_title: str, st: dict[str, Any]
) -> None:
    """What produced the workbook, one (label, value) per row: numbers in Vietnamese notation, lists
    one item per line."""
    sheet = Sheet(ws, RUN_COLUMNS, st)
    sheet.begin("Thông tin lần chạy", subtitle, rules_title, f"A{HEADER_ROW + 1}")
    for label, value in items:
        sheet.add([put(ws, text, st, "bold" if col == 1 else "text", "border", "wrap")
                   for col, text in enumerate((label, _shown(value)), start=1)])


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
