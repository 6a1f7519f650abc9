"""`egov rules list | show | validate`: the shipped rule sets, one set as a table, a file checked."""

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from egovcli.cli import (
    FormatOpt,
    Group,
    OutOpt,
    _data_format,
    _err,
    _info,
    app,
)
from egovcli.lang import EN, current, tr
from egovcli.problems import UsageError
from egovcli.untrusted import json_text, visible

rules_app = typer.Typer(
    cls=Group,
    help="Rule sets: list, show, validate, draft from a criteria decision.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list(fmt: FormatOpt = None, out: OutOpt = None) -> None:
    """List the rule sets shipped with egov (use a name with --rules)."""
    from egovcli.api import SHIPPED_RULES_COLUMNS, shipped_rules, write_rows

    data_fmt = _data_format(out, fmt, {})
    title = tr("Bộ tiêu chí có sẵn", "Shipped rule sets")
    write_rows(shipped_rules(), SHIPPED_RULES_COLUMNS, data_fmt, out, title=title)


@rules_app.command("show")
def rules_show(
    name: Annotated[str, typer.Argument(help="A shipped name (hanam-2022) or a rule-set .yaml path.")],
    fmt: FormatOpt = None,
    out: OutOpt = None,
) -> None:
    """Show a rule set: sections, criteria with maxima, formula types, inputs and readings."""
    from egovcli.api import RULE_COLUMNS, load_rules, protected_outputs, rule_rows, write_rows

    protected = protected_outputs(inputs=[name])
    data_fmt = _data_format(out, fmt, protected)
    rules = load_rules(name)
    write_rows(
        rule_rows(rules),
        RULE_COLUMNS,
        data_fmt,
        out,
        title=f"{rules.title} — " + tr(f"tối đa {rules.max_total:g} điểm", f"at most {rules.max_total:g}"),
        table_columns=("id", "tt", "label", "max", "formula", "inputs", "groups"),
        protected=protected,
    )
    if data_fmt == "table":
        for group in rules.groups:
            _info(visible(tr("Nhóm xếp hạng", "Ranked group") + f" {group.id}: {group.label}"))
        for level in rules.levels:
            _info(tr(f"Xếp loại {level.name}: từ {level.min:g} điểm", f"Level {level.name}: {level.min:g}+"))
        _info(tr(f"{len(rules.readings)} cách hiểu đã ghi (readings); xem --format json hoặc tệp YAML.",
                 f"{len(rules.readings)} readings recorded; see --format json or the YAML file."))


@rules_app.command("validate")
def rules_validate(
    file: Annotated[str, typer.Argument(help="A rule-set .yaml path (or a shipped name).")],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print {file, valid, name, title, problems} to stdout, each problem the object every"
            " command's JSON uses (default: the verdict as text, the problems on stderr).",
        ),
    ] = False,
) -> None:
    """Check a rule-set file without scoring: exit 0 when valid, 1 listing every problem as file:line."""
    from egovcli.api import check_rules, problem_line

    check = check_rules(file)
    if as_json:
        sys.stdout.write(json_text(check.as_dict()) + "\n")
        if not check.valid:
            raise typer.Exit(1)
        return
    if check.summary is None:  # an invalid file is this command's answer (exit 1), not a failure to run it
        raise check.error()
    rules = check.summary
    for todo in check.problems:  # a draft's to-dos: valid, with work left (W-RULES-TODO)
        _err(problem_line(todo))
    if current() == EN:
        verdict = (
            f"Valid: {rules.name} — {rules.title}; {rules.sections} sections, {rules.criteria} criteria,"
            f" at most {rules.max_total:g} points"
            + (f"; ranked by group: {', '.join(rules.ranked)}" if rules.ranked else "")
            + (f"; criteria of their own for groups: {', '.join(rules.groups)}" if rules.groups else "")
            + (f"; {rules.levels} levels" if rules.levels else "")
            + (f"; draft: {len(check.problems)} to-dos left" if check.problems else "")
        )
    else:
        verdict = (
            f"Hợp lệ: {rules.name} — {rules.title}; {rules.sections} mục, {rules.criteria} tiêu chí,"
            f" tối đa {rules.max_total:g} điểm"
            + (f"; xếp hạng theo nhóm: {', '.join(rules.ranked)}" if rules.ranked else "")
            + (f"; tiêu chí riêng cho nhóm: {', '.join(rules.groups)}" if rules.groups else "")
            + (f"; {rules.levels} mức xếp loại" if rules.levels else "")
            + (f"; bản nháp: còn {len(check.problems)} việc cần làm (todo)" if check.problems else "")
        )
    typer.echo(visible(verdict))


@rules_app.command("draft")
def rules_draft(
    decision: Annotated[Path, typer.Argument(help="A criteria decision (its table): .docx, .xlsx, .pdf.")],
    out: Annotated[
        str, typer.Option("--out", "-o", help="Write the YAML to this file, atomically (default: stdout).",
                          show_default=False)
    ] = "-",
    table: Annotated[
        int | None,
        typer.Option("--table", help="The N-th criteria table of the file (default: the one with most rows"
                     " scored).", show_default=False),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="The rule set's name (default: the output file's stem).",
                                  show_default=False)
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="With --out FILE: print what was drafted, every to-do and problem as"
                     " JSON (default: a summary on stderr)."),
    ] = False,
) -> None:
    """Draft a rule set from a criteria decision: sections, criteria, maxima, the printed "cách tính"
    text, a formula where the text is a common pattern, and a `todo:` for every choice left, which
    `egov rules validate` lists (docs/rules.md §14)."""
    from egovcli.api import draft_rules, problem_line

    if as_json and out == "-":
        raise UsageError("--json cần --out TỆP (bản nháp YAML đã ghi ra stdout)")
    result = draft_rules(decision, out, table=table, name=name)
    if as_json:
        sys.stdout.write(json_text(result.as_dict()) + "\n")
        return
    for p in result.problems:
        _err(problem_line(p))
    errors = 0 if result.valid else sum(p.severity == "error" for p in result.problems)
    _info(tr(f"Bản nháp từ bảng tiêu chí {result.table}/{result.tables} của {decision.name}:"
             f" {result.sections} mục, {result.criteria} tiêu chí ({result.inferred} công thức suy ra từ cách"
             f" tính, {result.manual} manual); còn {len(result.todos)} việc cần làm (todo)"
             + (f", {errors} lỗi" if errors else "")
             + (f". Xem: egov rules validate {shlex.quote(out)}" if out != "-" else ""),
             f"Draft from criteria table {result.table}/{result.tables} of {decision.name}:"
             f" {result.sections} sections, {result.criteria} criteria ({result.inferred} formulas inferred"
             f" from the printed text, {result.manual} manual); {len(result.todos)} to-dos left"
             + (f", {errors} errors" if errors else "")
             + (f". See: egov rules validate {shlex.quote(out)}" if out != "-" else "")))
