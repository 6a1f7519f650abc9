"""The ingest orchestrator: folder walk, per-file isolation, idempotent re-ingest."""

from pathlib import Path

import pytest

from egovcli.ingest import discover, ingest_folder
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


def test_discover_skips_lock_and_hidden_files_and_walks_subfolders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/x.docx", "b.pdf", "~$b.xlsx", ".hidden.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "report.xlsx").mkdir()  # a folder named like a file
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == ["b.pdf", "a/x.docx"]


def test_batch_continues_past_bad_files(tmp_path: Path) -> None:
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
        assert by_file["cu.xls"].problems[0].code == "E-UNSUPPORTED"
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
