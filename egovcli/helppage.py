"""`egov [COMMAND…] --help` printed from the pages generated from the typer app
(`egovcli/help_pages.json`, written by `egovcli.cli.helpmodel`) with rich alone, laid out as typer's
rich help lays them out, byte for byte (tests/test_cli_fast_help.py): typer, with the click it
carries, took two thirds of every `--help`. Any `--help` whose page could differ from the model (a
settings file giving defaults, shell completion, a word the model does not know) is left to typer.
"""

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parent / "help_pages.json"
# the global switches `_Egov.main` takes off the command line before typer sees it (`--lang` aside)
_QUIET = ("--quiet", "-q")
# typer's styles and switches (typer.rich_utils), which egov leaves as they are
_THEME = {"option": "bold cyan", "switch": "bold green", "negative_option": "bold magenta",
          "negative_switch": "bold red", "types": "bold yellow", "types_sep": "dim", "usage": "yellow"}
_STYLES = {"markup": "", "default": "dim", "required": "dim red"}


def help_page(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> tuple[str, str] | None:
    """The language and path of the help page `egov ARGV` asks for ("rules show"), or None when
    typer must answer: not a plain `egov [--lang L] [-q] [COMMAND…] --help`, a language egov does not
    speak, an `egov.toml` (or $EGOV_CONFIG) that may set defaults or be refused, or shell completion."""
    if not argv or argv[-1] != "--help" or "EGOV_CONFIG" in env or (cwd / "egov.toml").exists():
        return None
    if any(name.endswith("_COMPLETE") or name == "_TYPER_COMPLETE_ARGS" for name in env):
        return None
    from egovcli.lang import LanguageError, choose

    try:
        language, rest = choose(argv[:-1], env)
    except LanguageError:
        return None
    words = [word for word in rest if word not in _QUIET]
    if any(word.startswith("-") for word in words):
        return None
    return language, " ".join(words)


def _console(env: Mapping[str, str]) -> Any:
    """typer's help console (`typer.rich_utils._get_rich_console`), with its environment switches."""
    from rich.console import Console
    from rich.highlighter import RegexHighlighter
    from rich.theme import Theme

    class OptionHighlighter(RegexHighlighter):
        highlights = [r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
                      r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])", r"(?P<types>\<[^\>]+\>)",
                      r"(?P<usage>Usage: )"]

    force = True if env.get("GITHUB_ACTIONS") or env.get("FORCE_COLOR") or env.get("PY_COLORS") else None
    if env.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        force = False
    width = env.get("TERMINAL_WIDTH")
    return Console(theme=Theme(_THEME), highlighter=OptionHighlighter(), color_system="auto",
                   force_terminal=force, width=int(width) if width else None)


def render(page: dict[str, Any], env: Mapping[str, str]) -> None:
    """Print `page` as `typer.rich_utils.rich_format_help` does, then the newline click's help adds."""
    from rich.align import Align
    from rich.columns import Columns
    from rich.console import Group
    from rich.highlighter import RegexHighlighter
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    class TypesHighlighter(RegexHighlighter):
        highlights = [r"^(?P<types_sep>(\[|<))", r"(?P<types_sep>\|)", r"(?P<types_sep>(\]|>))(\.\.\.)?$"]

    class NegativeOptionHighlighter(RegexHighlighter):
        highlights = [r"(^|\W)(?P<negative_switch>\-\w+)(?![a-zA-Z0-9])",
                      r"(^|\W)(?P<negative_option>\-\-[\w\-]+)(?![a-zA-Z0-9])"]

    console = _console(env)
    highlight, negative, types = console.highlighter, NegativeOptionHighlighter(), TypesHighlighter()

    def table(**options: Any) -> Any:
        return Table(show_header=False, expand=True, box=None, show_lines=False, leading=0, border_style=None,
                     row_styles=None, pad_edge=False, padding=(0, 1), **options)

    console.print(Padding(highlight(page["usage"]), 1), style="bold")
    if page["help"]:
        first, *rest = page["help"]
        texts = [highlight(Text.from_markup(first, style=""))]
        if rest:
            texts += [Text(""), highlight(Text.from_markup(rest[0], style="dim"))]
        console.print(Padding(Align(Group(*texts), pad=False), (0, 1, 1, 1)))
    for panel in page["panels"]:
        options = table(highlight=True)
        required = any(row["required"] for row in panel["rows"])
        for row in panel["rows"]:
            long, short, negative_long, negative_short = row["names"]
            kind = Text(style="bold yellow", overflow="fold")
            kind.append(row["type"])
            parts = [highlight(Text.from_markup(text, style="")) if how == "markup"
                     else Text(text, style=_STYLES[how]) for how, text in row["help"]]
            cells = [highlight(long), highlight(short), negative(negative_long), negative(negative_short),
                     types(kind), Columns(parts)]
            if required:
                cells.insert(0, Text("*", style="red") if row["required"] else "")
            options.add_row(*cells)
        console.print(Panel(options, border_style="dim", title=panel["title"], title_align="left"))
    for panel in page["commands"]:
        commands = table(highlight=False)
        commands.add_column(style="bold cyan", no_wrap=True, width=page["command_width"])
        commands.add_column("Description", justify="left", no_wrap=False, ratio=10)
        for name, text in panel["rows"]:
            commands.add_row(Text(name), highlight(Text.from_markup(text, style="")))
        console.print(Panel(commands, border_style="dim", title=panel["title"], title_align="left"))
    sys.stdout.write("\n")
    sys.stdout.flush()


def answer(argv: Sequence[str], env: Mapping[str, str]) -> bool:
    """Print the help page `egov ARGV` asks for, if the model holds it; False when typer must answer."""
    wanted = help_page(argv, env, Path.cwd())
    if wanted is None:
        return False
    language, path = wanted
    page = json.loads(PAGES.read_text(encoding="utf-8"))["pages"][language].get(path)
    if page is None:
        return False
    render(page, env)
    return True
