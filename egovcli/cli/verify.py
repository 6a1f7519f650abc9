"""`egov verify`: recompute a published ranking's totals and ranks, and say where it is wrong."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from egovcli.cli import (
    FormatOpt,
    OutOpt,
    _data_format,
    _err,
    app,
)
from egovcli.problems import UsageError

if TYPE_CHECKING:
    pass


@app.command()
def verify(
    file: Annotated[Path, typer.Argument(help="A published ranking: .pdf, .xlsx, .docx (or .xls, .doc…).")],
    rules: Annotated[
        str, typer.Option("--rules", "-r", help="Rule set of the ranking: a shipped name or a .yaml path.")
    ],
    fmt: FormatOpt = None,
    out: OutOpt = None,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 if there is any finding (default: --no-strict).", show_default=False)
    ] = False,
    agencies: Annotated[
        Path | None,
        typer.Option(
            help="Agency registry CSV (id,name,group,aliases) for odd spellings (default: none; names"
            " that differ only in accents, case or abbreviations such as UBND are one agency)."
        ),
    ] = None,
) -> None:
    """Recompute every total and rank of a published ranking; report each inconsistency with its cell.

    Findings: over_max (a cell above its criterion's maximum), total_mismatch (a total that is not
    the sum of its printed parts), rank_mismatch (a rank or row order that the totals do not give),
    missing_value. Also shows the overall ranking rebuilt from the criterion cells.
    """
    from egovcli.api import (
        REBUILT_COLUMNS,
        VERIFY_COLUMNS,
        load_rules,
        protected_outputs,
        verify_file,
        write_json,
        write_rows,
    )

    if not file.is_file():
        raise UsageError(f"không tìm thấy tệp '{file}'.")
    protected = protected_outputs(inputs=[file, agencies, rules])
    data_fmt = _data_format(out, fmt, protected)
    rule_set = load_rules(rules)
    result = verify_file(file, rule_set, agencies=agencies)
    if data_fmt == "json":
        write_json(result.as_dict(), out, protected)
    else:
        table_columns = ("agency", "item", "kind", "expected", "found", "location", "explanation")
        write_rows(result.finding_rows(), VERIFY_COLUMNS, data_fmt, out, title=f"Kiểm tra {result.file}",
                   table_columns=table_columns, protected=protected)
        if data_fmt == "table" and out in (None, "-"):
            write_rows(result.rebuilt_rows(), REBUILT_COLUMNS[:2] + REBUILT_COLUMNS[4:], "table", None,
                       title="Xếp hạng chung tính lại từ các bảng, bên cạnh bảng in")
    kinds = Counter(f.kind for f in result.findings)
    _err(
        f"{result.file}: {result.cells} ô điểm đã đọc; {len(result.findings)} phát hiện"
        + (" (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")" if kinds else "")
    )
    if strict and result.findings:
        raise typer.Exit(1)
