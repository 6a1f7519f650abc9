"""`egov … --help` is printed from a model of the CLI (egovcli/help_pages.json) without typer, and
must be exactly typer's own help: the model is regenerated from the typer app (`make help-pages`)
and compared here, and every page is rendered both ways, byte for byte, for every command, in
Vietnamese and English, at several widths and in every colour mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from egovcli import helppage
from egovcli.cli import app, helpmodel
from egovcli.cli.localise import rich_utils, walk

PATHS = [path for path, _ in walk(typer.main.get_command(app))]
WIDTHS = ("60", "80", "120", "200")
# the environment of each colour mode: plain (not a terminal), colour forced in each colour system,
# colour forced but NO_COLOR (bold and dim only), a dumb terminal
MODES = {
    "plain": {},
    "standard": {"FORCE_COLOR": "1", "TERM": "xterm"},
    "256": {"FORCE_COLOR": "1", "TERM": "xterm-256color"},
    "truecolor": {"FORCE_COLOR": "1", "COLORTERM": "truecolor"},
    "no-color": {"FORCE_COLOR": "1", "NO_COLOR": "1"},
    "dumb": {"FORCE_COLOR": "1", "TERM": "dumb"},
}
_CLEARED = ("FORCE_COLOR", "NO_COLOR", "TERM", "COLORTERM", "TTY_COMPATIBLE", "TERMINAL_WIDTH", "PY_COLORS",
            "GITHUB_ACTIONS", "EGOV_CONFIG", "COLUMNS")


def test_the_model_is_generated_from_the_typer_app() -> None:
    """Like a lockfile: a changed option or help text fails here until `make help-pages` is run."""
    assert helppage.PAGES.read_text(encoding="utf-8") == helpmodel.text(), "run `make help-pages`"


def _environment(monkeypatch: pytest.MonkeyPatch, width: str, mode: str) -> dict[str, str]:
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    env = {"COLUMNS": width, **MODES[mode]}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # typer reads FORCE_COLOR when its help module is imported: as a fresh `egov` would
    monkeypatch.setattr(rich_utils(), "FORCE_TERMINAL", True if "FORCE_COLOR" in env else None)
    return dict(os.environ)


# every width without colour and with it; the other colour modes at one width (they differ in escape codes)
CASES = [(w, m) for w in WIDTHS for m in ("plain", "standard")] + [("80", m) for m in MODES if m not in
                                                                  ("plain", "standard")]


@pytest.mark.parametrize(("width", "mode"), CASES, ids=lambda v: v)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_is_typers_help(language: str, width: str, mode: str, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no egov.toml
    env = _environment(monkeypatch, width, mode)
    runner = CliRunner()
    for path in PATHS:
        argv = ["--lang", language, *path.split(), "--help"]
        assert helppage.answer(argv, env), path
        fast = capsys.readouterr().out
        typer_help = runner.invoke(app, argv)
        assert typer_help.exit_code == 0, typer_help.output
        assert fast == typer_help.stdout, (path, language, width, mode)


@pytest.mark.parametrize(("argv", "env", "settings"), [
    (["score"], {}, False),  # not a help request
    (["score", "-r", "x", "--help"], {}, False),  # options before --help: typer parses them
    (["--help", "score"], {}, False),
    (["scroe", "--help"], {}, False),  # no such command: typer says so
    (["--lang", "fr", "--help"], {}, False),  # a language egov does not speak: a usage error
    (["--excel", "--help"], {}, False),
    (["score", "--help"], {"_EGOV_COMPLETE": "complete_bash"}, False),  # shell completion
    (["score", "--help"], {"EGOV_CONFIG": "round.toml"}, False),  # a settings file may refuse or set defaults
    (["score", "--help"], {}, True),  # ./egov.toml likewise
], ids=lambda v: str(v))
def test_what_the_model_cannot_answer_goes_to_typer(argv: list[str], env: dict[str, str], settings: bool,
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    if settings:
        (tmp_path / "egov.toml").write_text("", encoding="utf-8")
    assert not helppage.answer(argv, env)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv", [["--help"], ["-q", "rules", "show", "--help"],
                                  ["--lang=en", "rank", "--help"]])
def test_the_egov_command_prints_typers_help_without_typer(argv: list[str], tmp_path: Path) -> None:
    """The installed `egov` (its console script: `egovcli.__main__:main`) in a fresh interpreter,
    through a pipe: the same bytes as typer's help, and typer never imported."""
    code = ("import sys; from egovcli.__main__ import main; main(); "
            "sys.stderr.write(' '.join(m for m in ('typer', 'click', 'pydantic') if m in sys.modules))")
    typer_code = "from egovcli.cli import main; main()"
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    fast = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, env=env, cwd=tmp_path)
    typer_help = subprocess.run([sys.executable, "-c", typer_code, *argv], capture_output=True, env=env,
                                cwd=tmp_path)
    assert (fast.returncode, fast.stdout) == (0, typer_help.stdout)
    assert fast.stderr == b""
