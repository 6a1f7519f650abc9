"""Careless and hostile rule-set files (issue 11, item 4): a non-finite number, a value of the wrong
type, a YAML alias bomb and other YAML hazards are problems as `file:line: what`, never a traceback,
a hang or `nan` totals that get ranked; and every mistake of a file is reported at once."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import math
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from egovcli.cli import app
from egovcli.problems import Problem
from egovcli.render.problems import line
from egovcli.rules import RuleSetError, load_rules, load_rules_text
from egovcli.rules.criteria import _CRITERION_KEYS
from egovcli.rules.formula_parser import PARSERS
from egovcli.rules.loader import _TOP_KEYS
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
EVERY = ROOT / "tests/fixtures/rules/every-field.yaml"  # valid, and uses every key the loader reads
DEMO = ROOT / "tests/fixtures/rules/demo-100.yaml"
BASES = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in (EVERY, DEMO)}
runner = CliRunner()


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, value) of every value in a loaded YAML document, the containers too."""
    if path:
        yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _mutated(base: Any, path: tuple[Any, ...], value: Any, how: str = "set") -> str:
    """The YAML text of `base` with the value at `path` replaced by `value` (or its key deleted/renamed)."""
    data = copy.deepcopy(base)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if how == "set":
        parent[path[-1]] = value
    elif how == "delete":
        del parent[path[-1]]
    else:  # rename the key to a wrong one: a typo or a number
        parent[value] = parent.pop(path[-1])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _load(text: str, origin: str = "r.yaml") -> list[Problem]:
    """The problems of a rule-set text (none when it loads); anything but RuleSetError fails the test."""
    try:
        rules = load_rules_text(text, origin)
    except RuleSetError as exc:
        assert exc.problems, "a RuleSetError lists its problems"
        assert str(exc) == "\n".join(f"{origin}:{p.where.line}: {p.message}" for p in exc.problems)
        assert [p.where.line for p in exc.problems] == sorted(p.where.line or 0 for p in exc.problems)
        return exc.problems
    _assert_finite(rules)
    return []


def _assert_finite(value: Any) -> None:
    """Every number in a loaded rule set (sections, criteria, formulas, levels…) is finite."""
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, tuple | list):
        for item in value:
            _assert_finite(item)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name != "text":
                _assert_finite(getattr(value, f.name))


def _criterion_of(base: Any, path: tuple[Any, ...]) -> str | None:
    return base["criteria"][path[1]]["id"] if path[0] == "criteria" and len(path) > 2 else None


# --- the fixture really uses every key ----------------------------------------------------------

def test_the_every_field_fixture_is_valid_and_uses_every_key_and_formula_type():
    rules = load_rules(str(EVERY))
    keys = {str(path[-1]) for path, _ in _walk(BASES["every-field"])}
    assert keys >= _TOP_KEYS and keys >= _CRITERION_KEYS
    assert {"cap", "note", "subsections", "tt", "at_least", "at_most", "over", "deduct_each", "aliases",
            "equals", "min", "each", "unit", "when", "otherwise", "points"} <= keys
    assert {value for path, value in _walk(BASES["every-field"]) if path[-1] == "type"} == set(PARSERS)
    assert rules.weighted and rules.bonus and rules.levels and rules.headings and rules.conditions


# --- non-finite numbers ---------------------------------------------------------------------------

NUMBERS = [path for path, value in _walk(BASES["every-field"])
           if isinstance(value, int | float) and not isinstance(value, bool)]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("path", NUMBERS, ids=lambda path: ".".join(map(str, path)))
def test_a_non_finite_number_anywhere_is_a_problem_at_a_line(path, value):
    problems = _load(_mutated(BASES["every-field"], path, value))
    shown = {math.inf: ".inf", -math.inf: "-.inf"}.get(value, ".nan")
    about = [p for p in problems if f"không phải {shown}" in p.message]
    assert about and all(p.where.line for p in problems), problems
    if cid := _criterion_of(BASES["every-field"], path):
        assert f"tiêu chí {cid}:" in about[0].message


def test_max_nan_from_the_issue_names_file_line_and_criterion(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace("    max: 10\n", "    max: .nan\n", 1)
    line = text.splitlines().index("    max: .nan") + 1
    path = tmp_path / "tinh-x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rules(str(path))
    assert str(info.value) == f"{path}:{line}: tiêu chí A.2: max phải là một số hữu hạn, không phải .nan"
    assert [(p.code, p.file, p.where.line, p.message) for p in info.value.problems] == [
        ("E-RULES-FIELD", str(path), line, "tiêu chí A.2: max phải là một số hữu hạn, không phải .nan")
    ]


@pytest.mark.parametrize("written", ["nan", "inf", "-Infinity", "1e999", "1" + "0" * 400])
def test_numbers_spelled_as_text_or_beyond_the_float_range_are_refused(written):
    text = DEMO.read_text(encoding="utf-8").replace("max_total: 100", f"max_total: {written}")
    problems = _load(text)
    assert [p.where.line for p in problems] == [5]
    assert problems[0].message.startswith("max_total phải là một số hữu hạn")


# --- values of the wrong type ---------------------------------------------------------------------

WRONG = st.one_of(
    st.sampled_from([None, True, 0, -1, 2.5, math.nan, math.inf, "", "x", "max", "nan", [], ["x"], [1],
                     [None], [["x"]], {}, {"a": 1}, {"type": "manual"}, datetime.date(2022, 1, 1), 10**400]),
    st.text(max_size=5), st.integers(), st.floats(),
    st.lists(st.integers() | st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
PATHS = {name: [path for path, _ in _walk(base)] for name, base in BASES.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_value_of_the_wrong_type_anywhere_is_a_problem_at_a_line(data):
    """For each field the loader reads, any value: loading gives problems with a line each (or, when
    the value happens to fit, a rule set whose numbers are all finite), never another exception."""
    name = data.draw(st.sampled_from(sorted(BASES)))
    path = data.draw(st.sampled_from(PATHS[name]))
    how = data.draw(st.sampled_from(["set", "delete", "rename"] if isinstance(path[-1], str) else ["set"]))
    value = data.draw(st.sampled_from([7, "inptu", None]) if how == "rename" else WRONG)
    problems = _load(_mutated(BASES[name], path, value, how))
    assert all(p.where.line for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("numerator: computers_total", "numerator: [computers_total]",
         "tiêu chí A.1: ratio: numerator phải là một tên (chuỗi không rỗng), không phải một danh sách"),
        ("  - id: A.3\n", "  - id: 3\n",
         "tiêu chí thứ 3: id phải là một tên (chuỗi không rỗng), không phải 3"),
        ("inputs: [scanners]", "inputs: scanners",
         "tiêu chí A.2: inputs phải là một danh sách tên, không phải 'scanners'"),
        ("    max: 10\n", "    max: {points: 10}\n",
         "tiêu chí A.2: max phải là một số hữu hạn, không phải một bảng khóa: giá trị"),
        ("label: Máy quét văn bản", "label:", "tiêu chí A.2: label trống"),
        ("groups: [department]", "groups: department",
         "tiêu chí B.2: groups phải là một danh sách tên, không phải 'department'"),
        ("{name: Khá, min: 75}", "{name: Khá, min: [75]}",
         "mức xếp loại thứ 2: min phải là một số hữu hạn, không phải một danh sách"),
        ("  cap: 5", "  cap: '5'", "bonus: cap phải là một số hữu hạn, không phải '5'"),
        ("each: 0.5, cap: 4}", "each: 0.5, cap: 4, input: [scanners]}",
         "tiêu chí KK.2: per_item: input phải là một tên (chuỗi không rỗng), không phải một danh sách"),
    ],
)
def test_wrong_types_from_the_issue_and_their_siblings(old, new, message):
    text = DEMO.read_text(encoding="utf-8")
    assert old in text
    assert message in [p.message for p in _load(text.replace(old, new, 1))]


# --- every mistake at once --------------------------------------------------------------------------

def _hundred_criteria(changes: dict[str, dict[str, str]]) -> str:
    """A 100-criterion rule set in the shape of a published decision (10 sections of 10 rows), with
    `changes` to some criteria's fields: {"S7.3": {"max": ".nan"}}."""
    sections = "".join(f"  - {{id: S{s}, title: Mục {s}, max: 10}}\n" for s in range(10))
    criteria = ""
    for s, c in ((s, c) for s in range(10) for c in range(10)):
        fields = {"id": f"S{s}.{c}", "section": f"S{s}", "label": f"Tiêu chí {s}.{c}", "max": "1",
                  "inputs": "[firewalls]", "formula": "{type: yes_no, input: firewalls}"}
        fields |= changes.get(f"S{s}.{c}", {})
        criteria += "  - " + "\n    ".join(f"{key}: {value}" for key, value in fields.items()) + "\n"
    return (f"name: tram\ntitle: Bộ 100 tiêu chí\nperiod: '2024'\nmax_total: 100\nsections:\n{sections}"
            f"criteria:\n{criteria}")


def test_a_hundred_criteria_with_five_mistakes_give_five_lines_in_line_order(tmp_path):
    assert _load(_hundred_criteria({})) == []
    mistakes = {  # in five criteria far apart, each a different kind of mistake
        "S1.1": {"formula": "{type: yes_no, input: [firewalls]}"},
        "S3.5": {"formula": "{type: yes_on, input: firewalls}"},
        "S5.2": {"inputs": "[firewals]", "formula": "{type: yes_no, input: firewals}"},
        "S7.3": {"max": ".nan"},
        "S9.9": {"id": "S9.8"},
    }
    path = tmp_path / "tram.yaml"
    path.write_text(_hundred_criteria(mistakes), encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rules(str(path))
    lines = str(info.value).splitlines()
    assert len(lines) == 5 and len(info.value.problems) == 5
    assert [p.message.split(":")[0] for p in info.value.problems] == [
        "tiêu chí S1.1", "tiêu chí S3.5", "tiêu chí S5.2", "tiêu chí S7.3", "tiêu chí S9.8"]
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "không có chỉ tiêu 'firewals'" in lines[2] and "không phải .nan" in lines[3]
    assert "id trùng" in lines[4]


def test_mistakes_in_sections_levels_conditions_and_criteria_are_all_listed():
    text = textwrap.dedent("""\
        name: x
        title: Bộ lỗi
        period: "2024"
        max_total: 10
        criterias: []
        conditions:
          none: {indicator: servers, equals: .inf}
        sections:
          - {id: A, title: Hạ tầng, max: 10, cao: 5}
          - just a string
        levels:
          - {name: Tốt, min: .nan}
        criteria:
          - {id: A.1, section: A, label: Một, max: 10, inputs: [], formula: {type: manual}}
          - {id: A.2, section: A, label: Hai, max: -.inf, inputs: [], formula: {type: manual}}
        """)
    assert [(p.where.line, p.message.split(" ")[0]) for p in _load(text)] == [
        (1, "khóa"), (7, "điều"), (9, "mục"), (10, "mục"), (12, "mức"), (15, "tiêu")]


def test_unreadable_maxima_are_not_also_reported_as_wrong_sums():
    text = DEMO.read_text(encoding="utf-8").replace("    max: 10\n", "    max: ten\n", 1)
    assert [p.message for p in _load(text)] == ["tiêu chí A.2: max phải là một số hữu hạn, không phải 'ten'"]


def test_a_rule_set_stored_in_the_workspace_goes_through_the_same_checks():
    text = DEMO.read_text(encoding="utf-8").replace("max_total: 100", "max_total: .nan")
    with pytest.raises(RuleSetError, match=r"demo-100 \(workspace\):5: max_total phải là một số hữu hạn"):
        load_rules_text(text, "demo-100 (workspace)")


# --- the CLI lists every problem -------------------------------------------------------------------

@pytest.fixture
def two_mistakes(tmp_path: Path) -> Path:
    text = DEMO.read_text(encoding="utf-8").replace("    max: 10\n", "    max: .nan\n", 1)
    path = tmp_path / "tinh-x.yaml"
    text = text.replace("numerator: computers_total", "numerator: [computers_total]")
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_validate_exits_1_listing_every_problem(two_mistakes):
    result = runner.invoke(app, ["rules", "validate", str(two_mistakes)])
    assert result.exit_code == 1
    listed = [line for line in result.stderr.splitlines() if line.startswith(f"{two_mistakes}:")]
    assert len(listed) == 2 and "numerator" in listed[0] and ".nan" in listed[1]


def test_score_exits_2_listing_every_problem(two_mistakes, tmp_path):
    ws = tmp_path / "ws.sqlite"
    Workspace(ws).close()
    result = runner.invoke(app, ["score", "--rules", str(two_mistakes), "--workspace", str(ws)])
    assert result.exit_code == 2
    assert "numerator" in result.stderr and "không phải .nan" in result.stderr
    assert result.stderr.count(f"{two_mistakes}:") == 2


# --- YAML hazards and limits -----------------------------------------------------------------------

def _bomb(levels: int = 9, width: int = 9) -> str:
    """A 'billion laughs' rule set: 9 anchors each aliasing the previous one 9 times (~400 bytes,
    9⁹ ≈ 387 million strings once expanded), used as the title."""
    anchors = [f"  - &a0 [{', '.join(['lol'] * width)}]"]
    anchors += [f"  - &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(["readings:", "  - text: bom", "    criteria:", *("  " + a for a in anchors)]) + \
        f"\nname: bom\ntitle: *a{levels - 1}\nperiod: '1'\nmax_total: 1\nsections: []\ncriteria: []\n"


_GUARDED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))
from egovcli.rules import RuleSetError, load_rules
try:
    load_rules(sys.argv[1])
except RuleSetError as exc:
    print(exc)
"""


def _guarded_load(path: Path) -> str:
    """Load a rule file in a child with 512 MiB of address space and 60 s: a regression fails the test
    instead of hanging the suite or eating the machine's memory."""
    done = subprocess.run([sys.executable, "-c", _GUARDED, str(path)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_an_alias_bomb_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_text(_bomb(), encoding="utf-8")
    assert path.stat().st_size < 1000
    out = _guarded_load(path)
    assert f"{path}:" in out and "billion laughs" in out


def test_a_fifo_named_yaml_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "rules.yaml"
    os.mkfifo(path)
    assert _guarded_load(path).strip() == f"{path}: không phải một tệp thường"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("name: &a [*a]\n", 1, "bí danh *a nằm trong chính nó"),
        ("title: " + "[" * 100 + "]" * 100 + "\n", 1, "lồng nhau quá 40 tầng"),
        ("name: x\nmax_total: 1" + "0" * 5000 + "\n", 2, "không đọc được thành số nguyên"),
        ("name: x\nperiod: 2022-13-45\n", 2, "'2022-13-45' không đọc được thành ngày tháng"),
        ("name: x\ntitle: !!python/object/apply:os.system ['echo hi']\n", 2, "python/object/apply:os.system "
                                                                             "không được phép"),
        ('name: "a\x00b"\n', 1, "ký tự không được phép U+0000"),
        ("name: x\n\tperiod: 1\n", 2, "YAML không hợp lệ"),
    ],
    ids=["recursive alias", "deep nesting", "huge int", "bad date", "python tag", "NUL", "tab"],
)
def test_yaml_hazards_are_one_problem_at_their_line(text, line, message):
    problems = _load(text)
    assert len(problems) == 1 and problems[0].where.line == line and message in problems[0].message, problems


def test_a_repeated_key_is_listed_with_the_other_mistakes():
    text = DEMO.read_text(encoding="utf-8").replace("    max: 10\n", "    max: 10\n    max: 10\n", 1)
    first = text.splitlines().index("    max: 10") + 1
    problems = _load(text.replace("max_total: 100", "max_total: .nan"))
    assert [(p.where.line, p.message) for p in problems] == [
        (5, "max_total phải là một số hữu hạn, không phải .nan"),
        (first + 1, f"khóa 'max' lặp lại (lần đầu ở dòng {first}); YAML chỉ giữ giá trị sau"),
    ]


def test_aliases_within_the_budget_still_work():
    text = DEMO.read_text(encoding="utf-8")
    formula = "formula: {type: yes_no, input: firewalls}"
    assert text.count(formula) == 2  # A.3 and KK.1
    text = text.replace(formula, "formula: &firewall {type: yes_no, input: firewalls}", 1)
    text = text.replace(formula, "formula: *firewall")
    assert _load(text) == []
    assert load_rules_text(text, "r.yaml").criterion("KK.1").formula.type == "yes_no"


def test_a_control_character_in_a_quoted_id_is_shown_not_sent_to_the_terminal(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace("  - id: A.3\n", '  - id: "\\e[31mA.3"\n', 1)
    [problem] = _load(text)
    assert problem.message == "tiêu chí \x1b[31mA.3: id không bắt đầu bằng mã cha 'A.'"  # kept exactly
    shown = "tiêu chí \\x1b[31mA.3: id không bắt đầu bằng mã cha 'A.'"
    assert line(problem) == f"r.yaml:{problem.where.line}: {shown} [E-RULES-REFERENCE]"  # escaped on output
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 1 and shown in result.stderr and "\x1b" not in result.stderr


def test_files_too_large_or_not_utf8(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (5 * 1024 * 1024))
    with pytest.raises(RuleSetError, match=r"big.yaml: tệp bộ tiêu chí lớn hơn 5 MB"):
        load_rules(str(big))
    with pytest.raises(RuleSetError, match=r"\(workspace\): tệp bộ tiêu chí lớn hơn 5 MB"):
        load_rules_text("#" * (5 * 1024 * 1024 + 1), "x (workspace)")
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("name: x\ntitle: Bộ tiêu chí\n".encode().replace("ộ".encode(), b"\xf4"))
    with pytest.raises(RuleSetError, match=r"latin1.yaml:2: tệp không phải UTF-8 \(byte 0xf4\)"):
        load_rules(str(latin))
