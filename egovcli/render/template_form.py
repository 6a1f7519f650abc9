"""The submission form (mẫu báo cáo) of one rule set and agency group, which agencies fill in and send
back: the figures the group's criteria read (TT, chỉ tiêu, đơn vị tính, giá trị, minh chứng), then the
criteria table (TT, tiêu chí, điểm tối đa, cách tính, điểm tự đánh giá, minh chứng). As .xlsx (a sheet
each, with data validation and the labels protected) or .docx (a table each).

The form is made to be read back: every figure's label is one the rule set's indicator matcher maps
to that very indicator (the catalogue's name or alias, or the rule set's own `indicators:`), and every
TT is printed so that the criteria table's rows rebuild the criteria ids (`ingest.layout.criteria`):
roman sections ("I") and subsections ("II.1") set the prefix the numbered rows under them ("3.1")
extend; a rule set numbered without roman sections ("2.1.3") prints each id in full. No line outside
the two tables holds a colon, so nothing but the agency's name is read as a "label: value" pair.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from egovcli import groups
from egovcli.indicators import Matcher
from egovcli.ingest.layout.records import SECTION
from egovcli.problems import UsageError
from egovcli.render import docx_page
from egovcli.render.atomic import OutputError, Protected, atomic_path, check_target
from egovcli.render.fixedzip import FIXED_TIME, normalised_zip
from egovcli.render.summary import criterion_sort_key
from egovcli.rules.formulas import Categorical, Formula, Manual
from egovcli.rules.model import Criterion, RuleSet, Section
from egovcli.textnorm import key, vi_number

AGENCY_LABEL = "Tên cơ quan, đơn vị"  # read as the agency (`ingest.layout.identity`), never as data
DATA_HEADER = ("TT", "Chỉ tiêu", "Đơn vị tính", "Giá trị", "Minh chứng", "Dùng cho tiêu chí")
CRITERIA_HEADER = ("TT", "Nội dung tiêu chí", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng",
                   "Điểm tự đánh giá", "Minh chứng")
SELF_COLUMN = CRITERIA_HEADER.index("Điểm tự đánh giá")
YES, NO = "Có", "Không"
FORMATS = (".xlsx", ".docx")
_MANUAL = "Tự đánh giá theo minh chứng"  # a criterion with neither printed wording nor a formula to read


@dataclass(frozen=True, slots=True)
class FormFigure:
    """One figure the form asks for: its row number, the indicator it is read into, the label it is
    printed with (one the matcher maps to `indicator`), the unit, the kind (count | fraction | yes_no)
    and, for an answer chosen from a list, the answers; the criteria that read it."""

    tt: str
    indicator: str
    label: str
    unit: str
    kind: str
    answers: tuple[str, ...]
    criteria: tuple[str, ...]

    @property
    def hint(self) -> str:
        """How to write the value, for the person filling the form in."""
        if self.answers:
            return "Chọn một trong: " + "; ".join(self.answers)
        if self.kind == "fraction":
            return "Ghi dạng a/b (ví dụ 45/50) hoặc phần trăm (90%)"
        return "Ghi một số ≥ 0, không ghi đơn vị"


@dataclass(frozen=True, slots=True)
class FormRow:
    """One row of the criteria table: `kind` section | subsection | heading | criterion; `criterion`
    the id it is read back into ("" for a heading); `max` None where nothing is scored."""

    tt: str
    criterion: str
    kind: str
    label: str
    max: float | None
    method: str
    evidence: str
    counted: bool = True


@dataclass(frozen=True, slots=True)
class SubmissionForm:
    """The form of one rule set for one agency group and period (`egov template`)."""

    rules: str
    rules_title: str
    group: str
    group_label: str
    period: str
    figures: tuple[FormFigure, ...]
    rows: tuple[FormRow, ...]

    @property
    def title(self) -> str:
        word = "NĂM" if self.period.isdigit() else "KỲ"
        return f"PHIẾU BÁO CÁO SỐ LIỆU VÀ TỰ ĐÁNH GIÁ {word} {self.period}"

    @property
    def subtitle(self) -> str:
        # a colon here would make the line a "label: value" pair when the form is read back
        return f"({self.rules_title.replace(':', ' —')} — dành cho {self.group_label})"


def find_group(rules: RuleSet, group: str) -> groups.Group:
    """The rule set's group named by its id, its title or one of its aliases; UsageError naming the
    groups it has otherwise."""
    wanted = key(group)
    for found in rules.ranked_groups:
        if wanted in (key(found.id), key(found.label), *(key(a) for a in found.aliases)):
            return found
    names = ", ".join(f"{g.id} ({g.label})" for g in rules.ranked_groups)
    raise UsageError(f"bộ tiêu chí {rules.name} không có nhóm '{group}'; các nhóm: {names}.",
                     message_en=f"rule set {rules.name} has no group '{group}'; its groups: {names}.")


def submission_form(rules: RuleSet, group: str, period: str | None = None) -> SubmissionForm:
    """The form agencies of `group` fill in under `rules` for `period` (default: the rule set's)."""
    found = find_group(rules, group)
    criteria = [c for c in rules.criteria if c.applies(found.id)]
    return SubmissionForm(rules.name, rules.title, found.id, found.label, period or rules.period,
                          _figures(rules, criteria), _rows(rules, criteria))


def _needs(criterion: Criterion) -> list[str]:
    """The indicators a criterion reads: its formula's, its exemption's condition, its `inputs`."""
    found = [i for i, _ in criterion.formula.needs()]
    if criterion.not_applicable_when is not None:
        found.append(criterion.not_applicable_when.indicator)
    return [*found, *criterion.inputs]


def _answers(formula: Formula, indicator: str) -> tuple[str, ...]:
    """The printed answers of a categorical formula reading `indicator` (its catch-all left out)."""
    if isinstance(formula, Categorical) and formula.input == indicator:
        return tuple(a.answer for a in formula.answers if not a.otherwise and a.answer)
    return ()


def _figures(rules: RuleSet, criteria: list[Criterion]) -> tuple[FormFigure, ...]:
    matcher = Matcher(extra=rules.indicators)
    users: dict[str, list[str]] = {}
    answers: dict[str, tuple[str, ...]] = {}
    for c in criteria:
        for indicator in _needs(c):
            users.setdefault(indicator, [])
            if c.id not in users[indicator]:
                users[indicator].append(c.id)
            answers[indicator] = answers.get(indicator) or _answers(c.formula, indicator)
    out = []
    for number, (indicator, used_by) in enumerate(users.items(), start=1):
        known = matcher.known[indicator]
        label = next((text for text in (known.name, *known.aliases)
                      if matcher.match(text).indicator == indicator), None)
        if label is None:  # the catalogue's own check keeps an alias to one indicator: never expected
            raise OutputError(f"chỉ số {indicator} không có nhãn nào đọc lại đúng chỉ số đó.")
        kind_answers = answers[indicator] or ((YES, NO) if known.kind == "yes_no" else ())
        unit = "%" if known.kind == "fraction" else "" if known.kind == "yes_no" else known.unit
        out.append(FormFigure(str(number), indicator, label, unit, known.kind, kind_answers, tuple(used_by)))
    return tuple(out)


def _method(c: Criterion) -> str:
    if c.formula_text:
        return c.formula_text
    return _MANUAL if isinstance(c.formula, Manual) else f"Theo công thức {c.formula.type}"


def _rows(rules: RuleSet, criteria: list[Criterion]) -> tuple[FormRow, ...]:
    """The criteria table: each section, its subsections, headings and the group's criteria in rule
    order, each TT the one that reads back into its id (see the module doc)."""
    applicable = {c.id for c in criteria}
    out: list[FormRow] = []
    for section in rules.sections:
        mine = [c for c in criteria if c.section == section.id]
        if not mine:
            continue
        roman = bool(SECTION.match(section.id))
        out.append(FormRow(section.id if roman else section.id, "", "section", section.title,
                           _section_max(section, mine), "", "", section.counts))
        items: list[tuple[str, str, object]] = [(c.id, "criterion", c) for c in mine]
        items += [(s.id, "subsection", s) for s in section.subsections
                  if any(c.subsection == s.id for c in mine)]
        items += [(h.id, "heading", h) for h in rules.headings
                  if h.id.startswith(f"{section.id}.") and any(i.startswith(f"{h.id}.") for i in applicable)]
        prefix = section.id
        for item_id, kind, item in sorted(items, key=lambda i: criterion_sort_key(i[0])):
            if kind == "subsection":
                prefix = item_id
                out.append(FormRow(item_id, "", "subsection", item.title,  # type: ignore[attr-defined]
                                   sum(c.max for c in mine if c.subsection == item_id), "", ""))
                continue
            tt = item_id[len(prefix) + 1:] if roman else item_id
            if kind == "heading":
                out.append(FormRow(tt, "", "heading", item.label, None,  # type: ignore[attr-defined]
                                   item.formula_text, ""))  # type: ignore[attr-defined]
            else:
                assert isinstance(item, Criterion)
                out.append(FormRow(tt, item.id, "criterion", item.label, item.max, _method(item),
                                   item.evidence, item.counted and section.counts))
    return tuple(out)


def _section_max(section: Section, mine: list[Criterion]) -> float:
    """The most the group can get in the section: the section's maximum, or the sum of the maxima of
    its criteria that apply when some apply to other groups only."""
    return section.max if len({c.groups for c in mine}) <= 1 and not mine[0].groups else sum(
        c.max for c in mine)


def check_form_target(target: str | os.PathLike[str], protected: Protected | None = None) -> str:
    """The format (".xlsx" / ".docx") of a form written to `target`, after checking it."""
    check_target(target, protected)
    suffix = Path(target).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"'{os.fspath(target)}': mẫu báo cáo được ghi ra tệp .xlsx hoặc .docx.",
                          code="E-OUTPUT-FORMAT",
                          message_en=f"'{os.fspath(target)}': the form is written to a .xlsx or .docx file.")
    return suffix


def write_form(
    form: SubmissionForm, target: str | os.PathLike[str], protected: Protected | None = None
) -> None:
    """Write the form to `target` (.xlsx or .docx by its name), atomically and deterministically."""
    if check_form_target(target, protected) == ".docx":
        _write_docx(form, target, protected)
    else:
        _write_xlsx(form, target, protected)


def _points(value: float | None) -> str:
    return "" if value is None else vi_number(value)


def criteria_cells(row: FormRow) -> list[object]:
    """A criteria row's cells, in CRITERIA_HEADER's order: the points to fill in and the agency's
    evidence blank; the maximum a number."""
    label = row.label + ("" if row.counted or row.kind == "heading" else " (không tính điểm)")
    return [row.tt, label, row.max, row.method, row.evidence, "", ""]


def _write_docx(form: SubmissionForm, target: str | os.PathLike[str], protected: Protected | None) -> None:
    document = docx_page.new_document(landscape=True, title=form.title, output=False)
    docx_page.paragraph(document, form.title, bold=True, center=True, size=14)
    docx_page.paragraph(document, form.subtitle, italic=True, center=True, after=6)
    docx_page.paragraph(document, f"{AGENCY_LABEL}: ", after=6)
    docx_page.paragraph(document, "I. SỐ LIỆU", bold=True, after=3)
    data = [[f.tt, f.label, f.unit, "", "", ", ".join(f.criteria)] for f in form.figures]
    docx_page.table(document, DATA_HEADER, data, (10, 95, 22, 35, 55, 35), size=11)
    docx_page.paragraph(document, "Cột «Giá trị» — số ghi không kèm đơn vị; tỷ lệ ghi dạng a/b hoặc phần"
                        " trăm; câu trả lời Có hoặc Không.", italic=True, size=11, before=3, after=6)
    docx_page.paragraph(document, "II. TỰ ĐÁNH GIÁ", bold=True, after=3)
    bold = [i for i, row in enumerate(form.rows) if row.kind in ("section", "subsection")]
    cells = [[_points(v) if isinstance(v, float) or v is None else str(v) for v in criteria_cells(r)]
             for r in form.rows]
    docx_page.table(document, CRITERIA_HEADER, cells, (11, 70, 16, 60, 35, 20, 40), size=11,
                    right=(False, False, True, False, False, True), bold_rows=bold)
    docx_page.save(document, target, protected)


def _write_xlsx(form: SubmissionForm, target: str | os.PathLike[str], protected: Protected | None) -> None:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.creator = "egov"
    book.properties.title = form.title
    book.properties.created = FIXED_TIME
    font = Font(name=docx_page.FONT, size=12)
    bold = Font(name=docx_page.FONT, size=12, bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    blank = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in
    editable = Protection(locked=False)

    def table(sheet: object, start: int, header: tuple[str, ...], rows: list[list[object]],
              widths: tuple[int, ...], inputs: tuple[int, ...], strong: set[int]) -> None:
        for column, (name, width) in enumerate(zip(header, widths, strict=True), start=1):
            cell = sheet.cell(start, column, name)  # type: ignore[attr-defined]
            cell.font, cell.border, cell.alignment = bold, box, Alignment(wrap_text=True, horizontal="center")
            sheet.column_dimensions[cell.column_letter].width = width  # type: ignore[attr-defined]
        for offset, values in enumerate(rows, start=1):
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(start + offset, column, value if value != "" else None)  # type: ignore[attr-defined]
                cell.font = bold if offset - 1 in strong else font
                cell.border, cell.alignment = box, wrap
                cell.number_format = "@" if column == 1 else "General"  # TT "1.1" stays text
                if column in inputs:
                    cell.fill, cell.protection = blank, editable
        sheet.freeze_panes = sheet.cell(start + 1, 1)  # type: ignore[attr-defined]
        sheet.print_title_rows = f"{start}:{start}"  # type: ignore[attr-defined]

    data = book.active
    data.title = "Số liệu"
    data["A1"], data["A2"] = form.title, form.subtitle
    data["A1"].font, data["A2"].font = Font(name=docx_page.FONT, size=14, bold=True), font
    data["A4"], data["A4"].font = f"{AGENCY_LABEL}:", bold
    data["B4"].fill, data["B4"].protection, data["B4"].font = blank, editable, font
    start = 6
    figures: list[list[object]] = [[f.tt, f.label, f.unit, "", "", ", ".join(f.criteria)]
                                   for f in form.figures]
    table(data, start, DATA_HEADER, figures, (6, 60, 12, 16, 36, 18), (4, 5), set())
    for number, figure in enumerate(form.figures, start=start + 1):
        cell = f"D{number}"
        if figure.kind == "fraction":  # "4/5" typed into a General cell would become the 4th of May
            data[cell].number_format = "@"
        listed = ",".join(figure.answers)
        if figure.answers and len(listed) < 250 and not any("," in a for a in figure.answers):
            rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        elif figure.kind == "count":
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                  allow_blank=True)
        else:
            rule = DataValidation(allow_blank=True)  # "45/50", "90%": text, described in the prompt
        rule.error = rule.prompt = figure.hint
        rule.errorTitle = rule.promptTitle = "Giá trị"
        rule.showInputMessage = rule.showErrorMessage = True
        rule.add(cell)
        data.add_data_validation(rule)
    scores = book.create_sheet("Tự đánh giá")
    scores["A1"], scores["A1"].font = form.title, Font(name=docx_page.FONT, size=14, bold=True)
    strong = {i for i, row in enumerate(form.rows) if row.kind in ("section", "subsection")}
    table(scores, 3, CRITERIA_HEADER, [criteria_cells(r) for r in form.rows], (8, 60, 10, 50, 30, 12, 30),
          (SELF_COLUMN + 1, SELF_COLUMN + 2), strong)
    letter = "ABCDEFG"[SELF_COLUMN]
    for number, row in enumerate(form.rows, start=4):
        cell = scores[f"{letter}{number}"]
        if row.kind != "criterion" or row.max is None:  # section totals: egov adds them up itself
            cell.fill, cell.protection = PatternFill(), Protection(locked=True)
            continue
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=f"{row.max:g}",
                              allow_blank=True)
        hint = f"Điểm từ 0 đến {vi_number(row.max)}"
        rule.error = rule.prompt = hint
        rule.errorTitle = rule.promptTitle = "Điểm tự đánh giá"
        rule.showInputMessage = rule.showErrorMessage = True
        rule.add(cell.coordinate)
        scores.add_data_validation(rule)
    for sheet in (data, scores):
        sheet.protection.sheet = True  # the labels, maxima and rules stay as printed; no password
        sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    payload = normalised_zip(buffer.getvalue())
    with atomic_path(target, protected) as tmp:
        tmp.write_bytes(payload)
