"""Load a rule-set YAML file into a validated `RuleSet`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from egovcli.indicators import CATALOGUE_PATH, catalogue
from egovcli.rules.formulas import (
    Condition,
    Exemption,
    FormulaError,
    NormalisedToBest,
    indicators,
    parse_formula,
)
from egovcli.rules.model import (
    Bonus,
    Criterion,
    Heading,
    Level,
    Reading,
    RuleSet,
    RuleSetError,
    Section,
    Subsection,
)
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
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{origin}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return replace(parse_rules(data, origin, loader.lines), text=text)


Lines = Mapping[int, Mapping[str, int]]  # id(mapping) → {"": its line, key: that key's line}


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records, per mapping, its 1-based line and each key's line."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lines: dict[int, dict[str, int]] = {}

    def construct_lined_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        self.lines[id(data)] = {"": node.start_mark.line + 1} | {
            str(k.value): k.start_mark.line + 1 for k, _ in node.value
        }
        yield data
        data.update(self.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_lined_map)


@cache
def catalogue_kinds() -> dict[str, str]:
    """Indicator id → kind (count | fraction | yes_no) from the validated indicator catalogue."""
    return {ind.id: ind.kind for ind in catalogue().values()}


class _Where:
    """Prefixes messages with `file:line:` for the YAML mapping (or one of its keys) they concern."""

    def __init__(self, origin: str, lines: Lines) -> None:
        self.origin, self.lines = origin, lines

    def __call__(self, message: str, node: object = None, key: str = "") -> str:
        found = self.lines.get(id(node), {})
        line = found.get(key) or found.get("")
        return f"{self.origin}:{line}: {message}" if line else f"{self.origin}: {message}"


def parse_rules(data: Any, origin: str, lines: Lines | None = None) -> RuleSet:
    """Validate a loaded YAML mapping; every error message starts with `origin` (the file) and,
    when `lines` (from the loader) knows it, the line: "rules.yaml:42: criterion II.3.1: …"."""
    where = _Where(origin, lines or {})
    if not isinstance(data, Mapping):
        raise RuleSetError(where("the file must hold a mapping"))
    missing = [k for k in ("name", "title", "period", "max_total", "sections", "criteria") if k not in data]
    if missing:
        raise RuleSetError(where(f"missing top-level key(s): {', '.join(missing)}", data))
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise RuleSetError(where(f"unknown top-level key(s): {', '.join(map(str, unknown))}", data))
    weights = data.get("weights") or {}
    item: Any = data
    try:
        sections = []
        for item in data["sections"]:
            sections.append(_section(item, weights.get(item["id"]) if isinstance(weights, Mapping) else None))
        conditions = {}
        for name, item in (data.get("conditions") or {}).items():
            conditions[name] = _condition(name, item)
        item = data
        headings = tuple(Heading(str(h["id"]), str(h.get("tt", "")), nfc(h["label"]),
                                 nfc(h.get("formula_text"))) for h in data.get("headings") or ())
        readings = tuple(Reading(nfc(r["text"]), tuple(r.get("criteria", ())))
                         for r in data.get("readings") or ())
        bonus = _bonus(data["bonus"]) if data.get("bonus") else None
        levels = []
        for item in data.get("levels") or ():
            levels.append(Level(nfc(item["name"]).strip(), float(item["min"])))
        item = data
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        detail = f"missing key '{exc.args[0]}'" if isinstance(exc, KeyError) else repr(exc)
        message = f"malformed section, condition, heading, reading, bonus or level: {detail}"
        raise RuleSetError(where(message, item)) from exc
    criteria: list[Criterion] = []
    nodes: dict[str, object] = {}  # "#3" (the third criterion) or a section id → its YAML mapping
    for index, item in enumerate(data["criteria"], 1):
        cid = item.get("id") if isinstance(item, Mapping) else None
        try:
            criteria.append(_criterion(item, conditions))
        except (FormulaError, KeyError, TypeError, ValueError) as exc:
            raise RuleSetError(where(f"criterion {cid or f'#{index}'}: {exc}", item)) from exc
        nodes[f"#{len(criteria)}"] = item
    rules = RuleSet(
        name=str(data["name"]), title=nfc(data["title"]), period=str(data["period"]),
        max_total=float(data["max_total"]), sections=tuple(sections), criteria=tuple(criteria),
        headings=headings, conditions=tuple(conditions.values()), general_readings=readings,
        source=nfc(data.get("source")), bonus=bonus,
        levels=tuple(sorted(levels, key=lambda lv: -lv.min)),
    )
    nodes |= {str(s.get("id")): s for s in data["sections"]}
    nodes |= {str(sub.get("id")): sub for s in data["sections"] for sub in s.get("subsections") or ()}
    problems = _problems(rules, weights)
    if problems:
        raise RuleSetError("\n".join(where(message, nodes.get(about, data), key)
                                      for about, key, message in problems))
    return rules


_TOP_KEYS = {"name", "title", "period", "max_total", "sections", "criteria", "headings", "conditions",
             "readings", "source", "weights", "bonus", "levels"}


def _section(data: Mapping[str, Any], weight: Any) -> Section:
    subsections = tuple(
        Subsection(str(s["id"]), str(s.get("tt", s["id"])), nfc(s["title"]), float(s["max"]),
                   nfc(s.get("note")))
        for s in data.get("subsections") or ()
    )
    cap = data.get("cap")
    return Section(str(data["id"]), str(data.get("tt", data["id"])), nfc(data["title"]),
                   float(data["max"]), subsections, None if cap is None else float(cap),
                   None if weight is None else float(weight))


def _bonus(data: Mapping[str, Any]) -> Bonus:
    bonus = Bonus(str(data["id"]), nfc(data["title"]), float(data["cap"]))
    if bonus.cap <= 0:
        raise ValueError("bonus cap must be positive")
    return bonus


def _condition(name: str, data: Mapping[str, Any]) -> Condition:
    return Condition(name, str(data["indicator"]), float(data["equals"]), nfc(data.get("text")))


def _criterion(data: Mapping[str, Any], conditions: Mapping[str, Condition]) -> Criterion:
    unknown = sorted(set(data) - _CRITERION_KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}")
    missing = [k for k in ("id", "section", "label", "max", "formula") if k not in data]
    if missing:
        raise ValueError(f"missing key(s) {', '.join(missing)}")
    max_points = float(data["max"])
    formula = parse_formula(data["formula"], max_points, conditions)
    exempt, not_applicable = data.get("exempt_when"), data.get("not_applicable_when")
    for key, name in (("exempt_when", exempt), ("not_applicable_when", not_applicable)):
        if name and name not in conditions:
            raise ValueError(f"unknown condition {name!r} in {key} (declared: {', '.join(conditions)})")
    if exempt:  # shorthand: full points when the named condition holds, else the formula
        if isinstance(formula, NormalisedToBest):
            raise ValueError("exempt_when cannot wrap normalised_to_best: use not_applicable_when")
        formula = Exemption(conditions[exempt], formula)
    groups = tuple(str(g) for g in data.get("groups") or ())
    if unknown_groups := [g for g in groups if g not in GROUPS]:
        raise ValueError(f"unknown group(s) {', '.join(unknown_groups)} (known: {', '.join(GROUPS)})")
    return Criterion(
        id=str(data["id"]), tt=str(data.get("tt", "")), section=str(data["section"]),
        subsection=str(data.get("subsection") or ""), label=nfc(data["label"]),
        formula_text=nfc(data.get("formula_text")), max=max_points, formula=formula,
        inputs=tuple(data.get("inputs") or ()), reading=nfc(data.get("reading")), groups=groups,
        not_applicable_when=conditions[not_applicable] if not_applicable else None,
    )


GROUPS = ("department", "district")
_CRITERION_KEYS = {"id", "tt", "section", "subsection", "label", "formula_text", "max", "formula",
                   "inputs", "reading", "exempt_when", "not_applicable_when", "groups"}

Problem = tuple[str, str, str]  # ("#n" criterion, section id or "" for the file; key in it; message)


def _problems(rules: RuleSet, weights: object) -> list[Problem]:
    """Everything wrong with a parsed rule set, first problem first."""
    problems: list[Problem] = []
    kinds = catalogue_kinds()
    subsections = {sub.id: s.id for s in rules.sections for sub in s.subsections}
    section_ids = {s.id for s in rules.sections} | ({rules.bonus.id} if rules.bonus else set())
    seen: set[str] = set()
    for index, c in enumerate(rules.criteria, 1):
        def add(message: str, criterion: Criterion = c, about: str = f"#{index}") -> None:
            problems.append((about, "", f"criterion {criterion.id}: {message}"))

        if c.id in seen:
            add("duplicate id")
        seen.add(c.id)
        parent = c.subsection or c.section
        if c.section not in section_ids:
            add(f"unknown section '{c.section}' (declared: {', '.join(sorted(section_ids))})")
        elif c.subsection and subsections.get(c.subsection) != c.section:
            add(f"'{c.subsection}' is not a subsection of section {c.section}")
        elif not c.id.startswith(parent + "."):
            add(f"id does not start with its parent '{parent}.'")
        if c.max <= 0:
            add("max must be positive")
        needs = [*c.formula.needs()]
        if c.not_applicable_when:
            needs.append((c.not_applicable_when.indicator, ("count", "yes_no", "fraction")))
        for indicator, allowed in needs:
            if indicator not in kinds:
                add(f"unknown indicator '{indicator}' (not in {CATALOGUE_PATH.name})")
            elif kinds[indicator] not in allowed:
                add(f"indicator '{indicator}' is a {kinds[indicator]}, "
                    f"this formula needs {' or '.join(allowed)}")
        if list(c.inputs) != indicators(c.formula):
            add(f"inputs {list(c.inputs)} ≠ indicators read by the formula {indicators(c.formula)}")
    problems += _sum_problems(rules)
    problems += _total_problems(rules, weights)
    ids = seen | {h.id for h in rules.headings} | set(rules.total_ids)
    problems += _level_problems(rules)
    problems += [("", "readings", f"reading '{r.text[:40]}…' names unknown criterion '{cid}'")
                 for r in rules.general_readings for cid in r.criteria if cid not in ids]
    return problems


def _level_problems(rules: RuleSet) -> list[Problem]:
    """Levels need a name each, distinct names and thresholds, within 0 … the highest total."""
    top = rules.max_total + (rules.bonus.cap if rules.bonus else 0.0)
    names = [lv.name for lv in rules.levels]
    problems: list[Problem] = []
    if any(not n for n in names) or len(set(map(str.casefold, names))) != len(names):
        problems.append(("", "levels", "levels: every level needs its own non-empty name"))
    if len({lv.min for lv in rules.levels}) != len(rules.levels):
        problems.append(("", "levels", "levels: two levels have the same min"))
    problems += [("", "levels", f"levels: {lv.name} min {lv.min:g} is outside 0–{top:g}")
                 for lv in rules.levels if not 0 <= lv.min <= top]
    return problems


def _sum_problems(rules: RuleSet) -> list[Problem]:
    """Criteria maxima against section and subsection maxima, for each group when criteria differ."""
    problems: list[Problem] = []
    split = any(c.groups for c in rules.criteria)
    for group in GROUPS if split else ("",):
        mine = [c for c in rules.criteria if not group or c.applies(group)]
        suffix = f" for {group}s" if group else ""
        for section in rules.sections:
            got = sum(c.max for c in mine if c.section == section.id)
            if abs(got - section.max) > _EPS:
                problems.append((section.id, "max", f"section {section.id}: criteria maxima{suffix} sum to "
                                                    f"{got:g}, declared {section.max:g}"))
            for sub in section.subsections:
                got = sum(c.max for c in mine if c.subsection == sub.id)
                if abs(got - sub.max) > _EPS:
                    message = (f"subsection {sub.id}: criteria maxima{suffix} sum to {got:g}, "
                               f"declared {sub.max:g}")
                    problems.append((sub.id, "max", message))
    for section in rules.sections:
        if section.subsections:
            subs = sum(sub.max for sub in section.subsections)
            if abs(subs - section.max) > _EPS:
                problems.append((section.id, "subsections", f"section {section.id}: subsection maxima sum "
                                                            f"to {subs:g}, declared {section.max:g}"))
            orphans = [(i, c.id) for i, c in enumerate(rules.criteria, 1)
                       if c.section == section.id and not c.subsection]
            if orphans:
                index, cid = orphans[0]
                problems.append((f"#{index}", "", f"criterion {cid}: section {section.id} has subsections, "
                                                  "give one"))
        if section.cap is not None and not 0 < section.cap <= section.max:
            problems.append((section.id, "cap", f"section {section.id}: cap {section.cap:g} must be within "
                                                f"0–{section.max:g} (the criteria maxima)"))
    return problems


def _total_problems(rules: RuleSet, weights: object) -> list[Problem]:
    """Section maxima (or weights) against max_total."""
    if weights:
        ids = [s.id for s in rules.sections]
        if not isinstance(weights, Mapping) or set(map(str, weights)) != set(ids):
            return [("", "weights", f"weights must give one number per section: {', '.join(ids)}")]
        if any(s.weight is None or s.weight <= 0 for s in rules.sections):
            return [("", "weights", "weights must be positive")]
        total = sum(s.weight or 0.0 for s in rules.sections)
        if abs(total - rules.max_total) > _EPS:
            return [("", "weights", f"section weights sum to {total:g}, max_total is {rules.max_total:g}")]
        return []
    total = sum(s.effective_max for s in rules.sections)
    if abs(total - rules.max_total) > _EPS:
        return [("", "max_total", f"section maxima sum to {total:g}, max_total is {rules.max_total:g}")]
    return []
