"""Plain data passed between the stages: ingest → indicators → score → rank → render."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from egovcli.problems import Problem


@dataclass(slots=True)
class Observation:
    """One value read from a submitted file, with where it came from.

    `indicator` is a canonical indicator id (kind = data) or a criterion path such as "II.1.7",
    a section "II" / "II.1" or "TOTAL" (kind = self_score / published_score); "" when unmapped.
    `ref` is the row number (TT) exactly as printed. `max_points` is the printed maximum of a
    criteria-table row. `location` is "Sheet!E12", "bảng 2, dòng 5, cột 5", "đoạn 14" or
    "trang 3, bảng 1, dòng 4, cột 5". `raw_value` is the text as submitted (NFC); a row found with
    its value cell blank has `raw_value` "" and `value` None (missing, never 0), a text answer
    ("Đang xây dựng") its text and `value` None.
    """

    label: str
    raw_value: str
    value: float | None
    kind: str = "data"
    unit: str = ""
    indicator: str = ""
    ref: str = ""
    max_points: float | None = None
    denominator: float | None = None
    note: str = ""
    location: str = ""
    agency: str = ""  # the agency a row is about when a file covers many (published rankings)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class Extracted:
    """What one extractor read from one file."""

    observations: list[Observation] = field(default_factory=list)
    agency: str | None = None
    period: str | None = None
    problems: list[Problem] = field(default_factory=list)
    doc_date: str | None = None  # the document's own date (ISO yyyy-mm-dd), e.g. "ngày 5 tháng 3 năm 2020"


@dataclass(slots=True)
class SourcedObservation:
    """An observation as stored in the workspace: with its agency, period and source file."""

    agency: str
    group: str
    period: str
    source_file: str
    obs: Observation
    registered: bool = False  # the agency is one of agencies.csv's (its group there decides)
