"""The ingest batch: walk a folder, extract every report file in parallel, store observations.

Each file is read by the extractor registered for its suffix (`extract`), in a process of its own
(`workers`), so one bad file never stops the batch: any failure becomes a per-file problem and the
rest goes on; each result is stored as soon as it is read.
Agency names are resolved through the optional registry (agencies.csv) and data labels mapped with
the optional label pins (mapping.csv); of one agency's submissions for one period, an earlier one
that a later one repeats is reported as superseded (`Workspace` decides which).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli import groups
from egovcli.agencies import Agency, AgencyRegistry, display_name, infer_group, load_registry, name_from_path
from egovcli.ingest.extract import EXTRACTORS, FORMATS, read_report
from egovcli.ingest.readers.safety import Limits
from egovcli.ingest.walk import file_key, scan, sha256_of, shown_relative
from egovcli.ingest.workers import extract_all
from egovcli.model import Extracted, Observation
from egovcli.problems import Problem, problem
from egovcli.untrusted import storable
from egovcli.workspace import REVIEWED, NewSubmission, StoredFile, Workspace

if TYPE_CHECKING:
    from egovcli.indicators import Matcher

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
    elapsed: float = 0.0  # seconds the whole batch took
    read_seconds: float = 0.0  # the files' reading time added up: ÷ elapsed is the parallel speed-up

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


@dataclass(frozen=True, slots=True)
class _Todo:
    """A file to read: its path, how it is shown, its workspace key, content hash, size and mtime
    (taken before the hash: a file changed meanwhile is read again next time)."""

    path: Path
    shown: str
    key: str
    digest: str
    size: int
    mtime: float


def ingest_folder(
    folder: str | os.PathLike[str],
    workspace: Workspace,
    *,
    period: str | None = None,
    jobs: int | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    agencies: str | os.PathLike[str] | None = None,
    mapping: str | os.PathLike[str] | None = None,
    limits: Limits | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest every report below `folder` into `workspace`; returns a per-file report (folder order).

    `agencies` / `mapping` default to agencies.csv / mapping.csv in `folder` when present. A new
    registry re-reads every file; a new mapping re-maps the stored data rows (no re-reading).
    The folder is walked first (`on_total` is told how many entries it holds); a file whose size
    and modification time are the stored ones is unchanged without being opened, any other is
    hashed and read only when its content changed. Each file is read within `limits` (default
    `Limits()`: size, time, memory…, see `safety`), at most `jobs` at a time, and stored as soon as
    it is read; stored files are committed together (`Workspace.batched`: every 200 files, 2 s, and
    whenever the batch waits for a reader), so a slow file holds up no other and an interrupted run
    keeps every file read before (KeyboardInterrupt stops the workers at once and propagates). A
    file that names no period gets the one period of the folder's other files (`--period`
    overrides all), so it is stored once the batch is read. egov's own outputs (`OUTPUT_MARKER`)
    are skipped. Raises `AgencyRegistryError` / `MappingError` when either file cannot be used.
    """
    started = time.monotonic()
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"Không tìm thấy thư mục: {storable(str(root))}")
    agencies_path = _option_file(agencies, root / AGENCIES_FILE)
    mapping_path = _option_file(mapping, root / MAPPING_FILE)
    registry = load_registry(agencies_path) if agencies_path else AgencyRegistry()
    pins = None
    if mapping_path:  # (the indicators package: loaded only when needed)
        from egovcli.indicators import load_mapping
        pins = load_mapping(mapping_path)
    matchers: list[Matcher] = []

    def matcher() -> Matcher:  # made when first needed (a re-run of unchanged files needs none)
        from egovcli.indicators import Matcher

        if not matchers:
            matchers.append(Matcher(pins))
        return matchers[0]

    mapping_sha256 = sha256_of(mapping_path) if mapping_path else ""
    if (workspace.meta("mapping_sha256") or "") != mapping_sha256:
        workspace.remap_indicators(matcher().match, mapping_sha256=mapping_sha256)
    reread = (workspace.meta("agencies_sha256") or "") != registry.sha256
    not_reports = {file_key(p) for p in (agencies_path, mapping_path) if p}

    report = IngestReport(storable(str(root)))
    order: dict[str, int] = {}  # display name → position in the folder walk: the report's order
    walked: set[str] = set()  # keys of every entry found, for `_forget_deleted`

    def emit(result: FileResult) -> None:
        _emit(report, result, on_file)

    base = os.fspath(root.resolve())
    entries = [(relative, skip, info, storable(os.path.join(base, relative)))
               for relative, skip, info in scan(root)]
    entries = [entry for entry in entries if entry[1] is not None or entry[3] not in not_reports]
    if on_total is not None:
        on_total(len(entries))
    known = {f.path: f for f in workspace.stored_files()}
    todo: list[_Todo] = []
    for relative, skip, info, key in entries:
        shown = shown_relative(relative)
        order.setdefault(shown, len(order))
        walked.add(key)
        if skip is not None:
            emit(FileResult(shown, "skipped", problems=[skip]))
            continue
        if _suffix(relative) not in EXTRACTORS:
            skipped = problem("I-NOT-A-REPORT", file=shown, formats=FORMATS)
            emit(FileResult(shown, "skipped", problems=[skipped]))
            continue
        stored = known.get(key)
        # a stored file stands unless it failed (retried), the registry changed or --period differs
        keep = (stored is not None and not reread and stored.status != "failed"
                and period in (None, stored.period))
        assert info is not None  # (a file to read has its lstat, taken before its hash)
        if keep and stored and (stored.size, stored.mtime) == (info.st_size, info.st_mtime):
            emit(FileResult(shown, "unchanged", stored.agency, stored.period))
            continue
        path = root / relative
        try:
            digest = sha256_of(path)
        except OSError as exc:  # unreadable (permissions) or vanished: nothing to store
            unreadable = problem("E-UNREADABLE", shown, reason=f"{type(exc).__name__}: {exc.strerror}")
            emit(FileResult(shown, "failed", problems=[unreadable]))
            continue
        if keep and stored and stored.sha256 == digest:  # touched, not changed: nothing is written
            emit(FileResult(shown, "unchanged", stored.agency, stored.period))
            continue
        todo.append(_Todo(path, shown, key, digest, info.st_size, info.st_mtime))
    del entries  # (12,000 paths: not kept while the files are read)

    def read(seconds: float) -> None:
        report.read_seconds += seconds

    def idle() -> None:  # waiting for the readers: commit, and read the catalogue meanwhile
        batch.commit()
        matcher()

    waiting: list[tuple[_Todo, Extracted]] = []  # read, but their period depends on the batch
    paths = [item.path for item in todo]
    with workspace.batched() as batch:
        for index, extracted in extract_all(paths, jobs, limits or Limits(), dict(EXTRACTORS), read_report,
                                            on_idle=idle, on_read=read):
            item = todo[index]
            if any(p.code == "I-EGOV-OUTPUT" for p in extracted.problems):
                if item.key in known:  # stored as a report before it was overwritten
                    workspace.delete_submission(item.key)
                own_output = _with_file(extracted.problems[0], item.shown)
                emit(FileResult(item.shown, "skipped", problems=[own_output]))
            elif period is None and not extracted.period and extracted.observations:
                waiting.append((item, extracted))
            else:
                used = period or extracted.period or ""
                emit(_store(workspace, item, extracted, used, registry, matcher(), item.key in known))
        _forget_deleted(workspace, root, known.values(), walked, report, on_file)
        if waiting:
            found, note = _folder_period(workspace, root.resolve(), {item.key for item, _ in waiting})
            for item, extracted in waiting:
                emit(_store(workspace, item, extracted, found, registry, matcher(), item.key in known,
                            _with_file(note, item.shown)))
    if reread:
        workspace.set_meta("agencies_sha256", registry.sha256)
    if registry.lineage is not None:  # a folder ingested without lineage columns leaves the stored one
        workspace.set_lineage(registry.lineage)
    _mark_superseded(workspace, root, report)
    report.files.sort(key=lambda f: order.get(f.file, len(order)))  # removed files last, stable
    report.elapsed = time.monotonic() - started
    return report


def _suffix(relative: str) -> str:
    """The suffix of a file's name, lower-case, as `Path.suffix` tells it ("" for "name." or none)."""
    name = relative.rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _option_file(given: str | os.PathLike[str] | None, default: Path) -> Path | None:
    """The file named by an option, else `default` when it exists."""
    if given is not None:
        return Path(given)
    return default if default.is_file() else None


def _forget_deleted(
    workspace: Workspace,
    root: Path,
    known: Iterable[StoredFile],
    walked: set[str],
    report: IngestReport,
    on_file: Callable[[FileResult], None] | None,
) -> None:
    """Files ingested from this folder before (`known`: stored when the batch began) but deleted
    since: their rows leave the workspace. (A key is a path only when the name is UTF-8: `walked`
    is what tells that a file is there.)"""
    base = storable(str(root.resolve()))
    for sub in known:
        if sub.path not in walked and Path(sub.path).is_relative_to(base) and not Path(sub.path).exists():
            workspace.delete_submission(sub.path)
            _emit(report, FileResult(sub.display_path, "removed", sub.agency, sub.period), on_file)


def _folder_period(workspace: Workspace, base: Path, pending: set[str]) -> tuple[str, Problem]:
    """The period of a file that names none: the one period of the folder's other readable
    submissions (this batch's, committed by now, and earlier ones), with the warning saying so;
    else no period, and a warning listing the periods seen (never a guess between two)."""
    others: dict[str, list[str]] = {}
    for sub in workspace.stored_files():
        mine = Path(sub.path).is_relative_to(base) and sub.path not in pending
        if mine and sub.period and sub.status != "failed":
            others.setdefault(sub.period, []).append(sub.display_path)
    if len(others) == 1:
        ((found, files),) = others.items()
        return found, problem("W-PERIOD-INFERRED", period=found, count=len(files), example=files[0])
    return "", problem("W-NO-PERIOD", periods=", ".join(sorted(others)) or "—")


def _store(
    workspace: Workspace,
    item: _Todo,
    extracted: Extracted,
    period: str,
    registry: AgencyRegistry,
    matcher: Matcher,
    existed: bool,
    period_note: Problem | None = None,
) -> FileResult:
    """Store one file's result (one transaction) under `period`, `existed` telling whether it
    replaces a stored one; `period_note` says how the period was found when the file names none."""
    from egovcli.ingest.layout import unparsed_value  # (the readers' package: a re-run needs none of it)

    shown = item.shown
    problems = [_with_file(p, shown) for p in extracted.problems]
    if display_name(extracted.agency or ""):
        agency = registry.resolve(extracted.agency or "")
    else:  # a guess from the path: never used to decide which submission supersedes which
        guess = name_from_path(shown, registry)  # the file's name unless its folder is one agency's
        agency = registry.find(guess) or Agency(guess, infer_group(guess), "")
        if extracted.observations:
            problems.append(problem("W-NO-AGENCY", file=shown, agency=agency.name))
    if period_note is not None:
        problems.append(period_note)
    if not extracted.observations and all(p.severity == "info" for p in problems):
        problems.append(problem("E-EMPTY", file=shown))
    mapped = unmapped = 0
    row_groups: dict[str, str] = {}
    methods: list[str] = []  # how each row's label was mapped, kept so --unmapped skips reviewed rows
    for obs in extracted.observations:
        _storable(obs)
        if obs.agency:  # a row about another agency (published ranking)
            other = registry.resolve(obs.agency)
            obs.agency = other.name
            row_groups[other.name] = other.group
        methods.append("")
        if obs.kind == "data":
            if not obs.indicator:  # an extractor may know the indicator already
                found = matcher.match(obs.label)
                obs.indicator, methods[-1] = found.indicator, found.method
            if obs.indicator:
                mapped += 1
                if unreadable := unparsed_value(obs, shown):  # every indicator is a number or a yes/no
                    problems.append(unreadable)
            elif methods[-1] not in REVIEWED:  # left for a person, as `egov indicators --unmapped` lists
                unmapped += 1
    problems += _ungrouped(agency, extracted.observations, row_groups, shown)
    problems = [p.about(agency.name) for p in problems]
    workspace.store_submission(NewSubmission(
        path=item.key,
        display_path=shown,
        sha256=item.digest,
        size=item.size,
        mtime=item.mtime,
        agency=agency.name,
        group=agency.group,
        period=period,
        problems=problems,
        observations=extracted.observations,
        agency_key=agency.key,
        doc_date=extracted.doc_date,
        row_groups=row_groups,
        methods=methods,
    ))
    failed = any(p.severity == "error" for p in problems)
    status = "failed" if failed else ("updated" if existed else "new")
    rows = len(extracted.observations)
    return FileResult(shown, status, agency.name, period, rows, mapped, unmapped, problems)


def _ungrouped(agency: Agency, observations: list[Observation], row_groups: dict[str, str],
               shown: str) -> list[Problem]:
    """W-UNKNOWN-GROUP for each agency the file reports on whose name fits no group (never silently
    the first group): the file's own agency, unless every row is about another (a published
    ranking's publisher is not ranked), and each agency a row names."""
    reported = any(not o.agency for o in observations)
    own = [agency.name] if agency.group == groups.UNGROUPED and reported else []
    others = [name for name, group in row_groups.items() if group == groups.UNGROUPED]
    known = ", ".join(f"{group} = {groups.label(group)}" for group in groups.ids())  # what to write
    return [problem("W-UNKNOWN-GROUP", file=shown, agency=name, groups=known)
            for name in dict.fromkeys(own + others)]


_TEXT_FIELDS = ("label", "raw_value", "unit", "ref", "note", "location", "agency")


def _storable(obs: Observation) -> None:
    """A parser may hand back lone surrogates (a broken PDF font map): escaped, since SQLite
    refuses them and one row must not stop the batch."""
    for name in _TEXT_FIELDS:
        setattr(obs, name, storable(getattr(obs, name)))


def _mark_superseded(workspace: Workspace, root: Path, report: IngestReport) -> None:
    """Files that a later submission of the same agency and period repeats are reported as such."""
    base = storable(str(root.resolve()))  # display names are NFC, the paths on disk may not be
    superseded = {s.display_path: s.winner for s in workspace.stored_files(status="superseded")
                  if Path(s.path).is_relative_to(base)}
    for result in report.files:
        if result.status in ("new", "updated", "unchanged") and result.file in superseded:
            result.status, result.superseded_by = "superseded", superseded[result.file]


def _with_file(p: Problem, shown: str) -> Problem:
    """`p` about the file shown as `shown`, its text storable (a message may quote the path)."""
    return p.moved(shown, storable)


def _emit(report: IngestReport, result: FileResult, on_file: Callable[[FileResult], None] | None) -> None:
    report.files.append(result)
    if on_file:
        on_file(result)
