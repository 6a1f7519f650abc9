"""`egov rules list | show | validate`: the shipped rule sets, a rule set as a table, and a rule
file checked without scoring (exit 1 with every problem as file:line)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from egovcli.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests/fixtures/rules/demo-100.yaml"
runner = CliRunner()


def test_list_names_every_shipped_rule_set() -> None:
    result = runner.invoke(app, ["rules", "list", "--format", "json"])
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"hanam-2022", "hoabinh-2017", "dti-example-2025"}
    assert (rows["hanam-2022"]["max_total"], rows["hanam-2022"]["period"]) == (500, "2022")
    assert (rows["dti-example-2025"]["max_total"], rows["dti-example-2025"]["period"]) == (1000, "2025")
    assert (rows["hoabinh-2017"]["max_total"], rows["hoabinh-2017"]["criteria"]) == (100, 36)


def test_show_lists_sections_then_their_criteria() -> None:
    result = runner.invoke(app, ["rules", "show", "hoabinh-2017", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    headings = [(r["id"], r["max"]) for r in rows if r["formula"] == "total"]
    assert headings == [("2.1", "17"), ("2.2", "9"), ("2.3", "41"), ("2.4", "17"), ("2.5", "16")]
    criteria = [r for r in rows if r["formula"] != "total"]
    assert len(criteria) == 36
    assert rows[0]["id"] == "2.1" and rows[1]["id"].startswith("2.1.")  # each heading, then its criteria


def test_show_a_file_with_subsections_bonus_and_groups() -> None:
    result = runner.invoke(app, ["rules", "show", str(DEMO), "--format", "json"])
    assert result.exit_code == 0
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["KK"]["formula"] == "bonus" and rows["KK"]["max"] == 5
    assert rows["B.2"]["groups"] == ["department"]
    assert rows["A.1"]["inputs"] == ["computers_total", "staff_total"]


def test_show_table_mentions_levels_and_readings() -> None:
    result = runner.invoke(app, ["rules", "show", str(DEMO)])
    assert result.exit_code == 0
    assert "Xếp loại Tốt: từ 90 điểm" in result.stderr
    hanam = runner.invoke(app, ["rules", "show", "hanam-2022"])
    assert hanam.exit_code == 0
    assert "I.3.1" in hanam.stdout and "cách hiểu đã ghi" in hanam.stderr


def test_validate_a_good_file() -> None:
    result = runner.invoke(app, ["rules", "validate", str(DEMO)])
    assert result.exit_code == 0
    assert result.stdout.startswith("Hợp lệ: demo-100 — ")
    assert "tiêu chí riêng cho nhóm: department, district" in result.stdout
    assert "4 mức xếp loại" in result.stdout


def test_validate_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    text = DEMO.read_text(encoding="utf-8").replace("max_total: 100", "max_total: 90")
    text = text.replace("type: yes_no", "type: yes_on", 1)
    bad = tmp_path / "tinh-x.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(bad)])
    assert result.exit_code == 1
    assert "tinh-x.yaml:" in result.stderr and "không có loại công thức 'yes_on'" in result.stderr


def test_validate_reports_every_sum_problem(tmp_path: Path) -> None:
    text = DEMO.read_text(encoding="utf-8").replace("max_total: 100", "max_total: 90")
    bad = tmp_path / "tinh-y.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(bad)])
    assert result.exit_code == 1
    assert "tinh-y.yaml:5: điểm tối đa các mục cộng lại 100, max_total là 90" in result.stderr


def test_unknown_name_is_a_usage_error() -> None:
    result = runner.invoke(app, ["rules", "show", "hanam-2099"])
    assert result.exit_code == 2
    shipped = "(có sẵn: dti-example-2025, hanam-2022, hoabinh-2017)"
    assert f"không có bộ tiêu chí 'hanam-2099' {shipped}" in result.stderr
