"""Scoring a chunk of agencies at a time, and in worker processes (issue 15 goal 3: score + rank of a
national round in seconds): the same agencies with the same rows, in the same order, as one pass
over the whole workspace; the same stored run and the same CSV/JSON byte for byte whatever `jobs`;
an error in a worker stops the run and stores nothing.

The workspace mixes what makes a chunk hard to cut: agencies whose names stream in another order
than the run's ("Đông" after "Yên"), an agency whose report and annex both count (two submissions,
spelled differently: the latest's name is the agency's), and a published ranking that names other
agencies (its rows join theirs from elsewhere in the stream)."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import egov

from egovcli import api
from egovcli.agencies import agency_key
from egovcli.model import Observation
from egovcli.render.export import RowWriter
from egovcli.rules import load_rules
from egovcli.score import engine, parallel
from egovcli.score.grouping import chunks, gather, part, plan
from egovcli.workspace import NewSubmission, Workspace

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
NAMES = ("Sở An Phú", "Sở Dân Tộc", "Sở Đông Sơn", "Sở Tân Phong", "Sở Thái Hòa", "Sở Yên Bình")
AGENCIES = [f"{name} {i}" for i in range(12) for name in NAMES]  # 72: more than MIN_AGENCIES
ANNEXED = AGENCIES[2]  # report + annex, both counting
NAMED = (AGENCIES[0], AGENCIES[5], AGENCIES[40], "Sở Không Nộp")  # in the published ranking
RULES = ("hanam-2022", "hoabinh-2017", "dti-example-2025")


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> list[Observation]:
    """The observations of a real report (Hà Nam 2022, Sở Xây dựng)."""
    folder = tmp_path_factory.mktemp("report")
    shutil.copyfile(SAMPLES / "so-xay-dung.xlsx", folder / "so-xay-dung.xlsx")
    ws = folder / "ws.sqlite"
    assert egov("ingest", str(folder), "-w", str(ws), "-j", "1")[0] == 0
    with Workspace(ws, create=False) as w:
        return [so.obs for so in w.observations()]


def _submit(w: Workspace, n: int, agency: str, observations: list[Observation], **more: object) -> None:
    w.store_submission(NewSubmission(
        path=f"/round/{n:03d}.xlsx", display_path=f"{n:03d}.xlsx", sha256=f"{n:064x}", size=1,
        mtime=float(n), agency=agency, group="department", period="2022", problems=[],
        observations=[replace(o) for o in observations], agency_key=agency_key(agency), **more,  # type: ignore[arg-type]
    ))


@pytest.fixture(scope="module")
def round_ws(reported: list[Observation], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("round") / "ws.sqlite"
    half = len(reported) // 2
    with Workspace(path) as w:
        for n, agency in enumerate(AGENCIES):
            _submit(w, n, agency, reported if agency != ANNEXED else reported[:half])
        _submit(w, 100, ANNEXED.upper(), reported[half:])  # the annex: other items, so it counts too
        ranked = [replace(o, agency=name, location=f"Sheet1!B{i}")
                  for i, name in enumerate(NAMED) for o in reported[:5]]
        _submit(w, 101, "Sở Khoa học và Công nghệ", ranked, row_groups=dict.fromkeys(NAMED, "department"))
    return path


@pytest.mark.parametrize("rules", RULES)
def test_chunks_gather_what_the_whole_stream_gathers(round_ws: Path, rules: str) -> None:
    rule_set = load_rules(rules)
    with Workspace(round_ws, create=False) as ws:
        found = plan(rule_set, ws.observation_sources())
        whole = list(gather(found, rule_set, ws.stream_observations()))
        holders = {key: {s for s, keys in found.holds.items() if key in keys} for key in found.keys}
        assert len(holders[(ANNEXED.upper(), *whole[0][0][1:])]) == 2  # the annexed agency: 2 files
        assert len(holders[(NAMED[0], *whole[0][0][1:])]) == 2  # its report and the ranking naming it
        for size in (1, 2, 3, 7, 1000):
            cut = list(chunks(found, size))
            assert [key for chunk in cut for key in chunk.keys] == found.keys  # the run's order
            chunked = [gathered for chunk in cut for gathered in gather(
                part(found, chunk), rule_set, ws.stream_observations(submissions=chunk.submissions))]
            assert len(chunked) == len(whole) and dict(chunked) == dict(whole), size
    assert len(whole) == len(AGENCIES) + 1  # and "Sở Không Nộp", only named by the ranking


def _scored(path: Path, rules: str, jobs: int, fmt: str) -> tuple[str, api.ScoreRun, list[object]]:
    columns = api.SCORE_JSON_COLUMNS if fmt == "json" else api.SCORE_COLUMNS + api.SCORE_EXTRA_COLUMNS
    written = io.StringIO()
    writer = RowWriter(written, columns, fmt)
    with Workspace(path, create=False) as ws:
        run = api.score_workspace(ws, rules, writer=writer, jobs=jobs)
        writer.close()
        scores = [(s.agency, s.group, s.period, s.rows, s.unmatched) for s in run.scores]
    return written.getvalue(), run, scores


@pytest.mark.parametrize("rules", RULES)
def test_workers_store_and_write_what_one_process_does(
    round_ws: Path, rules: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "_CHUNK", 3)  # many chunks, some cut inside a run of agencies
    seen = tmp_path / "pids"
    score = engine.Scorer.score

    def recorded(self: engine.Scorer, *args: object) -> object:
        with seen.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return score(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.Scorer, "score", recorded)
    for fmt in ("csv", "json"):
        path = tmp_path / f"{fmt}.sqlite"
        shutil.copyfile(round_ws, path)
        text_1, run_1, scores_1 = _scored(path, rules, 1, fmt)
        seen.unlink()
        text_2, run_2, scores_2 = _scored(path, rules, 2, fmt)
        pids = set(seen.read_text().split())
        assert len(pids) == 2 and str(os.getpid()) not in pids  # scored by two workers
        seen.unlink()
        assert text_2 == text_1 and scores_2 == scores_1
        assert run_2.run_id == run_1.run_id + 1  # the second run replaced the first
        for field in ("totals", "unmatched", "rows", "flagged", "adjusted", "flag_counts", "problems"):
            assert getattr(run_2, field) == getattr(run_1, field), field


def test_an_error_in_a_worker_stops_the_run_and_stores_nothing(
    round_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ws.sqlite"
    shutil.copyfile(round_ws, path)
    score = engine.Scorer.score

    def failing(self: engine.Scorer, agency: str, *args: object) -> object:
        if agency == AGENCIES[50]:
            raise ZeroDivisionError(agency)
        return score(self, agency, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.Scorer, "score", failing)
    out = tmp_path / "scores.csv"
    with pytest.raises(ZeroDivisionError, match=AGENCIES[50]), Workspace(path, create=False) as ws, \
            api.row_writer(api.SCORE_COLUMNS, "csv", str(out), api.protected_outputs(ws, [])) as writer:
        api.score_workspace(ws, "hanam-2022", writer=writer, jobs=2)
    with Workspace(path, create=False) as ws:
        assert ws.latest_run() is None
    assert not out.exists()


def test_egov_score_jobs_gives_the_same_csv(round_ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    shutil.copyfile(round_ws, path)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"scores-{jobs}.csv"
        code, _, err = egov("score", "-r", "dti-example-2025", "-w", str(path), "-j", jobs, "-o", str(out))
        assert code == 0, err
        assert f"{len(AGENCIES) + 1} cơ quan" in err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") > len(AGENCIES)


def test_rows_the_caller_has_not_committed_are_scored_too(
    round_ws: Path, reported: list[Observation], tmp_path: Path
) -> None:
    """Workers read through connections of their own: in a transaction the caller left open (a
    batch of its own), the run is scored here, where the uncommitted rows are seen."""
    path = tmp_path / "ws.sqlite"
    shutil.copyfile(round_ws, path)
    with Workspace(path, create=False) as ws, ws.batched():
        _submit(ws, 200, "Sở Mới Nộp", reported)
        run = api.score_workspace(ws, "hanam-2022", jobs=2)
    assert "Sở Mới Nộp" in [t.agency for t in run.totals] and len(run.totals) == len(AGENCIES) + 2
