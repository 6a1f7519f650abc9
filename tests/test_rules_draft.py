"""`egov rules draft`: a criteria decision's table (.docx, .xlsx, .pdf) → a rule-set skeleton that
`egov rules validate` accepts, listing every to-do and every maximum that does not add up at once.

Two real shapes: seed 004's phụ lục (Hà Nam 2022, 500 points; samples/source/…phuluc….tsv), whose
shipped rule set egovcli/rules/hanam-2022.yaml is the ground truth for the tree and the maxima; and
a DTI-style decision table `STT | Chỉ số / Chỉ số thành phần | Điểm tối đa | Cách xác định và tính
điểm | Tài liệu kiểm chứng | Nguồn` (1,000 points, pillars → components → items, as the public DTI
structure and provincial decisions modelled on it print them).
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import egov

from egovcli.api import NoCriteriaTableError, draft_rules
from egovcli.ingest.readers import legacy
from egovcli.render.atomic import OutputError
from egovcli.rules import load_rules, load_rules_text
from egovcli.rules.formula_text import infer

ROOT = Path(__file__).resolve().parent.parent
PHU_LUC = ROOT / "samples" / "source" / "hanam-2022-phuluc-so-tai-chinh.tsv"
HANAM = load_rules("hanam-2022")
DECISION_TITLE = "QUYẾT ĐỊNH Ban hành Bộ tiêu chí đánh giá, xếp hạng ứng dụng CNTT năm 2022"
# hanam-2022.yaml corrects the typos of these printed section titles (its last general reading)
CORRECTED_TITLES = {"II.3", "III.1", "III.2", "V", "VI"}


def _phu_luc_rows() -> list[list[str]]:
    """Seed 004's criteria table as a decision prints it: TT | Nội dung | Cách tính | Điểm tối đa
    (no self-assessment column)."""
    with PHU_LUC.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [["TT", "Nội dung", "Cách tính", "Điểm tối đa"],
            *([r["tt"], r["noi_dung"], r["cach_tinh"], r["diem_toi_da"]] for r in rows)]


def _docx(path: Path, title: str, rows: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("UBND TỈNH X")
    document.add_paragraph(title)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def _xlsx(path: Path, title: str, rows: list[list[str]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    for row in rows:  # maxima as numbers, as Excel users type them ("5 5 5" stays text); TT as text
        sheet.append([*row[:-1], float(row[-1]) if row[-1].isdigit() else row[-1]])
    book.save(path)
    return path


def _pdf(docx_path: Path) -> Path:
    command = legacy.soffice()
    assert command, f"LibreOffice (soffice) is required here: {legacy.INSTALL_HINT}"
    profile = (docx_path.parent / ".profile").as_uri()
    subprocess.run([command, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(docx_path.parent), str(docx_path)], check=True, capture_output=True,
                   timeout=180)
    return docx_path.with_suffix(".pdf")


def _tree(rules: Any) -> dict[str, Any]:
    """What a draft must reproduce of a rule set: ids, tt, labels, maxima, printed texts."""
    return {
        "max_total": rules.max_total,
        "sections": [(s.id, s.tt, s.max, [(u.id, u.tt, u.max, u.note) for u in s.subsections])
                     for s in rules.sections],
        "criteria": [(c.id, c.tt, c.section, c.subsection, c.label, c.max, c.formula_text)
                     for c in rules.criteria],
        "headings": [(h.id, h.tt, h.label, h.formula_text) for h in rules.headings],
    }


# --- seed 004: the Hà Nam 2022 phụ lục ---------------------------------------------------------------

@pytest.fixture(scope="module")
def hanam_decisions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hanam")
    rows = _phu_luc_rows()
    return {"docx": _docx(folder / "qd-hanam.docx", DECISION_TITLE, rows),
            "xlsx": _xlsx(folder / "qd-hanam.xlsx", DECISION_TITLE, rows),
            # the generated report of Sở Y tế: its phụ lục (with self-scores) as a PDF, other tables before it
            "pdf": ROOT / "samples" / "hanam-2022" / "so-y-te.pdf"}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_the_hanam_phu_luc_drafts_into_the_shipped_tree(hanam_decisions: dict[str, Path], fmt: str,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "hanam-draft.yaml"
    result = draft_rules(hanam_decisions[fmt], str(out))
    drafted = load_rules(str(out))
    assert _tree(drafted) == _tree(HANAM)
    printed = {s.id: s.title for s in drafted.sections} | {u.id: u.title for s in drafted.sections
                                                           for u in s.subsections}
    shipped = {s.id: s.title for s in HANAM.sections} | {u.id: u.title for s in HANAM.sections
                                                         for u in s.subsections}
    assert {k for k in printed if printed[k] != shipped[k]} == CORRECTED_TITLES
    assert printed["V"] == "NHÂN LỰC CHO ÚNG DỤNG CNTT"  # as printed, typo kept
    assert (result.sections, result.criteria, result.valid) == (6, 82, True)
    assert result.inferred + result.manual == 82 and result.inferred > 40
    # every criterion is left with something to do, and validate says so, at its line
    todo_about = {p.message.split(":")[0] for p in drafted.todos}
    assert {f"tiêu chí {c.id}" for c in drafted.criteria} <= todo_about
    assert out.read_text(encoding="utf-8") == result.text


def test_the_common_wordings_become_formulas_marked_inferred(hanam_decisions: dict[str, Path],
                                                            tmp_path: Path) -> None:
    text = draft_rules(hanam_decisions["docx"], str(tmp_path / "d.yaml")).text
    assert "Bộ tiêu chí đánh giá, xếp hạng ứng dụng CNTT năm 2022" in text  # Vietnamese kept, unescaped
    criteria = {c["id"]: c for c in yaml.safe_load(text)["criteria"]}
    # a/b × điểm tối đa: ratio, its indicator left to choose ("?"): manual until then
    assert criteria["I.1"]["formula"] == {"type": "manual"}
    assert criteria["I.1"]["draft_formula"] == {"type": "ratio", "of": "?"}
    # có/không: yes_no; mỗi … x điểm, tối đa y: per_item (without an input both score the self-assessment)
    assert criteria["I.3.1"]["formula"] == {"type": "yes_no"}
    assert criteria["II.4.4"]["formula"] == {"type": "per_item", "each": 4}
    assert criteria["VI.3"]["formula"] == {"type": "per_item", "each": 5}
    # bậc thang: on a share, and on a count (tin, bài)
    assert criteria["II.1.2"]["draft_formula"] == {
        "type": "banded", "of": "?",
        "bands": [{"at_least": 0.9, "points": "max"}, {"at_least": 0.6, "points": "ratio"}, {"points": 0}]}
    assert criteria["III.2.5.1"]["draft_formula"]["bands"][1] == {"at_least": 0.2, "points": "ratio_over",
                                                                   "over": 0.4}
    assert criteria["III.1.3"]["draft_formula"] == {
        "type": "banded", "value": "?",
        "bands": [{"at_least": 10, "points": "max"}, {"at_least": 3, "points": 1}, {"points": 0}]}
    # anything else stays manual, to do: an exception ("trường hợp …"), graded answers, parts "5 5 5"
    for cid in ("III.2.5", "III.1.1.1", "II.1.7"):
        assert criteria[cid]["formula"] == {"type": "manual"} and "draft_formula" not in criteria[cid]
    assert "5 + 5 + 5" in criteria["II.1.7"]["todo"] and criteria["II.1.7"]["max"] == 15
    # IV.8 prints 3 points on a 2-point row: not guessed
    assert "draft_formula" not in criteria["IV.8"]
    for criterion in criteria.values():
        assert "suy ra" in criterion["todo"] or "chưa có công thức" in criterion["todo"]


def test_the_yes_no_wording_needs_the_maximum() -> None:
    assert infer("Có: 10 điểm; Không: 0 điểm", 10) is not None
    assert infer("Có: 5 điểm; Không: 0 điểm", 10) is None  # the text would give less than the row's max
    assert infer("Mỗi văn bản trả lời quá hạn: trừ 2 điểm", 10) is None  # a deduction, not per item
    below_60_unsaid = "- Từ 90% trở lên: điểm tối đa - Từ 60% đến dưới 90%: 5 điểm"
    assert infer(below_60_unsaid, 10) is None


# --- validate: every to-do and every maximum that does not add up, at once ---------------------------

def test_validate_accepts_the_draft_and_lists_every_todo(hanam_decisions: dict[str, Path],
                                                         tmp_path: Path) -> None:
    out = tmp_path / "hanam-draft.yaml"
    code, _, err = egov("rules", "draft", str(hanam_decisions["docx"]), "-o", str(out))
    assert code == 0 and "82 tiêu chí" in err and "egov rules validate" in err
    code, stdout, err = egov("rules", "validate", str(out))
    assert code == 0 and "Hợp lệ" in stdout and "còn" in stdout
    todos = [line for line in err.splitlines() if line.endswith("[W-RULES-TODO]")]
    assert len(todos) == len(load_rules(str(out)).todos) >= 82
    assert all(line.startswith(f"{out}:") for line in todos)  # file:line, each
    code, stdout, _ = egov("rules", "validate", str(out), "--json")
    found = json.loads(stdout)
    assert code == 0 and found["valid"] and {p["code"] for p in found["problems"]} == {"W-RULES-TODO"}


def test_maxima_that_do_not_add_up_are_listed_with_every_todo(hanam_decisions: dict[str, Path],
                                                              tmp_path: Path) -> None:
    out = tmp_path / "hanam-draft.yaml"
    draft_rules(hanam_decisions["docx"], str(out))
    text = out.read_text(encoding="utf-8")
    for cid in ("I.1", "IV.3"):  # a person edits two maxima: sections I and IV no longer add up
        head, tail = text.split(f'  - id: "{cid}"\n', 1)
        text = head + f'  - id: "{cid}"\n' + tail.replace("    max: 10\n" if cid == "I.1" else "    max: 5\n",
                                                          "    max: 12\n", 1)
    out.write_text(text, encoding="utf-8")
    code, _, err = egov("rules", "validate", str(out))
    assert code == 1
    sums = [line for line in err.splitlines() if line.endswith("[E-RULES-SUM]")]
    assert len(sums) == 2 and "mục I: điểm tối đa các tiêu chí cộng lại 52, khai báo 50" in sums[0]
    assert "mục IV:" in sums[1]
    assert sum(line.endswith("[W-RULES-TODO]") for line in err.splitlines()) >= 82  # all at once


# --- a DTI-style decision ------------------------------------------------------------------------------

DTI_HEADER = ["STT", "Chỉ số / Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm",
              "Tài liệu kiểm chứng", "Nguồn"]
# pillar I: components with items under them (they become subsections); pillar II: components scored
# directly; pillar III printed 150 while its components add up to 140 (a decision's own mistake).
DTI_ROWS = [
    ["I", "CHUYỂN ĐỔI NHẬN THỨC", "200", "", "", ""],
    ["1", "Lãnh đạo, chỉ đạo chuyển đổi số", "120", "", "", ""],
    ["1.1", "Ban hành kế hoạch chuyển đổi số năm", "60", "Có: điểm tối đa; Không: 0 điểm",
     "Kế hoạch đã ban hành", "Sở Khoa học và Công nghệ"],
    ["1.2", "Tỷ lệ văn bản chỉ đạo về chuyển đổi số được triển khai đúng hạn", "60",
     "Điểm = (a/b) × điểm tối đa", "Báo cáo kết quả", "Văn phòng UBND tỉnh"],
    ["2", "Tuyên truyền về chuyển đổi số", "80", "", "", ""],
    ["2.1", "Số tin, bài tuyên truyền về chuyển đổi số trên cổng thông tin", "40",
     "Mỗi tin, bài được 2 điểm, tối đa 40 điểm", "Đường dẫn tin, bài", "Cổng thông tin điện tử tỉnh"],
    ["2.2", "Tổ chức hội nghị, hội thảo về chuyển đổi số", "40",
     "Đánh giá theo chất lượng tổ chức", "Tài liệu hội nghị", ""],
    ["II", "HẠ TẦNG VÀ NỀN TẢNG SỐ", "350", "", "", ""],
    ["1", "Tỷ lệ cán bộ, công chức được trang bị máy tính", "100", "Tỷ lệ % × Điểm tối đa",
     "Danh sách trang bị", "Sở Tài chính"],
    ["2", "Kết nối mạng truyền số liệu chuyên dùng", "100", "Có: 100 điểm; Không: 0 điểm",
     "Biên bản kết nối", "Sở Khoa học và Công nghệ"],
    ["3", "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng", "150",
     "- Từ 90% trở lên: điểm tối đa; - Từ 50% đến dưới 90%: Tỷ lệ % × Điểm tối đa; - Dưới 50%: 0 điểm",
     "Số liệu hệ thống QLVB", "Hệ thống quản lý văn bản"],
    ["III", "HOẠT ĐỘNG CHÍNH QUYỀN SỐ", "150", "", "", ""],
    ["1", "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình", "80",
     "Điểm = Tỷ lệ % x Điểm tối đa", "Cổng dịch vụ công", "Cổng dịch vụ công quốc gia"],
    ["2", "Mức độ hài lòng của người dân", "60", "Theo kết quả khảo sát", "Kết quả khảo sát", ""],
    ["a", "Khảo sát trực tuyến", "", "", "", ""],
    ["IV", "AN TOÀN THÔNG TIN MẠNG", "300", "", "", ""],
    ["1", "Phê duyệt hồ sơ cấp độ hệ thống thông tin", "300", "Có: điểm tối đa; Không: 0 điểm",
     "Quyết định phê duyệt", "Công an tỉnh"],
    ["", "TỔNG CỘNG (I+II+III+IV)", "1000", "", "", ""],
]
DTI_TITLE = "Bộ chỉ số đánh giá chuyển đổi số của các sở, ban, ngành và UBND cấp xã năm 2025"


@pytest.fixture(scope="module")
def dti_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _docx(tmp_path_factory.mktemp("dti") / "qd-dti.docx", DTI_TITLE, [DTI_HEADER, *DTI_ROWS])


def _check_dti(out: Path) -> None:
    code, _, err = egov("rules", "validate", str(out))
    assert code == 1  # pillar III: printed 150, its components add up to 140
    sums = [line for line in err.splitlines() if line.endswith("[E-RULES-SUM]")]
    assert len(sums) == 1 and "mục III: điểm tối đa các tiêu chí cộng lại 140, khai báo 150" in sums[0]
    assert sum(line.endswith("[W-RULES-TODO]") for line in err.splitlines()) >= 9
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["title"] == DTI_TITLE and data["period"] == "2025" and data["max_total"] == 1000
    sections = {s["id"]: s for s in data["sections"]}
    maxima = [("I", 200), ("II", 350), ("III", 150), ("IV", 300)]
    assert [(s["id"], s["max"]) for s in data["sections"]] == maxima
    assert [(u["id"], u["tt"], u["title"], u["max"]) for u in sections["I"]["subsections"]] == [
        ("I.1", "1", "Lãnh đạo, chỉ đạo chuyển đổi số", 120),
        ("I.2", "2", "Tuyên truyền về chuyển đổi số", 80)]
    criteria = {c["id"]: c for c in data["criteria"]}
    assert list(criteria) == ["I.1.1", "I.1.2", "I.2.1", "I.2.2", "II.1", "II.2", "II.3", "III.1", "III.2",
                              "IV.1"]
    assert criteria["I.1.1"]["subsection"] == "I.1" and criteria["II.1"].get("subsection") is None
    assert criteria["I.1.1"]["evidence"] == "Kế hoạch đã ban hành"
    assert criteria["I.1.1"]["data_source"] == "Sở Khoa học và Công nghệ"
    assert criteria["I.1.2"]["draft_formula"] == {"type": "ratio", "of": "?"}
    assert criteria["I.2.1"]["formula"] == {"type": "per_item", "each": 2}
    assert criteria["II.2"]["formula"] == {"type": "yes_no"}
    assert criteria["II.3"]["draft_formula"]["bands"] == [
        {"at_least": 0.9, "points": "max"}, {"at_least": 0.5, "points": "ratio"}, {"points": 0}]
    assert criteria["I.2.2"]["formula"] == {"type": "manual"}
    assert criteria["I.2.2"]["formula_text"] == "Đánh giá theo chất lượng tổ chức"  # kept verbatim
    assert [h["id"] for h in data["headings"]] == ["III.2.a"]  # an unscored item under a row


def test_a_dti_style_decision_drafts_with_evidence_source_and_subsections(dti_docx: Path,
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "dti.yaml"
    result = draft_rules(dti_docx, str(out))
    assert (result.sections, result.criteria, result.valid) == (4, 10, False)
    assert [p.code for p in result.problems] == ["E-RULES-SUM"]
    _check_dti(out)


def test_a_dti_style_decision_as_pdf_drafts_the_same(dti_docx: Path, tmp_path: Path, writer: str) -> None:
    pdf = _pdf(dti_docx)
    out = tmp_path / "dti-from-pdf.yaml"
    code, _, err = egov("rules", "draft", str(pdf), "-o", str(out))
    assert code == 0 and "[E-RULES-SUM]" in err
    _check_dti(out)
    from_docx = tmp_path / "dti-from-docx.yaml"
    draft_rules(dti_docx, str(from_docx))
    assert _body(out) == _body(from_docx)


def _body(path: Path) -> list[str]:
    """A draft's lines but those naming its file (the first comment, name, source)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith(("# Bản nháp", "source:", "name:"))]


def test_rules_show_lists_every_section_and_criterion_of_a_draft(dti_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "dti.yaml"
    draft_rules(dti_docx, str(out))
    pillar = 'title: "HOẠT ĐỘNG CHÍNH QUYỀN SỐ"\n    max: 150'
    text = out.read_text(encoding="utf-8").replace(pillar, pillar.replace("150", "140"))  # fix its mistake:
    text = text.replace("max_total: 1000", "max_total: 990")  # the pillar as its components add up
    out.write_text(text, encoding="utf-8")
    code, stdout, _ = egov("rules", "show", str(out), "--format", "json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(stdout)}
    assert {"I", "I.1", "I.2", "II", "III", "IV", "I.1.1", "II.3", "IV.1"} <= set(rows)
    assert (rows["I.1"]["tt"], rows["I.1"]["label"], rows["I.1"]["max"]) == (
        "1", "LÃNH ĐẠO, CHỈ ĐẠO CHUYỂN ĐỔI SỐ", 120)
    assert (rows["II.3"]["tt"], rows["II.3"]["max"]) == ("3", 150)


# --- what is refused -------------------------------------------------------------------------------------

def test_a_file_without_a_criteria_table_is_refused(tmp_path: Path) -> None:
    path = _docx(tmp_path / "cong-van.docx", "CÔNG VĂN về việc báo cáo", [["STT", "Đơn vị", "Ghi chú"],
                                                                           ["1", "Sở Y tế", ""]])
    with pytest.raises(NoCriteriaTableError):
        draft_rules(path, str(tmp_path / "x.yaml"))
    code, _, err = egov("rules", "draft", str(path), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "[E-NO-CRITERIA-TABLE]" in err and not (tmp_path / "x.yaml").exists()


def test_an_empty_or_oversized_decision_is_refused_by_the_ingest_size_rule(tmp_path: Path) -> None:
    """The same size rule as ingest (`extract.size_refusal`): an empty file is said to be empty, a
    file over the limit names the limit."""
    from egovcli.ingest.decision import read_decision
    from egovcli.ingest.readers.safety import Limits

    empty = tmp_path / "qd-trong.docx"
    empty.write_bytes(b"")
    assert [p.code for p in read_decision(empty).problems] == ["E-EMPTY-FILE"]
    code, _, err = egov("rules", "draft", str(empty), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "[E-NO-CRITERIA-TABLE]" in err and not (tmp_path / "x.yaml").exists()
    big = tmp_path / "qd-lon.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (1 << 20))
    refused = read_decision(big, Limits(max_file_mb=0.5)).problems
    assert [p.category for p in refused] == ["too_large"] and "0.5 MB" in refused[0].message


def test_the_draft_never_overwrites_the_decision(dti_docx: Path) -> None:
    before = dti_docx.read_bytes()
    with pytest.raises(OutputError):
        draft_rules(dti_docx, str(dti_docx))
    assert dti_docx.read_bytes() == before


def test_the_draft_text_is_the_file_written_and_loads_as_text(dti_docx: Path) -> None:
    result = draft_rules(dti_docx)  # not written: the text only
    assert result.out is None
    with pytest.raises(Exception) as refused:  # the decision's own mistake, and every to-do with it
        load_rules_text(result.text, "dti.yaml")
    codes = {p.code for p in refused.value.problems}  # type: ignore[attr-defined]
    assert codes == {"E-RULES-SUM", "W-RULES-TODO"}


def test_the_cli_json_says_what_was_drafted(dti_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "dti.yaml"
    code, stdout, _ = egov("rules", "draft", str(dti_docx), "-o", str(out), "--json")
    found = json.loads(stdout)
    assert code == 0 and out.is_file()
    drafted = (found["sections"], found["criteria"], found["valid"], found["table"], found["tables"])
    assert drafted == (4, 10, False, 1, 1)
    assert [p["code"] for p in found["problems"]] == ["E-RULES-SUM"]
    assert {p["code"] for p in found["todos"]} == {"W-RULES-TODO"} and len(found["todos"]) >= 10
    code, stdout, err = egov("rules", "draft", str(dti_docx), "--json")  # the YAML would share stdout
    assert code == 2 and "[E-USAGE]" in err and stdout == ""
    code, stdout, _ = egov("rules", "draft", str(dti_docx))  # no --out: the YAML on stdout
    assert code == 0 and yaml.safe_load(stdout)["max_total"] == 1000


def test_a_table_without_sections_or_numbers_is_drafted_with_todos() -> None:
    from egovcli.rules.draft import PrintedRow, draft_rule_set

    rows = [PrintedRow("1", "scored", "1", "Cổng thông tin hoạt động", "10", "Có: 10 điểm; Không: 0 điểm"),
            PrintedRow("", "scored", "", "Dòng in thiếu số thứ tự", "5", location="bảng 1, dòng 3, cột 3"),
            PrintedRow("TOTAL", "total", "", "Tổng cộng", "15")]
    text = draft_rule_set(rows, name="x", source="qd.docx").text
    rules = load_rules_text(text, "x.yaml")
    assert [(c.id, c.max) for c in rules.criteria] == [("I.1", 10), ("I.R1", 5)]
    todos = " | ".join(p.message for p in rules.todos)
    assert "bảng không có dòng mục I" in todos and "không thấy tên bộ tiêu chí" in todos
    assert "dòng không có số thứ tự (TT) (bảng 1, dòng 3, cột 3)" in todos
