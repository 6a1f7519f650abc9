"""End to end through the CLI: ingest → score → rank on the shipped Hà Nam 2022 round.

The expectations come from samples/hanam-2022/expected.json, which samples/generate.py computes
from the same specs that wrote the files (seed 004's Sở Tài chính unchanged: 496/500).
"""

import csv
import dataclasses
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import egov

from egovcli import api
from egovcli.workspace import Workspace
from samples.generate import seed_004_spec, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The sample round ingested (2 workers) and scored once for the whole module."""
    tmp = tmp_path_factory.mktemp("round")
    ws = str(tmp / "egov.sqlite")
    code, out, _ = egov("ingest", str(SAMPLES), "--workspace", ws, "--jobs", "2", "--json")
    assert code == 0
    ingest = json.loads(out)
    code, out, err = egov("score", "--rules", "hanam-2022", "--workspace", ws, "--format", "json")
    assert code == 0
    return {"ws": ws, "tmp": tmp, "ingest": ingest, "scores": json.loads(out), "score_err": err}


def _rows_for(scores: list[dict], agency: str) -> dict[str, dict]:
    return {r["criterion"]: r for r in scores if r["agency"] == agency}


def test_ingest_reads_every_report_and_lists_the_rest(scored: dict) -> None:
    files = {f["file"]: f for f in scored["ingest"]["files"]}
    for name, exp in EXPECTED["files"].items():
        assert files[name]["status"] == "new", name
        assert files[name]["agency"] == exp["agency"]
        assert files[name]["period"] == "2022"
        assert files[name]["rows"] > 100  # the criteria table alone has 95 scored and total rows
    assert files["expected.json"]["status"] == "skipped"
    assert scored["ingest"]["counts"] == {"new": len(EXPECTED["files"]), "skipped": 1}


def test_seed_004_scores_496_from_its_own_annex(scored: dict) -> None:
    rows = _rows_for(scored["scores"], "Sở Tài chính tỉnh Hà Nam")
    assert rows["TOTAL"]["points"] == 496
    assert rows["TOTAL"]["max_points"] == 500
    assert rows["TOTAL"]["self_points"] == 496
    # only III.2.2: 27/27 services at level 4 leave its denominator at 0 (issue 11.7: flagged, not silent)
    assert {c: r["flags"] for c, r in rows.items() if r["flags"]} == {"III.2.2": "zero_denominator"}
    explained = rows["III.2.2"]["explanation"]
    assert "mẫu số bằng 0" in explained and "27 − 27 = 0" in explained
    # figures from its own report decide I.1 (50 computers for 50 staff) and I.6 (2 scanners)
    assert rows["I.1"]["basis"] == "data" and rows["I.1"]["points"] == 10
    assert rows["I.6"]["basis"] == "data"
    assert rows["II.4.1"]["points"] == 0 and rows["II.4.1"]["basis"] == "self"


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_every_sample_total_and_planted_fault(scored: dict, name: str) -> None:
    exp = EXPECTED["files"][name]
    rows = _rows_for(scored["scores"], exp["agency"])
    criteria = {c: r for c, r in rows.items() if r["basis"] != "total"}
    assert sum(r["points"] for r in criteria.values()) == pytest.approx(exp["expected_total"])
    for criterion, points in exp["points"].items():
        assert criteria[criterion]["points"] == pytest.approx(points), criterion
    flagged = {(c, flag) for c, r in rows.items() for flag in r["flags"].split(";") if flag}
    assert flagged == {(f["criterion"], f["flag"]) for f in (*exp["faults"], *exp["flags"])}
    for fault in exp["faults"]:
        row = rows[fault["criterion"]]
        assert row["source_file"] == name
        assert row["location"], f"{fault} has no source location"


def test_planted_fault_locations_point_at_the_cells(scored: dict) -> None:
    by_agency = {e["agency"]: e for e in EXPECTED["files"].values()}
    xay_dung = _rows_for(scored["scores"], by_agency["Sở Xây dựng tỉnh Hà Nam"]["agency"])["I.1"]
    assert xay_dung["location"].startswith("Phụ lục!E")  # the self-score cell of I.1
    assert xay_dung["points"] == 8 and xay_dung["self_points"] == 10 and xay_dung["basis"] == "data"
    assert "48/60" in xay_dung["explanation"]
    y_te = _rows_for(scored["scores"], "Sở Y tế tỉnh Hà Nam")["II"]
    assert y_te["location"].startswith("trang ") and y_te["self_points"] == 146 and y_te["points"] == 142
    giao_duc = _rows_for(scored["scores"], "Sở Giáo dục và Đào tạo tỉnh Hà Nam")["III.1.8"]
    assert giao_duc["basis"] == "missing" and giao_duc["points"] == 0
    tu_phap = _rows_for(scored["scores"], "Sở Tư pháp tỉnh Hà Nam")["II.4.4"]
    assert tu_phap["location"].startswith("bảng ") and tu_phap["self_points"] == 12 and tu_phap["points"] == 8


def test_rank_writes_outputs_and_competition_ranks(scored: dict) -> None:
    out = scored["tmp"] / "out"
    code, stdout, err = egov(
        "rank",
        "--workspace",
        scored["ws"],
        "--out",
        str(out / "ranking.xlsx"),
        "--md",
        str(out / "summary.md"),
        "--html",
        str(out / "summary.html"),
        "--format",
        "json",
    )
    assert code == 0, err
    ranking = json.loads(stdout)
    assert [list(r) for r in ranking][0] == list(api.RANK_COLUMNS)
    ranks = {r["agency"]: r["rank"] for r in ranking}
    for exp in EXPECTED["files"].values():
        assert ranks[exp["agency"]] == exp["expected_rank"], exp["agency"]
    assert sorted(ranks.values()) == [1, 2, 2, 4, 5, 6, 7, 8]

    from openpyxl import load_workbook

    wb = load_workbook(out / "ranking.xlsx")
    assert wb.sheetnames == ["Sở, ban, ngành", "Chi tiết tiêu chí", "Kiểm tra", "Thông tin lần chạy"]
    audit = [[c for c in row] for row in wb["Kiểm tra"].iter_rows(values_only=True)]
    audit_text = "\n".join(" | ".join(str(c) for c in row if c is not None) for row in audit)
    assert "so-xay-dung.xlsx" in audit_text and "claim_exceeds_evidence" in audit_text
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "| 1 | Sở Tài chính tỉnh Hà Nam |" in md
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in html and "Sở Tài chính tỉnh Hà Nam" in html


def test_score_json_equals_the_library_result(scored: dict) -> None:
    with Workspace(scored["ws"]) as ws:
        _, scores = api.stored_scores(ws)
    library = api.score_rows(scores)
    columns = api.SCORE_JSON_COLUMNS
    expected = json.loads(
        json.dumps([{c: (";".join(r[c]) if c == "flags" else r[c]) for c in columns} for r in library])
    )
    assert scored["scores"] == expected


def test_export_contract_columns(scored: dict) -> None:
    ws = scored["ws"]
    _, out, _ = egov("indicators", "--workspace", ws, "--format", "csv")
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames or ()) == api.INDICATOR_COLUMNS
    rows = list(reader)
    staff = [r for r in rows if r["indicator"] == "staff_total" and r["agency"] == "Sở Tài chính tỉnh Hà Nam"]
    assert {r["value"] for r in staff} == {"50"}
    assert all(r["source_file"] == "so-tai-chinh.docx" and r["location"] for r in staff)
    self_scores = [r for r in rows if r["kind"] == "self_score" and r["indicator"] == "II.1.7"]
    assert len(self_scores) == len(EXPECTED["files"])

    _, out, _ = egov("score", "--workspace", ws, "--rules", "hanam-2022", "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert tuple(header[: len(api.SCORE_COLUMNS)]) == api.SCORE_COLUMNS
    _, out, _ = egov("rank", "--workspace", ws, "--format", "csv")
    assert next(csv.reader(io.StringIO(out))) == list(api.RANK_COLUMNS)


def test_out_file_and_formats(scored: dict) -> None:
    target = scored["tmp"] / "rows with space.json"
    code, stdout, _ = egov("rank", "--workspace", scored["ws"], "--out", str(target))
    assert code == 0 and stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == len(EXPECTED["files"])


def test_unmapped_lists_only_unmapped_data_rows(scored: dict) -> None:
    _, out, _ = egov("indicators", "--workspace", scored["ws"], "--unmapped", "--format", "json")
    rows = json.loads(out)
    assert rows and all(r["indicator"] == "" and r["kind"] == "data" for r in rows)


def test_reingest_unchanged_changes_nothing(scored: dict) -> None:
    with Workspace(scored["ws"]) as ws:
        before = [dataclasses.astuple(so.obs) for so in ws.observations()]
    code, out, _ = egov("ingest", str(SAMPLES), "--workspace", scored["ws"], "--json")
    assert code == 0
    assert json.loads(out)["counts"] == {"unchanged": len(EXPECTED["files"]), "skipped": 1}
    with Workspace(scored["ws"]) as ws:
        assert [dataclasses.astuple(so.obs) for so in ws.observations()] == before


def test_departments_and_districts_ranked_separately(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLES, reports)
    district = dataclasses.replace(
        seed_004_spec(), agency="UBND huyện Kim Bảng", header="UBND HUYỆN KIM BẢNG"
    )
    district.info = [
        (label, "UBND huyện Kim Bảng" if label.startswith("Tên cơ quan") else value)
        for label, value in district.info
    ]
    (reports / "huyen").mkdir()
    write_xlsx(district, reports / "huyen" / "kim-bang.xlsx")
    ws = str(tmp_path / "ws.sqlite")
    assert egov("ingest", str(reports), "--workspace", ws, "--jobs", "1")[0] == 0
    assert egov("score", "--rules", "hanam-2022", "--workspace", ws, "--format", "csv")[0] == 0
    code, out, _ = egov("rank", "--workspace", ws, "--format", "json")
    ranking = json.loads(out)
    districts = [r for r in ranking if r["group"] == "district"]
    assert [(r["agency"], r["rank"], r["total"]) for r in districts] == [("UBND huyện Kim Bảng", 1, 496)]
    assert [r["rank"] for r in ranking if r["group"] == "department"][0] == 1


def test_strict_exit_codes(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLES / "so-tu-phap.docx", reports)
    (reports / "hong.pdf").write_bytes(b"%PDF-1.4 truncated")
    ws = str(tmp_path / "ws.sqlite")
    code, _, err = egov("ingest", str(reports), "--workspace", ws)
    assert code == 0 and "hong.pdf" in err
    # a failed file is retried on every run, so --strict keeps failing until it is fixed
    assert egov("ingest", str(reports), "--workspace", ws, "--strict")[0] == 1
    (reports / "hong.pdf").unlink()
    code, out, _ = egov("ingest", str(reports), "--workspace", ws, "--strict", "--json")
    assert code == 0
    assert {f["file"]: f["status"] for f in json.loads(out)["files"]} == {
        "hong.pdf": "removed",
        "so-tu-phap.docx": "unchanged",
    }
    with Workspace(ws) as w:
        assert [s.display_path for s in w.submissions()] == ["so-tu-phap.docx"]
    assert egov("score", "--rules", "hanam-2022", "--workspace", ws, "--format", "csv")[0] == 0
    assert egov("score", "--rules", "hanam-2022", "--workspace", ws, "--format", "csv", "--strict")[0] == 1


def test_usage_errors_are_clear(tmp_path: Path) -> None:
    code, _, err = egov("rank", "--workspace", str(tmp_path / "empty.sqlite"))
    assert code == 2 and "egov ingest" in err and not list(tmp_path.iterdir())  # nothing created
    code, _, err = egov("score", "--rules", "khong-co", "--workspace", str(tmp_path / "w.sqlite"))
    assert code == 2 and "khong-co" in err
    code, _, err = egov("ingest", str(tmp_path / "missing"), "--workspace", str(tmp_path / "w.sqlite"))
    assert code == 2 and "missing" in err


def test_workspace_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_WORKSPACE", str(tmp_path / "env.sqlite"))
    reports = tmp_path / "r"
    reports.mkdir()
    shutil.copy(SAMPLES / "so-cong-thuong.xlsx", reports)
    assert egov("ingest", str(reports))[0] == 0
    assert (tmp_path / "env.sqlite").exists()


def test_module_entry_point_and_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "egovcli", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("ingest", "indicators", "score", "rank"):
        assert command in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "egovcli", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("egov ")
