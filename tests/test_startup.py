"""CLI start-up stays instant: heavy libraries are imported only by the commands that need them."""

import subprocess
import sys

import pytest

HEAVY = ("openpyxl", "pdfplumber", "docx", "python_calamine", "pandas", "yaml", "jinja2", "reportlab")


def test_cli_import_loads_no_heavy_library() -> None:
    code = (
        "import sys, egovcli.cli; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_help_runs_without_heavy_libraries() -> None:
    code = (
        "import sys; from egovcli.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "LOADED="


# what no `--help` needs: the readers' and renderers' libraries, the library surface with every stage
# behind it, and pydantic (typer coerces an option's value through it; --help coerces nothing)
NOT_FOR_HELP = (*HEAVY, "pydantic", "egovcli.api", "egovcli.rules", "egovcli.score", "egovcli.ingest")
COMMANDS = ("", "ingest", "score", "rank", "verify", "indicators", "rules", "rules list", "rules show",
            "rules validate", "rules draft")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c or "egov")
def test_every_help_loads_only_the_command_line(command: str) -> None:
    code = (
        "import sys; from egovcli.cli import app\n"
        f"try:\n    app([*{command.split()!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED=' + ','.join(m for m in {NOT_FOR_HELP!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Cách dùng" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "LOADED="


def test_a_subcommand_of_indicators_needs_its_group_options_coerced() -> None:
    """`egov indicators catalogue --help` still parses the options of `egov indicators` (typer
    coerces them through pydantic), but loads no library of egov's."""
    code = (
        "import sys; from egovcli.cli import app\n"
        "try:\n    app(['indicators', 'catalogue', '--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED=' + ','.join(m for m in {NOT_FOR_HELP!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "LOADED=pydantic"


# what typer's help printer imports but egov's help never uses: markdown (help is not markdown) and
# pretty tracebacks (off), with pygments behind both; they were half the time of every `--help`
NOT_RENDERED = ("markdown_it", "rich.markdown", "rich.traceback", "rich.syntax", "pygments")


@pytest.mark.parametrize("command", ["", "rank", "rules show", "rank --bogus"], ids=lambda c: c or "egov")
def test_help_and_usage_errors_load_no_markdown(command: str) -> None:
    """`--help` (and a usage error, printed by the same module) renders through typer's rich help
    without importing markdown_it or rich.markdown; the modules are still there for anyone asking."""
    code = (
        "import sys; from egovcli.cli import app\n"
        f"try:\n    app([*{command.split()!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED=' + ','.join(m for m in {NOT_RENDERED!r} if m in sys.modules))\n"
        "import rich.markdown, typer.rich_utils\n"
        "print(type(typer.rich_utils.Markdown('x')) is rich.markdown.Markdown)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, real = done.stdout.strip().splitlines()[-2:]
    assert loaded == "LOADED=" and real == "True"
