"""File names that are not valid UTF-8 (archives unpacked from Windows: b"bad\\xff.docx") never
stop a batch: the file is read and shown with its bad bytes escaped, everything else is stored,
and every later step (re-ingest, supersession, deletion, JSON output) treats it like any file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import hostile
import pytest
from helpers import egov

from egovcli.ingest import ingest_folder
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
BAD = b"bad\xff.docx"  # Latin-1 "ÿ", as a Windows archive stores a name: not UTF-8
SHOWN = "bad\\xff.docx"


def _folder(tmp_path: Path) -> Path:
    """A round with one report under a name that is not UTF-8, beside ordinary ones."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLES / "so-tu-phap.docx", os.fsencode(reports) + b"/" + BAD)
    shutil.copy(SAMPLES / "so-xay-dung.xlsx", reports / "so-xay-dung.xlsx")
    hostile.good_xlsx(Path(os.fsdecode(os.fsencode(reports) + b"/s\xe1-y-te.xlsx")), hostile.AGENCIES[1])
    return reports


def test_a_name_that_is_not_utf8_is_read_and_the_batch_goes_on(tmp_path: Path) -> None:
    reports = _folder(tmp_path)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=2)
        got = {f.file: (f.status, f.agency, f.period) for f in report.files}
        assert got == {
            SHOWN: ("new", "Sở Tư pháp tỉnh Hà Nam", "2022"),
            "s\\xe1-y-te.xlsx": ("new", "Sở Y tế", "2022"),
            "so-xay-dung.xlsx": ("new", "Sở Xây dựng tỉnh Hà Nam", "2022"),
        }
        assert {s.display_path for s in ws.submissions()} == set(got)
        values = {(o.source_file, o.obs.indicator): o.obs.value for o in ws.observations(kind="data")}
        assert values[("s\\xe1-y-te.xlsx", "staff_total")] == hostile.STAFF
        # the same files again: nothing re-read, nothing removed
        again = ingest_folder(reports, ws, jobs=2)
        assert {f.file: f.status for f in again.files} == dict.fromkeys(got, "unchanged")


def test_json_output_and_table_show_the_escaped_name(tmp_path: Path) -> None:
    reports = _folder(tmp_path)
    ws = str(tmp_path / "ws.sqlite")
    code, out, err = egov("ingest", str(reports), "-w", ws, "--json")
    assert code == 0, err
    files = {f["file"]: f["status"] for f in json.loads(out)["files"]}
    assert files[SHOWN] == "new"
    code, _out, err = egov("ingest", str(reports), "-w", ws, "--all")  # unchanged: listed when asked
    assert code == 0 and SHOWN in err


def test_a_deleted_file_with_such_a_name_is_removed(tmp_path: Path) -> None:
    reports = _folder(tmp_path)
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ingest_folder(reports, ws, jobs=1)
        os.unlink(os.fsencode(reports) + b"/" + BAD)
        report = ingest_folder(reports, ws, jobs=1)
        assert {f.file: f.status for f in report.files}[SHOWN] == "removed"
        assert SHOWN not in {s.display_path for s in ws.submissions()}


def test_supersession_between_a_bad_name_and_a_good_one(tmp_path: Path) -> None:
    """The same report saved twice, once under a bad name (the later one): the earlier is superseded."""
    reports = _folder(tmp_path)
    later = os.fsencode(reports) + b"/" + BAD
    earlier = shutil.copy(SAMPLES / "so-tu-phap.docx", reports / "so-tu-phap.docx")
    os.utime(earlier, (1_600_000_000, 1_600_000_000))
    os.utime(later, (1_700_000_000, 1_700_000_000))
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=2)
        got = {f.file: (f.status, f.superseded_by) for f in report.files}
        assert got["so-tu-phap.docx"] == ("superseded", SHOWN)
        assert got[SHOWN] == ("new", "")


def test_skipped_and_failed_files_with_bad_names_are_reported(tmp_path: Path) -> None:
    """A link to a badly named target, and a broken file whose error message quotes its path."""
    reports = tmp_path / "reports"
    reports.mkdir()
    folder = os.fsencode(reports)
    os.symlink(folder + b"/../nowhere\xfe.xlsx", folder + b"/link.xlsx")
    with open(folder + b"/h\xf4ng.xlsx", "wb") as broken:
        broken.write(b"PK\x03\x04 not really a zip")
    with Workspace(tmp_path / "ws.sqlite") as ws:
        report = ingest_folder(reports, ws, jobs=1)
    got = {f.file: (f.status, f.problems[0].code) for f in report.files}
    assert got == {"h\\xf4ng.xlsx": ("failed", "E-UNREADABLE"), "link.xlsx": ("skipped", "I-SKIPPED-LINK")}
    (link,) = [f for f in report.files if f.file == "link.xlsx"]
    assert "nowhere\\xfe.xlsx" in link.problems[0].message
    json.dumps(report.as_dict(), ensure_ascii=False).encode("utf-8")  # no surrogate left anywhere


@pytest.mark.parametrize(
    ("text", "shown"),
    [("bad\udcff.docx", "bad\\xff.docx"), ("ok.docx", "ok.docx"), ("x\ud83d", "x\\ud83d"), ("Sở", "Sở")],
)
def test_storable(text: str, shown: str) -> None:
    from egovcli.untrusted import storable

    assert storable(text) == shown
    assert storable("a\x1b[31m\u202e") == "a\x1b[31m\u202e"  # only surrogates: the rest is shown later
