"""score_agency on hand-built observations: the seed's Sở Tài chính and the flag cases."""

from __future__ import annotations

from dataclasses import fields

import pytest

from egovcli.model import Observation, SourcedObservation
from egovcli.rules import load_rules, load_rules_text
from egovcli.score.engine import score_agency
from egovcli.score.model import (
    CLAIM_EXCEEDS_EVIDENCE,
    MISSING_SELF_SCORE,
    OVER_MAX,
    SUBTOTAL_MISMATCH,
    CriterionScore,
)
from egovcli.values import parse_value
from tests.test_rules import read_phuluc

AGENCY, GROUP, PERIOD, FILE = "Sở Tài chính tỉnh Hà Nam", "department", "2022", "004_so_tai_chinh.docx"

# Seed 004's own figures (báo cáo, mục 4–5, phụ lục "THÔNG TIN CHUNG"), as an extractor maps them.
SEED_DATA = [
    ("servers", "Máy chủ", "04 chiếc"),
    ("computers_total", "Máy tính cá nhân (để bàn và xách tay)", "50 chiếc"),
    ("printers", "Máy in", "24 chiếc"),
    ("computers_networked", "Số máy trạm kết nối trong mạng Lan, Internet", "50"),
    ("scanners", "Máy Scanner (quét văn bản)", "02 chiếc"),
    ("firewalls", "Firewall", "01 chiếc"),
    ("staff_total", "Tổng số cán bộ, công chức và người lao động của cơ quan", "50 người"),
    ("dvc_level4", "Số lượng dịch vụ công (DVC) trực tuyến đã triển khai cung cấp đạt mức 4", "27/27 (100%)"),
    ("dvc_national_portal", "Số lượng DVC trực tuyến đã tích hợp trên Cổng DVC Quốc gia", "26/27 (96,30%)"),
    ("documents_sent_received_online", "Số lượng văn bản đi/đến trên mạng", "1798/9251"),
    ("computers_total", "Tổng số máy tính được trang bị", "50"),
]


def obs(indicator: str, raw: str, kind: str = "data", location: str = "", label: str = "",
        source_file: str = FILE) -> SourcedObservation:
    parsed = parse_value(raw)
    observation = Observation(label or indicator, raw, parsed.value, kind, parsed.unit, indicator,
                              denominator=parsed.denominator, location=location)
    return SourcedObservation(AGENCY, GROUP, PERIOD, source_file, observation)


def seed_observations() -> list[SourcedObservation]:
    """The seed's data lines plus every self-score of its phụ lục (rows, subtotals, both totals)."""
    data = [obs(ind, raw, location=f"đoạn {i}", label=label)
            for i, (ind, label, raw) in enumerate(SEED_DATA, 30)]
    scores = [obs(row.id, row.self_score, "self_score", f"bảng 1, dòng {row.line}, cột 5", row.label)
              for row in read_phuluc()]
    written_total = obs("TOTAL", "496", "self_score", "đoạn 146", "Tổng số điểm đạt được")
    return [*data, written_total, *scores]


def replaced(observations: list[SourcedObservation], indicator: str, raw: str) -> list[SourcedObservation]:
    """The observations with the self-score of `indicator` rewritten to `raw`."""
    out = []
    for so in observations:
        if so.obs.kind == "self_score" and so.obs.indicator == indicator:
            so = obs(indicator, raw, "self_score", so.obs.location, so.obs.label)
        out.append(so)
    return out


def score(observations):
    return score_agency(load_rules("hanam-2022"), AGENCY, GROUP, PERIOD, observations)


def row(result, criterion_id):
    return next(r for r in result.rows if r.criterion == criterion_id)


def test_seed_004_scores_its_own_496():
    result = score(seed_observations())
    assert (result.total, result.max_total) == (496, 500)
    assert result.section_points() == {"I": 50, "II": 146, "III": 170, "IV": 30, "V": 50, "VI": 50}
    data_rows = {r.criterion for r in result.criteria if r.basis == "data"}
    assert data_rows == {"I.1", "I.2", "I.6", "III.2.3", "IV.4"}
    assert {r.basis for r in result.criteria if r.criterion not in data_rows} == {"self"}
    # issue 11.7: 27/27 services at level 4 leave III.2.2's denominator (procedures − level 4) at 0:
    # the self-score counts, flagged, never a silent "no data"
    assert {r.criterion: r.flags for r in result.rows if r.flags} == {"III.2.2": ["zero_denominator"]}
    assert result.unmatched == []
    total = row(result, "TOTAL")
    assert (total.points, total.max_points, total.self_points, total.basis) == (496, 500, 496, "total")
    assert row(result, "II.4").self_points == 16 and row(result, "II.4").points == 16


def test_rows_come_in_rule_order_then_totals():
    result = score(seed_observations())
    rules = load_rules("hanam-2022")
    assert [r.criterion for r in result.rows] == [c.id for c in rules.criteria] + list(rules.total_ids)


def test_data_rows_name_their_inputs_and_self_rows_their_cell():
    result = score(seed_observations())
    i1 = row(result, "I.1")
    assert (i1.points, i1.self_points) == (10, 10)
    assert i1.source_file == FILE
    assert i1.location == "đoạn 31; đoạn 36"  # computers_total (first reported), staff_total
    assert "50/50 máy tính/CBCCVC = 100% × 10 = 10" in i1.explanation
    assert "Máy tính cá nhân (để bàn và xách tay) = 50 chiếc" in i1.explanation
    iii23 = row(result, "III.2.3")
    assert iii23.location == "đoạn 37" and "27/27" in iii23.explanation
    ii21 = row(result, "II.2.1")
    assert (ii21.basis, ii21.points, ii21.location) == ("self", 5, "bảng 1, dòng 26, cột 5")


def test_fewer_computers_than_staff_is_scored_from_the_data_and_flags_the_claim():
    observations = [
        obs("staff_total", "60", location="đoạn 4"),
        obs("computers_total", "48", location="đoạn 5"),
        obs("I.1", "10", "self_score", "bảng 1, dòng 3, cột 5", source_file="phu_luc.xlsx"),
    ]
    i1 = row(score(observations), "I.1")
    assert (i1.points, i1.basis, i1.self_points) == (8, "data", 10)
    assert i1.flags == [CLAIM_EXCEEDS_EVIDENCE]
    assert (i1.source_file, i1.location) == ("phu_luc.xlsx", "bảng 1, dòng 3, cột 5")
    assert "48/60" in i1.explanation and "đoạn 4" in i1.explanation and "đoạn 5" in i1.explanation


def test_a_self_score_below_the_data_is_not_flagged():
    result = score([obs("staff_total", "50"), obs("computers_total", "50"), obs("I.1", "9", "self_score")])
    i1 = row(result, "I.1")
    assert (i1.points, i1.flags) == (10, [])


def test_self_score_above_the_maximum_is_flagged_and_clamped():
    ii44 = row(score([obs("II.4.4", "12", "self_score", "bảng 1, dòng 27, cột 5")]), "II.4.4")
    assert (ii44.points, ii44.basis, ii44.self_points, ii44.flags) == (8, "self", 12, [OVER_MAX])
    assert ii44.location == "bảng 1, dòng 27, cột 5"


def test_blank_self_score_is_missing():
    i31 = row(score([obs("I.3.1", "", "self_score", "bảng 1, dòng 6, cột 5")]), "I.3.1")
    assert (i31.points, i31.basis, i31.self_points, i31.flags) == (0, "missing", None, [MISSING_SELF_SCORE])
    assert i31.location == "bảng 1, dòng 6, cột 5"


def test_no_self_score_row_at_all_is_missing_but_data_still_counts():
    result = score([obs("scanners", "2", location="đoạn 9")])
    i6 = row(result, "I.6")
    assert (i6.points, i6.basis, i6.flags, i6.location) == (5, "data", [MISSING_SELF_SCORE], "đoạn 9")
    assert row(result, "I.3.1").flags == [MISSING_SELF_SCORE]
    assert result.total == 5


def test_written_subtotal_that_disagrees_with_its_rows():
    # II.4.2 self-scored 0 instead of 4: the rows of II sum to 142, the written II still says 146
    observations = replaced(seed_observations(), "II.4.2", "0")
    result = score(observations)
    section = row(result, "II")
    assert (section.self_points, section.flags) == (146, [SUBTOTAL_MISMATCH])
    assert "146" in section.explanation and "142" in section.explanation
    assert section.location == "bảng 1, dòng 13, cột 5"
    assert row(result, "II.4").flags == [SUBTOTAL_MISMATCH]
    assert row(result, "TOTAL").flags == [SUBTOTAL_MISMATCH]
    assert row(result, "II.1").flags == [] and row(result, "I").flags == []
    assert section.points == 142  # our points: the rows as scored


def test_each_written_grand_total_is_checked():
    observations = [so for so in seed_observations() if so.obs.location != "đoạn 146"]
    observations.append(obs("TOTAL", "495", "self_score", "đoạn 146"))  # the line disagrees, the row does not
    total = row(score(observations), "TOTAL")
    assert total.flags == [SUBTOTAL_MISMATCH]
    assert total.location == "đoạn 146"
    assert total.self_points == 496  # the first written total (the TỔNG row)


def test_self_scores_matching_no_criterion_are_reported():
    stray = obs("III.2.6", "3", "self_score", "bảng 1, dòng 70, cột 5")
    again = obs("I.1", "7", "self_score", "bảng 2, dòng 3, cột 5")
    first = obs("I.1", "10", "self_score", "bảng 1, dòng 3, cột 5")
    result = score([first, stray, again])
    assert result.unmatched == [stray, again]
    assert row(result, "I.1").self_points == 10
    found = result.unmatched_problems()
    assert [(p.code, p.location, p.where.agency, p.where.criterion, p.where.row) for p in found] == [
        ("W-UNKNOWN-CRITERION", "bảng 1, dòng 70, cột 5", result.agency, "III.2.6", 70),
        ("W-UNKNOWN-CRITERION", "bảng 2, dòng 3, cột 5", result.agency, "I.1", 3),
    ]
    assert f"bộ tiêu chí {result.rules}" in found[0].message


@pytest.mark.parametrize("kind", ["published_score", "data"])
def test_only_self_score_observations_are_self_scores(kind):
    assert row(score([obs("I.1", "10", kind)]), "I.1").self_points is None


def test_a_number_beats_an_unreadable_value_for_the_same_indicator():
    observations = [obs("scanners", "đang mua sắm", location="đoạn 3"),
                    obs("scanners", "0", location="đoạn 8")]
    i6 = row(score(observations), "I.6")
    assert (i6.points, i6.basis, i6.location) == (0, "data", "đoạn 8")


# --- rule-set features: groups, not applicable, caps, weights, bonus ------------------------------

FEATURES = """\
name: features
title: Bộ thử các tính năng
period: "2022"
max_total: 100
weights: {A: 60, B: 40}
conditions:
  no_servers: {indicator: servers, equals: 0, text: đơn vị không có máy chủ}
sections:
  - {id: A, title: Hạ tầng, max: 30, cap: 20}
  - {id: B, title: Máy chủ, max: 10}
bonus: {id: KK, title: Khuyến khích, cap: 2}
criteria:
  - {id: A.1, section: A, label: Máy quét, max: 20, inputs: [scanners],
     formula: {type: per_item, input: scanners, each: 5}}
  - {id: A.2, section: A, label: Tường lửa, max: 10, inputs: [firewalls],
     formula: {type: yes_no, input: firewalls}}
  - {id: B.1, section: B, label: Sao lưu máy chủ, max: 10, groups: [department],
     not_applicable_when: no_servers, formula: {type: manual}}
  - {id: B.2, section: B, label: Máy chủ huyện, max: 10, groups: [district], inputs: [servers],
     formula: {type: yes_no, input: servers}}
  - {id: KK.1, section: KK, label: Thêm, max: 3, inputs: [firewalls],
     formula: {type: yes_no, input: firewalls}}
"""


def features(group: str, *observations: SourcedObservation):
    rules = load_rules_text(FEATURES, "features.yaml")
    return score_agency(rules, AGENCY, group, PERIOD, list(observations))


def test_cap_weights_and_bonus_make_the_total():
    result = features("department", obs("scanners", "5"), obs("firewalls", "1"), obs("servers", "0"),
                      obs("B.1", "4", "self_score"))
    a = row(result, "A")
    assert (a.points, a.max_points) == (20, 20)  # 20 + 10 = 30 → cap 20
    assert a.explanation == "Cộng 2 tiêu chí: 30, giới hạn 20 → 20"
    b1 = row(result, "B.1")
    assert (b1.points, b1.basis, b1.flags) == (10, "not_applicable", [])
    assert b1.explanation.startswith("Không áp dụng (đơn vị không có máy chủ): điểm tối đa 10")
    assert row(result, "KK").points == 2  # 3 → bonus cap 2
    total = row(result, "TOTAL")
    assert (total.points, total.max_points) == (102, 100)  # 20/20 × 60 + 10/10 × 40 + 2
    assert total.explanation.startswith("Theo trọng số: A 20/20 × 60 = 60; B 10/10 × 40 = 40")
    assert (result.total, result.max_total) == (102, 100)
    assert result.section_points() == {"A": 20, "B": 10, "KK": 2}


def test_group_only_criteria_and_a_condition_that_does_not_hold():
    district = features("district", obs("scanners", "1"), obs("servers", "2"), obs("B.1", "4", "self_score"))
    assert [r.criterion for r in district.criteria] == ["A.1", "A.2", "B.2", "KK.1"]
    assert [so.obs.indicator for so in district.unmatched] == ["B.1"]  # a department-only self-score
    assert row(district, "TOTAL").points == 5 / 20 * 60 + 40
    department = features("department", obs("servers", "2"), obs("B.1", "4", "self_score"))
    assert (row(department, "B.1").points, row(department, "B.1").basis) == (4, "self")


def test_a_row_as_stored_and_exported_names_every_field_in_order():
    """`CriterionScore.as_dict` spells its fields out (it is built for every row): none is left out."""
    row = CriterionScore("I.1", "I", "Máy tính", 5.0, 10.0, "data", 4.0, ["over_max"], "…", "a.xlsx", "B7")
    out = row.as_dict()
    assert list(out) == [f.name for f in fields(CriterionScore)]
    assert out == {f.name: getattr(row, f.name) for f in fields(CriterionScore)}
    assert out["flags"] is not row.flags  # a copy
