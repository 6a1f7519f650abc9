"""`egov indicators [catalogue]`, `egov score`, `egov rank`: the commands over a workspace's values and
points, and the indicators they are read into."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from egovcli.cli import (
    FormatOpt,
    Group,
    OutOpt,
    Ties,
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
    from egovcli.api import AgencyTotals, ScoreRun, Summary


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
) -> None:
    """Score every agency in the workspace: points per criterion, section totals, audit flags."""
    from egovcli.api import (
        SCORE_COLUMNS,
        SCORE_EXTRA_COLUMNS,
        SCORE_JSON_COLUMNS,
        TABLE_LIMIT,
        load_rules,
        precision_columns,
        problem_line,
        protected_outputs,
        score_rows,
        score_workspace,
        write_rows,
    )

    if adjustments and no_adjustments:
        raise UsageError("--adjustments và --no-adjustments không dùng cùng nhau.")
    rule_set = load_rules(rules)
    ws = _open(workspace)
    try:
        protected = protected_outputs(ws, [adjustments, rules])
        data_fmt = _data_format(out, fmt, protected)
        run = score_workspace(ws, rule_set, adjustments=adjustments, clear_adjustments=no_adjustments,
                              name=run_name)
        _say_adjustments(run)
        table = precision_columns(
            ("agency", "criterion", "points", "max_points", "basis", "self_points", "appraised_points",
             "flags", "explanation"),
            run.rules, beside=True,
        )
        title = f"Chấm điểm theo {run.rules.title}"
        if data_fmt == "table" and not show_all and run.rows > TABLE_LIMIT:
            write_rows(_agency_totals(run), _TOTALS_INDEX if run.rules.precision.index else _TOTALS, "table",
                       out, title=title, protected=protected, summary=_score_summary(run))
        else:
            columns = SCORE_JSON_COLUMNS if data_fmt == "json" else SCORE_COLUMNS + SCORE_EXTRA_COLUMNS
            write_rows(score_rows(run.scores), precision_columns(columns, run.rules), data_fmt, out,
                       title=title, table_columns=table, protected=protected)
    finally:
        ws.close()
    for p in run.problems:
        _err(problem_line(p))
    each = show_all or len(run.totals) <= _AGENCY_LINES
    shown = 0
    for t in run.totals:
        if each:
            _err(f"{t.agency} ({t.period}): {t.total:g}/{t.max_total:g} điểm"
                 + (f", chỉ số {_index(run, t)}" if run.rules.precision.index else ""))
        for p in run.unmatched.get((t.agency, t.group, t.period), ()):
            if each or shown < _AGENCY_LINES:
                _err(f"  {problem_line(p)}" if each else problem_line(p))
            shown += 1
    if shown > _AGENCY_LINES and not each:
        more = shown - _AGENCY_LINES
        _err(f"… và {more} dòng tự đánh giá khác không khớp tiêu chí nào (--all để xem hết).")
    _err(
        f"{len(run.totals)} cơ quan; {run.flagged} dòng có cảnh báo kiểm tra"
        + (f"; {run.adjusted} tiêu chí điều chỉnh sau thẩm định." if run.adjusted else ".")
    )
    if strict and run.flagged:
        raise typer.Exit(1)


_AGENCY_LINES = 50  # agencies whose totals `egov score` lists on stderr; more: the summary has them
_TOTALS = ("agency", "period", "total", "max_total")
_TOTALS_INDEX = ("agency", "period", "total", "max_total", "index")


def _index(run: ScoreRun, totals: AgencyTotals) -> str:
    from egovcli.textnorm import vi_number

    return vi_number(totals.ranking_value(True), run.rules.precision.decimals, fixed=True)


def _agency_totals(run: ScoreRun) -> list[dict[str, object]]:
    """One row per agency for the summary of `egov score`: grouped by period and group, best first."""
    from egovcli import groups

    index, ranked = run.rules.precision.index, run.rules.groups
    ordered = sorted(run.totals, key=lambda t: (t.period, groups.order(t.group, ranked),
                                                -t.ranking_value(index), t.agency))
    return [{"agency": t.agency, "group": groups.label(t.group, ranked), "period": t.period, "total": t.total,
             "max_total": t.max_total, "index": round(t.ranking_value(True), run.rules.precision.decimals)}
            for t in ordered]


def _score_summary(run: ScoreRun) -> Summary:
    from egovcli.api import Summary

    lines = [f"{len(run.totals)} cơ quan, {run.rows} dòng điểm; {run.flagged} dòng có cảnh báo kiểm tra"
             + (f"; {run.adjusted} tiêu chí điều chỉnh sau thẩm định" if run.adjusted else "") + "."]
    if run.flag_counts:
        lines.append("Cảnh báo: " + ", ".join(f"{code}: {n}" for code, n in run.flag_counts.items()) + ".")
    return Summary(groups=("period", "group"), lines=lines, rows="cơ quan (tổng điểm, cao nhất trước)")


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
    run_name: Annotated[
        str | None,
        typer.Option("--run", help="Rank the run kept under this name by 'egov score --run NAME'"
                     " (default: the latest run)."),
    ] = None,
    show_all: AllOpt = False,
    robustness: Annotated[
        int | None,
        typer.Option(
            "--robustness",
            help="Draw the section weights N times at random (each × a factor in [1−spread, 1+spread],"
            " renormalised) and give each agency's rank interval (5th–95th percentile): columns"
            " rank_low, rank_high; 'Khoảng hạng (5–95%)' in the workbook and summaries (default: none).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(help="Seed of the --robustness draws: the same seed, the same intervals"
                     " (default: 2026).", show_default=False),
    ] = None,
    spread: Annotated[
        float | None,
        typer.Option("--robustness-spread", help="How far --robustness moves each weight (default: 0.2).",
                     show_default=False),
    ] = None,
) -> None:
    """Rank the latest scores per agency group; write the workbook, summaries and decision annex."""
    from egovcli.api import (
        STDOUT,
        AnnexHeading,
        Summary,
        check_robustness,
        output_format,
        protected_outputs,
        rank_manifest,
        rank_robustness,
        rank_targets,
        rank_workspace,
        write_manifest,
        write_rank_outputs,
        write_rows,
    )

    annex = AnnexHeading(decision_number, decision_date, issuer, annex_title)
    if robustness is None and (seed is not None or spread is not None):
        raise UsageError("--seed và --robustness-spread chỉ dùng cùng --robustness N.")
    if robustness is not None:
        check_robustness(robustness, spread)
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
        result = rank_workspace(ws, ties=ties.value, run=run_name)
        if robustness is not None:
            result = rank_robustness(result, robustness, seed=seed, spread=spread, ties=ties.value)
        run = rank_manifest(ws, result, ties=ties.value)
        write_rank_outputs(result, xlsx=targets.xlsx, md=md, html=html, protected=protected, docx=docx,
                           annex=annex, manifest=run)
        if manifest is not None:
            write_manifest(run, manifest, protected)
        if targets.rows_format:
            counts = ("level",) if result.rules.levels else ()
            summary = None if show_all else Summary(groups=("period", "group_label"), counts=counts,
                                                    rows="cơ quan (hạng cao nhất trước)")
            write_rows(result.ranking, result.columns(), targets.rows_format, targets.rows_out,
                       title="Xếp hạng", table_columns=result.columns(table=True), protected=protected,
                       summary=summary)
    finally:
        ws.close()
    _info(tr("Điều chỉnh sau thẩm định: ", "Appraisal adjustments: ") + result.adjustments)
    for path in (targets.xlsx, md, html, docx, manifest):
        if path and path != "-":
            _info(tr("Đã ghi ", "Written: ") + path)
