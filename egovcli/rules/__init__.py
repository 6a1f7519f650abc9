"""Rule sets: the published criteria as data (YAML in this folder), loaded and validated.

`load_rules("hanam-2022")` or `load_rules("path/to/rules.yaml")` → `RuleSet`; `list_rules()` names
the shipped sets; docs/rules.md documents the schema. A file with mistakes raises one
`RuleSetError` whose `problems` (`egovcli.problems.Problem`: a code E-RULES-…, the message and
`Location(file, line)`) list them all. Formula types live in `egovcli.rules.formulas`; they are
parsed by `egovcli.rules.formula_parser` and evaluated by `egovcli.score.formulas`.
"""

from egovcli.rules.formulas import Condition, Formula, FormulaError
from egovcli.rules.loader import list_rules, load_rules, load_rules_text
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

__all__ = [
    "Bonus", "Condition", "Criterion", "Formula", "FormulaError", "Heading", "Level", "Reading",
    "RuleSet", "RuleSetError", "Section", "Subsection", "list_rules", "load_rules",
    "load_rules_text",
]
