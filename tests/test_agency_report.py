"""Issue 16, item 4: `egov report --agency NAME` (or `--all`) writes each agency's own page, .html and
.docx — its total, rank in its group, level, change since the previous period, every criterion below
its maximum with the points lost and why (formula, values, file and cell), flags, adjustments and the
evidence still missing. Read as its readers read them: the HTML parsed (lxml), the Word file opened
(python-docx) and printed (LibreOffice → PDF)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pdfplumber
import pytest
from helpers import egov, to_pdf

from egovcli import api
from egovcli.rank.model import RankRow
from egovcli.render.agency_report import build_reports, render_html, safe_file_names, write_reports
from egovcli.render.template_form import SELF_COLUMN
from egovcli.score.model import AgencyScore, CriterionScore
from egovcli.textnorm import vi_number

ROOT = Path(__file__).resolve().parent.parent
HANAM = ROOT / "samples" / "hanam-2022"
ADJUSTMENTS = ROOT / "samples" / "hanam-2022-adjustments.csv"
BUILDER = "Sở Xây dựng tỉnh Hà Nam"  # over-claims I.1, adjusted on it (samples/hanam-2022-adjustments.csv)


@pytest.fixture(scope="module")
def hanam_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Hà Nam 2022 samples ingested and scored with the appraisal adjustments, as `make demo`."""
    folder = tmp_path_factory.mktemp("hanam")
    ws = folder / "egov.sqlite"
    assert egov("ingest", str(HANAM), "--workspace", str(ws))[0] == 0
    scored = egov("score", "--rules", "hanam-2022", "--workspace", str(ws), "--adjustments", str(ADJUSTMENTS),
                  "--out", str(folder / "scores.csv"))
    assert scored[0] == 0, scored[2]
    return ws


def _score(ws_path: Path, agency: str) -> AgencyScore:
    with api.open_workspace(ws_path, readonly=True) as ws:
        _, scores = api.stored_scores(ws)
    return next(s for s in scores if s.agency == agency)


def _section(page: lxml.html.HtmlElement, heading: str) -> lxml.html.HtmlElement:
    """The element right after the <h2> with this heading."""
    [h2] = [h for h in page.iter("h2") if h.text_content() == heading]
    return h2.getnext()


def test_an_agency_page_says_what_it_lost_and_why(hanam_ws: Path, tmp_path: Path) -> None:
    code, _, err = egov("report", "--workspace", str(hanam_ws), "--agency", "sở xây dựng",
                        "--out", str(tmp_path))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{BUILDER}.docx", f"{BUILDER}.html"]
    score = _score(hanam_ws, BUILDER)
    page = lxml.html.parse(str(tmp_path / f"{BUILDER}.html")).getroot()
    assert page.find(".//p[@class='agency']").text_content() == BUILDER
    facts = {tr[0].text_content(): tr[1].text_content() for tr in page.find(".//table[@class='facts']")}
    assert facts["Tổng điểm"] == f"{vi_number(score.total)} / 500"
    assert re.fullmatch(r"\d+ / 8 cơ quan trong nhóm", facts["Xếp hạng"])
    lost_table = _section(page, "Điểm bị trừ và lý do").getnext()
    lost = {tr[0].text_content(): [td.text_content() for td in tr]
            for tr in lost_table.iter("tr") if tr[0].tag == "td"}
    below = {r.criterion: r for r in score.criteria if r.points < r.max_points}
    assert set(lost) == set(below)
    for criterion, cells in lost.items():  # lost points, and why: the stored explanation and its source
        row = below[criterion]
        assert cells[4] == vi_number(row.max_points - row.points)
        assert row.explanation in cells[5]
        if row.source_file:
            assert f"Nguồn: {row.source_file}" in cells[5]
    flagged = _section(page, "Cảnh báo kiểm tra").text_content()
    assert "I.1" in flagged and "[claim_exceeds_evidence]" in flagged
    adjusted = _section(page, "Điều chỉnh sau thẩm định").text_content()
    assert "I.1" in adjusted and "6 máy tính mua tháng 12/2022" in adjusted
    assert "hanam-2022" in page.find(".//p[@class='provenance']").text_content()
    # self-contained: no script, no link or image fetched from anywhere
    assert not page.findall(".//script") and not page.findall(".//link") and not page.findall(".//img")


def test_the_word_page_opens_and_prints(hanam_ws: Path, tmp_path: Path, writer: str) -> None:
    assert egov("report", "--workspace", str(hanam_ws), "--agency", BUILDER, "--out", str(tmp_path))[0] == 0
    target = tmp_path / f"{BUILDER}.docx"
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert BUILDER in texts and any(t.startswith("Điểm bị trừ và lý do") for t in texts)
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=1)
    score = _score(hanam_ws, BUILDER)
    with pdfplumber.open(to_pdf(target, writer)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        for page in pdf.pages:  # nothing past the right margin (15 mm)
            assert all(c["x1"] <= page.width - 15 * 72 / 25.4 + 2 for c in [*page.chars, *page.rects])
    assert BUILDER in text and f"{vi_number(score.total)} / 500" in text
    assert "Minh chứng còn thiếu" in text and "Cảnh báo kiểm tra" in text


def test_missing_evidence_is_listed(hanam_ws: Path, tmp_path: Path) -> None:
    """Sở Giáo dục left a criterion with neither figures nor a self-score: 0 points, listed as missing."""
    agency = "Sở Giáo dục và Đào tạo tỉnh Hà Nam"
    assert egov("report", "--workspace", str(hanam_ws), "--agency", agency, "--out", str(tmp_path))[0] == 0
    page = lxml.html.parse(str(tmp_path / f"{agency}.html")).getroot()
    missing = _section(page, "Minh chứng còn thiếu").text_content()
    [row] = [r for r in _score(hanam_ws, agency).criteria if r.basis == "missing"]
    assert row.criterion in missing


def test_all_agencies_get_a_page_each(hanam_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "phan-hoi"
    code, _, err = egov("report", "--workspace", str(hanam_ws), "--all", "--out", str(out))
    assert code == 0, err
    with api.open_workspace(hanam_ws, readonly=True) as ws:
        ranked = [r.agency for r in api.rank_workspace(ws).ranking]
    wanted = sorted(f"{agency}.{suffix}" for agency in ranked for suffix in ("html", "docx"))
    assert sorted(p.name for p in out.iterdir()) == wanted


def test_an_unknown_agency_is_refused_naming_the_closest(hanam_ws: Path, tmp_path: Path) -> None:
    report = ("report", "--workspace", str(hanam_ws), "--out", str(tmp_path))
    code, _, err = egov(*report, "--agency", "Sở Tài Chánh")
    assert code == 2
    assert "không có cơ quan 'Sở Tài Chánh'" in err and "Sở Tài chính tỉnh Hà Nam" in err
    assert "E-UNKNOWN-AGENCY" in err
    code, _, err = egov(*report, "--agency", "Sở")
    assert code == 2 and "nhiều cơ quan" in err
    code, _, err = egov(*report, "--all", "--period", "2030")
    assert code == 2 and "2022" in err
    code, _, err = egov(*report)
    assert code == 2 and "--agency" in err
    for folder in ("-", str(hanam_ws)):  # the pages go into a folder: not stdout, never over a file
        code, _, err = egov("report", "--workspace", str(hanam_ws), "--all", "--out", folder)
        assert code == 2 and "không phải một thư mục" in err
    assert list(tmp_path.iterdir()) == []


HOSTILE = 'Sở <script>alert("x")</script> ../../thử/nghiệm\\a'


def test_a_submitted_name_with_markup_and_a_path_stays_text_in_its_folder(tmp_path: Path) -> None:
    """The agency's name comes from its form: in the page it is text, in the file name no path."""
    folder = tmp_path / "nop"
    folder.mkdir()
    _filled_form(folder, HOSTILE, "2022")
    ws = tmp_path / "egov.sqlite"
    assert egov("ingest", str(folder), "--workspace", str(ws))[0] == 0
    scored = egov("score", "--rules", "hanam-2022", "--workspace", str(ws), "--out", str(tmp_path / "s.csv"))
    assert scored[0] == 0
    out = tmp_path / "phan-hoi"
    code, _, err = egov("report", "--workspace", str(ws), "--all", "--out", str(out))
    assert code == 0, err
    written = sorted(out.iterdir())
    assert [p.suffix for p in written] == [".docx", ".html"]
    assert all(p.parent == out for p in written) and not (tmp_path / "thử").exists()
    page = lxml.html.parse(str(written[1])).getroot()
    assert not page.findall(".//script")
    assert page.find(".//p[@class='agency']").text_content() == HOSTILE
    assert HOSTILE in [p.text for p in docx.Document(str(written[0])).paragraphs]


def test_file_names_are_safe_unique_and_keep_vietnamese() -> None:
    names = safe_file_names(["Sở Y tế", "SỞ Y TẾ", "../../etc/passwd", "a\x1b[31mb", "CON", "...", "x" * 300,
                             "UBND xã Đông Hải: \"mới\""])
    assert names[:2] == ["Sở Y tế", "SỞ Y TẾ-2"]
    assert names[2] == "etc-passwd"
    assert "\x1b" not in names[3] and "/" not in "".join(names)
    assert names[4] == "_CON" and names[5] == "co-quan" and len(names[6]) == 80
    assert names[7] == "UBND xã Đông Hải- -mới"
    assert names == safe_file_names(["Sở Y tế", "SỞ Y TẾ", "../../etc/passwd", "a\x1b[31mb", "CON", "...",
                                     "x" * 300, "UBND xã Đông Hải: \"mới\""])


def test_the_change_since_the_previous_period_is_shown() -> None:
    rules = api.load_rules("dti-example-2025")
    rows = [CriterionScore("I.1", "I", "Kế hoạch", 0.0, 25.0, "data", 25.0, ["claim_exceeds_evidence"],
                           "Có: điểm tối đa; ghi «Không» (a.xlsx, Số liệu!D9)", "a.xlsx", "Số liệu!D9")]
    score = AgencyScore("UBND xã An Bình", "commune", "2025", rules.name, rows)
    ranked = RankRow(3, "UBND xã An Bình", "commune", "2025", 700.5, 1000, "UBND xã, phường, đặc khu",
                     index=0.7005, previous_period="2024", previous_rank=5, rank_change=2, previous_total=650,
                     total_change=50.5)
    [report] = build_reports([ranked], [score], rules, "không có")
    page = lxml.html.fromstring(render_html(report))
    facts = {tr[0].text_content(): tr[1].text_content() for tr in page.find(".//table[@class='facts']")}
    assert facts["Chỉ số"] == "0,7005"
    assert facts["So với kỳ 2024"] == "hạng kỳ trước 5; thay đổi hạng +2; thay đổi điểm +50,5"
    assert "Số liệu!D9" in page.text_content() and "claim_exceeds_evidence" in page.text_content()


def _filled_form(folder: Path, name: str, period: str) -> None:
    """A hanam-2022 form of `period` filled in by `name`: every self-score 1, no figures."""
    form = folder / f"{len(list(folder.iterdir()))}.xlsx"
    assert egov("template", "--rules", "hanam-2022", "--group", "department", "--period", period,
                "--out", str(form))[0] == 0
    book = openpyxl.load_workbook(form)
    book["Số liệu"]["B4"] = name
    for row in book["Tự đánh giá"].iter_rows(min_row=4):
        if isinstance(row[2].value, (int, float)) and row[0].value and not row[0].value.isupper():
            row[SELF_COLUMN].value = 1
    book.save(form)


def test_an_agency_ranked_only_in_an_earlier_period_is_pointed_there(tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    _filled_form(folder, "Sở Tư pháp tỉnh Hà Nam", "2021")
    _filled_form(folder, "Sở Y tế tỉnh Hà Nam", "2022")
    ws = tmp_path / "egov.sqlite"
    assert egov("ingest", str(folder), "--workspace", str(ws))[0] == 0
    scored = egov("score", "--rules", "hanam-2022", "--workspace", str(ws), "--out", str(tmp_path / "s.csv"))
    assert scored[0] == 0
    report = ("report", "--workspace", str(ws), "--out", str(tmp_path / "out"))
    code, _, err = egov(*report, "--agency", "Sở Tư pháp")
    assert code == 2 and "kỳ 2022 (kỳ mới nhất)" in err and "--period 2021" in err
    code, _, err = egov(*report, "--agency", "Sở Tư pháp", "--period", "2021")
    assert code == 0, err
    assert (tmp_path / "out" / "Sở Tư pháp tỉnh Hà Nam.html").exists()


def test_an_index_rule_sets_sections_show_points_beside_their_maximum_and_the_index(tmp_path: Path) -> None:
    """dti-example-2025 prints sections as 0–1 indices: the page gives each section's points out of
    its maximum and the index beside them, never "0,8500" next to a maximum of 100."""
    rules = api.load_rules("dti-example-2025")
    score = AgencyScore("UBND xã An Bình", "commune", "2025", rules.name, [])
    ranked = RankRow(3, "UBND xã An Bình", "commune", "2025", 700.5, 1000, "UBND xã, phường, đặc khu",
                     index=0.7005, sections={"I": 85.0, "II": 62.5}, section_indices={"I": 0.85, "II": 0.625})
    [report] = build_reports([ranked], [score], rules, "không có")
    page = lxml.html.fromstring(render_html(report))
    table = page.xpath("//h2[text()='Điểm theo mục']/following-sibling::table[1]")[0]
    head = [th.text_content() for th in table.findall(".//thead//th")]
    assert head == ["Mục", "Điểm", "Điểm tối đa", "Chỉ số"]
    first = [td.text_content() for td in table.findall(".//tbody/tr")[0]]
    assert first[1:] == ["85", "100", "0,8500"]
    write_reports([report], tmp_path)
    document = docx.Document(str(tmp_path / "UBND xã An Bình.docx"))
    [sections] = [t for t in document.tables if t.rows[0].cells[0].text == "Mục"]
    assert [c.text for c in sections.rows[0].cells] == head
    assert [c.text for c in sections.rows[2].cells][1:] == ["62,5", "100", "0,6250"]


def test_a_lost_criterion_says_how_its_points_are_won_and_what_proves_it(tmp_path: Path) -> None:
    """An agency that self-scored 10 of 25 learns from its page how the criterion is scored and which
    documents prove it (the rule set's "Cách tính" and "Tài liệu kiểm chứng"), in HTML and Word."""
    rules = api.load_rules("dti-example-2025")
    criterion = rules.criterion("I.2")
    rows = [CriterionScore("I.2", "I", criterion.label, 10.0, 25.0, "self", 10.0, [],
                           "Theo điểm tự đánh giá 10 (tiêu chí chấm theo tự đánh giá)", "a.xlsx",
                           "Tự đánh giá!F30")]
    score = AgencyScore("UBND xã An Bình", "commune", "2025", rules.name, rows)
    ranked = RankRow(3, "UBND xã An Bình", "commune", "2025", 700.5, 1000, "UBND xã, phường, đặc khu",
                     index=0.7005)
    [report] = build_reports([ranked], [score], rules, "không có")
    assert criterion.formula_text and criterion.evidence
    page = lxml.html.fromstring(render_html(report)).text_content()
    assert f"Cách tính điểm: {criterion.formula_text}" in page
    assert f"Tài liệu kiểm chứng: {criterion.evidence}" in page
    write_reports([report], tmp_path)
    document = docx.Document(str(tmp_path / "UBND xã An Bình.docx"))
    [lost] = [t for t in document.tables if t.rows[0].cells[0].text == "TT" and len(t.columns) == 6]
    why = lost.rows[1].cells[5].text
    assert f"Cách tính điểm: {criterion.formula_text}" in why and criterion.evidence in why
