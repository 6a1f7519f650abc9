"""egov as a library: every command's work as a function, every result a typed value.

The CLI (`egovcli.cli`) only parses options, calls these functions and prints; a script can run a
whole round the same way (docs/api.md has a runnable example):

    with api.open_workspace("round.sqlite", create=True) as ws:
        report = api.ingest(ws, "samples/hanam-2022")          # IngestReport
        run = api.score_workspace(ws, "hanam-2022")           # ScoreRun
        result = api.rank_workspace(ws)                       # RankResult
    api.write_rank_outputs(result, xlsx="ranking.xlsx", md="summary.md", html=None)
    checked = api.verify_file(Path("ranking.pdf"), api.load_rules("hoabinh-2017"))  # VerifyResult

Functions take an open `Workspace` (or paths) and plain values and return dataclasses (frozen, but
the ingest report the batch fills in) whose values keep their provenance (file, location); nothing
here prints or exits. A step that cannot be done raises an `EgovError` (WorkspaceError,
RuleSetError, AdjustmentsError, AgencyRegistryError, MappingError, NoScoresError,
NothingToVerifyError, OutputError…) carrying its `problems` and the CLI's `exit_code`.
Outputs and problem rendering: `egovcli.api.outputs`; rule sets as tables: `egovcli.api.rules`;
the indicator catalogue (shipped + a rule set's own): `egovcli.api.indicators` (re-exported here).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from egovcli.agencies import AgencyRegistry, AgencyRegistryError
from egovcli.api.columns import (
    RANK_COLUMNS,
    RANK_TABLE_COLUMNS,
    REBUILT_COLUMNS,
    SCORE_COLUMNS,
    SCORE_EXTRA_COLUMNS,
    SCORE_JSON_COLUMNS,
    VERIFY_COLUMNS,
)
from egovcli.api.indicators import CATALOGUE_COLUMNS, CatalogueRow, catalogue_rows, relabel, rules_matcher
from egovcli.api.ingest import (
    INDICATOR_COLUMNS,
    UNMAPPED_COLUMNS,
    IndicatorRow,
    indicator_rows,
    ingest,
    open_workspace,
)
from egovcli.api.outputs import (
    STDOUT,
    OutputError,
    Protected,
    RankTargets,
    check_docx_target,
    csv_for_excel,
    output_format,
    precision_columns,
    problem_cell,
    problem_line,
    problem_record,
    problem_report,
    protected_outputs,
    rank_manifest,
    rank_targets,
    write_json,
    write_manifest,
    write_rank_outputs,
    write_rows,
)
from egovcli.api.reports import (
    AgencyReport,
    LostPoints,
    UnknownAgencyError,
    agency_reports,
    write_agency_reports,
)
from egovcli.api.round import init_round
from egovcli.api.rules import (
    RULE_COLUMNS,
    SHIPPED_RULES_COLUMNS,
    DraftResult,
    NoCriteriaTableError,
    RuleCheck,
    RuleRow,
    RuleSummary,
    ShippedRuleSet,
    check_rules,
    draft_rules,
    rule_rows,
    rule_summary,
    shipped_rules,
)
from egovcli.api.verify import (
    NothingToVerifyError,
    RebuiltRow,
    VerifyResult,
    parse_columns,
    verify_file,
)
from egovcli.indicators import MappingError
from egovcli.ingest import FileResult, IngestReport, Limits
from egovcli.ingest.layout.given import Columns
from egovcli.problems import EgovError, Problem, problem, sorted_by_line
from egovcli.rank.model import RankRow
from egovcli.render.annex import AnnexHeading
from egovcli.render.manifest import Manifest, manifest_pairs
from egovcli.render.template_form import SubmissionForm
from egovcli.rules import RuleSetError, load_rules
from egovcli.rules.model import RuleSet
from egovcli.score.adjust import AdjustmentsError, AdjustmentSet
from egovcli.score.grouping import by_group
from egovcli.score.model import AgencyScore, CriterionScore
from egovcli.verify import RulesMisfitError
from egovcli.workspace import Workspace, WorkspaceError

__all__ = [
    "AgencyReport", "LostPoints", "UnknownAgencyError", "agency_reports", "write_agency_reports",
    "AnnexHeading", "SubmissionForm", "check_docx_target", "check_template_target", "submission_template",
    "write_submission_template",
    "CATALOGUE_COLUMNS", "INDICATOR_COLUMNS", "RANK_COLUMNS", "RANK_TABLE_COLUMNS", "REBUILT_COLUMNS",
    "RULE_COLUMNS", "SCORE_COLUMNS", "SCORE_EXTRA_COLUMNS", "SCORE_JSON_COLUMNS", "SHIPPED_RULES_COLUMNS",
    "STDOUT", "UNMAPPED_COLUMNS", "VERIFY_COLUMNS", "AdjustmentSet", "AdjustmentsError", "AgencyRegistry",
    "AgencyRegistryError", "CatalogueRow", "Columns", "DraftResult", "EgovError", "FileResult",
    "IndicatorRow", "IngestReport", "Limits", "MappingError", "NoCriteriaTableError", "NoScoresError",
    "NothingToVerifyError", "OutputError", "Problem", "Protected", "RankResult", "RankTargets", "RebuiltRow",
    "RuleCheck", "RuleRow", "RuleSet", "RuleSetError", "RuleSummary", "RulesMisfitError", "ScoreRun",
    "ShippedRuleSet", "VerifyResult", "Workspace", "WorkspaceError", "catalogue_rows", "check_adjustments",
    "check_registry", "check_rules", "csv_for_excel", "init_round",
    "draft_rules", "indicator_rows", "ingest", "load_rules", "open_workspace", "output_format",
    "parse_columns", "precision_columns", "problem_cell", "problem_line", "problem_record", "problem_report",
    "protected_outputs", "rank_targets", "rank_workspace", "rule_rows", "rule_summary", "rules_matcher",
    "score_rows", "score_workspace", "shipped_rules", "stored_scores", "verify_file", "write_json",
    "write_rank_outputs", "write_rows",
    "Manifest", "manifest_pairs", "rank_manifest", "write_manifest",  # the reproducibility manifest
]


class NoScoresError(EgovError):
    """`egov rank` before `egov score`."""

    code = "E-NO-SCORES"


NO_ADJUSTMENTS = "không có"
UNRECORDED_ADJUSTMENTS = "không rõ (lần chấm điểm này có trước khi egov ghi lại điều chỉnh)"


@dataclass(frozen=True, slots=True)
class ScoreRun:
    """A stored scoring run (`egov score`): the rule set, each agency's points per criterion (with
    basis, flags, explanation, source file and location), and the appraisal adjustments applied."""

    run_id: int
    rules: RuleSet
    scores: list[AgencyScore]
    adjustments: AdjustmentSet | None = None  # the appraisal adjustments applied
    # where they came from: the --adjustments file, the workspace (kept from an earlier run), none
    adjustments_from: Literal["file", "workspace", "none"] = "none"
    previous_adjustments: AdjustmentSet | None = None  # the workspace's before this run
    problems: list[Problem] = field(default_factory=list)  # W-GROUP-NOT-RANKED: agencies ranked apart


def score_workspace(
    ws: Workspace,
    rules: str | RuleSet,
    *,
    adjustments: Path | None = None,
    clear_adjustments: bool = False,
) -> ScoreRun:
    """Score every agency and period in the workspace under one rule set (a name, a path or a loaded
    `RuleSet`); the run is stored.

    Appraisal adjustments are the workspace's state: the `adjustments` file (adjustments.csv) when
    given replaces them; else those stored by an earlier run keep being applied, unless
    `clear_adjustments`. Raises RuleSetError / AdjustmentsError (nothing stored) when the rules or
    the adjustments cannot be used; the latter lists every bad row."""
    from egovcli.score.adjust import read_adjustments
    from egovcli.score.engine import score_agencies

    rule_set = load_rules(rules) if isinstance(rules, str) else rules
    stored = ws.adjustments()
    previous = AdjustmentSet.from_json(stored) if stored else None
    bad: list[Problem] = []
    source: Literal["file", "workspace", "none"] = "none"
    chosen: AdjustmentSet | None = None
    if adjustments:
        chosen, bad = read_adjustments(adjustments)
        source = "file"
    elif previous and not clear_adjustments:
        chosen, source = previous, "workspace"
    # the rule set's own indicators too (`relabel`), each agency in the group the rule set ranks it in
    by_agency, apart = by_group(rule_set, ws.observations(relabel=relabel(rule_set)))
    agencies = [(a, g, p, obs) for (a, g, p), obs in sorted(by_agency.items())]
    try:
        # all agencies at once: normalised_to_best criteria compare each agency with the best one
        scores = score_agencies(rule_set, agencies, chosen.rows if chosen else ())
    except AdjustmentsError as exc:
        bad += exc.problems
    if bad and chosen:  # only adjustments make `bad`
        found = sorted_by_line(bad)
        if source == "workspace":
            stale = (
                f"Điều chỉnh sau thẩm định đã lưu trong workspace ({chosen.describe()}) không còn khớp"
                " với dữ liệu: chấm lại với --adjustments TỆP (tệp đã sửa) hoặc --no-adjustments."
            )
            found.insert(0, problem("E-ADJUSTMENTS-STALE", message=stale))
        raise AdjustmentsError(found)
    run_id = ws.store_scores(
        rules=rule_set.name,
        rules_title=rule_set.title,
        rules_text=rule_set.text,
        rows=[(s.agency, s.group, s.period, r.as_dict()) for s in scores for r in s.rows],
        adjustments=chosen.to_json() if chosen else None,
    )
    return ScoreRun(run_id, rule_set, scores, chosen, source, previous, apart)



def check_adjustments(path: str | os.PathLike[str]) -> AdjustmentSet:
    """Read an appraisal adjustments CSV without scoring: its rows (each `Adjustment` with its file
    and line); AdjustmentsError listing every bad row as `file:line: …`. Whether each row's agency
    and criterion exist is checked when scoring (`score_workspace`)."""
    from egovcli.score.adjust import read_adjustments

    found, bad = read_adjustments(Path(path))  # bad: already in line order
    if bad:
        raise AdjustmentsError(bad)
    return found


def check_registry(path: str | os.PathLike[str]) -> AgencyRegistry:
    """Read an agency registry (agencies.csv) without ingesting: `find` / `resolve` an agency's
    printed name to its registered `Agency` (name, group, key); AgencyRegistryError listing every
    bad row as `file:line: …`."""
    from egovcli.agencies import load_registry

    return load_registry(Path(path))


def score_rows(scores: list[AgencyScore]) -> list[dict[str, object]]:
    """One export row per scored row (SCORE_COLUMNS + SCORE_EXTRA_COLUMNS; JSON: SCORE_JSON_COLUMNS):
    the agency, group and period beside the `CriterionScore`'s fields; `problems` holds its flags as
    problem objects (the JSON key of every command, `egovcli.render.problems.record`)."""
    from egovcli.render.problems import record

    return [
        {"agency": s.agency, "group": s.group, "period": s.period, **r.as_dict(),
         "problems": [record(p) for p in r.problems(s.agency)]}
        for s in scores
        for r in s.rows
    ]


def stored_scores(ws: Workspace) -> tuple[RuleSet, list[AgencyScore]]:
    """The latest scoring run: the rule set it used (as stored) and the agency scores."""
    rules, scores, _ = _latest_run(ws)
    return rules, scores


def _latest_run(ws: Workspace) -> tuple[RuleSet, list[AgencyScore], str]:
    """The latest scoring run's rule set, scores, and which adjustments it applied (as outputs say it)."""
    from egovcli.rules import load_rules_text

    run = ws.latest_run()
    if run is None:
        raise NoScoresError(
            "Chưa có kết quả chấm điểm trong workspace: hãy chạy 'egov score --rules …' trước."
        )
    scores: dict[tuple[str, str, str], AgencyScore] = {}
    for agency, group, period, row in ws.run_rows(run["id"]):
        key = (agency, group, period)
        if key not in scores:
            scores[key] = AgencyScore(agency, group, period, run["rules"])
        scores[key].rows.append(CriterionScore(**row))  # type: ignore[arg-type]
    recorded, adjustments = ws.run_adjustments(run["id"])
    used = (
        AdjustmentSet.from_json(adjustments).describe() if adjustments
        else NO_ADJUSTMENTS if recorded else UNRECORDED_ADJUSTMENTS
    )
    rules = load_rules_text(run["rules_text"], f"{run['rules']} (workspace)")
    return rules, list(scores.values()), used


@dataclass(frozen=True, slots=True)
class RankResult:
    """A ranking (`egov rank`): one `RankRow` per agency and period (rank, total, level, section
    points, change since the previous period), the scores it ranks and the rule set they used."""

    rules: RuleSet
    ranking: list[RankRow]
    scores: list[AgencyScore]
    adjustments: str = NO_ADJUSTMENTS  # which appraisal adjustments the ranked scores include

    def columns(self, table: bool = False) -> tuple[str, ...]:
        """The ranking's columns: RANK_COLUMNS, then `index` for an index result (beside the total
        for a `table`)."""
        return precision_columns(RANK_TABLE_COLUMNS if table else RANK_COLUMNS, self.rules, beside=table)


def rank_workspace(ws: Workspace, *, ties: str = "competition") -> RankResult:
    """Rank the latest scoring run, per period and agency group, with the rule set's levels and each
    agency's change since the previous period of the same kind when the workspace holds it (a merged
    agency against its predecessors' mean, a renamed one against its former name: `rank.previous`)."""
    from egovcli.rank import compare_with_previous, rank_scores

    rules, scores, adjustments = _latest_run(ws)
    levels = [(lv.min, lv.name) for lv in rules.levels]
    ranking = rank_scores(scores, ties=ties, levels=levels, ranked=rules.groups, precision=rules.precision)
    compare_with_previous(ranking, ws.lineage(), rules.precision.decimals)  # merged / renamed agencies too
    return RankResult(rules, ranking, scores, adjustments)




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
