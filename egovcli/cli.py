"""egov command line: parse options, call one library function, print, pick the exit code.

Heavy libraries (openpyxl, pdfplumber, pandas…) are imported inside the commands that need them,
so `egov --help` stays instant. Data goes to stdout, diagnostics to stderr. Submitted text in every
message is shown through `egovcli.untrusted`, never obeyed by the terminal.

Exit codes: 0 done; 1 `--strict` found problems (or `rules validate` an invalid file); 2 the command
could not do its job — a usage error, a missing or foreign workspace, an unusable input file, an
output refused (a folder, the workspace, an input) or not written (disk full). What stops a command
is an `egovcli.problems.EgovError` carrying its problems and exit code: `_Egov.invoke` is the one
place that prints it (`egovcli.render.problems.report`) and exits with that code.
"""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer import _click  # the Context type TyperGroup.invoke takes
from typer.core import TyperGroup

from egovcli import __version__
from egovcli.problems import EgovError, UsageError
from egovcli.untrusted import json_text, markup, terminal, visible

if TYPE_CHECKING:
    from rich.progress import Progress

    from egovcli.api import ScoreRun
    from egovcli.ingest import IngestReport
    from egovcli.render.atomic import Protected
    from egovcli.workspace import Workspace



class _Egov(TyperGroup):
    """The egov command group: an `EgovError` raised by any command (a subcommand's included) is
    printed, its problems one per line, and ends the command with the error's exit code."""

    def invoke(self, ctx: _click.Context) -> object:
        from egovcli.render.problems import report

        try:
            return super().invoke(ctx)
        except EgovError as exc:
            sys.stderr.write(report(exc) + "\n")
            raise typer.Exit(exc.exit_code) from exc


app = typer.Typer(
    cls=_Egov,
    name="egov",
    help="Chấm điểm và xếp hạng báo cáo ứng dụng CNTT / chính quyền điện tử của các cơ quan.\n\n"
    "Score and rank agencies' IT / e-government reports: ingest → score → rank.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Ties(StrEnum):
    competition = "competition"
    dense = "dense"


# Every option's help ends with "(default: …)": rich reads "[default: …]" in a help text as markup and
# drops it, and typer's own default display is turned off (show_default=False) so that no default is
# shown twice in two styles; tests/test_cli_help.py holds every command to it.
WorkspaceOpt = Annotated[
    str | None,
    typer.Option(
        "--workspace", "-w", help="Workspace SQLite file (default: $EGOV_WORKSPACE, else ./egov.sqlite)."
    ),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f",
        help="Output format for the data (default: table; with --out, the one its extension names:"
        " .csv, .json, .txt/.md for table).",
    ),
]  # fmt: skip
OutOpt = Annotated[
    str | None,
    typer.Option(
        "--out", "-o",
        help="Write the data to this file ('-': stdout). A link is followed, a device or FIFO written to;"
        " never a folder, the workspace or an input file (default: stdout).",
    ),
]  # fmt: skip


def _err(message: str) -> None:
    """A diagnostic on stderr; submitted text in it is shown with its control characters escaped."""
    sys.stderr.write(visible(message.rstrip()) + "\n")


def _open(workspace: str | None, *, readonly: bool = False, create: bool = False) -> Workspace:
    """Open the workspace; only `create` (egov ingest) may make a new one, and says so."""
    from egovcli.workspace import Workspace, resolve_path

    ws = Workspace(resolve_path(workspace), readonly=readonly, create=create)
    if ws.created:
        _err(f"Đã tạo workspace mới: {ws.path}")
    return ws


def _data_format(out: str | None, fmt: Format | None, protected: Protected) -> str:
    """The format of the data written to `out` (see `output_format`), after checking the target."""
    from egovcli.render.atomic import check_target
    from egovcli.render.export import output_format

    if out is not None:
        check_target(out, protected)
    return output_format(out, fmt.value if fmt else None)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"egov {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """egov: ingest → score → rank."""


@app.command()
def ingest(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder of submitted reports (.xlsx, .docx, .pdf; .xls, .xlsm, .ods; .doc, .odt, .rtf"
            " through LibreOffice), walked recursively."
        ),
    ],
    workspace: WorkspaceOpt = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="Reporting period for every file, overriding detection (default: the one each file"
            " names; a file naming none gets the one period of the folder's other files)."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1,
            help="Parallel reading processes (default: CPUs, at most one per 384 MB of --max-memory-mb).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable summary to stdout.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            help="Exit 1 if any file has a problem (error or warning; notes don't count)"
            " (default: --no-strict).",
            show_default=False,
        ),
    ] = False,
    max_file_mb: Annotated[
        float | None,
        typer.Option(min=0.001, help="Largest file read, in MB (else E-TOO-LARGE) (default: 100)."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(min=0.1, help="Seconds allowed to read one file (else E-TIMEOUT) (default: 60)."),
    ] = None,
    max_memory_mb: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Memory of all reading processes together, in MB (each of N --jobs gets 1/N; a file"
            " needing more: E-TOO-LARGE), 0: unlimited (default: 1280).",
        ),
    ] = None,
    agencies: Annotated[
        Path | None,
        typer.Option(
            help="Agency registry CSV (id,name,group,aliases) (default: FOLDER/agencies.csv if present)."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Label → indicator pins CSV (default: FOLDER/mapping.csv if present)."),
    ] = None,
) -> None:
    """Read every report below FOLDER into the workspace, with provenance for every value."""
    from egovcli.ingest import FileResult, Limits, ingest_folder

    if not folder.is_dir():
        raise UsageError(f"không tìm thấy thư mục '{folder}'.")
    ws = _open(workspace, create=True)
    progress = _progress() if sys.stderr.isatty() and not as_json else None
    task = progress.add_task("Đang đọc báo cáo", total=None) if progress else None
    committed = Counter[str]()

    def on_file(result: FileResult) -> None:
        committed[result.status] += 1
        if progress is not None and task is not None:
            progress.update(task, advance=1, description=f"Đang đọc: {markup(result.file[-40:])}")

    try:
        if progress:
            progress.start()
        default = Limits()
        limits = Limits(
            max_file_mb=default.max_file_mb if max_file_mb is None else max_file_mb,
            timeout=default.timeout if timeout is None else timeout,
            max_memory_mb=default.max_memory_mb if max_memory_mb is None else max_memory_mb,
        )
        report = ingest_folder(
            folder, ws, period=period, jobs=jobs, on_file=on_file, agencies=agencies, mapping=mapping,
            limits=limits,
        )
    except KeyboardInterrupt as exc:  # the workers are already killed; every committed file stays
        if progress:
            progress.stop()
        stored = committed["new"] + committed["updated"]
        failed = f" ({committed['failed']} tệp lỗi sẽ được đọc lại)" if committed["failed"] else ""
        again = f"egov ingest {shlex.quote(str(folder))} --workspace {shlex.quote(str(ws.path))}"
        _err(
            f"Đã dừng (Ctrl-C): {stored} tệp đã đọc được lưu vào workspace {ws.path}{failed}."
            f" Chạy lại lệnh {again} (cùng các tuỳ chọn khác đã dùng) để đọc tiếp;"
            " các tệp đã đọc sẽ không đọc lại."
        )
        raise typer.Exit(130) from exc
    finally:
        if progress:
            progress.stop()
        ws.close()
    if as_json:
        sys.stdout.write(json_text(report.as_dict()) + "\n")
    else:
        _print_ingest_table(report)
    if strict and any(p.severity != "info" for f in report.files for p in f.problems):
        raise typer.Exit(1)


def _progress() -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


_STATUS_VI = {
    "new": "mới",
    "updated": "cập nhật",
    "unchanged": "không đổi",
    "superseded": "bị thay thế",
    "failed": "LỖI",
    "skipped": "bỏ qua",
    "removed": "đã xoá khỏi thư mục",
}


def _print_ingest_table(report: IngestReport) -> None:
    from rich.console import Console
    from rich.table import Table

    from egovcli.render.problems import cell as problem_cell

    table = Table(title=terminal(f"Kết quả đọc thư mục {report.folder}"))
    for col in ("Tệp", "Trạng thái", "Cơ quan", "Kỳ", "Số dòng", "Đã ánh xạ", "Chưa ánh xạ", "Vấn đề"):
        table.add_column(col, overflow="fold")
    for f in report.files:
        status = _STATUS_VI.get(f.status, f.status)
        if f.superseded_by:
            status += f" bởi {f.superseded_by}"
        cells = (f.file, status, f.agency, f.period, f.rows, f.mapped, f.unmapped)
        # submitted text: shown, never markup; the row names the file, each problem its place
        table.add_row(*(terminal(c) for c in cells), problem_cell(f.problems))
    Console(stderr=True, width=None if sys.stderr.isatty() else 160).print(table)
    _err("Tổng: " + ", ".join(f"{_STATUS_VI.get(k, k)} {v}" for k, v in sorted(report.counts.items())))


@app.command()
def indicators(
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    out: OutOpt = None,
    unmapped: Annotated[
        bool,
        typer.Option(
            help="Only rows whose label matched no canonical indicator (default: --no-unmapped: every row).",
            show_default=False,
        ),
    ] = False,
) -> None:
    """List the normalised indicator table: every value read, with its source file and location."""
    from egovcli.api import INDICATOR_COLUMNS, indicator_rows, protected_outputs
    from egovcli.render.export import write_rows

    ws = _open(workspace, readonly=True)
    try:
        protected = protected_outputs(ws)
        data_fmt = _data_format(out, fmt, protected)
        rows = indicator_rows(ws, unmapped=unmapped)
    finally:
        ws.close()
    write_rows(rows, INDICATOR_COLUMNS, data_fmt, out, title="Chỉ số", protected=protected)


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
        protected_outputs,
        score_rows,
        score_workspace,
    )
    from egovcli.render.export import write_rows
    from egovcli.render.problems import line
    from egovcli.rules import load_rules

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
        SCORE_JSON_COLUMNS if data_fmt == "json" else SCORE_COLUMNS + SCORE_EXTRA_COLUMNS,
        data_fmt,
        out,
        title=f"Chấm điểm theo {run.rules.title}",
        table_columns=(
            "agency",
            "criterion",
            "points",
            "max_points",
            "basis",
            "self_points",
            "flags",
            "explanation",
        ),
        protected=protected,
    )
    flagged = sum(1 for r in rows if r["flags"])
    adjusted = sum(1 for r in rows if r["basis"] == "adjusted")
    for s in run.scores:
        _err(f"{s.agency} ({s.period}): {s.total:g}/{s.max_total:g} điểm")
        for p in s.unmatched_problems():
            _err(f"  {line(p)}")
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
    fmt: FormatOpt = None,
    ties: Annotated[
        Ties,
        typer.Option(
            help="Tie rule: competition (1,2,2,4) or dense (1,2,2,3) (default: competition).",
            show_default=False,
        ),
    ] = Ties.competition,
) -> None:
    """Rank the latest scores per agency group; write the workbook and summaries."""
    from egovcli.api import RANK_COLUMNS, protected_outputs, rank_workspace, write_rank_outputs
    from egovcli.render.export import write_rows

    ws = _open(workspace, readonly=True)
    try:
        protected = protected_outputs(ws)
        xlsx, rows_out, rows_fmt = _rank_targets(out, md, html, fmt, protected)
        result = rank_workspace(ws, ties=ties.value)
    finally:
        ws.close()
    write_rank_outputs(result, xlsx=xlsx, md=md, html=html, protected=protected)
    if rows_fmt:
        rows = [r.as_dict() for r in result.ranking]
        write_rows(rows, RANK_COLUMNS, rows_fmt, rows_out, title="Xếp hạng", protected=protected)
    _err(f"Điều chỉnh sau thẩm định: {result.adjustments}")
    for path in (xlsx, md, html):
        if path and path != "-":
            _err(f"Đã ghi {path}")


def _rank_targets(
    out: str | None, md: str | None, html: str | None, fmt: Format | None, protected: Protected
) -> tuple[str | None, str | None, str | None]:
    """(workbook, rows target, rows format) for `egov rank`, every target checked first; the rows
    format is None when no rows are written (a summary already takes stdout)."""
    from egovcli.render.atomic import STDOUT, OutputError, check_target, is_special
    from egovcli.render.export import RANK_EXTENSIONS, SUMMARY_EXTENSIONS, output_format

    on_stdout = [o for o, t in (("--out", out), ("--md", md), ("--html", html)) if t == STDOUT]
    if len(on_stdout) > 1:
        message = f"chỉ một kết quả được ghi ra stdout ('-'), ở đây có {', '.join(on_stdout)}."
        raise OutputError(message, code="E-USAGE")
    for option, kind, target in (("--md", "markdown", md), ("--html", "html", html)):
        if target is not None:
            check_target(target, protected)
            output_format(target, kind, SUMMARY_EXTENSIONS, option=option)
    xlsx = None
    if out is not None:
        check_target(out, protected)
        suffix = "" if out == STDOUT or is_special(out) else Path(out).suffix.lower()
        if suffix == ".xlsx":
            xlsx, out = out, None  # the workbook; the rows still go to stdout
        elif suffix in (".md", ".markdown", ".html", ".htm"):
            message = f"--out '{out}': bản tóm tắt {suffix} được ghi bằng --md / --html."
            raise OutputError(message, code="E-OUTPUT-FORMAT")
    if out is None and STDOUT in (md, html):
        return xlsx, None, None
    return xlsx, out, output_format(out, fmt.value if fmt else None, RANK_EXTENSIONS)


rules_app = typer.Typer(
    help="Bộ tiêu chí: liệt kê, xem, kiểm tra tệp. / Rule sets: list, show, validate.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list(fmt: FormatOpt = None, out: OutOpt = None) -> None:
    """List the rule sets shipped with egov (use a name with --rules)."""
    from egovcli.api import SHIPPED_RULES_COLUMNS, shipped_rules
    from egovcli.render.export import write_rows

    data_fmt = _data_format(out, fmt, {})
    write_rows(shipped_rules(), SHIPPED_RULES_COLUMNS, data_fmt, out, title="Bộ tiêu chí có sẵn")


@rules_app.command("show")
def rules_show(
    name: Annotated[str, typer.Argument(help="A shipped name (hanam-2022) or a rule-set .yaml path.")],
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """Show a rule set: sections, criteria with maxima, formula types, inputs and readings."""
    from egovcli.api import RULE_COLUMNS, protected_outputs, rule_rows
    from egovcli.render.export import write_rows
    from egovcli.rules import load_rules

    protected = protected_outputs(inputs=[name])
    data_fmt = _data_format(out, fmt, protected)
    rules = load_rules(name)
    write_rows(
        rule_rows(rules),
        RULE_COLUMNS,
        data_fmt,
        out,
        title=f"{rules.title} — tối đa {rules.max_total:g} điểm",
        table_columns=("id", "tt", "label", "max", "formula", "inputs", "groups"),
        protected=protected,
    )
    if data_fmt == "table":
        for level in rules.levels:
            _err(f"Xếp loại {level.name}: từ {level.min:g} điểm")
        _err(f"{len(rules.readings)} cách hiểu đã ghi (readings); xem --format json hoặc tệp YAML.")


@rules_app.command("validate")
def rules_validate(
    file: Annotated[str, typer.Argument(help="A rule-set .yaml path (or a shipped name).")],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print {file, valid, name, title, problems} to stdout, each problem the object every"
            " command's JSON uses (default: the verdict as text, the problems on stderr).",
        ),
    ] = False,
) -> None:
    """Check a rule-set file without scoring: exit 0 when valid, 1 listing every problem as file:line."""
    from egovcli.render.problems import record
    from egovcli.rules import RuleSetError, load_rules

    try:
        rules = load_rules(file)
    except RuleSetError as exc:
        if as_json:
            found = {"file": file, "valid": False, "name": "", "title": "",
                     "problems": [record(p) for p in exc.problems]}
            sys.stdout.write(json_text(found) + "\n")
            raise typer.Exit(1) from exc
        exc.exit_code = 1  # an invalid file is this command's answer, not a failure to run it
        raise
    if as_json:
        found = {"file": file, "valid": True, "name": rules.name, "title": rules.title, "problems": []}
        sys.stdout.write(json_text(found) + "\n")
        return
    groups = {g for c in rules.criteria for g in c.groups}
    typer.echo(visible(
        f"Hợp lệ: {rules.name} — {rules.title}; {len(rules.sections)} mục, {len(rules.criteria)} tiêu chí,"
        f" tối đa {rules.max_total:g} điểm"
        + (f"; tiêu chí riêng cho nhóm: {', '.join(sorted(groups))}" if groups else "")
        + (f"; {len(rules.levels)} mức xếp loại" if rules.levels else "")
    ))


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
    from egovcli.api import REBUILT_COLUMNS, VERIFY_COLUMNS, protected_outputs, verify_file
    from egovcli.render.atomic import write_text
    from egovcli.render.export import write_rows
    from egovcli.render.problems import record
    from egovcli.rules import load_rules

    if not file.is_file():
        raise UsageError(f"không tìm thấy tệp '{file}'.")
    protected = protected_outputs(inputs=[file, agencies, rules])
    data_fmt = _data_format(out, fmt, protected)
    rule_set = load_rules(rules)
    result = verify_file(file, rule_set, agencies=agencies)
    findings = [record(f.problem(), **f.as_dict()) for f in result.findings]
    rebuilt = result.rebuilt_rows()
    if data_fmt == "json":
        text = json_text(
            {
                "file": result.file,
                "rules": result.rules.name,
                "cells": result.cells,
                "findings": findings,
                "rebuilt_ranking": [{c: r[c] for c in (*REBUILT_COLUMNS, "sections")} for r in rebuilt],
            }
        )
        write_text(out or "-", text + "\n", protected)
    else:
        table_columns = ("agency", "item", "kind", "expected", "found", "location", "explanation")
        write_rows(findings, VERIFY_COLUMNS, data_fmt, out, title=f"Kiểm tra {result.file}",
                   table_columns=table_columns, protected=protected)
        if data_fmt == "table" and out in (None, "-"):
            write_rows(rebuilt, REBUILT_COLUMNS[:2] + REBUILT_COLUMNS[4:], "table", None,
                       title="Xếp hạng chung tính lại từ các bảng, bên cạnh bảng in")
    kinds = Counter(f.kind for f in result.findings)
    _err(
        f"{result.file}: {result.cells} ô điểm đã đọc; {len(result.findings)} phát hiện"
        + (" (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")" if kinds else "")
    )
    if strict and result.findings:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app()
