"""Aggregation and precision (issue 13, item 4): totals as an index (`result: index`), declared
`decimals` and `tie_tolerance` (never rounded before ranking), `aggregate: mean`, and what is computed
and shown but not counted (weight 0, `counted: false`), on rule sets shaped like the national DTI
(1,000 points, weighted pillars, one pillar "không tính điểm") and the ICT-Index (mean of indices)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from egovcli.api import (
    RANK_COLUMNS,
    RANK_TABLE_COLUMNS,
    SCORE_COLUMNS,
    RankResult,
    precision_columns,
    score_rows,
    write_rows,
)
from egovcli.model import Observation, SourcedObservation
from egovcli.rank import rank_scores, tie_ranks
from egovcli.render.summary import render_html, render_markdown, summary_context
from egovcli.render.workbook import write_ranking_workbook
from egovcli.rules import RuleSetError, load_rules, load_rules_text
from egovcli.score.engine import score_agencies
from egovcli.values import parse_value
from tests.helpers import egov

PERIOD = "2025"

# Six pillars (chỉ số chính) of 100 points each, weighted to 1,000; pillar VI is published but not
# counted (trọng số 0). Two components (chỉ số thành phần) each, self-assessed.
DTI = """\
name: dti-shaped
title: "Bộ chỉ số DTI cấp sở (mô phỏng)"
period: "2025"
max_total: 1000
result: index
decimals: 4
weights: {I: 200, II: 150, III: 250, IV: 200, V: 200, VI: 0}
sections:
  - {id: I, title: "Nhận thức số", max: 100}
  - {id: II, title: "Thể chế số", max: 100}
  - {id: III, title: "Hạ tầng số", max: 100}
  - {id: IV, title: "Nhân lực số", max: 100}
  - {id: V, title: "An toàn thông tin mạng", max: 100}
  - {id: VI, title: "Hoạt động chuyển đổi số (theo dõi)", max: 100}
criteria:
"""
for _sid in ("I", "II", "III", "IV", "V", "VI"):
    for _n, _max in ((1, 60), (2, 40)):
        DTI += (f"  - {{id: {_sid}.{_n}, section: {_sid}, label: 'Thành phần {_sid}.{_n}', max: {_max},"
                " formula: {type: manual}}\n")

FULL = {f"{s}.{n}": m for s in ("II", "III", "IV", "V") for n, m in ((1, 60), (2, 40))}


def obs(agency: str, indicator: str, raw: str, kind: str = "self_score") -> SourcedObservation:
    parsed = parse_value(raw)
    observation = Observation(indicator, raw, parsed.value, kind, parsed.unit, indicator,
                              location=f"Phụ lục!E{len(indicator) + 10}")
    return SourcedObservation(agency, "department", PERIOD, f"{agency}.xlsx", observation)


def scored(rules_text: str, agencies: dict[str, dict[str, float]]):
    rules = load_rules_text(rules_text, "dti.yaml")
    data = [(name, "department", PERIOD,
             [obs(name, cid, f"{v:g}".replace(".", ",")) for cid, v in claims.items()])
            for name, claims in agencies.items()]
    return rules, score_agencies(rules, data)


def row(score, criterion):
    return next(r for r in score.rows if r.criterion == criterion)


# Sở A: pillar I 32,1/100 → 200 × 0,321 = 64,2; II–V full: 800 → 864,2/1000 = 0,8642.
# Sở B: pillar I 31,95/100 → 63,9 → 863,9 = 0,8639. Pillar VI (not counted) differs the other way.
AGENCIES = {
    "Sở Công Thương": {"I.1": 20, "I.2": 12.1, **FULL, "VI.1": 10, "VI.2": 0},
    "Sở Tư pháp": {"I.1": 20, "I.2": 11.95, **FULL, "VI.1": 60, "VI.2": 40},
}


@pytest.fixture(scope="module")
def dti():
    return scored(DTI, AGENCIES)


def test_a_dti_shaped_total_is_an_index_with_four_decimals(dti):
    rules, (a, b) = dti
    total = row(a, "TOTAL")
    assert (total.points, total.max_points, total.index) == (864.2, 1000, 0.8642)
    assert row(b, "TOTAL").index == 0.8639
    assert (row(a, "I").points, row(a, "I").index) == (32.1, 0.321)
    assert total.explanation == (
        "Theo trọng số: I 32,1/100 × 200 = 64,2; II 100/100 × 150 = 150; III 100/100 × 250 = 250; "
        "IV 100/100 × 200 = 200; V 100/100 × 200 = 200; VI 10 (không tính điểm) → 864,2/1000; chỉ số 0,8642")
    assert total.label == "TỔNG (I+II+III+IV+V)"


def test_index_ranks_at_the_declared_decimals_without_false_ties(dti):
    rules, scores = dti
    ranking = rank_scores(scores, precision=rules.precision)
    assert [(r.rank, r.agency, r.total, r.index) for r in ranking] == [
        (1, "Sở Công Thương", 864.2, 0.8642), (2, "Sở Tư pháp", 863.9, 0.8639)]
    assert ranking[0].section_indices == {"I": 0.321, "II": 1.0, "III": 1.0, "IV": 1.0, "V": 1.0,
                                          "VI": 0.1}
    # at 2 decimals both indices are 0,86: a tie, which is what decimals: 4 is for
    two_decimals = load_rules_text(DTI.replace("decimals: 4", "decimals: 2"), "x").precision
    two = rank_scores(scores, precision=two_decimals)
    assert [(r.rank, r.index) for r in two] == [(1, 0.86), (1, 0.86)]


def test_a_total_on_a_0_to_1_scale_is_not_rounded_before_ranking():
    # The total itself an index (max_total 1, weights as shares): 0,8642 vs 0,8639.
    text = DTI.replace("max_total: 1000", "max_total: 1").replace("result: index\n", "").replace(
        "{I: 200, II: 150, III: 250, IV: 200, V: 200, VI: 0}",
        "{I: 0.2, II: 0.15, III: 0.25, IV: 0.2, V: 0.2, VI: 0}")
    rules, scores = scored(text, AGENCIES)
    assert [s.total for s in scores] == [0.8642, 0.8639]
    ranking = rank_scores(scores, precision=rules.precision)
    assert [(r.rank, r.total) for r in ranking] == [(1, 0.8642), (2, 0.8639)]
    rules, scores = scored(text.replace("decimals: 4\n", ""), AGENCIES)  # today's default: 2 decimals
    ranking = rank_scores(scores, precision=rules.precision)
    assert [(r.rank, r.total) for r in ranking] == [(1, 0.86), (1, 0.86)]


def test_tie_tolerance_ties_totals_closer_than_it(dti):
    _, scores = dti
    rules = load_rules_text(DTI.replace("decimals: 4", "decimals: 4\ntie_tolerance: 0.0005"), "x")
    assert [r.rank for r in rank_scores(scores, precision=rules.precision)] == [1, 1]
    rules = load_rules_text(DTI.replace("decimals: 4", "decimals: 4\ntie_tolerance: 0.0002"), "x")
    assert [r.rank for r in rank_scores(scores, precision=rules.precision)] == [1, 2]


def test_ties_compare_unrounded_totals_at_the_declared_precision():
    totals = {"a": 0.86424, "b": 0.86416, "c": 0.86414, "d": 0.8639}
    assert tie_ranks(totals, decimals=4) == {"a": (1, 2), "b": (1, 2), "c": (3, 3), "d": (4, 4)}
    # closer than 0,00011 to the block's best: a, b, c tie (c is 0,0001 below a), d does not (0,00034)
    assert tie_ranks(totals, tolerance=0.00011) == {"a": (1, 3), "b": (1, 3), "c": (1, 3), "d": (4, 4)}
    # exactly the tolerance apart is not closer than it
    assert tie_ranks({"a": 0.86424, "c": 0.86414}, tolerance=0.0001) == {"a": (1, 1), "c": (2, 2)}
    # a block does not drift down a chain of close totals: 0,9 0,89 0,88 with tolerance 0,015
    chain = {"x": 0.9, "y": 0.89, "z": 0.88}
    assert tie_ranks(chain, tolerance=0.015) == {"x": (1, 2), "y": (1, 2), "z": (3, 3)}


def test_a_weight_0_pillar_is_computed_and_shown_not_counted(dti):
    rules, (a, b) = dti
    vi = row(b, "VI")
    assert (vi.points, vi.max_points, vi.counted, vi.index) == (100, 100, False, 1.0)
    assert vi.explanation == "Cộng 2 tiêu chí: 100/100; chỉ số 1,0000; không tính điểm (không cộng vào tổng)"
    assert [r.criterion for r in b.criteria if r.section == "VI"] == ["VI.1", "VI.2"]
    assert (b.total, b.max_total) == (863.9, 1000)  # VI's 100 points are in neither
    assert rules.uncounted == {"VI"}


# ICT-Index style: three pillars on their own scales, the total the mean of their indices × 100.
MEAN = """\
name: ict-shaped
title: Chỉ số ICT (mô phỏng)
period: "2025"
max_total: 100
aggregate: mean
sections:
  - {id: I, title: Hạ tầng, max: 50}
  - {id: II, title: Ứng dụng, max: 150}
  - {id: III, title: Dịch vụ công, max: 200}
criteria:
  - {id: I.1, section: I, label: Hạ tầng, max: 50, formula: {type: manual}}
  - {id: II.1, section: II, label: Ứng dụng, max: 150, formula: {type: manual}}
  - {id: III.1, section: III, label: Dịch vụ công, max: 200, formula: {type: manual}}
"""


def test_mean_aggregation_is_the_mean_of_the_section_indices():
    rules, (score,) = scored(MEAN, {"Sở Y tế": {"I.1": 40, "II.1": 120, "III.1": 150}})
    total = row(score, "TOTAL")
    assert (total.points, total.max_points, total.index) == (78.33, 100, None)  # (0,8 + 0,8 + 0,75) ÷ 3
    assert total.explanation == ("Trung bình chỉ số các mục: (I 40/50 = 0,8000; II 120/150 = 0,8000; "
                                 "III 150/200 = 0,7500) ÷ 3 = 0,7833 × 100 → 78,33/100")


def test_mean_leaves_out_an_uncounted_section_and_adds_the_bonus():
    text = MEAN.replace("max: 200}\ncriteria", "max: 200, counted: false}\ncriteria").replace(
        "aggregate: mean", "aggregate: mean\nbonus: {id: KK, title: Khuyến khích, cap: 2}")
    text += "  - {id: KK.1, section: KK, label: Thêm, max: 3, formula: {type: manual}}\n"
    rules, (score,) = scored(text, {"Sở Y tế": {"I.1": 40, "II.1": 90, "III.1": 10, "KK.1": 3}})
    total = row(score, "TOTAL")
    assert total.points == 72  # (0,8 + 0,6) ÷ 2 × 100 + 2
    assert total.explanation == ("Trung bình chỉ số các mục: (I 40/50 = 0,8000; II 90/150 = 0,6000; "
                                 "III 10 (không tính điểm)) ÷ 2 = 0,7000 × 100; + KK (khuyến khích) 2"
                                 " → 72/100")


def test_a_criterion_not_counted_is_in_no_total_nor_maximum():
    text = MEAN.replace("aggregate: mean\n", "max_total: 400\n").replace("max_total: 100\n", "")
    text = text.replace("  - {id: I.1, section: I, label: Hạ tầng, max: 50, formula: {type: manual}}\n",
                        "  - {id: I.1, section: I, label: Hạ tầng, max: 50, formula: {type: manual}}\n"
                        "  - {id: I.2, section: I, label: Thí điểm, max: 10, counted: false, "
                        "formula: {type: manual}}\n")
    rules, (score,) = scored(text, {"Sở Y tế": {"I.1": 40, "I.2": 8, "II.1": 120, "III.1": 150}})
    i2 = row(score, "I.2")
    assert (i2.points, i2.counted) == (8, False)
    assert "không tính điểm (không cộng vào tổng mục và tổng điểm)" in i2.explanation
    assert (row(score, "I").points, row(score, "I").max_points) == (40, 50)
    assert row(score, "I").explanation == "Cộng 1 tiêu chí: 40/50; không tính điểm: I.2"
    assert (score.total, score.max_total) == (310, 400)


def test_an_unweighted_section_not_counted_leaves_the_maximum():
    text = MEAN.replace("aggregate: mean\n", "").replace("max_total: 100", "max_total: 200")
    text = text.replace("max: 200}\ncriteria", "max: 200, counted: false}\ncriteria")
    rules, (score,) = scored(text, {"Sở Y tế": {"I.1": 40, "II.1": 120, "III.1": 150}})
    assert (score.total, score.max_total) == (160, 200)
    explanation = "Cộng các mục: I 40 + II 120 + III 150 (không tính điểm) → 160/200"
    assert row(score, "TOTAL").explanation == explanation
    assert row(score, "TOTAL").label == "TỔNG (I+II)"


# --- the sums check and the new keys' mistakes --------------------------------------------------

def errors(text: str) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        load_rules_text(text, "r.yaml")
    return [p.message for p in caught.value.problems]


def test_sums_leave_out_what_is_not_counted():
    # the section maximum includes an uncounted criterion's: wrong, said with the counted sum
    uncounted = "  - {id: I.2, section: I, label: x, max: 10, counted: false, formula: {type: manual}}\n"
    text = MEAN.replace("aggregate: mean\n", "max_total: 400\n").replace("max_total: 100\n", "").replace(
        "max: 50, formula", "max: 40, formula").replace("criteria:\n", "criteria:\n" + uncounted)
    assert errors(text) == ["mục I: điểm tối đa các tiêu chí cộng lại 40, khai báo 50"]
    # max_total counting an uncounted section
    text = MEAN.replace("aggregate: mean\n", "")
    text = text.replace("max: 200}\ncriteria", "max: 200, counted: false}\ncriteria")
    assert errors(text.replace("max_total: 100", "max_total: 400")) == [
        "điểm tối đa các mục cộng lại 200 (không kể mục không tính điểm III), max_total là 400"]


def test_weights_zero_allowed_negative_or_contradicting_not():
    assert load_rules_text(DTI, "r.yaml").sections[5].weight == 0
    negative = DTI.replace("VI: 0}", "VI: -5}")
    assert errors(negative) == ["weights không được âm (trọng số 0: mục không tính điểm)"]
    contradicting = DTI.replace("V: 200, VI: 0}", "V: 190, VI: 10}").replace(
        'theo dõi)", max: 100}', 'theo dõi)", max: 100, counted: false}')
    assert errors(contradicting) == [
        "mục VI có counted: false nhưng trọng số khác 0 (một mục không tính điểm có trọng số 0)"]
    nothing = DTI.replace("{I: 200, II: 150, III: 250, IV: 200, V: 200, VI: 0}",
                          "{I: 0, II: 0, III: 0, IV: 0, V: 0, VI: 0}")
    assert errors(nothing) == ["không có mục nào được tính điểm (mọi mục counted: false hoặc trọng số 0)"]


def test_mistakes_in_the_new_keys_are_all_said_at_once():
    text = DTI.replace("result: index\ndecimals: 4\n",
                       "result: chỉ số\ndecimals: 2.5\ntie_tolerance: -1\naggregate: mean\n")
    text = text.replace("max: 40,", "max: 40, counted: 'không',", 1)
    assert errors(text) == [
        "result phải là points hoặc index, không phải 'chỉ số'",
        "decimals phải là số nguyên 0–10, không phải 2.5",
        "tie_tolerance không được âm",
        "aggregate: mean không dùng cùng weights (tổng theo trọng số đã là trung bình có trọng số"
        " của chỉ số các mục)",
        "tiêu chí I.2: counted phải là true hoặc false, không phải 'không'",
    ]


def test_historic_rule_sets_keep_todays_precision():
    for name in ("hanam-2022", "hoabinh-2017"):
        rules = load_rules(name)
        assert (rules.precision.result, rules.precision.decimals, rules.precision.tie_tolerance,
                rules.precision.aggregate) == ("points", 2, None, "sum")
        assert rules.uncounted == frozenset()
        assert precision_columns(RANK_COLUMNS, rules) == RANK_COLUMNS
        assert precision_columns(SCORE_COLUMNS, rules) == SCORE_COLUMNS


# --- every output shows the index and what is not counted ------------------------------------------

def test_rank_and_score_exports_carry_the_index(dti, tmp_path):
    rules, scores = dti
    result = RankResult(rules, rank_scores(scores, precision=rules.precision), scores)
    assert result.columns() == (*RANK_COLUMNS, "index")  # CSV and JSON columns are only appended
    assert result.columns(table=True) == (*RANK_TABLE_COLUMNS[:6], "index", *RANK_TABLE_COLUMNS[6:])
    write_rows(result.ranking, result.columns(), "csv", tmp_path / "rank.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "rank.csv").read_text(encoding="utf-8"))))
    assert [(r["rank"], r["total"], r["index"]) for r in rows] == [("1", "864.2", "0.8642"),
                                                                    ("2", "863.9", "0.8639")]
    write_rows(result.ranking, result.columns(), "json", tmp_path / "rank.json")
    records = json.loads((tmp_path / "rank.json").read_text(encoding="utf-8"))
    assert [r["index"] for r in records] == [0.8642, 0.8639]
    columns = precision_columns(SCORE_COLUMNS, rules)
    assert columns == (*SCORE_COLUMNS, "index", "counted")
    beside = precision_columns(SCORE_COLUMNS, rules, beside=True)
    assert beside == (*SCORE_COLUMNS[:7], "index", "basis", "counted", *SCORE_COLUMNS[8:])
    write_rows(score_rows(scores), columns, "csv", tmp_path / "score.csv")
    by_row = {(r["agency"], r["criterion"]): r
              for r in csv.DictReader(io.StringIO((tmp_path / "score.csv").read_text(encoding="utf-8")))}
    assert (by_row[("Sở Tư pháp", "VI")]["index"], by_row[("Sở Tư pháp", "VI")]["counted"]) == ("1", "False")
    assert by_row[("Sở Tư pháp", "TOTAL")]["index"] == "0.8639"
    write_rows(result.ranking, result.columns(table=True), "table", tmp_path / "rank.txt")
    assert "Chỉ số (0–1)" in (tmp_path / "rank.txt").read_text(encoding="utf-8")


def test_summaries_show_index_uncounted_pillar_and_the_tie_rule(dti):
    rules, scores = dti
    ranking = rank_scores(scores, precision=rules.precision)
    sections = [(s.id, s.title, s.max) for s in rules.sections]
    ctx = summary_context(ranking, scores, sections, rules.title, PERIOD, rules=rules)
    md = render_markdown(ctx)
    assert "| Tổng điểm | Điểm tối đa | Chỉ số |" in md
    assert "VI. Hoạt động chuyển đổi số (theo dõi) (tối đa 100; không tính điểm)" in md
    assert "| 1 | Sở Công Thương | 32,1 (0,3210) | 100 (1,0000) |" in md
    assert "| 864,2 | 1000 | 0,8642 |" in md
    assert "các cơ quan có chỉ số bằng nhau (làm tròn đến 4 chữ số thập phân) được xếp đồng hạng" in md
    assert "Không tính điểm: VI — được chấm và hiển thị nhưng không cộng vào tổng và điểm tối đa" in md
    assert "tổng theo trọng số" in md
    html = render_html(ctx)
    assert '<td class="num total">0,8642</td>' in html
    assert "(tối đa 100; không tính điểm)" in html


def test_workbook_ranking_shows_the_index_with_its_decimals(dti, tmp_path):
    rules, scores = dti
    ranking = rank_scores(scores, precision=rules.precision)
    path = tmp_path / "ranking.xlsx"
    sections = [(s.id, s.title, s.max) for s in rules.sections]
    write_ranking_workbook(path, ranking, scores, sections, rules=rules)
    wb = load_workbook(path)
    ws = wb.worksheets[0]  # `result: index`: the sections and the total as indices
    header = [c.value for c in ws[3]]
    assert header[2].startswith("I. ") and header[2].endswith("\n(chỉ số)") and header[8:] == ["Chỉ số"]
    assert header[7].endswith("(chỉ số; không tính điểm)")
    assert (ws.cell(4, 9).value, ws.cell(4, 9).number_format) == (0.8642, "0.0000")
    assert ws.cell(4, 3).number_format == "0.0000"
    detail = [[c.value for c in row] for row in wb["Chi tiết tiêu chí"].iter_rows(min_row=4)]
    assert next(r for r in detail if r[3] == "VI")[8] == "tổng; không tính điểm"
    total = next(r for r in detail if r[3] == "TOTAL")
    assert total[7] == 0.8642  # the index beside the points


def test_score_and_rank_commands_show_the_index(tmp_path):
    """`egov score` / `egov rank` on the Hà Nam sample scored by its rule set with `result: index`."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "samples/hanam-2022/so-tu-phap.docx", reports)
    index = "max_total: 500\nresult: index\ndecimals: 4\n"
    text = load_rules("hanam-2022").text.replace("max_total: 500\n", index)
    rules = tmp_path / "hanam-index.yaml"
    rules.write_text(text, encoding="utf-8")
    ws = str(tmp_path / "ws.sqlite")
    assert egov("ingest", str(reports), "--workspace", ws)[0] == 0
    code, out, err = egov("score", "--rules", str(rules), "--workspace", ws, "--format", "csv")
    assert code == 0
    total = next(r for r in csv.DictReader(io.StringIO(out)) if r["criterion"] == "TOTAL")
    assert float(total["index"]) == round(float(total["points"]) / 500, 4)
    assert f"chỉ số {total['index'].replace('.', ',')}" in err
    code, out, _ = egov("rank", "--workspace", ws, "--format", "json")
    (ranked,) = json.loads(out)
    assert ranked["index"] == float(total["index"])
    code, out, _ = egov("rank", "--workspace", ws, "--md", "-")
    assert "| Chỉ số |" in out and "chỉ số bằng nhau (làm tròn đến 4 chữ số thập phân)" in out


def test_a_subsection_line_of_the_workbook_leaves_out_an_uncounted_criterion(tmp_path):
    text = MEAN.replace("aggregate: mean\n", "").replace("max_total: 100", "max_total: 400").replace(
        "  - {id: I, title: Hạ tầng, max: 50}",
        "  - {id: I, title: Hạ tầng, max: 50, subsections: [{id: I.1, title: Máy móc, max: 50}]}")
    text = text.replace("  - {id: I.1, section: I, label: Hạ tầng, max: 50, formula: {type: manual}}\n",
                        "  - {id: I.1.1, section: I, subsection: I.1, label: Máy, max: 50,"
                        " formula: {type: manual}}\n"
                        "  - {id: I.1.2, section: I, subsection: I.1, label: Thí điểm, max: 5,"
                        " counted: false, formula: {type: manual}}\n")
    rules, scores = scored(text, {"Sở Y tế": {"I.1.1": 40, "I.1.2": 5, "II.1": 120, "III.1": 150}})
    assert (row(scores[0], "I.1").points, scores[0].total) == (40, 310)
    path = tmp_path / "r.xlsx"
    sections = [(s.id, s.title, s.max) for s in rules.sections]
    write_ranking_workbook(path, rank_scores(scores), scores, sections, rules=rules)
    sheet = load_workbook(path)["Chi tiết tiêu chí"]
    lines = {r[3]: (r[5], r[7]) for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert lines["I"][0] == 40 and lines["I.1"][0] == 40
    assert lines["I.1.2"] == (5, "điểm tự đánh giá; không tính điểm")


def test_a_section_divided_by_its_maximum_needs_one():
    empty = MEAN.replace("{id: III, title: Dịch vụ công, max: 200}", "{id: III, title: Dịch vụ công, max: 0}")
    empty = empty.replace("  - {id: III.1, section: III, label: Dịch vụ công, max: 200,"
                          " formula: {type: manual}}\n", "")
    assert errors(empty) == ["mục III: điểm tối đa phải dương (điểm của mục được chia cho nó)"]
