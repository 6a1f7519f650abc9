"""The appraisers' score ("Điểm thẩm định") beside the self-assessed one: read at ingest from xlsx,
docx and pdf criteria tables (seed 004's phụ lục, and the DTI-style self-assessment form), stored with
its cell, used by scoring where the data cannot score a criterion (basis "appraisal", before the
self-score), and shown beside the self-score in every output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import table_observations

from egovcli.ingest.layout import Cell
from egovcli.ingest.layout.header import role
from egovcli.ingest.readers import docx as docx_reader
from egovcli.ingest.readers import pdf as pdf_reader
from egovcli.ingest.readers import xlsx as xlsx_reader
from egovcli.model import Extracted, Observation, SourcedObservation
from egovcli.rules import load_rules
from egovcli.score.engine import score_agency

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AGENCY = "Sở Tài chính tỉnh Hà Nam"

# seed 004's phụ lục (Hà Nam 2022), with the appraisal column the province fills in after review
HANAM_HEADER = ["TT", "Nội dung", "Cách tính", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định"]
HANAM_ROWS = [
    ["I", "HẠ TẦNG KỸ THUẬT CNTT", "", "50", "50", "46"],
    ["1", "Tỷ lệ CBCCVC được trang bị máy tính", "Điểm = Tỷ lệ % x Điểm tối đa", "10", "10", "9,5"],
    ["2", "Tỷ lệ máy tính có kết nối Internet tại cơ quan, đơn vị trực thuộc (trừ máy tính soạn thảo "
          "văn bản mật)", "Điểm = Tỷ lệ % x Điểm tối đa", "10", "10", ""],
    ["3", "Mạng LAN của cơ quan (trụ sở chính của sở, ban, ngành) được lắp đặt đúng yêu cầu sau:", "", "", "",
     ""],
    ["3.1", "Có phòng máy chủ riêng", "Có: điểm tối đa Không: 0 điểm", "5", "5", "3"],
]

# the DTI-style self-assessment form of a 2025 criteria decision
DTI_HEADER = ["STT", "Chỉ số / Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm",
              "Tài liệu kiểm chứng", "Điểm tự đánh giá", "Điểm thẩm định"]
DTI_ROWS = [
    ["I", "CHUYỂN ĐỔI NHẬN THỨC", "80", "", "", "70", "60"],
    ["1", "Ban hành kế hoạch chuyển đổi số năm", "40", "Có: điểm tối đa; Không: 0 điểm",
     "Kế hoạch số …/KH-UBND", "40", "40"],
    ["2", "Tổ chức tuyên truyền về chuyển đổi số", "40", "Mỗi tin, bài được 2 điểm, tối đa 40 điểm",
     "Đường dẫn tin, bài", "30", "20"],
]


def _number(text: str) -> object:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return float(text.replace(",", ".")) if text.replace(",", "").isdigit() else text


def _xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append(["Tên cơ quan, đơn vị:", AGENCY])
    sheet.append(["Bộ tiêu chí đánh giá năm 2022"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append([_number(text) for text in row])
    workbook.save(path)
    return path


def _docx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(f"Tên cơ quan, đơn vị: {AGENCY}")
    document.add_paragraph("Kết quả ứng dụng công nghệ thông tin năm 2022")
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for r, row in enumerate([header, *rows]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def _pdf(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("cell", fontName="DejaVu", fontSize=7, leading=9)
    data = [[Paragraph(text, style) for text in row] for row in [header, *rows]]
    table = Table(data, repeatRows=1, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    lines = [Paragraph(f"Tên cơ quan, đơn vị: {AGENCY}", style),
             Paragraph("Kết quả ứng dụng công nghệ thông tin năm 2022", style)]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([*lines, table])
    return path


BUILDERS = {"xlsx": (_xlsx, xlsx_reader), "docx": (_docx, docx_reader), "pdf": (_pdf, pdf_reader)}


def _read(tmp_path: Path, fmt: str, header: list[str], rows: list[list[str]]) -> Extracted:
    build, reader = BUILDERS[fmt]
    return reader.extract(build(tmp_path / f"phu-luc.{fmt}", header, rows))


def _by_kind(extracted: Extracted, kind: str) -> dict[str, Observation]:
    return {o.indicator: o for o in extracted.observations if o.kind == kind}


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_hanam_annex_appraisal_column_is_read_beside_the_self_score(tmp_path: Path, fmt: str) -> None:
    extracted = _read(tmp_path, fmt, HANAM_HEADER, HANAM_ROWS)
    own, appraised = _by_kind(extracted, "self_score"), _by_kind(extracted, "appraisal_score")
    assert {k: o.value for k, o in own.items()} == {"I": 50, "I.1": 10, "I.2": 10, "I.3.1": 5}
    # a blank appraisal cell (I.2) gives no appraisal: the appraisers did not score it
    assert {k: o.value for k, o in appraised.items()} == {"I": 46, "I.1": 9.5, "I.3.1": 3}
    assert appraised["I.3.1"].max_points == 5 and appraised["I.1"].raw_value in ("9,5", "9.5")
    assert appraised["I.1"].location != own["I.1"].location  # its own cell: provenance
    if fmt == "xlsx":
        assert (own["I.1"].location, appraised["I.1"].location) == ("Phụ lục!E6", "Phụ lục!F6")
    if fmt == "docx":
        assert appraised["I.3.1"].location == "bảng 1, dòng 6, cột 6"
    assert not [p for p in extracted.problems if p.severity == "error"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_dti_form_appraisal_column_is_read(tmp_path: Path, fmt: str) -> None:
    extracted = _read(tmp_path, fmt, DTI_HEADER, DTI_ROWS)
    own, appraised = _by_kind(extracted, "self_score"), _by_kind(extracted, "appraisal_score")
    assert {k: o.value for k, o in own.items()} == {"I": 70, "I.1": 40, "I.2": 30}
    assert {k: o.value for k, o in appraised.items()} == {"I": 60, "I.1": 40, "I.2": 20}
    assert appraised["I.2"].max_points == 40
    # "Tài liệu kiểm chứng" stays a note, never a value column
    assert not [o for o in extracted.observations if o.kind == "data" and o.raw_value.startswith("Kế hoạch")]


@pytest.mark.parametrize("title", ["Điểm thẩm định", "Điểm thẩm định/chấm", "Kết quả thẩm định",
                                   "Điểm hội đồng thẩm định", "ĐIỂM THẨM ĐỊNH", "Diem tham dinh"])
def test_appraisal_column_titles(title: str) -> None:
    rows = [["TT", "Nội dung", "Điểm tối đa", "Điểm tự đánh giá", title],
            ["1", "Tỷ lệ CBCCVC được trang bị máy tính", "10", "10", "8"]]
    found = table_observations([[Cell(text, f"{'ABCDE'[c]}{r}") for c, text in enumerate(row)]
                                for r, row in enumerate(rows, 1)])
    assert [(o.kind, o.indicator, o.value, o.location) for o in found] == [
        ("self_score", "1", 10, "D2"), ("appraisal_score", "1", 8, "E2")]


def test_a_value_column_is_not_an_appraisal() -> None:
    """"Kết quả" alone is a data table's value column; "Đơn vị thẩm định" names who appraises."""
    assert role("Kết quả") == "value" and role("Đơn vị thẩm định") is None
    assert role("Kết quả thẩm định") == "appraisal"


# --- scoring ----------------------------------------------------------------------------------

RULES = """
name: tham-dinh
title: Bộ tiêu chí thử điểm thẩm định
period: "2022"
max_total: 25
sections:
  - {id: I, title: HẠ TẦNG KỸ THUẬT CNTT, max: 25}
criteria:
  - id: I.1
    section: I
    label: Tỷ lệ CBCCVC được trang bị máy tính
    max: 10
    inputs: [computer_equipped_share]
    formula: {type: ratio, of: computer_equipped_share}
  - id: I.2
    section: I
    label: Tỷ lệ máy tính có kết nối Internet
    max: 10
    formula: {type: manual}
  - id: I.3.1
    section: I
    label: Có phòng máy chủ riêng
    max: 5
    formula: {type: manual}
"""


def _observations(tmp_path: Path, fmt: str, *data: Observation) -> list[SourcedObservation]:
    extracted = _read(tmp_path, fmt, HANAM_HEADER, HANAM_ROWS)
    source = f"phu-luc.{fmt}"
    found = [*extracted.observations, *data]
    return [SourcedObservation(AGENCY, "department", "2022", source, o) for o in found]


@pytest.fixture
def rules(tmp_path: Path):
    path = tmp_path / "tham-dinh.yaml"
    path.write_text(RULES, encoding="utf-8")
    return load_rules(str(path))


def _computers(text: str, value: float | None, denominator: float | None) -> Observation:
    return Observation("Tỷ lệ CBCCVC được trang bị máy tính", text, value,
                       indicator="computer_equipped_share", denominator=denominator, location="Báo cáo!B7")


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_appraisal_scores_after_data_before_self(tmp_path: Path, fmt: str, rules) -> None:
    """I.1: data decides (appraisal shown beside it); I.2: no data, no appraisal → self-score;
    I.3.1: no data, appraised 3 (self 5) → 3, basis appraisal, at the appraisal cell."""
    observations = _observations(tmp_path, fmt, _computers("19/20", 19, 20))
    score = score_agency(rules, AGENCY, "department", "2022", observations)
    rows = {r.criterion: r for r in score.criteria}
    i1, i2, i31 = rows["I.1"], rows["I.2"], rows["I.3.1"]
    assert (i1.basis, i1.points, i1.self_points, i1.appraised_points) == ("data", 9.5, 10, 9.5)
    assert "Điểm thẩm định ghi 9,5" in i1.explanation and "tự đánh giá 10" in i1.explanation
    assert (i2.basis, i2.points, i2.self_points, i2.appraised_points) == ("self", 10, 10, None)
    assert (i31.basis, i31.points, i31.self_points, i31.appraised_points) == ("appraisal", 3, 5, 3)
    assert i31.explanation.startswith("Theo điểm thẩm định 3 (")
    assert "điểm tự đánh giá: 5" in i31.explanation
    appraisal_cell = next(o.obs.location for o in observations
                          if o.obs.kind == "appraisal_score" and o.obs.indicator == "I.3.1")
    assert (i31.source_file, i31.location) == (f"phu-luc.{fmt}", appraisal_cell)
    assert score.total == 9.5 + 10 + 3


def test_appraisal_replaces_self_when_data_unusable(tmp_path: Path, rules) -> None:
    """A zero denominator: the appraised score counts, the flag and its reason stay."""
    observations = _observations(tmp_path, "xlsx", _computers("0/0", 0, 0))
    row = next(r for r in score_agency(rules, AGENCY, "department", "2022", observations).criteria
               if r.criterion == "I.1")
    assert (row.basis, row.points, row.flags) == ("appraisal", 9.5, ["zero_denominator"])
    assert "mẫu số bằng 0" in row.explanation and "Theo điểm thẩm định 9,5" in row.explanation


def test_appraisal_text_is_said_not_used(rules) -> None:
    """An appraisal cell reading "Đạt" is no score: the self-score counts, and the explanation says so."""
    own = Observation("Có phòng máy chủ riêng", "5", 5, kind="self_score", indicator="I.3.1", location="E9")
    appraised = Observation("Có phòng máy chủ riêng", "Đạt", None, kind="appraisal_score", indicator="I.3.1",
                            location="F9")
    observations = [SourcedObservation(AGENCY, "department", "2022", "a.xlsx", o) for o in (own, appraised)]
    row = next(r for r in score_agency(rules, AGENCY, "department", "2022", observations).criteria
               if r.criterion == "I.3.1")
    assert (row.basis, row.points) == ("self", 5)
    assert "điểm thẩm định ghi 'Đạt', không phải số (a.xlsx, F9)" in row.explanation


def test_both_scores_in_every_output(tmp_path: Path) -> None:
    """csv, json, terminal table, xlsx (comment + audit sheet), md and html all show the appraised
    score and the basis beside the self-score."""
    from helpers import egov
    from openpyxl import load_workbook

    reports = tmp_path / "reports"
    reports.mkdir()
    _xlsx(reports / "so-tai-chinh.xlsx", HANAM_HEADER, HANAM_ROWS)
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    ws = str(tmp_path / "ws.sqlite")
    assert egov("ingest", str(reports), "--workspace", ws)[0] == 0
    code, out, err = egov("score", "--workspace", ws, "--rules", str(tmp_path / "rules.yaml"),
                          "--format", "json")
    assert code == 0, err
    rows = {r["criterion"]: r for r in json.loads(out)}
    assert (rows["I.3.1"]["basis"], rows["I.3.1"]["self_points"], rows["I.3.1"]["appraised_points"]) == (
        "appraisal", 5, 3)
    rules = str(tmp_path / "rules.yaml")
    code, out, _ = egov("score", "--workspace", ws, "--rules", rules, "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert {"basis", "self_points", "appraised_points"} <= set(header)
    code, out, _ = egov("score", "--workspace", ws, "--rules", str(tmp_path / "rules.yaml"))
    assert "Điểm thẩm định" in out and "appraisal" in out
    book, md, html = tmp_path / "xep-hang.xlsx", tmp_path / "tom-tat.md", tmp_path / "tom-tat.html"
    code, _, err = egov("rank", "--workspace", ws, "--out", str(book), "--md", str(md), "--html", str(html))
    assert code == 0, err
    workbook = load_workbook(book)
    detail = list(workbook["Chi tiết tiêu chí"].iter_rows(min_row=4, values_only=True))
    assert any(r[7] == "điểm thẩm định" and r[9] == 3 for r in detail)  # basis, appraised points
    for summary in (md, html):
        text = summary.read_text(encoding="utf-8")
        assert "lấy theo điểm thẩm định" in text
