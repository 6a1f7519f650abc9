"""Comparison with the previous period: a workspace holding the sample round for 2021 (five of the
eight departments, one of them adjusted down) and 2022 gives each 2022 agency its rank and point
change, in the export, the workbook and the summaries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from egovcli.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "hanam-2022"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
IN_2021 = ("so-tai-chinh.docx", "so-noi-vu.pdf", "so-y-te.pdf", "so-tu-phap.docx", "so-xay-dung.xlsx")
runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("periods")
    ws = str(tmp / "ws.sqlite")
    (tmp / "2021").mkdir()
    for name in IN_2021:
        shutil.copy(SAMPLES / name, tmp / "2021" / name)
    _ok("ingest", str(tmp / "2021"), "-w", ws, "--period", "2021")
    _ok("ingest", str(SAMPLES), "-w", ws)
    adjustments = tmp / "adjustments.csv"  # Sở Tài chính lost 20 points in 2021
    adjustments.write_text("agency,criterion,points,reason,period\n"
                           "Sở Tài chính,II.1.2,-15,thẩm định 2021,2021\n"
                           "Sở Tài chính,II.1.3,-5,thẩm định 2021,2021\n", encoding="utf-8")
    _ok("score", "-r", "hanam-2022", "-w", ws, "--adjustments", str(adjustments), "-f", "csv")
    out = {"ranking": json.loads(_ok("rank", "-w", ws, "-f", "json")), "tmp": tmp}
    _ok("rank", "-w", ws, "-o", str(tmp / "r.xlsx"), "--md", str(tmp / "s.md"), "--html", str(tmp / "s.html"))
    return out


def _row(ranked: dict, period: str, agency: str) -> dict:
    return next(r for r in ranked["ranking"] if r["period"] == period and r["agency"].startswith(agency))


def test_changes_since_the_previous_period(ranked: dict) -> None:
    # 2021: Nội vụ 490, Tư pháp 488, Y tế 485, Xây dựng 480, Tài chính 496 − 20 = 476
    tc, tp = _row(ranked, "2022", "Sở Tài chính"), _row(ranked, "2022", "Sở Tư pháp")
    assert (tc["rank"], tc["previous_period"], tc["previous_rank"], tc["rank_change"]) == (1, "2021", 5, 4)
    assert (tc["previous_total"], tc["total_change"]) == (476, 20)
    assert (tp["previous_rank"], tp["rank"], tp["rank_change"], tp["total_change"]) == (2, 4, -2, 0)
    new = _row(ranked, "2022", "Sở Công Thương")
    assert (new["previous_period"], new["previous_rank"], new["rank_change"]) == ("2021", None, None)
    first = _row(ranked, "2021", "Sở Nội vụ")
    assert (first["rank"], first["previous_period"], first["previous_rank"]) == (1, "", None)

    # what each comparison is against (merged and renamed units say theirs: tests/test_merged_units.py)
    assert (tc["previous_basis"], tc["predecessors"], tc["previous_note"]) == ("same_agency", [], "")
    assert (new["previous_basis"], new["predecessors"], new["previous_note"]) == ("", [], "")


def test_every_output_shows_the_comparison(ranked: dict) -> None:
    tmp: Path = ranked["tmp"]
    md = (tmp / "s.md").read_text(encoding="utf-8")
    assert "## Sở, ban, ngành — kỳ 2021" in md and "## Sở, ban, ngành — kỳ 2022" in md
    line = next(x for x in md.splitlines() if x.startswith("| 1 | Sở Tài chính") and "| 496 |" in x)
    assert line.endswith("| 5 | +4 | +20 |")
    line = next(x for x in md.splitlines() if "Sở Công Thương" in x)
    assert line.endswith("| — |  |  |")
    html = (tmp / "s.html").read_text(encoding="utf-8")
    assert "<th>Thay đổi hạng</th>" in html and '<td class="num" title="2021">5</td>' in html
    wb = load_workbook(tmp / "r.xlsx")
    assert wb.sheetnames[:2] == ["Sở, ban, ngành 2022", "Sở, ban, ngành 2021"]  # one table per period
    ws = wb["Sở, ban, ngành 2022"]
    header = [c.value for c in ws[3]]
    assert header[-5:] == ["Kỳ trước", "Hạng kỳ trước", "Thay đổi hạng", "Tổng điểm kỳ trước",
                           "Thay đổi điểm"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    tc = next(r for r in rows if r[1].startswith("Sở Tài chính"))
    assert tc[-5:] == ["2021", 5, "+4", 476, "+20"]
    assert "So với kỳ trước" not in header and "So với kỳ trước" not in md  # no merged or renamed unit here
