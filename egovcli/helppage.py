"""`egov [COMMAND…] --help` printed from the pages generated from the typer app
(`egovcli/help_pages.json`, written by `egovcli.cli.helpmodel`) without typer, byte for byte typer's
rich help (tests/test_cli_fast_help.py): typer, with the click it carries, took two thirds of every
`--help`. Without colour (a pipe, a file, a dumb terminal) the page is laid out by
`egovcli.helplayout`, without rich either (importing rich and laying the panels out took most of the
rest); with colour, by rich as typer has it. Any `--help` whose page could differ from the model (a
settings file giving defaults, shell completion, a word the model does not know) is left to typer.
"""

import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from egovcli import whole_app_needed
from egovcli.helplayout import plain

# (os.path, not pathlib: importing pathlib alone took a tenth of a help page's time)
PAGES = os.path.join(os.path.dirname(os.path.realpath(__file__)), "help_pages.json")
# typer's styles and switches (typer.rich_utils), which egov leaves as they are
_THEME = {"option": "bold cyan", "switch": "bold green", "negative_option": "bold magenta",
          "negative_switch": "bold red", "types": "bold yellow", "types_sep": "dim", "usage": "yellow"}
_STYLES = {"markup": "", "default": "dim", "required": "dim red"}


def help_page(argv: Sequence[str], env: Mapping[str, str], cwd: str, quiet: Sequence[str] = ()
              ) -> tuple[str, str] | None:
    """The language and path of the help page `egov ARGV` asks for ("rules show"), or None when
    typer must answer: not a plain `egov [--lang L] [QUIET] [COMMAND…] --help` (`quiet`: the names of
    --quiet), a language egov does not speak, an `egov.toml` (or $EGOV_CONFIG) that may set defaults
    or be refused, or shell completion."""
    if not argv or argv[-1] != "--help" or whole_app_needed(env, cwd):
        return None
    from egovcli.lang import LANGUAGES, requested

    language, rest, _ = requested(argv[:-1], env)
    if language not in LANGUAGES:
        return None
    words = [word for word in rest if word not in quiet]
    if any(word.startswith("-") for word in words):
        return None
    return language, " ".join(words)


def _forced(env: Mapping[str, str]) -> bool | None:
    """Whether typer's help console is told it writes to a terminal (typer.rich_utils.FORCE_TERMINAL)."""
    if env.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        return False
    return True if env.get("GITHUB_ACTIONS") or env.get("FORCE_COLOR") or env.get("PY_COLORS") else None


def _console(env: Mapping[str, str]) -> Any:
    """typer's help console (`typer.rich_utils._get_rich_console`), with its environment switches."""
    from rich.console import Console
    from rich.highlighter import RegexHighlighter
    from rich.theme import Theme

    class OptionHighlighter(RegexHighlighter):
        highlights = [r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
                      r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])", r"(?P<types>\<[^\>]+\>)",
                      r"(?P<usage>Usage: )"]

    width = env.get("TERMINAL_WIDTH")
    return Console(theme=Theme(_THEME), highlighter=OptionHighlighter(), color_system="auto",
                   force_terminal=_forced(env), width=int(width) if width else None)


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
        texts = [highlight(Text.from_markup(first[0], style=""))]
        if rest:
            texts += [Text(""), highlight(Text.from_markup(rest[0][0], style="dim"))]
        console.print(Padding(Align(Group(*texts), pad=False), (0, 1, 1, 1)))
    for panel in page["panels"]:
        options = table(highlight=True)
        required = any(row["required"] for row in panel["rows"])
        for row in panel["rows"]:
            long, short, negative_long, negative_short = row["names"]
            kind = Text(style="bold yellow", overflow="fold")
            kind.append(row["type"])
            parts = [highlight(Text.from_markup(text, style="")) if how == "markup"
                     else Text(text, style=_STYLES[how]) for how, text, _ in row["help"]]
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
        for name, text, _ in panel["rows"]:
            commands.add_row(Text(name), highlight(Text.from_markup(text, style="")))
        console.print(Panel(commands, border_style="dim", title=panel["title"], title_align="left"))
    sys.stdout.write("\n")
    sys.stdout.flush()


def plain_width(env: Mapping[str, str]) -> int | None:
    """The width typer's help console (`_console`) has when it writes no escape codes — not a
    terminal, or a dumb one — to a UTF-8 stdout (else rich would draw the boxes in ASCII); None
    when it would write colours or styles."""
    force = _forced(env)
    if force is not None:
        terminal = force
    elif env.get("TTY_COMPATIBLE", "") in ("0", "1"):
        terminal = env["TTY_COMPATIBLE"] == "1"
    elif env.get("FORCE_COLOR") is not None:
        terminal = env["FORCE_COLOR"] != ""
    else:
        terminal = sys.stdout.isatty()
    dumb = terminal and env.get("TERM", "").lower() in ("dumb", "unknown")
    if terminal and not dumb or not (sys.stdout.encoding or "utf-8").lower().startswith("utf"):
        return None
    if sys.platform == "win32":  # rich measures a Windows console otherwise: let it
        return None
    given, columns, lines = env.get("TERMINAL_WIDTH"), env.get("COLUMNS"), env.get("LINES")
    if given and not given.isdigit():
        return None  # typer fails on it: let it
    width = int(given) if given else int(columns) if columns is not None and columns.isdigit() else None
    if width is not None and lines is not None and lines.isdigit():
        return width
    if dumb:
        return 80
    if width is not None:
        return width
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor)[0]
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def answer(argv: Sequence[str], env: Mapping[str, str]) -> bool:
    """Print the help page `egov ARGV` asks for, if the model holds it; False when typer must answer."""
    if not argv or argv[-1] != "--help":
        return False
    with open(PAGES, encoding="utf-8") as file:
        model = json.load(file)
    wanted = help_page(argv, env, os.getcwd(), model["quiet"])
    if wanted is None:
        return False
    language, path = wanted
    page = model["pages"][language].get(path)
    if page is None:
        return False
    width = plain_width(env)
    text = None
    if width is not None:
        try:
            text = plain(page, width)
        except NotImplementedError:  # a layout only rich does: rich it is
            text = None
    try:
        if text is None:
            render(page, env)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:  # the reader left (`egov --help | head -1`): exit 1 quietly, as typer and rich do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    return True
