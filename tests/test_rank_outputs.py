"""`egov rank --out ranking.xlsx --md … --html …` at a national round's scale (issue 15): each agency's
stored score is read once, in ranking order, for every output together, and the workbook is written
row by row (openpyxl write-only), with the same cells, styles and layout."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import egov
from openpyxl import load_workbook

from egovcli import api
from egovcli.render.workbook import DETAIL_SHEET
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three Hà Nam reports ingested and scored."""
    tmp = tmp_path_factory.mktemp("rank-outputs")
    folder = tmp / "reports"
    folder.mkdir()
    for name in ("so-xay-dung.xlsx", "so-cong-thuong.xlsx", "so-noi-vu.pdf"):
        shutil.copyfile(SAMPLES / name, folder / name)
    ws = tmp / "ws.sqlite"
    assert egov("ingest", str(folder), "-w", str(ws), "-j", "1")[0] == 0
    assert egov("score", "-r", "hanam-2022", "-w", str(ws), "-f", "csv")[0] == 0
    return ws


def test_each_score_is_read_once_for_all_outputs(
    scored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    read = Workspace.run_agency

    def counted(self: Workspace, run_id: int, agency: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(agency)
        return read(self, run_id, agency, *args, **kwargs)

    monkeypatch.setattr(Workspace, "run_agency", counted)
    out = {name: tmp_path / name for name in ("r.xlsx", "r.md", "r.html")}
    with Workspace(scored) as ws:
        result = api.rank_workspace(ws)
        api.write_rank_outputs(result, xlsx=out["r.xlsx"], md=out["r.md"], html=out["r.html"])
    ranked = [row.agency for row in result.ranking]
    assert len(ranked) == 3 and reads == ranked  # once each, in ranking order
    detail = load_workbook(out["r.xlsx"])[DETAIL_SHEET]
    agencies = [row[0].value for row in detail.iter_rows(min_row=4)]
    assert list(dict.fromkeys(agencies)) == ranked  # every agency's criteria, in ranking order
    assert all(agency in out["r.md"].read_text(encoding="utf-8") for agency in ranked)


def test_workbook_from_scores_in_any_order_is_the_same(scored: Path, tmp_path: Path) -> None:
    """`write_ranking_workbook` (scores given in any order) and the one-pass path give the same bytes."""
    from egovcli.render.workbook import write_ranking_workbook

    with Workspace(scored) as ws:
        result = api.rank_workspace(ws)
        api.write_rank_outputs(result, xlsx=tmp_path / "a.xlsx", md=None, html=None)
        rules = result.rules
        sections = [(s.id, s.title, s.max) for s in rules.sections]
        write_ranking_workbook(tmp_path / "b.xlsx", result.ranking, list(result.scores)[::-1], sections,
                               rules.title, adjustments=result.adjustments, rules=rules)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
