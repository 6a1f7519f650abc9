"""`egov rank`: the latest (or a named) scoring run ranked per agency group, with the workbook, the
summaries, the decision annex, the manifest and, when asked, each agency's rank interval."""

from typing import Annotated

import typer

from egovcli.cli import FormatOpt, Ties, WorkspaceOpt, _info, _open, app
from egovcli.cli.scoring import AllOpt
from egovcli.lang import tr
from egovcli.problems import UsageError


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

    annex = None  # the annex's heading (its date checked before any work) only when one is asked for
    if docx or decision_number or decision_date or issuer or annex_title:
        from egovcli.api import AnnexHeading

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
        # the manifest lists every stored input file: made only for the outputs that record it
        wanted = manifest is not None or targets.xlsx or md or html
        run = rank_manifest(ws, result, ties=ties.value) if wanted else None
        write_rank_outputs(result, xlsx=targets.xlsx, md=md, html=html, protected=protected, docx=docx,
                           annex=annex, manifest=run)
        if manifest is not None and run is not None:
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
