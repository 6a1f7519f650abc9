"""A rule set's own indicators (`indicators:`, issue 13 item 3): declared beside the shipped catalogue,
read by formulas, matched to report labels when scoring (no edit of the installed package, no extra
ingest option), listed by `egov indicators catalogue`; unknown labels come with their closest
candidates. Reports are the seed 000 Hà Tĩnh raw-data form (tests/shapes.py) with a row a province
added, as .xlsx and .docx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapes
from helpers import egov

from egovcli import api
from egovcli.rules import RuleSetError, load_rules

SAMPLES = Path(__file__).parent.parent / "samples" / "hanam-2022"
CAMERAS = "Số camera giám sát thông minh"
CAMERA_ROW = ("4", f"{CAMERAS}:", "12")  # added at the end of the form: "Số camera giám sát thông minh: 12"

RULES = f"""\
name: tinh-x-2026
title: Bộ chỉ số thử nghiệm tỉnh X (có chỉ số riêng)
period: "2020"
max_total: 20
indicators:
  - id: smart_cameras
    name: "{CAMERAS}"
    unit: camera
    kind: count
    aliases: ["Camera AI", "Số camera thông minh"]
sections:
  - {{id: A, title: Hạ tầng, max: 20}}
criteria:
  - id: A.1
    section: A
    label: Camera giám sát thông minh
    max: 10
    inputs: [smart_cameras]
    formula:
      type: banded
      value: smart_cameras
      unit: camera
      bands:
        - {{at_least: 10, points: max}}
        - {{at_least: 5, points: 5}}
        - {{points: 0}}
  - id: A.2
    section: A
    label: Máy chủ
    max: 10
    inputs: [servers]
    formula: {{type: per_item, input: servers, each: 5}}
"""


def _rules(tmp_path: Path, text: str = RULES) -> Path:
    path = tmp_path / "tinh-x-2026.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        load_rules(str(_rules(tmp_path, text)))
    return [p.message for p in caught.value.problems]


# --- the rule set -------------------------------------------------------------------------------------
def test_a_rule_set_declares_indicators_its_formulas_read(tmp_path: Path) -> None:
    rules = load_rules(str(_rules(tmp_path)))
    (own,) = rules.indicators
    assert (own.id, own.name, own.unit, own.kind) == ("smart_cameras", CAMERAS, "camera", "count")
    assert own.aliases == ("Camera AI", "Số camera thông minh")


def test_the_loader_checks_kinds_against_the_rule_set_s_indicators(tmp_path: Path) -> None:
    # a ratio's `of:` needs a fraction; smart_cameras is a count: said, with the file's other mistakes
    text = RULES.replace("value: smart_cameras", "of: smart_cameras")
    text = text.replace("{at_least: 10,", "{at_least: 0.9,")
    text = text.replace("{at_least: 5, points: 5}", "{at_least: 0.5, points: 5}")
    messages = _problems(tmp_path, text)
    assert any("chỉ tiêu 'smart_cameras' là loại count" in m for m in messages), messages


def test_every_mistake_in_indicators_is_said_at_once(tmp_path: Path) -> None:
    text = RULES.replace("""    aliases: ["Camera AI", "Số camera thông minh"]
""", """    aliases: ["Camera AI", "Số camera thông minh"]
  - {id: servers, name: "Máy chủ vật lý", kind: yes_no}
  - {id: cctv_ai, name: "Số máy chủ (server)", kind: count}
  - {id: drones, name: "Số thiết bị bay", kind: many, colour: red}
  - {id: smart_cameras, name: "Camera lần hai"}
""")
    messages = _problems(tmp_path, text)
    assert any("chỉ tiêu servers: id đã có trong danh mục của egov" in m and "kind count" in m
               for m in messages)
    assert any("chỉ tiêu cctv_ai: nhãn 'Số máy chủ (server)' đã dùng cho chỉ tiêu 'servers'" in m
               for m in messages)
    assert any("chỉ tiêu drones: kind 'many' không có" in m for m in messages)
    assert any("chỉ tiêu drones: khóa lạ colour" in m for m in messages)
    assert any("chỉ tiêu smart_cameras: id trùng" in m for m in messages)


def test_a_shipped_id_of_the_same_kind_takes_the_rule_set_s_labels(tmp_path: Path) -> None:
    text = RULES.replace("""    aliases: ["Camera AI", "Số camera thông minh"]
""", """    aliases: ["Camera AI", "Số camera thông minh"]
  - {id: servers, name: "Số máy chủ vật lý đặt tại trụ sở", kind: count}
""")
    rules = load_rules(str(_rules(tmp_path, text)))
    rows = {r.id: r for r in api.catalogue_rows(rules)}
    assert rows["servers"].origin == "catalogue+rules" and rows["servers"].name == "Số máy chủ"
    assert "Số máy chủ vật lý đặt tại trụ sở" in rows["servers"].labels
    assert rows["smart_cameras"].origin == "rules"
    assert rows["scanners"].origin == "catalogue"


def test_historic_rule_sets_declare_no_indicators() -> None:
    assert load_rules("hanam-2022").indicators == () and load_rules("hoabinh-2017").indicators == ()


# --- ingest → score → rank ------------------------------------------------------------------------------
@pytest.fixture(params=["xlsx", "docx"])
def round_(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Path]:
    """A round of one seed-000 form with the province's camera row, ingested (catalogue only)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    write = shapes.ha_tinh_xlsx if request.param == "xlsx" else shapes.ha_tinh_docx
    report = write(folder / f"so-xay-dung.{request.param}", (CAMERA_ROW,))
    ws = tmp_path / "ws.sqlite"
    code, _, err = egov("ingest", str(folder), "-w", str(ws), "-j", "1")
    assert code == 0, err
    return {"ws": ws, "rules": _rules(tmp_path), "report": report}


def _camera_location(report: Path) -> str:
    if report.suffix == ".xlsx":
        row = shapes.ha_tinh_first_row() + len(shapes.rows_of(shapes.HA_TINH_TABLE))
        return f"Số liệu 6 tháng!C{row}"
    return f"bảng 1, dòng {len(shapes.rows_of(shapes.HA_TINH_TABLE)) + 1}, cột 3"


def test_scoring_with_the_rule_set_finds_the_province_s_row(round_: dict[str, Path]) -> None:
    code, out, err = egov("score", "-w", str(round_["ws"]), "-r", str(round_["rules"]), "-f", "json")
    assert code == 0, err
    rows = {r["criterion"]: r for r in json.loads(out)}
    cameras = rows["A.1"]
    assert (cameras["points"], cameras["basis"]) == (10, "data")
    assert cameras["source_file"] == round_["report"].name
    assert cameras["location"] == _camera_location(round_["report"])
    assert "12" in cameras["explanation"] and CAMERAS in cameras["explanation"]
    assert (rows["A.2"]["points"], rows["A.2"]["basis"]) == (10, "data")  # 2 servers, a shipped indicator
    code, out, _ = egov("rank", "-w", str(round_["ws"]), "-f", "json")
    assert code == 0 and json.loads(out)[0]["total"] == 20


def test_the_listing_maps_labels_as_scoring_does(round_: dict[str, Path]) -> None:
    ws, rules = str(round_["ws"]), str(round_["rules"])
    _, out, _ = egov("indicators", "-w", ws, "--unmapped", "-f", "json")
    unmapped = {r["label"]: r for r in json.loads(out)}
    assert CAMERAS in unmapped  # the catalogue alone does not know it
    _, out, _ = egov("indicators", "-w", ws, "--rules", rules, "--unmapped", "-f", "json")
    assert not any(CAMERAS in r["label"] for r in json.loads(out))
    _, out, _ = egov("indicators", "-w", ws, "--rules", rules, "-f", "json")
    (row,) = [r for r in json.loads(out) if r["indicator"] == "smart_cameras"]
    assert (row["value"], row["source_file"], row["location"]) == (
        12, round_["report"].name, _camera_location(round_["report"]))
    # nothing stored changed: without the rule set the row is unmapped again
    with api.open_workspace(ws, readonly=True) as opened:
        assert not any(r.indicator == "smart_cameras" for r in api.indicator_rows(opened))


# --- candidates for unknown labels ----------------------------------------------------------------------
def test_unmapped_labels_come_with_their_closest_candidates(round_: dict[str, Path]) -> None:
    _, out, _ = egov("indicators", "-w", str(round_["ws"]), "--unmapped", "-f", "json")
    rows = json.loads(out)
    assert rows and all(isinstance(r["candidates"], list) for r in rows)
    assert all(len(r["candidates"]) <= 3 for r in rows)
    by_label = {r["label"]: r["candidates"] for r in rows}
    # the province's row, without the rule set: the shipped camera indicator is the closest guess
    assert by_label[CAMERAS] == ["cctv «Hệ thống camera giám sát an ninh» (83)"]
    # a seed row egov has no indicator for: the closest first, each with its name and similarity
    closest = by_label["Số lượt tập huấn chuyên sâu cho cán bộ chuyên trách CNTT trong năm"]
    assert closest[0].startswith("it_staff «Số cán bộ chuyên trách CNTT» (")
    scores = [float(c.rpartition("(")[2].rstrip(")")) for c in closest]
    assert scores == sorted(scores, reverse=True) and scores[-1] >= 70
    _, out, _ = egov("indicators", "-w", str(round_["ws"]), "--unmapped", "-f", "csv")
    assert out.splitlines()[0].split(",") == [*api.INDICATOR_COLUMNS, "candidates"]


def test_candidates_include_the_rule_set_s_indicators() -> None:
    matcher = api.rules_matcher(load_rules_text())
    found = [m.indicator for m in matcher.candidates("Số lượng camera AI lắp mới trong năm")]
    assert found[0] == "smart_cameras"
    assert matcher.candidates("Số điện thoại đường dây nóng") == []
    assert len(matcher.candidates("Tổng số máy tính trong cơ quan")) <= 3


def load_rules_text() -> api.RuleSet:
    from egovcli.rules import load_rules_text as load

    return load(RULES, "tinh-x-2026.yaml")


# --- egov indicators catalogue --------------------------------------------------------------------------
def test_catalogue_lists_shipped_and_rule_set_indicators(tmp_path: Path) -> None:
    code, out, err = egov("indicators", "catalogue", "-f", "json")
    assert code == 0, err
    shipped = {r["id"]: r for r in json.loads(out)}
    assert shipped["servers"]["origin"] == "catalogue" and "smart_cameras" not in shipped
    assert shipped["computers_total"]["derive"].startswith("sum: ")
    assert "Số lượng máy chủ (Server)" in shipped["servers"]["labels"] or shipped["servers"]["labels"]
    code, out, err = egov("indicators", "catalogue", "--rules", str(_rules(tmp_path)), "-f", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["id"] for r in rows][: len(shipped)] == list(shipped)  # shipped first, in catalogue order
    assert rows[-1] == {"id": "smart_cameras", "name": CAMERAS, "unit": "camera", "kind": "count",
                        "origin": "rules", "labels": [CAMERAS, "Camera AI", "Số camera thông minh"],
                        "derive": ""}
    code, out, _ = egov("indicators", "catalogue", "-f", "csv")
    assert code == 0 and out.splitlines()[0] == ",".join(api.CATALOGUE_COLUMNS)
    code, out, _ = egov("indicators", "catalogue")
    assert code == 0 and "Danh mục chỉ số" in out


def test_catalogue_with_a_broken_rule_set_says_why(tmp_path: Path) -> None:
    broken = _rules(tmp_path, RULES.replace("kind: count", "kind: many"))
    code, _, err = egov("indicators", "catalogue", "--rules", str(broken))
    assert code == 2 and "kind 'many' không có" in err


def test_a_line_of_a_seed_004_report_is_found_too(tmp_path: Path) -> None:
    """Seed 004 (Hà Nam report) writes its figures as lines "- label: value unit." in the text: the
    province's line added to the shipped sample is scored, with its paragraph as the location."""
    import docx

    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / "so-tai-chinh.docx"
    document = docx.Document(str(SAMPLES / "so-tai-chinh.docx"))
    document.add_paragraph("- Số camera thông minh: 6 camera.")  # an alias of the rule set's indicator
    document.save(str(report))
    paragraphs = len(document.paragraphs)
    ws = str(tmp_path / "ws.sqlite")
    assert egov("ingest", str(folder), "-w", ws, "-j", "1")[0] == 0
    code, out, err = egov("score", "-w", ws, "-r", str(_rules(tmp_path)), "-f", "json")
    assert code == 0, err
    cameras = next(r for r in json.loads(out) if r["criterion"] == "A.1")
    assert (cameras["points"], cameras["basis"], cameras["source_file"]) == (5, "data", report.name)
    assert cameras["location"] == f"đoạn {paragraphs}"


def test_a_pin_to_none_outranks_the_rule_set_s_label(tmp_path: Path) -> None:
    """mapping.csv records a person's decision: a label pinned to no indicator stays unmapped even
    when the rule set declares it (the criterion then has no data)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shapes.ha_tinh_xlsx(folder / "so-xay-dung.xlsx", (CAMERA_ROW,))
    (folder / "mapping.csv").write_text(f"label,indicator\n{CAMERAS},\n", encoding="utf-8")
    ws = str(tmp_path / "ws.sqlite")
    assert egov("ingest", str(folder), "-w", ws, "-j", "1")[0] == 0
    _, out, _ = egov("score", "-w", ws, "-r", str(_rules(tmp_path)), "-f", "json")
    cameras = next(r for r in json.loads(out) if r["criterion"] == "A.1")
    assert (cameras["points"], cameras["basis"]) == (0, "missing")


def test_labels_a_rule_set_adds_to_a_shipped_indicator_map_to_it(tmp_path: Path) -> None:
    text = RULES.replace("""    aliases: ["Camera AI", "Số camera thông minh"]
""", """    aliases: ["Camera AI", "Số camera thông minh"]
  - {id: servers, name: "Số máy chủ vật lý đặt tại trụ sở", kind: count}
""")
    matcher = api.rules_matcher(load_rules(str(_rules(tmp_path, text))))
    assert matcher.match("Số máy chủ vật lý đặt tại trụ sở:").indicator == "servers"
    assert matcher.match("Camera AI").indicator == "smart_cameras"
    assert api.rules_matcher(None).match("Camera AI").indicator == ""


def test_an_annex_holding_only_the_province_s_figure_is_not_dropped(tmp_path: Path) -> None:
    """An earlier, separate file with only the province's row (no figure of the catalogue) is not
    "superseded" by the main report: its figure is scored, from its own file and cell."""
    import os

    from openpyxl import Workbook

    folder = tmp_path / "reports"
    folder.mkdir()
    book = Workbook()
    sheet = book.active
    sheet.title = "Bổ sung"
    for row in (["BÁO CÁO BỔ SUNG SỐ LIỆU 6 THÁNG ĐẦU NĂM 2020"], ["Tên đơn vị:", "Sở Xây dựng"],
                [f"{CAMERAS}:", 12]):
        sheet.append(row)
    book.save(folder / "bo-sung.xlsx")
    os.utime(folder / "bo-sung.xlsx", (1_000_000, 1_000_000))  # sent before the report
    shapes.ha_tinh_xlsx(folder / "so-xay-dung.xlsx")
    ws = str(tmp_path / "ws.sqlite")
    code, out, _ = egov("ingest", str(folder), "-w", ws, "-j", "1", "--json")
    assert code == 0 and {f["file"]: f["status"] for f in json.loads(out)["files"]} == {
        "bo-sung.xlsx": "new", "so-xay-dung.xlsx": "new"}
    _, out, _ = egov("score", "-w", ws, "-r", str(_rules(tmp_path)), "-f", "json")
    cameras = next(r for r in json.loads(out) if r["criterion"] == "A.1")
    found = (cameras["points"], cameras["source_file"], cameras["location"])
    assert found == (10, "bo-sung.xlsx", "Bổ sung!B3")
