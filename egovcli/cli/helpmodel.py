"""The model of egov's `--help` pages, generated from the typer app (the one source of every command,
option and help text) into `egovcli/help_pages.json`, which `egovcli.__main__` prints from without
importing typer (`make help-pages` writes it; tests/test_cli_fast_help.py fails while it is out of date,
and holds its pages byte for byte to typer's own at several widths and colour modes).

A page holds the strings typer's rich help (`typer.rich_utils.rich_format_help`) would lay out, in
its order: the usage line, the command's help, each panel of options (required mark, option names,
type, help pieces) and of subcommands. What typer would compute at run time from the command line
(a default from `egov.toml`) is not in it: `egovcli.__main__` leaves such invocations to typer.
"""

import inspect
import json
from pathlib import Path
from typing import Any

import typer
from rich.cells import cell_len, chop_cells
from rich.text import Text
from typer import _click
from typer.core import TyperArgument, TyperGroup, TyperOption

from egovcli import helppage
from egovcli.cli import app
from egovcli.cli.localise import localise, rich_utils, walk
from egovcli.lang import LANGUAGES

PAGES = Path(helppage.PAGES)


def _single_cells(text: str) -> str:
    """`text`, checked to be what `egovcli.helplayout.plain` lays out: one character (a line break
    aside), one cell."""
    if any("\t" in line or cell_len(line) != len(line) or chop_cells(line, 1) != list(line)
           for line in text.split("\n")):
        raise ValueError(f"a character that is not one cell wide (or a tab) in help: {text!r}")
    return text


def _markup(text: str) -> list[str]:
    """What `_make_rich_text` parses as rich markup (it dedents first), and the text it shows."""
    if "\033[" in text:  # typer reads such text as ANSI, not markup: none of egov's help has it
        raise ValueError(f"ANSI escape in help text: {text!r}")
    text = inspect.cleandoc(text)
    return [text, _single_cells(Text.from_markup(text).plain)]


def _title(title: str) -> str:
    """A panel's title, which rich reads as markup: one that shows as written."""
    if Text.from_markup(title).plain != _single_cells(title):
        raise ValueError(f"markup in a panel title: {title!r}")
    return title


def _command_help(command: Any) -> list[list[str]]:
    """The paragraphs of a command's help as `_get_help_text` yields them (first, then the rest)."""
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    first, *rest = text.split("\n\n")
    if not first.startswith("\b"):
        first = first.replace("\n", " ")
    return [_markup(first.strip()), *([_markup("\n\n".join(rest))] if rest else [])]


def _param_row(param: Any, ctx: _click.Context, utils: Any) -> dict[str, Any]:
    """One row of an options panel, as `_print_options_panel` and `_get_parameter_help` build it."""
    display_name = None
    if isinstance(param, TyperArgument):
        display_name = param.display_name_raw + ("..." if param.metavar is None and param.nargs != 1 else "")
    names: list[list[str]] = [[], [], [], []]  # long, short, secondary long, secondary short
    for which, opts in ((0, param.opts), (2, param.secondary_opts)):
        for opt in opts:
            names[which if "--" in opt else which + 1].append(opt if "--" in opt or not display_name
                                                              else display_name)
    kind = param.display_type_rich(ctx=ctx)
    number_range = param._get_number_range_help_str()
    help_parts: list[list[str]] = []
    if param.help:
        paragraphs = [p.replace("\n", " ").strip() if not p.startswith("\b") else p.strip("\b\n") + "\n"
                      for p in param.help.split("\n\n")]
        help_parts.append(["markup", *_markup("\n".join(paragraphs).strip())])
    autoenv = ctx.auto_envvar_prefix and getattr(param, "allow_from_autoenv", None)
    envvar = getattr(param, "envvar", None) or autoenv
    if envvar and getattr(param, "show_envvar", None):
        raise ValueError(f"{param.name}: an environment variable shown in help is not modelled")
    default = param._extract_default_help_str(ctx=ctx)
    shown = isinstance(param.show_default, str)
    if shown or (default is not None and (param.show_default or ctx.show_default)):
        text = param._get_default_string(ctx=ctx, show_default_is_str=shown, default_value=default)
        if text:
            help_parts.append(["default", *[_single_cells(utils.DEFAULT_STRING.format(text))] * 2])
    if param.required:
        help_parts.append(["required", *[_single_cells(utils.REQUIRED_LONG_STRING)] * 2])
    return {"required": bool(param.required), "names": [_single_cells(",".join(n)) for n in names],
            "type": _single_cells((kind or "") + (utils.RANGE_STRING.format(number_range) if number_range
                                                  else "")),
            "help": help_parts}


def _page(command: Any, ctx: _click.Context, utils: Any) -> dict[str, Any]:
    """The help page of one command, in the order `rich_format_help` prints it."""
    if command.deprecated or command.epilog:
        raise ValueError(f"{command.name}: deprecated commands and epilogues are not modelled")
    arguments: dict[str, list[Any]] = {}
    options: dict[str, list[Any]] = {}
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        panel = getattr(param, "rich_help_panel", None)
        if isinstance(param, TyperArgument):
            arguments.setdefault(panel or utils.ARGUMENTS_PANEL_TITLE, []).append(param)
        elif isinstance(param, TyperOption):
            options.setdefault(panel or utils.OPTIONS_PANEL_TITLE, []).append(param)
    panels = []
    for default_title, by_panel in ((utils.ARGUMENTS_PANEL_TITLE, arguments),
                                    (utils.OPTIONS_PANEL_TITLE, options)):
        titles = [default_title, *(t for t in by_panel if t != default_title)]
        for title in titles:
            rows = [_param_row(p, ctx, utils) for p in by_panel.get(title, [])]
            if rows:
                panels.append({"title": _title(title), "rows": rows})
    groups: dict[str, list[list[str]]] = {}
    width = 0
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            if sub.deprecated:
                raise ValueError(f"{name}: deprecated commands are not modelled")
            first = inspect.cleandoc(sub.short_help or sub.help or "").split("\n\n")[0]
            if first.startswith("\b"):
                first = first.replace("\b\n", "")
            panel = getattr(sub, "rich_help_panel", None) or utils.COMMANDS_PANEL_TITLE
            groups.setdefault(panel, []).append([_single_cells(sub.name or ""), *_markup(first.strip())])
            width = max(width, len(sub.name or ""))
    commands = [{"title": _title(t), "rows": groups[t]}
                for t in [utils.COMMANDS_PANEL_TITLE, *(t for t in groups if t != utils.COMMANDS_PANEL_TITLE)]
                if groups.get(t)]
    return {"usage": _single_cells(command.get_usage(ctx)),
            "help": _command_help(command) if command.help else [],
            "panels": panels, "commands": commands, "command_width": width}


def pages(language: str) -> dict[str, dict[str, Any]]:
    """Every command's help page in `language`, by its path ("" for egov itself, "rules show")."""
    root = typer.main.get_command(app)
    localise(root, language)
    utils = rich_utils()
    found = {}
    contexts: dict[str, _click.Context] = {}
    for path, command in walk(root):
        parent = contexts.get(path.rpartition(" ")[0]) if path else None
        name = path.rpartition(" ")[2] if path else "egov"
        ctx = command.make_context(name, [], parent=parent, resilient_parsing=True)
        contexts[path] = ctx
        found[path] = _page(command, ctx, utils)
    return found


def model() -> dict[str, Any]:
    """The whole model: the pages in every language, and the names of `--quiet`, the global switch
    `_Egov.main` takes off the command line wherever it stands (as `--lang`, read by `egovcli.lang`)."""
    quiet = next(p for p in typer.main.get_command(app).params if p.name == "quiet")
    return {"pages": {language: pages(language) for language in LANGUAGES}, "quiet": quiet.opts}


def text() -> str:
    """The model as written to `PAGES` (stable: sorted keys, one line per page)."""
    return json.dumps(model(), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write() -> None:
    PAGES.write_text(text(), encoding="utf-8")


if __name__ == "__main__":
    write()
