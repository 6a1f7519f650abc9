"""The workspace: one SQLite file holding submissions, observations with provenance, and scores.

Each file's ingest is one transaction: re-ingesting an unchanged file (same content hash) changes
nothing; a changed file replaces its rows atomically. Of the submissions from one agency for one
period, an earlier one that a later counting one repeats is kept with status `superseded`; the others
all count, the later one's values first (the policy is `supersession.settle`; `_settle` stores it).

Only `create=True` (egov ingest) makes a new workspace; every other command needs an existing one,
and a file that is not an egov workspace (a report, an empty file, another SQLite database) is
refused and left untouched. A write that fails because the disk is full leaves the last committed
state and is a `WorkspaceError` saying so.

Crashes and concurrency: the file is in WAL mode, so a process killed mid-ingest (even SIGKILL inside
a transaction) leaves the last committed state, and readers never wait for a writer (a read-only
command opens the workspace with `readonly=True`). Writers take turns: a process that finds the
workspace locked waits up to the busy timeout (`busy_timeout` argument, else `$EGOV_BUSY_TIMEOUT` in
seconds, else 30 s), then gets a `WorkspaceError` saying so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli import supersession
from egovcli.agencies import infer_group
from egovcli.model import Observation, SourcedObservation
from egovcli.problems import EgovError, Problem
from egovcli.textnorm import vi_number
from egovcli.values import finite

if TYPE_CHECKING:
    from egovcli.indicators import Match

DEFAULT_PATH = "egov.sqlite"
SCHEMA_VERSION = 4
BUSY_TIMEOUT_ENV = "EGOV_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds: far longer than any one file's transaction
REVIEWED = ("pinned", "not_indicator")  # mapping methods that record a person's decision
_REMAP = "-"  # mapping_sha256 that no mapping has: the next ingest re-maps every data row
_LONGEST_WAIT = 86_400.0  # a day; SQLite's busy timeout (int milliseconds) silently wraps above ~24 days

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,          -- absolute path: the identity of a submission
    display_path TEXT NOT NULL,         -- as shown to users: relative to the ingested folder
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    agency TEXT NOT NULL,
    agency_group TEXT NOT NULL,         -- department | district
    agency_key TEXT NOT NULL DEFAULT '',-- identity of the agency ("id:<id>" from agencies.csv); '' = unknown
    period TEXT NOT NULL,
    doc_date TEXT,                      -- the document's own date (ISO), if printed
    status TEXT NOT NULL,               -- ok | warning | failed | superseded
    superseded_by TEXT,                 -- path of the later submission that replaces this one
    precedence INTEGER NOT NULL DEFAULT 0, -- 0 = the latest of its agency and period, 1 the one before…
    problems TEXT NOT NULL DEFAULT '[]',-- JSON list of problems
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS observations (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    indicator TEXT NOT NULL,
    ref TEXT NOT NULL,
    label TEXT NOT NULL,
    raw_value TEXT NOT NULL,
    value REAL,
    unit TEXT NOT NULL,
    max_points REAL,
    denominator REAL,
    note TEXT NOT NULL,
    location TEXT NOT NULL,
    agency TEXT NOT NULL DEFAULT '',    -- set when the row is about another agency than the file's
    agency_group TEXT NOT NULL DEFAULT '', -- … and that agency's group
    method TEXT NOT NULL DEFAULT ''     -- data rows: how the label was mapped (indicators.Match.method)
);
CREATE INDEX IF NOT EXISTS observations_submission ON observations(submission_id);
CREATE INDEX IF NOT EXISTS submissions_agency_period ON submissions(agency_key, period);
CREATE TABLE IF NOT EXISTS score_runs (
    id INTEGER PRIMARY KEY,
    rules TEXT NOT NULL,
    rules_title TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    rules_text TEXT NOT NULL,           -- the rule set used, verbatim, so a ranking can be re-explained
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS scores (
    run_id INTEGER NOT NULL REFERENCES score_runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    agency TEXT NOT NULL,
    agency_group TEXT NOT NULL,
    period TEXT NOT NULL,
    row TEXT NOT NULL                   -- JSON of a CriterionScore
);
CREATE INDEX IF NOT EXISTS scores_run ON scores(run_id);
CREATE TABLE IF NOT EXISTS run_adjustments ( -- the appraisal adjustments a scoring run applied
    run_id INTEGER PRIMARY KEY REFERENCES score_runs(id) ON DELETE CASCADE,
    adjustments TEXT                    -- JSON (file, sha256, rows); NULL = none
);
"""
_SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's files beside the workspace
_ADJUSTMENTS_KEY = "adjustments"  # meta: the adjustments the next scoring run applies (JSON)


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


class WorkspaceError(EgovError):
    """The workspace cannot be opened, written or is locked; the message tells the user what to do."""

    code = "E-WORKSPACE"


_FOREIGN = "E-WORKSPACE-FOREIGN"  # a file that is not an egov workspace


class Workspace:
    """A connection to the SQLite workspace file."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout: float | None = None,
        readonly: bool = False,
        create: bool = True,
    ) -> None:
        """Open the workspace (`create`: or make a new one; `created` then says so); wait up to
        `busy_timeout` seconds for another writer (default: `$EGOV_BUSY_TIMEOUT`, else 30).
        `readonly`: the caller only reads, so a workspace of the current version is opened without
        taking the write lock (a running ingest or score does not hold it up); one still to be
        upgraded is opened as usual. A missing workspace (without `create`) or a file that is not
        one is a WorkspaceError, and nothing is created or changed."""
        self.path = Path(path)
        self.busy_timeout = resolve_busy_timeout(busy_timeout)
        self.created = _check_file(self.path, create)
        try:
            if self.created:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise WorkspaceError(f"Không mở được workspace {self.path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        if not self.created:
            self._check_tables(create)
        if readonly and self._current():
            return
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(_SCHEMA)  # idempotent DDL; executescript manages its own transaction
            # a write: a workspace that stays locked is reported now, before any work is done
            self.db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
            if version == "3":
                self._upgrade_from_3()
                version = str(SCHEMA_VERSION)
        except (sqlite3.DatabaseError, WorkspaceError) as exc:
            self.db.close()
            if isinstance(exc, WorkspaceError):
                raise
            if _is_busy(exc):
                raise self._locked(exc) from exc
            raise WorkspaceError(f"Không mở được workspace {self.path}: {exc}") from exc
        if version != str(SCHEMA_VERSION):
            self.db.close()
            raise WorkspaceError(
                f"Workspace {self.path} được tạo bởi phiên bản egov khác"
                f" (lược đồ {version}, cần {SCHEMA_VERSION}): "
                "hãy dùng một tệp workspace mới (--workspace) và chạy lại 'egov ingest'."
            )

    def _check_tables(self, create: bool) -> None:
        """Refuse a SQLite database that is not an egov workspace (before anything is written)."""
        try:
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if _is_busy(exc):
                raise self._locked(exc) from exc
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
                raise WorkspaceError(_not_a_workspace(self.path, str(exc)), code=_FOREIGN) from exc
            raise WorkspaceError(f"Không mở được workspace {self.path}: {exc}") from exc
        if "meta" in tables or (create and not tables):  # an egov workspace, or a new one never filled
            self.created = not tables
            return
        self.db.close()
        why = "cơ sở dữ liệu SQLite trống" if not tables else "một cơ sở dữ liệu SQLite khác"
        raise WorkspaceError(_not_a_workspace(self.path, why), code=_FOREIGN)

    def _current(self) -> bool:
        """Whether the file already holds a workspace of this version (read without any lock)."""
        try:
            found = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        except sqlite3.DatabaseError:
            return False  # a new file, another database, or not a database: the usual open says so
        return [tuple(r) for r in found] == [(str(SCHEMA_VERSION),)]

    def _upgrade_from_3(self) -> None:
        """Schema 3 → 4 in place, in one transaction, so no file has to be read again: each data
        row gets how its label was mapped, each submission its precedence, and supersession is
        settled again under the current rule."""
        with self.transaction() as db:
            if db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] != "3":
                return  # another process upgraded it meanwhile
            db.execute("ALTER TABLE submissions ADD COLUMN precedence INTEGER NOT NULL DEFAULT 0")
            db.execute("ALTER TABLE observations ADD COLUMN method TEXT NOT NULL DEFAULT ''")
            _derive_methods(db)
            if self.meta("mapping_sha256"):
                # which rows the pins left empty is only known with the pins: re-map at the next ingest
                db.execute("UPDATE meta SET value = ? WHERE key = 'mapping_sha256'", (_REMAP,))
            _settle_all(db)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; a lock that outlasts the busy
        timeout is a `WorkspaceError`."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise self._locked(exc) from exc
            raise
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
                with contextlib.suppress(sqlite3.Error):  # keep the error that matters
                    self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise self._locked(exc) from exc
            if isinstance(exc, sqlite3.DatabaseError) and _is_full(exc):
                raise WorkspaceError(
                    f"Không ghi được vào workspace {self.path}: hết chỗ trên đĩa, vượt giới hạn dung lượng"
                    f" tệp hoặc lỗi ghi đĩa ({exc}). Workspace giữ nguyên như lần ghi trọn vẹn cuối cùng;"
                    " hãy giải phóng dung lượng rồi chạy lại lệnh.",
                    code="E-WORKSPACE-FULL",
                ) from exc
            raise

    def _locked(self, exc: sqlite3.Error) -> WorkspaceError:
        return WorkspaceError(
            f"Workspace {self.path} đang bị một tiến trình khác khoá"
            f" (đã chờ {vi_number(self.busy_timeout, 3)} giây; {exc})."
            " Hãy đợi lệnh egov đang ghi vào workspace này chạy xong rồi chạy lại,"
            f" hoặc tăng thời gian chờ bằng biến môi trường {BUSY_TIMEOUT_ENV} (số giây).",
            code="E-WORKSPACE-LOCKED",
        )

    # -- meta ------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- submissions -------------------------------------------------------------------------

    def submission(self, path: str) -> Submission | None:
        """The stored submission for an absolute `path`, if any."""
        row = self.db.execute(_SUBMISSIONS + " WHERE s.path = ?", (path,)).fetchone()
        return _submission(row) if row else None

    def store_submission(self, new: NewSubmission) -> int:
        """Replace everything stored for `new.path` with this submission, in one transaction;
        supersession is settled again for the agency and period the file had and has."""
        problem_rows = [p.as_dict() for p in new.problems]
        status = _status(problem_rows)
        problems_json = json.dumps(problem_rows, ensure_ascii=False)
        groups, methods = new.row_groups, new.methods
        with self.transaction() as db:
            before = db.execute(
                "SELECT agency_key, period FROM submissions WHERE path = ?", (new.path,)
            ).fetchone()
            db.execute("DELETE FROM submissions WHERE path = ?", (new.path,))
            cur = db.execute(
                "INSERT INTO submissions(path, display_path, sha256, size, mtime, agency, agency_group,"
                " agency_key, period, doc_date, status, problems) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    new.path,
                    new.display_path,
                    new.sha256,
                    new.size,
                    new.mtime,
                    new.agency,
                    new.group,
                    new.agency_key,
                    new.period,
                    new.doc_date,
                    status,
                    problems_json,
                ),
            )
            sub_id = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO observations(submission_id, seq, kind, indicator, ref, label, raw_value, value,"
                " unit, max_points, denominator, note, location, agency, agency_group, method)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        sub_id,
                        seq,
                        o.kind,
                        o.indicator,
                        o.ref,
                        o.label,
                        o.raw_value,
                        finite(o.value),
                        o.unit,
                        finite(o.max_points),
                        finite(o.denominator),
                        o.note,
                        o.location,
                        o.agency,
                        groups.get(o.agency, infer_group(o.agency)) if o.agency else "",
                        methods[seq] if seq < len(methods) else "",
                    )
                    for seq, o in enumerate(new.observations)
                ),
            )
            if before:
                _settle(db, before["agency_key"], before["period"])
            _settle(db, new.agency_key, new.period)
        return sub_id

    def delete_submission(self, path: str) -> None:
        """Remove a submission and its observations (the file is gone from the folder)."""
        with self.transaction() as db:
            before = db.execute(
                "SELECT agency_key, period FROM submissions WHERE path = ?", (path,)
            ).fetchone()
            db.execute("DELETE FROM submissions WHERE path = ?", (path,))
            if before:
                _settle(db, before["agency_key"], before["period"])

    def submissions(self) -> list[Submission]:
        rows = self.db.execute(_SUBMISSIONS + " ORDER BY s.display_path, s.path").fetchall()
        return [_submission(r) for r in rows]

    def observations(
        self, kind: str | None = None, *, include_superseded: bool = False, unreviewed: bool = False
    ) -> list[SourcedObservation]:
        """Every stored observation with its agency, period and source file.

        Rows come per agency and period, the later submission's first (then file/row order): when
        two counting submissions report the same item, the first row met — the later one's — is the
        one that counts. All rows of one agency and period carry the name of its latest submission,
        so that a report and its annex spelling the agency differently are one agency. Rows of
        superseded submissions are left out unless `include_superseded`. A row about another agency
        than its file's (a published ranking lists many) is attributed to that agency and its group.
        `unreviewed`: only data rows that name no indicator and that nobody decided are not one
        (neither a catalogue `not_indicators` label nor pinned to none in mapping.csv).
        """
        sql = (
            "SELECT o.*, o.agency AS row_agency, o.agency_group AS row_group, s.agency AS file_agency,"
            " s.agency_group AS file_group, s.agency_key, s.period, s.display_path"
            " FROM observations o JOIN submissions s ON s.id = o.submission_id"
        )
        where: list[str] = []
        params: list[str] = []
        if kind:
            where.append("o.kind = ?")
            params.append(kind)
        if not include_superseded:
            where.append("s.status != 'superseded'")
        if unreviewed:
            marks = ", ".join("?" * len(REVIEWED))
            where.append(f"o.kind = 'data' AND o.indicator = '' AND o.method NOT IN ({marks})")
            params.extend(REVIEWED)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (
            " ORDER BY s.agency_key, s.period, s.status = 'failed', s.precedence, s.agency, s.display_path,"
            " s.path, o.seq"
        )
        out = []
        names: dict[tuple[str, str], tuple[str, str]] = {}  # (agency key, period) → the latest's name, group
        for r in self.db.execute(sql, params):
            obs = Observation(
                label=r["label"],
                raw_value=r["raw_value"],
                value=r["value"],
                kind=r["kind"],
                unit=r["unit"],
                indicator=r["indicator"],
                ref=r["ref"],
                max_points=r["max_points"],
                denominator=r["denominator"],
                note=r["note"],
                location=r["location"],
                agency=r["row_agency"],
            )
            agency, group = r["file_agency"], r["file_group"]
            if obs.agency:
                agency, group = obs.agency, r["row_group"] or infer_group(obs.agency)
            elif r["agency_key"] and r["period"]:
                agency, group = names.setdefault((r["agency_key"], r["period"]), (agency, group))
            out.append(SourcedObservation(agency, group, r["period"], r["display_path"], obs))
        return out

    def remap_indicators(self, match: Callable[[str], Match], *, mapping_sha256: str) -> int:
        """Re-map every stored data row's label with `match` in one transaction; returns rows changed.

        Which rows a later submission repeats depends on their indicators: supersession is settled
        again. `mapping_sha256` (the label mapping now in force) is recorded in the same transaction.
        """
        with self.transaction() as db:
            rows = db.execute(
                "SELECT id, label, indicator, method FROM observations WHERE kind = 'data'"
            ).fetchall()
            changes = [
                (found.indicator, found.method, r["id"])
                for r in rows
                if ((found := match(r["label"])).indicator, found.method) != (r["indicator"], r["method"])
            ]
            db.executemany("UPDATE observations SET indicator = ?, method = ? WHERE id = ?", changes)
            _settle_all(db)
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('mapping_sha256', ?)", (mapping_sha256,)
            )
        return len(changes)

    # -- scores ------------------------------------------------------------------------------

    def store_scores(
        self,
        *,
        rules: str,
        rules_title: str,
        rules_text: str,
        rows: Iterable[tuple[str, str, str, dict[str, object]]],
        adjustments: str | None = None,
    ) -> int:
        """Record a scoring run (the rule set used, verbatim) and its rows; returns the run id.

        `adjustments` (JSON, None = none) are the appraisal adjustments the run applied: kept with
        the run, and as the workspace's adjustments for the next run, in the same transaction."""
        digest = hashlib.sha256(rules_text.encode("utf-8")).hexdigest()
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO score_runs(rules, rules_title, rules_sha256, rules_text) VALUES (?, ?, ?, ?)",
                (rules, rules_title, digest, rules_text),
            )
            run_id = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO scores(run_id, seq, agency, agency_group, period, row)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (run_id, seq, agency, group, period, json.dumps(row, ensure_ascii=False))
                    for seq, (agency, group, period, row) in enumerate(rows)
                ),
            )
            db.execute(
                "INSERT INTO run_adjustments(run_id, adjustments) VALUES (?, ?)", (run_id, adjustments)
            )
            db.execute("DELETE FROM meta WHERE key = ?", (_ADJUSTMENTS_KEY,))
            if adjustments is not None:
                db.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (_ADJUSTMENTS_KEY, adjustments))
        return run_id

    def adjustments(self) -> str | None:
        """The appraisal adjustments (JSON) the next scoring run applies unless told otherwise."""
        return self.meta(_ADJUSTMENTS_KEY)

    def run_adjustments(self, run_id: int) -> tuple[bool, str | None]:
        """(recorded, JSON) of the adjustments a run applied: a run stored before egov recorded
        them gives (False, None); one that applied none (True, None)."""
        try:
            row = self.db.execute(
                "SELECT adjustments FROM run_adjustments WHERE run_id = ?", (run_id,)
            ).fetchone()
        except sqlite3.OperationalError:  # a workspace no command of this version has written to yet
            return False, None
        return (row is not None, row[0] if row else None)

    def protected_files(self) -> dict[Path, str]:
        """The workspace's files and the reports stored in it, which no output may replace."""
        files = {Path(f"{self.path}{suffix}"): "tệp phụ của workspace" for suffix in COMPANIONS}
        files[self.path] = "workspace"
        for (path,) in self.db.execute("SELECT path FROM submissions"):
            files[Path(path)] = "một báo cáo đã đọc vào workspace"
        return files

    def latest_run(self) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM score_runs ORDER BY id DESC LIMIT 1").fetchone()

    def run_rows(self, run_id: int) -> list[tuple[str, str, str, dict[str, object]]]:
        rows = self.db.execute(
            "SELECT agency, agency_group, period, row FROM scores WHERE run_id = ? ORDER BY seq", (run_id,)
        )
        return [(r["agency"], r["agency_group"], r["period"], json.loads(r["row"])) for r in rows]


_SUBMISSIONS = (
    "SELECT s.*, w.display_path AS winner"
    " FROM submissions s LEFT JOIN submissions w ON w.path = s.superseded_by"
)


def _submission(r: sqlite3.Row) -> Submission:
    return Submission(
        r["id"],
        r["path"],
        r["display_path"],
        r["sha256"],
        r["agency"],
        r["agency_group"],
        r["period"],
        r["status"],
        json.loads(r["problems"]),
        r["mtime"],
        r["agency_key"],
        r["doc_date"],
        r["winner"] or "",
    )


def _settle(db: sqlite3.Connection, agency_key: str, period: str) -> None:
    """Store which of one agency's submissions for one period count, and in what order, as the
    supersession policy decides (`supersession.settle`): status, superseded_by and precedence."""
    if not supersession.competes(agency_key, period):
        return
    subs = db.execute(
        "SELECT id, path, mtime, doc_date, status, problems FROM submissions"
        " WHERE agency_key = ? AND period = ?",
        (agency_key, period),
    ).fetchall()
    candidates = [
        supersession.Candidate(
            s["path"],
            s["mtime"],
            s["doc_date"],
            s["status"] == "failed",
            tuple(
                supersession.Row(*o)
                for o in db.execute(
                    "SELECT kind, indicator, value, raw_value, agency FROM observations"
                    " WHERE submission_id = ?",
                    (s["id"],),
                )
            ),
        )
        for s in subs
    ]
    stored = {s["path"]: s for s in subs}
    for decision in supersession.settle(candidates):
        s = stored[decision.path]
        status = "superseded" if decision.superseded_by else _status(json.loads(s["problems"]))
        db.execute(
            "UPDATE submissions SET status = ?, superseded_by = ?, precedence = ? WHERE id = ?",
            (status, decision.superseded_by, decision.precedence, s["id"]),
        )


def _settle_all(db: sqlite3.Connection) -> None:
    """`_settle` every agency and period (after their rows' indicators changed)."""
    for r in db.execute("SELECT DISTINCT agency_key, period FROM submissions").fetchall():
        _settle(db, r["agency_key"], r["period"])


def _derive_methods(db: sqlite3.Connection) -> None:
    """How each stored data row's label was mapped, for rows stored without it (schema 3): the
    catalogue's method when it gives the stored indicator, else the row was pinned."""
    from egovcli.indicators import Matcher

    matcher = Matcher()
    rows = db.execute("SELECT id, label, indicator FROM observations WHERE kind = 'data'").fetchall()
    changes = []
    for r in rows:
        found = matcher.match(r["label"])
        changes.append((found.method if found.indicator == r["indicator"] else "pinned", r["id"]))
    db.executemany("UPDATE observations SET method = ? WHERE id = ?", changes)


def _check_file(path: Path, create: bool) -> bool:
    """Whether `path` is to be a new workspace; WorkspaceError when it is missing and not to be
    created, or is plainly not a workspace (a folder, a file that is not SQLite). Reads 16 bytes."""
    try:
        with path.open("rb") as f:
            head = f.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        if create:
            return True
        raise WorkspaceError(
            f"không tìm thấy workspace '{path}' — hãy chạy egov ingest trước"
            " (hoặc chỉ đúng tệp bằng --workspace hay biến môi trường EGOV_WORKSPACE).",
            code="E-WORKSPACE-MISSING",
        ) from None
    except IsADirectoryError:
        raise WorkspaceError(_not_a_workspace(path, "đây là một thư mục"), code=_FOREIGN) from None
    except OSError as exc:
        raise WorkspaceError(f"Không mở được workspace {path}: {exc.strerror or exc}") from exc
    if not head and create:
        return True  # an empty file is what SQLite itself starts a database from
    if head != _SQLITE_HEADER:
        why = "tệp rỗng" if not head else "không phải cơ sở dữ liệu SQLite"
        raise WorkspaceError(_not_a_workspace(path, why), code=_FOREIGN)
    return False


def _not_a_workspace(path: Path, why: str) -> str:
    return (
        f"'{path}' không phải workspace egov ({why}); tệp được giữ nguyên. Hãy chỉ đúng workspace bằng"
        " --workspace, hoặc dùng một tệp mới cho egov ingest."
    )


def _is_full(exc: sqlite3.Error) -> bool:
    """SQLITE_FULL, or an I/O error writing (a file-size limit is a short write, then EFBIG)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)
    return "full" in str(exc) or "I/O" in str(exc)


def _is_busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED (any extended code): another connection holds the lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _status(problems: Iterable[Mapping[str, object]]) -> str:
    """ok | warning | failed, from the severities of a submission's problems."""
    severities = {p["severity"] for p in problems}
    return "failed" if "error" in severities else "warning" if "warning" in severities else "ok"


def resolve_busy_timeout(given: float | None = None) -> float:
    """How long to wait for another writer, in seconds: `given`, else $EGOV_BUSY_TIMEOUT, else 30
    (at most a day)."""
    if given is None:
        text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
        if not text:
            return DEFAULT_BUSY_TIMEOUT
        try:
            given = float(text.replace(",", "."))
        except ValueError:
            given = math.nan
        if not 0 <= given < math.inf:
            raise WorkspaceError(
                f"{BUSY_TIMEOUT_ENV}='{text}' không hợp lệ: cần số giây chờ khi workspace đang bị khoá"
                " (ví dụ 30)."
            )
    return min(max(0.0, given), _LONGEST_WAIT)


def resolve_path(option: str | None) -> Path:
    """--workspace PATH, else $EGOV_WORKSPACE, else ./egov.sqlite."""
    return Path(option or os.environ.get("EGOV_WORKSPACE") or DEFAULT_PATH)
