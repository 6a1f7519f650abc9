"""A rule set's criteria: each YAML mapping of `criteria:` read into a `Criterion`, after saying
everything wrong with it (unknown keys, references, its formula and bands, a draft's to-dos)."""

from __future__ import annotations

from collections.abc import Mapping

from egovcli import groups as agency_groups
from egovcli.problems import at_line
from egovcli.rules.checker import FIELD, FORMULA, REFERENCE, Checker, Node
from egovcli.rules.consistency import Shaped
from egovcli.rules.formula_parser import band_problems, parse_formula
from egovcli.rules.formulas import Condition, Exemption, Formula, FormulaError, Manual, NormalisedToBest
from egovcli.rules.model import Criterion
from egovcli.textnorm import nfc


def read_max(check: Checker, node: Node, about: str) -> float:
    """The `max` of a section, subsection or criterion (0 when unreadable: the file is refused anyway)."""
    return check.need(node, "max", "number", about) or 0.0


_CRITERION_KEYS = {"id", "tt", "section", "subsection", "label", "formula_text", "max", "formula",
                   "inputs", "reading", "exempt_when", "not_applicable_when", "groups",
                   "evidence", "data_source", "draft_formula", "todo", "counted"}
_SHAPE_KEYS = ("id", "section", "subsection", "max", "groups", "counted")  # what sums and parents are made of


def read_criteria(check: Checker, data: Node, conditions: Mapping[str, Condition],
              ranked: tuple[agency_groups.Group, ...]) -> tuple[list[Shaped], bool]:
    """Each criterion whose id, section, subsection, max and groups could be read; whether all could."""
    criteria: list[Shaped] = []
    entries = check.entries(data, "criteria", "tiêu chí", required=True)
    for index, node in entries:
        before = len(check.problems)
        criterion = _criterion(check, node, index, conditions, ranked)
        if check.readable(node, *_SHAPE_KEYS):
            criteria.append((criterion, node, len(check.problems) == before))
    return criteria, check.readable(data, "criteria") and len(criteria) == len(entries)


def _criterion(check: Checker, node: Node, index: int, conditions: Mapping[str, Condition],
               ranked: tuple[agency_groups.Group, ...]) -> Criterion:
    """The criterion of one YAML mapping, after saying everything wrong with it (a formula with a
    mistake is read as `manual`: the file is refused anyway)."""
    cid = check.need(node, "id", "name", f"tiêu chí thứ {index}: ")
    about = f"tiêu chí {cid}: " if cid else f"tiêu chí thứ {index}: "
    check.keys(node, _CRITERION_KEYS, about)
    check.todo(node, about)
    evidence, data_source = (check.get(node, k, "text", about) for k in ("evidence", "data_source"))
    section, label = check.need(node, "section", "name", about), check.need(node, "label", "text", about)
    subsection = check.get(node, "subsection", "name", about) if node.get("subsection") != "" else ""
    tt, formula_text, reading = (check.get(node, k, "text", about) for k in ("tt", "formula_text", "reading"))
    inputs, groups = check.get(node, "inputs", "names", about), check.get(node, "groups", "names", about)
    exempt, not_applicable = (check.get(node, k, "name", about) for k in ("exempt_when",
                                                                          "not_applicable_when"))
    for key, name in (("exempt_when", exempt), ("not_applicable_when", not_applicable)):
        if name and name not in conditions:
            declared = ", ".join(conditions)
            check.add(REFERENCE, f"{about}{key}: không có điều kiện '{name}' (đã khai báo: {declared})", node)
    known = tuple(g.id for g in ranked) or agency_groups.ids()
    if unknown := [g for g in groups or () if g not in known]:
        message = f"{about}nhóm không biết: {', '.join(unknown)} (các nhóm: {', '.join(known)})"
        check.add(REFERENCE, message, node)
    max_points = read_max(check, node, about)
    _draft_formula(check, node, about, conditions)
    return Criterion(
        id=cid or "", tt=tt or "", section=section or "", subsection=subsection or "", label=nfc(label),
        formula_text=nfc(formula_text), max=max_points,
        formula=_formula(check, node, about, conditions, exempt) or Manual(), inputs=inputs or (),
        reading=nfc(reading), groups=groups or (),
        not_applicable_when=conditions.get(not_applicable) if not_applicable else None,
        evidence=nfc(evidence), data_source=nfc(data_source),
        counted=check.get(node, "counted", "flag", about) is not False,
    )


def _draft_formula(check: Checker, node: Node, about: str, conditions: Mapping[str, Condition]) -> None:
    """A drafted formula not yet in use (`egov rules draft`: its indicators still "?"): checked for
    its shape only, never scored, and a to-do until it becomes the criterion's `formula`."""
    if node.get("draft_formula") is None or not check.readable(node, "max"):
        return
    try:
        parse_formula(node["draft_formula"], float(node["max"]), conditions)
    except FormulaError as exc:
        check.add(FORMULA, f"{about}draft_formula: {exc}", node, "draft_formula")
    if node.get("todo") is None:
        message = f"{about}còn phải làm: draft_formula chưa được dùng (chọn chỉ tiêu, chuyển thành formula)"
        line = check.lines.get(id(node), {}).get("draft_formula")
        check.todos.append(at_line("W-RULES-TODO", check.origin, line, message))


def _formula(check: Checker, node: Node, about: str, conditions: Mapping[str, Condition],
             exempt: str | None) -> Formula | None:
    """The criterion's formula (within its exempt_when condition), or None after saying why not."""
    if node.get("formula") is None:
        check.add(FIELD, f"{about}thiếu khóa 'formula'", node)
        return None
    if not check.readable(node, "max"):
        return None  # its bands and answers are checked against max, once max is right
    try:
        formula = parse_formula(node["formula"], float(node["max"]), conditions)
    except FormulaError as exc:
        check.add(FORMULA, f"{about}{exc}", node)
        return None
    for message, band in band_problems(formula, node["formula"]):  # each dead band, at its own line
        check.add("E-RULES-BANDS", f"{about}{message}", band)
    if not exempt or exempt not in conditions:
        return formula
    if isinstance(formula, NormalisedToBest):
        check.add(FORMULA, f"{about}exempt_when không dùng được với normalised_to_best;"
                           " dùng not_applicable_when", node)
        return None
    return Exemption(conditions[exempt], formula)  # full points when the condition holds, else the formula
