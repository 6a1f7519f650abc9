"""`egov template`: the submission form (mẫu báo cáo) agencies of one group fill in under a rule set."""

from typing import Annotated

import typer

from egovcli.cli import _info, app
from egovcli.lang import tr


@app.command()
def template(
    rules: Annotated[
        str, typer.Option("--rules", "-r", help="Rule set: a shipped name (hanam-2022) or a .yaml path.")
    ],
    group: Annotated[
        str,
        typer.Option("--group", "-g", help="The agency group the form is for: its id (department, commune…)"
                     " or its title, as the rule set ranks it."),
    ],
    out: Annotated[
        str, typer.Option("--out", "-o", help="The form to write: a .xlsx or .docx file.")
    ],
    period: Annotated[
        str | None,
        typer.Option(help="The reporting period printed in the form's title (default: the rule set's)."),
    ] = None,
) -> None:
    """Write the form (.xlsx, .docx) agencies of a group fill in; filled, it reads back with egov ingest.

    Two parts: the figures the group's criteria read (giá trị, minh chứng), and the criteria with TT,
    điểm tối đa and cách tính (điểm tự đánh giá, minh chứng), with data validation in the workbook."""
    from egovcli.api import (
        check_template_target,
        load_rules,
        protected_outputs,
        submission_template,
        write_submission_template,
    )

    protected = protected_outputs(inputs=[rules])
    check_template_target(out, protected)
    form = submission_template(load_rules(rules), group, period=period)
    write_submission_template(form, out, protected)
    criteria = sum(1 for r in form.rows if r.kind == "criterion")
    _info(tr(f"Đã ghi {out}: mẫu báo cáo {form.group_label}, {len(form.figures)} chỉ tiêu số liệu,"
             f" {criteria} tiêu chí.",
             f"Wrote {out}: the form of {form.group_label}, {len(form.figures)} figures,"
             f" {criteria} criteria."))
