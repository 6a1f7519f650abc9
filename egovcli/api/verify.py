"""Published rankings checked for scripts and `egov verify`: `verify_file` reads a ranking (any
report format or a saved web page) in a reading process and checks it against itself and, when
given, a rule set (`egovcli.verify`); `parse_columns` reads `--columns`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from egovcli.agencies import AgencyRegistry
from egovcli.api.columns import REBUILT_COLUMNS
from egovcli.api.outputs import problem_record
from egovcli.ingest.layout.given import Columns
from egovcli.model import SourcedObservation
from egovcli.problems import EgovError, Location, Problem, problem
from egovcli.rank.model import RankRow
from egovcli.rules.model import RuleSet
from egovcli.verify import Finding


class NothingToVerifyError(EgovError):
    """`egov verify` on a file with no published ranking table; the message says why."""

    code = "E-NOTHING-TO-VERIFY"


@dataclass(frozen=True, slots=True)
class RebuiltRow:
    """One agency of the overall ranking rebuilt from a published document's criterion cells,
    beside what the document prints for it; `note` says whether they agree, else why not."""

    ranked: RankRow
    published_rank: float | None
    published_total: float | None
    note: str

    def as_dict(self) -> dict[str, object]:
        return {**self.ranked.as_dict(), "published_rank": self.published_rank,
                "published_total": self.published_total, "note": self.note}


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """A published ranking checked (`egov verify`): every finding (over_max, total_mismatch,
    rank_mismatch, missing_value) at its cell, and the overall ranking rebuilt from the cells."""

    rules: RuleSet | None  # None: the table checked against itself (ranks, order, ties, printed sums)
    file: str
    cells: int  # published cells read
    findings: list[Finding]
    rebuilt: list[RankRow]  # the overall ranking per group, rebuilt from the criterion cells
    printed: dict[str, dict[str, float | None]]  # agency key → its printed TOTAL, RANK (one group each)
    notes: list[Problem] = field(default_factory=list)  # I-VERIFY-UNCHECKED: what could not be checked

    def finding_rows(self) -> list[dict[str, object]]:
        """The findings as export rows (VERIFY_COLUMNS), each with its problem object (code, message,
        location…) beside the finding's own fields, as every command's JSON has it."""
        return [problem_record(f.problem(), **f.as_dict()) for f in self.findings]

    def as_dict(self) -> dict[str, object]:
        """What `egov verify --format json` writes: the file, rule set, cells read, findings and the
        rebuilt ranking (with each agency's section points)."""
        return {
            "file": self.file,
            "rules": self.rules.name if self.rules else None,
            "cells": self.cells,
            "findings": self.finding_rows(),
            "notes": [problem_record(note) for note in self.notes],
            "rebuilt_ranking": [
                {c: row[c] for c in (*REBUILT_COLUMNS, "sections")}
                for row in (r.as_dict() for r in self.rebuilt_rows())
            ],
        }

    def rebuilt_rows(self) -> list[RebuiltRow]:
        """The rebuilt ranking beside the printed overall table (when the document has one); `note`
        says whether they agree, else why not (the findings about that row)."""
        from egovcli.agencies import agency_key

        rows: list[RebuiltRow] = []
        for r in self.rebuilt:
            printed = self.printed.get(agency_key(r.agency), {})
            rank, total = printed.get("RANK"), printed.get("TOTAL")
            if not printed:
                note = "không có bảng xếp hạng chung in sẵn"
            elif rank == r.rank and total is not None and abs(total - r.total) < 0.05:
                note = "khớp bảng in"
            else:
                why = [f.explanation for f in self.findings
                       if agency_key(f.agency) == agency_key(r.agency) and f.item in ("TOTAL", "RANK")]
                note = " ".join(why) or "khác bảng in"
            rows.append(RebuiltRow(r, rank, total, note))
        return rows


_COLUMN_ROLES = ("agency", "total", "rank", "components")


def parse_columns(specs: list[str]) -> Columns | None:
    """`egov verify --columns` as given: "role=column" pairs separated by ";" (or given one per
    option), role one of agency, total, rank, components; a column is its letter ("B") or its
    header text ("Chỉ số DTI"); components are several, separated by "|" ("C|D|E") or a range of
    letters ("C:E"). None when nothing is given; UsageError for anything else."""
    from egovcli.problems import UsageError

    given: dict[str, str] = {}
    for spec in specs:
        for part in (p.strip() for p in spec.split(";")):
            if not part:
                continue
            role, sep, column = part.partition("=")
            role = role.strip().lower()
            if not sep or role not in _COLUMN_ROLES or not column.strip():
                raise UsageError(
                    f"--columns: «{part}» không rõ; viết vai trò=cột, vai trò là {', '.join(_COLUMN_ROLES)}, "
                    'ví dụ --columns "agency=B; total=Chỉ số DTI; rank=A; components=C:E".'
                )
            given[role] = column.strip()
    if not given:
        return None
    parts = given.get("components", "")
    if re.fullmatch(r"[A-Z]{1,2}:[A-Z]{1,2}", parts):
        first, last = (ord(p[-1]) for p in parts.split(":"))
        components = tuple(chr(c) for c in range(first, last + 1))
    else:
        components = tuple(p.strip() for p in parts.split("|") if p.strip())
    return Columns(given.get("agency", ""), given.get("total", ""), given.get("rank", ""), components)


def verify_file(
    path: Path, rules: RuleSet | None = None, *, agencies: Path | None = None, columns: Columns | None = None
) -> VerifyResult:
    """Check a published ranking (PDF, xlsx, docx, a saved web page…) against itself and, when given,
    a rule set: findings, what could not be checked, and the overall ranking rebuilt from its
    criterion cells. `columns` names the agency/total/rank/component columns when egov does not
    find them. Raises AgencyRegistryError for an unusable registry, NothingToVerifyError when the
    file holds no published table (saying which tables it saw), RulesMisfitError when the rule set
    does not fit the table."""
    from egovcli.agencies import agency_key, load_registry
    from egovcli.ingest.ranking import read_ranking
    from egovcli.verify import check_published, rebuild_overall

    registry = load_registry(agencies) if agencies else AgencyRegistry()
    extracted = read_ranking(path, columns)
    cells: list[SourcedObservation] = []
    for obs in extracted.observations:
        if obs.kind == "published_score" and obs.agency:
            agency = registry.resolve(obs.agency)
            obs.agency = agency.name
            period = extracted.period or ""
            cells.append(SourcedObservation(agency.name, agency.group, period, path.name, obs))
    if not cells:
        errors = "; ".join(p.message for p in extracted.problems if p.severity == "error")
        seen = "; ".join(p.message for p in extracted.problems if p.code == "I-TABLES-SEEN")
        why = errors or (
            "không tìm thấy bảng điểm xếp hạng nào (cột tên cơ quan/địa phương, điểm hoặc chỉ số, xếp hạng)"
            + (f". {seen}" if seen else "; tệp không có bảng nào")
            + '. Chỉ rõ cột bằng --columns "agency=B; total=F; rank=A" (chữ cột, hoặc chữ tiêu đề cột).'
        )
        raise NothingToVerifyError(why, where=Location(str(path)))
    printed: dict[str, dict[str, float | None]] = {}
    for so in cells:
        if so.obs.indicator in ("TOTAL", "RANK"):
            printed.setdefault(agency_key(so.agency), {})[so.obs.indicator] = so.obs.value
    checked = check_published(cells, rules)
    findings, rebuilt = checked.findings, rebuild_overall(cells, rules)
    notes = [problem("I-VERIFY-UNCHECKED", where=Location(path.name), message=note) for note in checked.notes]
    return VerifyResult(rules, path.name, len(cells), findings, rebuilt, printed, notes)
