"""The CSV files a person edits — adjustments.csv, agencies.csv, mapping.csv — are read strictly
(issue 11, items 5 and 9): an unterminated quote never swallows the rows after it, a cell over
128 KiB is a clean `file:line` error instead of a `_csv.Error` traceback, and every bad row is
reported at once, nothing applied unless the whole file is valid (exit 2).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import egov

from egovcli.agencies import AgencyRegistryError, load_registry
from egovcli.csvfile import MAX_CELL, read_csv
from egovcli.indicators import MappingError, load_mapping
from egovcli.score.adjust import read_adjustments
from egovcli.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanam-2022"
HUGE = "x" * (MAX_CELL + 70_000)  # 200 KiB: over the csv module's 128 KiB field limit
HEADER = "agency,criterion,points,reason\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two sample reports ingested and scored (without adjustments)."""
    tmp = tmp_path_factory.mktemp("csv")
    folder = tmp / "reports"
    folder.mkdir()
    for name in ("so-xay-dung.xlsx", "so-cong-thuong.xlsx"):
        shutil.copyfile(SAMPLES / name, folder / name)
    ws = tmp / "ws.sqlite"
    assert egov("ingest", str(folder), "-w", str(ws), "-j", "1")[0] == 0
    return {"ws": ws, "folder": folder}


def _runs(ws: Path) -> int:
    with Workspace(ws) as w:
        return int(w.db.execute("SELECT count(*) FROM score_runs").fetchone()[0])


# -- adjustments.csv ------------------------------------------------------------------------------


def test_an_unterminated_quote_no_longer_swallows_the_next_adjustment(
    scored: dict[str, Any], tmp_path: Path
) -> None:
    path = _write(tmp_path / "adjustments.csv", HEADER
                  + 'Sở Xây dựng,I.1,+1,"Thẩm định: 6 máy tính mua tháng 12/2022\n'  # the quote never closes
                  + "Sở Công Thương,I.1,-1,thẩm định lại\n")
    runs = _runs(scored["ws"])
    code, _, err = egov("score", "-r", "hanam-2022", "-w", str(scored["ws"]), "--adjustments", str(path))
    assert code == 2, err  # before the fix: exit 0, Sở Công Thương's -1 silently dropped
    assert "adjustments.csv:2: lỗi dấu ngoặc kép" in err
    assert _runs(scored["ws"]) == runs  # nothing scored, nothing applied


def test_a_quote_closed_rows_later_is_refused_too(tmp_path: Path) -> None:
    path = _write(tmp_path / "adjustments.csv", HEADER
                  + 'Sở Xây dựng,I.1,+1,"Thẩm định\n'
                  + 'Sở Công Thương,I.1,-1,thẩm định lại"\n'  # valid CSV, but a swallowed row
                  + 'Sở Y tế,I.2,2,"hai\ndòng"\n')  # a real two-line reason stays fine
    found, errors = read_adjustments(path)
    assert [p.code for p in errors] == ["E-CSV-QUOTE"]
    assert list(map(str, errors)) == [
        "adjustments.csv:2: dấu ngoặc kép chưa đóng: một ô kéo dài qua các dòng 2–3 và nuốt cả các dòng dữ"
        " liệu trong đó"
    ]
    assert [(a.agency, a.reason, a.line) for a in found.rows] == [("Sở Y tế", "hai\ndòng", 4)]


def test_every_bad_row_is_reported_at_once(scored: dict[str, Any], tmp_path: Path) -> None:
    path = _write(tmp_path / "adjustments.csv", HEADER
                  + "Sở Du lịch,I.1,3,không có cơ quan này\n"  # 2: unknown agency (found when matching)
                  + "Sở Xây dựng,I.1,ba,không phải số\n"  # 3: not a number (found when reading)
                  + "Sở Xây dựng,IX.9,1,không có tiêu chí\n"  # 4: unknown criterion
                  + 'Sở Công Thương,I.2,1,"quote"x\n'  # 5: a quote error
                  + "Sở Công Thương,I.1,1,lần 1\n"  # 6: fine
                  + "Sở Công Thương,I.1,2,lần 2\n")  # 7: the same criterion again
    code, _, err = egov("score", "-r", "hanam-2022", "-w", str(scored["ws"]), "--adjustments", str(path))
    assert code == 2
    lines = [line.split(":", 2)[1] for line in err.splitlines() if line.startswith("adjustments.csv:")]
    assert lines == ["2", "3", "4", "5", "7"], err


def test_a_huge_reason_is_a_clean_error(scored: dict[str, Any], tmp_path: Path) -> None:
    path = _write(tmp_path / "adjustments.csv", HEADER + f'Sở Xây dựng,I.1,+1,"{HUGE}"\n')
    code, _, err = egov("score", "-r", "hanam-2022", "-w", str(scored["ws"]), "--adjustments", str(path))
    assert code == 2 and "adjustments.csv:2: ô quá dài" in err and "Traceback" not in err


# -- agencies.csv and mapping.csv -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f'id,name,aliases\nsxd,Sở Xây dựng,"{HUGE}"\n', ":2: ô quá dài"),
        ('id,name,aliases\nsxd,"Sở Xây dựng,SXD\nsct,Sở Công Thương,SCT\n', ":2: lỗi dấu ngoặc kép"),
        ('id,name,aliases\nsxd,"Sở Xây dựng\nsct,Sở Công Thương",SCT\n', ":2: dấu ngoặc kép chưa đóng"),
    ],
)
def test_registry_huge_cell_and_quotes(
    scored: dict[str, Any], tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path / "agencies.csv", text)
    with pytest.raises(AgencyRegistryError, match=expected):
        load_registry(path)
    ws = str(tmp_path / "w.sqlite")
    code, _, err = egov("ingest", str(scored["folder"]), "-w", ws, "--agencies", str(path))
    assert code == 2 and f"{path}{expected}" in err and "Traceback" not in err


def test_registry_reports_every_bad_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "agencies.csv", "id,name,group\nsxd,Sở Xây dựng,\n,Sở Y tế,\nsxd,Sở Nội vụ,\n"
                  "sct,Sở Công Thương,tỉnh\n")
    with pytest.raises(AgencyRegistryError) as err:
        load_registry(path)
    assert [line.split(":")[1] for line in str(err.value).splitlines()] == ["3", "4", "5"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f'label,indicator\n"{HUGE}",servers\n', ":2: ô quá dài"),
        ('label,indicator\n"Số máy chủ,servers\nSố máy in,printers\n', ":2: lỗi dấu ngoặc kép"),
    ],
)
def test_mapping_huge_cell_and_quotes(
    scored: dict[str, Any], tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path / "mapping.csv", text)
    with pytest.raises(MappingError, match=expected):
        load_mapping(path)
    ws = str(tmp_path / "w.sqlite")
    code, _, err = egov("ingest", str(scored["folder"]), "-w", ws, "--mapping", str(path))
    assert code == 2 and f"{path}{expected}" in err and "Traceback" not in err


def test_mapping_reports_every_bad_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "mapping.csv", "label,indicator\nMáy in,unicorns\nMáy chủ,servers\n,printers\n")
    with pytest.raises(MappingError) as err:
        load_mapping(path)
    assert [line.split(":")[1] for line in str(err.value).splitlines()] == ["2", "4"]


# -- the shared reader ----------------------------------------------------------------------------


def test_reader_lines_separators_and_the_field_limit_left_as_it_was(tmp_path: Path) -> None:
    import csv

    limit = csv.field_size_limit()
    path = _write(tmp_path / "a.csv", 'a;b\n1;"hai\ndòng"\n\n3;4\n')
    table = read_csv(path, "a.csv", multiline=("B",))
    assert table.header == ["a", "b"] and table.problems == []
    assert [(r.line, r.cells) for r in table.rows] == [(2, ["1", "hai\ndòng"]), (5, ["3", "4"])]
    assert csv.field_size_limit() == limit
    assert json.loads(json.dumps([r.cells for r in table.rows]))  # plain data
    problem = "dấu ngoặc kép chưa đóng: ô thứ 2 kéo dài qua các dòng 2–3 (ô này không xuống dòng)"
    assert [(p.code, p.where.line, p.message) for p in read_csv(path, "a.csv").problems] == [
        ("E-CSV-QUOTE", 2, problem)
    ]


@pytest.mark.parametrize("spell", [str.upper, str.title, lambda name: f" {name}: "])
def test_the_three_files_read_their_header_alike(tmp_path: Path, spell: Any) -> None:
    """One header rule (issue 12): a column is named in any case, with spaces or a colon around it,
    in every file (agencies.csv already read it so; adjustments.csv and mapping.csv did not)."""
    def header(*names: str) -> str:
        return ",".join(spell(n) for n in names) + "\n"

    agencies = _write(tmp_path / "agencies.csv",
                      header("id", "name", "group") + "sxd,Sở Xây dựng,department\n")
    assert load_registry(agencies).resolve("Sở Xây dựng").key == "id:sxd"
    mapping = _write(tmp_path / "mapping.csv", header("label", "indicator") + "Số máy chủ vật lý,servers\n")
    assert load_mapping(mapping) == {"so may chu vat ly": "servers"}
    adjustments = _write(tmp_path / "adjustments.csv",
                         header("agency", "criterion", "points", "reason") + "Sở Xây dựng,I.1,2,thẩm định\n")
    found, errors = read_adjustments(adjustments)
    assert errors == []
    assert [(a.agency, a.points) for a in found.rows] == [("Sở Xây dựng", 2.0)]
