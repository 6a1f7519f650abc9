"""Published ranking tables (seed 001, Hòa Bình 2017) read from a ruled pdf, an unruled pdf and an
xlsx, every value as printed; and `ranking_table_observations` on small grids."""

from __future__ import annotations

from pathlib import Path

import pytest
from published_fixtures import DEPARTMENTS, DISTRICTS, write_pdf, write_xlsx

from egovcli.ingest import pdf as pdf_extractor
from egovcli.ingest import xlsx as xlsx_extractor
from egovcli.ingest.layout import Cell
from egovcli.ingest.published import ranking_table_observations
from egovcli.model import Observation
from egovcli.textnorm import nfc

FORMATS = ("ruled-pdf", "unruled-pdf", "xlsx")
TABLES = (*DEPARTMENTS, *DISTRICTS)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("published")
    paths = {fmt: folder / f"qd-2631-{fmt}.{fmt.rsplit('-', 1)[-1]}" for fmt in FORMATS}
    write_pdf(paths["ruled-pdf"], ruled=True)
    write_pdf(paths["unruled-pdf"], ruled=False)
    write_xlsx(paths["xlsx"])
    return paths


@pytest.fixture(scope="module", params=FORMATS)
def read(request: pytest.FixtureRequest, files: dict[str, Path]) -> tuple[str, list[Observation]]:
    """(format, published observations in reading order); the xlsx has one grid per sheet with
    several tables in each."""
    fmt = request.param
    extract = xlsx_extractor.extract if fmt == "xlsx" else pdf_extractor.extract
    return fmt, _published(extract(files[fmt]).observations)


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


@pytest.mark.parametrize("fmt", ["ruled-pdf", "unruled-pdf"])
def test_pdf_letterhead_and_headings_stay_text(files: dict[str, Path], fmt: str) -> None:
    """The lines above and between the tables are read as text (agency, year, date), not as rows."""
    extracted = pdf_extractor.extract(files[fmt])
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


RANKING = [
    ["TT", "Tên đơn vị", "Hạ tầng (17 điểm)", "Nhân lực", "Tổng điểm", "Xếp hạng"],
    ["", "Điểm tối đa", "17", "9", "26", ""],
    ["1", "Sở Tài chính", "17", "8", "25", "1"],
    ["2", "Sở Nội vụ", "12", "9", "21", "2"],
    ["", "Tổng cộng", "29", "17", "46", ""],
    ["3", "Sở Y tế", "10", "", "10", "3"],
]


def test_grid_maxima_positions_and_title() -> None:
    observations = ranking_table_observations(_grid(RANKING), title="3.2. Kết quả theo lĩnh vực")
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
    titled = ranking_table_observations(_grid([["Bảng 4: Xếp hạng"], *RANKING]), title="9. Khác")
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
