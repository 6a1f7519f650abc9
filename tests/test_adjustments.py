"""Appraisal adjustments (adjustments.csv): reading, matching every row or refusing the file, and
the adjusted points with their reason in every output (CSV/JSON, workbook, summaries)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from egovcli.cli import app
from egovcli.score.adjust import Adjustment, AdjustmentsError, adjust, match_adjustments, read_adjustments
from egovcli.score.model import CriterionScore

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
DEMO_ADJUSTMENTS = ROOT / "samples" / "hanam-2022-adjustments.csv"
runner = CliRunner()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "adjustments.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_points_set_or_changed_and_vietnamese_decimals(tmp_path: Path) -> None:
    path = _csv(tmp_path, "agency,criterion,points,reason,period\n"
                          "Sở Y tế,I.1,\"7,5\",đếm lại máy tính,2022\n"
                          "Sở Y tế,I.2,+1,bổ sung minh chứng,\n"
                          "Sở Y tế,I.3.1,-0.5,thiếu sơ đồ mạng,\n")
    found, errors = read_adjustments(path)
    got = [(a.agency, a.criterion, a.points, a.relative, a.reason, a.period, a.line) for a in found.rows]
    assert errors == []
    assert got == [
        ("Sở Y tế", "I.1", 7.5, False, "đếm lại máy tính", "2022", 2),
        ("Sở Y tế", "I.2", 1.0, True, "bổ sung minh chứng", "", 3),
        ("Sở Y tế", "I.3.1", -0.5, True, "thiếu sơ đồ mạng", "", 4),
    ]


def test_unreadable_rows_are_all_reported_with_their_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, "agency,criterion,points,reason\n"
                          "Sở Y tế,I.1,ba,đếm lại\n"
                          "\n"
                          "Sở Y tế,I.2,2,\n")
    found, errors = read_adjustments(path)
    assert found.rows == ()
    assert [p.code for p in errors] == ["E-CSV-VALUE", "E-CSV-MISSING"]
    assert list(map(str, errors)) == [
        "adjustments.csv:2: điểm 'ba' không phải số (ví dụ 3, 0,5, +1, -2)",
        "adjustments.csv:4: thiếu reason",
    ]


def test_missing_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AdjustmentsError, match=r"^adjustments.csv:1: thiếu cột reason \(cần: agency,"):
        read_adjustments(_csv(tmp_path, "agency,criterion,points\nSở Y tế,I.1,3\n"))


SCORED = [
    ("Sở Y tế tỉnh Hà Nam", "2022", {"I.1": 10.0, "I.2": 10.0}),
    ("Sở Nội vụ", "2021", {"I.1": 10.0}),
    ("Sở Nội vụ", "2022", {"I.1": 10.0}),
]


def _adj(agency: str, criterion: str, points: float, relative: bool = False, period: str = "",
         line: int = 2) -> Adjustment:
    return Adjustment(agency, criterion, points, relative, "lý do", period, "adjustments.csv", line)


def test_matching_by_agency_key_and_period() -> None:
    matched = match_adjustments(
        [_adj("SỞ Y TẾ", "I.2", 3), _adj("Sở Nội vụ", "I.1", 1, True, "2021", 3)], SCORED
    )
    assert {k: [a.criterion for a in v] for k, v in matched.items()} == {
        ("so y te", "2022"): ["I.2"],
        ("so noi vu", "2021"): ["I.1"],
    }


def test_every_row_that_matches_nothing_is_an_error() -> None:
    rows = [
        _adj("Sở Du lịch", "I.1", 3, line=2),
        _adj("Sở Y tế", "IX.9", 3, line=3),
        _adj("Sở Y tế", "I.1", 12, line=4),
        _adj("Sở Nội vụ", "I.1", 3, line=5),
        _adj("Sở Nội vụ", "I.1", 3, period="2019", line=6),
        _adj("Sở Y tế", "I.2", 3, line=7),
        _adj("Sở Y tế", "I.2", 2, line=8),
    ]
    with pytest.raises(AdjustmentsError) as err:
        match_adjustments(rows, SCORED)
    assert str(err.value).splitlines() == [
        "adjustments.csv:2: không có cơ quan 'Sở Du lịch' trong kết quả chấm điểm",
        "adjustments.csv:3: 'Sở Y tế' không được chấm tiêu chí 'IX.9'",
        "adjustments.csv:4: điểm 12 của tiêu chí I.1 ngoài khoảng 0–10",
        "adjustments.csv:5: 'Sở Nội vụ' có nhiều kỳ (2021, 2022): ghi rõ cột period",
        "adjustments.csv:6: 'Sở Nội vụ' không có kỳ '2019' (có: 2021, 2022)",
        "adjustments.csv:8: tiêu chí I.2 của 'Sở Y tế' đã điều chỉnh ở adjustments.csv:7",
    ]


def test_adjusted_row_keeps_what_it_replaces_and_clamps_a_change() -> None:
    row = CriterionScore("I.1", "I", "Máy tính", 8.0, 10.0, "data", 10.0, ["claim_exceeds_evidence"],
                         "48/60 × 10 = 8", "so-xay-dung.xlsx", "Phụ lục!E14")
    adjust(row, _adj("Sở Xây dựng", "I.1", 5, relative=True, line=3))
    assert (row.points, row.basis, row.adjustment_reason) == (10.0, "adjusted", "lý do")
    assert (row.source_file, row.location) == ("so-xay-dung.xlsx", "Phụ lục!E14")  # the flagged cell
    assert row.explanation == ("Điều chỉnh sau thẩm định (+5; adjustments.csv dòng 3): 8 → 10 (giữ trong "
                               "0–10). Lý do: lý do. Trước điều chỉnh: 48/60 × 10 = 8")
    assert row.flags == ["claim_exceeds_evidence"]  # the audit flag about the submission stays


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The sample round scored with the shipped demo adjustments, then ranked with every output."""
    tmp = tmp_path_factory.mktemp("adjusted")
    ws = str(tmp / "ws.sqlite")
    assert runner.invoke(app, ["ingest", str(SAMPLES), "-w", ws]).exit_code == 0
    args = ["score", "-r", "hanam-2022", "-w", ws, "--adjustments", str(DEMO_ADJUSTMENTS), "-f", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    rank = runner.invoke(app, ["rank", "-w", ws, "-o", str(tmp / "r.xlsx"), "--md", str(tmp / "s.md"),
                               "--html", str(tmp / "s.html")])
    assert rank.exit_code == 0, rank.stderr
    ranking = runner.invoke(app, ["rank", "-w", ws, "--format", "json"])
    assert ranking.exit_code == 0, ranking.stderr
    return {"tmp": tmp, "scores": list(csv.DictReader(io.StringIO(result.stdout))), "stderr": result.stderr,
            "ranking": json.loads(ranking.stdout)}


def test_scores_export_shows_basis_and_reason(demo: dict) -> None:
    adjusted = {(r["agency"], r["criterion"]): r for r in demo["scores"] if r["basis"] == "adjusted"}
    assert set(adjusted) == {("Sở Xây dựng tỉnh Hà Nam", "I.1"), ("Sở Tư pháp tỉnh Hà Nam", "II.4.4")}
    xd, tp = adjusted[("Sở Xây dựng tỉnh Hà Nam", "I.1")], adjusted[("Sở Tư pháp tỉnh Hà Nam", "II.4.4")]
    assert (xd["points"], tp["points"]) == ("9", "6")  # 8 from 48/60 computers, +1; 12 claimed → 8, -2
    assert xd["adjustment_reason"].startswith("Thẩm định: 6 máy tính")
    assert "Lý do: Thẩm định: phần mềm hộ tịch" in tp["explanation"]
    assert "(-2; hanam-2022-adjustments.csv dòng 3): 8 → 6" in tp["explanation"]
    assert tp["source_file"] == "so-tu-phap.docx" and tp["flags"] == "over_max"  # the claimed 12
    assert "2 tiêu chí điều chỉnh sau thẩm định" in demo["stderr"]


def test_totals_and_ranking_follow_the_adjusted_points(demo: dict) -> None:
    totals = {r["agency"]: r["points"] for r in demo["scores"] if r["criterion"] == "TOTAL"}
    assert totals["Sở Xây dựng tỉnh Hà Nam"] == "481"  # 480 + 1
    assert totals["Sở Tư pháp tỉnh Hà Nam"] == "486"  # 488 - 2
    ranks = {r["agency"]: (r["rank"], r["total"]) for r in demo["ranking"]}
    assert ranks["Sở Tư pháp tỉnh Hà Nam"] == (4, 486)
    assert ranks["Sở Xây dựng tỉnh Hà Nam"] == (6, 481)


def test_workbook_and_summaries_show_the_reason(demo: dict) -> None:
    tmp: Path = demo["tmp"]
    wb = load_workbook(tmp / "r.xlsx")
    sheet = wb["Điều chỉnh"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(r[0], r[2], r[4]) for r in rows] == [
        ("Sở Tư pháp tỉnh Hà Nam", "II.4.4", 6),
        ("Sở Xây dựng tỉnh Hà Nam", "I.1", 9),
    ]
    assert rows[1][6].startswith("Thẩm định: 6 máy tính")
    detail = [[c.value for c in row] for row in wb["Chi tiết tiêu chí"].iter_rows(min_row=4)]
    line = next(r for r in detail if r[0] == "Sở Xây dựng tỉnh Hà Nam" and r[3] == "I.1")
    assert (line[5], line[7]) == (9, "điều chỉnh sau thẩm định") and "Lý do điều chỉnh: " in line[11]
    md = (tmp / "s.md").read_text(encoding="utf-8")
    assert "## Điều chỉnh sau thẩm định" in md and "phần mềm hộ tịch do Bộ Tư pháp" in md
    assert "2 điều chỉnh sau thẩm định" in md
    html = (tmp / "s.html").read_text(encoding="utf-8")
    assert "<h2>Điều chỉnh sau thẩm định</h2>" in html and "Bộ Tư pháp triển khai" in html


def test_a_bad_adjustments_file_scores_nothing(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws.sqlite")
    assert runner.invoke(app, ["ingest", str(SAMPLES), "-w", ws]).exit_code == 0
    bad = _csv(tmp_path, "agency,criterion,points,reason\nSở Du lịch,I.1,3,thẩm định\n")
    result = runner.invoke(app, ["score", "-r", "hanam-2022", "-w", ws, "--adjustments", str(bad)])
    assert result.exit_code == 2
    assert "adjustments.csv:2: không có cơ quan 'Sở Du lịch'" in result.stderr
    assert runner.invoke(app, ["rank", "-w", ws]).exit_code == 2  # no scoring run was stored


# -- the adjustments are the workspace's state (issue 11, item 10) ---------------------------------


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two agencies the demo adjustments name, ingested (not scored)."""
    tmp = tmp_path_factory.mktemp("stored")
    folder = tmp / "reports"
    folder.mkdir()
    for name in ("so-xay-dung.xlsx", "so-tu-phap.docx"):
        shutil.copyfile(SAMPLES / name, folder / name)
    assert runner.invoke(app, ["ingest", str(folder), "-w", str(tmp / "ws.sqlite")]).exit_code == 0
    return tmp / "ws.sqlite"


def _score(ws: Path, *args: str) -> tuple[int, dict[str, float], str]:
    """exit code, TOTAL per agency, stderr."""
    result = runner.invoke(app, ["score", "-r", "hanam-2022", "-w", str(ws), "-f", "json", *args])
    if result.exit_code:
        return result.exit_code, {}, result.stderr
    totals = {r["agency"]: r["points"] for r in json.loads(result.stdout) if r["criterion"] == "TOTAL"}
    return 0, totals, result.stderr


def _rank(ws: Path, tmp: Path) -> str:
    result = runner.invoke(app, ["rank", "-w", str(ws), "-o", str(tmp / "r.xlsx"), "--md", str(tmp / "s.md"),
                                 "--html", str(tmp / "s.html")])
    assert result.exit_code == 0, result.stderr
    return result.stderr


UNADJUSTED = {"Sở Xây dựng tỉnh Hà Nam": 480, "Sở Tư pháp tỉnh Hà Nam": 488}
ADJUSTED = {"Sở Xây dựng tỉnh Hà Nam": 481, "Sở Tư pháp tỉnh Hà Nam": 486}


def test_a_later_score_keeps_the_stored_adjustments_and_says_so(base: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.sqlite"
    shutil.copyfile(base, ws)
    digest = hashlib.sha256(DEMO_ADJUSTMENTS.read_bytes()).hexdigest()
    described = f"hanam-2022-adjustments.csv (2 dòng, sha256 {digest[:12]}…)"
    code, totals, err = _score(ws, "--adjustments", str(DEMO_ADJUSTMENTS))
    assert code == 0 and totals == ADJUSTED and f"{described} — đã lưu vào workspace" in err
    code, totals, err = _score(ws)  # before the fix: the adjustments silently gone, ranks changed
    assert code == 0 and totals == ADJUSTED
    assert f"Áp dụng điều chỉnh sau thẩm định đã lưu trong workspace: {described}" in err
    err = _rank(ws, tmp_path)
    assert f"Điều chỉnh sau thẩm định: {described}" in err
    subtitle = load_workbook(tmp_path / "r.xlsx")["Sở, ban, ngành"]["A2"].value
    assert subtitle.endswith(f"điều chỉnh sau thẩm định: {described}")
    assert f"Điều chỉnh sau thẩm định: {described}" in (tmp_path / "s.md").read_text(encoding="utf-8")
    assert f"Điều chỉnh sau thẩm định: {described}" in (tmp_path / "s.html").read_text(encoding="utf-8")


def test_no_adjustments_clears_them_and_a_new_file_replaces_them(base: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.sqlite"
    shutil.copyfile(base, ws)
    assert _score(ws, "--adjustments", str(DEMO_ADJUSTMENTS))[1] == ADJUSTED
    code, totals, err = _score(ws, "--no-adjustments")
    assert code == 0 and totals == UNADJUSTED and "Đã bỏ điều chỉnh sau thẩm định đã lưu (hanam-2022" in err
    assert "Điều chỉnh sau thẩm định: không có" in _rank(ws, tmp_path)
    subtitle = load_workbook(tmp_path / "r.xlsx")["Sở, ban, ngành"]["A2"].value
    assert "điều chỉnh sau thẩm định: không có" in subtitle
    code, totals, err = _score(ws)  # cleared stays cleared
    assert code == 0 and totals == UNADJUSTED and "Áp dụng điều chỉnh" not in err
    assert _score(ws, "--adjustments", str(DEMO_ADJUSTMENTS))[1] == ADJUSTED
    assert _score(ws, "--clear-adjustments")[1] == UNADJUSTED  # the other spelling
    assert _score(ws, "--adjustments", str(DEMO_ADJUSTMENTS))[1] == ADJUSTED
    one = _csv(tmp_path, "agency,criterion,points,reason\nSở Tư pháp,II.4.4,-1,thẩm định lại\n")
    code, totals, err = _score(ws, "--adjustments", str(one))  # replaces the stored ones
    assert totals == {"Sở Xây dựng tỉnh Hà Nam": 480, "Sở Tư pháp tỉnh Hà Nam": 487}
    assert "adjustments.csv (1 dòng, sha256" in err and "thay cho hanam-2022-adjustments.csv" in err
    assert _score(ws)[1] == totals
    code, _, err = _score(ws, "--adjustments", str(one), "--no-adjustments")
    assert code == 2 and "không dùng cùng nhau" in err


def test_each_run_keeps_its_own_adjustments(base: Path, tmp_path: Path) -> None:
    from egovcli import api
    from egovcli.workspace import Workspace

    ws = tmp_path / "ws.sqlite"
    shutil.copyfile(base, ws)
    with Workspace(ws) as w:
        adjusted = api.score_workspace(w, "hanam-2022", adjustments=DEMO_ADJUSTMENTS)
        cleared = api.score_workspace(w, "hanam-2022", clear_adjustments=True)
        assert w.run_adjustments(adjusted.run_id)[1] is not None
        assert w.run_adjustments(cleared.run_id) == (True, None)
        assert api.rank_workspace(w).adjustments == "không có"


def test_stored_adjustments_that_no_longer_match_stop_the_scoring(base: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws.sqlite"
    shutil.copyfile(base, ws)
    assert _score(ws, "--adjustments", str(DEMO_ADJUSTMENTS))[0] == 0
    result = runner.invoke(app, ["score", "-r", "hoabinh-2017", "-w", str(ws)])  # other criteria
    assert result.exit_code == 2
    assert "đã lưu trong workspace (hanam-2022-adjustments.csv" in result.stderr
    assert "--no-adjustments" in result.stderr
    result = runner.invoke(app, ["score", "-r", "hoabinh-2017", "-w", str(ws), "--no-adjustments"])
    assert result.exit_code == 0, result.stderr
