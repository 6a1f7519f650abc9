"""What the workspace stores and reads back: submissions with their observations, and scoring runs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli.agencies import infer_group
from egovcli.lineage import Lineage, lineage_from_json, lineage_json
from egovcli.model import Observation, SourcedObservation
from egovcli.supersession import REVIEWED
from egovcli.workspace.connection import COMPANIONS
from egovcli.workspace.records import NewSubmission, StoredFile, Submission, submission_status
from egovcli.workspace.runs import ScoreRuns
from egovcli.workspace.settling import settle, settle_all

if TYPE_CHECKING:
    from egovcli.indicators import Match

# mapping methods of a label matched against the catalogue alone: a rule set's own indicators may map it
BY_CATALOGUE = ("exact", "prefix", "fuzzy", "none")
_LINEAGE_KEY = "agency_lineage"  # meta: merged and renamed agencies, from agencies.csv (JSON)


class Workspace(ScoreRuns):
    """The SQLite workspace: submissions with their observations, and scoring runs (`runs`)."""

    # -- submissions -------------------------------------------------------------------------

    def submission(self, path: str) -> Submission | None:
        """The stored submission for an absolute `path`, if any."""
        row = self.db.execute(_SUBMISSIONS + " WHERE s.path = ?", (path,)).fetchone()
        return _submission(row) if row else None

    def store_submission(self, new: NewSubmission) -> int:
        """Replace everything stored for `new.path` with this submission, in one transaction;
        supersession is settled again for the agency and period the file had and has."""
        from egovcli.values import finite  # (the value parsers: a re-ingest of unchanged files needs none)

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

    def stored_files(self, status: str | None = None) -> list[StoredFile]:
        """What ingest needs to know of every stored file (only those of `status` when given), in
        one query (no problems, no rows)."""
        rows = self.db.execute(
            "SELECT s.path, s.display_path, s.sha256, s.size, s.mtime, s.status, s.agency, s.period,"
            " w.display_path AS winner FROM submissions s LEFT JOIN submissions w ON w.path = s.superseded_by"
            + (" WHERE s.status = ?" if status else ""), (status,) if status else ()
        )
        return [StoredFile(r["path"], r["display_path"], r["sha256"], r["size"], r["mtime"], r["status"],
                           r["agency"], r["period"], r["winner"] or "") for r in rows]

    def submissions(self) -> list[Submission]:
        rows = self.db.execute(_SUBMISSIONS + " ORDER BY s.display_path, s.path").fetchall()
        return [_submission(r) for r in rows]

    def observations(
        self, kind: str | None = None, *, include_superseded: bool = False, unreviewed: bool = False,
        relabel: Callable[[str], str] | None = None,
    ) -> list[SourcedObservation]:
        """Every stored observation with its agency, period and source file (`stream_observations`)."""
        return [so for _, so in self.stream_observations(
            kind, include_superseded=include_superseded, unreviewed=unreviewed, relabel=relabel)]

    def stream_observations(
        self, kind: str | None = None, *, include_superseded: bool = False, unreviewed: bool = False,
        relabel: Callable[[str], str] | None = None, submissions: Sequence[int] | None = None,
    ) -> Iterator[tuple[int, SourcedObservation]]:
        """Every stored observation with its agency, period and source file, beside its submission's
        id, read as they are reached (a submission's rows come together).

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
        `submissions`: only these submissions' rows (ids, given in this stream's order). An agency's
        rows carry the name of the first of its own submissions met, so a subset holding all of an
        agency's submissions (`score.grouping.chunks`) names its rows as the whole stream does.
        """
        cursor = self.db.cursor()
        cursor.row_factory = None  # plain tuples: 1.2 million rows in a national round
        reader = self.db.cursor()
        reader.row_factory = None
        read, params = _rows_sql(kind, unreviewed)
        names: dict[tuple[str, str], tuple[str, str]] = {}  # (agency key, period) → the latest's name, group
        # each submission's rows on their own (its columns read once, not once per row; no sort of
        # every row of the round: the submissions are sorted, each one's rows come by the index)
        for sub_id, file_agency, file_group, agency_key, period, source in _submission_rows(
            cursor, include_superseded, submissions
        ):
            own: tuple[str, str, bool] | None = None  # the file's agency, as its rows are attributed
            for r in reader.execute(read, (sub_id, *params)):
                obs = Observation(*r[:12])  # the first 12 columns are Observation's fields, in order
                if relabel is not None and obs.kind == "data" and r[13] in BY_CATALOGUE:
                    obs.indicator = relabel(obs.label)
                if r[11]:  # a row about another agency than its file's
                    attributed = _attributed(names, r[11], r[12], file_agency, file_group, agency_key, period)
                else:
                    if own is None:
                        own = _attributed(names, "", "", file_agency, file_group, agency_key, period)
                    attributed = own
                if not (unreviewed and obs.indicator):  # `relabel` found its indicator
                    yield sub_id, SourcedObservation(attributed[0], attributed[1], period, source, obs,
                                                     attributed[2])

    def observation_sources(self) -> Iterator[ObservationSource]:
        """Whom the counting observations of each submission are about, in `stream_observations`'
        order: one `ObservationSource` per submission and agency its rows are attributed to (its own
        agency first, then each other one a row names), without reading the rows themselves: whether
        a submission has a row about its own agency is its first such row, found by the index; the
        rows about other agencies (published rankings) are few, found by one pass over the rows."""
        cursor = self.db.cursor()
        cursor.row_factory = None
        others: dict[int, list[tuple[str, str]]] = {}
        for submission, agency, group in cursor.execute(_OTHER_AGENCIES):
            others.setdefault(submission, []).append((agency, group))
        names: dict[tuple[str, str], tuple[str, str]] = {}
        for submission, own, file_agency, file_group, agency_key, period, source in cursor.execute(_SOURCES):
            named = sorted(others.get(submission, ()))
            for agency, group in ([("", "")] if own else []) + named:
                agency, group, registered = _attributed(
                    names, agency, group, file_agency, file_group, agency_key, period)
                yield ObservationSource(submission, agency, group, period, source, registered)

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

    def lineage(self) -> list[Lineage]:
        """The merged and renamed agencies of the last agencies.csv ingested that has a lineage column
        (merged_from, renamed_from, since); [] when none was (an older workspace too: no migration)."""
        return lineage_from_json(self.meta(_LINEAGE_KEY))

    def set_lineage(self, lineage: list[Lineage]) -> None:
        self.set_meta(_LINEAGE_KEY, lineage_json(lineage))

    def protected_files(self) -> dict[Path, str]:
        """The workspace's files and the reports stored in it, which no output may replace."""
        files = {Path(f"{self.path}{suffix}"): "tệp phụ của workspace" for suffix in COMPANIONS}
        files[self.path] = "workspace"
        for (path,) in self.db.execute("SELECT path FROM submissions"):
            files[Path(path)] = "một báo cáo đã đọc vào workspace"
        return files


@dataclass(frozen=True, slots=True)
class ObservationSource:
    """Whom some of a submission's observations are about (`Workspace.observation_sources`)."""

    submission: int  # its id
    agency: str
    group: str
    period: str
    source_file: str  # display path
    registered: bool  # as `SourcedObservation.registered`


def _rows_sql(kind: str | None, unreviewed: bool) -> tuple[str, list[str]]:
    """The query of one submission's rows in `stream_observations` (its id the first parameter):
    Observation's fields in order, then the row's agency and group and how its label was mapped."""
    sql = ("SELECT o.label, o.raw_value, o.value, o.kind, o.unit, o.indicator, o.ref, o.max_points,"
           " o.denominator, o.note, o.location, o.agency, o.agency_group, o.method FROM observations o"
           " WHERE o.submission_id = ?")
    params: list[str] = []
    if kind:
        sql += " AND o.kind = ?"
        params.append(kind)
    if unreviewed:
        marks = ", ".join("?" * len(REVIEWED))
        sql += f" AND o.kind = 'data' AND o.indicator = '' AND o.method NOT IN ({marks})"
        params.extend(REVIEWED)
    return sql + " ORDER BY o.seq", params


# the order of the submissions (`stream_observations`): per agency and period, the later submission's
# rows first (then file order), so that the first row met of an item reported twice is the one that counts
_ORDER = "s.agency_key, s.period, s.status = 'failed', s.precedence, s.agency, s.display_path, s.path"

# `observation_sources`: each submission that counts, whether a row is about its own agency, in
# `stream_observations`' order; the agencies other rows name (read without the index: they are few)
_SOURCES = (
    "SELECT s.id, EXISTS (SELECT 1 FROM observations o WHERE o.submission_id = s.id AND o.agency = ''),"
    " s.agency, s.agency_group, s.agency_key, s.period, s.display_path FROM submissions s"
    f" WHERE s.status != 'superseded' ORDER BY {_ORDER}"
)
_OTHER_AGENCIES = (
    "SELECT DISTINCT o.submission_id, o.agency, o.agency_group FROM observations AS o NOT INDEXED"
    " WHERE o.agency != ''"
)


_SUBMISSION_ROW = ("SELECT s.id, s.agency, s.agency_group, s.agency_key, s.period, s.display_path"
                   " FROM submissions s")
_IDS_AT_ONCE = 500  # ids in one query's IN list (older SQLite takes at most 999 parameters)


def _submission_rows(
    cursor: sqlite3.Cursor, include_superseded: bool, submissions: Sequence[int] | None
) -> Iterable[tuple[int, str, str, str, str, str]]:
    """`stream_observations`' submissions (id, agency, group, agency key, period, file), in its order
    or, given `submissions`, in theirs."""
    current = [] if include_superseded else ["s.status != 'superseded'"]
    if submissions is None:
        where = "".join(f" WHERE {c}" for c in current)
        return cursor.execute(f"{_SUBMISSION_ROW}{where} ORDER BY {_ORDER}")
    found: dict[int, tuple[int, str, str, str, str, str]] = {}
    for at in range(0, len(submissions), _IDS_AT_ONCE):
        ids = submissions[at:at + _IDS_AT_ONCE]
        where = " AND ".join([f"s.id IN ({', '.join('?' * len(ids))})", *current])
        found.update((r[0], r) for r in cursor.execute(f"{_SUBMISSION_ROW} WHERE {where}", ids))
    return [found[i] for i in submissions if i in found]


def _attributed(
    names: dict[tuple[str, str], tuple[str, str]], row_agency: str, row_group: str, file_agency: str,
    file_group: str, agency_key: str, period: str,
) -> tuple[str, str, bool]:
    """The agency, group and registration of a row: the agency it names, else its file's agency as
    the latest submission of that agency and period names it (`names`, filled as rows come)."""
    if row_agency:
        return row_agency, row_group or infer_group(row_agency), False
    registered = agency_key.startswith("id:")
    if agency_key and period:
        return (*names.setdefault((agency_key, period), (file_agency, file_group)), registered)
    return file_agency, file_group, registered


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
