"""`egov indicators [catalogue]`, `egov score`: the commands over a workspace's values and points, and
the indicators they are read into (`egov rank` is in `cli.rank`)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from egovcli.cli import (
    FormatOpt,
    Group,
    OutOpt,
    WorkspaceOpt,
    _data_format,
    _err,
    _info,
    _open,
    app,
)
from egovcli.lang import tr
from egovcli.problems import UsageError

if TYPE_CHECKING:
    from egovcli.api import AgencyTotals, Protected, ScoreRun, Summary


indicators_app = typer.Typer(
    cls=Group,
    help="Indicators: the values read from the reports; the catalogue.",
)
app.add_typer(indicators_app, name="indicators")

AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Show every row in the terminal table (default: a long table is summarised: counts, the first"
        " and last rows of each group; --format csv/json always has every row).",
        show_default=False,
    ),
]
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
    show_all: AllOpt = False,
) -> None:
    """List the normalised indicator table: every value read, with its source file and location
    (`egov indicators catalogue`: the indicators egov knows)."""
    if ctx.invoked_subcommand is not None:
        return
    from egovcli.api import (
        INDICATOR_COLUMNS,
        UNMAPPED_COLUMNS,
        Summary,
        indicator_rows,
        load_rules,
        protected_outputs,
        write_rows,
    )

    rule_set = load_rules(rules) if rules else None
    ws = _open(workspace, readonly=True)
    try:
        protected = protected_outputs(ws, [rules])
        data_fmt = _data_format(out, fmt, protected)
        rows = indicator_rows(ws, unmapped=unmapped, rules=rule_set)
    finally:
        ws.close()
    summary = None if show_all else Summary(groups=("kind",), distinct=("agency", "indicator", "source_file"),
                                            rows="giá trị")
    write_rows(rows, UNMAPPED_COLUMNS if unmapped else INDICATOR_COLUMNS, data_fmt, out, title="Chỉ số",
               protected=protected, summary=summary)


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
    run_name: Annotated[
        str | None,
        typer.Option(
            "--run",
            help="Keep this run under a name: a later run replaces it only under the same name, and"
            " 'egov workspace prune' keeps it; 'egov rank --run NAME' ranks it (default: unnamed, replaced"
            " by the next run of the same rule set, reports and adjustments).",
        ),
    ] = None,
    show_all: AllOpt = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1,
            help="Scoring processes (default: CPUs; a run of fewer than 64 agencies is scored in one)."
            " The results are the same whatever the number.",
        ),
    ] = None,
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
        row_writer,
        score_workspace,
    )

    if adjustments and no_adjustments:
        raise UsageError("--adjustments và --no-adjustments không dùng cùng nhau.")
    rule_set = load_rules(rules)
    ws = _open(workspace)
    try:
        protected = protected_outputs(ws, [adjustments, rules])
        data_fmt = _data_format(out, fmt, protected)
        if data_fmt != "table" and _regular_file(out):
            # each agency's rows written as it is scored (into a file put in place once the run is
            # stored), not read back from the workspace after
            columns = SCORE_JSON_COLUMNS if data_fmt == "json" else SCORE_COLUMNS + SCORE_EXTRA_COLUMNS
            with row_writer(precision_columns(columns, rule_set), data_fmt, out, protected) as writer:
                run = score_workspace(ws, rule_set, adjustments=adjustments, clear_adjustments=no_adjustments,
                                      name=run_name, writer=writer, jobs=jobs)
            _say_adjustments(run)
        else:  # stdout: only what was stored is printed
            run = score_workspace(ws, rule_set, adjustments=adjustments, clear_adjustments=no_adjustments,
                                  name=run_name, jobs=jobs)
            _say_adjustments(run)
            _write_scores(run, data_fmt, out, protected, show_all)
    finally:
        ws.close()
    for p in run.problems:
        _err(problem_line(p))
    each = show_all or len(run.totals) <= _AGENCY_LINES
    shown = 0
    for t in run.totals:
        if each:
            _info(f"{t.agency} ({t.period}): {t.total:g}/{t.max_total:g} " + tr("điểm", "points")
                  + (tr(", chỉ số ", ", index ") + _index(run, t) if run.rules.precision.index else ""))
        for p in run.unmatched.get((t.agency, t.group, t.period), ()):
            if each or shown < _AGENCY_LINES:
                _err(f"  {problem_line(p)}" if each else problem_line(p))
            shown += 1
    if shown > _AGENCY_LINES and not each:
        more = shown - _AGENCY_LINES
        _err(tr(f"… và {more} dòng tự đánh giá khác không khớp tiêu chí nào (--all để xem hết).",
                f"… and {more} more self-score rows that match no criterion (--all shows them all)."))
    _info(tr(
        f"{len(run.totals)} cơ quan; {run.flagged} dòng có cảnh báo kiểm tra"
        + (f"; {run.adjusted} tiêu chí điều chỉnh sau thẩm định." if run.adjusted else "."),
        f"{len(run.totals)} agencies; {run.flagged} rows with audit flags"
        + (f"; {run.adjusted} criteria adjusted after appraisal." if run.adjusted else "."),
    ))
    if strict and run.flagged:
        raise typer.Exit(1)


def _regular_file(out: str | None) -> bool:
    """Whether `--out` names a file (written atomically), not stdout, /dev/null or a FIFO."""
    if out is None or out == "-":
        return False
    path = Path(out)
    return path.is_file() or not path.exists()


def _write_scores(run: "ScoreRun", fmt: str, out: str | None, protected: "Protected", show_all: bool) -> None:
    """The stored run's rows in `fmt`; a long terminal table is a summary (agency totals)."""
    from egovcli.api import (
        SCORE_COLUMNS,
        SCORE_EXTRA_COLUMNS,
        SCORE_JSON_COLUMNS,
        TABLE_LIMIT,
        precision_columns,
        score_rows,
        write_rows,
    )

    title = f"Chấm điểm theo {run.rules.title}"
    if fmt == "table" and not show_all and run.rows > TABLE_LIMIT:
        write_rows(_agency_totals(run), _TOTALS_INDEX if run.rules.precision.index else _TOTALS, "table", out,
                   title=title, protected=protected, summary=_score_summary(run))
        return
    table = precision_columns(
        ("agency", "criterion", "points", "max_points", "basis", "self_points", "appraised_points", "flags",
         "explanation"),
        run.rules, beside=True,
    )
    columns = SCORE_JSON_COLUMNS if fmt == "json" else SCORE_COLUMNS + SCORE_EXTRA_COLUMNS
    write_rows(score_rows(run.scores), precision_columns(columns, run.rules), fmt, out, title=title,
               table_columns=table, protected=protected)


_AGENCY_LINES = 50  # agencies whose totals `egov score` lists on stderr; more: the summary has them
_TOTALS = ("agency", "period", "total", "max_total")
_TOTALS_INDEX = ("agency", "period", "total", "max_total", "index")


def _index(run: "ScoreRun", totals: "AgencyTotals") -> str:
    from egovcli.textnorm import vi_number

    return vi_number(totals.ranking_value(True), run.rules.precision.decimals, fixed=True)


def _agency_totals(run: "ScoreRun") -> list[dict[str, object]]:
    """One row per agency for the summary of `egov score`: grouped by period and group, best first."""
    from egovcli import groups

    index, ranked = run.rules.precision.index, run.rules.groups
    ordered = sorted(run.totals, key=lambda t: (t.period, groups.order(t.group, ranked),
                                                -t.ranking_value(index), t.agency))
    return [{"agency": t.agency, "group": groups.label(t.group, ranked), "period": t.period, "total": t.total,
             "max_total": t.max_total, "index": round(t.ranking_value(True), run.rules.precision.decimals)}
            for t in ordered]


def _score_summary(run: "ScoreRun") -> "Summary":
    from egovcli.api import Summary

    lines = [f"{len(run.totals)} cơ quan, {run.rows} dòng điểm; {run.flagged} dòng có cảnh báo kiểm tra"
             + (f"; {run.adjusted} tiêu chí điều chỉnh sau thẩm định" if run.adjusted else "") + "."]
    if run.flag_counts:
        lines.append("Cảnh báo: " + ", ".join(f"{code}: {n}" for code, n in run.flag_counts.items()) + ".")
    return Summary(groups=("period", "group"), lines=lines, rows="cơ quan (tổng điểm, cao nhất trước)")


def _say_adjustments(run: "ScoreRun") -> None:
    """Tell which appraisal adjustments the scoring run applied, and what happens to them next."""
    applied, before = run.adjustments, run.previous_adjustments
    if applied and run.adjustments_from == "workspace":
        _info(tr(
            f"Áp dụng điều chỉnh sau thẩm định đã lưu trong workspace: {applied.describe()}"
            " (--adjustments TỆP để thay, --no-adjustments để bỏ).",
            f"Applying the appraisal adjustments stored in the workspace: {applied.describe()}"
            " (--adjustments FILE replaces them, --no-adjustments drops them).",
        ))
    elif applied:
        replaced = f", thay cho {before.describe()}" if before and before.sha256 != applied.sha256 else ""
        _info(tr(
            f"Điều chỉnh sau thẩm định: {applied.describe()}{replaced} — đã lưu vào workspace; các lần"
            " chấm sau tiếp tục áp dụng cho đến khi có --adjustments TỆP khác hoặc --no-adjustments.",
            f"Appraisal adjustments: {applied.describe()}{replaced} — stored in the workspace; later runs"
            " keep applying them until another --adjustments FILE or --no-adjustments.",
        ))
    elif before:
        stored = before.describe()
        _info(tr(f"Đã bỏ điều chỉnh sau thẩm định đã lưu ({stored}): lần chấm này không điều chỉnh.",
                 f"Dropped the stored appraisal adjustments ({stored}): this run adjusts nothing."))
