"""Published ranking tables (seed 001, Hòa Bình 2017) read from a ruled pdf, an unruled pdf, an xlsx
and a docx, every value as printed; `ranking_table_observations` on small grids; the report shapes
of the other seeds, which hold no ranking table; and the round trip through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
import shapes
from typer.testing import CliRunner

from egovcli.agencies import display_name
from egovcli.cli import app
from egovcli.ingest.layout import Cell, Grid
from egovcli.ingest.layout.published import ranking_table_observations, table_number
from egovcli.ingest.readers import docx as docx_extractor
from egovcli.ingest.readers import pdf as pdf_extractor
from egovcli.ingest.readers import xlsx as xlsx_extractor
from egovcli.model import Extracted, Observation
from egovcli.textnorm import nfc
from samples.published import (
    DEPARTMENTS,
    DISTRICTS,
    PER_SHEET,
    Table,
    write_docx,
    write_pdf,
    write_xlsx,
    write_xlsx_per_sheet,
)

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("ruled-pdf", "unruled-pdf", "xlsx", "docx")
TABLES = (*DEPARTMENTS, *DISTRICTS)
EXTRACTORS: dict[str, ModuleType] = {".pdf": pdf_extractor, ".xlsx": xlsx_extractor, ".docx": docx_extractor}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("published")
    paths = {fmt: folder / f"qd-2631-{fmt}.{fmt.rsplit('-', 1)[-1]}" for fmt in FORMATS}
    write_pdf(paths["ruled-pdf"], ruled=True)
    write_pdf(paths["unruled-pdf"], ruled=False)
    write_xlsx(paths["xlsx"])
    write_docx(paths["docx"])
    return paths


@pytest.fixture(scope="module", params=FORMATS)
def read(request: pytest.FixtureRequest, files: dict[str, Path]) -> tuple[str, list[Observation]]:
    """(format, published observations in reading order); the xlsx has one grid per sheet with
    several tables in each, the docx one Word table per printed table."""
    fmt = request.param
    return fmt, _published(_extract(files[fmt]).observations)


def _extract(path: Path) -> Extracted:
    return EXTRACTORS[path.suffix].extract(path)


def _published(observations: list[Observation]) -> list[Observation]:
    return [o for o in observations if o.kind == "published_score"]


def _tables(observations: list[Observation]) -> list[list[Observation]]:
    """Observations split into the printed tables (each table's heading is in `note`)."""
    tables: list[list[Observation]] = []
    for obs in observations:
        if not tables or tables[-1][-1].note != obs.note:
            tables.append([])
        tables[-1].append(obs)
    return tables


def _rows(table: list[Observation]) -> dict[str, dict[str, Observation]]:
    """agency → indicator → observation, agencies in the printed order."""
    rows: dict[str, dict[str, Observation]] = {}
    for obs in table:
        rows.setdefault(obs.agency, {})[obs.indicator] = obs
    return rows


def _page(obs: Observation) -> int:
    """2 of "trang 2, bảng 1, dòng 5, cột 3"."""
    return int(obs.location.split(",")[0].removeprefix("trang "))


def _row(obs: Observation) -> int:
    """5 of "trang 2, bảng 1, dòng 5, cột 3"."""
    return int(obs.location.split("dòng ")[1].split(",")[0])


# --- every format -------------------------------------------------------------------------------
def test_every_table_every_agency_and_value_as_printed(read: tuple[str, list[Observation]]) -> None:
    _assert_as_printed(*read)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_pdf_tables_continued_without_their_header(tmp_path: Path, ruled: bool) -> None:
    """Tables whose header is not repeated on the next page: the rows there still belong to them."""
    path = tmp_path / "khong-lap-tieu-de.pdf"
    write_pdf(path, ruled=ruled, repeat_header=False)
    observations = _published(pdf_extractor.extract(path).observations)
    _assert_as_printed("pdf", observations)
    continued = _rows(_tables(observations)[1])["Sở Lao động, TB&XH"]["2.2.3"]
    assert continued.location == "trang 2, bảng 1, dòng 1, cột 3"


def _assert_as_printed(fmt: str, observations: list[Observation]) -> None:
    """Every table of the seed, in order, with every agency (TT as printed) and value."""
    tables = _tables(observations)
    assert [t[0].note for t in tables] == [table.title for table in TABLES]
    for printed, table in zip(TABLES, tables, strict=True):
        body = printed.body()
        assert [(o.ref, o.agency) for o in table][:: len(body[0]) - 2] == [
            (tt, nfc(name)) for tt, name, *_ in body
        ]
        values = [value for _tt, _name, *row in body for value in row]
        if fmt == "xlsx":  # numbers stored as numbers: "17.0" is 17, "16.7" is written 16,7
            assert [o.value for o in table] == [float(v) for v in values]
        else:
            assert [o.raw_value for o in table] == values
            assert [o.value for o in table] == [float(v) for v in values]
    assert len(observations) == sum(len(t.body()) * (len(t.body()[0]) - 2) for t in TABLES) == 1348
    assert all(o.max_points is None for o in observations)  # the seed prints no maxima in its headers


def test_departments_and_districts(read: tuple[str, list[Observation]]) -> None:
    _fmt, observations = read
    tables = _tables(observations)
    departments, districts = tables[:5], tables[5:]
    assert [len(_rows(t)) for t in departments] == [20] * 5
    assert [len(_rows(t)) for t in districts] == [11] * 6
    department_names = {name for t in departments for name in _rows(t)}
    assert len(department_names) == 21  # "Sở Kế hoạch và Đầu tư" in 2.2, "Sở Kế hoạch - Đầu tư" elsewhere
    assert {"Sở Lao động, TB&XH", "Sở xây dựng", "Sở Văn hóa, TT và DL", "Thanh tra tỉnh"} <= department_names
    assert {name for t in districts for name in _rows(t)} == {
        "UBND huyện Lạc Sơn",
        "UBND huyện Lạc Thủy",
        "UBND huyện Tân Lạc",
        "UBND huyện Kỳ Sơn",
        "UBND huyện Cao Phong",
        "UBND huyện Kim Bôi",
        "UBND thành phố Hòa Bình",
        "UBND huyện Lương Sơn",
        "UBND huyện Đà Bắc",
        "UBND huyện Mai Châu",
        "UBND huyện Yên Thủy",
    }


def test_values_checked_against_the_seed_text(read: tuple[str, list[Observation]]) -> None:
    """Values typed from the seed's flattened text, not from the fixture module."""
    _fmt, observations = read
    tables = _tables(observations)
    infra = _rows(tables[0])
    office = infra["Văn phòng UBND tỉnh"]
    assert list(office) == ["2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.1.TOTAL"]
    assert [o.value for o in office.values()] == [5, 4, 4, 4, 17]
    assert office["2.1.3"].ref == "1" and office["2.1.3"].label == "Tổng số máy tính/Tổng số CBCC của đơn vị"
    assert office["2.1.TOTAL"].label == "Tổng điểm"
    assert [o.value for o in infra["Sở Công thương"].values()] == [5, 4, 4, 0, 13]

    staff = _rows(tables[1])  # its column numbers are printed (1) (2) (3) (4) (6) (7)
    assert list(staff["Sở Kế hoạch và Đầu tư"]) == ["2.2.3", "2.2.4", "2.2.6", "2.2.TOTAL"]
    assert [o.value for o in staff["Sở Kế hoạch và Đầu tư"].values()] == [3, 3, 3, 9]

    apps = _rows(tables[2])  # "Tng điểm" as printed is still the total
    justice = apps["Sở Tư pháp"]
    assert justice["2.3.11"].raw_value == "9" and justice["2.3.11"].value == 9  # above its max, as printed
    assert justice["2.3.TOTAL"].value == 36  # although its cells add up to 43
    assert sum(o.value or 0 for i, o in justice.items() if i != "2.3.TOTAL") == 43
    assert justice["2.3.TOTAL"].ref == "17"
    order = list(apps)
    assert order.index("Sở Y tế") < order.index("Sở Công thương")  # 38 before 39: kept as printed
    assert apps["Sở Văn hóa, TT và DL"]["2.3.15"].value == 1.5

    policy = _rows(tables[4])  # three header levels: Đim › Cơ chế - Chính sách › criterion
    assert policy["Sở Giao thông Vận tải"]["2.5.3"].label == "Có thành lập BCĐ/Bphận chuyên trách CNTT"
    assert [o.value for o in policy["Sở Giao thông Vận tải"].values()] == [1, 0, 2, 0, 0, 0, 2, 1, 6]

    overall = _rows(tables[5])  # "1. Xếp hạng chung": TOTAL and RANK without a table number
    assert list(overall["UBND huyện Lạc Sơn"]) == ["1.3", "1.4", "1.5", "1.6", "1.7", "TOTAL", "RANK"]
    assert [o.value for o in overall["UBND huyện Lạc Sơn"].values()] == [17, 9, 40, 17, 14, 97, 1]
    assert overall["UBND huyện Kỳ Sơn"]["1.3"].value == 16.7
    last = overall["UBND huyện Yên Thủy"]
    assert (last["TOTAL"].value, last["RANK"].value, last["RANK"].label) == (83, 11, "Xếp hạng")

    districts = _rows(tables[6])
    assert [o.value for o in districts["UBND huyện Kỳ Sơn"].values()] == [5, 4, 4, 4, 16.7]
    assert [o.value for o in districts["UBND huyện Đà Bắc"].values()] == [3, 4, 4, 4, 14.9]
    assert districts["UBND huyện Đà Bắc"]["2.1.TOTAL"].ref == "11"
    assert _rows(tables[8])["UBND huyện Mai Châu"]["2.3.5"].value == 0.6


# --- locations ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["ruled-pdf", "unruled-pdf"])
def test_pdf_locations_page_table_row_column(files: dict[str, Path], fmt: str) -> None:
    observations = _published(pdf_extractor.extract(files[fmt]).observations)
    first = observations[0]  # header, criteria and "(1) (2) …" rows above it
    assert (first.agency, first.indicator) == ("Văn phòng UBND tỉnh", "2.1.3")
    assert first.location == "trang 1, bảng 1, dòng 4, cột 3"
    total = _rows(_tables(observations)[0])["Sở Văn hóa, TT và DL"]["2.1.TOTAL"]
    assert total.location == "trang 1, bảng 1, dòng 23, cột 7"


@pytest.mark.parametrize("fmt", ["ruled-pdf", "unruled-pdf"])
def test_pdf_table_split_across_pages_with_repeated_header_is_one_table(
    files: dict[str, Path], fmt: str
) -> None:
    tables = _tables(_published(pdf_extractor.extract(files[fmt]).observations))
    split = [(printed, t) for printed, t in zip(TABLES, tables, strict=True) if _page(t[0]) != _page(t[-1])]
    assert len(split) >= 5, "the fixture has tables running onto the next page"
    for printed, table in split:
        assert list(_rows(table)) == [nfc(name) for _tt, name, *_ in printed.body()]
        pages = [_page(o) for o in table]
        assert pages == sorted(pages) and pages[-1] == pages[0] + 1
        on_next_page = next(o for o in table if _page(o) == pages[-1])
        assert _row(on_next_page) == _row(table[0]) > 1  # the repeated header read as a header again
    staff = _rows(tables[1])  # 2.2: one row on page 1, the other 19 on page 2
    assert staff["Văn phòng UBND tỉnh"]["2.2.3"].location == "trang 1, bảng 2, dòng 4, cột 3"
    assert staff["Sở Lao động, TB&XH"]["2.2.3"].location == "trang 2, bảng 1, dòng 4, cột 3"


def test_xlsx_locations_are_sheet_cells(files: dict[str, Path]) -> None:
    tables = _tables(_published(xlsx_extractor.extract(files["xlsx"]).observations))
    office = _rows(tables[0])["Văn phòng UBND tỉnh"]
    assert office["2.1.3"].location == "Sở, ban, ngành!C6"  # heading, 2.1 heading, 2 header rows, (1)…
    assert office["2.1.TOTAL"].location == "Sở, ban, ngành!G6"
    assert _rows(tables[5])["UBND huyện Lạc Sơn"]["RANK"].location == "Huyện, thành phố!I5"
    assert _rows(tables[6])["UBND huyện Kỳ Sơn"]["2.1.TOTAL"].raw_value == "16,7"


def test_xlsx_table_number_in_the_sheet_name_or_a_row_above(tmp_path: Path) -> None:
    """One table per sheet: the number printed only in the sheet's name ("2.1", "Bảng 2.2", "Bieu
    2.3", over an unnumbered heading row) or in a row above the header, under a letterhead row and
    above a "Đơn vị tính" row."""
    path = tmp_path / "theo-bang.xlsx"
    write_xlsx_per_sheet(path)
    tables = _tables(_published(xlsx_extractor.extract(path).observations))
    assert [t[0].note for t in tables] == [
        "2.1", "Bảng 2.2", "Bieu 2.3", DEPARTMENTS[3].title, DEPARTMENTS[4].title
    ]
    for (name, (printed, _above)), table in zip(PER_SHEET.items(), tables, strict=True):
        number = table_number(printed.title)
        assert {o.indicator.rsplit(".", 1)[0] for o in table} == {number}, name
        assert [o.value for o in table] == [float(v) for _tt, _name, *row in printed.body() for v in row]
        assert table[0].location.startswith(f"{name}!C")
    assert tables[0][0].location == "2.1!C4"  # 2 header rows, (1) (2) …, then Văn phòng UBND tỉnh


def test_docx_headings_are_paragraphs_before_the_tables(files: dict[str, Path]) -> None:
    """The heading paragraph gives each Word table its number ("2.1.3", not "3"); locations are
    Word table, row and column (table 1 is the letterhead)."""
    tables = _tables(_published(docx_extractor.extract(files["docx"]).observations))
    office = _rows(tables[0])["Văn phòng UBND tỉnh"]
    assert {i: o.raw_value for i, o in office.items()} == {
        "2.1.3": "5", "2.1.4": "4", "2.1.5": "4", "2.1.6": "4", "2.1.TOTAL": "17"
    }
    assert office["2.1.3"].location == "bảng 2, dòng 4, cột 3"  # 2 header rows, (1) (2) …
    assert office["2.1.TOTAL"].location == "bảng 2, dòng 4, cột 7"
    staff = _rows(tables[1])  # an empty paragraph between its heading and the table
    assert {i: o.raw_value for i, o in staff["Sở Kế hoạch và Đầu tư"].items()} == {
        "2.2.3": "3", "2.2.4": "3", "2.2.6": "3", "2.2.TOTAL": "9"
    }
    justice = _rows(tables[2])["Sở Tư pháp"]
    assert (justice["2.3.11"].raw_value, justice["2.3.TOTAL"].raw_value) == ("9", "36.0")
    assert _rows(tables[3])["Thanh tra tỉnh"]["2.4.7"].raw_value == "3"
    assert [o.raw_value for o in _rows(tables[4])["Sở Giao thông Vận tải"].values()] == [
        "1", "0", "2", "0", "0", "0", "2", "1", "6"
    ]
    overall = _rows(tables[5])["UBND huyện Lạc Sơn"]
    assert {i: o.raw_value for i, o in overall.items()} == {
        "1.3": "17.0", "1.4": "9.0", "1.5": "40.0", "1.6": "17.0", "1.7": "14.0", "TOTAL": "97.0", "RANK": "1"
    }
    assert overall["RANK"].location == "bảng 7, dòng 3, cột 9"  # no "(1) (2) …" row in this one
    assert _rows(tables[6])["UBND huyện Đà Bắc"]["2.1.TOTAL"].raw_value == "14.9"
    assert _rows(tables[8])["UBND huyện Mai Châu"]["2.3.5"].raw_value == "0.6"
    assert _rows(tables[10])["UBND huyện Yên Thủy"]["2.5.TOTAL"].raw_value == "7"
    assert sum(1 for t in tables for o in t if "." in o.indicator) >= 20


def test_docx_table_split_in_two_word_tables(tmp_path: Path) -> None:
    """Table 2.2 cut after two rows into a second Word table without a header: one table still."""
    path = tmp_path / "tach-bang.docx"
    write_docx(path, split=DEPARTMENTS[1].title)
    observations = _published(docx_extractor.extract(path).observations)
    _assert_as_printed("docx", observations)
    staff = _rows(_tables(observations)[1])
    assert staff["Sở Lao động, TB&XH"]["2.2.3"].location == "bảng 3, dòng 5, cột 3"
    assert staff["Sở Thông tin và Truyền thông"]["2.2.TOTAL"].location == "bảng 4, dòng 1, cột 6"
    assert _rows(_tables(observations)[2])["Sở Y tế"]["2.3.3"].location == "bảng 5, dòng 9, cột 3"


@pytest.mark.parametrize("fmt", ["ruled-pdf", "unruled-pdf", "docx"])
def test_letterhead_and_headings_stay_text(files: dict[str, Path], fmt: str) -> None:
    """The lines above and between the tables are read as text (agency, year, date), not as rows."""
    extracted = _extract(files[fmt])
    assert (extracted.agency, extracted.period, extracted.doc_date) == (
        "Ủy ban nhân dân tỉnh Hòa Bình",
        "2017",
        "2017-12-27",
    )
    assert extracted.problems == [] and _published(extracted.observations) == extracted.observations


# --- grids --------------------------------------------------------------------------------------
def _grid(rows: list[list[str]], sheet: str = "S") -> list[list[Cell]]:
    return [
        [Cell(text, f"{sheet}!{chr(65 + c)}{r}") for c, text in enumerate(row)]
        for r, row in enumerate(rows, 1)
    ]


def _titled(heading: str, grid: Grid) -> Grid:
    """`grid` under the heading printed above it, as the readers hand it over: a one-cell row on top."""
    return [[Cell(heading, "đoạn 1")], *grid]


RANKING = [
    ["TT", "Tên đơn vị", "Hạ tầng (17 điểm)", "Nhân lực", "Tổng điểm", "Xếp hạng"],
    ["", "Điểm tối đa", "17", "9", "26", ""],
    ["1", "Sở Tài chính", "17", "8", "25", "1"],
    ["2", "Sở Nội vụ", "12", "9", "21", "2"],
    ["", "Tổng cộng", "29", "17", "46", ""],
    ["3", "Sở Y tế", "10", "", "10", "3"],
]


def test_grid_maxima_positions_and_title() -> None:
    observations = ranking_table_observations(_titled("3.2. Kết quả theo lĩnh vực", _grid(RANKING)))
    assert observations is not None
    assert [(o.agency, o.indicator, o.raw_value, o.max_points) for o in observations[:4]] == [
        ("Sở Tài chính", "3.2.3", "17", 17),
        ("Sở Tài chính", "3.2.4", "8", 9),
        ("Sở Tài chính", "3.2.TOTAL", "25", 26),
        ("Sở Tài chính", "3.2.RANK", "1", None),
    ]
    assert [o.agency for o in observations] == ["Sở Tài chính"] * 4 + ["Sở Nội vụ"] * 4 + ["Sở Y tế"] * 3
    assert observations[-1].location == "S!F6" and observations[-1].note == "3.2. Kết quả theo lĩnh vực"


def test_grid_heading_row_wins_and_no_number_means_overall() -> None:
    titled = ranking_table_observations(_titled("9. Khác", _grid([["Bảng 4: Xếp hạng"], *RANKING])))
    assert titled is not None and {o.indicator for o in titled} == {"4.3", "4.4", "4.TOTAL", "4.RANK"}
    plain = ranking_table_observations(_grid(RANKING))
    assert plain is not None and {o.indicator for o in plain} == {"3", "4", "TOTAL", "RANK"}


@pytest.mark.parametrize(
    "rows",
    [
        [["TT", "Nội dung", "Điểm tối đa", "Điểm tự đánh giá"], ["1", "Máy tính", "10", "8"]],
        [["TT", "Đơn vị", "Số máy tính", "Số CBCC"], *[[str(n), f"Sở {n}", "40", "50"] for n in range(1, 6)]],
        RANKING[:4],  # two agencies are no ranking
    ],
    ids=["criteria-table", "no-points", "two-agencies"],
)
def test_not_a_ranking_table(rows: list[list[str]]) -> None:
    assert ranking_table_observations(_grid(rows)) is None


# --- reports that hold no ranking table -----------------------------------------------------------
SHAPES: dict[str, Callable[[Path], Path]] = {
    "ha-tinh.xlsx": shapes.ha_tinh_xlsx,
    "ha-tinh.docx": shapes.ha_tinh_docx,
    "tuyen-quang.xlsx": shapes.tuyen_quang_xlsx,
    "tuyen-quang.docx": shapes.tuyen_quang_docx,
    "binh-dinh-so.docx": shapes.binh_dinh_department_docx,
    "binh-dinh-huyen.docx": shapes.binh_dinh_district_docx,
}
HA_NAM = sorted(p.name for p in (ROOT / "samples" / "hanam-2022").iterdir() if p.suffix in EXTRACTORS)
TABLELESS = {"binh-dinh-huyen.docx"}  # a form of lines and tick boxes, no table
SCORED_HEADING = "Bộ tiêu chí đánh giá, xếp hạng mức độ ứng dụng công nghệ thông tin"


def _grids(path: Path) -> list[Grid]:
    """The grids the reader of `path` hands to the layout interpreter (`read(path).tables`)."""
    return list(EXTRACTORS[path.suffix].read(path).tables)


@pytest.mark.parametrize("name", [*SHAPES, *HA_NAM])
def test_reports_of_other_shapes_give_no_published_score(tmp_path: Path, name: str) -> None:
    """Hà Tĩnh, Tuyên Quang, Bình Định and Hà Nam reports: no published score, and none of their
    grids is a ranking table by itself, even under a heading that speaks of points and ranks with
    no other heading row above its tables (as a pdf passes the paragraph above a table)."""
    path = SHAPES[name](tmp_path / name) if name in SHAPES else ROOT / "samples" / "hanam-2022" / name
    assert _published(_extract(path).observations) == []
    grids = _grids(path)
    assert bool(grids) != (name in TABLELESS)  # every grid is checked below: none is missed by accident
    for grid in grids:
        assert ranking_table_observations(grid) is None
        assert ranking_table_observations(_titled(SCORED_HEADING, grid)) is None
        untitled = [row for row in grid if sum(1 for cell in row if cell.text.strip()) != 1]
        assert ranking_table_observations(_titled(SCORED_HEADING, untitled)) is None


HA_NAM_GENERAL = [  # the top of the Hà Nam "Phụ lục" sheet, then its criteria table
    ["Tên cơ quan, đơn vị:", "Sở Công Thương tỉnh Hà Nam", "", "", ""],
    ["Tổng số đơn vị trực thuộc:", "5", "", "", ""],
    ["Tổng số cán bộ, công chức, người lao động (CBCCNLĐ) trong cơ quan:", "55", "", "", ""],
    ["Tổng số máy tính được trang bị (gồm máy tính để bàn, xách tay, máy tính bảng):", "44", "", "", ""],
    ["Tổng số điểm đạt được:", "97", "", "", ""],
    ["Tổng số điểm tối đa:", "500 điểm", "", "", ""],
    ["TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá"],
    ["I", "HẠ TẦNG KỸ THUẬT CNTT", "", "50", "48"],
    ["1", "Tỷ lệ CBCCVC được trang bị máy tính", "Điểm = Tỷ lệ % x Điểm tối đa", "10", "8"],
    ["2", "Tỷ lệ máy tính có kết nối Internet", "Điểm = Tỷ lệ % x Điểm tối đa", "10", "10"],
]


@pytest.mark.parametrize(
    "rows",
    [
        HA_NAM_GENERAL,
        [[text.rstrip(":") for text in row] for row in HA_NAM_GENERAL],  # label | value, no colon
        [
            ["TT", "Tên cơ quan, đơn vị", "Điểm"],
            *[[str(n), *row[:2]] for n, row in enumerate(HA_NAM_GENERAL[1:5], 1)],
        ],
    ],
    ids=["label-value-rows", "without-colons", "labels-in-the-agency-column"],
)
def test_label_value_rows_are_no_ranking(rows: list[list[str]]) -> None:
    """"Tên cơ quan, đơn vị: | Sở …" is a label and its value, not a header naming an agency
    column, and "Tổng số điểm đạt được: | 97" names no agency."""
    assert ranking_table_observations(_titled(SCORED_HEADING, _grid(rows))) is None


# --- through the CLI ------------------------------------------------------------------------------
def _expected_ids(table: Table) -> list[str]:
    """The indicator of each value column of a seed table, from its title and printed numbers."""
    number = table.title.split()[0].rstrip(".")
    printed = [n.strip("()") for n in table.numbers[2:]] or [str(3 + c) for c in range(len(table.criteria))]
    ids = [f"{number}.{n}" for n in printed[: len(table.criteria)]]
    return [*ids, "TOTAL", "RANK"] if table.rank else [*ids, f"{number}.TOTAL"]


def test_cli_ingest_and_indicators_attribute_each_score_to_its_agency(tmp_path: Path) -> None:
    """A folder with the seed's pdf (and a registry naming "Sở Kế hoạch - Đầu tư" an alias):
    ingest lists it with the decision's issuer and year; every published score of the 31 agencies
    is an indicator row of its own agency, with the value as printed and its location."""
    folder = tmp_path / "quyet-dinh"
    folder.mkdir()
    write_pdf(folder / "qd-2631.pdf", ruled=True)
    (folder / "agencies.csv").write_text(
        "id,name,group,aliases\nskhdt,Sở Kế hoạch và Đầu tư,department,Sở Kế hoạch - Đầu tư\n",
        encoding="utf-8",
    )
    ws = str(tmp_path / "egov.sqlite")
    runner = CliRunner()
    ingest = runner.invoke(app, ["ingest", str(folder), "--workspace", ws, "--json"])
    assert ingest.exit_code == 0, ingest.output
    [listed] = json.loads(ingest.stdout)["files"]
    assert (listed["file"], listed["status"], listed["agency"], listed["period"]) == (
        "qd-2631.pdf", "new", "Ủy ban nhân dân tỉnh Hòa Bình", "2017"
    )
    assert (listed["rows"], listed["problems"]) == (1348, [])

    indicators = runner.invoke(app, ["indicators", "--workspace", ws, "--format", "json"])
    assert indicators.exit_code == 0, indicators.output
    rows = json.loads(indicators.stdout)
    expected: dict[tuple[str, str], str] = {}
    for table in TABLES:
        for _tt, name, *values in table.body():
            agency = "Sở Kế hoạch và Đầu tư" if name.startswith("Sở Kế hoạch") else display_name(name)
            expected.update(((agency, i), v) for i, v in zip(_expected_ids(table), values, strict=True))
    assert {(r["agency"], r["indicator"]): r["raw_value"] for r in rows} == expected
    assert len(rows) == len(expected) == 1348
    assert len({agency for agency, _ in expected}) == 31
    assert all(r["kind"] == "published_score" and r["period"] == "2017" for r in rows)
    assert all(r["source_file"] == "qd-2631.pdf" and r["location"].startswith("trang ") for r in rows)
    first = next(r for r in rows if r["agency"] == "Văn phòng UBND tỉnh" and r["indicator"] == "2.1.3")
    assert (first["value"], first["location"]) == (5, "trang 1, bảng 1, dòng 4, cột 3")
    rank = next(r for r in rows if r["agency"] == "UBND huyện Yên Thủy" and r["indicator"] == "RANK")
    assert (rank["value"], rank["label"]) == (11, "Xếp hạng")
