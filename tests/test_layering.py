"""The house rule of docs/architecture.md: imports run down the data flow, never back up.

Every `egovcli` module belongs to one stage; a module may import its own stage and the stages below
it. A new module must be given its stage here (the test fails until it is), which is the moment to
ask where it belongs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import egovcli

PACKAGE = Path(egovcli.__file__).parent
# stage of each top-level module or package of egovcli, from the foundations up (docs/architecture.md)
STAGES: dict[str, int] = {
    "": 0, "textnorm": 0, "untrusted": 0, "problems": 0, "values": 0, "model": 0, "groups": 0,
    "csvfile": 0, "lang": 0, "usercache": 0,
    "agencies": 1, "lineage": 1, "indicators": 1,
    "rules": 2, "supersession": 2,
    "workspace": 3,
    "ingest": 4,
    "score": 5,
    "rank": 6,
    "render": 7, "verify": 7,
    "api": 8,
    "cli": 9, "__main__": 9, "helppage": 9, "helplayout": 9,
}  # fmt: skip


def _area(module: str) -> str:
    """The top-level part of egovcli a dotted module name is in ("" for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, egovcli module) of every absolute import of egovcli in one source file."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("egovcli"):
            names = [f"egovcli.{a.name}" for a in node.names] if node.module == "egovcli" else [node.module]
            found += [(node.lineno, name) for name in names if name]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("egovcli")]
    return found


def _source_files() -> list[tuple[str, Path]]:
    """(area, path) of every source file; egovcli/__init__.py is the package itself ("")."""
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = [p for p in path.relative_to(PACKAGE).with_suffix("").parts if p != "__init__"]
        files.append((_area(".".join(("egovcli", *parts))), path))
    return files


def test_every_module_has_a_stage() -> None:
    unplaced = sorted({area for area, _ in _source_files()} - set(STAGES))
    assert unplaced == [], f"give these a stage in STAGES (and a row in docs/architecture.md): {unplaced}"


def test_no_import_runs_back_up_the_data_flow() -> None:
    upward = []
    for area, path in _source_files():
        for line, module in _imports(path):
            target = _area(module) if _area(module) in STAGES else ""  # egovcli.__version__ and such
            if STAGES[target] > STAGES.get(area, 0):
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({area}) imports {module}")
    assert upward == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text("from egovcli.api import ingest\nimport egovcli.render.export\n"
                      "from egovcli import __version__, workspace\n", encoding="utf-8")
    found = [(line, _area(name)) for line, name in _imports(source)]
    assert found == [(1, "api"), (2, "render"), (3, "__version__"), (3, "workspace")]


def test_no_module_is_longer_than_400_lines_without_saying_why() -> None:
    """A module that does one job reads in one sitting; a longer one says why in its docstring."""
    unexplained = []
    for _, path in _source_files():
        text = path.read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if len(text.splitlines()) > 400 and "longer than 400 lines" not in docstring.casefold():
            unexplained.append(f"{path.relative_to(PACKAGE.parent)}: {len(text.splitlines())} lines")
    assert unexplained == []
