"""What the workspace stores and reads back: submissions with their observations, and scoring runs."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli.agencies import infer_group
from egovcli.lineage import Lineage, lineage_from_json, lineage_json
from egovcli.model import Observation, SourcedObservation
from egovcli.supersession import REVIEWED
from egovcli.values import finite
from egovcli.workspace.connection import COMPANIONS, Connection
from egovcli.workspace.records import NewSubmission, Submission, submission_status
from egovcli.workspace.settling import settle, settle_all

if TYPE_CHECKING:
    from egovcli.indicators import Match

# mapping methods of a label matched against the catalogue alone: a rule set's own indicators may map it
BY_CATALOGUE = ("exact", "prefix", "fuzzy", "none")
_ADJUSTMENTS_KEY = "adjustments"  # meta: the adjustments the next scoring run applies (JSON)
_LINEAGE_KEY = "agency_lineage"  # meta: merged and renamed agencies, from agencies.csv (JSON)


class Workspace(Connection):
    """The SQLite workspace: submissions with their observations, and scoring runs."""

    # -- submissions -------------------------------------------------------------------------

    def submission(self, path: str) -> Submission | None:
        """The stored submission for an absolute `path`, if any."""
        row = self.db.execute(_SUBMISSIONS + " WHERE s.path = ?", (path,)).fetchone()
        return _submission(row) if row else None

    def store_submission(self, new: NewSubmission) -> int:
        """Replace everything stored for `new.path` with this submission, in one transaction;
        supersession is settled again for the agency and period the file had and has."""
        problem_rows = [p.as_dict() for p in new.problems]
        status = submission_status(problem_rows)
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
                settle(db, before["agency_key"], before["period"])
            settle(db, new.agency_key, new.period)
        return sub_id

    def delete_submission(self, path: str) -> None:
        """Remove a submission and its observations (the file is gone from the folder)."""
        with self.transaction() as db:
            before = db.execute(
                "SELECT agency_key, period FROM submissions WHERE path = ?", (path,)
            ).fetchone()
            db.execute("DELETE FROM submissions WHERE path = ?", (path,))
            if before:
                settle(db, before["agency_key"], before["period"])

    def submissions(self) -> list[Submission]:
        rows = self.db.execute(_SUBMISSIONS + " ORDER BY s.display_path, s.path").fetchall()
        return [_submission(r) for r in rows]

    def observations(
        self, kind: str | None = None, *, include_superseded: bool = False, unreviewed: bool = False,
        relabel: Callable[[str], str] | None = None,
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
        `relabel` (a rule set's own indicators: label → indicator id) maps again each data row whose
        label the catalogue alone mapped (not pinned, not set by its reader); nothing stored changes.
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
            if relabel is not None and obs.kind == "data" and r["method"] in BY_CATALOGUE:
                obs.indicator = relabel(obs.label)
            agency, group = r["file_agency"], r["file_group"]
            registered = not obs.agency and r["agency_key"].startswith("id:")
            if obs.agency:
                agency, group = obs.agency, r["row_group"] or infer_group(obs.agency)
            elif r["agency_key"] and r["period"]:
                agency, group = names.setdefault((r["agency_key"], r["period"]), (agency, group))
            if not (unreviewed and obs.indicator):  # `relabel` found its indicator
                out.append(SourcedObservation(agency, group, r["period"], r["display_path"], obs, registered))
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
            settle_all(db)
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

    def lineage(self) -> list[Lineage]:
        """The merged and renamed agencies of the last agencies.csv ingested that has a lineage column
        (merged_from, renamed_from, since); [] when none was (an older workspace too: no migration)."""
        return lineage_from_json(self.meta(_LINEAGE_KEY))

    def set_lineage(self, lineage: list[Lineage]) -> None:
        self.set_meta(_LINEAGE_KEY, lineage_json(lineage))

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
