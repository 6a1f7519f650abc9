"""A self-assessment that prints no year takes the period of its round: one round is never split
into two rankings unless the user asks (issue 11, item 8)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from egovcli import api
from egovcli.ingest import IngestReport, ingest_folder
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
KHCN = "Sở Khoa học và Công nghệ tỉnh Hà Nam"


def _variant(path: Path, agency: str, year: str | None) -> Path:
    """The Hà Nam self-assessment annex of so-xay-dung.xlsx (its criteria sheet alone, as agencies
    send it) for another agency, with its year changed, or with no year at all (`None`)."""
    from openpyxl import load_workbook

    workbook = load_workbook(SAMPLES / "so-xay-dung.xlsx")
    del workbook["Báo cáo"]
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value.replace("Sở Xây dựng", agency)
                    cell.value = re.sub(r"\s*năm 2022", f" năm {year}" if year else "", text)
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def period_less(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _variant(tmp_path_factory.mktemp("variants") / "so-khcn.xlsx", "Sở Khoa học và Công nghệ", None)


def _round(tmp_path: Path, period_less: Path) -> Path:
    """samples/hanam-2022 with one more self-assessment that names no year."""
    reports = shutil.copytree(SAMPLES, tmp_path / "reports")
    shutil.copy(period_less, reports / "so-khcn.xlsx")
    return reports


def _result(report: IngestReport, name: str) -> tuple[str, str, list[str]]:
    (found,) = [f for f in report.files if f.file == name]
    return found.status, found.period, [p.code for p in found.problems]


def test_a_file_without_a_year_takes_the_period_of_its_round(tmp_path: Path, period_less: Path) -> None:
    reports = _round(tmp_path, period_less)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=2)
        assert _result(report, "so-khcn.xlsx") == ("new", "2022", ["W-PERIOD-INFERRED"])
        (note,) = [f for f in report.files if f.file == "so-khcn.xlsx"][0].problems
        assert "2022" in note.message and "8 tệp" in note.message and "--period" in note.message
        assert {f.period for f in report.files if f.status == "new"} == {"2022"}
        api.score_workspace(ws, "hanam-2022")
        ranking = api.rank_workspace(ws).ranking
        assert {r.period for r in ranking} == {"2022"}  # one ranking, not a second one for ""
        assert KHCN in {r.agency for r in ranking}
        # unchanged next time, the inferred period kept
        again = ingest_folder(reports, ws, jobs=2)
        assert _result(again, "so-khcn.xlsx") == ("unchanged", "2022", [])


def test_a_file_added_later_takes_the_period_of_the_stored_round(tmp_path: Path, period_less: Path) -> None:
    reports = shutil.copytree(SAMPLES, tmp_path / "reports")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports, ws, jobs=2)
        shutil.copy(period_less, reports / "so-khcn.xlsx")
        report = ingest_folder(reports, ws, jobs=2)
        assert _result(report, "so-khcn.xlsx") == ("new", "2022", ["W-PERIOD-INFERRED"])


def test_no_guess_between_two_periods(tmp_path: Path, period_less: Path) -> None:
    reports = _round(tmp_path, period_less)
    _variant(reports / "so-noi-vu-2021.xlsx", "Sở Nội vụ", "2021")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=2)
    assert _result(report, "so-noi-vu-2021.xlsx")[:2] == ("new", "2021")
    assert _result(report, "so-khcn.xlsx") == ("new", "", ["W-NO-PERIOD"])
    (note,) = [f for f in report.files if f.file == "so-khcn.xlsx"][0].problems
    assert "2021, 2022" in note.message and "--period" in note.message


def test_the_period_option_overrides_everything(tmp_path: Path, period_less: Path) -> None:
    reports = _round(tmp_path, period_less)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=2, period="2023")
    assert _result(report, "so-khcn.xlsx") == ("new", "2023", [])
    assert {f.period for f in report.files if f.status == "new"} == {"2023"}
