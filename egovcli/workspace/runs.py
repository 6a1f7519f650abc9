"""Scoring runs in the workspace: stored one agency at a time, read back one agency at a time.

A run is one row of `score_runs` (the rule set verbatim, the inputs' fingerprint, an optional name)
and one row of `run_agencies` per scored agency and period: what ranks it (`totals`, small JSON) and
its criterion rows (`rows`: the JSON list of its rows, compressed by `pack` — the explanations naming
files and cells repeat the same words, so they compress about threefold). `egov rank` reads the
totals only; a renderer that needs an agency's criteria reads that agency's rows.

What is kept: a new run replaces an earlier unnamed run of the same rule set, the same inputs
(submissions, label mapping) and the same appraisal adjustments, in the same transaction; a run
named by `egov score --run NAME` replaces only the earlier run of that name. `prune` deletes the
unnamed runs a later run of the same rule set superseded, and rows nothing refers to; `vacuum`
gives the freed pages back to the file system.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from egovcli.workspace.connection import COMPANIONS, Connection, WorkspaceError, is_busy

# the start of a run's rows as `pack` stores them: LZ4-compressed JSON that orjson wrote (and reads
# back exactly), or that json.dumps wrote; earlier egov stored json.dumps' JSON zlib-compressed, which
# starts with 0x78 ("x")
_ORJSON, _JSON = b"LZ4o", b"LZ4j"
_ADJUSTMENTS_KEY = "adjustments"  # meta: the adjustments the next scoring run applies (JSON)
# an unnamed run a later run of the same rule set replaces: neither the latest run nor a named one
_SUPERSEDED = (
    "SELECT r.* FROM score_runs r WHERE r.name IS NULL AND EXISTS"
    " (SELECT 1 FROM score_runs later WHERE later.rules = r.rules AND later.id > r.id)"
)


@dataclass(frozen=True, slots=True)
class StoredAgency:
    """One scored agency and period of a run: its place in the run, its rows (each a dict of a
    `CriterionScore`'s fields), what ranks it (None: a run stored before egov kept it) and the
    self-score rows that decided none (each a dict of an observation's fields and its file)."""

    seq: int
    agency: str
    group: str
    period: str
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    unmatched: list[dict[str, Any]] = field(default_factory=list)  # self-scores that decided no row
    packed: bytes | None = None  # rows and unmatched as stored (`pack`), when already packed
    packed_totals: str | None = None  # totals as stored (`totals_text`), when already made


@dataclass(frozen=True, slots=True)
class Pruned:
    """What `prune` deleted: the runs (id, rules, created_at) and the rows nothing referred to."""

    runs: list[tuple[int, str, str]] = field(default_factory=list)
    orphan_observations: int = 0
    orphan_run_rows: int = 0


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    name: str
    rules: str
    created_at: str
    agencies: int
    bytes: int  # of its stored rows
    latest: bool
    superseded: bool  # `prune` deletes it


@dataclass(frozen=True, slots=True)
class WorkspaceInfo:
    """`egov workspace info`: sizes, submissions by status, observations, scoring runs."""

    path: str
    file_bytes: int  # the workspace file and its -wal / -shm beside it
    free_bytes: int  # pages the file holds but nothing uses (`vacuum` gives them back)
    submissions: dict[str, int]  # status → count
    observations: int
    runs: list[RunInfo]


def totals_text(totals: dict[str, Any]) -> str:
    """An agency's totals as stored (JSON)."""
    return json.dumps(totals, ensure_ascii=False)


def pack(rows: list[dict[str, Any]], unmatched: list[dict[str, Any]]) -> bytes:
    """Rows of the same keys (a run's always are) as one list of keys and a list of values each, as
    JSON, LZ4-compressed (a round's run is packed in a fraction of zlib's time, a third larger)."""
    import lz4.block

    keys = list(rows[0]) if rows else []
    if all(list(row) == keys for row in rows):
        values = [list(row.values()) for row in rows]
        data: dict[str, Any] = {"keys": keys, "values": values}
        # every None a row or an unmatched self-score holds is one null of the text
        nones = sum(row.count(None) for row in values) + sum(list(u.values()).count(None) for u in unmatched)
    else:
        data, nones = {"rows": rows}, -1
    data["unmatched"] = unmatched
    mark, text = _json(data, nones)
    return mark + len(text).to_bytes(4, "little") + lz4.block.compress(text, store_size=False)


def _json(data: dict[str, Any], nones: int) -> tuple[bytes, bytes]:
    """`data` as compact UTF-8 JSON, beside the mark of who reads it back (`_ORJSON`, `_JSON`).

    orjson's text is json.dumps' but where orjson writes NaN and ±inf as null (json.dumps: NaN, read
    back as NaN) or gives up (a lone surrogate, an integer beyond 64 bits): so its text is taken only
    when it holds no more nulls than `nones`, the Nones known to be in `data` (-1: not counted; a
    "null" inside a text only sends it to json.dumps). orjson reads exactly what it wrote."""
    import orjson

    if nones >= 0:
        try:
            text = orjson.dumps(data)
        except TypeError:  # orjson.JSONEncodeError
            pass
        else:
            if text.count(b"null") == nones:
                return _ORJSON, text
    return _JSON, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def unpack(blob: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows and the unmatched self-scores `pack` stored, or an earlier egov stored (zlib, json)."""
    mark = blob[:4]
    if mark in (_ORJSON, _JSON):
        import lz4.block

        # a hostile size never allocates more than LZ4 can expand the block to (255×)
        size = min(int.from_bytes(blob[4:8], "little"), 255 * len(blob))
        text = lz4.block.decompress(blob[8:], uncompressed_size=size)
    else:
        text = zlib.decompress(blob)
    if mark == _ORJSON:
        import orjson

        data = orjson.loads(text)
    else:  # json.loads reads NaN, ±Infinity and integers of any size as json.dumps wrote them
        data = json.loads(text)
    return _unpacked_rows(data), data["unmatched"]


def _unpacked_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    if "keys" in data:
        keys = data["keys"]
        return [dict(zip(keys, values, strict=True)) for values in data["values"]]
    rows: list[dict[str, Any]] = data["rows"]
    return rows


class ScoreRuns(Connection):
    """The workspace's scoring runs (the `Workspace` mixes this in)."""

    def store_scores(self, *, rules: str, rules_title: str, rules_text: str, agencies: Iterable[StoredAgency],
                     adjustments: str | None = None, name: str | None = None) -> int:
        """Record a scoring run (the rule set used, verbatim) and its agencies in one transaction,
        consuming `agencies` as they come (each may be scored only when asked for); returns the id.

        `adjustments` (JSON, None = none) are the appraisal adjustments the run applied: kept with
        the run, and as the workspace's adjustments for the next run. The run replaces the earlier
        run of the same `name`, or — unnamed — the earlier unnamed runs of the same rule set, inputs
        and adjustments (module doc)."""
        digest = hashlib.sha256(rules_text.encode("utf-8")).hexdigest()
        with self.transaction() as db:
            inputs = _fingerprint(db, adjustments)
            # a new id, above every run's so far: a reader of the run it replaces is told it is gone
            run_id = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM score_runs").fetchone()[0])
            # the replaced run goes first, so that its freed pages hold the new run's rows: a repeated
            # run leaves the file its size instead of growing it by a run
            if name is not None:
                db.execute("DELETE FROM score_runs WHERE name = ?", (name,))
            else:
                db.execute(
                    "DELETE FROM score_runs WHERE name IS NULL AND rules_sha256 = ? AND inputs_sha256 = ?",
                    (digest, inputs),
                )
            db.execute(
                "INSERT INTO score_runs(id, rules, rules_title, rules_sha256, rules_text, name,"
                " inputs_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (run_id, rules, rules_title, digest, rules_text, name, inputs),
            )
            for a in agencies:
                db.execute(
                    "INSERT INTO run_agencies(run_id, seq, agency, agency_group, period, totals, rows)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, a.seq, a.agency, a.group, a.period,
                     a.packed_totals if a.packed_totals is not None
                     else None if a.totals is None else totals_text(a.totals),
                     a.packed if a.packed is not None else pack(a.rows, a.unmatched)),
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

    def latest_run(self, name: str | None = None) -> sqlite3.Row | None:
        """The latest scoring run, or the run called `name`."""
        if name is not None:
            return self.db.execute("SELECT * FROM score_runs WHERE name = ?", (name,)).fetchone()
        return self.db.execute("SELECT * FROM score_runs ORDER BY id DESC LIMIT 1").fetchone()

    def run_exists(self, run_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM score_runs WHERE id = ?", (run_id,)).fetchone() is not None

    def run_agencies(self, run_id: int) -> Iterator[StoredAgency]:
        """The run's agencies in their order, each read and unpacked only when reached."""
        cur = self.db.execute(
            "SELECT seq, agency, agency_group, period, totals, rows FROM run_agencies WHERE run_id = ?"
            " ORDER BY seq",
            (run_id,),
        )
        for r in cur:
            yield _stored(r)

    def run_agency(
        self, run_id: int, agency: str, period: str, group: str | None = None
    ) -> StoredAgency | None:
        """One agency and period of a run (in `group` when given), or None."""
        sql = ("SELECT seq, agency, agency_group, period, totals, rows FROM run_agencies"
               " WHERE run_id = ? AND agency = ? AND period = ?")
        params: tuple[object, ...] = (run_id, agency, period)
        if group is not None:
            sql, params = sql + " AND agency_group = ?", (*params, group)
        # `+seq`: not the (run_id, seq) index, which SQLite would take to skip the sort, reading every
        # agency of the run for each one asked for (rank's workbook asks for each: quadratic)
        row = self.db.execute(sql + " ORDER BY +seq LIMIT 1", params).fetchone()
        return _stored(row) if row else None

    def run_totals(self, run_id: int) -> Iterator[tuple[str, str, str, dict[str, Any] | None]]:
        """(agency, group, period, totals) of each of the run's agencies, without their rows."""
        cur = self.db.execute(
            "SELECT agency, agency_group, period, totals FROM run_agencies WHERE run_id = ? ORDER BY seq",
            (run_id,),
        )
        for agency, group, period, totals in cur:
            yield agency, group, period, None if totals is None else json.loads(totals)

    def run_size(self, run_id: int) -> int:
        """How many agencies and periods the run scored."""
        found = self.db.execute("SELECT count(*) FROM run_agencies WHERE run_id = ?", (run_id,)).fetchone()
        return int(found[0])

    def run_rows(self, run_id: int) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every row of a run, in order, beside its agency, group and period."""
        return [(a.agency, a.group, a.period, row) for a in self.run_agencies(run_id) for row in a.rows]

    # -- upkeep ------------------------------------------------------------------------------

    def prune(self) -> Pruned:
        """Delete, in one transaction, the unnamed runs a later run of the same rule set superseded
        (never the latest run, nor a named one), and the rows nothing refers to: observations of a
        submission no longer stored, agencies and adjustments of a run no longer stored.

        Superseded submissions and their observations are kept: should the file that replaces one be
        deleted, the supersession is settled again and it counts once more."""
        with self.transaction() as db:
            found = db.execute(_SUPERSEDED + " ORDER BY r.id")
            runs = [(r["id"], r["rules"], r["created_at"]) for r in found]
            db.executemany("DELETE FROM score_runs WHERE id = ?", [(run_id,) for run_id, _, _ in runs])
            observations = db.execute(
                "DELETE FROM observations WHERE submission_id NOT IN (SELECT id FROM submissions)"
            ).rowcount
            run_rows = db.execute(
                "DELETE FROM run_agencies WHERE run_id NOT IN (SELECT id FROM score_runs)"
            ).rowcount
            run_rows += db.execute(
                "DELETE FROM run_adjustments WHERE run_id NOT IN (SELECT id FROM score_runs)"
            ).rowcount
        return Pruned(runs, observations, run_rows)

    def vacuum(self) -> tuple[int, int]:
        """Rewrite the workspace file without its free pages (SQLite VACUUM: one transaction, so a
        crash leaves the file as it was), then fold the write-ahead log into it; returns the file's
        size before and after. Needs free space about the file's size, and no other writer."""
        before = self.file_bytes()
        free = shutil.disk_usage(self.path.resolve().parent).free
        if free < before:
            raise WorkspaceError(
                f"Không đủ chỗ trống để thu gọn workspace {self.path}: cần khoảng {before:,} byte,"
                f" còn {free:,} byte. Workspace giữ nguyên.".replace(",", "."),
                code="E-WORKSPACE-FULL",
            )
        try:
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise self._locked(exc) from exc
            message = f"Không thu gọn được workspace {self.path}: {exc}. Workspace giữ nguyên."
            raise WorkspaceError(message) from exc
        return before, self.file_bytes()

    def file_bytes(self) -> int:
        """The size of the workspace file and the SQLite files beside it."""
        paths = [self.path, *(self.path.with_name(self.path.name + s) for s in COMPANIONS)]
        return sum(p.stat().st_size for p in paths if p.exists())

    def info(self) -> WorkspaceInfo:
        """Sizes, submissions by status, observations and runs (each with its size and fate)."""
        db = self.db
        page = db.execute("PRAGMA page_size").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0] * page
        statuses = dict(db.execute("SELECT status, count(*) FROM submissions GROUP BY status"))
        observations = db.execute("SELECT count(*) FROM observations").fetchone()[0]
        superseded = {r["id"] for r in db.execute(_SUPERSEDED)}
        latest = db.execute("SELECT max(id) FROM score_runs").fetchone()[0]
        runs = [
            RunInfo(r["id"], r["name"] or "", r["rules"], r["created_at"], r["n"], r["size"] or 0,
                    r["id"] == latest, r["id"] in superseded)
            for r in db.execute(
                "SELECT r.id, r.name, r.rules, r.created_at, count(a.seq) AS n,"
                " sum(length(a.rows) + coalesce(length(a.totals), 0)) AS size"
                " FROM score_runs r LEFT JOIN run_agencies a ON a.run_id = r.id GROUP BY r.id ORDER BY r.id"
            )
        ]
        return WorkspaceInfo(str(self.path), self.file_bytes(), free, statuses, observations, runs)


def _stored(r: sqlite3.Row | tuple[Any, ...]) -> StoredAgency:
    seq, agency, group, period, totals, blob = tuple(r)
    rows, unmatched = unpack(blob)
    return StoredAgency(seq, agency, group, period, rows, None if totals is None else json.loads(totals),
                        unmatched)


def _fingerprint(db: sqlite3.Connection, adjustments: str | None) -> str:
    """What a run scores, besides its rule set: every stored submission (content, status, agency,
    period), the label mapping in force and the appraisal adjustments."""
    digest = hashlib.sha256()
    for row in db.execute(
        "SELECT path, sha256, status, precedence, agency, agency_group, agency_key, period, superseded_by"
        " FROM submissions ORDER BY path"
    ):
        digest.update(json.dumps(tuple(row), ensure_ascii=False).encode("utf-8"))
    mapping = db.execute("SELECT value FROM meta WHERE key = 'mapping_sha256'").fetchone()
    digest.update(json.dumps([mapping[0] if mapping else None, adjustments], ensure_ascii=False).encode())
    return digest.hexdigest()


def upgrade_from_4(db: sqlite3.Connection) -> None:
    """Schema 4 → 5 inside the caller's transaction: runs get a name and their inputs' fingerprint
    (unknown: '', so no later run replaces them; `prune` may), and each run's rows, one table row per
    criterion before, become one packed row per agency (totals computed when read)."""
    db.execute("ALTER TABLE score_runs ADD COLUMN name TEXT")
    db.execute("ALTER TABLE score_runs ADD COLUMN inputs_sha256 TEXT NOT NULL DEFAULT ''")
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scores'").fetchone():
        current: tuple[int, str, str, str] | None = None
        rows: list[dict[str, Any]] = []
        seq = 0

        def flush() -> None:
            if current is not None:
                db.execute(
                    "INSERT INTO run_agencies(run_id, seq, agency, agency_group, period, totals, rows)"
                    " VALUES (?, ?, ?, ?, ?, NULL, ?)",
                    (*current[:1], seq, *current[1:], pack(rows, [])),
                )

        old = db.execute("SELECT run_id, agency, agency_group, period, row FROM scores ORDER BY run_id, seq")
        for r in old:
            key = (r[0], r[1], r[2], r[3])
            if key != current:
                flush()
                seq = 0 if current is None or current[0] != key[0] else seq + 1
                current, rows = key, []
            rows.append(json.loads(r[4]))
        flush()
        db.execute("DROP TABLE scores")
