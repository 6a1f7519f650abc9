"""Checks of a rule set as a whole: each criterion against the sections, the indicator catalogue and
the other criteria; maxima against their sums; weights and levels against max_total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from egovcli import groups
from egovcli.indicators import CATALOGUE_PATH, catalogue
from egovcli.rules.checker import FIELD, FORMULA, REFERENCE, SUM, VALUE, Checker, Node
from egovcli.rules.formulas import ANY_KIND, indicators
from egovcli.rules.model import Criterion, Reading, RuleSet

_EPS = 1e-6

Shaped = tuple[Criterion, Node, bool]  # a criterion, its mapping, whether it was read without a mistake


@cache
def catalogue_kinds() -> dict[str, str]:
    """Indicator id → kind (count | fraction | yes_no) from the validated indicator catalogue."""
    return {ind.id: ind.kind for ind in catalogue().values()}


def criterion_problems(check: Checker, criteria: Sequence[Shaped], rules: RuleSet,
                       sections_read: bool) -> None:
    """Each criterion against the others and, when they could all be read, the sections; the formula
    of each criterion read without a mistake against the catalogue and its `inputs`."""
    kinds = {**catalogue_kinds(), **{ind.id: ind.kind for ind in rules.indicators}}  # and the rule set's own
    subsections = {sub.id: s.id for s in rules.sections for sub in s.subsections}
    section_ids = {s.id for s in rules.sections} | ({rules.bonus.id} if rules.bonus else set())
    with_subsections = {s.id for s in rules.sections if s.subsections}
    seen: dict[str, Node] = {}
    for c, node, whole in criteria:
        def add(code: str, message: str) -> None:
            check.add(code, f"tiêu chí {c.id}: {message}", node)  # noqa: B023 - called within this iteration

        if c.id in seen:
            add("E-RULES-DUPLICATE-ID", f"id trùng (đã có ở dòng {check.line(seen[c.id])})")
        seen.setdefault(c.id, node)
        parent = c.subsection or c.section
        if not sections_read:
            pass
        elif c.section not in section_ids:
            add(REFERENCE, f"không có mục '{c.section}' (đã khai báo: {', '.join(sorted(section_ids))})")
        elif c.subsection and subsections.get(c.subsection) != c.section:
            add(REFERENCE, f"'{c.subsection}' không phải tiểu mục của mục {c.section}")
        elif c.section in with_subsections and not c.subsection:
            add(REFERENCE, f"mục {c.section} có tiểu mục, hãy ghi subsection")
        elif not c.id.startswith(parent + "."):
            add(REFERENCE, f"id không bắt đầu bằng mã cha '{parent}.'")
        if c.max <= 0:
            add(VALUE, "max phải dương")
        if not whole:
            continue
        needs = [*c.formula.needs()]
        if c.not_applicable_when:
            needs.append((c.not_applicable_when.indicator, ANY_KIND))
        for indicator, allowed in needs:
            if not indicator:  # a condition whose indicator could not be read: said there
                continue
            if indicator not in kinds:
                add(REFERENCE, f"không có chỉ tiêu '{indicator}' (trong {CATALOGUE_PATH.name} "
                    "hay indicators: của bộ tiêu chí)")
            elif kinds[indicator] not in allowed:
                add(FORMULA, f"chỉ tiêu '{indicator}' là loại {kinds[indicator]}, "
                    f"công thức này cần {' hoặc '.join(allowed)}")
        if list(c.inputs) != indicators(c.formula):
            add(FORMULA, f"inputs {list(c.inputs)} ≠ các chỉ tiêu công thức đọc {indicators(c.formula)}")


def reading_problems(check: Checker, data: Node, rules: RuleSet,
                     readings: Sequence[tuple[Reading, Node]]) -> None:
    """A reading names criteria (also those with a mistake: said already), headings or totals."""
    items = data.get("criteria")
    ids = {str(c.get("id")) for c in items if isinstance(c, Mapping)} if isinstance(items, list) else set()
    ids |= {h.id for h in rules.headings} | set(rules.total_ids)
    for reading, node in readings:
        for cid in reading.criteria:
            if cid not in ids:
                message = f"cách hiểu '{reading.text[:40]}…' nhắc tới tiêu chí không có '{cid}'"
                check.add(REFERENCE, message, node, "criteria")


def sum_problems(check: Checker, rules: RuleSet, nodes: Mapping[str, Node]) -> None:
    """Criteria maxima against section and subsection maxima, for each group when criteria differ: the
    groups the rule set ranks (`groups:`), else the groups criteria name and the registry's first group
    (sở, ban, ngành: every round ranks them, on the common criteria when none names them). Without
    `groups:`, another group no criterion names is not assumed to be ranked: a rule set naming
    `department` and `commune` is not checked for districts. A criterion with `counted: false` is in no
    maximum, so it is left out of these sums."""
    named = {g for c in rules.criteria for g in c.groups}
    ids = groups.ids()
    ranked = [g.id for g in rules.groups] or [g for g in ids if g in named or g == ids[0]]
    for group in ranked if named else ("",):
        mine = [c for c in rules.criteria if c.counted and (not group or c.applies(group))]
        suffix = f" của nhóm {group}" if group else ""
        for section in rules.sections:
            got = sum(c.max for c in mine if c.section == section.id)
            if abs(got - section.max) > _EPS:
                check.add(SUM, f"mục {section.id}: điểm tối đa các tiêu chí{suffix} cộng lại {got:g}, "
                          f"khai báo {section.max:g}", nodes[section.id], "max")
            for index, sub in enumerate(section.subsections):
                got = sum(c.max for c in mine if c.subsection == sub.id)
                if abs(got - sub.max) > _EPS:
                    check.add(SUM, f"tiểu mục {sub.id}: điểm tối đa các tiêu chí{suffix} cộng lại {got:g}, "
                              f"khai báo {sub.max:g}", nodes[section.id]["subsections"][index], "max")
    for section in rules.sections:
        node = nodes[section.id]
        subs = sum(sub.max for sub in section.subsections)
        if section.subsections and abs(subs - section.max) > _EPS:
            check.add(SUM, f"mục {section.id}: điểm tối đa các tiểu mục cộng lại {subs:g}, "
                      f"khai báo {section.max:g}", node, "subsections")
        if section.cap is not None and not 0 < section.cap <= section.max:
            check.add(VALUE, f"mục {section.id}: cap {section.cap:g} phải trong 0–{section.max:g} "
                      "(tổng điểm tối đa các tiêu chí)", node, "cap")


def total_problems(check: Checker, rules: RuleSet, data: Node) -> None:
    """Section maxima (or weights) against max_total. Only the sections that count add up: one with
    `counted: false` or weight 0 is computed and shown but in neither the total nor max_total. With
    `aggregate: mean` the total is the mean of the sections' indices × max_total, so their maxima
    need not add up to it."""
    ids = [s.id for s in rules.sections]
    if not rules.counted_sections:
        check.add(VALUE, "không có mục nào được tính điểm (mọi mục counted: false hoặc trọng số 0)",
                  data, "sections")
        return
    if rules.weighted or rules.precision.aggregate == "mean":  # a share divides by the section's maximum
        for section in rules.counted_sections:
            if section.effective_max <= 0:
                check.add(VALUE, f"mục {section.id}: điểm tối đa phải dương (điểm của mục được chia cho nó)",
                          data, "sections")
    if rules.weighted or data.get("weights"):  # also weights naming no section of the file
        if set(data["weights"]) != set(ids):
            check.add(FIELD, f"weights phải cho mỗi mục một số: {', '.join(ids)}", data, "weights")
        elif any(s.weight is None or s.weight < 0 for s in rules.sections):
            check.add(VALUE, "weights không được âm (trọng số 0: mục không tính điểm)", data, "weights")
        elif wrong := [s.id for s in rules.sections if not s.counted and s.weight]:
            check.add(VALUE, f"mục {', '.join(wrong)} có counted: false nhưng trọng số khác 0"
                      " (một mục không tính điểm có trọng số 0)", data, "weights")
        elif abs((total := sum(s.weight or 0.0 for s in rules.sections)) - rules.max_total) > _EPS:
            message = f"các trọng số cộng lại {total:g}, max_total là {rules.max_total:g}"
            check.add(SUM, message, data, "weights")
        return
    if rules.precision.aggregate == "mean":
        return
    total = sum(s.effective_max for s in rules.counted_sections)
    if abs(total - rules.max_total) > _EPS:
        left_out = [s.id for s in rules.sections if not s.counts]
        without = f" (không kể mục không tính điểm {', '.join(left_out)})" if left_out else ""
        message = f"điểm tối đa các mục cộng lại {total:g}{without}, max_total là {rules.max_total:g}"
        check.add(SUM, message, data, "max_total")


def level_problems(check: Checker, rules: RuleSet, data: Node) -> None:
    """Levels need a name each, distinct names and thresholds, within 0 … the highest total."""
    top = rules.max_total + (rules.bonus.cap if rules.bonus else 0.0)
    names = [lv.name for lv in rules.levels]
    if any(not n for n in names) or len(set(map(str.casefold, names))) != len(names):
        check.add(VALUE, "levels: mỗi mức cần một tên riêng, không rỗng", data, "levels")
    if len({lv.min for lv in rules.levels}) != len(rules.levels):
        check.add(VALUE, "levels: hai mức có cùng min", data, "levels")
    for lv in rules.levels:
        if not 0 <= lv.min <= top:
            check.add(VALUE, f"levels: mức {lv.name} có min {lv.min:g} nằm ngoài 0–{top:g}", data, "levels")
