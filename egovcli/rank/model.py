"""A ranked agency: the export contract of `egov rank`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class RankRow:
    rank: int
    agency: str
    group: str  # an agency group id (`egovcli.groups`): department, district
    group_label: str  # the group's heading, as the rule set titles it: "UBND xã, phường, đặc khu"
    period: str
    total: float
    max_total: float
    level: str = ""  # xếp loại, when the rule set declares levels
    sections: dict[str, float] = field(default_factory=dict)  # section id → points
    # the same agency in the previous period of the same kind (2021 for 2022, 2020-Q1 for 2020-Q2)
    previous_period: str = ""
    previous_rank: int | None = None
    rank_change: int | None = None  # previous_rank − rank: positive = moved up
    previous_total: float | None = None
    total_change: float | None = None  # total − previous_total

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
