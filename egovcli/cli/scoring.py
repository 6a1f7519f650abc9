"""`egov indicators [catalogue]`, `egov score`, `egov rank`: the commands over a workspace's values and
points, and the indicators they are read into."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from egovcli.cli import (
    FormatOpt,
    OutOpt,
    Ties,
    WorkspaceOpt,
    _data_format,
    _err,
    _open,
    app,
)
from egovcli.problems import UsageError

if TYPE_CHECKING:
    from egovcli.api import ScoreRun


indicators_app = typer.Typer(
    help="Indicators: the values read from the reports; the catalogue.",
)
app.add_typer(indicators_app, name="indicators")

IndicatorRulesOpt = Annotated[
    str | None,
    typer.Option(
        "--rules", "-r",
        help="Rule set (a shipped name or a .yaml path) whose own indicators (indicators:) count too, as"
        " when scoring with it (default: the shipped catalogue only).",
    ),
]


@indicators_app.callback(invoke_without_command=True)
def indicators(
    ctx: typer.Context,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
    unmapped: Annotated[
        bool,
        typer.Option(
            help="Only rows whose label matched no indicator, each with the closest candidates"
            " (default: --no-unmapped: every row).",
            show_default=False,
        ),
    ] = False,
    rules: IndicatorRulesOpt = None,
) -> None:
    """List the normalised indicator table: every value read, with its source file and location
    (`egov indicators catalogue`: the indicators egov knows)."""
    from egovcli.api import (
        INDICATOR_COLUMNS,
        UNMAPPED_COLUMNS,
        indicator_rows,
        load_rules,
        protected_outputs,
        write_rows,
    )

    if ctx.invoked_subcommand is not None:
        return
    rule_set = load_rules(rules) if rules else None
    ws = _open(workspace, readonly=True)
    try:
        protected = protected_outputs(ws, [rules])
        data_fmt = _data_format(out, fmt, protected)
        rows = indicator_rows(ws, unmapped=unmapped, rules=rule_set)
    finally:
        ws.close()
    write_rows(rows, UNMAPPED_COLUMNS if unmapped else INDICATOR_COLUMNS, data_fmt, out, title="Chỉ số",
               protected=protected)


@indicators_app.command("catalogue")
def indicators_catalogue(rules: IndicatorRulesOpt = None, fmt: FormatOpt = None, out: OutOpt = None) -> None:
    """List every indicator egov knows (shipped, and the rule set's own with --rules): id, name, unit,
    kind, origin and the labels it recognises in reports."""
    from egovcli.api import CATALOGUE_COLUMNS, catalogue_rows, load_rules, protected_outputs, write_rows

    protected = protected_outputs(inputs=[rules])
    data_fmt = _data_format(out, fmt, protected)
    rule_set = load_rules(rules) if rules else None
    title = f"Danh mục chỉ số (cùng chỉ số của {rule_set.title})" if rule_set else "Danh mục chỉ số"
    write_rows(catalogue_rows(rule_set), CATALOGUE_COLUMNS, data_fmt, out, title=title,
               table_columns=("id", "name", "unit", "kind", "origin", "labels"), protected=protected)


@app.command()
def score(
    rules: Annotated[
        str, typer.Option("--rules", "-r", help="Rule set: a shipped name (hanam-2022) or a .yaml path.")
    ],
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 if any flag was raised (default: --no-strict).", show_default=False)
    ] = False,
    adjustments: Annotated[
        Path | None,
        typer.Option(
            help="Appraisal adjustments CSV (agency,criterion,points,reason[,period]): points '3' sets,"
            " '+1'/'-2' changes a criterion's points; the reason is shown in every output. Stored in the"
            " workspace: later runs keep applying them until another file or --no-adjustments (default:"
            " the adjustments stored in the workspace, if any)."
        ),
    ] = None,
    no_adjustments: Annotated[
        bool,
        typer.Option(
            "--no-adjustments", "--clear-adjustments",
            help="Score without the appraisal adjustments stored in the workspace, and forget them.",
        ),
    ] = False,
) -> None:
    """Score every agency in the workspace: points per criterion, section totals, audit flags."""
    from egovcli.api import (
        SCORE_COLUMNS,
        SCORE_EXTRA_COLUMNS,
        SCORE_JSON_COLUMNS,
        load_rules,
        precision_columns,
        problem_line,
        protected_outputs,
        score_rows,
        score_workspace,
        write_rows,
    )
    from egovcli.textnorm import vi_number

    if adjustments and no_adjustments:
        raise UsageError("--adjustments và --no-adjustments không dùng cùng nhau.")
    rule_set = load_rules(rules)
    ws = _open(workspace)
    try:
        protected = protected_outputs(ws, [adjustments, rules])
        data_fmt = _data_format(out, fmt, protected)
        run = score_workspace(ws, rule_set, adjustments=adjustments, clear_adjustments=no_adjustments)
    finally:
        ws.close()
    _say_adjustments(run)
    rows = score_rows(run.scores)
    write_rows(
        rows,
        precision_columns(SCORE_JSON_COLUMNS if data_fmt == "json" else SCORE_COLUMNS + SCORE_EXTRA_COLUMNS,
                          run.rules),
        data_fmt,
        out,
        title=f"Chấm điểm theo {run.rules.title}",
        table_columns=precision_columns(
            ("agency", "criterion", "points", "max_points", "basis", "self_points", "appraised_points",
             "flags", "explanation"),
            run.rules, beside=True,
        ),
        protected=protected,
    )
    for p in run.problems:
        _err(problem_line(p))
    flagged = sum(1 for r in rows if r["flags"])
    adjusted = sum(1 for r in rows if r["basis"] == "adjusted")
    for s in run.scores:
        _err(f"{s.agency} ({s.period}): {s.total:g}/{s.max_total:g} điểm"
             + (f", chỉ số {vi_number(s.ranking_value(True), run.rules.precision.decimals, fixed=True)}"
                if run.rules.precision.index else ""))
        for p in s.unmatched_problems():
            _err(f"  {problem_line(p)}")
    _err(
        f"{len(run.scores)} cơ quan; {flagged} dòng có cảnh báo kiểm tra"
        + (f"; {adjusted} tiêu chí điều chỉnh sau thẩm định." if adjusted else ".")
    )
    if strict and flagged:
        raise typer.Exit(1)


def _say_adjustments(run: ScoreRun) -> None:
    """Tell which appraisal adjustments the scoring run applied, and what happens to them next."""
    applied, before = run.adjustments, run.previous_adjustments
    if applied and run.adjustments_from == "workspace":
        _err(
            f"Áp dụng điều chỉnh sau thẩm định đã lưu trong workspace: {applied.describe()}"
            " (--adjustments TỆP để thay, --no-adjustments để bỏ)."
        )
    elif applied:
        replaced = f", thay cho {before.describe()}" if before and before.sha256 != applied.sha256 else ""
        _err(
            f"Điều chỉnh sau thẩm định: {applied.describe()}{replaced} — đã lưu vào workspace; các lần"
            " chấm sau tiếp tục áp dụng cho đến khi có --adjustments TỆP khác hoặc --no-adjustments."
        )
    elif before:
        _err(f"Đã bỏ điều chỉnh sau thẩm định đã lưu ({before.describe()}): lần chấm này không điều chỉnh.")


@app.command()
def rank(
    workspace: WorkspaceOpt = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out", "-o",
            help="Ranking workbook (.xlsx; the rows still go to stdout), or the rows as .csv/.json ('-':"
            " stdout) (default: no workbook; the rows to stdout).",
        ),
    ] = None,
    md: Annotated[
        str | None,
        typer.Option("--md", help="Also write a markdown summary ('-': stdout) (default: none)."),
    ] = None,
    html: Annotated[
        str | None,
        typer.Option("--html", help="Also write an HTML summary ('-': stdout) (default: none)."),
    ] = None,
    manifest: Annotated[
        str | None,
        typer.Option(
            "--manifest",
            help="Also write the run's reproducibility manifest (JSON: egov version, rule set and its sha256,"
            " input files with their sha256, adjustments, options, time — SOURCE_DATE_EPOCH if set, else"
            " when the scores were stored) ('-': stdout) (default: none; the summaries always record it).",
        ),
    ] = None,
    fmt: FormatOpt = None,
    ties: Annotated[
        Ties,
        typer.Option(
            help="Tie rule: competition (1,2,2,4) or dense (1,2,2,3) (default: competition).",
            show_default=False,
        ),
    ] = Ties.competition,
    docx: Annotated[
        str | None,
        typer.Option(
            "--docx",
            help="Also write the ranking as a decision annex (phụ lục, .docx; Nghị định 30/2020/NĐ-CP)"
            " (default: none).",
        ),
    ] = None,
    decision_number: Annotated[
        str,
        typer.Option("--so-quyet-dinh", "--decision-number",
                     help="The annex's decision number, e.g. 125/QĐ-UBND (default: …/QĐ-…)."),
    ] = "",
    decision_date: Annotated[
        str,
        typer.Option("--ngay-quyet-dinh", "--decision-date",
                     help="The decision's date, dd/mm/yyyy (default: ngày … tháng … năm …)."),
    ] = "",
    issuer: Annotated[
        str,
        typer.Option("--co-quan-ban-hanh", "--issuer",
                     help="Who issues the decision, e.g. 'UBND tỉnh Hà Nam' (default: …)."),
    ] = "",
    annex_title: Annotated[
        str,
        typer.Option("--tieu-de-phu-luc", "--annex-title",
                     help="The annex's title (default: KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG NĂM <kỳ>)."),
    ] = "",
) -> None:
    """Rank the latest scores per agency group; write the workbook, summaries and decision annex."""
    from egovcli.api import (
        STDOUT,
        AnnexHeading,
        output_format,
        protected_outputs,
        rank_manifest,
        rank_targets,
        rank_workspace,
        write_manifest,
        write_rank_outputs,
        write_rows,
    )

    annex = AnnexHeading(decision_number, decision_date, issuer, annex_title)
    ws = _open(workspace, readonly=True)
    try:
        protected = protected_outputs(ws)
        targets = rank_targets(out, md, html, fmt.value if fmt else None, protected, docx)
        if manifest is not None:
            rows_on_stdout = targets.rows_format is not None and targets.rows_out in (None, STDOUT)
            if manifest == STDOUT and (rows_on_stdout or STDOUT in (md, html)):
                raise UsageError("chỉ một kết quả được ghi ra stdout ('-'): với --manifest -, bảng xếp hạng"
                                 " cần ghi vào tệp (--out TỆP.csv hoặc .json).")
            output_format(manifest, "json", protected)
        result = rank_workspace(ws, ties=ties.value)
        run = rank_manifest(ws, result, ties=ties.value)
    finally:
        ws.close()
    write_rank_outputs(result, xlsx=targets.xlsx, md=md, html=html, protected=protected, docx=docx,
                       annex=annex, manifest=run)
    if manifest is not None:
        write_manifest(run, manifest, protected)
    if targets.rows_format:
        write_rows(result.ranking, result.columns(), targets.rows_format, targets.rows_out, title="Xếp hạng",
                   table_columns=result.columns(table=True), protected=protected)
    _err(f"Điều chỉnh sau thẩm định: {result.adjustments}")
    for path in (targets.xlsx, md, html, docx, manifest):
        if path and path != "-":
            _err(f"Đã ghi {path}")
