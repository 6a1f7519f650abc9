"""The benchmark's instrument (benchmarks/rounds.py, benchmarks/bench.py): rounds of distinct agencies
in the requested format mix that egov reads as such, and the bench's JSON keys. No timing here."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from egovcli import api
from egovcli.agencies import agency_key
from egovcli.score import model
from samples import dti2025

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench  # noqa: E402
import rounds  # noqa: E402


def test_format_sequence_keeps_the_mix_in_every_prefix() -> None:
    formats = rounds.format_sequence(12_000, rounds.NATIONAL_MIX)
    assert Counter(formats) == {"xlsx": 7200, "docx": 3000, "pdf": 1800}
    assert Counter(formats[:120]) == {"xlsx": 72, "docx": 30, "pdf": 18}


def test_the_national_round_is_12000_distinct_agencies() -> None:
    """Agency keys fold accents and drop a trailing "tỉnh X": every name must stay apart anyway."""
    planned = rounds.plan_round(*bench.ROUNDS["national"][:3])[:bench.NATIONAL]
    assert len(planned) == bench.NATIONAL
    assert len({agency_key(p.unit.name) for p in planned}) == bench.NATIONAL
    assert len({p.folder for p in planned}) == 34


def test_a_round_ingests_as_n_agencies_with_the_generators_scores(tmp_path: Path) -> None:
    """12 agencies (3 sở + 9 xã/phường) written from templates ingest as 12 agencies, none superseded,
    and score exactly as the generator computes from each unit's own figures and self-scores."""
    planned = rounds.plan_round(1, 3, 9)
    files = rounds.write_round(planned, tmp_path / "round")
    assert Counter(p.suffix for p in files) == {".xlsx": 7, ".docx": 3, ".pdf": 2}
    units = [p.unit for p in planned]
    with api.open_workspace(tmp_path / "ws.sqlite", create=True) as ws:
        report = api.ingest(ws, tmp_path / "round", jobs=2)
        assert report.counts == {"new": 12}
        run = api.score_workspace(ws, rounds.RULES)
    by_agency = {s.agency: s for s in run.scores}
    assert Counter(s.group for s in run.scores) == {dti2025.DEPARTMENT: 3, dti2025.COMMUNE: 9}
    want = dti2025.expected(units, appraisal="appraisal" in model.BASES)["files"]
    assert isinstance(want, dict)
    for file, entry in want.items():
        points = {r.criterion: r.points for r in by_agency[entry["agency"]].rows}
        assert points["TOTAL"] == pytest.approx(entry["expected_total"]), file


def test_the_bench_json_has_the_documented_keys(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["--round", "tiny", "--quick", "--json", str(out), "--work", str(tmp_path / "work")]
    assert bench.main(args) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results) == set(bench.JSON_KEYS)
    for section, keys in bench.JSON_KEYS.items():
        if isinstance(keys, tuple):
            assert set(keys) <= set(results[section]), section
    assert set(results["readers"]) == {"xlsx", "docx"}  # the tiny round has no PDF: slow to read
    assert results["meta"]["round"]["agencies"] == results["meta"]["round"]["files"] == 6
    assert [g["id"] for g in results["goals"]] == list(bench.GOAL_IDS)
    assert {g["status"] for g in results["goals"]} <= {"PASS", "FAIL", "n/a"}


def test_the_ingest_parent_is_extrapolated_from_its_growth_per_file() -> None:
    """Issue 15 goal 3: the parent's memory at 12,000 files is the round's plus its growth per file
    between the round and a part of it (the same libraries loaded), not a line from a one-file run
    that read as growth the libraries a bigger run loads (52 MB → 71 MB at 120 files: "2,016 MB")."""
    run = {"wall_s": 1.0, "cpu_s": 1.0, "tree_pss_mb": 100.0}
    results = {
        "meta": {"jobs": 2},
        "fixed": {"one_file_parent_rss_mb": 52.0},
        "round": {
            "ingest": {"files_per_s": 20.0, "cpu_s": 6.0, "parent_rss_mb": 71.0},
            "ingest_part": {"files": 40, "parent_rss_mb": 70.0},
            "score_csv": run, "rank_csv": run, "score_part": run | {"agencies": 40},
            "rank_part": run | {"agencies": 40},
            "workspace_mb": {"after_ingest": 1.0, "after_score": 2.0, "after_second_score": 2.0},
            "one_agency": {"score_csv": run, "rank_csv": run, "workspace_mb": 0.1},
        },
    }
    national = bench.national(results, 120)
    assert national["ingest_parent_rss_kb_per_file"] == 12.8  # (71 - 70) MB over 80 files
    assert national["ingest_parent_rss_mb"] == pytest.approx(71 + 1 / 80 * (12_000 - 120), abs=0.1)
    results["round"]["ingest_part"]["parent_rss_mb"] = 72.0  # noise: the part the larger
    assert bench.national(results, 120)["ingest_parent_rss_mb"] == 71.0


def test_score_and_rank_memory_is_extrapolated_from_their_growth_per_agency() -> None:
    """Issue 15 goal 3: score's and rank's memory at 12,000 agencies is the round's plus their growth
    per agency between the round and a third of it, not a line from the one-agency run that read a
    bounded cache filling as growth (46 MB at one agency → 51 MB at 120: "595 MB"). Of the process
    tree, its proportional share (PSS): forked workers share their parent's pages."""
    one = {"wall_s": 0.9, "cpu_s": 0.9, "tree_pss_mb": 46.0}
    results = {
        "meta": {"jobs": 2},
        "round": {
            "ingest": {"files_per_s": 20.0, "cpu_s": 6.0, "parent_rss_mb": 71.0},
            "ingest_part": {"files": 40, "parent_rss_mb": 70.0},
            "score_csv": {"wall_s": 1.5, "cpu_s": 1.5, "tree_pss_mb": 51.0},
            "score_part": {"wall_s": 1.1, "cpu_s": 1.1, "tree_pss_mb": 50.2, "agencies": 40},
            "rank_csv": {"wall_s": 1.0, "cpu_s": 1.0, "tree_pss_mb": 48.0},
            "rank_part": {"wall_s": 1.0, "cpu_s": 1.0, "tree_pss_mb": 48.5, "agencies": 40},
            "workspace_mb": {"after_ingest": 1.0, "after_score": 2.0, "after_second_score": 2.0},
            "one_agency": {"score_csv": one, "rank_csv": one, "workspace_mb": 0.1},
        },
    }
    national = bench.national(results, 120)
    assert national["score_rss_kb_per_agency"] == 10.2  # (51 - 50.2) MB over 80 agencies
    assert national["score_rss_mb"] == pytest.approx(51 + 0.8 / 80 * (12_000 - 120), abs=0.1)
    assert national["rank_rss_mb"] == 48.0  # noise: the part the larger
    assert national["score_s"] == pytest.approx(0.9 + 0.6 / 119 * 11_999, abs=0.1)  # time: from one agency

    # with a second, larger round (the re-ingest round's workspace, scored by the same workers): time
    # and memory linear between the two sizes
    results["round"] |= {
        "score_scale": {"wall_s": 4.5, "cpu_s": 8.0, "tree_pss_mb": 60.0, "agencies": 1000},
        "rank_scale": {"wall_s": 1.2, "cpu_s": 1.2, "tree_pss_mb": 47.0, "agencies": 1000},
    }
    national = bench.national(results, 120)
    assert national["score_s"] == pytest.approx(4.5 + 3.0 / 880 * 11_000, abs=0.1)
    cpu = 8 + 6.5 / 880 * 11_000 + 1.2 + 0.2 / 880 * 11_000
    assert national["score_rank_cpu_s"] == pytest.approx(cpu, abs=0.2)
    assert national["score_rss_mb"] == pytest.approx(60 + 9 / 880 * 11_000, abs=0.1)
    assert national["rank_rss_mb"] == 47.0  # noise: the smaller round the larger
    assert not national["score_rank_measured"]
    # measured on a workspace of 12,000 agencies: its figures as they are
    for command in ("score", "rank"):
        results["round"][f"{command}_scale"]["agencies"] = 12_000
    national = bench.national(results, 120)
    assert national["score_rank_measured"] and national["score_s"] == 4.5 and national["rank_s"] == 1.2
    assert national["score_rss_mb"] == 60.0 and national["rank_rss_mb"] == 47.0
