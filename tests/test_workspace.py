"""The SQLite workspace: one transaction per file, replace-on-change, provenance kept."""

import math
import sqlite3
from pathlib import Path

import pytest
from helpers import statuses

from egovcli.indicators import Match
from egovcli.model import Observation
from egovcli.problems import problem
from egovcli.workspace import NewSubmission, Workspace, WorkspaceError, resolve_busy_timeout, resolve_path
from egovcli.workspace.runs import StoredAgency


def _obs(label: str, value: float, location: str) -> Observation:
    return Observation(
        label=label, raw_value=str(value), value=value, location=location, indicator="staff_total"
    )


def _store(
    ws: Workspace,
    sha: str,
    observations: list[Observation],
    problems=(),
    *,
    name: str = "so-tai-chinh.xlsx",
    mtime: float = 0.0,
    doc_date: str | None = None,
    agency_key: str = "so tai chinh",
    period: str = "2022",
) -> int:
    return ws.store_submission(NewSubmission(
        path=f"/r/{name}",
        display_path=name,
        sha256=sha,
        size=10,
        mtime=mtime,
        agency="Sở Tài chính tỉnh Hà Nam",
        group="department",
        period=period,
        problems=list(problems),
        observations=observations,
        agency_key=agency_key,
        doc_date=doc_date,
    ))


def test_store_and_read_back_with_provenance(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        _store(ws, "a", [_obs("Tổng số CBCCVC", 50, "Phụ lục!B4")])
        (so,) = ws.observations()
        assert (so.agency, so.period, so.source_file) == (
            "Sở Tài chính tỉnh Hà Nam",
            "2022",
            "so-tai-chinh.xlsx",
        )
        assert (so.obs.value, so.obs.location, so.obs.indicator) == (50, "Phụ lục!B4", "staff_total")
        assert ws.submission("/r/so-tai-chinh.xlsx").sha256 == "a"


def test_changed_file_replaces_its_rows(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        _store(ws, "a", [_obs("x", 1, "A1"), _obs("y", 2, "A2")])
        _store(ws, "b", [_obs("x", 3, "A1")])
        assert [so.obs.value for so in ws.observations()] == [3]
        assert len(ws.submissions()) == 1


def test_failed_store_leaves_previous_rows(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        _store(ws, "a", [_obs("x", 1, "A1")])
        bad = Observation(label="x", raw_value="1", value=object(), location="A1")  # type: ignore[arg-type]
        with pytest.raises(sqlite3.Error):
            _store(ws, "b", [_obs("x", 5, "A1"), bad])
        assert [so.obs.value for so in ws.observations()] == [1]
        assert ws.submission("/r/so-tai-chinh.xlsx").sha256 == "a"


def test_status_follows_problems(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        _store(ws, "a", [], [problem("E-EMPTY", file="so-tai-chinh.xlsx")])
        (sub,) = ws.submissions()
        assert sub.status == "failed"
        assert sub.problems[0]["code"] == "E-EMPTY"


def test_score_runs_keep_the_rule_set(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        run = ws.store_scores(
            rules="hanam-2022",
            rules_title="Hà Nam 2022",
            rules_text="name: x",
            agencies=[StoredAgency(0, "A", "department", "2022", [{"criterion": "I.1", "points": 10}])],
        )
        assert ws.latest_run()["rules_text"] == "name: x"
        assert ws.run_rows(run) == [("A", "department", "2022", {"criterion": "I.1", "points": 10})]


def test_workspace_path_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EGOV_WORKSPACE", raising=False)
    assert resolve_path(None) == Path("egov.sqlite")
    monkeypatch.setenv("EGOV_WORKSPACE", "/tmp/x.sqlite")
    assert resolve_path(None) == Path("/tmp/x.sqlite")
    assert resolve_path("mine.sqlite") == Path("mine.sqlite")


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "ws.sqlite"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkspaceError, match="ws.sqlite"):
        Workspace(bogus)


def test_rows_about_other_agencies_are_attributed_to_them(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        row = Observation(
            label="Tổng điểm",
            raw_value="74,5",
            value=74.5,
            kind="published_score",
            indicator="TOTAL",
            location="trang 2, bảng 1, dòng 4, cột 9",
            agency="UBND huyện Kỳ Sơn",
        )
        _store(ws, "a", [_obs("x", 1, "A1"), row])
        own, other = ws.observations()
        assert (own.agency, own.group) == ("Sở Tài chính tỉnh Hà Nam", "department")
        assert (other.agency, other.group, other.obs.agency) == (
            "UBND huyện Kỳ Sơn",
            "district",
            "UBND huyện Kỳ Sơn",
        )


def test_workspace_from_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    Workspace(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(WorkspaceError, match="workspace mới"):
        Workspace(path)


def _sources(ws: Workspace, **kw: bool) -> list[str]:
    return sorted({so.source_file for so in ws.observations(**kw)})


def test_the_later_file_of_an_agency_and_period_supersedes_the_other(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        _store(ws, "a", [_obs("x", 1, "A1")], name="bao-cao-lan-1.xlsx", mtime=100)
        _store(ws, "b", [_obs("x", 2, "A1")], name="bao-cao-lan-2.xlsx", mtime=200)
        assert statuses(ws) == {
            "bao-cao-lan-1.xlsx": ("superseded", "bao-cao-lan-2.xlsx"),
            "bao-cao-lan-2.xlsx": ("ok", ""),
        }
        assert _sources(ws) == ["bao-cao-lan-2.xlsx"]
        assert _sources(ws, include_superseded=True) == ["bao-cao-lan-1.xlsx", "bao-cao-lan-2.xlsx"]
        # the winner is deleted: the other counts again, with its own status
        ws.delete_submission("/r/bao-cao-lan-2.xlsx")
        assert statuses(ws) == {"bao-cao-lan-1.xlsx": ("ok", "")}


def test_document_dates_decide_when_every_file_has_one(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        warn = [problem("W-NO-PERIOD", file="x", periods="—")]
        _store(ws, "a", [_obs("x", 1, "A1")], warn, name="a.xlsx", mtime=900, doc_date="2022-03-01")
        _store(ws, "b", [_obs("x", 2, "A1")], name="b.xlsx", mtime=100, doc_date="2022-10-20")
        assert statuses(ws) == {"a.xlsx": ("superseded", "b.xlsx"), "b.xlsx": ("ok", "")}
        _store(ws, "c", [_obs("x", 3, "A1")], name="c.xlsx", mtime=500)  # no date: modification times
        assert statuses(ws) == {
            "a.xlsx": ("warning", ""),
            "b.xlsx": ("superseded", "a.xlsx"),
            "c.xlsx": ("superseded", "a.xlsx"),
        }


def test_only_readable_submissions_of_a_known_agency_and_period_compete(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        _store(ws, "a", [_obs("x", 1, "A1")], name="a.xlsx", mtime=1)
        _store(ws, "f", [], [problem("E-EMPTY", file="f.xlsx")], name="f.xlsx", mtime=9)
        published = Observation("Tổng điểm", "80", 80, kind="published_score", agency="Sở Y tế")
        _store(ws, "p", [published], name="xep-hang.pdf", mtime=9)
        _store(ws, "g", [_obs("x", 1, "A1")], name="guess.xlsx", mtime=9, agency_key="")
        _store(ws, "n", [_obs("x", 1, "A1")], name="no-period.xlsx", mtime=9, period="")
        assert {s for s, _ in statuses(ws).values()} == {"ok", "failed"}
        # re-storing a file under another agency settles both agencies again
        _store(ws, "b", [_obs("x", 2, "A1")], name="b.xlsx", mtime=5)
        assert statuses(ws)["a.xlsx"] == ("superseded", "b.xlsx")
        _store(ws, "b2", [_obs("x", 2, "A1")], name="b.xlsx", mtime=5, agency_key="so y te")
        assert statuses(ws)["a.xlsx"] == ("ok", "")


def test_info_problems_leave_the_status_ok(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:  # a code outside the catalogue cannot be made
        _store(ws, "a", [_obs("x", 1, "A1")], [problem("I-MACROS-NOT-RUN", "a.xlsm")])
        assert [s.status for s in ws.submissions()] == ["ok"]


def test_rows_about_other_agencies_keep_the_group_they_were_stored_with(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        row = Observation("Tổng điểm", "80", 80, kind="published_score", agency="Văn phòng HĐND huyện")
        ws.store_submission(NewSubmission(
            path="/r/x.pdf",
            display_path="x.pdf",
            sha256="a",
            size=1,
            mtime=0,
            agency="Sở Thông tin và Truyền thông",
            group="department",
            period="2022",
            problems=[],
            observations=[row],
            row_groups={"Văn phòng HĐND huyện": "district"},
        ))
        assert [(so.agency, so.group) for so in ws.observations()] == [("Văn phòng HĐND huyện", "district")]


def test_remap_indicators_rewrites_data_rows_and_records_the_mapping(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        score = Observation("Tổng điểm", "9", 9, kind="self_score", indicator="TOTAL")
        _store(ws, "a", [_obs("Số máy chủ", 2, "A1"), _obs("Tổng số CBCCVC", 50, "A2"), score])
        changed = ws.remap_indicators(
            lambda label: Match("servers", 100, "pinned") if label == "Số máy chủ" else Match("", 0, "none"),
            mapping_sha256="h1",
        )
        assert changed == 2
        assert [so.obs.indicator for so in ws.observations()] == ["servers", "", "TOTAL"]
        assert ws.meta("mapping_sha256") == "h1"
        with pytest.raises(ZeroDivisionError):
            ws.remap_indicators(lambda label: Match(str(1 / 0), 0, "none"), mapping_sha256="h2")
        assert ws.meta("mapping_sha256") == "h1"  # all or nothing


def test_numbers_are_stored_finite_and_without_negative_zero(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        rows = [
            Observation("a", "x", math.nan, location="A1", max_points=math.inf, denominator=-math.inf),
            Observation("b", "-0", -0.0, location="A2", max_points=-0.0),
            Observation("c", "3", 3, location="A3"),
        ]
        _store(ws, "a", rows)
        a, b, c = (so.obs for so in ws.observations())
        assert (a.value, a.max_points, a.denominator) == (None, None, None)
        assert b.value == 0 and math.copysign(1.0, b.value) == 1.0 and math.copysign(1.0, b.max_points) == 1.0
        assert c.value == 3


def test_busy_timeout_from_argument_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EGOV_BUSY_TIMEOUT", raising=False)
    assert resolve_busy_timeout() == 30
    monkeypatch.setenv("EGOV_BUSY_TIMEOUT", "2,5")
    assert resolve_busy_timeout() == 2.5
    assert resolve_busy_timeout(0.1) == 0.1  # the argument wins
    assert resolve_busy_timeout(1e9) == 86_400  # SQLite would wrap a longer one to 0
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert ws.busy_timeout == 2.5
        assert ws.db.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    for bad in ("abc", "-1", "inf", "nan"):
        monkeypatch.setenv("EGOV_BUSY_TIMEOUT", bad)
        with pytest.raises(WorkspaceError, match="EGOV_BUSY_TIMEOUT"):
            Workspace(tmp_path / "ws.sqlite")


def test_a_locked_workspace_is_refused_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    Workspace(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WorkspaceError, match="đang bị một tiến trình khác khoá"):
            Workspace(path, busy_timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    Workspace(path, busy_timeout=0.05).close()
