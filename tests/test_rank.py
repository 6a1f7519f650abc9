"""Ranking: competition/dense ties, groups, float noise, input-order independence, levels."""

import random

import pytest

from egovcli.rank import level_for, rank_scores
from egovcli.score.model import AgencyScore, CriterionScore


def agency(name: str, *points: float, group: str = "department", period: str = "2022") -> AgencyScore:
    """An agency whose criteria I.1, I.2, … score `points` (each out of 10)."""
    rows = [
        CriterionScore(f"I.{i}", "I", f"Tiêu chí {i}", p, 10, "data") for i, p in enumerate(points, start=1)
    ]
    return AgencyScore(name, group, period, "hanam-2022", rows)


def ranks(rows):
    return [(r.rank, r.agency) for r in rows]


def test_competition_ranking_shares_the_better_rank_and_skips():
    scores = [agency("Sở A", 9), agency("Sở B", 8), agency("Sở C", 8), agency("Sở D", 7)]
    assert [r.rank for r in rank_scores(scores)] == [1, 2, 2, 4]


def test_dense_ranking_does_not_skip():
    scores = [agency("Sở A", 9), agency("Sở B", 8), agency("Sở C", 8), agency("Sở D", 7)]
    assert [r.rank for r in rank_scores(scores, ties="dense")] == [1, 2, 2, 3]


def test_tie_order_is_by_name_ignoring_accents_and_case():
    # By code point: "Sở Xây dựng" < "Sở Đường" < "sở đào tạo"; folded: dao < duong < xay.
    scores = [agency("Sở Xây dựng", 5), agency("Sở Đường", 5), agency("sở đào tạo", 5)]
    assert ranks(rank_scores(scores)) == [(1, "sở đào tạo"), (1, "Sở Đường"), (1, "Sở Xây dựng")]


def test_groups_are_ranked_separately_departments_first():
    scores = [
        agency("UBND huyện Kim Bảng", 10, 10, group="district"),
        agency("Sở Tài chính", 6),
        agency("UBND huyện Lý Nhân", 3, group="district"),
        agency("Sở Y tế", 9),
    ]
    out = rank_scores(scores)
    assert [(r.group, r.rank, r.agency) for r in out] == [
        ("department", 1, "Sở Y tế"),
        ("department", 2, "Sở Tài chính"),
        ("district", 1, "UBND huyện Kim Bảng"),
        ("district", 2, "UBND huyện Lý Nhân"),
    ]


def test_float_noise_does_not_break_a_tie():
    assert 0.1 + 0.2 != 0.3
    scores = [agency("Sở B", 0.1, 0.2), agency("Sở A", 0.3), agency("Sở C", 0.29)]
    out = rank_scores(scores)
    assert ranks(out) == [(1, "Sở A"), (1, "Sở B"), (3, "Sở C")]
    assert [r.total for r in out] == [0.3, 0.3, 0.29]


def test_result_does_not_depend_on_input_order():
    scores = [
        agency("Sở Tài chính", 9, 8.5),
        agency("Sở Tư pháp", 8.5, 9),
        agency("Sở Y tế", 7),
        agency("Sở Xây dựng", 7),
        agency("UBND huyện Thanh Liêm", 4, group="district"),
        agency("UBND huyện Bình Lục", 4, group="district"),
        agency("UBND thành phố Phủ Lý", 10, group="district"),
    ]
    expected = [r.as_dict() for r in rank_scores(scores)]
    rng = random.Random(2022)
    for _ in range(20):
        shuffled = scores[:]
        rng.shuffle(shuffled)
        assert [r.as_dict() for r in rank_scores(shuffled)] == expected


def test_row_carries_totals_and_section_points():
    score = agency("Sở Tài chính", 10, 7.5)
    score.rows.append(CriterionScore("II.1.1", "II", "QLVB&DH", 4, 5, "self", self_points=4))
    score.rows.append(CriterionScore("II", "II", "ỨNG DỤNG CNTT", 4, 150, "total", self_points=5))
    (row,) = rank_scores([score])
    assert (row.rank, row.period, row.group, row.total, row.max_total) == (1, "2022", "department", 21.5, 25)
    assert row.sections == {"I": 17.5, "II": 4}
    assert row.level == ""


def test_levels_take_the_highest_threshold_reached():
    levels = [(50, "Trung bình"), (90, "Tốt"), (70, "Khá")]  # any order
    scores = [
        agency(f"Sở {n}", *([10] * 9), last) for n, last in zip("ABCDE", (5, 0, -0.01, -20, -41), strict=True)
    ]
    out = rank_scores(scores, levels=levels)
    assert [(r.total, r.level) for r in out] == [
        (95, "Tốt"),
        (90, "Tốt"),
        (89.99, "Khá"),
        (70, "Khá"),
        (49, ""),
    ]
    assert level_for(90.0000001, levels) == "Tốt"
    assert level_for(100, None) == ""


def test_periods_are_ranked_separately():
    scores = [agency("Sở A", 5, period="2023"), agency("Sở A", 9, period="2022"), agency("Sở B", 7)]
    assert [(r.period, r.rank, r.agency) for r in rank_scores(scores)] == [
        ("2022", 1, "Sở A"),
        ("2022", 2, "Sở B"),
        ("2023", 1, "Sở A"),
    ]


def test_rejects_unknown_tie_mode_and_duplicate_agency():
    with pytest.raises(ValueError, match="ties"):
        rank_scores([agency("Sở A", 1)], ties="olympic")
    with pytest.raises(ValueError, match="hai bộ điểm"):
        rank_scores([agency("Sở Tài chính", 1), agency("SỞ TÀI CHÍNH", 2)])


def test_empty_input():
    assert rank_scores([]) == []


# --- comparison with the previous period ------------------------------------------------------
def test_previous_period_of_the_same_kind_gives_rank_and_point_changes():
    from egovcli.rank import compare_with_previous

    scores = [
        *(agency(name, points, period="2021") for name, points in (("Sở A", 9), ("Sở B", 8), ("Sở C", 7))),
        *(agency(name, points, period="2022") for name, points in (("Sở A", 6), ("Sở B", 8.5), ("Sở D", 7))),
        agency("Sở A", 10, period="2022-Q1"), agency("Sở A", 9, period="2022-Q2"),
        agency("UBND huyện X", 5, group="district", period="2021"),
        agency("UBND huyện X", 6, group="district", period="2022"),
    ]
    ranking = rank_scores(scores)
    compare_with_previous(ranking)
    got = {(r.period, r.agency): (r.previous_period, r.previous_rank, r.rank_change, r.previous_total,
                                   r.total_change) for r in ranking}
    assert got[("2022", "Sở B")] == ("2021", 2, 1, 8, 0.5)  # moved up from 2nd to 1st
    assert got[("2022", "Sở A")] == ("2021", 1, -2, 9, -3)  # down from 1st to 3rd
    assert got[("2022", "Sở D")] == ("2021", None, None, None, None)  # new this year
    assert got[("2021", "Sở A")] == ("", None, None, None, None)  # the first period has nothing before it
    assert got[("2022-Q2", "Sở A")] == ("2022-Q1", 1, 0, 10, -1)  # quarter against quarter, never a year
    assert got[("2022-Q1", "Sở A")][0] == ""
    assert got[("2022", "UBND huyện X")] == ("2021", 1, 0, 5, 1)  # within its own group


def test_the_latest_earlier_period_is_the_previous_one():
    from egovcli.rank import compare_with_previous

    ranking = rank_scores([agency("Sở A", 5, period=p) for p in ("2019", "2022", "2020")])
    compare_with_previous(ranking)
    assert [(r.period, r.previous_period, r.previous_total) for r in ranking] == [
        ("2019", "", None), ("2020", "2019", 5), ("2022", "2020", 5)
    ]


def test_an_agency_spelled_differently_in_the_previous_period_is_still_compared():
    from egovcli.rank import compare_with_previous

    ranking = rank_scores([
        agency("Sở Kế hoạch và Đầu tư tỉnh Hà Nam", 400, period="2021"),
        agency("SỞ KẾ HOẠCH - ĐẦU TƯ", 420.5, period="2022"),
    ])
    compare_with_previous(ranking)
    now = ranking[1]
    assert (now.previous_period, now.previous_total, now.total_change) == ("2021", 400, 20.5)


# --- one ranking rule for `egov rank` and `egov verify` (issue 12, item 2) ---------------------------
def test_tie_ranks_gives_each_tie_block_its_rank_and_last_position():
    from egovcli.rank import tie_ranks

    totals = {"Sở A": 90.0, "Sở B": 85.5, "Sở C": 85.5, "Sở D": 80.0}
    assert tie_ranks(totals) == {"Sở A": (1, 1), "Sở B": (2, 3), "Sở C": (2, 3), "Sở D": (4, 4)}
    assert tie_ranks(totals, "dense") == {"Sở A": (1, 1), "Sở B": (2, 3), "Sở C": (2, 3), "Sở D": (3, 4)}


def test_tie_ranks_compares_at_the_precision_asked():
    """Issue 14 will rank printed totals at their printed precision: the rounding is a parameter."""
    from egovcli.rank import tie_ranks

    totals = {"Sở A": 85.54, "Sở B": 85.51}
    assert tie_ranks(totals) == {"Sở A": (1, 1), "Sở B": (2, 2)}
    assert tie_ranks(totals, decimals=1) == {"Sở A": (1, 2), "Sở B": (1, 2)}



# --- issue 15: a national ranking's rows are made cheaply, with the same content ---------------------
def test_a_ranking_row_as_a_dict_is_what_dataclasses_asdict_gives_and_a_copy():
    """`RankRow.as_dict` (every CSV / JSON row) skips `asdict`'s recursive deep copy: same keys in
    the same order, same values, and its dicts and lists are the row's copies, not the row's own."""
    from dataclasses import asdict

    from egovcli.rank.model import RankRow

    row = RankRow(2, "UBND xã A", "commune", "2025", 61.5, 100.0, "UBND xã", "Khá", {"I": 20.5, "II": 41.0},
                  0.615, {"I": 0.82}, "2024", 3, 1, 60.0, 1.5, "merged_mean", ["UBND xã B"], "hợp nhất",
                  1, 4)
    found = row.as_dict()
    assert list(found.items()) == list(asdict(row).items())
    found["sections"]["I"] = 0.0  # type: ignore[index]
    found["predecessors"].append("x")  # type: ignore[attr-defined]
    assert row.sections["I"] == 20.5 and row.predecessors == ["UBND xã B"]
