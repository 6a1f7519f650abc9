"""A ranked agency: the export contract of `egov rank`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# previous_basis: what a row's previous_* columns compare with ("" = nothing)
SAME, RENAMED, MERGED_MEAN = "same_agency", "renamed", "merged_mean"


@dataclass(slots=True)
class RankRow:
    rank: int
    agency: str
    group: str  # an agency group id (`egovcli.groups`): department, district
    period: str
    total: float
    max_total: float
    group_label: str = ""  # the group's heading, as the rule set titles it: "UBND xã, phường, đặc khu"
    level: str = ""  # xếp loại, when the rule set declares levels
    sections: dict[str, float] = field(default_factory=dict)  # section id → points
    index: float | None = None  # `result: index`: total ÷ max_total, 0–1, at the rule set's decimals
    section_indices: dict[str, float] = field(default_factory=dict)  # `result: index`: section id → index
    # the same agency in the previous period of the same kind (2021 for 2022, 2020-Q1 for 2020-Q2)
    previous_period: str = ""
    previous_rank: int | None = None
    rank_change: int | None = None  # previous_rank − rank: positive = moved up
    previous_total: float | None = None
    total_change: float | None = None  # total − previous_total
    # what previous_* compare with (rank.previous): "same_agency", "renamed", "merged_mean" (the mean of
    # the predecessors' totals; no previous rank), "" for nothing; the predecessors or former names;
    # and the comparison in words ("hợp nhất từ UBND xã A, UBND xã B (trung bình)", "trước đây: …")
    previous_basis: str = ""
    predecessors: list[str] = field(default_factory=list)
    previous_note: str = ""
    # `egov rank --robustness N`: the 5th and 95th percentile of the agency's rank over N draws of
    # perturbed section weights (egovcli.rank.robustness); None when not computed
    rank_low: int | None = None
    rank_high: int | None = None

    @property
    def rank_interval(self) -> str:
        """The rank interval as printed: "3–7", "1" when every draw gives one rank, "" when not computed."""
        if self.rank_low is None or self.rank_high is None:
            return ""
        return str(self.rank_low) if self.rank_low == self.rank_high else f"{self.rank_low}–{self.rank_high}"

    def as_dict(self) -> dict[str, object]:
        """The fields in order, as `dataclasses.asdict` gives them but without its recursive deep copy
        (a national ranking writes 12,000 rows): its dicts and lists hold only numbers and text."""
        row = {name: getattr(self, name) for name in _FIELDS}
        row["sections"], row["section_indices"] = dict(self.sections), dict(self.section_indices)
        row["predecessors"] = list(self.predecessors)
        return row


_FIELDS = tuple(f.name for f in fields(RankRow))
