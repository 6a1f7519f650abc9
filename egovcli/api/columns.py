"""The export contracts: the columns of each command's CSV / JSON rows, in order. A column is only
ever appended, so that scripts reading them by position keep working."""

from __future__ import annotations

SCORE_COLUMNS = (
    "agency",
    "group",
    "period",
    "criterion",
    "section",
    "points",
    "max_points",
    "basis",
    "self_points",
    "flags",
)
SCORE_EXTRA_COLUMNS = (
    "label", "explanation", "source_file", "location", "adjustment_reason", "appraised_points"
)
# JSON also has each row's flags as problem objects (docs/problems.md)
SCORE_JSON_COLUMNS = (*SCORE_COLUMNS, *SCORE_EXTRA_COLUMNS, "problems")
RANK_COLUMNS = (
    "rank",
    "agency",
    "group",
    "period",
    "total",
    "max_total",
    "level",
    "previous_period",
    "previous_rank",
    "rank_change",
    "previous_total",
    "total_change",
    "previous_basis",
    "predecessors",
    "previous_note",
    "group_label",  # the group's block title, as the rule set titles it (columns are only appended)
)
# `egov rank --robustness N`: each agency's rank interval (5th, 95th percentile of its rank over N
# draws of perturbed weights). Appended after every other column (the rule set's `index` too) and
# only when computed, so that the columns a script reads by position never move.
ROBUSTNESS_COLUMNS = ("rank_low", "rank_high")
# the terminal table is read by people: the comparison in words (previous_note) says what the
# machine-readable previous_basis / predecessors say, and the group is named as the rule set titles
# it ("UBND xã, phường, đặc khu"), not by its id
RANK_TABLE_COLUMNS = tuple(
    "group_label" if c == "group" else c for c in RANK_COLUMNS if c not in ("previous_basis", "predecessors",
                                                                          "group_label")
)
VERIFY_COLUMNS = ("agency", "item", "kind", "expected", "found", "location", "source_file", "explanation")
REBUILT_COLUMNS = (
    "rank", "agency", "group", "period", "total", "max_total", "published_rank", "published_total", "note"
)

