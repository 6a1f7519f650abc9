"""The export contract: rows as a terminal table, CSV or JSON, to stdout or a file (atomically).

Numbers are always finite: NaN and ±inf are written as empty (CSV, table) or null (JSON, which
would otherwise get the invalid token NaN), -0.0 as 0.

CSV is opened in spreadsheets, which run a cell starting with = + - @ (or a tab / line break) as a
formula: a label an agency wrote as `=HYPERLINK("http://…";"Xem")` would become a live link, and
"- Máy chủ" an error. So a text cell whose first non-blank character is one of those gets one leading
apostrophe (`'=HYPERLINK(…)`), the usual "this is text" mark; numbers, text that is just a number
("-3") and a lone "-" (an agency's "none") are written as they are. JSON and the table keep every
text exactly as read: programs that need the exact text read JSON (or strip that one apostrophe).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from egovcli.render.atomic import write_text
from egovcli.values import finite

FORMATS = ("table", "csv", "json")
# the terminal table is read by people: Vietnamese headings (CSV and JSON keep the column names)
HEADINGS = {
    "agency": "Cơ quan", "group": "Nhóm", "period": "Kỳ", "indicator": "Chỉ số", "label": "Nội dung",
    "raw_value": "Giá trị ghi", "value": "Giá trị", "unit": "Đơn vị", "kind": "Loại",
    "source_file": "Tệp", "location": "Vị trí", "criterion": "Tiêu chí", "section": "Mục",
    "points": "Điểm", "max_points": "Điểm tối đa", "basis": "Căn cứ", "self_points": "Điểm tự đánh giá",
    "flags": "Cảnh báo", "explanation": "Diễn giải", "adjustment_reason": "Lý do điều chỉnh",
    "rank": "Hạng", "total": "Tổng điểm", "max_total": "Điểm tối đa", "level": "Xếp loại",
    "previous_period": "Kỳ trước", "previous_rank": "Hạng kỳ trước", "rank_change": "Thay đổi hạng",
    "previous_total": "Tổng điểm kỳ trước", "total_change": "Thay đổi điểm", "item": "Mục kiểm tra",
    "expected": "Tính lại", "found": "Bảng in", "published_rank": "Hạng in", "published_total": "Tổng in",
    "note": "Ghi chú", "id": "Mã", "tt": "TT", "max": "Tối đa", "formula": "Cách tính",
    "inputs": "Chỉ số dùng", "groups": "Nhóm áp dụng", "name": "Tên", "title": "Tiêu đề",
    "criteria": "Số tiêu chí", "source": "Nguồn",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # a spreadsheet reads such a cell as a formula
_NUMBER = re.compile(r"\s*[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?\s*")


def _cell(value: object) -> object:
    value = finite(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def spreadsheet_text(text: str) -> str:
    """`text` with one leading apostrophe when a spreadsheet would read it as a formula."""
    head = text.lstrip(" \u00a0")
    if head.startswith(FORMULA_START) and head.rstrip() not in ("-", "+") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = (_cell(row.get(c)) for c in columns)
        writer.writerow([spreadsheet_text(v) if isinstance(v, str) else v for v in cells])
    return buf.getvalue()


def to_json(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    records = [
        {c: _cell(row.get(c)) if c == "flags" else finite(row.get(c)) for c in columns} for row in rows
    ]
    return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_rows(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    fmt: str,
    out: str | None = None,
    *,
    table_columns: Sequence[str] | None = None,
    title: str = "",
) -> None:
    """Write `rows` in `fmt` to `out` (a path, taken literally) or stdout."""
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title or None, show_lines=False)
        shown = list(table_columns or columns)
        for c in shown:
            table.add_column(HEADINGS.get(c, c), overflow="fold")
        for row in rows:
            table.add_row(*(str(_cell(row.get(c))) for c in shown))
        if out:
            console = Console(file=io.StringIO(), width=200, color_system=None)
            console.print(table)
            write_text(out, console.file.getvalue())  # type: ignore[attr-defined]
        else:
            Console(width=None if sys.stdout.isatty() else 200).print(table)
        return
    text = to_csv(rows, columns) if fmt == "csv" else to_json(rows, columns)
    if out:
        write_text(Path(out), text)
    else:
        sys.stdout.write(text)
