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

Longer than 400 lines for a reason: the cell rules above hold for the table, CSV and JSON alike, and
the writers that apply them (`write_rows`, `RowWriter`, `row_writer`) stay beside them.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
import re
import shutil
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from egovcli.lang import EN, current, tr
from egovcli.render.atomic import STDOUT, OutputError, Protected, atomic_path, is_special, write_text
from egovcli.untrusted import json_text, terminal, visible
from egovcli.values import finite

if TYPE_CHECKING:
    from rich.table import Table

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
    "derive": "Tính từ", "run": "Lần chấm", "rules": "Bộ tiêu chí", "created_at": "Lúc chấm",
    "agencies": "Số cơ quan", "size": "Dung lượng",
    "rank_low": "Hạng tốt (5%)", "rank_high": "Hạng kém (95%)",  # the rank interval of --robustness
}
_EXCEL = [False]  # `for_excel`
PAGE_WIDTH = 200  # a table written to a file or a pipe wraps its long cells at this width
_MIN_CELL = 24  # the narrowest a wrapped text column gets before the table drops a column instead
# what a narrow table keeps longest: the results (a rank's total and index, a criterion's points)
_RESULTS = ("total", "index", "points", "level", "status", "value", "message")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # a spreadsheet reads such a cell as a formula
_MAY_START = frozenset((*FORMULA_START, " ", "\u00a0"))  # first characters of a text that may need a look
_NUMBER = re.compile(r"\s*[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?\s*")


def heading(column: str) -> str:
    """A column's heading for people: Vietnamese (`HEADINGS`), the column name itself in English."""
    return column if current() == EN else HEADINGS.get(column, column)


def terminal_width() -> int | None:
    """The width a table on stdout must fit: the terminal's, else $COLUMNS; None for a file or a pipe
    (read by people who scroll: every column kept, long cells wrapped at `PAGE_WIDTH`)."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


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


def _csv_cell(value: object) -> object:
    """A CSV cell: `_cell`, then a text shown (`visible`) and kept from being a formula; the common
    types first (a national round writes 18 million cells)."""
    if type(value) is str:
        return spreadsheet_text(visible(value))
    if type(value) is float:
        if not math.isfinite(value):
            return ""
        return int(value) if value.is_integer() else value + 0.0  # -0.0 is 0
    value = _cell(value)
    return spreadsheet_text(visible(value)) if isinstance(value, str) else value


def _csv_cells(values: Iterable[object]) -> list[str]:
    """Each value as `_csv_cell` makes it and the csv module writes it (str()), the commonest cases
    inline (a national round writes 18 million cells): a text with nothing to show or to keep from
    being a formula; a number (a whole one as such, NaN and ±inf empty; -0.0 is whole); None empty; a
    bool; an empty list (a row's flags, mostly)."""
    may_start = _MAY_START
    return [v if type(v) is str and v.isprintable() and (not v or v[0] not in may_start)
            else "" if v is None
            else (str(int(v)) if v.is_integer() else repr(v) if v - v == 0 else "") if type(v) is float
            else ("True" if v else "False") if type(v) is bool
            else "" if type(v) is list and not v
            else str(_csv_cell(v)) for v in values]


def spreadsheet_text(text: str) -> str:
    """`text` with one leading apostrophe when a spreadsheet would read it as a formula."""
    if not text or text[0] not in _MAY_START:  # most cells: nothing to look at
        return text
    head = text.lstrip(" \u00a0")
    if head.startswith(FORMULA_START) and head.rstrip() not in ("-", "+") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def for_excel(on: bool) -> None:
    """Whether CSV written from now on starts with a UTF-8 byte-order mark (`egov --excel`): Excel
    reads a CSV without one in the computer's code page, and Vietnamese becomes "Sá»Ÿ TÃ i chÃ­nh"."""
    _EXCEL[0] = on


def to_csv(rows: Iterable[dict[str, object]], columns: Sequence[str], *, bom: bool = False) -> str:
    """The rows as CSV (`bom`: with the UTF-8 byte-order mark Excel needs, `for_excel`)."""
    return "".join(csv_chunks(rows, columns, bom=bom))


def csv_chunks(
    rows: Iterable[dict[str, object]], columns: Sequence[str], *, bom: bool = False
) -> Iterator[str]:
    """The CSV text of `rows`, a few hundred rows at a time (a national round's rows are never one
    string in memory); `bom`: first the UTF-8 byte-order mark (`for_excel`)."""
    return _chunks(rows, columns, "csv", bom)


def to_json(rows: Iterable[dict[str, object]], columns: Sequence[str]) -> str:
    return "".join(json_chunks(rows, columns))


def json_chunks(rows: Iterable[dict[str, object]], columns: Sequence[str]) -> Iterator[str]:
    """The JSON text of `rows` (a list of objects, as `json_text` indents it), a few hundred at a time."""
    return _chunks(rows, columns, "json", False)


def _chunks(rows: Iterable[dict[str, object]], columns: Sequence[str], fmt: str, bom: bool) -> Iterator[str]:
    buf = io.StringIO()
    writer = RowWriter(buf, columns, fmt, bom=bom)
    rows = iter(rows)
    while batch := list(itertools.islice(rows, _CHUNK)):
        writer.write(batch)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    writer.close()
    yield buf.getvalue()


class RowWriter:
    """CSV or JSON rows written to a text stream as they come, in as many `write`s as wanted; `close`
    ends the text: a CSV with no row is its header line, a JSON with none `[]`. Nothing is written
    before the first `write` or `close`. `text` makes the text of some rows and `write_text` writes it
    later (`egov score` makes each agency's as it is scored, and writes it in the run's order)."""

    def __init__(
        self, stream: TextIO, columns: Sequence[str], fmt: str, *, bom: bool = False,
        raw: Callable[[bytes], object] | None = None,
    ) -> None:
        """`raw`: writes to `stream`'s own bytes, when it writes UTF-8 as given (no newline translated)."""
        self._stream, self._fmt, self._bom, self._raw = stream, fmt, bom, raw
        self.columns = list(columns)
        self._buf = io.StringIO()
        self._csv = csv.writer(self._buf, lineterminator="\n")
        self._started = False

    def write(self, rows: Iterable[dict[str, object]]) -> None:
        """Write `rows`, `_CHUNK` at a time: a whole round's rows are never one text in memory."""
        rows = iter(rows)
        while batch := list(itertools.islice(rows, _CHUNK)):
            self.write_text(self.text(batch))

    def text(self, rows: Iterable[dict[str, object]], head: dict[str, object] | None = None) -> str:
        """The text of `rows` (CSV lines; JSON records, without the comma before the first); `head`:
        cells every row has and no row holds (an agency's name, group and period), written as
        `head | row` is."""
        columns = self.columns
        lead = len(head or ())
        if head and (self._fmt == "json" or len(columns) - lead < 2 or list(head) != columns[:lead]):
            rows, head = [head | row for row in rows], None
        if self._fmt == "json":
            return ",\n".join(
                _indented(json_text({c: _cell(row.get(c)) if c == "flags" else finite(row.get(c))
                                     for c in columns}))
                for row in rows
            )
        prefix = ""
        if head:  # the first cells of every line, made once (an empty cell after them: no lone cell)
            prefix = self._module_line([*_csv_cells(head.values()), ""])
            columns = columns[lead:]
        commas = len(columns) - 1
        lines = []
        for row in rows:
            cells = _csv_cells(map(row.get, columns))
            line = ",".join(cells)
            if line.count(",") != commas or commas < 1 or '"' in line or "\n" in line or "\r" in line:
                line = self._quoted(cells, line)
            lines.append(prefix + line)
        if lines:
            lines.append("")  # the last line's end
        return "\n".join(lines)

    def _quoted(self, cells: list[str], joined: str) -> str:
        """A CSV line whose cells need quoting, as the csv module quotes them (QUOTE_MINIMAL: a cell
        holding the delimiter, a quote or a line break is quoted, its quotes doubled). The csv module
        itself writes what is rare and where its versions differ (a carriage return: 3.12 quotes it,
        3.11 does not) and a line of one cell (an empty one is written `""`); joining the cells here
        is twice as fast as the module's character-by-character copy of the text. `joined`: the cells
        joined by commas."""
        if len(cells) < 2 or "\r" in joined:
            return self._module_line(cells)
        return ",".join([c if "," not in c and '"' not in c and "\n" not in c
                         else '"' + c.replace('"', '""') + '"' for c in cells])

    def _module_line(self, cells: list[str]) -> str:
        """The line the csv module writes of `cells`, without its end."""
        self._csv.writerow(cells)
        text = self._buf.getvalue()
        self._buf.seek(0)
        self._buf.truncate()
        return text[:-1]

    def write_text(self, text: str) -> None:
        """Write what `text` made, after everything written so far."""
        self._before(bool(text))
        self._stream.write(text)

    def write_encoded(self, data: bytes) -> None:
        """`write_text` of a text given UTF-8 encoded (as `egov score`'s workers hand it over): written
        as it is to the stream's bytes when the writer has them (`raw`), else decoded."""
        if self._raw is None:
            self.write_text(data.decode("utf-8"))
            return
        self._before(bool(data))
        self._stream.flush()  # what the text layer holds goes first
        self._raw(data)

    def _before(self, more: bool) -> None:
        """What comes before more text: a CSV's header line first; a JSON record's "[" or comma."""
        if self._fmt == "csv":
            if not self._started:
                self._start()
        elif more:
            self._stream.write(",\n" if self._started else "[\n")
            self._started = True

    def close(self) -> None:
        if self._fmt == "csv":
            if not self._started:
                self._start()
        else:
            self._stream.write("\n]\n" if self._started else json_text([]) + "\n")

    def _start(self) -> None:
        if self._bom:
            self._stream.write("\ufeff")
        self._csv.writerow(self.columns)
        self._stream.write(self._buf.getvalue())
        self._buf.seek(0)
        self._buf.truncate()
        self._started = True


def _indented(text: str) -> str:
    """A record's JSON as it is inside the list: each line two spaces further in."""
    return "  " + text.replace("\n", "\n  ")


@contextmanager
def row_writer(
    columns: Sequence[str], fmt: str, out: str | os.PathLike[str] | None = None,
    protected: Protected | None = None,
) -> Iterator[RowWriter]:
    """A `RowWriter` of CSV or JSON (`fmt`) to `out` (a path, taken literally; `-` or None: stdout),
    never onto a `protected` path: a file is written atomically, in place only once the block ends
    without an error."""
    if fmt not in ("csv", "json"):
        message = f"Định dạng '{fmt}' không dùng được ở đây (cần: {', '.join(FORMATS)})."
        raise OutputError(message, code="E-OUTPUT-FORMAT")
    if out is None or os.fspath(out) == STDOUT:
        writer = RowWriter(sys.stdout, columns, fmt, bom=fmt == "csv" and _EXCEL[0])
        yield writer
        writer.close()
        sys.stdout.flush()
        return
    with atomic_path(out, protected) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        writer = RowWriter(f, columns, fmt, bom=fmt == "csv" and _EXCEL[0], raw=f.buffer.write)
        yield writer
        writer.close()


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


@dataclass(frozen=True, slots=True)
class Summary:
    """How a terminal table too long to read (more than `TABLE_LIMIT` rows) is summarised instead:
    the first and last `SHOWN` rows of each group of rows (the rows come grouped, best first: the
    top and the bottom), how many rows hold each value of the `counts` columns, how many distinct
    values the `distinct` columns have, and `lines` (counts the command knows) before the last line,
    which says how to see everything."""

    groups: Sequence[str] = ()  # the columns whose values make a group ("period", "group")
    counts: Sequence[str] = ()
    distinct: Sequence[str] = ()
    lines: Sequence[str] = ()
    rows: str = "dòng"  # what a row is, in words


TABLE_LIMIT = 200  # rows a terminal table shows in full
SHOWN = 5  # rows shown at the top and at the bottom of each group of a summary
_CHUNK = 500  # rows written at a time
MORE = (
    "Đây là bản tóm tắt của {n} {rows}: thêm --all để xem đủ trên màn hình, hoặc --format csv / json"
    " (hay --out tệp.csv) để lấy toàn bộ dữ liệu."
)


def write_rows(
    rows: Iterable[dict[str, object]],
    columns: Sequence[str],
    fmt: str,
    out: str | os.PathLike[str] | None = None,
    *,
    table_columns: Sequence[str] | None = None,
    title: str = "",
    protected: Protected | None = None,
    summary: Summary | None = None,
) -> None:
    """Write `rows` in `fmt` to `out` (a path, taken literally; `-` or None: stdout), never onto a
    `protected` path (see `egovcli.render.atomic`). CSV and JSON are written as the rows come; a
    table of more than `TABLE_LIMIT` rows is a `summary` when one is given."""
    target = None if out is None or os.fspath(out) == STDOUT else out
    if fmt == "table":
        width = terminal_width() if target is None else None
        shown = list(table_columns or columns)
        rows = iter(rows)
        head = list(itertools.islice(rows, TABLE_LIMIT + 1))
        if summary is not None and len(head) > TABLE_LIMIT:
            tables = _summarised(itertools.chain(head, rows), shown, summary, title, width)
        else:
            tables = _table(title, shown, itertools.chain(head, rows), width)
        _print(tables, target, protected, width)
        return
    with row_writer(columns, fmt, target, protected) as writer:
        writer.write(rows)


def _table(
    title: str, columns: Sequence[str], rows: Iterable[dict[str, object]], width: int | None,
    caption: str = "",
) -> list[Table | str]:
    """The table of `rows`, with the columns that fit `width` (`fit_columns`; None: a file or a pipe,
    every column that holds something), and a line naming the
    columns it hid."""
    from rich.table import Table

    rows = list(rows)
    shown, hidden = fit_columns(rows, list(columns), width or 1_000_000)
    table = Table(title=terminal(title) if title else None, caption=caption or None, show_lines=False)
    for c in shown:
        table.add_column(heading(c), overflow="fold", min_width=column_need(rows, c) - 3 if width else None)
    for row in rows:
        table.add_row(*(terminal(_cell(row.get(c))) for c in shown))
    if not hidden:
        return [table]
    return [table, tr(f"(Ẩn {len(hidden)} cột cho vừa màn hình: {', '.join(map(heading, hidden))};"
                      " xem đủ bằng --format csv hoặc một màn hình rộng hơn.)",
                      f"({len(hidden)} columns hidden to fit the screen: {', '.join(hidden)};"
                      " see them all with --format csv or a wider screen.)")]


def _summarised(
    rows: Iterable[dict[str, object]], columns: Sequence[str], summary: Summary, title: str, width: int | None
) -> list[Table | str]:
    """The summary of `rows` (`Summary`): one table per group (its top and bottom rows), then the
    counts and the way to everything."""
    Kept = tuple[list[dict[str, object]], deque[dict[str, object]], list[int]]  # first, last, size
    groups: dict[tuple[object, ...], Kept] = {}
    counts: dict[str, Counter[str]] = {c: Counter() for c in summary.counts}
    distinct: dict[str, set[object]] = {c: set() for c in summary.distinct}
    total = 0
    for row in rows:
        total += 1
        key = tuple(row.get(c) for c in summary.groups)
        if key not in groups:
            groups[key] = ([], deque(maxlen=SHOWN), [0])
        first, last, size = groups[key]
        size[0] += 1
        if len(first) < SHOWN:
            first.append(row)
        else:
            last.append(row)
        for c in summary.counts:
            value = row.get(c)
            for item in value if isinstance(value, list) else [value]:
                counts[c][str(_cell(item))] += 1
        for c in summary.distinct:
            distinct[c].add(row.get(c))
    out: list[Table | str] = [f"{visible(title)}: {_count(total)} {summary.rows}" if title else ""]
    gap: dict[str, object] = dict.fromkeys(columns, "…")
    for key, (first, last, size) in groups.items():
        name = " — ".join(visible(str(_cell(v))) for v in key if v not in (None, ""))
        hidden = size[0] - len(first) - len(last)
        shown = [*first, *([gap] if hidden else []), *last]
        caption = f"{_count(hidden)} {summary.rows} ở giữa không hiện" if hidden else ""
        label = f"{name}: {_count(size[0])} {summary.rows}" if name else ""
        out.extend(_table(label, columns, shown, width, caption))
    for c, found in counts.items():
        listed = ", ".join(f"{visible(v) or '(trống)'}: {_count(n)}" for v, n in found.most_common())
        out.append(f"{heading(c)} — {listed}")
    for c, values in distinct.items():
        out.append(f"{heading(c)}: {_count(len(values))} giá trị khác nhau")
    out.extend(summary.lines)
    out.append(MORE.format(n=_count(total), rows=summary.rows))
    return [item for item in out if item != ""]


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _print(
    items: Sequence[Table | str], target: str | os.PathLike[str] | None, protected: Protected | None,
    width: int | None,
) -> None:
    from rich.console import Console

    if target is None:
        console = Console(width=width or PAGE_WIDTH)
        for item in items:
            console.print(item, markup=False, highlight=False)
        return
    buffer = io.StringIO()
    console = Console(file=buffer, width=width or PAGE_WIDTH, color_system=None)
    for item in items:
        console.print(item, markup=False, highlight=False)
    write_text(target, buffer.getvalue(), protected)
