"""Load a rule-set YAML file into a validated `RuleSet`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from egovcli.indicators import CATALOGUE_PATH, catalogue
from egovcli.rules.formulas import Condition, Exemption, FormulaError, indicators, parse_formula
from egovcli.rules.model import Criterion, Heading, Reading, RuleSet, RuleSetError, Section, Subsection
from egovcli.textnorm import nfc

RULES_DIR = Path(__file__).parent
_EPS = 1e-6


def list_rules() -> list[str]:
    """Names of the rule sets shipped with egov."""
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def load_rules(name_or_path: str) -> RuleSet:
    """Load a shipped rule set by name ("hanam-2022") or any rule-set YAML file by path."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = RULES_DIR / f"{name_or_path}.yaml"
        if not path.is_file():
            raise RuleSetError(f"unknown rule set '{name_or_path}' (shipped: {', '.join(list_rules())})")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleSetError(f"{path}: cannot read rule set: {exc}") from exc
    return load_rules_text(text, str(path))


def load_rules_text(text: str, origin: str) -> RuleSet:
    """Load a rule set from its YAML text (e.g. the copy stored with a scoring run)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{origin}: not valid YAML: {exc}") from exc
    return replace(parse_rules(data, origin), text=text)


@cache
def catalogue_kinds() -> dict[str, str]:
    """Indicator id → kind (count | fraction | yes_no) from the validated indicator catalogue."""
    return {ind.id: ind.kind for ind in catalogue().values()}


def parse_rules(data: Any, origin: str) -> RuleSet:
    """Validate a loaded YAML mapping; `origin` (the file) prefixes every error message."""

    def fail(message: str) -> RuleSetError:
        return RuleSetError(f"{origin}: {message}")

    if not isinstance(data, Mapping):
        raise fail("the file must hold a mapping")
    missing = [k for k in ("name", "title", "period", "max_total", "sections", "criteria") if k not in data]
    if missing:
        raise fail(f"missing top-level key(s): {', '.join(missing)}")
    try:
        sections = tuple(_section(s) for s in data["sections"])
        conditions = {name: _condition(name, c) for name, c in (data.get("conditions") or {}).items()}
        headings = tuple(Heading(str(h["id"]), str(h.get("tt", "")), nfc(h["label"]),
                                 nfc(h.get("formula_text"))) for h in data.get("headings") or ())
        readings = tuple(Reading(nfc(r["text"]), tuple(r.get("criteria", ())))
                         for r in data.get("readings") or ())
    except (KeyError, TypeError, ValueError) as exc:
        raise fail(f"malformed section, condition, heading or reading: {exc!r}") from exc
    criteria: list[Criterion] = []
    for index, item in enumerate(data["criteria"], 1):
        cid = item.get("id") if isinstance(item, Mapping) else None
        try:
            criteria.append(_criterion(item, conditions))
        except (FormulaError, KeyError, TypeError, ValueError) as exc:
            raise fail(f"criterion {cid or f'#{index}'}: {exc}") from exc
    rules = RuleSet(
        name=str(data["name"]), title=nfc(data["title"]), period=str(data["period"]),
        max_total=float(data["max_total"]), sections=sections, criteria=tuple(criteria),
        headings=headings, conditions=tuple(conditions.values()), general_readings=readings,
        source=nfc(data.get("source")),
    )
    problems = _problems(rules)
    if problems:
        raise RuleSetError("\n".join(f"{origin}: {message}" for message in problems))
    return rules


def _section(data: Mapping[str, Any]) -> Section:
    subsections = tuple(
        Subsection(str(s["id"]), str(s.get("tt", s["id"])), nfc(s["title"]), float(s["max"]),
                   nfc(s.get("note")))
        for s in data.get("subsections") or ()
    )
    return Section(str(data["id"]), str(data.get("tt", data["id"])), nfc(data["title"]),
                   float(data["max"]), subsections)


def _condition(name: str, data: Mapping[str, Any]) -> Condition:
    return Condition(name, str(data["indicator"]), float(data["equals"]), nfc(data.get("text")))


def _criterion(data: Mapping[str, Any], conditions: Mapping[str, Condition]) -> Criterion:
    known = {"id", "tt", "section", "subsection", "label", "formula_text", "max", "formula",
             "inputs", "reading", "exempt_when"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}")
    missing = [k for k in ("id", "section", "label", "max", "formula") if k not in data]
    if missing:
        raise ValueError(f"missing key(s) {', '.join(missing)}")
    max_points = float(data["max"])
    formula = parse_formula(data["formula"], max_points, conditions)
    exempt = data.get("exempt_when")
    if exempt:  # shorthand: full points when the named condition holds, else the formula
        if exempt not in conditions:
            raise ValueError(f"unknown condition {exempt!r} in exempt_when")
        formula = Exemption(conditions[exempt], formula)
    return Criterion(
        id=str(data["id"]), tt=str(data.get("tt", "")), section=str(data["section"]),
        subsection=str(data.get("subsection") or ""), label=nfc(data["label"]),
        formula_text=nfc(data.get("formula_text")), max=max_points, formula=formula,
        inputs=tuple(data.get("inputs") or ()), reading=nfc(data.get("reading")),
    )


def _problems(rules: RuleSet) -> list[str]:
    """Everything wrong with a parsed rule set, first problem first."""
    problems: list[str] = []
    kinds = catalogue_kinds()
    subsections = {sub.id: s.id for s in rules.sections for sub in s.subsections}
    seen: set[str] = set()
    for c in rules.criteria:
        where = f"criterion {c.id}"
        if c.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(c.id)
        parent = c.subsection or c.section
        if c.section not in {s.id for s in rules.sections}:
            problems.append(f"{where}: unknown section '{c.section}'")
        elif c.subsection and subsections.get(c.subsection) != c.section:
            problems.append(f"{where}: '{c.subsection}' is not a subsection of section {c.section}")
        elif not c.id.startswith(parent + "."):
            problems.append(f"{where}: id does not start with its parent '{parent}.'")
        if c.max <= 0:
            problems.append(f"{where}: max must be positive")
        for indicator, allowed in c.formula.needs():
            if indicator not in kinds:
                problems.append(f"{where}: unknown indicator '{indicator}' (not in {CATALOGUE_PATH.name})")
            elif kinds[indicator] not in allowed:
                problems.append(f"{where}: indicator '{indicator}' is a {kinds[indicator]}, "
                                f"this formula needs {' or '.join(allowed)}")
        if list(c.inputs) != indicators(c.formula):
            problems.append(f"{where}: inputs {list(c.inputs)} ≠ indicators read by the formula "
                            f"{indicators(c.formula)}")
    problems += _sum_problems(rules)
    ids = seen | {h.id for h in rules.headings} | set(rules.total_ids)
    problems += [f"reading '{r.text[:40]}…' names unknown criterion '{cid}'"
                 for r in rules.general_readings for cid in r.criteria if cid not in ids]
    return problems


def _sum_problems(rules: RuleSet) -> list[str]:
    problems = []
    for section in rules.sections:
        got = sum(c.max for c in rules.criteria if c.section == section.id)
        if abs(got - section.max) > _EPS:
            problems.append(f"section {section.id}: criteria maxima sum to {got:g}, declared {section.max:g}")
        if section.subsections:
            subs = sum(sub.max for sub in section.subsections)
            if abs(subs - section.max) > _EPS:
                problems.append(f"section {section.id}: subsection maxima sum to {subs:g}, "
                                f"declared {section.max:g}")
            orphans = [c.id for c in rules.criteria if c.section == section.id and not c.subsection]
            if orphans:
                problems.append(f"criterion {orphans[0]}: section {section.id} has subsections, give one")
        for sub in section.subsections:
            got = sum(c.max for c in rules.criteria if c.subsection == sub.id)
            if abs(got - sub.max) > _EPS:
                problems.append(f"subsection {sub.id}: criteria maxima sum to {got:g}, declared {sub.max:g}")
    total = sum(s.max for s in rules.sections)
    if abs(total - rules.max_total) > _EPS:
        problems.append(f"section maxima sum to {total:g}, max_total is {rules.max_total:g}")
    return problems
