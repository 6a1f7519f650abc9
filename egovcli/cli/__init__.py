"""egov command line: parse options, call one library function, print, pick the exit code.

Heavy libraries (openpyxl, pdfplumber, pandas…) are imported inside the commands that need them,
so `egov --help` stays instant. Data goes to stdout, diagnostics to stderr. Submitted text in every
message is shown through `egovcli.untrusted`, never obeyed by the terminal.

Exit codes: 0 done; 1 `--strict` found problems (or `rules validate` an invalid file); 2 the command
could not do its job — a usage error, a missing or foreign workspace, an unusable input file, an
output refused (a folder, the workspace, an input) or not written (disk full). What stops a command
is an `egovcli.problems.EgovError` carrying its problems and exit code: `_Egov.invoke` is the one
place that prints it (`api.problem_report`) and exits with that code.

The commands live by group: `ingest` in `cli.ingest`, `indicators` / `score` / `rank` in `cli.scoring`,
`rules …` in `cli.rules`, `verify` in `cli.verify`, `workspace …` in `cli.workspace`; the options
and helpers they share are here.
"""

import os
import sys
from collections.abc import Sequence
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click  # the Context type TyperGroup.invoke takes
from typer.core import TyperGroup, TyperOption

from egovcli import __version__, whole_app_needed
from egovcli.lang import tr
from egovcli.problems import EgovError
from egovcli.untrusted import visible

if TYPE_CHECKING:
    from egovcli.api import Protected, Workspace


class Group(TyperGroup):
    """A command group whose `--help` is off unless given: typer coerces an option's missing value
    (None) through pydantic but a bool flag's False as is, so `egov CMD --help` imports no pydantic."""

    def get_help_option(self, ctx: _click.Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.default = False
        return option


class _Egov(Group):
    """The egov command group: it speaks the command's language (`--lang`, `egovcli.lang`) from the
    first word of help on; an `EgovError` raised by any command (a subcommand's included) is
    printed, its problems one per line, and ends the command with the error's exit code."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        import os

        from egovcli.cli.config import settings
        from egovcli.cli.localise import localise, walk
        from egovcli.lang import choose, use
        from egovcli.problems import LanguageError

        try:
            language, argv = choose(sys.argv[1:] if args is None else args, os.environ)
        except LanguageError as exc:
            sys.stderr.write(f"egov: {exc}\n")
            raise SystemExit(2) from exc
        argv, quiet = _flag(argv, "--quiet", "-q")
        argv, excel = _flag(argv, "--excel")
        use(language)
        QUIET[0] = quiet
        if excel or "egovcli.render.export" in sys.modules:  # loaded only when asked: --help stays instant
            from egovcli.api import csv_for_excel

            csv_for_excel(excel)
        localise(self, language)
        for _, command in walk(self):
            for param in command.params:
                _coerced_when_needed(param)
            _help_coerced_when_needed(command)
        try:
            defaults = settings(self)
        except EgovError as exc:
            from egovcli.api import problem_report

            sys.stderr.write(problem_report(exc) + "\n")
            raise SystemExit(exc.exit_code) from exc
        if defaults:
            options["default_map"] = {**defaults, **options.get("default_map", {})}
        return super().main(argv, *rest, **options)

    def invoke(self, ctx: _click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EgovError as exc:
            from egovcli.api import problem_report  # (not before: `egov CMD --help` loads no library)

            sys.stderr.write(problem_report(exc) + "\n")
            raise typer.Exit(exc.exit_code) from exc


def _coerced_when_needed(param: Any) -> None:
    """`param` skips typer's coercion, which imports pydantic and builds a validator for each option
    (a third of `egov rank`'s time), when there is nothing to convert: its value is missing (None) or
    already of the option's plain type (text given for a text option, a default's number or choice,
    `egov CMD --help`'s unparsed options), or a path typer has nothing to check in (`_unchecked`:
    made a `Path` here, as typer would). Text given for a number, a choice or a path to check, and a
    missing required value, still go through typer: its conversion and its messages are unchanged."""
    if param.multiple or param.nargs != 1:  # typer turns their None into ()
        return
    described = param.type_descriptor
    plain = described.annotation
    info = described.parameter_info
    if not (plain in (str, int, float, bool) or isinstance(plain, type) and issubclass(plain, Enum)):
        plain = None
    if info.parser is not None or info.min is not None or info.max is not None:  # constrained
        plain = None
    process = param.process_value
    as_path = described.annotation is Path and _unchecked(info)

    def process_value(ctx: _click.Context, value: Any) -> Any:
        if as_path and type(value) is str and _passes_unchecked(value):
            value = Path(value)  # what typer makes of it
        elif value is None and param.required or value is not None and type(value) is not plain:
            return process(ctx, value)
        return param.callback(ctx, param, value) if param.callback else value

    param.process_value = process_value


def _unchecked(info: Any) -> bool:
    """Whether a path option asks typer for no check but its default one (readable if it exists)."""
    return (info.exists, info.file_okay, info.dir_okay, info.writable, info.readable, info.resolve_path,
            info.allow_dash, info.path_type, info.parser) == (False, True, True, False, True, False, False,
                                                            None, None)


def _passes_unchecked(text: str) -> bool:
    """Whether typer would take `text` for a path as it is: a name, of nothing or of what can be read
    (else typer converts it, and says what is wrong in its words)."""
    return bool(text) and (not os.path.exists(text) or os.access(text, os.R_OK))


def _help_coerced_when_needed(command: Any) -> None:
    """`command`'s --help flag (made when first asked for) coerced only when needed, as its other
    options: when not given, its value is missing, not False."""
    get_help_option = command.get_help_option
    seen: list[Any] = []

    def help_option(ctx: _click.Context) -> Any:
        option = get_help_option(ctx)
        if option is not None and option not in seen:
            _coerced_when_needed(option)
            seen.append(option)
        return option

    command.get_help_option = help_option


# --quiet: only errors and data; no progress bar, information or summary lines (set by `_Egov.main`)
QUIET = [False]


def _flag(argv: Sequence[str], *names: str) -> tuple[list[str], bool]:
    """`argv` without the global switch `names` (`--quiet`, `--excel`: taken anywhere before a
    `--`, like `--lang`), and whether it was there."""
    args = list(argv)
    end = args.index("--") if "--" in args else len(args)
    head = [a for a in args[:end] if a not in names]
    return head + args[end:], len(head) != end


app = typer.Typer(
    cls=_Egov,
    name="egov",
    help="Score and rank agencies' IT / e-government / digital-transformation reports: ingest → score →"
    " rank, and check published rankings (verify).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Ties(StrEnum):
    competition = "competition"
    dense = "dense"


# Every option's help ends with "(default: …)": rich reads "[default: …]" in a help text as markup and
# drops it, and typer's own default display is turned off (show_default=False) so that no default is
# shown twice in two styles; tests/test_cli_help.py holds every command to it.
WorkspaceOpt = Annotated[
    str | None,
    typer.Option(
        "--workspace", "-w", help="Workspace SQLite file (default: $EGOV_WORKSPACE, else ./egov.sqlite)."
    ),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f",
        help="Output format for the data (default: table; with --out, the one its extension names:"
        " .csv, .json, .txt/.md for table).",
    ),
]  # fmt: skip
OutOpt = Annotated[
    str | None,
    typer.Option(
        "--out", "-o",
        help="Write the data to this file ('-': stdout). A link is followed, a device or FIFO written to;"
        " never a folder, the workspace or an input file (default: stdout).",
    ),
]  # fmt: skip


def _err(message: str) -> None:
    """A diagnostic on stderr; submitted text in it is shown with its control characters escaped."""
    sys.stderr.write(visible(message.rstrip()) + "\n")


def _info(message: str) -> None:
    """A line of information on stderr (what was created, a summary), which `--quiet` leaves out."""
    if not QUIET[0]:
        _err(message)


def _open(workspace: str | None, *, readonly: bool = False, create: bool = False) -> "Workspace":
    """Open the workspace; only `create` (egov ingest) may make a new one, and says so."""
    from egovcli.api import open_workspace

    ws = open_workspace(workspace, readonly=readonly, create=create)
    if ws.created:
        _info(tr("Đã tạo workspace mới: ", "New workspace created: ") + str(ws.path))
    return ws


def _data_format(out: str | None, fmt: Format | None, protected: "Protected") -> str:
    """The format of the data written to `out` (see `api.output_format`), after checking the target."""
    from egovcli.api import output_format

    return output_format(out, fmt.value if fmt else None, protected)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"egov {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of help and messages: vi, en (default: $EGOV_LANG, else English for an en_*"
            " locale, else Vietnamese).",
        ),
    ] = None,  # taken off the command line by _Egov.main, wherever it stands; listed here for --help
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q",
            help="Only errors and data: no progress bar, information or summary lines (default: all).",
        ),
    ] = False,  # likewise
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV for Excel: starts with a UTF-8 byte-order mark, so Excel shows Vietnamese right"
            " (default: plain UTF-8, for programs).",
        ),
    ] = False,  # likewise
) -> None:
    """egov: ingest → score → rank."""


def main() -> None:
    """Console-script entry point (`egov`, also `python -m egovcli`: named egov in usage lines and in
    the shell completion script either way)."""
    try:
        _only_the_command(sys.argv[1:])
        app(prog_name="egov")
    except SystemExit as done:
        _end(done)


def _only_the_command(argv: Sequence[str]) -> None:
    """A command line that begins with a command's name (`egov ingest …`) has typer build that command
    alone, not every command's options (which took a tenth of a one-file ingest's own time); what it
    does and prints is the same. Not when the whole tree is needed (`whole_app_needed`)."""
    from typer.main import get_command_name

    if not argv or whole_app_needed(os.environ, os.getcwd()):
        return
    commands = [c for c in app.registered_commands
                if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == argv[0]]
    groups = [g for g in app.registered_groups if g.name == argv[0]]
    if len(commands) + len(groups) == 1:
        app.registered_commands, app.registered_groups = commands, groups


def _end(done: SystemExit) -> None:
    """The process ends with `done`'s exit code once the exit handlers have run, without Python
    tearing down the ~300 modules a command loaded, one by one (a tenth of a second: as long as a
    one-file ingest's own work); a message to print, a closed pipe, a thread still running or a
    profiler or debugger watching (it reports once Python ends) end it the usual way."""
    import atexit
    import threading

    code = done.code
    watched = sys.getprofile() is not None or sys.gettrace() is not None
    if not (code is None or isinstance(code, int)) or threading.active_count() > 1 or watched:
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # (`egov … | head`): Python's own exit says so
        raise done from None
    atexit._run_exitfuncs()  # the reading processes' and temporary files' clean-up, as at any exit
    os._exit(code or 0)


# the other command groups register their commands on `app` as they are imported, after ingest (the
# order `egov --help` lists them in)
from egovcli.cli import ingest as ingest_command  # noqa: E402, F401, I001
from egovcli.cli import scoring  # noqa: E402, F401, I001
from egovcli.cli import rank  # noqa: E402, F401, I001
import egovcli.cli.report  # noqa: E402, F401, I001  (not `from … import report`: a parameter above is named so)
from egovcli.cli import verify, rules, template, round  # noqa: E402, F401, I001
from egovcli.cli import workspace as workspace_commands  # noqa: E402, F401, I001
