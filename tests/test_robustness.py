"""`egov rank --robustness N` (issue 16, item 7): each agency's rank interval (5th–95th percentile)
over N draws of perturbed section weights, so that a Sở sees which places are within noise."""

from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path

import pytest
from helpers import egov
from openpyxl import load_workbook
from test_aggregation import AGENCIES, DTI, MEAN, scored

from egovcli import api
from egovcli.problems import UsageError
from egovcli.rank import rank_scores
from egovcli.rank.robustness import (
    AgencySections,
    draw_factors,
    percentile,
    rank_intervals,
    ranking_value,
    sections_of,
)
from egovcli.rules import load_rules

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
HANAM = load_rules("hanam-2022")  # a plain sum of six sections, 500 points
FULL = {s.id: s.max for s in HANAM.sections}


def agency(name: str, **points: float) -> AgencySections:
    """A Hà Nam department with full points but where `points` says otherwise."""
    return AgencySections("2022", "department", name, {**FULL, **points}, dict(FULL))


# two sở 0,1 point apart, one strong in section I, the other in section II; one far ahead of both
CLOSE = [
    agency("Sở A", I=50, II=100, III=150.1, IV=25, V=45, VI=40),  # 410,1
    agency("Sở B", I=20, II=130, III=150, IV=25, V=45, VI=40),  # 410
    agency("Sở C", I=50, II=150, III=165, IV=30, V=48, VI=49),  # 492
]


def test_close_agencies_overlap_and_one_far_ahead_is_first_in_every_draw() -> None:
    found = rank_intervals(CLOSE, HANAM, 500)
    assert found[("2022", "department", "Sở C")] == (1, 1)
    assert found[("2022", "department", "Sở A")] == (2, 3)
    assert found[("2022", "department", "Sở B")] == (2, 3)  # within noise of each other


def test_the_same_seed_gives_the_same_intervals() -> None:
    once, again = rank_intervals(CLOSE, HANAM, 200, seed=7), rank_intervals(CLOSE, HANAM, 200, seed=7)
    assert once == again
    first = draw_factors({"I": 50, "II": 150}, random.Random(2026), 0.2)
    assert first == draw_factors({"I": 50, "II": 150}, random.Random(2026), 0.2)
    assert abs(50 * first["I"] + 150 * first["II"] - 200) < 1e-9  # renormalised: the maximum is kept


def test_no_spread_gives_the_ranking_itself() -> None:
    found = rank_intervals(CLOSE, HANAM, 3, spread=0)
    assert [found[("2022", "department", n)] for n in ("Sở C", "Sở A", "Sở B")] == [(1, 1), (2, 2), (3, 3)]


@pytest.mark.parametrize("text", [DTI, MEAN], ids=["weighted-index", "mean"])
def test_factors_of_one_give_each_agency_its_own_ranking_value(text: str) -> None:
    """The totals are made as the scoring makes them: weights, `aggregate: mean`, `result: index`,
    a pillar not counted (dti-shaped: 0,8642 and 0,8639 apart by 0,0003)."""
    rules, scores = scored(text, AGENCIES)
    ones = {s.id: 1.0 for s in rules.counted_sections}
    for score in scores:
        value = ranking_value(sections_of(score), rules, ones)
        assert abs(value - score.ranking_value(rules.precision.index)) < 1e-6, score.agency
    ranking = rank_scores(scores, precision=rules.precision)
    found = rank_intervals([sections_of(s) for s in scores], rules, 1, spread=0)
    assert {r.agency: (r.rank, r.rank) for r in ranking} == {k[2]: v for k, v in found.items()}


def test_an_index_rule_set_ranks_by_index() -> None:
    rules = load_rules("dti-example-2025")  # result: index, weighted pillars, pillar VII not counted
    maxima = {s.id: s.max for s in rules.sections}
    strong = AgencySections("2025", "department", "Sở A", {**maxima, "VII": 0}, maxima)
    weak = AgencySections("2025", "department", "Sở B", {k: v / 2 for k, v in maxima.items()}, maxima)
    assert ranking_value(strong, rules, {s.id: 1.0 for s in rules.counted_sections}) == 1.0
    found = rank_intervals([strong, weak], rules, 100)
    assert found == {("2025", "department", "Sở A"): (1, 1), ("2025", "department", "Sở B"): (2, 2)}


def test_nearest_rank_percentiles() -> None:
    ranks = list(range(1, 21))  # 20 draws: the 1st (⌈1⌉) and the 19th (⌈19⌉) smallest
    assert (percentile(ranks, 5), percentile(ranks, 95)) == (1, 19)
    assert (percentile([4], 5), percentile([4], 95)) == (4, 4)


def test_no_draws_is_refused_in_vietnamese() -> None:
    with pytest.raises(UsageError, match="số lần rút phải là số nguyên dương"):
        rank_intervals(CLOSE, HANAM, 0)
    code, _, err = egov("rank", "--robustness", "0", "-w", "khong-co.sqlite")
    assert code == 2 and "--robustness 0: số lần rút phải là số nguyên dương" in err  # before any work
    code, _, err = egov("rank", "--seed", "3", "-w", "khong-co.sqlite")
    assert code == 2 and "chỉ dùng cùng --robustness N" in err


def test_rank_shows_the_intervals_in_every_output(tmp_path: Path) -> None:
    """The Hà Nam samples ranked with 200 draws: the columns appended to the CSV, the workbook's
    column (still verified clean) and run sheet, the summaries' column."""
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLES, reports)
    ws = str(tmp_path / "ws.sqlite")
    assert egov("ingest", str(reports), "-w", ws)[0] == 0
    assert egov("score", "--rules", "hanam-2022", "-w", ws)[0] == 0
    xlsx, md, html = tmp_path / "r.xlsx", tmp_path / "s.md", tmp_path / "s.html"
    code, out, err = egov("rank", "-w", ws, "--robustness", "200", "--format", "csv", "--out", str(xlsx),
                          "--md", str(md), "--html", str(html))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[-2:] == ["rank_low", "rank_high"]  # appended: no column moves
    assert list(rows[0])[:-2] == list(api.RANK_COLUMNS)
    assert all(int(r["rank_low"]) <= int(r["rank"]) <= int(r["rank_high"]) for r in rows)
    tied = [r for r in rows if r["rank"] == "2"]  # Sở Công Thương and Sở Nội vụ, 490 each
    assert len(tied) == 2 and all(r["rank_low"] == "2" for r in tied)
    wb = load_workbook(xlsx)
    header = [c.value for c in wb["Sở, ban, ngành"][3]]
    column = header.index("Khoảng hạng (5–95%)")
    shown = [r[column] for r in wb["Sở, ban, ngành"].iter_rows(min_row=4, values_only=True)]
    assert shown[0] == "1" and all(s for s in shown)
    run = {r[0]: r[1] for r in wb["Thông tin lần chạy"].iter_rows(min_row=4, values_only=True)}
    assert run["Khoảng hạng (5–95%)"].startswith("200 lần rút ngẫu nhiên (seed 2026)")
    assert api.verify_file(xlsx, HANAM).findings == []  # the interval is no part of the total
    assert "Khoảng hạng (5–95%)" in md.read_text(encoding="utf-8")
    assert "<th>Khoảng hạng (5–95%)</th>" in html.read_text(encoding="utf-8")
    code, plain, _ = egov("rank", "-w", ws, "--format", "csv")
    assert next(csv.reader(io.StringIO(plain))) == list(api.RANK_COLUMNS)  # not asked: not there
