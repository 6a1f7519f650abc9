"""Verify published ranking tables against themselves and a rule set (library of `egov verify`).

`verify_published(observations, rules)` → `Finding`s: cells above their criterion's maximum
(`over_max`), absent cells (`missing_value`), domain and overall totals that differ from the sum of
their printed parts (`total_mismatch`), printed ranks or row order that differ from the competition
ranking of the printed totals (`rank_mismatch`). `rebuild_overall(observations, rules)` → the
overall ranking per group rebuilt from the criterion cells (e.g. of the departments, whose overall
table a decision may omit).
"""

from egovcli.verify.printed import Checked, RulesMisfitError
from egovcli.verify.published import Finding, check_published, rebuild_overall, verify_published

__all__ = ["Checked", "Finding", "RulesMisfitError", "check_published", "rebuild_overall", "verify_published"]
