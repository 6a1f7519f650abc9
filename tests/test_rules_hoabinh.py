"""The Hòa Bình 2017 rule set (seed 001): five domains, one criterion per printed score column."""

from __future__ import annotations

from egovcli.rules import list_rules, load_rules


def test_hoabinh_2017_loads_with_domain_maxima_17_9_41_17_16() -> None:
    rules = load_rules("hoabinh-2017")
    assert "hoabinh-2017" in list_rules()
    assert (rules.name, rules.period, rules.max_total) == ("hoabinh-2017", "2017", 100)
    assert [(s.id, s.max) for s in rules.sections] == [
        ("2.1", 17),
        ("2.2", 9),
        ("2.3", 41),
        ("2.4", 17),
        ("2.5", 16),
    ]
    for section in rules.sections:
        assert sum(c.max for c in rules.criteria if c.section == section.id) == section.max
    assert sum(c.max for c in rules.criteria) == 100


def test_criteria_are_the_printed_columns_with_inferred_maxima() -> None:
    rules = load_rules("hoabinh-2017")
    columns = {"2.1": 4, "2.2": 3, "2.3": 16, "2.4": 5, "2.5": 8}
    for section, count in columns.items():
        ids = [c.id for c in rules.criteria if c.section == section]
        assert ids == [f"{section}.{n}" for n in range(3, 3 + count)]
    assert all(c.formula.type == "manual" for c in rules.criteria)
    assert [c.max for c in rules.criteria if c.section == "2.1"] == [5, 4, 4, 4]
    assert [c.max for c in rules.criteria if c.section == "2.3"] == [
        2,
        1,
        1,
        1,
        1,
        2,
        3,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        13,
        3,
    ]
    tu_phap = rules.criterion("2.3.11")
    assert (tu_phap.label, tu_phap.max) == ("Tlệ CBCC được cấp thư điện tử công vụ của tỉnh", 2)
    explained = {cid for reading in rules.readings for cid in reading.criteria}
    assert {c.id for c in rules.criteria} <= explained  # every inferred maximum has a reading
    assert any("(6)" in r.text and "2.2.5" in r.criteria for r in rules.readings)
