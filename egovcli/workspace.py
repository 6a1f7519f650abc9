"""The workspace: one SQLite file holding submissions, observations with provenance, and scores.

Each file's ingest is one transaction: re-ingesting an unchanged file (same content hash) changes
nothing; a changed file replaces its rows atomically.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from egovcli.agencies import infer_group
from egovcli.model import Observation, SourcedObservation
from egovcli.problems import Problem

DEFAULT_PATH = "egov.sqlite"
SCHEMA_VERSION = 2

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
    period TEXT NOT NULL,
    status TEXT NOT NULL,               -- ok | warning | failed
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
    agency TEXT NOT NULL DEFAULT ''     -- set when the row is about another agency than the file's
);
CREATE INDEX IF NOT EXISTS observations_submission ON observations(submission_id);
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
"""


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
    problems: list[dict[str, str]]


class WorkspaceError(Exception):
    """The workspace cannot be opened or is locked; the message tells the user what to do."""


class Workspace:
    """A connection to the SQLite workspace file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=30000")
            self.db.executescript(_SCHEMA)  # idempotent DDL; executescript manages its own transaction
            self.db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"Không mở được workspace {self.path}: {exc}") from exc
        if version != str(SCHEMA_VERSION):
            self.db.close()
            raise WorkspaceError(
                f"Workspace {self.path} được tạo bởi phiên bản egov khác"
                f" (lược đồ {version}, cần {SCHEMA_VERSION}): "
                "hãy dùng một tệp workspace mới (--workspace) và chạy lại 'egov ingest'."
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise WorkspaceError(
                f"Workspace {self.path} đang bị một tiến trình egov khác khoá ({exc}); hãy thử lại sau."
            ) from exc
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- submissions -------------------------------------------------------------------------

    def submission(self, path: str) -> Submission | None:
        """The stored submission for an absolute `path`, if any."""
        row = self.db.execute("SELECT * FROM submissions WHERE path = ?", (path,)).fetchone()
        return _submission(row) if row else None

    def store_submission(
        self,
        *,
        path: str,
        display_path: str,
        sha256: str,
        size: int,
        mtime: float,
        agency: str,
        group: str,
        period: str,
        problems: list[Problem],
        observations: Iterable[Observation],
    ) -> int:
        """Replace everything stored for `path` with this submission, in one transaction."""
        status = "ok"
        if any(p.severity == "error" for p in problems):
            status = "failed"
        elif problems:
            status = "warning"
        problems_json = json.dumps([p.as_dict() for p in problems], ensure_ascii=False)
        with self.transaction() as db:
            db.execute("DELETE FROM submissions WHERE path = ?", (path,))
            cur = db.execute(
                "INSERT INTO submissions(path, display_path, sha256, size, mtime, agency, agency_group,"
                " period, status, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (path, display_path, sha256, size, mtime, agency, group, period, status, problems_json),
            )
            sub_id = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO observations(submission_id, seq, kind, indicator, ref, label, raw_value, value,"
                " unit, max_points, denominator, note, location, agency)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        sub_id,
                        seq,
                        o.kind,
                        o.indicator,
                        o.ref,
                        o.label,
                        o.raw_value,
                        o.value,
                        o.unit,
                        o.max_points,
                        o.denominator,
                        o.note,
                        o.location,
                        o.agency,
                    )
                    for seq, o in enumerate(observations)
                ),
            )
        return sub_id

    def delete_submission(self, path: str) -> None:
        """Remove a submission and its observations (the file is gone from the folder)."""
        with self.transaction() as db:
            db.execute("DELETE FROM submissions WHERE path = ?", (path,))

    def submissions(self) -> list[Submission]:
        rows = self.db.execute("SELECT * FROM submissions ORDER BY display_path, path").fetchall()
        return [_submission(r) for r in rows]

    def observations(self, kind: str | None = None) -> list[SourcedObservation]:
        """Every stored observation with its agency, period and source file, in file/row order.

        A row about another agency than its file's (a published ranking lists many) is attributed
        to that agency, with its group inferred from the name.
        """
        sql = (
            "SELECT o.*, o.agency AS row_agency, s.agency AS file_agency, s.agency_group, s.period,"
            " s.display_path FROM observations o JOIN submissions s ON s.id = o.submission_id"
        )
        params: tuple[str, ...] = ()
        if kind:
            sql += " WHERE o.kind = ?"
            params = (kind,)
        sql += " ORDER BY s.display_path, s.path, o.seq"
        out = []
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
            agency, group = r["file_agency"], r["agency_group"]
            if obs.agency:
                agency, group = obs.agency, infer_group(obs.agency)
            out.append(SourcedObservation(agency, group, r["period"], r["display_path"], obs))
        return out

    # -- scores ------------------------------------------------------------------------------

    def store_scores(
        self,
        *,
        rules: str,
        rules_title: str,
        rules_text: str,
        rows: Iterable[tuple[str, str, str, dict[str, object]]],
    ) -> int:
        """Record a scoring run (the rule set used, verbatim) and its rows; returns the run id."""
        import hashlib

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
        return run_id

    def latest_run(self) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM score_runs ORDER BY id DESC LIMIT 1").fetchone()

    def run_rows(self, run_id: int) -> list[tuple[str, str, str, dict[str, object]]]:
        rows = self.db.execute(
            "SELECT agency, agency_group, period, row FROM scores WHERE run_id = ? ORDER BY seq", (run_id,)
        )
        return [(r["agency"], r["agency_group"], r["period"], json.loads(r["row"])) for r in rows]


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
    )


def resolve_path(option: str | None) -> Path:
    """--workspace PATH, else $EGOV_WORKSPACE, else ./egov.sqlite."""
    return Path(option or os.environ.get("EGOV_WORKSPACE") or DEFAULT_PATH)
