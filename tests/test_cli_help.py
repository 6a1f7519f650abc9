"""`--help` of every command, in Vietnamese (the default) and in English (`--lang en`): every option
shows its default, in one style ("(mặc định: …)" / "(default: …)" in the help text), and no help
text is lost to rich markup (rich read "[default: …]" as a tag and dropped it: `egov score --help`
showed "Workspace SQLite file" and "Output format for the data .")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import typer
from rich.text import Text
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from egovcli.cli import app

if TYPE_CHECKING:
    from typer.core import TyperArgument, TyperCommand


def _commands(command: TyperCommand | TyperGroup, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command and group below `command` (the `rules` sub-app included)."""
    yield path
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


ROOT = typer.main.get_command(app)
COMMANDS = list(_commands(ROOT))


def _command(path: tuple[str, ...]) -> TyperCommand | TyperGroup:
    command = ROOT
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.commands[name]
    return command


def _has_default(param: TyperOption | TyperArgument) -> bool:
    """Whether leaving the option out means something to tell: every option but a required one and
    a plain switch that is off unless given (--json, --help)."""
    if not isinstance(param, TyperOption) or param.required:
        return False
    return not (param.is_flag and not param.secondary_opts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_command_is_covered() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"ingest", "indicators", "score", "rank", "verify", "rules", "rules list", "rules show",
            "rules validate"} <= names  # fmt: skip


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "egov")
def test_help_shows_every_default_in_one_style(path: tuple[str, ...], language: str) -> None:
    from egovcli.cli.localise import vietnamese_help

    # wide enough that no help text is wrapped, so each can be found whole in the output
    result = CliRunner().invoke(app, ["--lang", language, *path, "--help"], env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.output
    shown = _flat(result.output)
    command = _command(path)
    key = " ".join(path)
    if language == "vi":
        texts = [vietnamese_help(key)] + [vietnamese_help(key, p) for p in command.params]
        default = "(mặc định: "
    else:
        texts = [command.help] + [getattr(p, "help", None) for p in command.params]
        default = "(default: "
    assert all(texts), f"{key}: a command or option without {language} help"
    for text in texts:
        assert text is not None and Text.from_markup(text).plain == text, f"rich takes {text!r} as markup"
    for param, help_text in zip(command.params, texts[1:], strict=True):
        assert help_text is not None and _flat(help_text) in shown, f"{param.name}: help not shown whole"
        if _has_default(param):
            assert default in help_text, f"{key} {param.opts[0]}: no default in its {language} help"
    assert "[default:" not in result.output  # typer's own display is off: one style only
    assert "[/" not in result.output  # no closing tag reached the screen
    assert "<bool>" not in result.output and "<str>" not in result.output  # plain words for each value
