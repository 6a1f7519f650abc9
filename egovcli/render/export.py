"""The export contract: rows as a terminal table, CSV or JSON, to stdout or a file (atomically).

Numbers are always finite: NaN and ±inf are written as empty (CSV, table) or null (JSON, which
would otherwise get the invalid token NaN), -0.0 as 0.

CSV is opened in spreadsheets, which run a cell starting with = + - @ (or a tab / line break) as a
formula: a label an agency wrote as `=HYPERLINK("http://…";"Xem")` would become a live link, and
"- Máy chủ" an error. So a text cell whose first non-blank character is one of those gets one leading
apostrophe (`'=HYPERLINK(…)`), the usual "this is text" mark; numbers, text that is just a number
("-3") and a lone "-" (an agency's "none") are written as they are. JSON keeps every text exactly as
read: programs that need the exact text read JSON (or strip that one apostrophe).

Submitted text is shown, never obeyed (`egovcli.untrusted`): control characters, escape sequences
and bidi overrides appear as visible escapes (`\\x1b`) in the table and CSV, as `\\u` escapes in
JSON; table cells are rich `Text`, never markup.

The format follows `--out`'s extension when `--format` is not given (`output_format`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sys
from collections.abc import Mapping, Sequence

from egovcli.lang import EN, current, tr
from egovcli.render.atomic import STDOUT, OutputError, Protected, is_special, write_text
from egovcli.untrusted import json_text, terminal, visible
from egovcli.values import finite

FORMATS = ("table", "csv", "json")
# the format an output's extension names: --out of the row commands, rank's --out, --md / --html
ROW_EXTENSIONS = {".csv": "csv", ".json": "json", ".txt": "table", ".md": "table"}
RANK_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".txt": "table"}
SUMMARY_EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".html": "html", ".htm": "html",
    ".xlsx": "xlsx", ".csv": "csv", ".json": "json",
}  # fmt: skip
# the terminal table is read by people: Vietnamese headings (CSV and JSON keep the column names)
HEADINGS = {
    "agency": "Cơ quan", "group": "Nhóm", "group_label": "Nhóm", "period": "Kỳ", "indicator": "Chỉ số",
    "label": "Nội dung",
    "raw_value": "Giá trị ghi", "value": "Giá trị", "unit": "Đơn vị", "kind": "Loại",
    "source_file": "Tệp", "location": "Vị trí", "criterion": "Tiêu chí", "section": "Mục",
    "points": "Điểm", "max_points": "Điểm tối đa", "basis": "Căn cứ", "self_points": "Điểm tự đánh giá",
    "appraised_points": "Điểm thẩm định",
    "flags": "Cảnh báo", "explanation": "Diễn giải", "adjustment_reason": "Lý do điều chỉnh",
    "rank": "Hạng", "total": "Tổng điểm", "max_total": "Điểm tối đa", "level": "Xếp loại",
    "previous_period": "Kỳ trước", "previous_rank": "Hạng kỳ trước", "rank_change": "Thay đổi hạng",
    "previous_total": "Tổng điểm kỳ trước", "total_change": "Thay đổi điểm", "item": "Mục kiểm tra",
    "previous_basis": "Cơ sở so sánh", "predecessors": "Đơn vị tiền thân", "previous_note": "So với kỳ trước",
    "expected": "Tính lại", "found": "Bảng in", "published_rank": "Hạng in", "published_total": "Tổng in",
    "note": "Ghi chú", "id": "Mã", "tt": "TT", "max": "Tối đa", "formula": "Cách tính",
    "inputs": "Chỉ số dùng", "groups": "Nhóm áp dụng", "name": "Tên", "title": "Tiêu đề",
    "criteria": "Số tiêu chí", "source": "Nguồn", "index": "Chỉ số (0–1)", "counted": "Tính điểm",
    "candidates": "Chỉ số gần nhất", "origin": "Khai báo ở", "labels": "Nhãn nhận biết",
    "derive": "Tính từ",
}
_EXCEL = [False]  # `for_excel`
_MIN_CELL = 24  # the narrowest a wrapped text column gets before the table drops a column instead
# what a narrow table keeps longest: the results (a rank's total and index, a criterion's points)
_RESULTS = ("total", "index", "points", "level", "status", "value", "message")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # a spreadsheet reads such a cell as a formula
_NUMBER = re.compile(r"\s*[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?\s*")


def heading(column: str) -> str:
    """A column's heading for people: Vietnamese (`HEADINGS`), the column name itself in English."""
    return column if current() == EN else HEADINGS.get(column, column)


def terminal_width() -> int:
    """The width a table on stdout is laid out for: the terminal's, else $COLUMNS, else 200 (a file or
    a pipe, read by people who scroll)."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else 200


def fit_columns(
    rows: Sequence[Mapping[str, object]], columns: list[str], width: int
) -> tuple[list[str], list[str]]:
    """The columns a terminal table of `width` shows, and those it hides: a column empty in every row
    is left out (no previous period: its "Kỳ trước" columns), then detail columns from the right,
    then results (`_RESULTS`), until each shown column keeps at least its heading's longest word or
    `_MIN_CELL` characters (the first two — rank or file, and the agency — always stay)."""
    filled = [c for c in columns if any(_cell(row.get(c)) != "" for row in rows)] or columns[:2]
    shown = list(filled)
    # detail first (right to left), then the results, never the first two
    order = [c for c in reversed(filled[2:]) if c not in _RESULTS] + [c for c in reversed(filled[2:])
                                                                       if c in _RESULTS]
    for column in order:
        if sum(column_need(rows, c) for c in shown) + 4 <= width:  # + 4: rich rounds widths up
            break
        shown.remove(column)
    return shown, [c for c in filled if c not in shown]


def column_need(rows: Sequence[Mapping[str, object]], column: str) -> int:
    """The narrowest a table column may get: its heading's longest word, and its longest cell up to
    `_MIN_CELL` characters (longer ones wrap), plus padding and border."""
    longest = max((len(str(_cell(row.get(column)))) for row in rows), default=0)
    word = max((len(w) for w in heading(column).split()), default=1)
    return max(word, min(longest, _MIN_CELL)) + 3


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


def for_excel(on: bool) -> None:
    """Whether CSV written from now on starts with a UTF-8 byte-order mark (`egov --excel`): Excel
    reads a CSV without one in the computer's code page, and Vietnamese becomes "Sá»Ÿ TÃ i chÃ­nh"."""
    _EXCEL[0] = on


def to_csv(rows: Sequence[dict[str, object]], columns: Sequence[str], *, bom: bool = False) -> str:
    """The rows as CSV (`bom`: with the UTF-8 byte-order mark Excel needs, `for_excel`)."""
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = (_cell(row.get(c)) for c in columns)
        writer.writerow([spreadsheet_text(visible(v)) if isinstance(v, str) else v for v in cells])
    return buf.getvalue()


def to_json(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    records = [
        {c: _cell(row.get(c)) if c == "flags" else finite(row.get(c)) for c in columns} for row in rows
    ]
    return json_text(records) + "\n"


def output_format(
    out: str | os.PathLike[str] | None,
    given: str | None,
    extensions: Mapping[str, str] = ROW_EXTENSIONS,
    *,
    option: str = "--format",
) -> str:
    """The format to write to `out`: `given` (by `option`), else the one its extension names (see
    `extensions`); stdout, `-` and special files (/dev/null, a FIFO) take `given`, else "table".
    OutputError for an extension outside `extensions` with no format given, or one contradicting it."""
    if out is None or os.fspath(out) == STDOUT or is_special(out):
        return given or "table"
    suffix = os.path.splitext(os.fspath(out))[1].lower()
    found = extensions.get(suffix)
    accepted = ", ".join(extensions)
    if given is None:
        if found is None:
            raise OutputError(
                f"Không rõ định dạng để ghi '{out}': đuôi tệp cần là một trong {accepted}"
                " (hoặc chọn --format).",
                code="E-OUTPUT-FORMAT",
            )
        return found
    if found is not None and found != given:
        message = f"'{out}': đuôi {suffix} là định dạng {found}, trong khi {option} ghi {given}."
        raise OutputError(message, code="E-OUTPUT-FORMAT")
    return given


def write_rows(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    fmt: str,
    out: str | os.PathLike[str] | None = None,
    *,
    table_columns: Sequence[str] | None = None,
    title: str = "",
    protected: Protected | None = None,
) -> None:
    """Write `rows` in `fmt` to `out` (a path, taken literally; `-` or None: stdout), never onto a
    `protected` path (see `egovcli.render.atomic`)."""
    target = None if out is None or os.fspath(out) == STDOUT else out
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        width = terminal_width() if target is None else 200
        shown, hidden = fit_columns(rows, list(table_columns or columns), width)
        table = Table(title=terminal(title) if title else None, show_lines=False)
        for c in shown:
            table.add_column(heading(c), overflow="fold", min_width=column_need(rows, c) - 3)
        for row in rows:
            table.add_row(*(terminal(_cell(row.get(c))) for c in shown))
        console = Console(width=width) if target is None else Console(file=io.StringIO(), width=width,
                                                                       color_system=None)
        console.print(table)
        if hidden:
            console.print(tr(f"(Ẩn {len(hidden)} cột cho vừa màn hình: {', '.join(map(heading, hidden))};"
                             " xem đủ bằng --format csv hoặc một màn hình rộng hơn.)",
                             f"({len(hidden)} columns hidden to fit the screen: {', '.join(hidden)};"
                             " see them all with --format csv or a wider screen.)"), markup=False)
        if target is not None:
            write_text(target, console.file.getvalue(), protected)  # type: ignore[attr-defined]
        return
    if fmt not in FORMATS:
        message = f"Định dạng '{fmt}' không dùng được ở đây (cần: {', '.join(FORMATS)})."
        raise OutputError(message, code="E-OUTPUT-FORMAT")
    text = to_csv(rows, columns, bom=_EXCEL[0]) if fmt == "csv" else to_json(rows, columns)
    if target is None:
        sys.stdout.write(text)
    else:
        write_text(target, text, protected)
