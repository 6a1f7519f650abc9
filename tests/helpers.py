"""Helpers shared by several test modules."""

from __future__ import annotations

from typer.testing import CliRunner

from egovcli.cli import app
from egovcli.ingest.layout import Grid, interpret
from egovcli.model import Observation
from egovcli.workspace import Workspace

_runner = CliRunner()


def egov(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr); an unexpected exception is raised."""
    result = _runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def statuses(ws: Workspace) -> dict[str, tuple[str, str | None]]:
    """Each stored submission's status and the file that supersedes it, by display path."""
    return {s.display_path: (s.status, s.superseded_by) for s in ws.submissions()}


def table_observations(rows: Grid) -> list[Observation]:
    """The observations ingest reads from one table on its own (`layout.interpret` of that grid)."""
    return interpret([], [rows]).observations
