"""CLI start-up stays instant: heavy libraries are imported only by the commands that need them."""

import subprocess
import sys

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
