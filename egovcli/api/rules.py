"""Rule sets for scripts and `egov rules`: the shipped sets, one set as a table, a set's outline.

Loading and validating a set is `egovcli.rules.load_rules` (re-exported by `egovcli.api`): a file
with mistakes raises one `RuleSetError` listing them all, by line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from egovcli.api.outputs import protected_outputs
from egovcli.problems import EgovError, Location, Problem, UsageError
from egovcli.render.problems import record
from egovcli.rules.model import Criterion, RuleSet, RuleSetError

RULE_COLUMNS = (
    "id", "tt", "section", "label", "max", "formula", "inputs", "groups", "formula_text", "reading"
)
SHIPPED_RULES_COLUMNS = ("name", "title", "period", "max_total", "criteria", "source")


@dataclass(frozen=True, slots=True)
class ShippedRuleSet:
    """A rule set shipped with egov (`egov rules list`): its name for `--rules` and its outline."""

    name: str
    title: str
    period: str
    max_total: float
    criteria: int  # how many
    source: str  # the document that published it

    def as_dict(self) -> dict[str, object]:
        return {c: getattr(self, c) for c in SHIPPED_RULES_COLUMNS}


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One row of a rule set as a table (`egov rules show`): a criterion, or a section, subsection
    or bonus heading (formula "total" / "bonus", which has no inputs, groups, text or reading)."""

    id: str
    tt: str
    section: str
    label: str
    max: float
    formula: str
    inputs: tuple[str, ...] | None = None
    groups: tuple[str, ...] | None = None
    formula_text: str | None = None
    reading: str | None = None

    def as_dict(self) -> dict[str, object]:
        row: dict[str, object] = {c: getattr(self, c) for c in RULE_COLUMNS}
        for c in ("inputs", "groups"):  # lists: a table or CSV cell joins them with ';'
            value = getattr(self, c)
            row[c] = None if value is None else list(value)
        return row


@dataclass(frozen=True, slots=True)
class RuleSummary:
    """What `egov rules validate` says of a valid set."""

    name: str
    title: str
    sections: int
    criteria: int
    max_total: float
    groups: tuple[str, ...]  # agency groups some criterion is reserved for, sorted
    levels: int  # grades (xếp loại) declared
    ranked: tuple[str, ...] = ()  # the groups the set declares (`groups:`) as "id (title)", in order


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """A rule-set file checked without scoring (`egov rules validate`): its outline when valid, else
    every mistake (`problems`, by line)."""

    file: str  # as given: a path or a shipped name
    summary: RuleSummary | None  # None when the file cannot be used
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return self.summary is not None

    def error(self) -> RuleSetError:
        """The mistakes as the error an invalid file is: exit code 1, the command's answer."""
        return RuleSetError(self.problems, exit_code=1)

    def as_dict(self) -> dict[str, object]:
        """`egov rules validate --json`: {file, valid, name, title, problems}, each problem the
        object every command's JSON uses."""
        name, title = (self.summary.name, self.summary.title) if self.summary else ("", "")
        return {"file": self.file, "valid": self.valid, "name": name, "title": title,
                "problems": [record(p) for p in self.problems]}


def check_rules(name_or_path: str) -> RuleCheck:
    """Load a rule set as `--rules` would and say whether it can be used (`egov rules validate`);
    a valid draft's `problems` are its to-dos (W-RULES-TODO warnings)."""
    from egovcli.rules import load_rules

    try:
        rules = load_rules(name_or_path)
    except RuleSetError as exc:
        return RuleCheck(name_or_path, None, tuple(exc.problems))
    return RuleCheck(name_or_path, rule_summary(rules), tuple(rules.todos))


class NoCriteriaTableError(EgovError):
    """`egov rules draft` on a file with no criteria table; the message says why."""

    code = "E-NO-CRITERIA-TABLE"


@dataclass(frozen=True, slots=True)
class DraftResult:
    """A rule-set draft (`egov rules draft`): its YAML, where it was written, what it holds, and
    what `egov rules validate` says of it: the to-dos (W-RULES-TODO) and the mistakes (maxima that
    do not add up …), every one."""

    decision: str  # the decision file read
    out: str | None  # where the YAML was written (None: not written)
    text: str
    tables: int  # criteria tables found in the decision
    table: int  # the one drafted (1-based)
    sections: int
    criteria: int
    inferred: int  # criteria whose formula was read from the printed text
    manual: int  # criteria left manual
    todos: tuple[Problem, ...]
    problems: tuple[Problem, ...]  # what validation refuses (E-RULES-SUM …), and what reading noted

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def as_dict(self) -> dict[str, object]:
        """`egov rules draft --json`: what was drafted, every to-do and problem as the one problem
        object (the YAML itself is in the file)."""
        found: dict[str, object] = {key: getattr(self, key) for key in (
            "decision", "out", "tables", "table", "sections", "criteria", "inferred", "manual")}
        return found | {"valid": self.valid, "todos": [record(p) for p in self.todos],
                        "problems": [record(p) for p in self.problems]}


def draft_rules(path: Path, out: str | None = None, *, table: int | None = None, name: str | None = None,
                protected: Mapping[str | os.PathLike[str], str] | None = None) -> DraftResult:
    """Draft a rule set from a criteria decision (.docx, .xlsx, .pdf): the criteria table (the one
    with most scored rows, or the `table`-th) as YAML, checked like `egov rules validate`, written
    atomically to `out` ('-': stdout; None: not written) unless `out` is `protected` (the decision
    itself always is). `name` defaults to the stem of `out`, else of the decision. Raises
    NoCriteriaTableError when the file has no criteria table (or cannot be read), UsageError for a
    `table` it does not have."""
    from egovcli.ingest.decision import read_decision
    from egovcli.render.atomic import STDOUT, check_target, write_text
    from egovcli.rules import load_rules_text
    from egovcli.rules.draft import draft_rule_set

    guarded = {**(protected or {}), **protected_outputs(inputs=[path])}
    if out is not None:
        check_target(out, guarded)
    decision = read_decision(path)
    if not decision.tables:
        errors = "; ".join(p.message for p in decision.problems if p.severity == "error")
        why = errors or "không thấy bảng nào có cột STT/TT, nội dung (tiêu chí, chỉ số) và «Điểm tối đa»"
        raise NoCriteriaTableError(why, where=Location(str(path)))
    scored = [sum(r.kind == "scored" for r in rows) for rows in decision.tables]
    chosen = scored.index(max(scored)) + 1 if table is None else table
    if not 1 <= chosen <= len(decision.tables):
        message = f"--table {chosen}: tệp có {len(decision.tables)} bảng tiêu chí"
        raise UsageError(message, where=Location(str(path)))
    stem = Path(out).stem if out not in (None, STDOUT) else path.stem
    rows = decision.tables[chosen - 1]
    draft = draft_rule_set(rows, name=name or stem, source=path.name, lines=decision.lines)
    origin = out if out not in (None, STDOUT) else f"{stem}.yaml"
    try:
        found = list(load_rules_text(draft.text, str(origin)).todos)
    except RuleSetError as exc:
        found = list(exc.problems)
    if out is not None:
        write_text(out, draft.text, guarded)
    todos = tuple(p for p in found if p.code == "W-RULES-TODO")
    problems = (*decision.problems, *(p for p in found if p.code != "W-RULES-TODO"))
    return DraftResult(str(path), out, draft.text, len(decision.tables), chosen, draft.sections,
                       draft.criteria, draft.inferred, draft.manual, todos, problems)


def shipped_rules() -> list[ShippedRuleSet]:
    """Every rule set shipped with egov, by name (`egov rules list`)."""
    from egovcli.rules import list_rules, load_rules

    found: list[ShippedRuleSet] = []
    for name in list_rules():
        rules = load_rules(name)
        found.append(ShippedRuleSet(name, rules.title, rules.period, rules.max_total,
                                    len(rules.criteria), rules.source))
    return found


def rule_rows(rules: RuleSet) -> list[RuleRow]:
    """The rule set as a table (`egov rules show`): each section, subsection and the bonus as a
    heading row (formula "total" / "bonus"), followed by its criteria."""
    headings: list[tuple[str, str, str, float, str]] = []
    for section in rules.sections:
        headings.append((section.id, section.tt, section.title, section.effective_max, "total"))
        headings += [(sub.id, sub.tt, sub.title, sub.max, "total") for sub in section.subsections]
    if rules.bonus:
        headings.append((rules.bonus.id, "", rules.bonus.title, rules.bonus.cap, "bonus"))
    rows: list[RuleRow] = []
    for hid, tt, title, max_points, kind in headings:
        rows.append(RuleRow(hid, tt, hid.split(".")[0], title.upper(), max_points, kind))
        rows += [_rule_row(c) for c in rules.criteria if (c.subsection or c.section) == hid]
    return rows


def _rule_row(c: Criterion) -> RuleRow:
    return RuleRow(c.id, c.tt, c.section, c.label, c.max, c.formula.type, tuple(c.inputs), tuple(c.groups),
                   c.formula_text, c.reading)


def rule_summary(rules: RuleSet) -> RuleSummary:
    """A valid set's outline: sections, criteria, maximum, reserved groups, levels."""
    groups = tuple(sorted({g for c in rules.criteria for g in c.groups}))
    ranked = tuple(f"{g.id} ({g.label})" for g in rules.groups)
    return RuleSummary(rules.name, rules.title, len(rules.sections), len(rules.criteria), rules.max_total,
                       groups, len(rules.levels), ranked)
