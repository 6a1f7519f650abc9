"""`egov report`: each agency's own page (HTML and Word) — its total, rank, the points it lost and why,
the evidence still missing — to send back to it."""

from typing import Annotated

import typer

from egovcli.cli import WorkspaceOpt, _info, _open, app
from egovcli.lang import tr
from egovcli.problems import UsageError


@app.command()
def report(
    workspace: WorkspaceOpt = None,
    agency: Annotated[
        str | None,
        typer.Option("--agency", "-a",
                     help="The agency, its name as ranked (accents and case ignored; part of a name when no"
                     " other holds it) (default: none; give --agency or --all)."),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="A page for every ranked agency (default: --agency only).",
                     show_default=False),
    ] = False,
    period: Annotated[
        str | None, typer.Option(help="The period (default: the latest period ranked).")
    ] = None,
    out: Annotated[
        str,
        typer.Option("--out", "-o",
                     help="Folder the pages are written into, made if needed: <agency>.html and <agency>.docx"
                     " (default: the current folder).", show_default=False),
    ] = ".",
) -> None:
    """Write each agency's own page (.html, .docx): its rank, the points it lost and why, what is missing.

    The page gives its total (and index), rank in its group, level, change since the previous period;
    every criterion below its maximum with the points lost and why (the formula with the values, their
    file and cell); its flags, appraisal adjustments, and the evidence still missing."""
    from egovcli.api import agency_reports, protected_outputs, write_agency_reports

    if (agency is None) == (not every):
        raise UsageError("hãy cho --agency TÊN (một cơ quan) hoặc --all (mọi cơ quan), không cả hai.",
                         message_en="give --agency NAME (one agency) or --all (every agency), not both.")
    ws = _open(workspace, readonly=True)
    try:
        protected = protected_outputs(ws)
        reports = agency_reports(ws, agency, period)
    finally:
        ws.close()
    for path in write_agency_reports(reports, out, protected):
        _info(tr(f"Đã ghi {path}", f"Wrote {path}"))
