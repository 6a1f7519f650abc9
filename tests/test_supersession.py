"""Supersession with real-shaped files: a later submission of one agency and period replaces an
earlier one only when it repeats it, so a Word report and its Excel annex of figures both count."""

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import statuses
from typer.testing import CliRunner

from egovcli import api
from egovcli.cli import app
from egovcli.ingest import ingest_folder
from egovcli.score.engine import collect_inputs
from egovcli.supersession import Candidate, Row, competes, items, settle
from egovcli.workspace import Workspace
from samples.generate import seed_004_spec, write_docx

AGENCY = "Sở Tài chính tỉnh Hà Nam"
FIGURES = (  # an annex's yes/no and count lines, none of them in seed 004's report but "Máy chủ"
    ("Phòng máy chủ:", "Không"),
    ("Hệ thống chống sét lan truyền:", "Có"),
    ("Hệ thống báo cháy phòng máy chủ:", "Có"),
    ("Máy chủ:", 6),
)


def _annex(path: Path, figures: tuple[tuple[str, object], ...] = FIGURES) -> Path:
    """An Excel annex of figures (no criteria table, no date), naming the agency as its header does."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Phụ lục số liệu ứng dụng CNTT năm 2022"])
    ws.append(["Tên cơ quan, đơn vị:", "SỞ TÀI CHÍNH"])
    for label, value in figures:
        ws.append([label, value])
    wb.save(path)
    return path


def _report(path: Path, **changes: object) -> Path:
    """Seed 004's Word report (criteria table, THÔNG TIN CHUNG, narrative counts), dated 20/10/2022."""
    write_docx(dataclasses.replace(seed_004_spec(), **changes), path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report, its annex and a corrected annex, each written once."""
    src = tmp_path_factory.mktemp("files")
    figures = tuple((label, "Có" if label.startswith("Phòng") else value) for label, value in FIGURES)
    return {
        "bao-cao.docx": _report(src / "bao-cao.docx"),
        "phu-luc.xlsx": _annex(src / "phu-luc.xlsx"),
        "phu-luc-sua.xlsx": _annex(src / "phu-luc-sua.xlsx", figures),
    }


def _place(files: dict[str, Path], reports: Path, name: str, mtime: float) -> None:
    reports.mkdir(exist_ok=True)
    shutil.copyfile(files[name], reports / name)
    os.utime(reports / name, (mtime, mtime))


def _inputs(ws: Workspace) -> dict[str, tuple[float | None, str]]:
    """What scoring reads per indicator: (value, source file)."""
    inputs = collect_inputs(ws.observations())
    return {k: (i.value, i.source_file) for k, i in inputs.items() if not i.parts}


def test_a_report_and_its_annex_both_count_and_the_annex_is_scored(files: dict, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _place(files, reports, "bao-cao.docx", 1_000)
    _place(files, reports, "phu-luc.xlsx", 2_000)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1)
        assert {f.file: (f.status, f.superseded_by) for f in report.files} == {
            "bao-cao.docx": ("new", ""),
            "phu-luc.xlsx": ("new", ""),
        }
        inputs = _inputs(ws)
        assert inputs["server_room"] == (0, "phu-luc.xlsx")
        assert inputs["staff_total"] == (50, "bao-cao.docx")
        assert inputs["servers"] == (6, "phu-luc.xlsx")  # both report it: the later file's value counts
        run = api.score_workspace(ws, "hanam-2022")
    # one agency, although the annex spells it "SỞ TÀI CHÍNH"
    (scored,) = run.scores
    rows = {r.criterion: r for r in scored.rows}
    assert (rows["I.3.1"].basis, rows["I.3.1"].points) == ("data", 0)
    assert "Phòng máy chủ = Không (phu-luc.xlsx, Số liệu!B3)" in rows["I.3.1"].explanation
    assert rows["I.1"].basis == "data" and "bao-cao.docx" in rows["I.1"].explanation
    assert rows["II.1.1"].basis == "self"  # the report's self-scores count too


def test_the_earlier_value_counts_only_while_it_is_the_later(files: dict, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _place(files, reports, "phu-luc.xlsx", 1_000)
    _place(files, reports, "bao-cao.docx", 2_000)  # the annex first: the report's "Máy chủ: 04" counts
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports, ws, jobs=1)
        assert {s for s, _ in statuses(ws).values()} == {"ok"}
        inputs = _inputs(ws)
        assert inputs["servers"] == (4, "bao-cao.docx")
        assert inputs["server_room"] == (0, "phu-luc.xlsx")


def test_a_corrected_report_supersedes_the_first_and_nothing_of_it_leaks(tmp_path: Path) -> None:
    seed = seed_004_spec()
    reports = tmp_path / "reports"
    reports.mkdir()
    # v1 also answers "Phòng máy chủ" in THÔNG TIN CHUNG; v2 (the correction) does not
    first = _report(reports / "bao-cao-lan-1.docx", info=[*seed.info, ("Phòng máy chủ", "Có")])
    second = _report(reports / "bao-cao-lan-2.docx")
    os.utime(first, (1_000, 1_000))
    os.utime(second, (2_000, 2_000))
    with Workspace(tmp_path / "ws.sqlite") as ws:
        result = CliRunner().invoke(app, ["ingest", str(reports), "--workspace", str(ws.path), "--json"])
        assert result.exit_code == 0, result.output
        files = {f["file"]: (f["status"], f["superseded_by"]) for f in json.loads(result.stdout)["files"]}
        assert files == {
            "bao-cao-lan-1.docx": ("superseded", "bao-cao-lan-2.docx"),
            "bao-cao-lan-2.docx": ("new", ""),
        }
        assert {so.source_file for so in ws.observations()} == {"bao-cao-lan-2.docx"}
        assert "server_room" not in _inputs(ws)


def test_a_corrected_annex_supersedes_only_the_first_annex(files: dict, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    for mtime, name in enumerate(("bao-cao.docx", "phu-luc.xlsx", "phu-luc-sua.xlsx"), 1):
        _place(files, reports, name, mtime * 1_000)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports, ws, jobs=1)
        assert statuses(ws) == {
            "bao-cao.docx": ("ok", ""),
            "phu-luc-sua.xlsx": ("ok", ""),
            "phu-luc.xlsx": ("superseded", "phu-luc-sua.xlsx"),
        }
        assert _inputs(ws)["server_room"] == (1, "phu-luc-sua.xlsx")


@pytest.mark.parametrize(
    "runs",
    [
        [["bao-cao.docx"], ["phu-luc.xlsx"], ["phu-luc-sua.xlsx"]],
        [["phu-luc-sua.xlsx"], ["phu-luc.xlsx", "bao-cao.docx"]],
    ],
)
def test_statuses_do_not_depend_on_ingest_order(files: dict, tmp_path: Path, runs: list[list[str]]) -> None:
    mtimes = {"bao-cao.docx": 1_000, "phu-luc.xlsx": 2_000, "phu-luc-sua.xlsx": 3_000}
    reports = tmp_path / "reports"
    with Workspace(tmp_path / "ws.sqlite") as ws:
        for run in runs:
            for name in run:
                _place(files, reports, name, mtimes[name])
            ingest_folder(reports, ws, jobs=1)
        assert statuses(ws) == {
            "bao-cao.docx": ("ok", ""),
            "phu-luc-sua.xlsx": ("ok", ""),
            "phu-luc.xlsx": ("superseded", "phu-luc-sua.xlsx"),
        }


# --- the policy alone (egovcli.supersession): each rule, written from what the workspace did ------
def _row(
    indicator: str, value: float | None = 1.0, *, kind: str = "data", raw: str = "1", agency: str = ""
) -> Row:
    return Row(kind, indicator, value, raw, agency)


def _sub(
    path: str, mtime: float, *indicators: str, doc_date: str | None = None, failed: bool = False
) -> Candidate:
    return Candidate(path, mtime, doc_date, failed, tuple(_row(i) for i in indicators))


def _decided(*candidates: Candidate) -> dict[str, tuple[int, str | None]]:
    return {d.path: (d.precedence, d.superseded_by) for d in settle(candidates)}


def test_policy_a_later_submission_that_repeats_an_earlier_one_supersedes_it() -> None:
    first, second = _sub("v1.docx", 1_000, "a", "b", "c"), _sub("v2.docx", 2_000, "a", "b", "c")
    assert _decided(first, second) == {"v2.docx": (0, None), "v1.docx": (1, "v2.docx")}


def test_policy_an_annex_of_other_figures_counts_beside_the_report() -> None:
    report, annex = _sub("bao-cao.docx", 1_000, "a", "b", "c"), _sub("phu-luc.xlsx", 2_000, "c", "d", "e")
    assert _decided(report, annex) == {"phu-luc.xlsx": (0, None), "bao-cao.docx": (1, None)}


def test_policy_half_of_the_items_repeated_is_enough() -> None:
    half = _sub("cu.xlsx", 1_000, "a", "b", "c", "d")
    assert _decided(half, _sub("moi.xlsx", 2_000, "a", "b", "x"))["cu.xlsx"] == (1, "moi.xlsx")
    less = _sub("cu.xlsx", 1_000, "a", "b", "c")  # 1 of 3 repeated: less than half
    assert _decided(less, _sub("moi.xlsx", 2_000, "a", "x"))["cu.xlsx"] == (1, None)


def test_policy_the_later_document_date_decides_when_every_submission_has_one() -> None:
    # the file modified last is the older document: the printed dates decide
    older = _sub("20-10.docx", 2_000, "a", doc_date="2022-10-20")
    newer = _sub("25-10.docx", 1_000, "a", doc_date="2022-10-25")
    assert _decided(older, newer) == {"25-10.docx": (0, None), "20-10.docx": (1, "25-10.docx")}


def test_policy_the_modification_time_decides_when_a_submission_has_no_date() -> None:
    dated = _sub("co-ngay.docx", 1_000, "a", doc_date="2022-10-25")
    undated = _sub("khong-ngay.xlsx", 2_000, "a")
    assert _decided(dated, undated) == {"khong-ngay.xlsx": (0, None), "co-ngay.docx": (1, "khong-ngay.xlsx")}


def test_policy_ties_on_date_and_time_are_broken_by_the_path() -> None:
    a = _sub("/r/a.xlsx", 1_000, "x", doc_date="2022-10-25")
    b = _sub("/r/b.xlsx", 1_000, "x", doc_date="2022-10-25")
    assert _decided(a, b) == {"/r/b.xlsx": (0, None), "/r/a.xlsx": (1, "/r/b.xlsx")}


def test_policy_does_not_depend_on_the_order_submissions_come_in() -> None:
    subs = [
        _sub("bao-cao.docx", 1_000, "a", "b", "c"),
        _sub("phu-luc.xlsx", 2_000, "d", "e"),
        _sub("phu-luc-sua.xlsx", 3_000, "d", "e", "f"),
    ]
    expected = {
        "phu-luc-sua.xlsx": (0, None),
        "phu-luc.xlsx": (1, "phu-luc-sua.xlsx"),
        "bao-cao.docx": (2, None),
    }
    assert _decided(*subs) == _decided(*reversed(subs)) == expected


def test_policy_only_a_counting_submission_supersedes() -> None:
    # v3 replaces v2; v1 repeats v2 only, which no longer counts, so v1 still counts
    v1, v2 = _sub("v1", 1_000, "a", "b"), _sub("v2", 2_000, "a", "b", "c", "d")
    v3 = _sub("v3", 3_000, "c", "d")
    assert _decided(v1, v2, v3) == {"v3": (0, None), "v2": (1, "v3"), "v1": (2, None)}


def test_policy_a_submission_with_no_items_is_superseded_by_the_latest() -> None:
    notes = Candidate("ghi-chu.docx", 1_000, None, False, (_row("", kind="text"),))
    report = _sub("bao-cao.docx", 2_000, "a")
    assert _decided(notes, report) == {"bao-cao.docx": (0, None), "ghi-chu.docx": (1, "bao-cao.docx")}


def test_policy_blank_rows_report_nothing_but_written_text_does() -> None:
    blank = [_row("a", None, raw=""), _row("b", None, raw="……"), _row("c", None, raw="-")]
    assert items(blank) == frozenset()
    written = [_row("a", None, raw="Đang xây dựng"), _row("b", 0.0, raw="0")]
    assert items(written) == {("data", "a"), ("data", "b")}
    # the earlier file's only item is blank there: it repeats nothing, so it is superseded by the latest
    earlier = Candidate("cu.xlsx", 1_000, None, False, (_row("z", None, raw=""),))
    assert _decided(earlier, _sub("moi.xlsx", 2_000, "a"))["cu.xlsx"] == (1, "moi.xlsx")


def test_policy_items_are_own_data_rows_and_self_scores_only() -> None:
    rows = [
        _row("staff_total"),
        _row("II.1.1", kind="self_score"),
        _row("", kind="data"),  # unmapped, and no label to know it by (a labelled figure: below)
        _row("1.TOTAL", kind="published_score"),
        _row("servers", agency="Sở Y tế"),  # about another agency
    ]
    assert items(rows) == {("data", "staff_total"), ("self_score", "II.1.1")}


def test_policy_failed_submissions_and_rankings_of_other_agencies_do_not_compete() -> None:
    failed = _sub("hong.xlsx", 3_000, "a", failed=True)
    published = _row("1.TOTAL", kind="published_score", agency="Sở Y tế")
    ranking = Candidate("xep-hang.pdf", 4_000, None, False, (published,))
    report = _sub("bao-cao.docx", 1_000, "a")
    assert _decided(failed, ranking, report) == {"bao-cao.docx": (0, None)}


def test_policy_an_unknown_agency_or_period_never_competes() -> None:
    assert competes("id:so-tai-chinh", "2022")
    assert not competes("", "2022")
    assert not competes("id:so-tai-chinh", "")


def test_policy_a_figure_no_catalogue_indicator_names_is_an_item_by_its_label() -> None:
    """An earlier annex holding only a province's own figure ("Số camera giám sát thông minh: 12",
    which a rule set maps when scoring) reports something: the report does not supersede it. Text
    under an unknown label, or a label a person decided names no indicator, reports nothing."""
    camera = Row("data", "", 12.0, "12", "", "Số camera giám sát thông minh", "none")
    annex = Candidate("bo-sung.xlsx", 1_000, None, False, (camera,))
    report = _sub("bao-cao.xlsx", 2_000, "a", "b")
    assert _decided(annex, report) == {"bao-cao.xlsx": (0, None), "bo-sung.xlsx": (1, None)}
    shouted = camera._replace(label="SỐ CAMERA GIÁM SÁT THÔNG MINH")
    same_figure = Candidate("bao-cao.xlsx", 2_000, None, False, (_row("a"), shouted))
    assert _decided(annex, same_figure)["bo-sung.xlsx"] == (1, "bao-cao.xlsx")  # repeated: a later version
    for row in (camera._replace(value=None, raw_value="Nguyễn Văn A"), camera._replace(method="pinned"),
                camera._replace(method="not_indicator")):
        alone = Candidate("bo-sung.xlsx", 1_000, None, False, (row,))
        assert _decided(alone, report)["bo-sung.xlsx"] == (1, "bao-cao.xlsx")
