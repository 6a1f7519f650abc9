"""Helpers shared by several test modules."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from egovcli.cli import app
from egovcli.ingest.layout import Grid, interpret
from egovcli.ingest.readers import legacy
from egovcli.model import Observation
from egovcli.workspace import Workspace

_runner = CliRunner()


def egov(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr); an unexpected exception is raised."""
    result = _runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def statuses(ws: Workspace) -> dict[str, tuple[str, str | None]]:
    """Each stored submission's status and the file that supersedes it, by display path."""
    return {s.display_path: (s.status, s.superseded_by) for s in ws.submissions()}


def table_observations(rows: Grid) -> list[Observation]:
    """The observations ingest reads from one table on its own (`layout.interpret` of that grid)."""
    return interpret([], [rows]).observations


def until(condition: Callable[[], object], within: float) -> bool:
    """Whether `condition` holds within `within` seconds (polled; a deadline, not a measurement)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


# --- LibreOffice ------------------------------------------------------------------------------
REQUIRE_SOFFICE = "EGOV_REQUIRE_SOFFICE"  # set by .ci/run: a conversion test that cannot run fails
# component → a tiny file egov needs it to convert: Writer converts .doc/.odt/.rtf, Calc the .xls/.ods
# calamine cannot read (here a web page saved as .xls, as many web systems export "Excel")
LIBREOFFICE_PROBES = {
    "Writer": ("thu.rtf", "{\\rtf1\\ansi So may tinh: 35\\par}"),
    "Calc": ("thu.xls", "<html><body><table><tr><td>So may tinh:</td><td>35</td></tr></table></body></html>"),
}


def libreoffice_cannot(component: str, workdir: Path) -> str:
    """Why the LibreOffice on PATH cannot convert files with `component` ("Writer", "Calc"), or ""
    when it can: egov really converts and reads a tiny file of that kind (`legacy.extract`, which
    also looks for the component in LibreOffice's program folder, `legacy.missing_component`)."""
    name, content = LIBREOFFICE_PROBES[component]
    path = workdir / name
    path.write_text(content, encoding="ascii")
    extracted = legacy.extract(path)
    read = [(o.label, o.value) for o in extracted.observations]
    if "I-CONVERTED" in [p.code for p in extracted.problems] and ("So may tinh", 35) in read:
        return ""
    said = "; ".join(p.message for p in extracted.problems) or f"đọc lại được {read}"
    return f"LibreOffice {component} không chuyển được tệp {path.suffix} ở máy này: {said}"


def require_libreoffice(component: str, workdir: Path) -> str:
    """The soffice command, once a file has really been converted with `component` (in `workdir`);
    else the test is skipped, naming the component and why — failed instead under
    EGOV_REQUIRE_SOFFICE=1 (CI), where every test that needs LibreOffice must run."""
    why = libreoffice_cannot(component, workdir)
    if why and os.environ.get(REQUIRE_SOFFICE):
        pytest.fail(f"{REQUIRE_SOFFICE}: {why}", pytrace=False)
    if why:
        pytest.skip(why)
    return legacy.soffice() or ""


def to_pdf(path: Path, soffice: str) -> Path:
    """`path` (.docx, .xlsx) converted to PDF by LibreOffice, beside it (a profile of its own, so that
    tests running at the same time do not share one); as a reader printing it would see it."""
    import subprocess

    profile = (path.parent / ".profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(path.parent), str(path)], check=True, capture_output=True, timeout=240)
    return path.with_suffix(".pdf")


# --- a real browser (the HTML summary) ------------------------------------------------------------
REQUIRE_BROWSER = "EGOV_REQUIRE_BROWSER"  # set by .ci/run: a browser test that cannot run fails


def require_browser() -> str:
    """The system Chromium (the Debian `chromium` package), once playwright can drive it; else the
    test is skipped, saying why — failed instead under EGOV_REQUIRE_BROWSER=1 (CI)."""
    import importlib.util
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    why = ("no chromium on PATH (Debian: apt-get install chromium)" if not found
           else "playwright is not installed (pip install -e '.[dev]')"
           if importlib.util.find_spec("playwright") is None else "")
    if why and os.environ.get(REQUIRE_BROWSER):
        pytest.fail(f"{REQUIRE_BROWSER}: {why}", pytrace=False)
    if why:
        pytest.skip(why)
    return found or ""
