"""egov's own outputs saved into the report folder are never read back as an agency's report
(issue 11, item 12): the workbook carries OUTPUT_MARKER in its core properties."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import hostile
import pytest
from helpers import egov

from egovcli import OUTPUT_MARKER
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"


def _ingest(reports: Path, ws: str) -> dict[str, dict[str, object]]:
    code, out, err = egov("ingest", str(reports), "-w", ws, "--json")
    assert code == 0, err
    return {f["file"]: f for f in json.loads(out)["files"]}


def test_a_ranking_written_into_the_input_folder_is_skipped_next_time(tmp_path: Path) -> None:
    reports = shutil.copytree(SAMPLES, tmp_path / "reports")
    ws = str(tmp_path / "ws.sqlite")
    first = _ingest(reports, ws)
    with Workspace(ws) as workspace:
        agencies = {s.agency for s in workspace.submissions()}
    scores = str(tmp_path / "s.csv")
    assert egov("score", "--rules", "hanam-2022", "-w", ws, "-f", "csv", "-o", scores)[0] == 0
    code, _out, err = egov("rank", "-w", ws, "--out", str(reports / "ranking.xlsx"),
                           "--md", str(reports / "summary.md"), "--html", str(reports / "summary.html"))
    assert code == 0, err
    again = _ingest(reports, ws)
    assert again["ranking.xlsx"]["status"] == "skipped"
    assert [p["code"] for p in again["ranking.xlsx"]["problems"]] == ["I-EGOV-OUTPUT"]
    assert {name: f["status"] for name, f in again.items() if name in first} == {
        name: "skipped" if f["status"] == "skipped" else "unchanged" for name, f in first.items()
    }
    with Workspace(ws) as workspace:
        assert {s.agency for s in workspace.submissions()} == agencies


def test_the_workbook_carries_the_marker_and_keeps_its_creator(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    reports = shutil.copytree(SAMPLES, tmp_path / "reports")
    ws = str(tmp_path / "ws.sqlite")
    _ingest(reports, ws)
    egov("score", "--rules", "hanam-2022", "-w", ws, "-f", "csv", "-o", str(tmp_path / "s.csv"))
    assert egov("rank", "-w", ws, "--out", str(tmp_path / "r.xlsx"))[0] == 0
    properties = load_workbook(tmp_path / "r.xlsx").properties
    assert (properties.creator, properties.keywords) == ("egov", OUTPUT_MARKER)


def test_a_report_merely_created_by_egov_is_read(tmp_path: Path) -> None:
    """A user's workbook that copied creator "egov" (no marker) is a report like any other."""
    from openpyxl import load_workbook

    reports = tmp_path / "reports"
    reports.mkdir()
    path = hostile.good_xlsx(reports / "so-tai-chinh.xlsx")
    workbook = load_workbook(path)
    workbook.properties.creator = "egov"
    workbook.properties.keywords = "egov-output-like, báo cáo"  # not the marker itself
    workbook.save(path)
    got = _ingest(reports, str(tmp_path / "ws.sqlite"))
    assert (got["so-tai-chinh.xlsx"]["status"], got["so-tai-chinh.xlsx"]["agency"]) == ("new", "Sở Tài chính")


def test_a_report_overwritten_by_an_output_leaves_the_workspace(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    reports = tmp_path / "reports"
    reports.mkdir()
    path = hostile.good_xlsx(reports / "bao-cao.xlsx")
    ws = str(tmp_path / "ws.sqlite")
    assert _ingest(reports, ws)["bao-cao.xlsx"]["status"] == "new"
    workbook = load_workbook(path)
    workbook.properties.keywords = OUTPUT_MARKER
    workbook.save(path)
    assert _ingest(reports, ws)["bao-cao.xlsx"]["status"] == "skipped"
    with Workspace(ws) as workspace:
        assert workspace.submissions() == []


@pytest.mark.parametrize("comment", [b"", b"saved by a zip tool"])
def test_the_marker_is_found_whether_or_not_the_zip_is_read_whole(tmp_path: Path, comment: bytes) -> None:
    """The marker is read from the bytes the sniffer read (a small, plain zip) or, for a zip it
    leaves to zipfile (an archive comment), through zipfile: the same answer either way (issue 15)."""
    import zipfile

    from openpyxl import load_workbook

    from egovcli.ingest.extract import EXTRACTORS, read_report
    from egovcli.ingest.readers import safety

    path = hostile.good_xlsx(tmp_path / "bao-cao.xlsx")
    workbook = load_workbook(path)
    workbook.properties.keywords = OUTPUT_MARKER
    workbook.save(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = comment
    got = read_report(path, safety.Limits(), EXTRACTORS)
    assert [p.code for p in got.problems] == ["I-EGOV-OUTPUT"]
