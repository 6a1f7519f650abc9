"""The ingest orchestrator: folder walk, per-file isolation, idempotent re-ingest, agencies,
superseded submissions, label pins, formats read through LibreOffice."""

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from egovcli.agencies import AgencyRegistryError
from egovcli.cli import app
from egovcli.ingest import ingest_folder, walk
from egovcli.ingest.readers import legacy
from egovcli.workspace import Workspace


def _xlsx(path: Path, agency: str, staff: int, computers: int) -> Path:
    """A small Hà Nam-style annex: THÔNG TIN CHUNG lines and a criteria table."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["Bộ tiêu chí đánh giá, xếp hạng ứng dụng CNTT năm 2022"])
    ws.append(["Tên cơ quan, đơn vị:", agency])
    ws.append(["Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan:", staff])
    ws.append(["Tổng số máy tính được trang bị (gồm máy tính để bàn, xách tay, máy tính bảng):", computers])
    ws.append([])
    ws.append(["TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá"])
    ws.append(["I", "HẠ TẦNG KỸ THUẬT CNTT", None, 50, 10])
    ws.append([1, "Tỷ lệ CBCCVC được trang bị máy tính", "Điểm = Tỷ lệ % x Điểm tối đa", 10, 10])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_walk_notes_lock_files_hides_hidden_ones_and_walks_subfolders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/x.docx", "b.pdf", "~$b.xlsx", ".hidden.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "report.xlsx").mkdir()  # a folder named like a file
    found = [(p.relative_to(tmp_path).as_posix(), skip and skip.code) for p, skip in walk(tmp_path)]
    assert found == [("b.pdf", None), ("~$b.xlsx", "I-LOCK-FILE"), ("a/x.docx", None)]


def test_batch_continues_past_bad_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    reports = tmp_path / "reports"
    _xlsx(reports / "so-tai-chinh.xlsx", "Sở Tài chính tỉnh Hà Nam", 50, 50)
    (reports / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (reports / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0legacy")
    (reports / "ghi-chu.txt").write_text("không phải báo cáo", encoding="utf-8")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1)
        by_file = {f.file: f for f in report.files}
        assert by_file["so-tai-chinh.xlsx"].status == "new"
        assert by_file["so-tai-chinh.xlsx"].agency == "Sở Tài chính tỉnh Hà Nam"
        assert by_file["hong.xlsx"].status == "failed"
        assert by_file["hong.xlsx"].problems[0].code == "E-UNREADABLE"
        assert by_file["cu.xls"].status == "failed"
        assert by_file["cu.xls"].problems[0].code == "E-NEEDS-LIBREOFFICE"
        assert by_file["ghi-chu.txt"].status == "skipped"
        # the failures are recorded in the workspace, not dropped
        stored = {s.display_path: s.status for s in ws.submissions()}
        assert stored == {"so-tai-chinh.xlsx": "ok", "hong.xlsx": "failed", "cu.xls": "failed"}


def test_reingest_is_idempotent_and_changes_replace(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    path = _xlsx(reports / "so-y-te.xlsx", "Sở Y tế", 40, 30)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports, ws, jobs=1)
        before = [(o.obs.label, o.obs.value, o.obs.location) for o in ws.observations()]
        again = ingest_folder(reports, ws, jobs=1)
        assert [f.status for f in again.files] == ["unchanged"]
        assert [(o.obs.label, o.obs.value, o.obs.location) for o in ws.observations()] == before
        _xlsx(path, "Sở Y tế", 40, 35)
        changed = ingest_folder(reports, ws, jobs=1)
        assert [f.status for f in changed.files] == ["updated"]
        computers = [o.obs.value for o in ws.observations() if o.obs.indicator == "computers_total"]
        assert computers == [35]


def test_period_override_and_parallel_workers(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    for i, name in enumerate(("Sở Y tế", "Sở Tư pháp", "Sở Xây dựng")):
        _xlsx(reports / f"f{i}.xlsx", name, 40, 30)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=2, period="2023")
        assert {f.period for f in report.files} == {"2023"}
        assert sorted(f.agency for f in report.files) == ["Sở Tư pháp", "Sở Xây dựng", "Sở Y tế"]


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws, pytest.raises(NotADirectoryError):
        ingest_folder(tmp_path / "nope", ws)


def _ingest(reports: Path, ws: Workspace, **kw: object) -> dict[str, tuple[str, str, str]]:
    """file → (status, agency, superseded_by) of one ingest run."""
    report = ingest_folder(reports, ws, jobs=1, **kw)  # type: ignore[arg-type]
    return {f.file: (f.status, f.agency, f.superseded_by) for f in report.files}


def _aged(path: Path, mtime: float) -> Path:
    os.utime(path, (mtime, mtime))
    return path


AGENCIES = (
    "id,name,group,aliases\nsxd,Sở Xây dựng,,SXD;Sở Xây dựng tỉnh Hà Tĩnh\nkb,UBND huyện Kim Bảng,,KB\n"
)


def test_registry_in_the_folder_joins_spellings_and_is_not_a_report(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _aged(_xlsx(reports / "a.xlsx", "SỞ XÂY DỰNG TỈNH HÀ TĨNH", 40, 30), 1_000)
    _aged(_xlsx(reports / "b.xlsx", "SXD", 40, 35), 2_000)
    _xlsx(reports / "c.xlsx", "KB", 20, 20)
    (reports / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert _ingest(reports, ws) == {
            "a.xlsx": ("superseded", "Sở Xây dựng", "b.xlsx"),
            "b.xlsx": ("new", "Sở Xây dựng", ""),
            "c.xlsx": ("new", "UBND huyện Kim Bảng", ""),
        }
        groups = {(so.agency, so.group) for so in ws.observations()}
        assert groups == {("Sở Xây dựng", "department"), ("UBND huyện Kim Bảng", "district")}


def test_without_a_registry_names_are_normalised(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _aged(_xlsx(reports / "a.xlsx", "sở xây dựng", 40, 30), 1_000)
    _aged(_xlsx(reports / "b.xlsx", "Sở Xây dựng tỉnh Hà Tĩnh", 40, 35), 2_000)
    _xlsx(reports / "c.xlsx", "UBND TP. PHỦ LÝ", 20, 20)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert _ingest(reports, ws) == {
            "a.xlsx": ("superseded", "Sở Xây dựng", "b.xlsx"),
            "b.xlsx": ("new", "Sở Xây dựng tỉnh Hà Tĩnh", ""),
            "c.xlsx": ("new", "UBND TP. Phủ Lý", ""),  # re-cased, the abbreviation kept
        }
        # a registry added later re-reads every file under its names
        (reports / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
        assert _ingest(reports, ws)["b.xlsx"] == ("updated", "Sở Xây dựng", "")
        assert _ingest(reports, ws)["b.xlsx"] == ("unchanged", "Sở Xây dựng", "")


def test_supersession_follows_changes_and_deletions(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    first = _aged(_xlsx(reports / "lan-1.xlsx", "Sở Y tế", 40, 30), 1_000)
    second = _aged(_xlsx(reports / "lan-2.xlsx", "Sở Y tế", 40, 35), 2_000)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert _ingest(reports, ws) == {
            "lan-1.xlsx": ("superseded", "Sở Y tế", "lan-2.xlsx"),
            "lan-2.xlsx": ("new", "Sở Y tế", ""),
        }
        computers = [so.obs.value for so in ws.observations() if so.obs.indicator == "computers_total"]
        assert computers == [35]
        assert len(ws.observations(include_superseded=True)) == 2 * len(ws.observations())
        _aged(_xlsx(first, "Sở Y tế", 40, 38), 3_000)  # the first file is corrected and now the latest
        assert _ingest(reports, ws) == {
            "lan-1.xlsx": ("updated", "Sở Y tế", ""),
            "lan-2.xlsx": ("superseded", "Sở Y tế", "lan-1.xlsx"),
        }
        first.unlink()
        assert _ingest(reports, ws) == {
            "lan-2.xlsx": ("unchanged", "Sở Y tế", ""),
            "lan-1.xlsx": ("removed", "Sở Y tế", ""),
        }
        assert second.exists() and [s.status for s in ws.submissions()] == ["ok"]


def test_other_periods_do_not_supersede(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _xlsx(reports / "2022" / "a.xlsx", "Sở Y tế", 40, 30)
    _xlsx(reports / "2023" / "a.xlsx", "Sở Y tế", 40, 35)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports / "2022", ws, jobs=1, period="2022")
        ingest_folder(reports / "2023", ws, jobs=1, period="2023")
        assert [s.status for s in ws.submissions()] == ["ok", "ok"]


def test_malformed_registry_is_a_usage_error(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _xlsx(reports / "a.xlsx", "Sở Y tế", 40, 30)
    (reports / "agencies.csv").write_text("id,name\nsyt,Sở Y tế\nsyt,Sở Y tế\n", encoding="utf-8")
    with (
        Workspace(tmp_path / "ws.sqlite") as ws,
        pytest.raises(AgencyRegistryError, match=r"agencies\.csv:3"),
    ):
        ingest_folder(reports, ws, jobs=1)
    result = CliRunner().invoke(app, ["ingest", str(reports), "--workspace", str(tmp_path / "w.sqlite")])
    assert result.exit_code == 2 and "agencies.csv:3" in result.output
    other = tmp_path / "dm.csv"
    other.write_text(AGENCIES, encoding="utf-8")
    args = [
        "ingest",
        str(reports),
        "--workspace",
        str(tmp_path / "w.sqlite"),
        "--agencies",
        str(other),
        "--json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0
    files = json.loads(result.stdout)["files"]
    assert {f["file"]: (f["status"], f["superseded_by"]) for f in files} == {
        "a.xlsx": ("new", ""),
        "agencies.csv": ("skipped", ""),  # not the registry in use: just another non-report file
    }
    result = CliRunner().invoke(app, ["ingest", str(reports), "--agencies", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "nope.csv" in result.output


def test_label_pins_map_data_rows_and_a_changed_mapping_remaps_stored_rows(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _xlsx(reports / "a.xlsx", "Sở Y tế", 40, 30)
    staff = "Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan:"
    mapping = reports / "mapping.csv"
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports, ws, jobs=1)
        indicator = {so.obs.label: so.obs.indicator for so in ws.observations(kind="data")}
        assert indicator[staff.rstrip(":")] == "staff_total"
        mapping.write_text(f'label,indicator\n"{staff.rstrip(":")}",computers_total\n', encoding="utf-8")
        report = ingest_folder(reports, ws, jobs=1)
        assert [(f.file, f.status) for f in report.files] == [("a.xlsx", "unchanged")]  # nothing re-read
        indicator = {so.obs.label: so.obs.indicator for so in ws.observations(kind="data")}
        assert indicator[staff.rstrip(":")] == "computers_total"
        mapping.unlink()
        ingest_folder(reports, ws, jobs=1)
        indicator = {so.obs.label: so.obs.indicator for so in ws.observations(kind="data")}
        assert indicator[staff.rstrip(":")] == "staff_total"


def test_xlsm_is_read_and_its_macros_never_run(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _xlsx(reports / "so-y-te.xlsx", "Sở Y tế", 40, 30).rename(reports / "so-y-te.xlsm")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        (result,) = ingest_folder(reports, ws, jobs=1).files
        assert (result.status, result.agency) == ("new", "Sở Y tế")
        assert [p.code for p in result.problems] == ["I-MACROS-NOT-RUN"]
        assert [s.status for s in ws.submissions()] == ["ok"]


def test_legacy_word_without_libreoffice_says_how_to_enable_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "bao-cao.doc").write_bytes(b"\xd0\xcf\x11\xe0 a Word 97 document")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        (result,) = ingest_folder(reports, ws, jobs=1).files
        assert result.status == "failed"
        (prob,) = result.problems
        assert prob.code == "E-NEEDS-LIBREOFFICE" and prob.file == "bao-cao.doc"
        assert "apt-get install libreoffice-calc-nogui libreoffice-writer-nogui" in prob.message


# --- agency guessed from the path (issue 11 follow-up) -------------------------------------------


def _table_alone(path: Path, staff: int) -> Path:
    """Seed 000 (Hà Tĩnh) without anything naming the agency — no letterhead, no "Tên đơn vị" row,
    the value column headed "Số liệu" — as a workbook or a Word report; `staff`: its
    "Số cán bộ công chức" (36 in the seed)."""
    from openpyxl import Workbook

    from tests.shapes import HA_TINH_TITLE, _cell_value, _docx, ha_tinh_rows

    rows, _ = ha_tinh_rows("\n")
    rows[0][2] = "Số liệu"
    rows = [r for r in rows if r[1] != "Tên đơn vị"]
    (row,) = [r for r in rows if r[1] == "Số cán bộ công chức:"]
    row[2] = str(staff)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".docx":
        return _docx([*HA_TINH_TITLE, (rows, [])], path)
    workbook = Workbook()
    sheet = workbook.active
    for r, line in enumerate([[t] for t in HA_TINH_TITLE] + [[]] + rows, 1):
        for c, text in enumerate(line, 1):
            sheet.cell(r, c, _cell_value(text))
    workbook.save(path)
    return path


def _staff(ws: Workspace) -> dict[str, list[float | None]]:
    """agency → the values it counts for staff_office, as scoring sees them."""
    found: dict[str, list[float | None]] = {}
    for so in ws.observations("data"):
        if so.obs.indicator == "staff_office":
            found.setdefault(so.agency, []).append(so.obs.value)
    return found


def test_unnamed_files_of_one_round_folder_stay_separate_agencies(tmp_path: Path) -> None:
    """reports/2022/a.xlsx and reports/2022/b.docx name no agency: each is guessed from its file
    name, never both from the folder "2022" (which merged their values into one agency)."""
    from egovcli.api import score_workspace

    reports = tmp_path / "reports"
    _table_alone(reports / "2022" / "so-tai-chinh.xlsx", 36)
    _table_alone(reports / "2022" / "UBND_huyen_Ky_Anh.docx", 50)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1)
        assert {f.file: f.agency for f in report.files} == {
            "2022/so-tai-chinh.xlsx": "so tai chinh",
            "2022/UBND_huyen_Ky_Anh.docx": "UBND huyen Ky Anh",
        }
        for f in report.files:  # the warning names the guess
            assert [f"'{f.agency}'" in p.message for p in f.problems if p.code == "W-NO-AGENCY"] == [True]
        assert _staff(ws) == {"so tai chinh": [36], "UBND huyen Ky Anh": [50]}
        run = score_workspace(ws, "hanam-2022")
    assert sorted(s.agency for s in run.scores) == ["UBND huyen Ky Anh", "so tai chinh"]


def test_a_folder_named_like_an_agency_names_its_unnamed_files(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _table_alone(reports / "Sở Xây dựng" / "bao-cao.xlsx", 36)
    _table_alone(reports / "so-lieu" / "Sở_Y_tế.xlsx", 40)  # "số liệu" (figures) is no agency
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert {f: agency for f, (_, agency, _) in _ingest(reports, ws).items()} == {
            "Sở Xây dựng/bao-cao.xlsx": "Sở Xây dựng",
            "so-lieu/Sở_Y_tế.xlsx": "Sở Y tế",
        }
        assert _staff(ws) == {"Sở Xây dựng": [36], "Sở Y tế": [40]}


def test_registered_folder_or_file_names_give_the_registered_agency(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _table_alone(reports / "sxd" / "bao-cao.xlsx", 36)  # an alias of Sở Xây dựng
    _table_alone(reports / "2022" / "KB.xlsx", 20)  # an alias of UBND huyện Kim Bảng
    _table_alone(reports / "2022" / "bao-cao.xlsx", 30)
    (reports / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        assert {f: agency for f, (_, agency, _) in _ingest(reports, ws).items()} == {
            "sxd/bao-cao.xlsx": "Sở Xây dựng",
            "2022/KB.xlsx": "UBND huyện Kim Bảng",
            "2022/bao-cao.xlsx": "bao cao",
        }
        assert _staff(ws) == {"Sở Xây dựng": [36], "UBND huyện Kim Bảng": [20], "bao cao": [30]}


def test_an_escaped_byte_in_a_file_name_is_not_a_folder_separator(tmp_path: Path) -> None:
    """b"bad\\xff.docx" is shown "bad\\xff.docx": the guess is "bad\\xff", not "bad"."""
    reports = tmp_path / "reports"
    _table_alone(reports / "good.docx", 36)
    os.rename(reports / "good.docx", os.fsencode(reports) + b"/bad\xff.docx")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        (result,) = ingest_folder(reports, ws, jobs=1).files
        assert (result.file, result.agency) == ("bad\\xff.docx", "bad\\xff")
        assert _staff(ws) == {"bad\\xff": [36]}
