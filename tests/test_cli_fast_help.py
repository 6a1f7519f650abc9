"""`egov … --help` is printed from a model of the CLI (egovcli/help_pages.json) without typer, and
must be exactly typer's own help: the model is regenerated from the typer app (`make help-pages`)
and compared here, and every page is rendered both ways, byte for byte, for every command, in
Vietnamese and English, at several widths and in every colour mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from egovcli import helplayout, helppage
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
    assert helpmodel.PAGES.read_text(encoding="utf-8") == helpmodel.text(), "run `make help-pages`"


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
def test_the_egov_command_prints_typers_help_without_typer_or_rich(argv: list[str], tmp_path: Path) -> None:
    """The installed `egov` (its console script: `egovcli.__main__:main`) in a fresh interpreter,
    through a pipe: the same bytes as typer's help, with neither typer nor rich imported."""
    code = ("import sys; from egovcli.__main__ import main; main(); "
            "sys.stderr.write(' '.join(m for m in ('typer', 'rich', 'pydantic') if m in sys.modules))")
    typer_code = "from egovcli.cli import main; main()"
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    fast = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, env=env, cwd=tmp_path)
    typer_help = subprocess.run([sys.executable, "-c", typer_code, *argv], capture_output=True, env=env,
                                cwd=tmp_path)
    assert (fast.returncode, fast.stdout) == (0, typer_help.stdout)
    assert fast.stderr == b""



@pytest.mark.parametrize("argv", [["score", "--help"], ["--lang", "en", "--help"]])
def test_a_reader_that_left_ends_the_help_as_typer_does(argv: list[str], tmp_path: Path) -> None:
    """`egov --help | head -1`: the pipe closed before the page is written; exit 1, nothing on stderr."""
    done = {}
    for how, code in (("fast", "from egovcli.__main__ import main; main()"),
                      ("typer", "from egovcli.cli import main; main()")):
        read, write = os.pipe()
        os.close(read)
        try:
            run = subprocess.run([sys.executable, "-c", code, *argv], stdout=write, stderr=subprocess.PIPE,
                                 cwd=tmp_path, check=False)
        finally:
            os.close(write)
        done[how] = (run.returncode, run.stderr)
    assert done["fast"] == done["typer"] == (1, b"")


# widths around every way rich shares a line out: panels squeezed below their content, columns
# collapsed, names cut with "…", words folded; and wide ones
PLAIN_WIDTHS = (10, 14, 20, 27, 33, 40, 47, 55, 61, 72, 79, 80, 81, 99, 133, 160, 250)


@pytest.mark.parametrize("width", PLAIN_WIDTHS)
def test_the_plain_layout_is_richs(width: int, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Without colour (`egov … --help | less`, a script, the bench) egov lays the page out itself
    (rich's import and layout were most of the time left): every page, as rich lays it out."""
    env = _environment(monkeypatch, str(width), "plain")
    pages = json.loads(helpmodel.PAGES.read_text(encoding="utf-8"))["pages"]
    for language, by_path in pages.items():
        for path, page in by_path.items():
            helppage.render(page, env)
            assert helplayout.plain(page, width) == capsys.readouterr().out, (language, path)


@pytest.mark.parametrize("env", [
    {}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"FORCE_COLOR": "1", "TERM": "dumb"},
    {"FORCE_COLOR": "1", "TERM": "unknown", "COLUMNS": "90"},
    {"FORCE_COLOR": "1", "TERM": "dumb", "COLUMNS": "90", "LINES": "30"},
    {"TTY_COMPATIBLE": "1"}, {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, {"PY_COLORS": "1"},
    {"GITHUB_ACTIONS": "true"}, {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "FORCE_COLOR": "1"},
    {"COLUMNS": "100"}, {"COLUMNS": "x"}, {"TERMINAL_WIDTH": "70", "COLUMNS": "100"}, {"NO_COLOR": "1"},
], ids=str)
def test_the_plain_layout_is_used_exactly_when_rich_writes_no_escape_codes(
        env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*_CLEARED, "LINES", "TTY_COMPATIBLE", "_TYPER_FORCE_DISABLE_TERMINAL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    console = helppage._console(dict(os.environ))
    width = helppage.plain_width(dict(os.environ))
    assert (width is not None) == (console.color_system is None)
    if width is not None:
        assert width == console.width
