"""A rule set laid out once per group (`GroupRules`: the inputs its criteria read, the totals' layout)
scores exactly as scoring each agency from scratch with every indicator derived."""

from __future__ import annotations

import pytest
from test_score_raw_data import AGENCY, PERIOD, seed_000_observations

from egovcli.groups import UNGROUPED
from egovcli.indicators import Matcher
from egovcli.model import Observation, SourcedObservation
from egovcli.rules import load_rules
from egovcli.rules.formulas import indicators
from egovcli.score.derived import Derivations
from egovcli.score.engine import GroupRules, Scorer, collect_inputs, score_agency

RULE_SETS = ("hanam-2022", "hoabinh-2017", "dti-example-2025")


def _observations() -> list[SourcedObservation]:
    """Seed 000's data rows, seed 004's "27/27 (100%)" level-4 share (a fraction whose counts the
    catalogue derives), and self-scores: one per criterion of hanam-2022, and written subtotals."""
    out = seed_000_observations(Matcher())
    share = Observation("Số lượng DVC … đạt mức 4", "27/27 (100%)", 27, "data", indicator="dvc_level4",
                        denominator=27, location="đoạn 13")
    out.append(SourcedObservation(AGENCY, "department", PERIOD, "bao-cao.docx", share))
    for i, criterion in enumerate([c.id for c in load_rules("hanam-2022").criteria] + ["I", "II.1", "TOTAL"]):
        score = Observation("Tự đánh giá", str(i % 4), float(i % 4), "self_score", indicator=criterion,
                            location=f"Phụ lục!E{i + 9}")
        out.append(SourcedObservation(AGENCY, "department", PERIOD, "phu-luc.xlsx", score))
    return out


@pytest.mark.parametrize("name", RULE_SETS)
@pytest.mark.parametrize("group", ["department", "commune", UNGROUPED])
def test_the_inputs_a_group_reads_are_those_every_derivation_gives(name: str, group: str) -> None:
    """Only the indicators a group's criteria read (and those they are derived from, a reported
    fraction's counts included) are collected and derived: each of these comes out the same."""
    laid_out = GroupRules(load_rules(name), group)
    observations = _observations()
    every, read = collect_inputs(observations), collect_inputs(observations, laid_out.derivations)
    wanted = {i for c in laid_out.applicable for i in indicators(c.formula)}
    assert "procedures_total" in laid_out.derivations.reads or name == "hoabinh-2017"
    assert {i: every.get(i) for i in wanted} == {i: read.get(i) for i in wanted}


@pytest.mark.parametrize("name", RULE_SETS)
def test_a_scorer_scores_as_each_agency_from_scratch(name: str) -> None:
    """The same rows, totals and flags, whichever group an agency is in and in whatever order the
    groups come: the layout of one group never leaks into another's."""
    rules = load_rules(name)
    scorer = Scorer(rules, {}, {})
    for group in ("department", "commune", UNGROUPED, "department"):
        alone = score_agency(rules, AGENCY, group, PERIOD, _observations())
        together = scorer.score(AGENCY, group, PERIOD, _observations())
        assert [r.as_dict() for r in together.rows] == [r.as_dict() for r in alone.rows]
        assert together.totals() == alone.totals()


def test_a_count_read_alone_still_comes_from_a_reported_fraction() -> None:
    """Seed 004 reports level-4 services as "27/27": a rule set reading only the number of procedures
    gets 27 from that fraction, as when every indicator is derived."""
    only = Derivations(["procedures_total"])
    assert "dvc_level4" in (only.reads or ())
    fraction = [so for so in _observations() if so.obs.indicator == "dvc_level4"]
    read, every = collect_inputs(fraction, only), collect_inputs(fraction)
    assert read["procedures_total"] == every["procedures_total"]
    assert read["procedures_total"].value == 27
