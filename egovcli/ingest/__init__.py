"""Ingest stage: walk a folder, extract every report file in parallel, store observations.

Each file is read by the extractor registered for its suffix (`EXTRACTORS`), in a worker process,
so one bad file never stops the batch: any failure becomes a per-file problem and the rest goes on.
Agency names are resolved through the optional registry (agencies.csv) and data labels mapped with
the optional label pins (mapping.csv); of one agency's submissions for one period, an earlier one
that a later one repeats is reported as superseded (`Workspace` decides which).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli.agencies import Agency, AgencyRegistry, display_name, infer_group, load_registry, name_from_path
from egovcli.ingest import legacy, safety
from egovcli.ingest.layout import unparsed_value
from egovcli.ingest.safety import Limits
from egovcli.model import Extracted
from egovcli.problems import Problem, problem
from egovcli.workspace import REVIEWED, Workspace

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


def walk(folder: Path) -> Iterator[tuple[Path, Problem | None]]:
    """Every entry below `folder` in a stable order, with why it is skipped (None: a file to read).

    Only regular files are read (checked with lstat, so a link never leads outside the folder);
    links, FIFOs, sockets and devices, and Office lock files (~$…) are skipped with a note;
    hidden files and folders (.DS_Store, .git) silently. Folders are never followed through links.
    """
    for root, dirs, files in os.walk(folder):
        names = sorted(files)
        names += sorted(d for d in dirs if not d.startswith(".") and os.path.islink(os.path.join(root, d)))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in names)
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root, name)
            shown = _shown(path, folder)
            if name.startswith("~$"):
                yield path, problem("I-LOCK-FILE", shown)
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:  # vanished while walking
                continue
            if stat.S_ISLNK(mode):
                yield path, problem("I-SKIPPED-LINK", shown, target=os.readlink(path))
            elif not stat.S_ISREG(mode):
                kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "thiết bị"
                yield path, problem("I-SKIPPED-SPECIAL", shown, kind=kind)
            else:
                yield path, None


def _shown(path: Path, root: Path) -> str:
    """How a file is named in reports: relative to the folder, Unicode NFC (macOS writes NFD names)."""
    return unicodedata.normalize("NFC", path.relative_to(root).as_posix())


def extract_file(
    path: Path, limits: Limits | None = None, extractors: dict[str, str] | None = None
) -> Extracted:
    """Read one file within `limits`: refuse it by size or real type, else run the extractor that
    `extractors` (default `EXTRACTORS`) registers for its suffix — or for its real type when the
    extension is wrong. Nothing raises: every failure is a problem with a category."""
    limits = limits or Limits()
    extractors = extractors or EXTRACTORS
    file = str(path)
    try:
        with safety.applied(limits):
            size = path.stat().st_size
            if size == 0:
                return _failed(problem("E-EMPTY-FILE", file))
            if size > limits.max_file_mb * (1 << 20):
                limit = f"{limits.max_file_mb:g} MB"
                return _failed(safety.too_large(file, "dung lượng tệp", safety.megabytes(size), limit))
            suffix = path.suffix.lower()
            if suffix not in safety.SUFFIX_KINDS:  # a format without content checks
                return _run(extractors[suffix], path)
            kind = safety.sniff(path)
            if kind in safety.SUFFIX_KINDS[suffix]:
                return _run(extractors[suffix], path)
            return _wrong_type(path, suffix, kind, extractors)
    except MemoryError:
        return _failed(safety.too_large(file, "bộ nhớ cần để đọc", "quá mức", f"{limits.max_memory_mb} MB"))
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
        return _failed(_exception_problem(file, exc))


def _run(module: str, path: Path) -> Extracted:
    result: Extracted = import_module(module).extract(path)
    return result


def _wrong_type(path: Path, suffix: str, kind: str, extractors: dict[str, str]) -> Extracted:
    """A file whose content is not what its extension says: read as what it is, or explain."""
    file, actual = str(path), safety.KIND_NAMES[kind]
    if kind == "encrypted":
        return _failed(problem("E-ENCRYPTED", file, kind="Office"))
    if kind == "zip-broken":
        return _failed(problem("E-UNREADABLE", file, reason="tệp nén bị cắt cụt hoặc hỏng"))
    if kind == "unknown":
        reason = f"nội dung không phải tệp {suffix} hợp lệ (tệp hỏng hoặc không đầy đủ)"
        return _failed(problem("E-UNREADABLE", file, reason=reason))
    if kind in ("html", "text"):  # web-system exports: LibreOffice reads them, if installed
        readable = suffix != ".pdf" and legacy.soffice() is not None
        real = "" if not readable else ".doc" if suffix in _WORDISH else ".xls"
    elif kind == "ole":  # Office 97-2003, Word or Excel not told apart
        real = ".doc" if suffix in _WORDISH else ".xls"
    else:
        real = safety.KIND_SUFFIX.get(kind, "")
    if not real or real not in extractors:
        advice = _ADVICE.get(kind, _ADVICE[""])
        return _failed(problem("E-WRONG-TYPE", file, suffix=suffix, actual=actual, advice=advice))
    with tempfile.TemporaryDirectory(prefix="egov-alias-") as tmp:
        alias = Path(tmp, f"input{real}")
        alias.symlink_to(path.resolve())
        extracted = _run(extractors[real], alias)
    extracted.problems = [
        replace(p, file=file, message=p.message.replace(str(alias), path.name)) for p in extracted.problems
    ]
    extracted.problems.insert(0, problem("W-WRONG-EXTENSION", file, suffix=suffix, actual=actual))
    return extracted


_WORDISH = (".doc", ".docx", ".odt", ".rtf")
_ADVICE = {
    "html": "đây là trang web xuất từ phần mềm; hãy mở bằng Excel rồi chọn Lưu thành → Sổ làm việc"
    " Excel (.xlsx), hoặc cài LibreOffice để egov tự chuyển",
    "text": "hãy đề nghị cơ quan gửi đúng tệp báo cáo (.xlsx, .docx hoặc .pdf)",
    "image": "ảnh chụp/quét không có số liệu đọc được; hãy đề nghị cơ quan gửi tệp gốc (.xlsx, .docx"
    " hoặc .pdf có chữ)",
    "zip": "hãy giải nén rồi đặt các tệp báo cáo bên trong vào thư mục",
    "": "hãy mở tệp bằng phần mềm phù hợp và lưu lại đúng định dạng",
}


def _exception_problem(file: str, exc: BaseException) -> Problem:
    """The problem an extractor's exception means: a password the reader asked for, or a broken file."""
    text = f"{type(exc).__name__}: {exc}".strip()
    if "password" in text.lower():  # e.g. calamine on a protected .xls
        return problem("E-ENCRYPTED", file, kind=Path(file).suffix.lstrip(".").upper())
    return problem("E-UNREADABLE", file, reason=text[:300])


def _failed(p: Problem) -> Extracted:
    return Extracted(problems=[p])


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
    limits: Limits | None = None,
) -> IngestReport:
    """Ingest every report below `folder` into `workspace`; returns a per-file report.

    `agencies` / `mapping` default to agencies.csv / mapping.csv in `folder` when present. A new
    registry re-reads every file; a new mapping re-maps the stored data rows (no re-reading).
    Each file is read within `limits` (default `Limits()`: size, time, memory…, see `safety`).
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
        workspace.remap_indicators(matcher.match, mapping_sha256=mapping_sha256)
    reread = (workspace.meta("agencies_sha256") or "") != registry.sha256
    not_reports = {p.resolve() for p in (agencies_path, mapping_path) if p}

    report = IngestReport(str(root))
    todo: list[tuple[Path, str, str]] = []
    for path, skip in walk(root):
        shown = _shown(path, root)
        if skip is not None:
            _emit(report, FileResult(shown, "skipped", problems=[skip]), on_file)
            continue
        if path.resolve() in not_reports:
            continue
        if path.suffix.lower() not in EXTRACTORS:
            skipped = problem("I-NOT-A-REPORT", file=shown, formats=_FORMATS)
            _emit(report, FileResult(shown, "skipped", problems=[skipped]), on_file)
            continue
        try:
            digest = sha256_of(path)
        except OSError as exc:  # unreadable (permissions) or vanished: nothing to store
            unreadable = problem("E-UNREADABLE", shown, reason=f"{type(exc).__name__}: {exc.strerror}")
            _emit(report, FileResult(shown, "failed", problems=[unreadable]), on_file)
            continue
        stored = workspace.submission(str(path.resolve()))
        unchanged = stored and stored.sha256 == digest and stored.status != "failed"  # failures are retried
        if unchanged and stored and not reread and (period is None or period == stored.period):
            _emit(report, FileResult(shown, "unchanged", stored.agency, stored.period), on_file)
            continue
        todo.append((path, shown, digest))

    extracted_all = _extract_all([p for p, _, _ in todo], jobs, limits or Limits(), dict(EXTRACTORS))
    for (path, shown, digest), extracted in zip(todo, extracted_all, strict=True):
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


# the heavy libraries each extractor imports when it first reads a file
_LIBRARIES = {
    "egovcli.ingest.xlsx": ("python_calamine", "egovcli.ingest.xlsx"),
    "egovcli.ingest.docx": ("docx", "egovcli.ingest.docx"),
    "egovcli.ingest.pdf": ("pdfplumber", "egovcli.ingest.pdf"),
    "egovcli.ingest.legacy": ("python_calamine", "docx", "egovcli.ingest.legacy"),
}


def _extract_all(
    paths: list[Path], jobs: int | None, limits: Limits, extractors: dict[str, str]
) -> Iterator[Extracted]:
    """Each file read in a worker process (address space capped), in order; a worker that runs over
    the time limit is killed (a parser hung in C code included), one that dies is replaced."""
    from concurrent.futures import TimeoutError as Timeout

    from pebble import ProcessExpired, ProcessPool

    if not paths:
        return
    for module in {extractors[path.suffix.lower()] for path in paths}:  # once here, not in every worker
        for library in _LIBRARIES.get(module, ()):
            import_module(library)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    memory = (limits.max_memory_mb,)
    with ProcessPool(max_workers=workers, initializer=safety.limit_memory, initargs=memory) as pool:
        futures = [
            pool.schedule(extract_file, args=(path, limits, extractors), timeout=limits.timeout)
            for path in paths
        ]
        for path, future in zip(paths, futures, strict=True):
            try:
                yield future.result()
            except Timeout:
                yield _failed(problem("E-TIMEOUT", str(path), seconds=f"{limits.timeout:g}"))
            except ProcessExpired as exc:
                yield _failed(problem("E-CRASHED", str(path), reason=f"mã thoát {exc.exitcode}"))
            except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
                yield _failed(_exception_problem(str(path), exc))


def extract_isolated(path: Path, limits: Limits | None = None) -> Extracted:
    """Read one file as `ingest_folder` does: in a killable worker, within `limits` (for commands
    that read a file without a workspace, such as `egov verify`)."""
    return next(_extract_all([path], 1, limits or Limits(), dict(EXTRACTORS)))


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
    methods: list[str] = []  # how each row's label was mapped, kept so --unmapped skips reviewed rows
    for obs in extracted.observations:
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
    info = path.stat()
    existed = workspace.submission(str(path.resolve())) is not None
    workspace.store_submission(
        path=str(path.resolve()),
        display_path=shown,
        sha256=digest,
        size=info.st_size,
        mtime=info.st_mtime,
        agency=agency.name,
        group=agency.group,
        period=found_period,
        problems=problems,
        observations=extracted.observations,
        agency_key=agency.key,
        doc_date=extracted.doc_date,
        row_groups=row_groups,
        methods=methods,
    )
    failed = any(p.severity == "error" for p in problems)
    status = "failed" if failed else ("updated" if existed else "new")
    return FileResult(
        shown, status, agency.name, found_period, len(extracted.observations), mapped, unmapped, problems
    )


def _mark_superseded(workspace: Workspace, root: Path, report: IngestReport) -> None:
    """Files that a later submission of the same agency and period repeats are reported as such."""
    base = root.resolve()  # display names are NFC, the paths on disk may not be
    real = {s.display_path: s.path for s in workspace.submissions() if Path(s.path).is_relative_to(base)}
    for result in report.files:
        if result.status in ("new", "updated", "unchanged") and result.file in real:
            stored = workspace.submission(real[result.file])
            if stored and stored.status == "superseded":
                result.status, result.superseded_by = "superseded", stored.superseded_by


def _with_file(p: Problem, shown: str) -> Problem:
    return replace(p, file=shown)


def _emit(report: IngestReport, result: FileResult, on_file: Callable[[FileResult], None] | None) -> None:
    report.files.append(result)
    if on_file:
        on_file(result)
