"""What the workspace stores of one file: the record ingest hands in, the one it reads back, and
the status its problems give it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from egovcli.model import Observation
from egovcli.problems import Problem


@dataclass(slots=True)
class Submission:
    """A stored submission (one file)."""

    id: int
    path: str
    display_path: str
    sha256: str
    agency: str
    group: str
    period: str
    status: str
    problems: list[dict[str, object]]  # as Problem.as_dict() stored them
    mtime: float = 0.0
    agency_key: str = ""
    doc_date: str | None = None
    superseded_by: str = ""  # display path of the submission that replaces this one


class StoredFile(NamedTuple):
    """A stored submission as ingest sees it: whether its file changed (sha256, size, mtime), what it
    was reported as, and the display path of the submission superseding it ("" for none)."""

    path: str
    display_path: str
    sha256: str
    size: int
    mtime: float
    status: str
    agency: str
    period: str
    winner: str


@dataclass(frozen=True, slots=True)
class NewSubmission:
    """One file's result, as ingest hands it to `Workspace.store_submission`.

    `path` (absolute) is the submission's identity, `display_path` how users see it; `row_groups`
    gives the group of each other agency that rows are about (`Observation.agency`); `methods`, for
    each observation in order, how its label was mapped (`Match.method`; data rows)."""

    path: str
    display_path: str
    sha256: str
    size: int
    mtime: float
    agency: str
    group: str
    period: str
    problems: Sequence[Problem]
    observations: Iterable[Observation]
    agency_key: str = ""
    doc_date: str | None = None
    row_groups: Mapping[str, str] = field(default_factory=dict)
    methods: Sequence[str] = ()


def submission_status(problems: Iterable[Mapping[str, object]]) -> str:
    """ok | warning | failed, from the severities of a submission's problems."""
    severities = {p["severity"] for p in problems}
    return "failed" if "error" in severities else "warning" if "warning" in severities else "ok"
