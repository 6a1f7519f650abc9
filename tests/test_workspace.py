"""The SQLite workspace: one transaction per file, replace-on-change, provenance kept."""

import sqlite3
from pathlib import Path

import pytest

from egovcli.model import Observation
from egovcli.problems import problem
from egovcli.workspace import Workspace, WorkspaceError, resolve_path


def _obs(label: str, value: float, location: str) -> Observation:
    return Observation(
        label=label, raw_value=str(value), value=value, location=location, indicator="staff_total"
    )


def _store(ws: Workspace, sha: str, observations: list[Observation], problems=()) -> int:
    return ws.store_submission(
        path="/r/so-tai-chinh.xlsx",
        display_path="so-tai-chinh.xlsx",
        sha256=sha,
        size=10,
        mtime=0.0,
        agency="Sở Tài chính tỉnh Hà Nam",
        group="department",
        period="2022",
        problems=list(problems),
        observations=observations,
    )


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
            rows=[("A", "department", "2022", {"criterion": "I.1", "points": 10})],
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
