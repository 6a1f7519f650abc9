"""`egov init FOLDER`: a new round's folder, with the settings (`cli.config`) that make the round three
short commands."""

from pathlib import Path
from typing import Annotated

import typer

from egovcli.cli import _info, app
from egovcli.lang import tr


@app.command("init")
def init(
    folder: Annotated[Path, typer.Argument(help="Folder of the new round (made if missing).")],
    rules: Annotated[
        str,
        typer.Option(
            "--rules", "-r",
            help="Rule set of the round: a shipped name or a .yaml path (default: dti-example-2025).",
            show_default=False,
        ),
    ] = "dti-example-2025",
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace an existing egov.toml (default: keep it; exit 2).", show_default=False
        ),
    ] = False,
) -> None:
    """Start a round: FOLDER/egov.toml (workspace, rule set, agency registry, adjustments, outputs), an
    empty agencies.csv and the folders bao-cao/ and ket-qua/; then `egov ingest`, `egov score`,
    `egov rank` in FOLDER need no options."""
    from egovcli.api import init_round

    for path in init_round(folder, rules=rules, force=force):
        _info(tr(f"Đã tạo {path}", f"Created {path}"))
    _info(tr(f"Tiếp theo: đặt báo cáo vào {folder / 'bao-cao'}, rồi trong {folder}: egov ingest; egov score;"
             " egov rank",
             f"Next: put the reports into {folder / 'bao-cao'}, then in {folder}: egov ingest; egov score;"
             " egov rank"))
