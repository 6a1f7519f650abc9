"""`egov ingest FOLDER`: every report below FOLDER read into the workspace, with progress (done/total,
rate, time left) on a terminal, and a summary line: the files worth a look, counts, time, speed-up."""

from __future__ import annotations

import shlex
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from egovcli.cli import QUIET, WorkspaceOpt, _err, _open, app
from egovcli.lang import EN, current, tr
from egovcli.problems import UsageError
from egovcli.textnorm import vi_number
from egovcli.untrusted import json_text, markup, terminal

if TYPE_CHECKING:
    from rich.progress import Progress

    from egovcli.api import FileResult, IngestReport


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

    table = Table(title=terminal(tr("Kết quả đọc thư mục ", "Files read in ") + str(report.folder)))
    headings = (("Tệp", "Trạng thái", "Cơ quan", "Kỳ", "Số dòng", "Đã ánh xạ", "Chưa ánh xạ", "Vấn đề")
                if current() != EN else
                ("File", "Status", "Agency", "Period", "Rows", "Mapped", "Unmapped", "Problems"))
    for col in headings:
        table.add_column(col, overflow="fold")
    for f in files:
        status = f.status if current() == EN else _STATUS_VI.get(f.status, f.status)
        if f.superseded_by:
            status += tr(" bởi ", " by ") + f.superseded_by
        cells = (f.file, status, f.agency, f.period, f.rows, f.mapped, f.unmapped)
        # submitted text: shown, never markup; the row names the file, each problem its place
        table.add_row(*(terminal(c) for c in cells), problem_cell(f.problems))
    Console(stderr=True, width=None if sys.stderr.isatty() else 160).print(table)
