"""A thin CLI over a typed library (issue 12, item 4): `egovcli.cli` only parses options, calls
`egovcli.api` and prints; the library's results are frozen dataclasses a script can use, and
docs/api.md's example of a whole round runs as written."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import egovcli
from egovcli import api
from egovcli.cli import app

PACKAGE = Path(egovcli.__file__).parent
ROOT = PACKAGE.parent
SAMPLES = ROOT / "samples"
HOABINH = SAMPLES / "hoabinh-2017" / "qd-2631-2017.pdf"
runner = CliRunner()


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (inside functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_cli_imports_no_renderer_no_workspace_no_sqlite() -> None:
    """Issue 12's rule: the CLI reaches outputs and the workspace only through `egovcli.api`."""
    cli = [PACKAGE / "cli.py"] if (PACKAGE / "cli.py").exists() else sorted((PACKAGE / "cli").rglob("*.py"))
    for path in cli:
        bad = {m for m in _imports(path)
               if m == "sqlite3" or m in ("egovcli.workspace", "egovcli.render")
               or m.startswith("egovcli.render.")}
        assert bad == set(), f"{path.name} imports {sorted(bad)}"


def test_the_library_loads_a_stage_only_when_asked_for_it() -> None:
    """`import egovcli.api` (every command's first step) loads neither the readers nor the forms and
    renderers behind `ingest` / `template` / `verify`; each name of the surface is still there, itself
    (never a submodule standing in for a function of the same name) and, once asked for, the real one."""
    code = (
        "import sys, types; from egovcli import api\n"
        "heavy = ('egovcli.ingest.batch', 'egovcli.render.template_form', 'egovcli.verify', 'openpyxl',"
        " 'pdfplumber', 'docx', 'pydantic')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
        "print(','.join(n for n in api.__all__ if isinstance(getattr(api, n), types.ModuleType)))\n"
        "from egovcli.render.template_form import SubmissionForm\n"
        "print(api.SubmissionForm is SubmissionForm, callable(api.ingest))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["", "", "True True"]


def test_every_result_type_is_frozen() -> None:
    for result in (api.ScoreRun, api.RankResult, api.VerifyResult, api.RebuiltRow, api.IndicatorRow,
                   api.RuleRow, api.ShippedRuleSet, api.RuleSummary, api.RankTargets, api.RuleCheck,
                   api.DraftResult, api.CatalogueRow):
        assert dataclasses.is_dataclass(result)
        assert result.__dataclass_params__.frozen, result.__name__  # type: ignore[attr-defined]


def test_rules_as_typed_rows_keep_the_export_shape() -> None:
    """`egov rules show --format json` is the typed rows' `as_dict()`: headings have null inputs,
    criteria lists."""
    rules = api.load_rules("hanam-2022")
    rows = api.rule_rows(rules)
    shown = runner.invoke(app, ["rules", "show", "hanam-2022", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == [r.as_dict() for r in rows]
    heading = rows[0].as_dict()
    assert heading["formula"] == "total" and heading["inputs"] is None
    criterion = next(r for r in rows if r.formula != "total")
    assert isinstance(criterion.as_dict()["inputs"], list) and criterion.inputs == tuple(criterion.inputs)
    listed = runner.invoke(app, ["rules", "list", "--format", "json"])
    assert json.loads(listed.stdout) == [r.as_dict() for r in api.shipped_rules()]
    summary = api.rule_summary(rules)
    assert (summary.name, summary.criteria, summary.max_total) == ("hanam-2022", len(rules.criteria), 500)


def test_rules_validate_is_the_library_check(tmp_path: Path) -> None:
    """`egov rules validate --json` writes `api.check_rules(…).as_dict()`: every mistake by line, the
    same problem object as every command; the text form exits 1 listing the same problems."""
    text = (Path(egovcli.__file__).parent / "rules" / "hanam-2022.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("\nperiod:", "\nperod: x\nperiod:").replace("max: 4\n", "max: .nan\n", 1),
                      encoding="utf-8")
    check = api.check_rules(str(broken))
    assert not check.valid and check.summary is None
    lines = [p.where.line for p in check.problems]
    assert len(lines) >= 2 and lines == sorted(lines), [str(p) for p in check.problems]
    done = runner.invoke(app, ["rules", "validate", str(broken), "--json"])
    assert done.exit_code == 1
    assert json.loads(done.stdout) == json.loads(json.dumps(check.as_dict()))
    assert {p["code"] for p in json.loads(done.stdout)["problems"]} == {p.code for p in check.problems}
    text_form = runner.invoke(app, ["rules", "validate", str(broken)])
    assert text_form.exit_code == 1 and all(p.code in text_form.stderr for p in check.problems)
    valid = api.check_rules("hanam-2022")
    assert valid.valid and valid.as_dict()["problems"] == [] and valid.summary == api.rule_summary(
        api.load_rules("hanam-2022"))


def test_verify_json_is_the_library_result(tmp_path: Path) -> None:
    """`egov verify --format json` writes `api.verify_file(…).as_dict()`, nothing assembled apart."""
    result = api.verify_file(HOABINH, api.load_rules("hoabinh-2017"))
    out = tmp_path / "verify.json"
    done = runner.invoke(app, ["verify", str(HOABINH), "--rules", "hoabinh-2017", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(result.as_dict()))
    assert result.findings and all(f.location and f.source_file == HOABINH.name for f in result.findings)


def test_write_rows_takes_the_format_from_the_extension(tmp_path: Path) -> None:
    rows = api.rule_rows(api.load_rules("hanam-2022"))
    api.write_rows(rows, api.RULE_COLUMNS, out=tmp_path / "rules.csv")
    assert (tmp_path / "rules.csv").read_text(encoding="utf-8").startswith(",".join(api.RULE_COLUMNS))
    with pytest.raises(api.OutputError):
        api.write_rows(rows, api.RULE_COLUMNS, out=tmp_path / "rules.pdf")
    with pytest.raises(api.OutputError):  # a folder is never an output
        api.write_rows(rows, api.RULE_COLUMNS, "csv", tmp_path)


def test_open_workspace_makes_one_only_when_asked(tmp_path: Path) -> None:
    with pytest.raises(api.WorkspaceError):
        api.open_workspace(tmp_path / "none.sqlite")
    assert not (tmp_path / "none.sqlite").exists()
    with api.open_workspace(tmp_path / "new.sqlite", create=True) as ws:
        assert ws.created and api.indicator_rows(ws) == []
        with pytest.raises(api.NoScoresError):
            api.rank_workspace(ws)


def test_indicators_and_rank_json_are_the_library_rows(tmp_path: Path) -> None:
    """`egov indicators` / `egov rank --format json` write the typed rows' `as_dict()`, provenance
    included."""
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLES / "hanam-2022" / "so-xay-dung.xlsx", tmp_path / "in")
    workspace = str(tmp_path / "w.sqlite")
    assert runner.invoke(app, ["ingest", str(tmp_path / "in"), "-w", workspace, "-j", "1"]).exit_code == 0
    assert runner.invoke(app, ["score", "-r", "hanam-2022", "-w", workspace, "-f", "csv"]).exit_code == 0
    listed = runner.invoke(app, ["indicators", "-w", workspace, "-f", "json"])
    ranked = runner.invoke(app, ["rank", "-w", workspace, "-f", "json"])
    with api.open_workspace(workspace, readonly=True) as ws:
        rows, ranking = api.indicator_rows(ws), api.rank_workspace(ws).ranking
    assert json.loads(listed.stdout) == [r.as_dict() for r in rows]
    assert all(r.source_file == "so-xay-dung.xlsx" and r.location for r in rows)
    assert json.loads(ranked.stdout) == [{c: r.as_dict()[c] for c in api.RANK_COLUMNS} for r in ranking]


def test_unknown_criteria_are_the_library_s_problems_and_the_cli_prints_them(tmp_path: Path) -> None:
    """Self-scores a rule set has no criterion for (a Hà Nam annex scored under Hòa Bình's rules):
    the scores give them at their cells, and `egov score` prints exactly those, as
    `api.problem_line` shows a problem."""
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLES / "hanam-2022" / "so-xay-dung.xlsx", tmp_path / "in")
    workspace = str(tmp_path / "w.sqlite")
    assert runner.invoke(app, ["ingest", str(tmp_path / "in"), "-w", workspace, "-j", "1"]).exit_code == 0
    done = runner.invoke(app, ["score", "--rules", "hoabinh-2017", "-w", workspace, "-f", "csv"])
    assert done.exit_code == 0, done.output
    with api.open_workspace(workspace) as ws:
        run = api.score_workspace(ws, "hoabinh-2017")
    (score,) = run.scores
    found = score.unmatched_problems()
    assert found and {p.code for p in found} == {"W-UNKNOWN-CRITERION"}
    assert found[0].file == "so-xay-dung.xlsx" and found[0].location == "Phụ lục!E13"
    printed = [line.strip() for line in done.stderr.splitlines() if "W-UNKNOWN-CRITERION" in line]
    assert printed == [api.problem_line(p) for p in found]


def test_adjustments_and_registry_are_checked_without_a_round(tmp_path: Path) -> None:
    """A script checks its adjustments and registry files before a round: every bad row by line."""
    shipped = api.check_adjustments(SAMPLES / "hanam-2022-adjustments.csv")
    assert [(a.agency, a.criterion, a.change, a.source) for a in shipped.rows] == [
        ("Sở Xây dựng", "I.1", "+1", "hanam-2022-adjustments.csv:2"),
        ("Sở Tư pháp", "II.4.4", "-2", "hanam-2022-adjustments.csv:3"),
    ]
    bad = tmp_path / "adjustments.csv"
    bad.write_text("agency,criterion,points,reason\nSở Y tế,I.1,nhiều,x\nSở Y tế,,1,\n", encoding="utf-8")
    with pytest.raises(api.AdjustmentsError) as caught:
        api.check_adjustments(bad)
    assert [line.split(": ")[0] for line in str(caught.value).splitlines()] == [
        "adjustments.csv:2", "adjustments.csv:3"]
    registry = tmp_path / "agencies.csv"
    registry.write_text("id,name,group,aliases\nsxd,Sở Xây dựng,,SXD\n", encoding="utf-8")
    assert api.check_registry(registry).resolve("SXD").name == "Sở Xây dựng"
    registry.write_text("id,name\nsxd,Sở Xây dựng\nsxd,Sở Y tế\n", encoding="utf-8")
    with pytest.raises(api.AgencyRegistryError, match="agencies.csv:3"):
        api.check_registry(registry)


def _doc_example() -> str:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "docs/api.md has one runnable python example"
    return blocks[0]


def test_docs_api_example_scripts_a_whole_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example in docs/api.md runs as written from a folder holding the shipped samples, and
    writes what it says."""
    shutil.copytree(SAMPLES / "hanam-2022", tmp_path / "samples" / "hanam-2022")
    shutil.copytree(SAMPLES / "hoabinh-2017", tmp_path / "samples" / "hoabinh-2017")
    shutil.copy(SAMPLES / "hanam-2022-adjustments.csv", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    exec(compile(_doc_example(), "docs/api.md", "exec"), {"__name__": "__main__"})
    for name in ("round.sqlite", "ranking.xlsx", "summary.md", "summary.html", "ranking.csv",
                 "indicators.json", "verify.json"):
        assert (tmp_path / name).stat().st_size > 0, name
    ranking = (tmp_path / "ranking.csv").read_text(encoding="utf-8").splitlines()
    assert ranking[0].split(",") == list(api.RANK_COLUMNS) and len(ranking) == 1 + 8
