"""`egov indicators --unmapped` lists only the rows nobody has reviewed; a schema-3 workspace is
upgraded in place to record how each row was mapped."""

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from egovcli import api
from egovcli.cli import app
from egovcli.ingest import ingest_folder
from egovcli.workspace import SCHEMA_VERSION, Workspace

NOT_AN_INDICATOR = "Tên cơ quan, đơn vị"  # in the catalogue's not_indicators
PINNED_TO_NONE = "Số điện thoại đường dây nóng"
UNKNOWN = "Ghi chú về hạ tầng mạng"


def _annex(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Phụ lục số liệu ứng dụng CNTT năm 2022"])
    for label, value in ((NOT_AN_INDICATOR, "Sở Y tế"), (PINNED_TO_NONE, "0226 3852 123"),
                         (UNKNOWN, "ổn định"), ("Máy chủ", 3)):
        ws.append([f"{label}:", value])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _unmapped(ws_path: Path) -> list[str]:
    result = CliRunner().invoke(app, ["indicators", "--workspace", str(ws_path), "--unmapped", "-f", "json"])
    assert result.exit_code == 0, result.output
    return [row["label"] for row in json.loads(result.stdout)]


def test_reviewed_rows_are_not_listed_and_follow_the_mapping(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _annex(reports / "phu-luc.xlsx")
    mapping = reports / "mapping.csv"
    mapping.write_text(f"label,indicator\n{PINNED_TO_NONE},\n", encoding="utf-8")
    ws_path = tmp_path / "ws.sqlite"
    with Workspace(ws_path) as ws:
        ingest_folder(reports, ws, jobs=1)
    assert _unmapped(ws_path) == [UNKNOWN]
    # every row is still listed without --unmapped
    with Workspace(ws_path) as ws:
        labels = {row.label for row in api.indicator_rows(ws)}
    assert {NOT_AN_INDICATOR, PINNED_TO_NONE, UNKNOWN, "Máy chủ"} <= labels
    # the pin is dropped and the unknown label pinned: the stored rows follow, nothing is re-read
    mapping.write_text(f"label,indicator\n{UNKNOWN},\n", encoding="utf-8")
    with Workspace(ws_path) as ws:
        assert [f.status for f in ingest_folder(reports, ws, jobs=1).files] == ["unchanged"]
    assert _unmapped(ws_path) == [PINNED_TO_NONE]


# The schema egov wrote before version 4 (no observations.method, no submissions.precedence).
_SCHEMA_3 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    display_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    agency TEXT NOT NULL,
    agency_group TEXT NOT NULL,
    agency_key TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL,
    doc_date TEXT,
    status TEXT NOT NULL,
    superseded_by TEXT,
    problems TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE observations (
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
    agency TEXT NOT NULL DEFAULT '',
    agency_group TEXT NOT NULL DEFAULT ''
);
CREATE INDEX observations_submission ON observations(submission_id);
CREATE INDEX submissions_agency_period ON submissions(agency_key, period);
CREATE TABLE score_runs (
    id INTEGER PRIMARY KEY,
    rules TEXT NOT NULL,
    rules_title TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    rules_text TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE scores (
    run_id INTEGER NOT NULL REFERENCES score_runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    agency TEXT NOT NULL,
    agency_group TEXT NOT NULL,
    period TEXT NOT NULL,
    row TEXT NOT NULL
);
CREATE INDEX scores_run ON scores(run_id);
"""


def _schema_3_workspace(path: Path) -> None:
    """A report and its annex as schema 3 stored them: the annex, being later, superseded the
    report; a pin (mapping.csv) was in force."""
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA_3)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema_version", "3"), ("mapping_sha256", "abc")])
    for sub_id, name, mtime, status, by in (
        (1, "bao-cao.docx", 1_000, "superseded", "/r/phu-luc.xlsx"),
        (2, "phu-luc.xlsx", 2_000, "ok", None),
    ):
        db.execute(
            "INSERT INTO submissions(id, path, display_path, sha256, size, mtime, agency, agency_group,"
            " agency_key, period, status, superseded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (sub_id, f"/r/{name}", name, name, 1, mtime, "Sở Y tế", "department", "so y te", "2022", status,
             by),
        )
    rows = [
        (1, "self_score", "I.1", "Tỷ lệ CBCCVC được trang bị máy tính", "10", 10.0),
        (1, "data", "servers", "Máy chủ", "04", 4.0),
        (1, "data", "computers_total", "Tổng số máy, thiết bị", "40", 40.0),  # pinned
        (1, "data", "", NOT_AN_INDICATOR, "Sở Y tế", None),
        (1, "data", "", PINNED_TO_NONE, "0226 3852 123", None),
        (2, "data", "server_room", "Phòng máy chủ", "Có", 1.0),
        (2, "data", "", UNKNOWN, "ổn định", None),
    ]
    db.executemany(
        "INSERT INTO observations(submission_id, seq, kind, indicator, ref, label, raw_value, value, unit,"
        " note, location) VALUES (?, ?, ?, ?, '', ?, ?, ?, '', '', 'A1')",
        [(sub, seq, *row) for seq, (sub, *row) in enumerate(rows)],
    )
    db.commit()
    db.close()


def test_a_schema_3_workspace_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    _schema_3_workspace(path)
    with Workspace(path) as ws:
        assert ws.meta("schema_version") == str(SCHEMA_VERSION)
        methods = dict(ws.db.execute("SELECT label, method FROM observations WHERE kind = 'data'").fetchall())
        assert methods == {
            "Máy chủ": "exact",
            "Tổng số máy, thiết bị": "pinned",  # the catalogue would not give what is stored
            NOT_AN_INDICATOR: "not_indicator",
            PINNED_TO_NONE: "none",  # only the pins can tell: …
            "Phòng máy chủ": "exact",
            UNKNOWN: "none",
        }
        assert ws.meta("mapping_sha256") != "abc"  # … so the next ingest re-maps every row
        # the report is no longer dropped: the annex does not repeat it
        assert {s.display_path: (s.status, s.superseded_by) for s in ws.submissions()} == {
            "bao-cao.docx": ("ok", ""),
            "phu-luc.xlsx": ("ok", ""),
        }
        assert len(ws.observations()) == 7
    with Workspace(path) as ws:  # opening again changes nothing
        assert ws.meta("schema_version") == str(SCHEMA_VERSION)
    assert sorted(_unmapped(path)) == sorted([PINNED_TO_NONE, UNKNOWN])
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "mapping.csv").write_text(
        f'label,indicator\n{PINNED_TO_NONE},\n"Tổng số máy, thiết bị",computers_total\n', encoding="utf-8"
    )
    with Workspace(path) as ws:
        ingest_folder(folder, ws, jobs=1)
        computers = [so.obs.indicator for so in ws.observations() if so.obs.label == "Tổng số máy, thiết bị"]
        assert computers == ["computers_total"]
    assert _unmapped(path) == [UNKNOWN]
