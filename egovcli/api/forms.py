"""The submission form of a rule set and group (`egov template`): what agencies fill in, which reads
back with every figure mapped and every self-score read."""

from __future__ import annotations

import os

from egovcli.render.atomic import Protected
from egovcli.render.template_form import SubmissionForm
from egovcli.rules import load_rules
from egovcli.rules.model import RuleSet


def submission_template(rules: str | RuleSet, group: str, *, period: str | None = None) -> SubmissionForm:
    """The form agencies of `group` (a group id, title or alias of the rule set) fill in under `rules`
    (a name, a path or a loaded `RuleSet`) for `period` (default: the rule set's): the figures its
    criteria read, each under a label the rule set's matcher maps back to that indicator, and the
    criteria table (TT, maxima, cách tính) for the self-scores. UsageError for a group the rule set
    does not rank (naming those it does)."""
    from egovcli.render.template_form import submission_form

    return submission_form(load_rules(rules) if isinstance(rules, str) else rules, group, period)


def check_template_target(target: str | os.PathLike[str], protected: Protected | None = None) -> str:
    """Check where a form may be written before any work: its format (".xlsx" or ".docx"); OutputError
    for another extension, a folder, a protected path."""
    from egovcli.render.template_form import check_form_target

    return check_form_target(target, protected)


def write_submission_template(
    form: SubmissionForm, target: str | os.PathLike[str], protected: Protected | None = None
) -> None:
    """Write the form (`submission_template`) to `target`: .xlsx (a sheet "Số liệu" and a sheet "Tự
    đánh giá", the cells to fill in highlighted and validated, the rest protected) or .docx (two
    tables), atomically. A filled copy ingests with every figure mapped and every self-score read."""
    from egovcli.render.template_form import write_form

    write_form(form, target, protected)
