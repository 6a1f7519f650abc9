"""The export contract: rows as a terminal table, CSV or JSON, to stdout or a file (atomically)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from egovcli.render.atomic import write_text

FORMATS = ("table", "csv", "json")


def _cell(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else value


def to_csv(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def to_json(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    records = [{c: _cell(row.get(c)) if c == "flags" else row.get(c) for c in columns} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


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
            table.add_column(c, overflow="fold")
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
