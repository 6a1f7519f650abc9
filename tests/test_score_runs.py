"""Scoring runs at a national round's scale (issue 15): a rerun replaces the run it repeats, a named
run is kept, `egov workspace prune` / `vacuum` / `info`, an older workspace's runs kept, `egov rank`
reading no criterion row for its ranking, and long terminal tables summarised (`--all`: every row)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import egov

from egovcli import api
from egovcli.agencies import agency_key
from egovcli.model import Observation
from egovcli.score import stored
from egovcli.workspace import NewSubmission, Workspace

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
REPORTS = ("so-xay-dung.xlsx", "so-cong-thuong.xlsx")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two Hà Nam 2022 reports ingested (not scored)."""
    folder = tmp_path_factory.mktemp("reports")
    for name in REPORTS:
        shutil.copyfile(SAMPLES / name, folder / name)
    ws = folder.parent / "base.sqlite"
    assert egov("ingest", str(folder), "-w", str(ws), "-j", "1")[0] == 0
    return ws


@pytest.fixture
def ws(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ws.sqlite"
    shutil.copyfile(base, path)
    return path


def _runs(ws: Path) -> list[tuple[int, str | None]]:
    with Workspace(ws, create=False) as w:
        return [(r["id"], r["name"]) for r in w.db.execute("SELECT id, name FROM score_runs ORDER BY id")]


def _score(ws: Path, *args: str) -> str:
    code, out, err = egov("score", "-r", "hanam-2022", "-w", str(ws), "-f", "csv", *args)
    assert code == 0, err
    return out


def _rank(ws: Path, *args: str) -> str:
    code, out, err = egov("rank", "-w", str(ws), "-f", "csv", *args)
    assert code == 0, err
    return out


def test_a_rerun_of_the_same_reports_replaces_the_run(ws: Path, tmp_path: Path) -> None:
    first = _score(ws)
    assert _score(ws) == first
    assert [name for _, name in _runs(ws)] == [None]  # one run, not two
    adjustments = tmp_path / "adjustments.csv"
    adjustments.write_text("agency,criterion,points,reason\nSở Xây dựng,I.1,+1,thẩm định\n", encoding="utf-8")
    _score(ws, "--adjustments", str(adjustments))
    assert len(_runs(ws)) == 2  # other adjustments: another run, kept beside (tests/test_adjustments.py)


def test_a_run_that_replaces_another_reuses_its_space(ws: Path) -> None:
    """The replaced run is deleted before the new one is written, in the same transaction: its pages
    hold the new rows, so rerunning the same round does not grow the workspace (issue 15, goal 4)."""

    def pages() -> int:
        with Workspace(ws, create=False) as w:
            return int(w.db.execute("PRAGMA page_count").fetchone()[0])

    _score(ws)
    first = pages()
    with Workspace(ws, create=False) as w:
        replaced = w.latest_run()["id"]
    for _ in range(2):
        _score(ws)
        assert pages() == first
    assert [run_id for run_id, _ in _runs(ws)] == [replaced + 2]  # ids are never reused
    _score(ws, "--run", "dot-1")
    named = pages()
    _score(ws, "--run", "dot-1")  # a named run replaces its namesake the same way
    assert pages() == named


def test_a_named_run_is_kept_replaced_only_by_its_name_and_ranked_by_it(ws: Path) -> None:
    _score(ws, "--run", "dot-1")
    ranked = _rank(ws)
    _score(ws)
    _score(ws, "--run", "dot-1")  # the same name: replaces the earlier run of that name
    assert [name for _, name in _runs(ws)] == [None, "dot-1"]
    assert _rank(ws, "--run", "dot-1") == ranked
    code, _, err = egov("rank", "-w", str(ws), "--run", "dot-2")
    assert code == 2 and "Không có lần chấm điểm nào tên 'dot-2'" in err


def test_prune_deletes_superseded_unnamed_runs_and_keeps_what_is_referenced(
    ws: Path, tmp_path: Path
) -> None:
    _score(ws, "--run", "giu-lai")
    _score(ws)
    folder = tmp_path / "more"
    folder.mkdir()
    shutil.copyfile(SAMPLES / "so-giao-duc-va-dao-tao.xlsx", folder / "so-giao-duc-va-dao-tao.xlsx")
    assert egov("ingest", str(folder), "-w", str(ws), "-j", "1")[0] == 0
    ranked = _score(ws) and _rank(ws)  # other reports: the earlier run is not replaced
    runs = _runs(ws)
    assert [name for _, name in runs] == ["giu-lai", None, None]
    with Workspace(ws, create=False) as w:
        before = (w.db.execute("SELECT count(*) FROM observations").fetchone()[0], len(w.submissions()))
        info = api.workspace_info(w)
        fates = [(r.latest, r.superseded) for r in info.runs]
        assert fates == [(False, False), (False, True), (True, False)]
        w.db.execute("PRAGMA foreign_keys = OFF")  # a row left behind by a connection without them
        w.db.execute("INSERT INTO observations(submission_id, seq, kind, indicator, ref, label, raw_value,"
                     " unit, note, location) VALUES (9999, 0, 'data', '', '', 'x', '1', '', '', 'A1')")
    code, _, err = egov("workspace", "prune", "-w", str(ws))
    assert code == 0 and f"Đã xoá lần chấm điểm {runs[1][0]} (hanam-2022" in err
    assert "Đã xoá 1 lần chấm điểm cũ, 1 giá trị" in err
    assert _runs(ws) == [runs[0], runs[2]]  # the named run and the latest are kept
    with Workspace(ws, create=False) as w:
        kept = (w.db.execute("SELECT count(*) FROM observations").fetchone()[0], len(w.submissions()))
        assert kept == before
        gone = w.db.execute("SELECT count(*) FROM run_agencies WHERE run_id = ?", (runs[1][0],)).fetchone()
        assert gone[0] == 0
    assert _rank(ws) == ranked
    assert egov("workspace", "prune", "-w", str(ws))[2].startswith("Đã xoá 0 lần chấm điểm cũ")


def test_vacuum_gives_the_freed_space_back_and_info_shows_it(ws: Path) -> None:
    for adjustments in ((), ("--no-adjustments", "--run", "a")):
        _score(ws, *adjustments)
    with Workspace(ws, create=False) as w:
        w.db.execute("DELETE FROM score_runs WHERE name = 'a'")
        assert w.info().free_bytes > 0
    code, out, _ = egov("workspace", "info", "-w", str(ws))
    assert code == 0 and "trống, 'egov workspace vacuum' trả lại" in out and "mới nhất: egov rank dùng" in out
    ranked = _rank(ws)
    code, _, err = egov("workspace", "vacuum", "-w", str(ws))
    assert code == 0 and "Đã thu gọn workspace" in err
    with Workspace(ws, create=False) as w:
        assert w.info().free_bytes == 0
        assert w.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _rank(ws) == ranked


def test_rank_reads_no_criterion_row_and_its_scores_come_one_agency_at_a_time(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _score(ws)
    read: list[str] = []
    unpacked = stored.unpacked

    def counted(found: object, rules: str) -> object:
        read.append(found.agency)  # type: ignore[attr-defined]
        return unpacked(found, rules)  # type: ignore[arg-type]

    monkeypatch.setattr(stored, "unpacked", counted)
    rows = list(csv.DictReader(io.StringIO(_rank(ws))))
    assert len(rows) == 2 and read == []  # the ranking comes from the stored totals only
    with Workspace(ws, create=False) as w:
        result = api.rank_workspace(w)
        assert read == []
        assert len(result.scores) == 2 and read == []
        scores = iter(result.scores)
        first = next(scores)
        assert read == [first.agency] == [result.ranking[0].agency]  # one agency read, the first ranked
        assert [s.agency for s in result.scores] == [r.agency for r in result.ranking]
        one = result.scores.for_agency(result.ranking[1].agency, result.ranking[1].period)
        assert one is not None and one.total == result.ranking[1].total and one.rows


def test_scores_are_read_after_the_workspace_is_closed_and_a_replaced_run_says_so(ws: Path) -> None:
    with Workspace(ws, create=False) as w:
        run = api.score_workspace(w, "hanam-2022")
    assert {s.agency for s in run.scores} == {t.agency for t in run.totals}  # opened again to read
    with Workspace(ws, create=False) as w:
        api.score_workspace(w, "hanam-2022")  # the same reports: replaces it
    with pytest.raises(api.EgovError, match="không còn trong workspace"):
        list(run.scores)


def test_a_schema_4_workspace_keeps_its_runs(ws: Path) -> None:
    scores, ranked = _score(ws), _rank(ws)
    with Workspace(ws, create=False) as w:  # back to how schema 4 stored a run: one row per criterion
        rows = w.run_rows(w.latest_run()["id"])
        db = w.db
        db.execute("CREATE TABLE scores (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, agency TEXT,"
                   " agency_group TEXT, period TEXT, row TEXT NOT NULL)")
        old = [(i, a, g, p, json.dumps(r, ensure_ascii=False)) for i, (a, g, p, r) in enumerate(rows)]
        db.executemany("INSERT INTO scores VALUES ((SELECT max(id) FROM score_runs), ?, ?, ?, ?, ?)", old)
        db.execute("DROP TABLE run_agencies")
        db.execute("ALTER TABLE score_runs DROP COLUMN name")
        db.execute("ALTER TABLE score_runs DROP COLUMN inputs_sha256")
        db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    assert _rank(ws) == ranked
    with Workspace(ws, create=False) as w:
        assert w.meta("schema_version") == "5"
        _, found = api.stored_scores(w)
        target = ws.with_suffix(".csv")
        api.write_rows(api.score_rows(found), api.SCORE_COLUMNS + api.SCORE_EXTRA_COLUMNS, "csv", target)
    assert target.read_text(encoding="utf-8") == scores


# -- a round too long for a terminal ------------------------------------------------------------


AGENCIES = 201  # more than api.TABLE_LIMIT rows of rank


@pytest.fixture(scope="module")
def national(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """201 agencies, each the observations of one sample report, stored through the store API, scored."""
    path = tmp_path_factory.mktemp("national") / "ws.sqlite"
    with Workspace(base, create=False) as source:
        observations = [so.obs for so in source.observations() if so.source_file == REPORTS[0]]
    with Workspace(path) as w:
        w.db.execute("PRAGMA synchronous = OFF")
        for i in range(AGENCIES):
            agency = f"Sở Thử nghiệm số {i:03d}"
            w.store_submission(NewSubmission(
                path=f"/round/{i:03d}.xlsx", display_path=f"{i:03d}.xlsx", sha256=f"{i:064x}", size=1,
                mtime=0.0, agency=agency, group="department", period="2022", problems=[],
                observations=[Observation(**{f: getattr(o, f) for f in o.__dataclass_fields__})
                              for o in observations],
                agency_key=agency_key(agency),
            ))
    target = str(path.with_suffix(".csv"))
    scored = egov("score", "-r", "hanam-2022", "-w", str(path), "-f", "csv", "-o", target)
    assert scored[0] == 0, scored[2]
    return path


def test_long_terminal_tables_are_summarised_and_all_shows_every_row(national: Path) -> None:
    ws = str(national)
    scored = list(csv.DictReader(national.with_suffix(".csv").open(encoding="utf-8")))
    assert len({r["agency"] for r in scored}) == AGENCIES  # CSV: every row
    for command in (("score", "-r", "hanam-2022"), ("rank",), ("indicators",)):
        code, out, err = egov(*command, "-w", ws)
        assert code == 0, err
        last = out.strip().splitlines()[-1]
        assert last.startswith("Đây là bản tóm tắt của") and "--all" in last, command
        assert "--format csv" in out
        assert "Sở Thử nghiệm số 100" not in out  # the middle of the table is not shown
        assert out.count("Sở Thử nghiệm số") <= 2 * 5 * 4, command
        if command[0] == "score":
            assert "Sở Thử nghiệm số 000 (2022)" not in err and f"{AGENCIES} cơ quan" in err  # nor per agency
    code, everything, _ = egov("rank", "-w", ws, "--all")
    assert code == 0 and "Sở Thử nghiệm số 100" in everything and "bản tóm tắt" not in everything


# their agency keys (accents folded) stream in another order than the run's (the names, as written):
# "Đông" among the D's but after "Yên"; "Tân" before "Thái" but after it
STREAM_ORDER = ("Sở An Phú", "Sở Dân Tộc", "Sở Đông Sơn", "Sở Tân Phong", "Sở Thái Hòa", "Sở Yên Bình")


@pytest.mark.parametrize("wait_bytes", [stored.InOrder.WAIT_BYTES, 0])  # 0: every early one waits packed
def test_the_rows_written_while_scoring_are_the_stored_runs_in_its_order(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_bytes: int
) -> None:
    """Issue 15 goal 3: `egov score --out` writes each agency's rows as it is scored, in the run's
    order, byte for byte what reading the stored run back gives (CSV and JSON)."""
    from egovcli.render.export import RowWriter, to_csv, to_json

    path = tmp_path / "ws.sqlite"
    with Workspace(base, create=False) as source:
        observations = [so.obs for so in source.observations() if so.source_file == REPORTS[0]]
    with Workspace(path) as w:
        for i, agency in enumerate(STREAM_ORDER):
            w.store_submission(NewSubmission(
                path=f"/round/{i}.xlsx", display_path=f"{i}.xlsx", sha256=f"{i:064x}", size=1, mtime=0.0,
                agency=agency, group="department", period="2022", problems=[],
                observations=[Observation(**{f: getattr(o, f) for f in o.__dataclass_fields__})
                              for o in observations],
                agency_key=agency_key(agency),
            ))
    monkeypatch.setattr(stored.InOrder, "WAIT_BYTES", wait_bytes)
    for fmt, columns, whole in (("csv", api.SCORE_COLUMNS + api.SCORE_EXTRA_COLUMNS, to_csv),
                                ("json", api.SCORE_JSON_COLUMNS, to_json)):
        written = io.StringIO()
        writer = RowWriter(written, columns, fmt)
        with Workspace(path, create=False) as w:
            run = api.score_workspace(w, "hanam-2022", writer=writer)
            writer.close()
            assert written.getvalue() == whole(api.score_rows(run.scores), columns)
        assert [s.agency for s in run.scores] == sorted(STREAM_ORDER) != list(STREAM_ORDER)
    out = tmp_path / "scores.csv"
    assert _score(path, "-o", str(out)) == ""
    assert out.read_text(encoding="utf-8") == _score(path)  # written while scoring = printed from the run


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_rows_given_all_at_once_are_written_a_chunk_at_a_time(fmt: str) -> None:
    """`egov score` printing a stored run to stdout hands the writer every row of the round in one
    `write`: its text is made and written a chunk of rows at a time, never as one text (a
    2,000-agency round's CSV held 200 MB), and is the same text as row by row."""
    from egovcli.render.export import RowWriter

    class Sink(io.StringIO):
        def __init__(self) -> None:
            super().__init__()
            self.sizes: list[int] = []

        def write(self, text: str) -> int:
            self.sizes.append(len(text))
            return super().write(text)

    def rows() -> list[dict[str, object]]:
        return [{"agency": f"UBND xã {i}", "points": i / 4, "flags": ["X"] * (i % 2)} for i in range(5_000)]

    whole, one_by_one = Sink(), Sink()
    writer = RowWriter(whole, ["agency", "points", "flags"], fmt)
    writer.write(iter(rows()))
    writer.close()
    single = RowWriter(one_by_one, ["agency", "points", "flags"], fmt)
    for row in rows():
        single.write([row])
    single.close()
    assert whole.getvalue() == one_by_one.getvalue()
    assert len(whole.sizes) >= 10 and max(whole.sizes) < len(whole.getvalue()) / 8
