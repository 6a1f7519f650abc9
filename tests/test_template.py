"""Issue 16, item 6: `egov template --rules X --group G -o mau.xlsx|.docx` writes the form agencies
fill in, and a filled form reads back whole: every figure mapped to the rule set's indicator it was
asked for (none unmapped, as `egov indicators --unmapped --rules X` would list them), every self-score
read under its criterion, and the scoring uses them — for every shipped rule set and each of its
groups, in both formats. The form is filled the way its readers fill it: cells typed in the workbook
(openpyxl), text typed into the Word tables (python-docx)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from helpers import egov

from egovcli import api
from egovcli.render.template_form import SELF_COLUMN, SubmissionForm
from egovcli.rules.formulas import Exemption, Formula
from egovcli.textnorm import vi_number

NAMES = {  # an agency of each group, named so that the rule set ranks it in that group
    "department": "Sở Thông tin và Truyền thông", "district": "UBND huyện Kim Bảng",
    "commune": "UBND xã An Bình", "vertical": "Kho bạc Nhà nước tỉnh Hà Nam",
}
CASES = [(r.name, g.id) for r in api.shipped_rules() for g in api.load_rules(r.name).ranked_groups]


def figure_value(kind: str, answers: tuple[str, ...]) -> str:
    """A plausible answer: the first listed answer, a share written a/b, a count."""
    if answers:
        return answers[0]
    return "8/10" if kind == "fraction" else "10"


def _fill_xlsx(form: SubmissionForm, path: Path, name: str) -> None:
    book = openpyxl.load_workbook(path)
    data = book["Số liệu"]
    assert data["A4"].value == "Tên cơ quan, đơn vị:"
    data["B4"] = name
    figures = {f.tt: f for f in form.figures}
    for row in data.iter_rows(min_row=7):
        figure = figures[row[0].value]
        typed = figure_value(figure.kind, figure.answers)
        row[3].value = int(typed) if typed.isdigit() else typed  # a number is typed as a number
    sheet = book["Tự đánh giá"]
    for row, printed in zip(sheet.iter_rows(min_row=4), form.rows, strict=True):
        assert row[0].value == printed.tt
        if printed.kind == "criterion":
            row[SELF_COLUMN].value = printed.max / 2
    book.save(path)


def _fill_docx(form: SubmissionForm, path: Path, name: str) -> None:
    document = docx.Document(str(path))
    line = next(p for p in document.paragraphs if p.text.startswith("Tên cơ quan, đơn vị:"))
    line.runs[0].text = f"Tên cơ quan, đơn vị: {name}"
    data, criteria = document.tables
    figures = {f.tt: f for f in form.figures}
    for row in data.rows[1:]:
        figure = figures[row.cells[0].text]
        row.cells[3].text = figure_value(figure.kind, figure.answers)
    for row, printed in zip(criteria.rows[1:], form.rows, strict=True):
        if printed.kind == "criterion":
            row.cells[SELF_COLUMN].text = vi_number(printed.max / 2)
    document.save(str(path))


def _reads(formula: Formula) -> bool:
    """Whether a formula scores from figures; an exemption's condition only decides whether it applies
    (none of the filled figures is 0, so none holds)."""
    return _reads(formula.otherwise) if isinstance(formula, Exemption) else bool(formula.needs())


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize(("rules_name", "group"), CASES)
def test_a_filled_template_reads_back_whole(rules_name: str, group: str, fmt: str, tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    target = folder / f"mau.{fmt}"
    code, _, err = egov("template", "--rules", rules_name, "--group", group, "--out", str(target))
    assert code == 0, err
    rules = api.load_rules(rules_name)
    form = api.submission_template(rules, group)
    name = NAMES[group]
    (_fill_xlsx if fmt == "xlsx" else _fill_docx)(form, target, name)
    with api.open_workspace(tmp_path / "egov.sqlite", create=True) as ws:
        report = api.ingest(ws, folder)
        [read] = report.files
        assert (read.status, read.agency, read.period, read.problems) == ("new", name, rules.period, [])
        assert api.indicator_rows(ws, unmapped=True, rules=rules) == []
        rows = api.indicator_rows(ws, rules=rules)
        figures = {(r.indicator, r.raw_value) for r in rows if r.kind == "data" and r.indicator}
        assert figures == {(f.indicator, figure_value(f.kind, f.answers)) for f in form.figures}
        scored = {r.indicator: r.value for r in rows if r.kind == "self_score" and r.value is not None}
        wanted = {r.criterion: r.max / 2 for r in form.rows if r.kind == "criterion" and r.max is not None}
        assert scored == wanted
        run = api.score_workspace(ws, rules)
    [score] = run.scores
    assert (score.agency, score.group) == (name, group)
    for row in score.criteria:  # a criterion reading figures is scored from them, any other by its self-score
        reads = _reads(rules.criterion(row.criterion).formula)
        wanted_basis = ("data", "not_applicable") if reads else ("self",)
        assert row.basis in wanted_basis, (row.criterion, row.explanation)


def test_the_workbook_validates_what_is_typed_and_protects_the_labels(tmp_path: Path) -> None:
    target = tmp_path / "mau.xlsx"
    assert egov("template", "--rules", "hanam-2022", "--group", "department", "--out", str(target))[0] == 0
    book = openpyxl.load_workbook(target)
    data, scores = book["Số liệu"], book["Tự đánh giá"]
    assert data.protection.sheet and scores.protection.sheet
    assert data["B4"].protection.locked is False and data["B7"].protection.locked is True
    rules = {(v.type, str(v.formula1), str(v.formula2)): str(v.sqref)
             for v in data.data_validations.dataValidation}
    assert rules[("list", '"Có,Không"', "None")]  # yes/no answers are chosen from a list
    assert rules[("decimal", "0", "None")]  # counts are numbers ≥ 0
    limits = {(str(v.formula1), str(v.formula2)) for v in scores.data_validations.dataValidation}
    assert ("0", "10") in limits and ("0", "4") in limits  # the self-score stays within 0 … the maximum
    header = [c.value for c in scores[3]]
    assert header[:5] == ["TT", "Nội dung tiêu chí", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng"]
    first = [c.value for c in scores[5]]  # I.1, under section I
    assert first[:3] == ["1", "Tỷ lệ CBCCVC được trang bị máy tính", 10]
    assert "tỷ lệ" in first[3].lower()


def test_an_unknown_group_or_format_is_refused_with_the_groups_named(tmp_path: Path) -> None:
    code, _, err = egov("template", "--rules", "dti-example-2025", "--group", "district",
                        "--out", str(tmp_path / "mau.xlsx"))
    assert code == 2 and "department (Sở, ban, ngành)" in err and "commune" in err
    code, _, err = egov("template", "--rules", "dti-example-2025", "--group", "xã",
                        "--out", str(tmp_path / "mau.pdf"))
    assert code == 2 and ".xlsx hoặc .docx" in err
    assert list(tmp_path.iterdir()) == []


def test_the_form_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    for name in ("a.docx", "b.docx", "a.xlsx", "b.xlsx"):
        assert egov("template", "--rules", "dti-example-2025", "--group", "commune", "--out",
                    str(tmp_path / name))[0] == 0
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_form_saved_again_by_libreoffice_still_reads_back(fmt: str, tmp_path: Path, writer: str) -> None:
    """An agency that fills the form in LibreOffice and saves it in the same format sends a file
    LibreOffice wrote: it reads back as well. The Word form printed stays inside its margins."""
    import subprocess

    import pdfplumber
    from helpers import to_pdf

    rules = api.load_rules("dti-example-2025")
    form = api.submission_template(rules, "commune")
    filled = tmp_path / f"mau.{fmt}"
    api.write_submission_template(form, filled)
    (_fill_xlsx if fmt == "xlsx" else _fill_docx)(form, filled, NAMES["commune"])
    folder = tmp_path / "nop"
    profile = (tmp_path / ".profile").as_uri()
    subprocess.run([writer, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir",
                    str(folder), str(filled)], check=True, capture_output=True, timeout=240)
    with api.open_workspace(tmp_path / "egov.sqlite", create=True) as ws:
        [read] = api.ingest(ws, folder).files
        assert (read.agency, read.problems) == (NAMES["commune"], [])
        assert api.indicator_rows(ws, unmapped=True, rules=rules) == []
        rows = api.indicator_rows(ws, rules=rules)
        mapped = {r.indicator for r in rows if r.kind == "data" and r.indicator}
        assert mapped == {f.indicator for f in form.figures}
    if fmt == "docx":
        with pdfplumber.open(to_pdf(filled, writer)) as pdf:
            for page in pdf.pages:
                assert sorted((round(page.width), round(page.height))) == [595, 842]
                assert all(c["x1"] <= page.width - 15 * 72 / 25.4 + 2 for c in [*page.chars, *page.rects])


WRONG = {  # what agencies really type into the figures, and what egov must make of it
    "computers_total": "Đang xây dựng",  # text in a number cell: kept as text, flagged, never 0
    "staff_total": "",  # a blank: missing, never 0
    "computers_networked": "435/463",  # a fraction in a count
    "staff_it_trained_share": "94,5",  # a decimal comma
    "it_staff": "3.367",  # a thousands dot
}


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_form_filled_wrongly_is_read_as_typed_and_says_so(fmt: str, tmp_path: Path) -> None:
    """Nothing an agency types into the form is silently dropped or zeroed: text where a number is
    asked is reported with its cell (W-UNPARSED-VALUE) and scores nothing from data; a blank is
    missing; '94,5' is 94.5, '3.367' is 3367, '435/463' is read as a fraction; a self-score
    'Đang xây dựng' is reported, one above the maximum is flagged."""
    rules = api.load_rules("dti-example-2025")
    form = api.submission_template(rules, "department")
    folder = tmp_path / "nop"
    folder.mkdir()
    target = folder / f"mau.{fmt}"
    api.write_submission_template(form, target)
    (_fill_xlsx if fmt == "xlsx" else _fill_docx)(form, target, "Sở Tư pháp tỉnh Hải Sơn")
    tts = {f.indicator: f.tt for f in form.figures}
    selfs = {r.criterion: i for i, r in enumerate(form.rows) if r.kind == "criterion"}
    if fmt == "xlsx":
        book = openpyxl.load_workbook(target)
        data, sheet = book["Số liệu"], book["Tự đánh giá"]
        rows = {row[0].value: row for row in data.iter_rows(min_row=7)}
        for indicator, typed in WRONG.items():
            rows[tts[indicator]][3].value = typed or None
        sheet.cell(4 + selfs["I.2"], SELF_COLUMN + 1).value = "Đang xây dựng"
        sheet.cell(4 + selfs["I.3"], SELF_COLUMN + 1).value = 30
        book.save(target)
    else:
        document = docx.Document(str(target))
        data_table, criteria = document.tables
        cells = {row.cells[0].text: row.cells[3] for row in data_table.rows[1:]}
        for indicator, typed in WRONG.items():
            cells[tts[indicator]].text = typed
        criteria.rows[1 + selfs["I.2"]].cells[SELF_COLUMN].text = "Đang xây dựng"
        criteria.rows[1 + selfs["I.3"]].cells[SELF_COLUMN].text = "30"
        document.save(str(target))
    with api.open_workspace(tmp_path / "egov.sqlite", create=True) as ws:
        [read] = api.ingest(ws, folder).files
        unparsed = {p.code: p for p in read.problems}
        assert set(unparsed) == {"W-UNPARSED-VALUE"}, read.problems
        said = " ".join(p.message for p in read.problems)
        assert "'Đang xây dựng'" in said and "không tính là 0" in said
        values = {r.indicator: (r.raw_value, r.value) for r in api.indicator_rows(ws, rules=rules)
                  if r.kind == "data" and r.indicator}
        assert values["computers_total"] == ("Đang xây dựng", None)
        assert values["staff_total"][1] is None
        assert values["staff_it_trained_share"][1] == pytest.approx(94.5)
        assert values["it_staff"][1] == 3367
        assert values["computers_networked"][1] == 435
        run = api.score_workspace(ws, rules)
    [score] = run.scores
    rows = {r.criterion: r for r in score.criteria}
    assert "text_value" in rows["III.1"].flags and "'Đang xây dựng'" in rows["III.1"].explanation
    assert "over_max" in rows["I.3"].flags and rows["I.3"].points == 25
    assert rows["I.2"].basis == "missing" and "'Đang xây dựng'" in rows["I.2"].explanation
