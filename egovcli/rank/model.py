"""A ranked agency: the export contract of `egov rank`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class RankRow:
    rank: int
    agency: str
    group: str  # department | district
    period: str
    total: float
    max_total: float
    level: str = ""  # xếp loại, when the rule set declares levels
    sections: dict[str, float] = field(default_factory=dict)  # section id → points

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
