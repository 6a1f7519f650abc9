"""The built wheel carries the rule sets, the indicator catalogue and the templates."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_includes_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("egov-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "egovcli/cli/__init__.py",
        "egovcli/help_pages.json",
        "egovcli/rules/hanam-2022.yaml",
        "egovcli/indicators/catalogue.yaml",
        "egovcli/templates/summary.md.j2",
        "egovcli/templates/summary.html.j2",
    ):
        assert required in names, required
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "egov = egovcli.__main__:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
