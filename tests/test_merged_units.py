"""Merged and renamed units (issue 13, item 2): agencies.csv says which units an agency was formed
from (merged_from, since) or what it was called (renamed_from); the year-over-year comparison then
sets a merged unit against the mean of its predecessors (as the national DTI did for merged
provinces in 2024) and a renamed one against its former name, and every output says so.

The shape is the real one of 2025: communes merged on 1 July 2025 (UBND xã Tân Thanh from UBND xã
Thanh Tân + UBND xã Thanh Hà), Sở Khoa học và Công nghệ absorbing Sở Thông tin và Truyền thông and
Sở Nông nghiệp và Môi trường formed from Sở Nông nghiệp và Phát triển nông thôn + Sở Tài nguyên và
Môi trường (1 March 2025), Ban Dân tộc renamed Sở Dân tộc và Tôn giáo. The 2024 round is ingested
without the registry, under the names its reports print."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from egovcli.agencies import AgencyRegistryError, load_registry
from egovcli.lineage import Lineage, Predecessor
from egovcli.rank import compare_with_previous
from egovcli.rank.model import RankRow
from samples.generate import SEED_FACTS, ReportSpec, info_for, load_rows, with_scores, with_totals, write_xlsx
from tests.helpers import egov

# each report is seed 004's table (496 points self-assessed) with these criteria set to 0
ROUND_2024 = {
    "UBND xã Thanh Tân": {"I.3.1": "0"},  # 492
    "UBND xã Thanh Hà": {"I.6": "0", "I.3.2": "0"},  # 488
    "UBND xã Hòa An": {"I.6": "0"},  # 491 (UBND xã Hòa Phú sent nothing)
    "Sở Khoa học và Công nghệ": {},  # 496
    "Sở Thông tin và Truyền thông": {"I.6": "0", "I.3.1": "0", "I.3.2": "0"},  # 484
    "Sở Nông nghiệp và Phát triển nông thôn": {"I.3.3": "0"},  # 493
    "Sở Tài nguyên và Môi trường": {"I.6": "0"},  # 491
    "Ban Dân tộc": {"I.3.1": "0", "I.3.3": "0"},  # 489
    "Sở Tư pháp": {"I.3.2": "0"},  # 493
}
ROUND_2025 = {
    "UBND xã Tân Thanh": {"I.6": "0"},  # 491
    "UBND xã Hòa Bình": {},  # 496
    "UBND P. Sơn Thủy": {},  # 496: its predecessors sent nothing in 2024
    "Sở Khoa học và Công nghệ": {"I.3.1": "0"},  # 492
    "Sở Nông nghiệp và Môi trường": {},  # 496
    "Sở Dân tộc và Tôn giáo": {"I.3.1": "0"},  # 492
    "Sở Tư pháp": {"I.6": "0"},  # 491
}
AGENCIES = """id,name,group,aliases,merged_from,renamed_from,since
xa-tan-thanh,UBND xã Tân Thanh,commune,,UBND xã Thanh Tân;UBND xã Thanh Hà,,01/07/2025
xa-hoa-binh,UBND xã Hòa Bình,commune,,UBND xã Hòa An;UBND xã Hòa Phú,,01/07/2025
p-son-thuy,UBND phường Sơn Thủy,commune,UBND P. Sơn Thủy,UBND xã Sơn Lâm;UBND thị trấn Sơn Thủy,,2025-07-01
skhcn,Sở Khoa học và Công nghệ,department,Sở KH&CN,Sở Khoa học và Công nghệ;stttt,,01/03/2025
stttt,Sở Thông tin và Truyền thông,department,Sở TT&TT,,,
snnmt,Sở Nông nghiệp và Môi trường,department,,"Sở Nông nghiệp và Phát triển nông thôn;\
Sở Tài nguyên và Môi trường",,01/03/2025
sdttg,Sở Dân tộc và Tôn giáo,department,,,Ban Dân tộc,01/03/2025
stp,Sở Tư pháp,department,,,,
"""
TAN_THANH = "hợp nhất từ UBND xã Thanh Tân, UBND xã Thanh Hà (trung bình)"
HOA_BINH = ("hợp nhất từ UBND xã Hòa An, UBND xã Hòa Phú (trung bình của UBND xã Hòa An;"
            " kỳ 2024 không có UBND xã Hòa Phú)")
SON_THUY = "hợp nhất từ UBND xã Sơn Lâm, UBND thị trấn Sơn Thủy; kỳ 2024 không có đơn vị nào"
KHCN = "hợp nhất từ Sở Khoa học và Công nghệ, Sở Thông tin và Truyền thông (trung bình)"
NNMT = "hợp nhất từ Sở Nông nghiệp và Phát triển nông thôn, Sở Tài nguyên và Môi trường (trung bình)"
DTTG = "trước đây: Ban Dân tộc"
NOTES = (TAN_THANH, HOA_BINH, SON_THUY, KHCN, NNMT, DTTG)


def _report(folder: Path, agency: str, year: int, zeros: dict[str, str]) -> None:
    rows = with_totals(with_scores(load_rows(), zeros))
    info = info_for(agency, SEED_FACTS, rows)
    spec = ReportSpec(agency, agency.upper(), year, [f"BÁO CÁO năm {year}"], info, rows)
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(spec, folder / f"{agency.replace(' ', '-').replace('.', '')}.xlsx")


def _ok(*args: str) -> str:
    code, out, err = egov(*args)
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("merged")
    for agency, zeros in ROUND_2024.items():
        _report(tmp / "2024", agency, 2024, zeros)
    for agency, zeros in ROUND_2025.items():
        _report(tmp / "2025", agency, 2025, zeros)
    (tmp / "2025" / "agencies.csv").write_text(AGENCIES, encoding="utf-8")
    ws = str(tmp / "ws.sqlite")
    _ok("ingest", str(tmp / "2024"), "-w", ws, "--period", "2024")  # no registry: names as printed
    _ok("ingest", str(tmp / "2025"), "-w", ws, "--period", "2025")
    _ok("score", "-r", "hanam-2022", "-w", ws, "-f", "csv")
    _ok("rank", "-w", ws, "-o", str(tmp / "r.xlsx"), "--md", str(tmp / "s.md"), "--html", str(tmp / "s.html"))
    _ok("rank", "-w", ws, "-o", str(tmp / "r.csv"))
    return {"json": json.loads(_ok("rank", "-w", ws, "-f", "json")), "table": _ok("rank", "-w", ws),
            "tmp": tmp, "ws": ws}


def _row(rows: list[dict], period: str, agency: str) -> dict:
    return next(r for r in rows if r["period"] == period and r["agency"] == agency)


def _compared(row: dict) -> tuple[object, ...]:
    return (row["previous_period"], row["previous_rank"], row["rank_change"], row["previous_total"],
            row["total_change"], row["previous_basis"], row["previous_note"])


def test_a_merged_unit_is_compared_with_the_mean_of_its_predecessors(ranked: dict) -> None:
    rows = ranked["json"]
    tan_thanh = _row(rows, "2025", "UBND xã Tân Thanh")  # 491 against (492 + 488) / 2
    assert _compared(tan_thanh) == ("2024", None, None, 490, 1, "merged_mean", TAN_THANH)
    assert tan_thanh["predecessors"] == ["UBND xã Thanh Tân", "UBND xã Thanh Hà"]
    # the former unit of the same name is a predecessor beside the one it absorbed (given by id)
    assert _compared(_row(rows, "2025", "Sở Khoa học và Công nghệ")) == (
        "2024", None, None, 490, 2, "merged_mean", KHCN)
    assert _compared(_row(rows, "2025", "Sở Nông nghiệp và Môi trường")) == (
        "2024", None, None, 492, 4, "merged_mean", NNMT)


def test_a_missing_predecessor_is_named_and_none_present_is_new(ranked: dict) -> None:
    rows = ranked["json"]
    hoa_binh = _row(rows, "2025", "UBND xã Hòa Bình")  # 496 against UBND xã Hòa An's 491 alone
    assert _compared(hoa_binh) == ("2024", None, None, 491, 5, "merged_mean", HOA_BINH)
    son_thuy = _row(rows, "2025", "UBND phường Sơn Thủy")
    assert _compared(son_thuy) == ("2024", None, None, None, None, "", SON_THUY)


def test_a_renamed_unit_is_compared_with_its_former_name(ranked: dict) -> None:
    rows = ranked["json"]
    # 2024 departments: KH&CN 496 (1), NN&PTNT, Tư pháp 493 (2), TN&MT 491 (4), Ban Dân tộc 489 (5)
    assert _row(rows, "2024", "Ban Dân tộc")["rank"] == 5
    dttg = _row(rows, "2025", "Sở Dân tộc và Tôn giáo")  # 492, rank 2
    assert _compared(dttg) == ("2024", 5, 3, 489, 3, "renamed", DTTG)
    assert dttg["predecessors"] == ["Ban Dân tộc"]
    same = _row(rows, "2025", "Sở Tư pháp")
    assert _compared(same) == ("2024", 2, -2, 493, -2, "same_agency", "")


def test_every_output_says_how_it_compares(ranked: dict) -> None:
    tmp: Path = ranked["tmp"]
    exported = list(csv.DictReader(io.StringIO((tmp / "r.csv").read_text(encoding="utf-8"))))
    tan_thanh = _row(exported, "2025", "UBND xã Tân Thanh")
    compared = (tan_thanh["previous_total"], tan_thanh["total_change"], tan_thanh["previous_rank"])
    assert compared == ("490", "1", "")
    assert tan_thanh["previous_basis"] == "merged_mean"
    assert tan_thanh["predecessors"] == "UBND xã Thanh Tân;UBND xã Thanh Hà"
    assert tan_thanh["previous_note"] == TAN_THANH
    md = (tmp / "s.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("| 3 | UBND xã Tân Thanh"))
    assert line.endswith(f"|  |  | +1 | {TAN_THANH} |")  # no previous rank: ranks are not averaged
    line = next(x for x in md.splitlines() if "| Sở Dân tộc và Tôn giáo |" in x)
    assert line.endswith(f"| 5 | +3 | +3 | {DTTG} |")
    assert "trung bình tổng điểm kỳ trước của các đơn vị hợp nhất vào nó" in md
    html = (tmp / "s.html").read_text(encoding="utf-8")
    assert "<th>So với kỳ trước</th>" in html
    assert all(f"<td>{note}</td>" in html for note in NOTES)
    wb = load_workbook(tmp / "r.xlsx")
    sheet = next(wb[n] for n in wb.sheetnames if n.startswith("UBND") and n.endswith(" 2025"))
    header = [c.value for c in sheet[3]]
    assert header[-6:] == ["Kỳ trước", "Hạng kỳ trước", "Thay đổi hạng", "Tổng điểm kỳ trước",
                           "Thay đổi điểm", "So với kỳ trước"]
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    tan_thanh_row = next(r for r in cells if r[1] == "UBND xã Tân Thanh")
    assert tan_thanh_row[-6:] == ["2024", None, None, 490, "+1", TAN_THANH]
    table = _table_notes(ranked["table"])
    assert set(NOTES) <= set(table)


def _table_notes(text: str) -> list[str]:
    """The last column of a terminal table, each row's folded lines joined."""
    notes: list[str] = []
    for line in text.splitlines():
        cells = line.split("│")[1:-1]
        if not cells:
            continue
        if cells[0].strip():
            notes.append(cells[-1].strip())
        elif notes:
            notes[-1] = f"{notes[-1]} {cells[-1].strip()}".strip()
    return notes


def test_the_lineage_stays_when_a_folder_without_it_is_ingested_again(ranked: dict) -> None:
    tmp: Path = ranked["tmp"]
    _ok("ingest", str(tmp / "2024"), "-w", ranked["ws"], "--period", "2024")  # re-read without a registry
    rows = json.loads(_ok("rank", "-w", ranked["ws"], "-f", "json"))
    assert _row(rows, "2025", "UBND xã Tân Thanh")["previous_note"] == TAN_THANH


# -- the comparison rule on its own -----------------------------------------------------------

def _rank_row(agency: str, period: str, total: float, rank: int = 1, group: str = "department") -> RankRow:
    return RankRow(rank, agency, group, period, total, 500)


def _unit(name: str) -> Predecessor:
    from egovcli.agencies import agency_key

    return Predecessor(name, (agency_key(name),))


def test_since_decides_which_earlier_periods_are_compared_through_the_predecessors() -> None:
    # without since: its own earlier row wins; with since 1/3/2025: 2024 (ended before) is compared
    # with the predecessors' mean, 2025 (the merged unit reported for it) with its own row
    formed = Lineage("Sở Khoa học và Công nghệ", ("so khoa hoc cong nghe",),
                     (_unit("Sở Khoa học và Công nghệ"), _unit("Sở Thông tin và Truyền thông")))
    ranking = [_rank_row("Sở Khoa học và Công nghệ", "2024", 480),
               _rank_row("Sở Thông tin và Truyền thông", "2024", 470, 2),
               _rank_row("Sở Khoa học và Công nghệ", "2025", 490)]
    compare_with_previous(ranking, [formed])
    assert (ranking[2].previous_basis, ranking[2].previous_total) == ("same_agency", 480)
    dated = Lineage(formed.agency, formed.keys, formed.merged_from, since="2025-03-01")
    later = [*ranking, _rank_row("Sở Khoa học và Công nghệ", "2026", 495)]
    for r in later:
        r.previous_basis, r.previous_total = "", None
    compare_with_previous(later, [dated])
    merged, own = later[2], later[3]
    assert (merged.previous_basis, merged.previous_total, merged.total_change) == ("merged_mean", 475, 15)
    assert (own.previous_basis, own.previous_total, own.previous_rank) == ("same_agency", 490, 1)


def test_a_unit_renamed_and_merged_is_compared_with_its_former_self_and_the_merged_one() -> None:
    formed = Lineage("Sở Nông nghiệp và Môi trường", ("so nong nghiep moi truong",),
                     merged_from=(_unit("Sở Tài nguyên và Môi trường"),),
                     renamed_from=(_unit("Sở Nông nghiệp và Phát triển nông thôn"),), since="2025-03-01")
    ranking = [_rank_row("Sở Nông nghiệp và Phát triển nông thôn", "2024", 493),
               _rank_row("Sở Tài nguyên và Môi trường", "2024", 490, 2),
               _rank_row("Sở Nông nghiệp và Môi trường", "2025", 496)]
    compare_with_previous(ranking, [formed])
    merged = ranking[2]
    assert (merged.previous_basis, merged.previous_total, merged.total_change) == ("merged_mean", 491.5, 4.5)
    assert merged.previous_note == ("hợp nhất từ Sở Nông nghiệp và Phát triển nông thôn,"
                                    " Sở Tài nguyên và Môi trường (trung bình)")


def test_a_quarter_before_the_merger_uses_the_predecessors() -> None:
    formed = Lineage("UBND xã Tân Thanh", ("ubnd xa tan thanh",),
                     (_unit("UBND xã Thanh Tân"), _unit("UBND xã Thanh Hà")), since="2025-07-01")
    ranking = [_rank_row("UBND xã Thanh Tân", "2025-Q2", 90.5, 1, "commune"),
               _rank_row("UBND xã Thanh Hà", "2025-Q2", 80, 2, "commune"),
               _rank_row("UBND xã Tân Thanh", "2025-Q3", 86.5, 1, "commune")]
    compare_with_previous(ranking, [formed])
    merged = ranking[2]
    assert (merged.previous_period, merged.previous_total, merged.total_change) == ("2025-Q2", 85.25, 1.25)


# -- agencies.csv: the lineage columns checked all at once ------------------------------------

def test_lineage_mistakes_are_all_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text(
        "id,name,group,aliases,merged_from,renamed_from,since\n"
        "xa-a,UBND xã A,commune,,xa-b,,01/07/2025\n"  # 2: a cycle with line 3
        "xa-b,UBND xã B,commune,,xa-a,,01/07/2025\n"
        "xa-c,UBND xã C,commune,,xa-c;UBND xã D,,31/06/2025\n"  # 4: itself by id; 31 June
        "xa-e,UBND xã E,commune,,xa-zz,UBND xã E,\n"  # 5: unknown id; renamed from its own name
        "xa-f,UBND xã F,commune,,,,2025-07-01\n"  # 6: a date with nothing to date
        "xa-g,UBND xã G,commune,,UBND xã G,,\n",  # 7: merged from nothing but itself
        encoding="utf-8",
    )
    with pytest.raises(AgencyRegistryError) as caught:
        load_registry(path)
    found = [(p.where.line, p.code) for p in caught.value.problems]
    assert found == [
        (2, "E-AGENCY-CYCLE"),
        (4, "E-AGENCY-DATE"), (4, "E-AGENCY-SELF"),
        (5, "E-AGENCY-PREDECESSOR"), (5, "E-AGENCY-SELF"),
        (6, "E-CSV-VALUE"),
        (7, "E-AGENCY-SELF"),
    ]
    assert "xa-a → xa-b → xa-a" in caught.value.problems[0].message
    code, _, err = egov("ingest", str(tmp_path), "-w", str(tmp_path / "ws.sqlite"))
    assert code == 2 and f"{path}:4:" in err and "31/06/2025" in err


def test_a_registry_without_lineage_columns_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("id,name,group,aliases\nsxd,Sở Xây dựng,department,SXD\n", encoding="utf-8")
    assert load_registry(path).lineage is None
    path.write_text("id,name,merged_from\nsxd,Sở Xây dựng,\n", encoding="utf-8")
    assert load_registry(path).lineage == []
