"""egov command line: parse options, call one library function, print, pick the exit code.

Heavy libraries (openpyxl, pdfplumber, pandas…) are imported inside the commands that need them,
so `egov --help` stays instant. Data goes to stdout, diagnostics to stderr. Submitted text in every
message is shown through `egovcli.untrusted`, never obeyed by the terminal.

Exit codes: 0 done; 1 `--strict` found problems (or `rules validate` an invalid file); 2 the command
could not do its job — a usage error, a missing or foreign workspace, an unusable input file, an
output refused (a folder, the workspace, an input) or not written (disk full). What stops a command
is an `egovcli.problems.EgovError` carrying its problems and exit code: `_Egov.invoke` is the one
place that prints it (`api.problem_report`) and exits with that code.

The commands live by group: `ingest` here, `indicators` / `score` / `rank` in `cli.scoring`,
`rules …` in `cli.rules`, `verify` in `cli.verify`, `workspace …` in `cli.workspace`; the options
and helpers they share are here.
"""

from __future__ import annotations

import shlex
import sys
import time
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click  # the Context type TyperGroup.invoke takes
from typer.core import TyperGroup, TyperOption

from egovcli import __version__
from egovcli.lang import EN, current, tr
from egovcli.problems import EgovError, UsageError
from egovcli.textnorm import vi_number
from egovcli.untrusted import json_text, markup, terminal, visible

if TYPE_CHECKING:
    from rich.progress import Progress

    from egovcli.api import FileResult, IngestReport, Protected, Workspace


class Group(TyperGroup):
    """A command group whose `--help` is off unless given: typer coerces an option's missing value
    (None) through pydantic but a bool flag's False as is, so `egov CMD --help` imports no pydantic."""

    def get_help_option(self, ctx: _click.Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.default = False
        return option


class _Egov(Group):
    """The egov command group: it speaks the command's language (`--lang`, `egovcli.lang`) from the
    first word of help on; an `EgovError` raised by any command (a subcommand's included) is
    printed, its problems one per line, and ends the command with the error's exit code."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        import os

        from egovcli.cli.config import settings
        from egovcli.cli.localise import localise
        from egovcli.lang import LanguageError, choose, use

        try:
            language, argv = choose(sys.argv[1:] if args is None else args, os.environ)
        except LanguageError as exc:
            sys.stderr.write(f"egov: {exc}\n")
            raise SystemExit(2) from exc
        argv, quiet = _flag(argv, "--quiet", "-q")
        argv, excel = _flag(argv, "--excel")
        use(language)
        QUIET[0] = quiet
        if excel or "egovcli.render.export" in sys.modules:  # loaded only when asked: --help stays instant
            from egovcli.api import csv_for_excel

            csv_for_excel(excel)
        localise(self, language)
        try:
            defaults = settings(self)
        except EgovError as exc:
            from egovcli.api import problem_report

            sys.stderr.write(problem_report(exc) + "\n")
            raise SystemExit(exc.exit_code) from exc
        if defaults:
            options["default_map"] = {**defaults, **options.get("default_map", {})}
        return super().main(argv, *rest, **options)

    def invoke(self, ctx: _click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EgovError as exc:
            from egovcli.api import problem_report  # (not before: `egov CMD --help` loads no library)

            sys.stderr.write(problem_report(exc) + "\n")
            raise typer.Exit(exc.exit_code) from exc


# --quiet: only errors and data; no progress bar, information or summary lines (set by `_Egov.main`)
QUIET = [False]


def _flag(argv: Sequence[str], *names: str) -> tuple[list[str], bool]:
    """`argv` without the global switch `names` (`--quiet`, `--excel`: taken anywhere before a
    `--`, like `--lang`), and whether it was there."""
    args = list(argv)
    end = args.index("--") if "--" in args else len(args)
    head = [a for a in args[:end] if a not in names]
    return head + args[end:], len(head) != end


app = typer.Typer(
    cls=_Egov,
    name="egov",
    help="Score and rank agencies' IT / e-government / digital-transformation reports: ingest → score →"
    " rank, and check published rankings (verify).",
    no_args_is_help=True,
    add_completion=True,
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


def _info(message: str) -> None:
    """A line of information on stderr (what was created, a summary), which `--quiet` leaves out."""
    if not QUIET[0]:
        _err(message)


def _open(workspace: str | None, *, readonly: bool = False, create: bool = False) -> Workspace:
    """Open the workspace; only `create` (egov ingest) may make a new one, and says so."""
    from egovcli.api import open_workspace

    ws = open_workspace(workspace, readonly=readonly, create=create)
    if ws.created:
        _info(tr("Đã tạo workspace mới: ", "New workspace created: ") + str(ws.path))
    return ws


def _data_format(out: str | None, fmt: Format | None, protected: Protected) -> str:
    """The format of the data written to `out` (see `api.output_format`), after checking the target."""
    from egovcli.api import output_format

    return output_format(out, fmt.value if fmt else None, protected)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"egov {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of help and messages: vi, en (default: $EGOV_LANG, else English for an en_*"
            " locale, else Vietnamese).",
        ),
    ] = None,  # taken off the command line by _Egov.main, wherever it stands; listed here for --help
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q",
            help="Only errors and data: no progress bar, information or summary lines (default: all).",
        ),
    ] = False,  # likewise
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV for Excel: starts with a UTF-8 byte-order mark, so Excel shows Vietnamese right"
            " (default: plain UTF-8, for programs).",
        ),
    ] = False,  # likewise
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
        bool, typer.Option("--json", help="Print a machine-readable summary to stdout, every file in it.")
    ] = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every file on the terminal (default: the counts, and only the files with a problem"
            " or that failed or were removed).",
        ),
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
    from egovcli.api import Limits
    from egovcli.api import ingest as ingest_folder

    if not folder.is_dir():
        raise UsageError(f"không tìm thấy thư mục '{folder}'.")
    ws = _open(workspace, create=True)
    progress = _progress() if sys.stderr.isatty() and not as_json and not QUIET[0] else None
    task = progress.add_task("Đang đọc báo cáo", total=None, rate="") if progress else None
    started = time.monotonic()
    committed = Counter[str]()

    def on_total(total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, total=total)

    def on_file(result: FileResult) -> None:
        committed[result.status] += 1
        if progress is not None and task is not None:
            rate = f"{vi_number(sum(committed.values()) / max(time.monotonic() - started, 1e-3), 1)} tệp/giây"
            progress.update(task, advance=1, description=f"Đang đọc: {markup(result.file[-28:])}", rate=rate)

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
            ws, folder, period=period, jobs=jobs, on_file=on_file, agencies=agencies, mapping=mapping,
            limits=limits, on_total=on_total,
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
        _print_ingest_report(report, show_all)
    if strict and any(p.severity != "info" for f in report.files for p in f.problems):
        raise typer.Exit(1)


def _progress() -> Progress:
    """Files done / total, files per second and the time left (stderr, a terminal only)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("còn"),
        TimeRemainingColumn(),
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
_STATUS_ORDER = {status: n for n, status in enumerate(_STATUS_VI)}
_ALWAYS_LISTED = ("failed", "removed")  # and every file with a problem


def _print_ingest_report(report: IngestReport, show_all: bool) -> None:
    """The files worth a look as a table (every file with `show_all`), then one line of counts,
    time taken and parallel speed-up: a re-run over thousands of unchanged files prints one line."""
    if QUIET[0]:  # only what went wrong, a line each
        from egovcli.api import problem_line

        for p in (p for f in report.files for p in f.problems if p.severity == "error"):
            _err(problem_line(p))
        return
    listed = [f for f in report.files if show_all or f.problems or f.status in _ALWAYS_LISTED]
    if listed:
        _print_ingest_table(report, listed)
    found = report.counts
    ordered = sorted(found, key=lambda status: _STATUS_ORDER.get(status, len(_STATUS_ORDER)))
    counts = ", ".join(f"{_STATUS_VI.get(k, k)} {found[k]}" for k in ordered)
    if current() == EN:
        counts = ", ".join(f"{k} {found[k]}" for k in ordered)
        line = f"Total: {counts or 'no file'} — {len(report.files)} files in {report.elapsed:.1f} s"
    else:
        took = _seconds(report.elapsed)
        line = f"Tổng: {counts or 'không có tệp nào'} — {len(report.files)} tệp trong {took}"
    if report.read_seconds > 0 and report.elapsed > 0:
        speedup = vi_number(report.read_seconds / report.elapsed, 1)
        line += tr(f", đọc song song ×{speedup} (tổng thời gian đọc {_seconds(report.read_seconds)})",
                   f", read in parallel ×{speedup} ({report.read_seconds:.1f} s of reading)")
    if len(listed) < len(report.files):  # the others had no problem
        line += tr("; xem mọi tệp: --all (hoặc --json)", "; every file: --all (or --json)")
    _err(line + ".")


def _seconds(value: float) -> str:
    return f"{vi_number(value, 2 if value < 1 else 1 if value < 10 else 0)} giây"


def _print_ingest_table(report: IngestReport, files: list[FileResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    from egovcli.api import problem_cell

    table = Table(title=terminal(f"Kết quả đọc thư mục {report.folder}"))
    for col in ("Tệp", "Trạng thái", "Cơ quan", "Kỳ", "Số dòng", "Đã ánh xạ", "Chưa ánh xạ", "Vấn đề"):
        table.add_column(col, overflow="fold")
    for f in files:
        status = _STATUS_VI.get(f.status, f.status)
        if f.superseded_by:
            status += f" bởi {f.superseded_by}"
        cells = (f.file, status, f.agency, f.period, f.rows, f.mapped, f.unmapped)
        # submitted text: shown, never markup; the row names the file, each problem its place
        table.add_row(*(terminal(c) for c in cells), problem_cell(f.problems))
    Console(stderr=True, width=None if sys.stderr.isatty() else 160).print(table)


def main() -> None:
    """Console-script entry point (`egov`, also `python -m egovcli`: named egov in usage lines and in
    the shell completion script either way)."""
    app(prog_name="egov")


# the other command groups register their commands on `app` as they are imported, after ingest (the
# order `egov --help` lists them in)
import egovcli.cli.report  # noqa: E402, F401  (not `from … import report`: a parameter above is named so)
from egovcli.cli import round, rules, scoring, template, verify  # noqa: E402, F401
from egovcli.cli import workspace as workspace_commands  # noqa: E402, F401
