"""Where a command's outputs may go, and writing them: rows (with the columns a rule set's totals add:
`precision_columns`), JSON, the ranking workbook, summaries, and how a problem is shown (`problem_line`,
`problem_cell`, `problem_record`, `problem_report`: the one rendering path, `egovcli.render.problems`).

Every target is checked before any work (`output_format`, `rank_targets`) and written atomically
(`egovcli.render.atomic`): never onto a folder, the workspace or an input (`protected_outputs`).
A refused target or a failed write is an `OutputError` whose message says where and why.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from egovcli.render.atomic import STDOUT, OutputError, Protected
from egovcli.render.export import Summary
from egovcli.render.problems import cell as problem_cell
from egovcli.render.problems import line as problem_line
from egovcli.render.problems import record as problem_record
from egovcli.render.problems import report as problem_report

if TYPE_CHECKING:
    from egovcli.api import RankResult
    from egovcli.render.annex import AnnexHeading
    from egovcli.render.manifest import Manifest
    from egovcli.rules.model import RuleSet
    from egovcli.workspace import Workspace

__all__ = [
    "STDOUT", "OutputError", "Protected", "RankTargets", "check_docx_target", "csv_for_excel",
    "output_format", "precision_columns", "problem_cell", "problem_line", "problem_record", "problem_report",
    "protected_outputs", "rank_manifest", "rank_targets", "write_json", "write_manifest",
    "write_rank_outputs", "write_rows",
]


class Row(Protocol):
    """A typed result row (`IndicatorRow`, `RuleRow`…): written through its `as_dict()`."""

    def as_dict(self) -> dict[str, object]: ...


def protected_outputs(
    ws: Workspace | None = None, inputs: Iterable[str | os.PathLike[str] | None] = ()
) -> dict[str | os.PathLike[str], str]:
    """The files no output may replace: the workspace's own files and the reports stored in it, and
    the `inputs` a command reads (a report to verify, the rule set, the adjustments or registry)."""
    found: dict[str | os.PathLike[str], str] = {}
    for path in inputs:
        if path is not None and os.path.exists(path):
            found[path] = "tệp đầu vào của lệnh này"
    for path, role in (ws.protected_files() if ws else {}).items():
        found[path] = role
    return found


def output_format(
    out: str | os.PathLike[str] | None, fmt: str | None = None, protected: Protected | None = None
) -> str:
    """The format ("table", "csv", "json") of rows written to `out`, after checking the target:
    `fmt` when given, else the one `out`'s extension names (.csv, .json, .txt/.md: table; stdout:
    table). OutputError for a refused target or an extension that names no format or another one."""
    from egovcli.render import export
    from egovcli.render.atomic import check_target

    if out is not None:
        check_target(out, protected)
    return export.output_format(out, fmt)


def csv_for_excel(on: bool) -> None:
    """Whether CSV written from now on starts with the UTF-8 byte-order mark Excel needs to show
    Vietnamese (`egov --excel`; `egovcli.render.export.for_excel`)."""
    from egovcli.render.export import for_excel

    for_excel(on)


def precision_columns(columns: tuple[str, ...], rules: RuleSet, *, beside: bool = False) -> tuple[str, ...]:
    """`columns` with what the rule set's totals need: `index` when it ranks by index (`result:
    index`), `counted` for scored rows (with `basis`) when something is not counted. CSV and JSON
    columns are only ever appended (README), so they come last; `beside` (a terminal table, read by
    people) puts `index` after `max_points` / `max_total` and `counted` after `basis`. A rule set
    without either keeps exactly the columns it always had."""
    wanted = (("index", rules.precision.index), ("counted", bool(rules.uncounted) and "basis" in columns))
    extra = [column for column, needed in wanted if needed]
    if not beside:
        return (*columns, *extra)
    out: list[str] = []
    for column in columns:
        out.append(column)
        if column in ("max_points", "max_total") and "index" in extra:
            out.append("index")
        if column == "basis" and "counted" in extra:
            out.append("counted")
    return tuple(out)


def write_rows(
    rows: Iterable[Row | dict[str, object]],
    columns: Sequence[str],
    fmt: str | None = None,
    out: str | os.PathLike[str] | None = None,
    *,
    table_columns: Sequence[str] | None = None,
    title: str = "",
    protected: Protected | None = None,
    summary: Summary | None = None,
) -> None:
    """Write `rows` (typed rows or dicts) in `fmt` — "table" (for a terminal), "csv" or "json"; None:
    the one `out`'s extension names — to `out` (a path taken literally; `-` or None: stdout),
    atomically, never onto a `protected` path; each row is made and written as it comes. A table
    of more than `TABLE_LIMIT` rows is the `summary` instead, when one is given (`render.export`)."""
    from egovcli.render import export

    if fmt is None:
        fmt = output_format(out, None, protected)
    records = (row if isinstance(row, dict) else row.as_dict() for row in rows)
    export.write_rows(records, columns, fmt, out, table_columns=table_columns, title=title,
                      protected=protected, summary=summary)


def write_json(data: object, out: str | os.PathLike[str] | None, protected: Protected | None = None) -> None:
    """Write `data` as JSON (submitted text escaped, NaN as null) to `out` (`-` or None: stdout)."""
    from egovcli.render.atomic import write_text
    from egovcli.untrusted import json_text

    write_text(out or STDOUT, json_text(data) + "\n", protected)


@dataclass(frozen=True, slots=True)
class RankTargets:
    """Where `egov rank` writes: the workbook, and the ranking rows (`rows_format` None: no rows,
    a summary already takes stdout)."""

    xlsx: str | None
    rows_out: str | None
    rows_format: str | None


def rank_targets(
    out: str | None, md: str | None, html: str | None, fmt: str | None, protected: Protected,
    docx: str | None = None,
) -> RankTargets:
    """Check every target of a ranking before any work: `out` (.xlsx: the workbook, the rows still
    to stdout; .csv/.json/.txt: the rows), `md` / `html` (summaries), `docx` (the decision annex: a
    .docx file, never stdout); at most one on stdout."""
    from egovcli.render.atomic import check_target, is_special
    from egovcli.render.export import RANK_EXTENSIONS, SUMMARY_EXTENSIONS
    from egovcli.render.export import output_format as format_of

    if docx is not None:
        check_docx_target(docx, "--docx", protected)

    on_stdout = [o for o, t in (("--out", out), ("--md", md), ("--html", html)) if t == STDOUT]
    if len(on_stdout) > 1:
        message = f"chỉ một kết quả được ghi ra stdout ('-'), ở đây có {', '.join(on_stdout)}."
        raise OutputError(message, code="E-USAGE")
    for option, kind, target in (("--md", "markdown", md), ("--html", "html", html)):
        if target is not None:
            check_target(target, protected)
            format_of(target, kind, SUMMARY_EXTENSIONS, option=option)
    xlsx = None
    if out is not None:
        check_target(out, protected)
        suffix = "" if out == STDOUT or is_special(out) else Path(out).suffix.lower()
        if suffix == ".xlsx":
            xlsx, out = out, None  # the workbook; the rows still go to stdout
        elif suffix in (".md", ".markdown", ".html", ".htm"):
            message = f"--out '{out}': bản tóm tắt {suffix} được ghi bằng --md / --html."
            raise OutputError(message, code="E-OUTPUT-FORMAT")
    if out is None and STDOUT in (md, html):
        return RankTargets(xlsx, None, None)
    return RankTargets(xlsx, out, format_of(out, fmt, RANK_EXTENSIONS))


def check_docx_target(
    target: str | os.PathLike[str], option: str, protected: Protected | None = None
) -> None:
    """Refuse a Word output that cannot be written: stdout, a name not ending in .docx, a folder, a
    protected path (OutputError naming the option)."""
    from egovcli.render.atomic import check_target, is_special

    check_target(target, protected)
    if os.fspath(target) == STDOUT or (not is_special(target) and Path(target).suffix.lower() != ".docx"):
        message = f"{option} '{os.fspath(target)}': hãy ghi ra một tệp .docx."
        raise OutputError(message, code="E-OUTPUT-FORMAT")
def rank_manifest(ws: Workspace, result: RankResult, *, ties: str = "competition") -> Manifest:
    """The reproducibility manifest of `result`, a ranking of `ws`'s latest scoring run: egov version,
    rule set (id, sha256 of its YAML), the stored input files with their sha256, the adjustments, the
    registry and mapping hashes, the options and the time (`egovcli.render.manifest`: SOURCE_DATE_EPOCH,
    else when the scores were stored)."""
    from egovcli.render.manifest import build_manifest

    return build_manifest(ws, result.rules, {"ties": ties})


def write_manifest(
    manifest: Manifest, out: str | os.PathLike[str], protected: Protected | None = None
) -> None:
    """Write the manifest alone as JSON to `out` (`-`: stdout), atomically."""
    from egovcli.render.atomic import write_text

    write_text(out, manifest.to_json(), protected)


def write_rank_outputs(
    result: RankResult,
    *,
    xlsx: str | os.PathLike[str] | None,
    md: str | os.PathLike[str] | None,
    html: str | os.PathLike[str] | None,
    protected: Mapping[str | os.PathLike[str], str] | None = None,
    docx: str | os.PathLike[str] | None = None,
    annex: AnnexHeading | None = None,
    manifest: Manifest | None = None,
) -> None:
    """Write the ranking workbook, the markdown / HTML summaries and the decision annex (`docx`,
    headed by `annex`: the decision's number, date, issuer; each atomically; `-` for a summary is
    stdout), never onto a `protected` path (`protected_outputs`); the summaries record the
    `manifest` ("Thông tin lần chạy") when given."""
    from egovcli.render.atomic import write_text

    rules = result.rules
    if docx:
        from egovcli.render.annex import AnnexHeading, write_annex

        write_annex(docx, result.ranking, rules, annex or AnnexHeading(), protected)
    sections = [(s.id, s.title, s.max) for s in rules.sections]
    with contextlib.ExitStack() as writing:
        book = None
        if xlsx:
            from egovcli.render.manifest import manifest_pairs
            from egovcli.render.workbook import ranking_workbook

            title = rules.title or ", ".join(sorted({s.rules for s in result.scores}))
            run = manifest_pairs(manifest) if manifest is not None else None
            book = writing.enter_context(ranking_workbook(
                xlsx, result.ranking, sections, title, adjustments=result.adjustments, protected=protected,
                rules=rules, run=run, robustness=result.robustness))
        parts = None
        if md or html:
            from egovcli.render.summary import SummaryParts

            parts = SummaryParts(result.ranking, sections, rules)
        if book is not None or parts is not None:
            for score in result.scores:  # read once, in ranking order (`rank_workspace` keys them so)
                if book is not None:
                    book.add(score)
                if parts is not None:
                    parts.add(score)
    if md or html:
        from egovcli.render.summary import render_html, render_markdown, summary_context

        periods = ", ".join(sorted({r.period for r in result.ranking}))
        ctx = summary_context(result.ranking, result.scores, sections, rules.title, periods,
                              result.adjustments, rules=rules, manifest=manifest, parts=parts)
        if md:
            write_text(md, render_markdown(ctx), protected)
        if html:
            write_text(html, render_html(ctx), protected)
