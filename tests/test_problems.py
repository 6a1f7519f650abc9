"""One problem model (issue 12): every code raised is catalogued and documented, one exception base
carrying its exit code, one rendering path escaping submitted text, one JSON problem object."""

from __future__ import annotations

import ast
import csv
import importlib
import inspect
import io
import json
import pkgutil
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import egovcli
from egovcli.cli import app
from egovcli.problems import CATALOGUE, SEVERITIES, EgovError, Location, Problem, UsageError, problem
from egovcli.rank import rank_scores
from egovcli.render import problems as shown
from egovcli.render.export import to_csv
from egovcli.render.summary import render_html, render_markdown, summary_context
from egovcli.score.model import AgencyScore, CriterionScore
from egovcli.untrusted import json_text

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "problems.md"
SOURCE = ROOT / "egovcli"
HOABINH = ROOT / "samples" / "hoabinh-2017" / "qd-2631-2017.pdf"
HANAM = ROOT / "samples" / "hanam-2022"
# problem objects of every command's JSON have exactly these keys (a verify finding adds its columns)
KEYS = {"code", "severity", "message", "file", "location", "category", "message_en", "where"}
WHERE = {"file", "sheet", "cell", "page", "row", "line", "agency", "criterion"}
# exceptions that never leave the reader raising them: each is turned into a Problem where caught
# (YamlLimitError must be a yaml.MarkedYAMLError for PyYAML to report its line; pdf_content's
# _Unsupported hands a page back to pdfminer's own parser and never leaves that module)
INTERNAL = {"ConversionError", "ConversionTimeout", "TooManyCells", "Unreadable", "YamlLimitError",
            "_Unsupported"}
runner = CliRunner()


def _documented() -> dict[str, str]:
    """code → severity column of each row of docs/problems.md's tables."""
    rows = re.findall(r"^\| `([^`]+)` \| (\w+)", DOC.read_text(encoding="utf-8"), re.M)
    return dict(rows)


def _literals() -> set[str]:
    """Every string literal of the code base outside the catalogue itself."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if path == SOURCE / "problems.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_code_raised_is_catalogued_and_documented() -> None:
    raised = {s for s in _literals() if re.fullmatch(r"[EWI]-[A-Z0-9]+(-[A-Z0-9]+)*", s)}
    assert raised, "the scan finds the codes"
    assert raised - set(CATALOGUE) == set()
    assert raised - set(_documented()) == set()


def test_every_catalogued_code_is_used_and_documented_with_its_severity() -> None:
    literals = _literals()
    assert [c for c in CATALOGUE if c not in literals] == []  # flags and findings by their names too
    documented = _documented()
    assert sorted(documented) == sorted(CATALOGUE)
    assert {c: s.severity for c, s in CATALOGUE.items()} == documented
    assert {s.severity for s in CATALOGUE.values()} <= set(SEVERITIES)


def test_the_page_says_what_each_code_means_as_the_catalogue_does() -> None:
    rows = {m[1]: m[0] for m in re.finditer(r"^\| `([^`]+)` \|.*$", DOC.read_text(encoding="utf-8"), re.M)}
    for code, spec in CATALOGUE.items():
        for text in (spec.vi, spec.en):
            assert re.sub(r"\{[a-z_]+\}", "…", text).replace("|", "\\|") in rows[code], code


def test_flags_and_findings_are_codes() -> None:
    from egovcli.score import model
    from egovcli.verify.tables import KINDS

    flags = {v for k, v in vars(model).items() if k.isupper() and isinstance(v, str) and v.islower()}
    assert flags and flags | set(KINDS) <= set(CATALOGUE)


def test_the_shared_over_max_has_one_meaning() -> None:
    """Scoring named over_max 'Điểm tự đánh giá vượt điểm tối đa', verify used the same code for a
    published cell: the code is shared, so the one meaning covers both."""
    assert shown.code_label("over_max") == "over_max – Điểm vượt điểm tối đa của tiêu chí"


def test_a_code_outside_the_catalogue_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="not in egovcli.problems.CATALOGUE"):
        Problem("E-NOPE", "error", "x")
    with pytest.raises(ValueError, match="severity"):
        Problem("E-USAGE", "fatal", "x")


@pytest.mark.parametrize(
    ("place", "parts"),
    [
        ("Sheet1!E12", ("Sheet1", "E12", None, 12, None)),
        ("Phụ lục 1!$C$7", ("Phụ lục 1", "C7", None, 7, None)),
        ("trang 3, dòng 12", ("", "", 3, None, 12)),
        ("trang 2, bảng 1, dòng 5, cột 5", ("", "", 2, 5, None)),
        ("đoạn 14", ("", "", None, None, None)),
        ("S!E3; S!E4", ("", "", None, None, None)),
    ],
)
def test_location_reads_the_readers_notation(place: str, parts: tuple[object, ...]) -> None:
    where = Location.at("a.xlsx", place, agency="Sở Y tế", criterion="I.1")
    assert (where.sheet, where.cell, where.page, where.row, where.line) == parts
    assert (where.file, where.place, where.agency, where.criterion) == ("a.xlsx", place, "Sở Y tế", "I.1")
    assert str(where) == f"a.xlsx ({place})"
    assert set(where.as_dict()) == WHERE


def test_a_problem_takes_its_severity_and_english_from_the_catalogue() -> None:
    p = problem("W-UNPARSED-VALUE", "bao-cao.xlsx", "Sheet1!E12", raw="nhiều", label="Số máy chủ")
    assert (p.severity, p.file, p.location, p.where.cell) == ("warning", "bao-cao.xlsx", "Sheet1!E12", "E12")
    assert p.message.startswith("Không đọc được giá trị số 'nhiều' của 'Số máy chủ'")
    assert p.message_en.startswith("Could not read a number from 'nhiều'")
    assert str(p) == f"bao-cao.xlsx (Sheet1!E12): {p.message}"
    assert shown.line(p) == f"bao-cao.xlsx (Sheet1!E12): {p.message} [W-UNPARSED-VALUE]"
    assert set(p.as_dict()) == KEYS


HOSTILE = "Sở \x1b[31mĐỏ\x1b[0m \u202eabc [bold]x[/bold] <script>|"


def test_a_hostile_message_is_escaped_in_every_format() -> None:
    p = problem("E-CSV-UNKNOWN", where=Location("a\x1b.csv", line=2, agency=HOSTILE), message=HOSTILE)
    assert p.message == HOSTILE  # kept exactly: escaped on the way out only
    line = shown.line(p)
    assert "\x1b" not in line and "\u202e" not in line and "\\x1b[31m" in line and "\\u202e" in line
    assert shown.cell([p]).plain == "dòng 2: " + shown.line(p).split(": ", 1)[1]  # a Text: no markup
    assert "\x1b" not in shown.report(EgovError([p]))
    data = json_text(shown.record(p))
    assert "\x1b" not in data and "\u202e" not in data and json.loads(data)["message"] == HOSTILE
    text = to_csv([shown.row(p)], shown.COLUMNS)
    assert "\x1b" not in text and "\u202e" not in text
    agency = next(csv.DictReader(io.StringIO(text)))["agency"]
    assert agency == "Sở \\x1b[31mĐỏ\\x1b[0m \\u202eabc [bold]x[/bold] <script>|"


def test_a_hostile_flagged_row_is_escaped_in_markdown_and_html() -> None:
    row = CriterionScore("I.1", "I", HOSTILE, 5, 10, "data", flags=["zero_denominator"],
                         explanation=HOSTILE, source_file="x\x1b.xlsx", location="S!E3")
    scores = [AgencyScore(HOSTILE, "department", "2022", "demo", [row])]
    ctx = summary_context(rank_scores(scores), scores, [("I", "Hạ tầng", 10)], "Demo", "2022")
    [flag] = ctx["flags"]
    assert (flag["code"], flag["criterion"], flag["location"], flag["agency"]) == (
        "zero_denominator", "I.1", "S!E3", HOSTILE)
    md, html = render_markdown(ctx), render_html(ctx)
    for text in (md, html):
        assert "\x1b" not in text and "\u202e" not in text and "x1b" in text and "u202eabc" in text
        assert "zero_denominator – Mẫu số bằng 0" in text
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\\<script\\>" in md and "\\|" in md


def test_score_flags_are_problems_at_their_cell() -> None:
    row = CriterionScore("II.1", "II", "Tỷ lệ", 0, 10, "self", flags=["zero_denominator", "over_max"],
                         source_file="so-y-te.xlsx", location="Phụ lục!E12")
    found = row.problems("Sở Y tế")
    assert [(p.code, p.severity, p.where.agency, p.where.criterion, p.where.sheet, p.where.cell)
            for p in found] == [
        ("zero_denominator", "warning", "Sở Y tế", "II.1", "Phụ lục", "E12"),
        ("over_max", "warning", "Sở Y tế", "II.1", "Phụ lục", "E12"),
    ]


def test_a_stored_flag_this_egov_does_not_know_never_stops_an_output() -> None:
    """The old legend (render.summary.flag_label) showed an unknown flag bare; so does code_label."""
    row = CriterionScore("I.1", "I", "Máy tính", 0, 10, "self", flags=["future_flag", "over_max"])
    assert [p.code for p in row.problems("Sở Y tế")] == ["over_max"]
    assert shown.code_label("future_flag") == "future_flag"


def _classes() -> list[type[BaseException]]:
    """Every exception class defined in egovcli."""
    found = []
    for info in pkgutil.walk_packages(egovcli.__path__, "egovcli."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                found.append(cls)
    return found


def test_every_egov_exception_derives_from_egov_error_with_a_catalogued_code() -> None:
    classes = _classes()
    assert len(classes) > 10
    outside = sorted(c.__name__ for c in classes if not issubclass(c, EgovError))
    assert outside == sorted(INTERNAL)
    for cls in classes:
        if issubclass(cls, EgovError):
            assert cls.code in CATALOGUE, cls
            assert cls.exit_code == 2, cls


def test_an_egov_error_crosses_a_process_boundary_whole() -> None:
    import pickle

    from egovcli.rules import RuleSetError

    error = RuleSetError([problem("E-RULES-SUM", where=Location("r.yaml", line=5), message="cộng lại 90")])
    error.exit_code = 1
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.problems, again.exit_code, str(again)) == (
        RuleSetError, error.problems, 1, "r.yaml:5: cộng lại 90")


def test_the_cli_maps_any_egov_error_to_its_exit_code_in_one_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import egovcli.api

    def refuse(*_: object, **__: object) -> None:
        raise EgovError([problem("E-NO-SCORES", message="\x1b[2Jchưa chấm")], exit_code=7)

    ws = tmp_path / "ws.sqlite"
    assert runner.invoke(app, ["ingest", str(tmp_path), "--workspace", str(ws)]).exit_code == 0
    monkeypatch.setattr(egovcli.api, "rank_workspace", refuse)
    result = runner.invoke(app, ["rank", "--workspace", str(ws)])
    assert result.exit_code == 7 and result.stderr == "Lỗi: \\x1b[2Jchưa chấm [E-NO-SCORES]\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)

    missing = runner.invoke(app, ["ingest", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "[E-USAGE]" in missing.stderr and "Traceback" not in missing.stderr
    assert issubclass(UsageError, EgovError)


def test_csv_mistakes_carry_codes_and_where(tmp_path: Path) -> None:
    from egovcli.agencies import AgencyRegistryError, load_registry

    path = tmp_path / "agencies.csv"
    path.write_text("id,name,group\nsyt,Sở Y tế,department\nsyt,Sở Y tế 2,department\nx,,department\n"
                    "y,Sở Xây dựng,tỉnh\n", encoding="utf-8")
    with pytest.raises(AgencyRegistryError) as info:
        load_registry(path)
    assert [(p.code, p.where.line) for p in info.value.problems] == [
        ("E-CSV-DUPLICATE", 3), ("E-CSV-MISSING", 4), ("E-CSV-UNKNOWN", 5)]
    result = runner.invoke(app, ["ingest", str(tmp_path), "--agencies", str(path), "-w", str(tmp_path / "w")])
    assert result.exit_code == 2
    assert "\nLỗi danh mục cơ quan:\n" in result.stderr
    assert f"{path}:3: id 'syt' đã dùng ở dòng 2 [E-CSV-DUPLICATE]" in result.stderr


def _problem_objects(value: object) -> list[dict[str, object]]:
    """Every JSON object below `value` that has a problem code."""
    if isinstance(value, list):
        return [p for v in value for p in _problem_objects(v)]
    if isinstance(value, dict):
        own = [value] if "code" in value and "severity" in value else []
        return own + [p for v in value.values() for p in _problem_objects(v)]
    return []


def test_every_command_json_uses_the_same_problem_object(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(HANAM, reports, ignore=shutil.ignore_patterns("expected.json"))
    (reports / "hong.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    ws = str(tmp_path / "ws.sqlite")
    ingest = runner.invoke(app, ["ingest", str(reports), "-w", ws, "--json", "-j", "1"])
    score = runner.invoke(app, ["score", "-r", "hanam-2022", "-w", ws, "-f", "json"])
    verify = runner.invoke(app, ["verify", str(HOABINH), "-r", "hoabinh-2017", "-f", "json"])
    bad = tmp_path / "r.yaml"
    bad.write_text((ROOT / "egovcli" / "rules" / "hanam-2022.yaml").read_text(encoding="utf-8")
                   .replace("max_total: 500", "max_total: 400"), encoding="utf-8")
    rules = runner.invoke(app, ["rules", "validate", str(bad), "--json"])
    assert [r.exit_code for r in (ingest, score, verify, rules)] == [0, 0, 0, 1]
    found = {name: _problem_objects(json.loads(r.stdout))
             for name, r in (("ingest", ingest), ("score", score), ("verify", verify), ("rules", rules))}
    assert all(found.values()), {k: len(v) for k, v in found.items()}
    finding = {"agency", "item", "kind", "expected", "found", "source_file", "explanation"}
    for name, objects in found.items():
        for p in objects:
            assert set(p) - (finding if name == "verify" else set()) == KEYS, (name, p)
            assert set(p["where"]) == WHERE and p["code"] in CATALOGUE, (name, p)
    assert {p["code"] for p in found["rules"]} == {"E-RULES-SUM"}
    over = next(p for p in found["verify"] if p["code"] == "over_max")
    assert (over["where"]["agency"], over["where"]["criterion"], over["file"]) == (
        "Sở Tư pháp", "2.3.11", "qd-2631-2017.pdf")
    assert any(p["where"]["agency"] and p["where"]["criterion"] for p in found["score"])
    assert "E-UNREADABLE" in {p["code"] for p in found["ingest"]}
    unreadable = next(p for p in found["ingest"] if p["code"] == "E-UNREADABLE")
    assert unreadable["where"]["agency"] == "hong"  # the agency the file was stored under
