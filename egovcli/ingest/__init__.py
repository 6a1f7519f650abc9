"""Ingest stage: walk a folder, extract every report file in parallel, store observations.

Each file is read by the extractor registered for its suffix (`EXTRACTORS`), in a worker process,
so one bad file never stops the batch: any failure becomes a per-file problem and the rest goes on.
Agency names are resolved through the optional registry (agencies.csv) and data labels mapped with
the optional label pins (mapping.csv); of one agency's submissions for one period only the latest
counts, the others are reported as superseded (`Workspace` decides which).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli.agencies import Agency, AgencyRegistry, display_name, infer_group, load_registry, name_from_path
from egovcli.model import Extracted
from egovcli.problems import Problem, problem
from egovcli.workspace import Workspace

if TYPE_CHECKING:
    from egovcli.indicators import Matcher

# suffix → module exposing `extract(path: Path) -> Extracted`; imported only when a file needs it.
EXTRACTORS = {
    ".xlsx": "egovcli.ingest.xlsx",
    ".docx": "egovcli.ingest.docx",
    ".pdf": "egovcli.ingest.pdf",
    **dict.fromkeys((".xls", ".xlsm", ".ods", ".doc", ".odt", ".rtf"), "egovcli.ingest.legacy"),
}
_FORMATS = ", ".join(EXTRACTORS)
AGENCIES_FILE = "agencies.csv"  # used by default when found in the ingested folder; never a report
MAPPING_FILE = "mapping.csv"


@dataclass(slots=True)
class FileResult:
    """What happened to one file of the batch."""

    file: str
    status: str  # new | updated | unchanged | superseded | failed | skipped | removed
    agency: str = ""
    period: str = ""
    rows: int = 0
    mapped: int = 0
    unmapped: int = 0
    problems: list[Problem] = field(default_factory=list)
    superseded_by: str = ""  # the later file of the same agency and period that counts instead

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "agency": self.agency,
            "period": self.period,
            "rows": self.rows,
            "mapped": self.mapped,
            "unmapped": self.unmapped,
            "problems": [p.as_dict() for p in self.problems],
            "superseded_by": self.superseded_by,
        }


@dataclass(slots=True)
class IngestReport:
    folder: str
    files: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def counts(self) -> dict[str, int]:
        """Number of files per status."""
        counts: dict[str, int] = {}
        for f in self.files:
            counts[f.status] = counts.get(f.status, 0) + 1
        return counts

    def as_dict(self) -> dict[str, object]:
        return {"folder": self.folder, "counts": self.counts, "files": [f.as_dict() for f in self.files]}


def discover(folder: Path) -> Iterator[Path]:
    """Regular files below `folder` in a stable order; Office lock files (~$…) and hidden files skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(("~$", ".")):
                continue
            path = Path(root, name)
            if path.is_file() and not path.is_symlink():
                yield path


def extract_file(path: Path) -> Extracted:
    """Run the registered extractor; any exception becomes an E-UNREADABLE problem."""
    try:
        module = import_module(EXTRACTORS[path.suffix.lower()])
        result: Extracted = module.extract(path)
        return result
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
        reason = f"{type(exc).__name__}: {exc}".strip()
        return Extracted(problems=[problem("E-UNREADABLE", file=str(path), reason=reason[:300])])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest_folder(
    folder: str | os.PathLike[str],
    workspace: Workspace,
    *,
    period: str | None = None,
    jobs: int | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    agencies: str | os.PathLike[str] | None = None,
    mapping: str | os.PathLike[str] | None = None,
) -> IngestReport:
    """Ingest every report below `folder` into `workspace`; returns a per-file report.

    `agencies` / `mapping` default to agencies.csv / mapping.csv in `folder` when present. A new
    registry re-reads every file; a new mapping re-maps the stored data rows (no re-reading).
    Raises `AgencyRegistryError` / `MappingError` when either file cannot be used.
    """
    from egovcli.indicators import Matcher, load_mapping

    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"Không tìm thấy thư mục: {root}")
    agencies_path = _option_file(agencies, root / AGENCIES_FILE)
    mapping_path = _option_file(mapping, root / MAPPING_FILE)
    registry = load_registry(agencies_path) if agencies_path else AgencyRegistry()
    matcher = Matcher(load_mapping(mapping_path) if mapping_path else None)
    mapping_sha256 = sha256_of(mapping_path) if mapping_path else ""
    if (workspace.meta("mapping_sha256") or "") != mapping_sha256:
        workspace.remap_indicators(
            lambda label: matcher.match(label).indicator, mapping_sha256=mapping_sha256
        )
    reread = (workspace.meta("agencies_sha256") or "") != registry.sha256
    not_reports = {p.resolve() for p in (agencies_path, mapping_path) if p}

    report = IngestReport(str(root))
    todo: list[tuple[Path, str, str]] = []
    for path in discover(root):
        if path.resolve() in not_reports:
            continue
        shown = path.relative_to(root).as_posix()
        if path.suffix.lower() not in EXTRACTORS:
            skipped = problem("I-NOT-A-REPORT", file=shown, formats=_FORMATS)
            _emit(report, FileResult(shown, "skipped", problems=[skipped]), on_file)
            continue
        digest = sha256_of(path)
        stored = workspace.submission(str(path.resolve()))
        unchanged = stored and stored.sha256 == digest and stored.status != "failed"  # failures are retried
        if unchanged and stored and not reread and (period is None or period == stored.period):
            _emit(report, FileResult(shown, "unchanged", stored.agency, stored.period), on_file)
            continue
        todo.append((path, shown, digest))

    for (path, shown, digest), extracted in zip(
        todo, _extract_all([p for p, _, _ in todo], jobs), strict=True
    ):
        result = _store(workspace, path, shown, digest, extracted, period, registry, matcher)
        _emit(report, result, on_file)
    _forget_deleted(workspace, root, report, on_file)
    if reread:
        workspace.set_meta("agencies_sha256", registry.sha256)
    _mark_superseded(workspace, root, report)
    return report


def _option_file(given: str | os.PathLike[str] | None, default: Path) -> Path | None:
    """The file named by an option, else `default` when it exists."""
    if given is not None:
        return Path(given)
    return default if default.is_file() else None


def _forget_deleted(
    workspace: Workspace, root: Path, report: IngestReport, on_file: Callable[[FileResult], None] | None
) -> None:
    """Files ingested from this folder before but deleted since: their rows leave the workspace."""
    base = root.resolve()
    for sub in workspace.submissions():
        path = Path(sub.path)
        if path.is_relative_to(base) and not path.exists():
            workspace.delete_submission(sub.path)
            _emit(report, FileResult(sub.display_path, "removed", sub.agency, sub.period), on_file)


def _extract_all(paths: list[Path], jobs: int | None) -> Iterator[Extracted]:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    if workers == 1:
        yield from map(extract_file, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(extract_file, paths)


def _store(
    workspace: Workspace,
    path: Path,
    shown: str,
    digest: str,
    extracted: Extracted,
    period: str | None,
    registry: AgencyRegistry,
    matcher: Matcher,
) -> FileResult:
    problems = [_with_file(p, shown) for p in extracted.problems]
    if display_name(extracted.agency or ""):
        agency = registry.resolve(extracted.agency or "")
    else:  # a guess from the path: never used to decide which submission supersedes which
        guess = name_from_path(shown)
        agency = registry.find(guess) or Agency(guess, infer_group(guess), "")
        if extracted.observations:
            problems.append(problem("W-NO-AGENCY", file=shown, agency=agency.name))
    found_period = period or extracted.period or ""
    if not found_period and extracted.observations:
        problems.append(problem("W-NO-PERIOD", file=shown))
    if not extracted.observations and all(p.severity == "info" for p in problems):
        problems.append(problem("E-EMPTY", file=shown))
    mapped = unmapped = 0
    row_groups: dict[str, str] = {}
    for obs in extracted.observations:
        if obs.agency:  # a row about another agency (published ranking)
            other = registry.resolve(obs.agency)
            obs.agency = other.name
            row_groups[other.name] = other.group
        if obs.kind == "data":
            obs.indicator = obs.indicator or matcher.match(obs.label).indicator
            if obs.indicator:
                mapped += 1
            else:
                unmapped += 1
    stat = path.stat()
    existed = workspace.submission(str(path.resolve())) is not None
    workspace.store_submission(
        path=str(path.resolve()),
        display_path=shown,
        sha256=digest,
        size=stat.st_size,
        mtime=stat.st_mtime,
        agency=agency.name,
        group=agency.group,
        period=found_period,
        problems=problems,
        observations=extracted.observations,
        agency_key=agency.key,
        doc_date=extracted.doc_date,
        row_groups=row_groups,
    )
    failed = any(p.severity == "error" for p in problems)
    status = "failed" if failed else ("updated" if existed else "new")
    return FileResult(
        shown, status, agency.name, found_period, len(extracted.observations), mapped, unmapped, problems
    )


def _mark_superseded(workspace: Workspace, root: Path, report: IngestReport) -> None:
    """Files that a later submission of the same agency and period replaces are reported as such."""
    for result in report.files:
        if result.status in ("new", "updated", "unchanged"):
            stored = workspace.submission(str((root / result.file).resolve()))
            if stored and stored.status == "superseded":
                result.status, result.superseded_by = "superseded", stored.superseded_by


def _with_file(p: Problem, shown: str) -> Problem:
    return Problem(p.code, p.severity, p.message, shown, p.location)


def _emit(report: IngestReport, result: FileResult, on_file: Callable[[FileResult], None] | None) -> None:
    report.files.append(result)
    if on_file:
        on_file(result)
