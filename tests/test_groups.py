"""Agency groups are one registry (issue 12, item 2): `egovcli.groups` is the only module that names a
group, and a group added there reaches inference, agencies.csv, rule sets, ranking, identity and
the summaries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import egovcli
from egovcli import groups
from egovcli.agencies import infer_group, load_registry
from egovcli.ingest.layout import TextLine, interpret
from egovcli.rank import rank_scores
from egovcli.render.summary import render_markdown, summary_context
from egovcli.rules import load_rules_text
from egovcli.rules.loader import RuleSetError
from egovcli.score.model import AgencyScore, CriterionScore

PACKAGE = Path(egovcli.__file__).parent
DEMO = Path(__file__).parent / "fixtures/rules/demo-100.yaml"
COMMUNE = groups.Group("commune", "UBND cấp xã", "UBND cấp xã", aliases=("xa",),
                       places=("xa", "phuong", "thi tran"), place_labels=("ten xa",))


def test_the_two_groups_as_before() -> None:
    assert groups.ids() == ("department", "district")
    assert [groups.label(g) for g in groups.ids()] == ["Sở, ban, ngành", "UBND cấp huyện"]
    assert groups.label("other") == "other"
    ordered = sorted(["other", "district", "department"], key=groups.order)
    assert ordered == ["department", "district", "other"]
    assert [groups.named(w) for w in ("department", "Sở, ban, ngành", "so", "District", "UBND cấp huyện",
                                      "huyện", "tỉnh")] == [*["department"] * 3, *["district"] * 3, None]
    assert groups.choices() == "department hoặc district"


def test_no_module_but_the_registry_names_a_group() -> None:
    """No `if group == "district"`, no second label table: every string constant of the package
    that is a group's id or label stands in egovcli/groups.py (docstrings aside)."""
    names = {*groups.ids(), *(g.label for g in groups.GROUPS)}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "groups.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert found == []


@pytest.fixture
def commune(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry with a third group, as issue 13 adds commune level (xã, phường, thị trấn)."""
    monkeypatch.setattr(groups, "GROUPS", (*groups.GROUPS, COMMUNE))


def _score(agency: str, group: str, points: float) -> AgencyScore:
    rows = [CriterionScore("I.1", "I", "Tiêu chí", points, 10, "data")]
    return AgencyScore(agency, group, "2022", "demo", rows)


@pytest.mark.usefixtures("commune")
def test_a_group_added_to_the_registry_reaches_every_stage(tmp_path: Path) -> None:
    assert [infer_group(n) for n in ("UBND xã Tiên Tân", "Phường Lê Hồng Phong", "UBND huyện Kim Bảng",
                                     "Sở Tài chính")] == ["commune", "commune", "district", "department"]
    csv = tmp_path / "agencies.csv"
    csv.write_text("id,name,group\ntt,UBND xã Tiên Tân,xã\nkb,UBND huyện Kim Bảng,district\n",
                   encoding="utf-8")
    assert [load_registry(csv).resolve(n).group for n in ("UBND xã Tiên Tân", "UBND huyện Kim Bảng")] == [
        "commune", "district",
    ]
    lines = [TextLine("Tên xã, phường, thị trấn: Xã Tiên Tân", "đoạn 1")]
    assert interpret(lines, []).agency == "UBND xã Tiên Tân"

    text = DEMO.read_text(encoding="utf-8").replace("groups: [district]", "groups: [district, commune]")
    rules = load_rules_text(text, "demo.yaml")
    assert {g for c in rules.criteria for g in c.groups} == {"department", "district", "commune"}

    scores = [_score("UBND xã Tiên Tân", "commune", 9), _score("UBND huyện Kim Bảng", "district", 5),
              _score("Sở Tài chính", "department", 7)]
    ranking = rank_scores(scores)
    assert [(r.group, r.rank) for r in ranking] == [("department", 1), ("district", 1), ("commune", 1)]
    text = render_markdown(summary_context(ranking, scores, [("I", "Hạ tầng", 10)], "Demo", "2022"))
    assert "UBND cấp xã" in text and "Sở, ban, ngành; UBND cấp huyện; UBND cấp xã" in text


def test_a_rule_set_naming_an_unknown_group_is_refused() -> None:
    text = DEMO.read_text(encoding="utf-8").replace("groups: [district]", "groups: [district, commune]")
    with pytest.raises(RuleSetError, match="nhóm không biết: commune"):
        load_rules_text(text, "demo.yaml")
