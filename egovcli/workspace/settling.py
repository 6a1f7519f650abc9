"""Storing the supersession policy's decision (`supersession.settle`) for the submissions of one
agency and period."""

from __future__ import annotations

import json
import sqlite3

from egovcli import supersession
from egovcli.workspace.records import submission_status


def settle(db: sqlite3.Connection, agency_key: str, period: str) -> None:
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
                    "SELECT kind, indicator, value, raw_value, agency, label, method FROM observations"
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
        status = "superseded" if decision.superseded_by else submission_status(json.loads(s["problems"]))
        db.execute(
            "UPDATE submissions SET status = ?, superseded_by = ?, precedence = ? WHERE id = ?",
            (status, decision.superseded_by, decision.precedence, s["id"]),
        )


def settle_all(db: sqlite3.Connection) -> None:
    """`settle` every agency and period (after their rows' indicators changed)."""
    for r in db.execute("SELECT DISTINCT agency_key, period FROM submissions").fetchall():
        settle(db, r["agency_key"], r["period"])
