"""A folder mixing every report shape, ingested and scored through the CLI.

Issue 3's end-to-end promise: one run over Hà Tĩnh, Tuyên Quang, Bình Định, Hà Nam and
published-ranking files reports per file the agency, period, rows read, rows mapped, rows
unmapped and problems; the Hà Tĩnh form (seed 000, raw figures only) scores under hanam-2022
from its data, with explanations.
"""

import json
import shutil
from pathlib import Path

import pytest
import shapes
from test_score_raw_data import EXPECTED as SEED_000_POINTS
from typer.testing import CliRunner

from egovcli.cli import app
from samples import published as published_fixtures

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def egov(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def round_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "bao-cao"
    (folder / "ha-tinh").mkdir(parents=True)
    shapes.ha_tinh_xlsx(folder / "ha-tinh" / "so-xay-dung.xlsx")
    shapes.tuyen_quang_xlsx(folder / "tuyen-quang-quy-1.xlsx")
    shapes.binh_dinh_department_docx(folder / "binh-dinh-so.docx")
    shapes.binh_dinh_district_docx(folder / "binh-dinh-huyen.docx")
    shutil.copy(ROOT / "samples" / "hanam-2022" / "so-tai-chinh.docx", folder / "so-tai-chinh.docx")
    published_fixtures.write_pdf(folder / "hoa-binh-2017.pdf", ruled=False)
    return folder


@pytest.fixture(scope="module")
def ingested(round_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, dict]]:
    ws = str(tmp_path_factory.mktemp("ws") / "egov.sqlite")
    code, out = egov("ingest", str(round_dir), "--workspace", ws, "--json")
    assert code == 0
    return ws, {f["file"]: f for f in json.loads(out)["files"]}


def test_every_file_reports_agency_period_rows_and_mapping(ingested: tuple[str, dict[str, dict]]) -> None:
    _, files = ingested
    assert set(files) == {
        "ha-tinh/so-xay-dung.xlsx", "tuyen-quang-quy-1.xlsx", "binh-dinh-so.docx", "binh-dinh-huyen.docx",
        "so-tai-chinh.docx", "hoa-binh-2017.pdf",
    }
    for name, f in files.items():
        assert f["status"] == "new", (name, f["problems"])
        assert f["agency"] and f["period"], name
        assert f["rows"] > 20, name
        assert f["mapped"] + f["unmapped"] <= f["rows"], name
    assert files["ha-tinh/so-xay-dung.xlsx"]["agency"] == "Sở Xây dựng"
    assert files["ha-tinh/so-xay-dung.xlsx"]["period"] == "2020"
    assert files["so-tai-chinh.docx"]["period"] == "2022"
    assert files["hoa-binh-2017.pdf"]["period"] == "2017"
    assert files["ha-tinh/so-xay-dung.xlsx"]["mapped"] >= 40


def test_problems_name_file_and_location(ingested: tuple[str, dict[str, dict]]) -> None:
    _, files = ingested
    tuyen_quang = files["tuyen-quang-quy-1.xlsx"]["problems"]
    codes = {p["code"] for p in tuyen_quang}
    # "Quý V/2018"; a formula saved with no value
    assert {"W-IMPOSSIBLE-VALUE", "W-FORMULA-NO-VALUE"} <= codes
    for p in tuyen_quang:
        assert p["file"] == "tuyen-quang-quy-1.xlsx"
        assert p["location"] and "!" in p["location"], p


def _published_agencies(ws: str) -> set[str]:
    _, out = egov("indicators", "--workspace", ws, "--format", "json")
    published = [r for r in json.loads(out) if r["kind"] == "published_score"]
    assert all(r["source_file"] == "hoa-binh-2017.pdf" for r in published)
    assert all(r["location"].startswith("trang ") for r in published)
    return {r["agency"] for r in published}


def test_published_scores_belong_to_their_agencies(
    ingested: tuple[str, dict[str, dict]], round_dir: Path, tmp_path: Path
) -> None:
    ws, _ = ingested
    agencies = _published_agencies(ws)
    # 20 departments + 11 districts, but seed 001 spells one department two ways
    assert len(agencies) == 32
    assert {"Sở Kế hoạch - Đầu tư", "Sở Kế hoạch và Đầu tư"} <= agencies
    # an agencies.csv registry makes them one agency
    folder = tmp_path / "round"
    shutil.copytree(round_dir, folder)
    (folder / "agencies.csv").write_text(
        "id,name,group,aliases\nskhdt,Sở Kế hoạch và Đầu tư,department,Sở Kế hoạch - Đầu tư;SKHĐT\n",
        encoding="utf-8",
    )
    ws2 = str(tmp_path / "ws.sqlite")
    assert egov("ingest", str(folder), "--workspace", ws2)[0] == 0
    agencies = _published_agencies(ws2)
    assert len(agencies) == 31
    assert "Sở Kế hoạch và Đầu tư" in agencies and "Sở Kế hoạch - Đầu tư" not in agencies


def test_ha_tinh_form_scores_from_raw_data(ingested: tuple[str, dict[str, dict]]) -> None:
    ws, _ = ingested
    code, out = egov("score", "--rules", "hanam-2022", "--workspace", ws, "--format", "json")
    assert code == 0
    rows = {r["criterion"]: r for r in json.loads(out) if r["agency"] == "Sở Xây dựng"}
    for criterion, points in SEED_000_POINTS.items():
        row = rows[criterion]
        assert row["basis"] == "data", criterion
        assert row["points"] == pytest.approx(points), criterion
        assert row["source_file"] == "ha-tinh/so-xay-dung.xlsx"
        assert row["explanation"], criterion
    assert rows["I.1"]["explanation"].startswith("89/53")
    assert all(r["basis"] in {"data", "missing", "total"} for r in rows.values())  # no self-assessment at all
