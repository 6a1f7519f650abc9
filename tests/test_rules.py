"""The Hà Nam 2022 rule set as data, checked against the printed phụ lục, and rule-file validation."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from egovcli.indicators import catalogue
from egovcli.rules import RuleSetError, list_rules, load_rules
from egovcli.rules.formula_parser import PARSERS
from egovcli.score.formulas import EVALUATORS
from egovcli.textnorm import nfc

TSV = Path(__file__).resolve().parent.parent / "samples/source/hanam-2022-phuluc-so-tai-chinh.tsv"
_ROMAN = re.compile(r"^(I|II|III|IV|V|VI)\.?$")
_SUBSECTION = re.compile(r"^(I|II|III|IV|V|VI)\.\s*(\d+)$")


@dataclass
class PhulucRow:
    id: str  # criterion path, section/subsection id or TOTAL
    label: str
    max: float
    self_score: str  # as printed
    line: int  # 1-based line of the TSV (header = 1)


def read_phuluc(path: Path = TSV) -> list[PhulucRow]:
    """Rows of the printed table that carry a maximum, with the criterion path rebuilt from the TT
    column as docs/architecture.md describes (unnumbered rows take the heading's number)."""
    rows, subsection, numbered = [], "", ""
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter="\t"), 2):
            tt, maximum = row["tt"].strip(), row["diem_toi_da"].split()
            if tt.startswith("TỔNG"):
                path_id = "TOTAL"
            elif match := _ROMAN.match(tt):
                subsection = path_id = match.group(1)
            elif match := _SUBSECTION.match(tt):
                subsection = path_id = f"{match.group(1)}.{match.group(2)}"
            else:
                path_id = numbered = f"{subsection}.{tt}" if tt else numbered
            if maximum:
                total = sum(float(x) for x in maximum)
                rows.append(PhulucRow(path_id, nfc(row["noi_dung"]), total, row["diem_tu_danh_gia"], line))
    return rows


@pytest.fixture(scope="module")
def rules():
    return load_rules("hanam-2022")


def test_shipped_rule_set_loads_by_name_and_by_path(rules):
    assert "hanam-2022" in list_rules()
    path = Path(__file__).resolve().parent.parent / "egovcli/rules/hanam-2022.yaml"
    assert load_rules(str(path)) == rules
    assert (rules.name, rules.period, rules.max_total) == ("hanam-2022", "2022", 500)


def test_section_and_subsection_maxima(rules):
    maxima = {s.id: s.max for s in rules.sections}
    assert maxima == {"I": 50, "II": 150, "III": 170, "IV": 30, "V": 50, "VI": 50}
    subs = {sub.id: sub.max for s in rules.sections for sub in s.subsections}
    assert subs == {"II.1": 80, "II.2": 30, "II.3": 20, "II.4": 20, "III.1": 70, "III.2": 100}
    for section in rules.sections:
        assert sum(c.max for c in rules.criteria if c.section == section.id) == section.max
    assert sum(c.max for c in rules.criteria) == 500
    assert rules.total_ids == ("I", "II", "II.1", "II.2", "II.3", "II.4", "III", "III.1", "III.2",
                               "IV", "V", "VI", "TOTAL")


def test_every_scored_row_of_the_phuluc_is_a_criterion_with_the_same_max_and_label(rules):
    totals = set(rules.total_ids)
    printed = [r for r in read_phuluc() if r.id not in totals]
    assert [r.id for r in printed] == [c.id for c in rules.criteria]
    for row in printed:
        criterion = rules.criterion(row.id)
        assert (criterion.max, criterion.label) == (row.max, row.label), row.id
    written_totals = {r.id: r.max for r in read_phuluc() if r.id in totals}
    assert written_totals == {**{s.id: s.max for s in rules.sections},
                              **{sub.id: sub.max for s in rules.sections for sub in s.subsections},
                              "TOTAL": 500}


def test_ids_follow_the_printed_numbering(rules):
    ids = {c.id for c in rules.criteria}
    assert {"III.1.3", "III.1.5", "III.2.5", "III.2.5.1", "III.2.5.2", "III.2.8.1", "IV.6.1", "V.1.1"} <= ids
    assert not {"III.2.6", "III.2.7", "III.2.8", "IV.6", "I.3"} & ids
    tts = {s.id: s.tt for s in rules.sections}
    tts |= {sub.id: sub.tt for s in rules.sections for sub in s.subsections}
    assert (tts["III.2"], tts["IV"]) == ("III. 2", "IV.")
    assert rules.criterion("III.1.3").tt == ""
    assert rules.criterion("II.1.7").max == 15
    assert [p.max for p in rules.criterion("II.1.7").formula.parts] == [5, 5, 5]


def test_readings_record_the_seed_inconsistencies(rules):
    named = {cid for reading in rules.readings for cid in reading.criteria}
    assert {"IV.8", "II.1.7", "III.1.2.1", "III.1.2.2", "III.1.11", "III.2.5", "III.2", "IV", "IV.6"} <= named
    iv8 = next(r.text for r in rules.readings if r.criteria == ("IV.8",))
    assert "3 điểm" in iv8 and "2" in iv8


def test_computable_criteria_of_sections_i_ii_iv_v_have_inputs(rules):
    for c in rules.criteria:
        inner = c.formula.otherwise if c.formula.type == "exemption" else c.formula
        computable = {"ratio", "banded", "yes_no", "per_item", "parts"}
        if c.section in {"I", "II", "IV", "V"} and inner.type in computable:
            assert c.inputs, c.id
    assert rules.criterion("I.1").inputs == ("computers_total", "staff_total")
    assert rules.criterion("I.2").inputs == ("computers_networked", "computers_total")
    assert rules.criterion("I.6").inputs == ("scanners",)
    assert rules.criterion("IV.4").inputs == ("firewalls",)
    assert "dvc_level4" in rules.criterion("III.2.3").inputs
    used = {i for c in rules.criteria for i in c.inputs}
    assert "documents_sent_received_online" not in used  # two counts, not a ratio


def test_readings_record_how_raw_data_forms_are_read(rules):
    """Choices made to score a form with figures only (seed 000, Hà Tĩnh) are written down."""
    named = {cid for reading in rules.readings for cid in reading.criteria}
    assert {"I.1", "II.1.1", "II.3.1", "II.3.2", "II.4.2", "II.4.3", "IV.1", "IV.2", "III.2.2",
            "III.2.11", "III.1.3", "III.1.12", "V.3", "VI.5"} <= named
    iii211 = next(r.text for r in rules.readings if "III.2.11" in r.criteria)
    assert "792" in iii211 and "117" in iii211


def test_criteria_read_data_indicators_that_a_form_can_give(rules):
    """Every indicator a criterion reads has aliases as forms print it, or is derived from others."""
    cat = catalogue()
    for c in rules.criteria:
        for ind_id in c.inputs:
            assert cat[ind_id].aliases or cat[ind_id].derive, (c.id, ind_id)
    assert rules.criterion("III.1.12").inputs == ("portal_royalties",)
    assert cat["dvc_level4"].derive and cat["staff_it_standard_share"].derive


def test_every_formula_type_has_an_evaluator():
    assert set(PARSERS) == set(EVALUATORS)


# --- validation -------------------------------------------------------------------------------

def _mini() -> dict:
    return {
        "name": "mini", "title": "Bộ mini", "period": "2022", "max_total": 15,
        "sections": [{"id": "A", "title": "Hạ tầng", "max": 15}],
        "criteria": [
            {"id": "A.1", "section": "A", "label": "Tỷ lệ máy tính", "max": 10,
             "inputs": ["computers_total", "staff_total"],
             "formula": {"type": "ratio", "numerator": "computers_total", "denominator": "staff_total"}},
            {"id": "A.2", "section": "A", "label": "Máy quét", "max": 5, "inputs": ["scanners"],
             "formula": {"type": "yes_no", "input": "scanners"}},
        ],
    }


def _error(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rules(str(path))
    message = str(info.value)
    assert str(path) in message
    return message


def test_the_mini_rule_set_is_valid(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(_mini(), allow_unicode=True), encoding="utf-8")
    assert [c.id for c in load_rules(str(path)).criteria] == ["A.1", "A.2"]


def test_unknown_formula_type_names_the_criterion(tmp_path):
    data = _mini()
    data["criteria"][1]["formula"] = {"type": "lottery"}
    message = _error(tmp_path, data)
    assert "tiêu chí A.2" in message and "không có loại công thức 'lottery'" in message


def test_duplicate_id(tmp_path):
    data = _mini()
    data["criteria"][1]["id"] = "A.1"
    assert "tiêu chí A.1: id trùng" in _error(tmp_path, data)


def test_criteria_maxima_must_sum_to_the_section(tmp_path):
    data = _mini()
    data["criteria"][1]["max"] = 4
    assert "mục A: điểm tối đa các tiêu chí cộng lại 14, khai báo 15" in _error(tmp_path, data)


def test_section_maxima_must_sum_to_max_total(tmp_path):
    data = _mini()
    data["max_total"] = 500
    assert "điểm tối đa các mục cộng lại 15, max_total là 500" in _error(tmp_path, data)


def test_subsection_maxima_must_sum(tmp_path):
    data = _mini()
    data["sections"][0]["subsections"] = [{"id": "A.1", "title": "Phụ", "max": 15}]
    for criterion in data["criteria"]:
        criterion["subsection"] = "A.1"
        criterion["id"] = criterion["id"].replace("A.", "A.1.")
    data["criteria"][1]["max"] = 4
    data["max_total"] = data["sections"][0]["max"] = 14
    assert "tiểu mục A.1: điểm tối đa các tiêu chí cộng lại 14, khai báo 15" in _error(tmp_path, data)


def test_unknown_indicator_id(tmp_path):
    data = _mini()
    data["criteria"][1]["formula"]["input"] = data["criteria"][1]["inputs"][0] = "unicorns"
    assert "tiêu chí A.2: không có chỉ tiêu 'unicorns'" in _error(tmp_path, data)


def test_two_counts_cannot_feed_a_ratio(tmp_path):
    data = _mini()
    data["criteria"][0]["formula"] = {"type": "ratio", "of": "documents_sent_received_online"}
    data["criteria"][0]["inputs"] = ["documents_sent_received_online"]
    assert "'documents_sent_received_online' là loại count" in _error(tmp_path, data)


def test_inputs_must_list_what_the_formula_reads(tmp_path):
    data = _mini()
    data["criteria"][0]["inputs"] = ["staff_total"]
    assert "tiêu chí A.1: inputs ['staff_total']" in _error(tmp_path, data)


def test_band_points_above_the_maximum(tmp_path):
    data = _mini()
    data["criteria"][0]["formula"] = {"type": "banded", "of": "dvc_level4",
                                      "bands": [{"at_least": 0.8, "points": 12}, {"points": 0}]}
    data["criteria"][0]["inputs"] = ["dvc_level4"]
    assert "tiêu chí A.1: bậc 1: points phải là" in _error(tmp_path, data)


def test_unknown_formula_key(tmp_path):
    data = _mini()
    data["criteria"][1]["formula"]["inptu"] = "scanners"
    assert "khóa lạ inptu" in _error(tmp_path, data)


def test_unknown_rule_set_name():
    with pytest.raises(RuleSetError, match="không có bộ tiêu chí 'hanam-1999'.*hanam-2022"):
        load_rules("hanam-1999")


def test_missing_criterion_key(tmp_path):
    data = _mini()
    del data["criteria"][0]["max"]
    assert "tiêu chí A.1: thiếu khóa 'max'" in _error(tmp_path, data)


def test_unknown_exemption_condition(tmp_path):
    data = _mini()
    data["criteria"][1]["exempt_when"] = "no_unicorns"
    assert "tiêu chí A.2: exempt_when: không có điều kiện 'no_unicorns'" in _error(tmp_path, data)
