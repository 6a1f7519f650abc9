"""Reading reports into a workspace, and what it holds: open it, ingest a folder, list the values.

Every value keeps where it was read: the source file and the location in it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from egovcli.workspace import Workspace

if TYPE_CHECKING:  # opening a workspace loads no reader, no rule set: `ingest`, `indicator_rows` import them
    from egovcli.ingest import FileResult, IngestReport, Limits
    from egovcli.rules.model import RuleSet

INDICATOR_COLUMNS = (
    "agency",
    "period",
    "indicator",
    "label",
    "raw_value",
    "value",
    "unit",
    "kind",
    "source_file",
    "location",
)
# `egov indicators --unmapped`: each row also names the indicators closest to its label
UNMAPPED_COLUMNS = (*INDICATOR_COLUMNS, "candidates")

def open_workspace(
    path: str | os.PathLike[str] | None = None, *, readonly: bool = False, create: bool = False
) -> Workspace:
    """Open the workspace at `path` (None: $EGOV_WORKSPACE, else ./egov.sqlite); use it as a context
    manager (`with api.open_workspace(…) as ws:`) to close it. Only `create` may make a new one
    (`ws.created` then says so); `readonly` takes no write lock. WorkspaceError when it is missing,
    foreign, of another egov version or locked."""
    from egovcli.workspace import resolve_path

    return Workspace(resolve_path(os.fspath(path) if path is not None else None), readonly=readonly,
                     create=create)


def ingest(
    ws: Workspace,
    folder: str | os.PathLike[str],
    *,
    period: str | None = None,
    jobs: int | None = None,
    agencies: str | os.PathLike[str] | None = None,
    mapping: str | os.PathLike[str] | None = None,
    limits: Limits | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestReport:
    """Read every report below `folder` into `ws`, each value with its file and location; one
    `FileResult` per file (status, agency, period, counts, problems), the time taken (`elapsed`)
    and the files' reading time added up (`read_seconds`). `agencies` / `mapping` default to the
    folder's agencies.csv / mapping.csv; `limits` (default `Limits()`) bound what one file may
    cost; `on_total` is told how many entries the folder holds before any is read, `on_file` is
    called as each file is stored. A file that cannot be read is a result with status "failed",
    never an exception; AgencyRegistryError / MappingError when the registry or mapping cannot be
    used, WorkspaceError when the workspace stays locked."""
    from egovcli.ingest import ingest_folder

    return ingest_folder(folder, ws, period=period, jobs=jobs, on_file=on_file, agencies=agencies,
                         mapping=mapping, limits=limits, on_total=on_total)


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One stored value (`egov indicators`): the agency and period it is about, its canonical
    indicator ("" when unmapped), the text as submitted and the value read, and where it was read
    (`source_file`, `location`: "Sheet!E12", "trang 3, bảng 1, dòng 4, cột 5"…)."""

    agency: str
    period: str
    indicator: str
    label: str
    raw_value: str
    value: float | None
    unit: str
    kind: str
    source_file: str
    location: str
    # unmapped rows: the closest indicators, best first, as "id «name» (similarity 0–100)"; None: not asked
    candidates: tuple[str, ...] | None = None

    def as_dict(self) -> dict[str, object]:
        row: dict[str, object] = {c: getattr(self, c) for c in INDICATOR_COLUMNS}
        if self.candidates is not None:
            row["candidates"] = list(self.candidates)
        return row


def indicator_rows(
    ws: Workspace, *, unmapped: bool = False, rules: RuleSet | None = None
) -> list[IndicatorRow]:
    """Every stored observation as an indicator row, its label mapped as a scoring run with `rules`
    maps it (the rule set's own indicators too, `RuleSet.indicators`). unmapped=True: only data rows
    with no indicator that nobody has reviewed — a catalogue `not_indicators` label or a label pinned
    to none is a decision already made — each with its `candidates` (UNMAPPED_COLUMNS)."""
    from egovcli.api.indicators import relabel, rules_matcher

    matcher = rules_matcher(rules) if unmapped else None
    rows = []
    for so in ws.observations(unreviewed=unmapped, relabel=relabel(rules)):
        candidates = None
        if matcher is not None:
            known = matcher.known
            candidates = tuple(f"{m.indicator} «{known[m.indicator].name}» ({m.score:g})"
                               for m in matcher.candidates(so.obs.label))
        rows.append(IndicatorRow(so.agency, so.period, so.obs.indicator, so.obs.label, so.obs.raw_value,
                                 so.obs.value, so.obs.unit, so.obs.kind, so.source_file, so.obs.location,
                                 candidates))
    return rows
