"""The workspace's tables and the upgrade of an older workspace in place."""

from __future__ import annotations

import sqlite3

from egovcli.workspace.settling import settle_all

SCHEMA_VERSION = 5
REMAP = "-"  # mapping_sha256 that no mapping has: the next ingest re-maps every data row

SCHEMA = """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
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
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    name TEXT,                          -- egov score --run NAME; NULL: replaced by a rerun (runs.py)
    inputs_sha256 TEXT NOT NULL DEFAULT '' -- what it scored: submissions, mapping, adjustments
);
CREATE TABLE IF NOT EXISTS run_agencies ( -- one scored agency and period of a run (workspace/runs.py)
    run_id INTEGER NOT NULL REFERENCES score_runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,               -- its place in the run
    agency TEXT NOT NULL,
    agency_group TEXT NOT NULL,
    period TEXT NOT NULL,
    totals TEXT,                        -- JSON: what ranks it; NULL: computed from rows when read
    rows BLOB NOT NULL                  -- zlib-compressed JSON list of its CriterionScore rows
);
CREATE UNIQUE INDEX IF NOT EXISTS run_agencies_seq ON run_agencies(run_id, seq);
CREATE INDEX IF NOT EXISTS run_agencies_agency ON run_agencies(run_id, agency, period);
CREATE TABLE IF NOT EXISTS run_adjustments ( -- the appraisal adjustments a scoring run applied
    run_id INTEGER PRIMARY KEY REFERENCES score_runs(id) ON DELETE CASCADE,
    adjustments TEXT                    -- JSON (file, sha256, rows); NULL = none
);
"""


def upgrade_from_3(db: sqlite3.Connection) -> None:
    """Schema 3 → 4 inside the caller's transaction, so no file has to be read again: each data
    row gets how its label was mapped, each submission its precedence, and supersession is
    settled again under the current rule."""
    db.execute("ALTER TABLE submissions ADD COLUMN precedence INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE observations ADD COLUMN method TEXT NOT NULL DEFAULT ''")
    _derive_methods(db)
    # which rows the pins left empty is only known with the pins: re-map at the next ingest
    db.execute("UPDATE meta SET value = ? WHERE key = 'mapping_sha256' AND value != ''", (REMAP,))
    settle_all(db)
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


UPGRADES = ("3", "4")  # the older schemas a workspace is upgraded from, in place


def upgrade(db: sqlite3.Connection) -> None:
    """An older schema (`UPGRADES`) to `SCHEMA_VERSION`, one step after the other, inside the
    caller's transaction."""
    from egovcli.workspace.runs import upgrade_from_4

    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    if version == "3":
        upgrade_from_3(db)
    upgrade_from_4(db)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))


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
