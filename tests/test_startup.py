"""CLI start-up stays instant: heavy libraries are imported only by the commands that need them."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
HEAVY = ("openpyxl", "pdfplumber", "docx", "python_calamine", "pandas", "yaml", "jinja2", "reportlab")


def _help(argv: list[str], watched: tuple[str, ...], then: str = "") -> list[str]:
    """The lines a fresh interpreter prints for `egov ARGV --help`, then "LOADED=" and which of
    `watched` were imported, then what the code `then` prints."""
    code = (
        "import sys; from egovcli.cli import app\n"
        f"try:\n    app([*{argv!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED=' + ','.join(m for m in {watched!r} if m in sys.modules))\n{then}"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()


def test_cli_import_loads_no_heavy_library() -> None:
    code = (
        "import sys, egovcli.cli; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_help_runs_without_heavy_libraries() -> None:
    assert _help([], HEAVY)[-1] == "LOADED="


# what no `--help` needs: the readers' and renderers' libraries, the library surface with every stage
# behind it, and pydantic (typer coerces an option's value through it; --help coerces nothing)
NOT_FOR_HELP = (*HEAVY, "pydantic", "egovcli.api", "egovcli.rules", "egovcli.score", "egovcli.ingest")
COMMANDS = ("", "ingest", "score", "rank", "verify", "indicators", "rules", "rules list", "rules show",
            "rules validate", "rules draft")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c or "egov")
def test_every_help_loads_only_the_command_line(command: str) -> None:
    lines = _help(command.split(), NOT_FOR_HELP)
    assert any("Cách dùng" in line for line in lines)
    assert lines[-1] == "LOADED="


def test_a_subcommand_of_indicators_loads_no_pydantic_for_its_group_options() -> None:
    """`egov indicators catalogue --help` parses the options of `egov indicators` too: missing, they
    need no typer coercion (which imports pydantic), and no library of egov's is loaded."""
    assert _help(["indicators", "catalogue"], NOT_FOR_HELP)[-1] == "LOADED="


@pytest.mark.parametrize(("plain", "converted"), [(["rank"], ["--ties", "dense", "--seed", "3"]),
                                                  (["score", "-r", "hanam-2022"], ["-f", "csv"])])
def test_a_command_coerces_only_what_needs_it(plain: list[str], converted: list[str], tmp_path: Path) -> None:
    """Text given for a text option, the defaults, the missing options and --help need no conversion,
    so a command whose options are all such imports no pydantic (typer's converter); a choice or a
    number typed on the command line is converted (and checked) by typer as before."""
    code = (
        "import sys; from egovcli.cli import app\n"
        f"try:\n    app({plain!r} + ['-w', sys.argv[1]])\nexcept SystemExit as exc:\n    print(exc.code)\n"
        "print('pydantic' in sys.modules)\n"
        f"try:\n    app({[*plain, *converted]!r} + ['-w', sys.argv[1]])\nexcept SystemExit as exc:\n"
        "    print(exc.code)\n"
        "print('pydantic' in sys.modules)"
    )
    missing = str(tmp_path / "none.sqlite")
    done = subprocess.run([sys.executable, "-c", code, missing], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "False", "2", "True"], done.stderr
    assert "none.sqlite" in done.stderr


# what typer's help printer imports but egov's help never uses: markdown (help is not markdown) and
# pretty tracebacks (off), with pygments behind both; they were half the time of every `--help`
NOT_RENDERED = ("markdown_it", "rich.markdown", "rich.traceback", "rich.syntax", "pygments")


@pytest.mark.parametrize("command", ["", "rank", "rules show", "rank --bogus"], ids=lambda c: c or "egov")
def test_help_and_usage_errors_load_no_markdown(command: str) -> None:
    """`--help` (and a usage error, printed by the same module) renders through typer's rich help
    without importing markdown_it or rich.markdown; the modules are still there for anyone asking."""
    loaded, real = _help(command.split(), NOT_RENDERED, "import rich.markdown, typer.rich_utils\n"
                         "print(type(typer.rich_utils.Markdown('x')) is rich.markdown.Markdown)")[-2:]
    assert loaded == "LOADED=" and real == "True"


# what `egov ingest` needs neither for files it has read before nor for a report: the rule sets (and their
# yaml), typer's pydantic converter, the score model; for unchanged files not the readers, the value
# parsers nor the catalogue's matcher either
NOT_FOR_INGEST = ("pydantic", "egovcli.rules", "egovcli.score", "egovcli.render", "yaml", "typer.rich_utils")
NOT_FOR_UNCHANGED = (*NOT_FOR_INGEST, "egovcli.values", "egovcli.ingest.layout", "egovcli.indicators",
                     "rapidfuzz", "python_calamine", "lxml")


def _ingest_loads(folder: Path, workspace: Path, watched: tuple[str, ...]) -> tuple[str, list[str]]:
    """`egov ingest FOLDER -w WORKSPACE` in a fresh interpreter: its exit code, which of `watched` it
    imported."""
    code = (
        "import sys; from egovcli.cli import app\n"
        f"try:\n    app(['ingest', {str(folder)!r}, '-w', {str(workspace)!r}])\n"
        "except SystemExit as exc:\n    print(exc.code)\n"
        f"print('LOADED=' + ','.join(m for m in {watched!r} if any(n == m or n.startswith(m + '.')"
        " for n in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    code_line, loaded = done.stdout.strip().splitlines()[-2:]
    return code_line, [m for m in loaded.removeprefix("LOADED=").split(",") if m]


def test_an_ingest_loads_only_what_it_uses(tmp_path: Path) -> None:
    """A folder ingested again with every file unchanged is one look at the workspace and a stat of
    each file: no reader, parser or matcher is loaded; reading a report loads its reader, not the
    scoring side nor typer's help printer (the compiled catalogue spares yaml from the second run on)."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "so-xay-dung.xlsx", folder)
    workspace = tmp_path / "w.sqlite"
    assert _ingest_loads(folder, workspace, ())[0] == "0"  # (the cache of the compiled catalogue made)
    workspace.unlink()
    assert _ingest_loads(folder, workspace, NOT_FOR_INGEST) == ("0", [])
    assert _ingest_loads(folder, workspace, NOT_FOR_UNCHANGED) == ("0", [])


def test_the_process_ends_with_the_commands_exit_code_and_all_it_printed(tmp_path: Path) -> None:
    """`egov` ends without tearing the interpreter down (`cli._end`): its exit code and its output
    are the command's, whole, through a pipe."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "so-xay-dung.xlsx", folder)
    run = [sys.executable, "-m", "egovcli", "ingest", str(folder), "-w", str(tmp_path / "w.sqlite")]
    done = subprocess.run([*run, "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and json.loads(done.stdout)["counts"] == {"new": 1}
    again = subprocess.run([*run, "--json", "--all"], capture_output=True, text=True, check=False)
    assert again.returncode == 0 and json.loads(again.stdout)["counts"] == {"unchanged": 1}
    missing = subprocess.run([*run[:4], str(tmp_path / "none"), *run[5:]], capture_output=True, text=True,
                             check=False)
    assert missing.returncode == 2 and "none" in missing.stderr


def test_a_profiled_egov_still_writes_its_profile(tmp_path: Path) -> None:
    """Under a profiler (or a debugger, or coverage's tracer) egov ends the usual way, so the tool gets
    to write what it saw."""
    out = tmp_path / "egov.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "egovcli", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "egov" in done.stdout and out.stat().st_size > 0


def test_a_command_that_asks_for_no_help_loads_no_help_model(tmp_path: Path) -> None:
    """Only a command line ending in --help can be answered from the help pages: `egov ingest …`
    reads no help model (egovcli.helppage), and typer builds the one command named."""
    code = (
        "import atexit, sys\n"
        "def seen():\n    app = sys.modules['egovcli.cli'].app\n"
        "    built = [c.callback.__name__ for c in app.registered_commands]"
        " + [g.name for g in app.registered_groups]\n"
        "    print('LOADED=' + str('egovcli.helppage' in sys.modules), 'BUILT=' + ','.join(built))\n"
        "atexit.register(seen)\n"
        f"sys.argv = ['egov', 'ingest', {str(tmp_path / 'none')!r}, '-w', {str(tmp_path / 'w.sqlite')!r}]\n"
        "from egovcli.__main__ import main\nmain()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "none" in done.stderr
    assert done.stdout.split() == ["LOADED=False", "BUILT=ingest"]
    # a settings file is checked against every command: then typer builds them all
    (tmp_path / "egov.toml").write_text("[score]\nrules = 'hanam-2022'\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          cwd=tmp_path)
    assert done.returncode == 2 and "none" in done.stderr
    assert {"ingest", "score", "rank", "rules", "workspace"} <= set(done.stdout.split()[1][6:].split(","))
