"""`egov verify`: recompute a published ranking's totals and ranks, and say where it is wrong."""

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from egovcli.cli import (
    FormatOpt,
    OutOpt,
    _data_format,
    _err,
    _info,
    app,
)
from egovcli.lang import tr
from egovcli.problems import UsageError

if TYPE_CHECKING:
    pass


@app.command()
def verify(
    file: Annotated[
        Path, typer.Argument(help="A published ranking: .pdf, .xlsx, .docx, a web page (.html); .xls, .doc…")
    ],
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            "-r",
            help="Rule set of the ranking: a shipped name or a .yaml path (default: none; the table is"
            " checked against itself: ranks, order, ties, totals of printed parts that add up).",
        ),
    ] = None,
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            help='Name the columns when egov does not find the table: "agency=B; total=Chỉ số DTI;'
            ' rank=A; components=C:E" (column letters or header texts) (default: found from the headers).',
        ),
    ] = None,
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
    missing_value. Every figure is compared at the precision it is printed in. Also shows the overall
    ranking rebuilt from the criterion cells, and says what could not be checked. Exit 2 when the
    file has no ranking table or the rule set does not fit it.
    """
    from egovcli.api import (
        REBUILT_COLUMNS,
        VERIFY_COLUMNS,
        load_rules,
        parse_columns,
        problem_line,
        protected_outputs,
        verify_file,
        write_json,
        write_rows,
    )

    if not file.is_file():
        raise UsageError(f"không tìm thấy tệp '{file}'.")
    given = parse_columns(columns or [])
    protected = protected_outputs(inputs=[file, agencies, rules])
    data_fmt = _data_format(out, fmt, protected)
    rule_set = load_rules(rules) if rules else None
    result = verify_file(file, rule_set, agencies=agencies, columns=given)
    if data_fmt == "json":
        write_json(result.as_dict(), out, protected)
    else:
        table_columns = ("agency", "item", "kind", "expected", "found", "location", "explanation")
        title = tr("Kiểm tra", "Check of") + f" {result.file}"
        write_rows(result.finding_rows(), VERIFY_COLUMNS, data_fmt, out, title=title,
                   table_columns=table_columns, protected=protected)
        if data_fmt == "table" and out in (None, "-") and result.rules is not None:  # rebuilt from its rules
            write_rows(result.rebuilt_rows(), REBUILT_COLUMNS[:2] + REBUILT_COLUMNS[4:], "table", None,
                       title=tr("Xếp hạng chung tính lại từ các bảng, bên cạnh bảng in",
                                "The overall ranking rebuilt from the tables, beside the printed one"))
    for note in result.notes:
        _err(problem_line(note))
    kinds = Counter(f.kind for f in result.findings)
    _info(
        f"{result.file}: "
        + tr(f"{result.cells} ô điểm đã đọc; {len(result.findings)} phát hiện",
             f"{result.cells} score cells read; {len(result.findings)} findings")
        + (" (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")" if kinds else "")
    )
    if strict and result.findings:
        raise typer.Exit(1)
