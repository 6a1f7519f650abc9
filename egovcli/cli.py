"""egov command line: parse options, call one library function, print, pick the exit code.

Heavy libraries (openpyxl, pdfplumber, pandas…) are imported inside the commands that need them,
so `egov --help` stays instant. Data goes to stdout, diagnostics to stderr.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from egovcli import __version__

if TYPE_CHECKING:
    from rich.progress import Progress

    from egovcli.ingest import IngestReport
    from egovcli.rules import RuleSet
    from egovcli.workspace import Workspace

app = typer.Typer(
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


WorkspaceOpt = Annotated[
    str | None,
    typer.Option(
        "--workspace", "-w", help="Workspace SQLite file [default: $EGOV_WORKSPACE or ./egov.sqlite]"
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format for the data.")]
OutOpt = Annotated[
    str | None, typer.Option("--out", "-o", help="Write the data to this file instead of stdout.")
]


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip() + "\n")


def _open(workspace: str | None, *, readonly: bool = False) -> Workspace:
    from egovcli.workspace import Workspace, WorkspaceError, resolve_path

    try:
        return Workspace(resolve_path(workspace), readonly=readonly)
    except WorkspaceError as exc:
        _err(f"Lỗi: {exc}")
        raise typer.Exit(2) from exc


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
        str | None, typer.Option(help="Reporting period for every file (overrides detection).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers [default: CPUs].")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable summary to stdout.")
    ] = False,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 if any file has a problem (error or warning; notes don't count).")
    ] = False,
    max_file_mb: Annotated[
        float | None,
        typer.Option(min=0.001, help="Largest file read, in MB (else E-TOO-LARGE) [default: 100]."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(min=0.1, help="Seconds allowed to read one file (else E-TIMEOUT) [default: 180]."),
    ] = None,
    max_memory_mb: Annotated[
        int | None,
        typer.Option(min=0, help="Memory of one reading process in MB, 0: unlimited [default: 4096]."),
    ] = None,
    agencies: Annotated[
        Path | None,
        typer.Option(
            help="Agency registry CSV (id,name,group,aliases) [default: FOLDER/agencies.csv if present]."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Label → indicator pins CSV [default: FOLDER/mapping.csv if present]."),
    ] = None,
) -> None:
    """Read every report below FOLDER into the workspace, with provenance for every value."""
    from egovcli.agencies import AgencyRegistryError
    from egovcli.indicators import MappingError
    from egovcli.ingest import FileResult, Limits, ingest_folder
    from egovcli.workspace import WorkspaceError

    if not folder.is_dir():
        _err(f"Lỗi: không tìm thấy thư mục '{folder}'.")
        raise typer.Exit(2)
    ws = _open(workspace)
    progress = _progress() if sys.stderr.isatty() and not as_json else None
    task = progress.add_task("Đang đọc báo cáo", total=None) if progress else None

    def on_file(result: FileResult) -> None:
        if progress is not None and task is not None:
            progress.update(task, advance=1, description=f"Đang đọc: {result.file[-40:]}")

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
    except AgencyRegistryError as exc:
        _err(f"Lỗi danh mục cơ quan: {exc}")
        raise typer.Exit(2) from exc
    except MappingError as exc:
        _err(f"Lỗi tệp ánh xạ chỉ số: {exc}")
        raise typer.Exit(2) from exc
    except WorkspaceError as exc:  # locked by another writer for longer than the busy timeout
        _err(f"Lỗi: {exc}")
        raise typer.Exit(2) from exc
    finally:
        if progress:
            progress.stop()
        ws.close()
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
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

    table = Table(title=f"Kết quả đọc thư mục {report.folder}")
    for col in ("Tệp", "Trạng thái", "Cơ quan", "Kỳ", "Số dòng", "Đã ánh xạ", "Chưa ánh xạ", "Vấn đề"):
        table.add_column(col, overflow="fold")
    for f in report.files:
        problems = "\n".join(
            f"{p.code}" + (f" [{p.category}]" if p.category else "") + f": {p.message}"
            + (f" ({p.location})" if p.location else "")
            for p in f.problems
        )
        status = _STATUS_VI.get(f.status, f.status)
        if f.superseded_by:
            status += f" bởi {f.superseded_by}"
        table.add_row(
            f.file,
            status,
            f.agency,
            f.period,
            str(f.rows),
            str(f.mapped),
            str(f.unmapped),
            problems,
        )
    Console(stderr=True, width=None if sys.stderr.isatty() else 160).print(table)
    _err("Tổng: " + ", ".join(f"{_STATUS_VI.get(k, k)} {v}" for k, v in sorted(report.counts.items())))


@app.command()
def indicators(
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    unmapped: Annotated[
        bool, typer.Option(help="Only rows whose label matched no canonical indicator.")
    ] = False,
) -> None:
    """List the normalised indicator table: every value read, with its source file and location."""
    from egovcli.api import INDICATOR_COLUMNS, indicator_rows
    from egovcli.render.export import write_rows

    ws = _open(workspace, readonly=True)
    try:
        rows = indicator_rows(ws, unmapped=unmapped)
    finally:
        ws.close()
    write_rows(rows, INDICATOR_COLUMNS, fmt.value, out, title="Chỉ số")


@app.command()
def score(
    rules: Annotated[
        str, typer.Option("--rules", "-r", help="Rule set: a shipped name (hanam-2022) or a .yaml path.")
    ],
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any flag was raised.")] = False,
    adjustments: Annotated[
        Path | None,
        typer.Option(
            help="Appraisal adjustments CSV (agency,criterion,points,reason[,period]): points '3' sets,"
            " '+1'/'-2' changes a criterion's points; the reason is shown in every output."
        ),
    ] = None,
) -> None:
    """Score every agency in the workspace: points per criterion, section totals, audit flags."""
    from egovcli.api import SCORE_COLUMNS, SCORE_EXTRA_COLUMNS, score_rows, score_workspace
    from egovcli.problems import problem
    from egovcli.render.export import write_rows
    from egovcli.rules import RuleSetError
    from egovcli.score.adjust import AdjustmentsError
    from egovcli.workspace import WorkspaceError

    ws = _open(workspace)
    try:
        run = score_workspace(ws, rules, adjustments=adjustments)
    except RuleSetError as exc:
        _err(f"Lỗi bộ tiêu chí: {exc}")
        raise typer.Exit(2) from exc
    except AdjustmentsError as exc:
        _err(f"Lỗi tệp điều chỉnh (không chấm điểm):\n{exc}")
        raise typer.Exit(2) from exc
    except WorkspaceError as exc:  # locked by another writer for longer than the busy timeout
        _err(f"Lỗi: {exc}")
        raise typer.Exit(2) from exc
    finally:
        ws.close()
    rows = score_rows(run.scores)
    write_rows(
        rows,
        SCORE_COLUMNS + SCORE_EXTRA_COLUMNS,
        fmt.value,
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
    )
    flagged = sum(1 for r in rows if r["flags"])
    adjusted = sum(1 for r in rows if r["basis"] == "adjusted")
    for s in run.scores:
        _err(f"{s.agency} ({s.period}): {s.total:g}/{s.max_total:g} điểm")
        for so in s.unmatched:
            p = problem(
                "W-UNKNOWN-CRITERION",
                file=so.source_file,
                location=so.obs.location,
                ref=so.obs.indicator or so.obs.ref,
                rules=run.rules.name,
            )
            _err(f"  {p.code}: {p.message} ({p.file}, {p.location})")
    _err(
        f"{len(run.scores)} cơ quan; {flagged} dòng có cảnh báo kiểm tra"
        + (f"; {adjusted} tiêu chí điều chỉnh sau thẩm định." if adjusted else ".")
    )
    if strict and flagged:
        raise typer.Exit(1)


@app.command()
def rank(
    workspace: WorkspaceOpt = None,
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="Ranking workbook (.xlsx), or a .csv/.json file of the ranking."),
    ] = None,
    md: Annotated[Path | None, typer.Option("--md", help="Also write a markdown summary.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML summary.")] = None,
    fmt: FormatOpt = Format.table,
    ties: Annotated[
        Ties, typer.Option(help="Tie rule: competition (1,2,2,4) or dense (1,2,2,3).")
    ] = Ties.competition,
) -> None:
    """Rank the latest scores per agency group; write the workbook and summaries."""
    from egovcli.api import RANK_COLUMNS, NoScoresError, rank_workspace, write_rank_outputs
    from egovcli.render.export import write_rows

    ws = _open(workspace, readonly=True)
    try:
        result = rank_workspace(ws, ties=ties.value)
    except NoScoresError as exc:
        _err(f"Lỗi: {exc}")
        raise typer.Exit(2) from exc
    finally:
        ws.close()
    xlsx = Path(out) if out and out.lower().endswith(".xlsx") else None
    write_rank_outputs(result, xlsx=xlsx, md=md, html=html)
    rows = [r.as_dict() for r in result.ranking]
    data_out = None if xlsx else out
    data_fmt = fmt.value
    if data_out and data_fmt == "table":
        data_fmt = "json" if data_out.lower().endswith(".json") else "csv"
    write_rows(rows, RANK_COLUMNS, data_fmt, data_out, title="Xếp hạng")
    for path in (xlsx, md, html):
        if path:
            _err(f"Đã ghi {path}")


rules_app = typer.Typer(
    help="Bộ tiêu chí: liệt kê, xem, kiểm tra tệp. / Rule sets: list, show, validate.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list(fmt: FormatOpt = Format.table, out: OutOpt = None) -> None:
    """List the rule sets shipped with egov (use a name with --rules)."""
    from egovcli.api import SHIPPED_RULES_COLUMNS, shipped_rules
    from egovcli.render.export import write_rows

    write_rows(shipped_rules(), SHIPPED_RULES_COLUMNS, fmt.value, out, title="Bộ tiêu chí có sẵn")


@rules_app.command("show")
def rules_show(
    name: Annotated[str, typer.Argument(help="A shipped name (hanam-2022) or a rule-set .yaml path.")],
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
) -> None:
    """Show a rule set: sections, criteria with maxima, formula types, inputs and readings."""
    from egovcli.api import RULE_COLUMNS, rule_rows
    from egovcli.render.export import write_rows

    rules = _load_rules(name)
    write_rows(
        rule_rows(rules),
        RULE_COLUMNS,
        fmt.value,
        out,
        title=f"{rules.title} — tối đa {rules.max_total:g} điểm",
        table_columns=("id", "tt", "label", "max", "formula", "inputs", "groups"),
    )
    if fmt is Format.table:
        for level in rules.levels:
            _err(f"Xếp loại {level.name}: từ {level.min:g} điểm")
        _err(f"{len(rules.readings)} cách hiểu đã ghi (readings); xem --format json hoặc tệp YAML.")


@rules_app.command("validate")
def rules_validate(
    file: Annotated[str, typer.Argument(help="A rule-set .yaml path (or a shipped name).")],
) -> None:
    """Check a rule-set file without scoring: exit 0 when valid, 1 listing every problem as file:line."""
    rules = _load_rules(file, exit_code=1)
    groups = {g for c in rules.criteria for g in c.groups}
    typer.echo(
        f"Hợp lệ: {rules.name} — {rules.title}; {len(rules.sections)} mục, {len(rules.criteria)} tiêu chí,"
        f" tối đa {rules.max_total:g} điểm"
        + (f"; tiêu chí riêng cho nhóm: {', '.join(sorted(groups))}" if groups else "")
        + (f"; {len(rules.levels)} mức xếp loại" if rules.levels else "")
    )


def _load_rules(name: str, exit_code: int = 2) -> RuleSet:
    from egovcli.rules import RuleSetError, load_rules

    try:
        return load_rules(name)
    except RuleSetError as exc:
        _err(f"Lỗi bộ tiêu chí:\n{exc}")
        raise typer.Exit(exit_code) from exc


@app.command()
def verify(
    file: Annotated[Path, typer.Argument(help="A published ranking: .pdf, .xlsx, .docx (or .xls, .doc…).")],
    rules: Annotated[
        str, typer.Option("--rules", "-r", help="Rule set of the ranking: a shipped name or a .yaml path.")
    ],
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 if there is any finding.")] = False,
    agencies: Annotated[
        Path | None, typer.Option(help="Agency registry CSV (id,name,group,aliases) for odd spellings.")
    ] = None,
) -> None:
    """Recompute every total and rank of a published ranking; report each inconsistency with its cell.

    Findings: over_max (a cell above its criterion's maximum), total_mismatch (a total that is not
    the sum of its printed parts), rank_mismatch (a rank or row order that the totals do not give),
    missing_value. Also shows the overall ranking rebuilt from the criterion cells.
    """
    from egovcli.agencies import AgencyRegistryError
    from egovcli.api import REBUILT_COLUMNS, VERIFY_COLUMNS, NothingToVerifyError, verify_file
    from egovcli.render.export import write_rows

    if not file.is_file():
        _err(f"Lỗi: không tìm thấy tệp '{file}'.")
        raise typer.Exit(2)
    rule_set = _load_rules(rules)
    try:
        result = verify_file(file, rule_set, agencies=agencies)
    except (AgencyRegistryError, NothingToVerifyError) as exc:
        _err(f"Lỗi: {exc}")
        raise typer.Exit(2) from exc
    findings = [f.as_dict() for f in result.findings]
    rebuilt = result.rebuilt_rows()
    if fmt is Format.json:
        from egovcli.render.atomic import write_text

        text = json.dumps(
            {
                "file": result.file,
                "rules": result.rules.name,
                "cells": result.cells,
                "findings": findings,
                "rebuilt_ranking": [{c: r[c] for c in (*REBUILT_COLUMNS, "sections")} for r in rebuilt],
            },
            ensure_ascii=False,
            indent=2,
            allow_nan=False,
        )
        if out:
            write_text(out, text + "\n")
        else:
            sys.stdout.write(text + "\n")
    else:
        table_columns = ("agency", "item", "kind", "expected", "found", "location", "explanation")
        write_rows(findings, VERIFY_COLUMNS, fmt.value, out, title=f"Kiểm tra {result.file}",
                   table_columns=table_columns)
        if fmt is Format.table and not out:
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
