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

Longer than 400 lines for a reason: a name of the surface that this module's own functions do not use
is imported only when first asked for (`__getattr__`, so that `egov rank` does not load the readers
and renderers), and is therefore listed twice: for type checkers (under TYPE_CHECKING) and in
`_LAZY_MODULES`; tests/test_api.py checks that every name in `__all__` resolves.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

# what the functions below use; every other name is imported when first asked for (`__getattr__`),
# so that `egov rank` does not load the readers, the renderers and the forms
from egovcli.api.columns import (
    RANK_COLUMNS,
    RANK_TABLE_COLUMNS,
    REBUILT_COLUMNS,
    ROBUSTNESS_COLUMNS,
    SCORE_COLUMNS,
    SCORE_EXTRA_COLUMNS,
    SCORE_JSON_COLUMNS,
    VERIFY_COLUMNS,
)

# (not lazy: the submodule's name is its function's, `ingest`; it loads no reader until one is called)
from egovcli.api.ingest import (
    INDICATOR_COLUMNS,
    UNMAPPED_COLUMNS,
    IndicatorRow,
    indicator_rows,
    ingest,
    open_workspace,
)
from egovcli.problems import EgovError, Problem, problem, sorted_by_line

if TYPE_CHECKING:  # the same names as `_LAZY` gives them, for type checkers and readers
    from egovcli.agencies import AgencyRegistry, AgencyRegistryError
    from egovcli.api.forms import check_template_target, submission_template, write_submission_template
    from egovcli.api.indicators import CATALOGUE_COLUMNS, CatalogueRow, catalogue_rows, rules_matcher
    from egovcli.api.outputs import (
        STDOUT,
        OutputError,
        Protected,
        RankTargets,
        Summary,
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
    from egovcli.api.upkeep import (
        check_robustness,
        prune_workspace,
        rank_robustness,
        vacuum_workspace,
        workspace_info,
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
    from egovcli.rank.model import RankRow
    from egovcli.render.agency_report import AgencyReport, LostPoints
    from egovcli.render.annex import AnnexHeading
    from egovcli.render.export import TABLE_LIMIT, RowWriter, row_writer
    from egovcli.render.manifest import Manifest, manifest_pairs
    from egovcli.render.template_form import SubmissionForm
    from egovcli.rules import RuleSetError, load_rules
    from egovcli.rules.model import RuleSet
    from egovcli.score.adjust import AdjustmentsError, AdjustmentSet
    from egovcli.score.model import AgencyScore, AgencyTotals
    from egovcli.score.stored import StoredScores
    from egovcli.verify import RulesMisfitError
    from egovcli.workspace import Workspace, WorkspaceError
    from egovcli.workspace.runs import Pruned, RunInfo, StoredAgency, WorkspaceInfo

# module → the names of it the library offers, imported on first use
_LAZY_MODULES = {
    "egovcli.agencies": ("AgencyRegistry", "AgencyRegistryError"),
    "egovcli.api.forms": ("check_template_target", "submission_template", "write_submission_template"),
    "egovcli.api.indicators": ("CATALOGUE_COLUMNS", "CatalogueRow", "catalogue_rows", "rules_matcher"),
    "egovcli.api.outputs": (
        "STDOUT", "OutputError", "Protected", "RankTargets", "Summary", "check_docx_target", "csv_for_excel",
        "output_format", "precision_columns", "problem_cell", "problem_line", "problem_record",
        "problem_report", "protected_outputs", "rank_manifest", "rank_targets", "write_json",
        "write_manifest", "write_rank_outputs", "write_rows",
    ),
    "egovcli.api.reports": ("UnknownAgencyError", "agency_reports", "write_agency_reports"),
    "egovcli.api.round": ("init_round",),
    "egovcli.api.rules": ("RULE_COLUMNS", "SHIPPED_RULES_COLUMNS", "DraftResult", "NoCriteriaTableError",
                          "RuleCheck", "RuleRow", "RuleSummary", "ShippedRuleSet", "check_rules",
                          "draft_rules", "rule_rows", "rule_summary", "shipped_rules"),
    "egovcli.api.upkeep": ("check_robustness", "prune_workspace", "rank_robustness", "vacuum_workspace",
                           "workspace_info"),
    "egovcli.api.verify": ("NothingToVerifyError", "RebuiltRow", "VerifyResult", "parse_columns",
                           "verify_file"),
    "egovcli.indicators": ("MappingError",),
    "egovcli.ingest": ("FileResult", "IngestReport", "Limits"),
    "egovcli.ingest.layout.given": ("Columns",),
    "egovcli.rank.model": ("RankRow",),
    "egovcli.render.agency_report": ("AgencyReport", "LostPoints"),
    "egovcli.render.annex": ("AnnexHeading",),
    "egovcli.render.export": ("TABLE_LIMIT", "RowWriter", "row_writer"),
    "egovcli.render.manifest": ("Manifest", "manifest_pairs"),
    "egovcli.render.template_form": ("SubmissionForm",),
    "egovcli.rules": ("RuleSetError", "load_rules"),
    "egovcli.rules.model": ("RuleSet",),
    "egovcli.score.adjust": ("AdjustmentSet", "AdjustmentsError"),
    "egovcli.score.model": ("AgencyScore", "AgencyTotals"),
    "egovcli.score.stored": ("StoredScores",),
    "egovcli.verify": ("RulesMisfitError",),
    "egovcli.workspace": ("Workspace", "WorkspaceError"),
    "egovcli.workspace.runs": ("Pruned", "RunInfo", "StoredAgency", "WorkspaceInfo"),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    """A name of the library's surface from the module that defines it, imported on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value  # asked once
    return value


__all__ = [
    "AgencyReport", "LostPoints", "UnknownAgencyError", "agency_reports", "write_agency_reports",
    "AnnexHeading", "SubmissionForm", "check_docx_target", "check_template_target", "submission_template",
    "write_submission_template",
    "CATALOGUE_COLUMNS", "INDICATOR_COLUMNS", "RANK_COLUMNS", "RANK_TABLE_COLUMNS", "REBUILT_COLUMNS",
    "RULE_COLUMNS", "SCORE_COLUMNS", "SCORE_EXTRA_COLUMNS", "SCORE_JSON_COLUMNS", "SHIPPED_RULES_COLUMNS",
    "STDOUT", "TABLE_LIMIT", "UNMAPPED_COLUMNS", "VERIFY_COLUMNS", "AdjustmentSet", "AdjustmentsError",
    "AgencyRegistry", "AgencyRegistryError", "AgencyScore", "AgencyTotals", "CatalogueRow", "Columns",
    "DraftResult", "EgovError", "FileResult", "IndicatorRow", "IngestReport", "Limits", "MappingError",
    "NoCriteriaTableError", "NoScoresError", "NothingToVerifyError", "OutputError", "Problem", "Protected",
    "Pruned", "RankResult", "RankTargets", "RebuiltRow", "RuleCheck", "RuleRow", "RuleSet", "RuleSetError",
    "RuleSummary", "RulesMisfitError", "RunInfo", "ScoreRun", "ShippedRuleSet", "StoredScores", "Summary",
    "VerifyResult", "Workspace", "WorkspaceError", "WorkspaceInfo", "catalogue_rows", "check_adjustments",
    "check_registry", "check_rules", "draft_rules", "indicator_rows", "ingest", "load_rules",
    "open_workspace", "output_format", "parse_columns", "precision_columns", "problem_cell", "problem_line",
    "problem_record", "problem_report", "protected_outputs", "prune_workspace", "rank_targets",
    "rank_workspace", "rule_rows", "rule_summary", "rules_matcher", "score_rows", "score_workspace",
    "shipped_rules", "stored_scores", "vacuum_workspace", "verify_file", "workspace_info", "write_json",
    "write_rank_outputs", "write_rows", "csv_for_excel", "init_round",
    "RowWriter", "row_writer",  # CSV / JSON rows written as they come (`egov score`: as it scores)
    "Manifest", "manifest_pairs", "rank_manifest", "write_manifest",  # the reproducibility manifest
    "ROBUSTNESS_COLUMNS", "check_robustness", "rank_robustness",  # `egov rank --robustness N`
]


class NoScoresError(EgovError):
    """`egov rank` before `egov score`."""

    code = "E-NO-SCORES"


NO_ADJUSTMENTS = "không có"
UNRECORDED_ADJUSTMENTS = "không rõ (lần chấm điểm này có trước khi egov ghi lại điều chỉnh)"


@dataclass(frozen=True, slots=True)
class ScoreRun:
    """A stored scoring run (`egov score`): the rule set, each agency's points per criterion (with
    basis, flags, explanation, source file and location), and the appraisal adjustments applied.

    `scores` is a `StoredScores`: a sequence of `AgencyScore` in the run's order (agency, group,
    period) read from the workspace one agency at a time; `totals` what ranks each, in that order."""

    run_id: int
    rules: RuleSet
    scores: StoredScores
    adjustments: AdjustmentSet | None = None  # the appraisal adjustments applied
    # where they came from: the --adjustments file, the workspace (kept from an earlier run), none
    adjustments_from: Literal["file", "workspace", "none"] = "none"
    previous_adjustments: AdjustmentSet | None = None  # the workspace's before this run
    problems: list[Problem] = field(default_factory=list)  # W-GROUP-NOT-RANKED: agencies ranked apart
    totals: list[AgencyTotals] = field(default_factory=list)  # of each agency, in the run's order
    # W-UNKNOWN-CRITERION: the self-score rows that decided nothing, of each (agency, group, period) with some
    unmatched: dict[tuple[str, str, str], list[Problem]] = field(default_factory=dict)
    rows: int = 0  # criterion and total rows scored
    flagged: int = 0  # rows with a flag
    adjusted: int = 0  # criteria changed by an appraisal adjustment
    flag_counts: dict[str, int] = field(default_factory=dict)  # rows per flag, most frequent first
    name: str | None = None  # `egov score --run NAME`


def score_workspace(
    ws: Workspace,
    rules: str | RuleSet,
    *,
    adjustments: Path | None = None,
    clear_adjustments: bool = False,
    name: str | None = None,
    writer: RowWriter | None = None,
    jobs: int | None = 1,
) -> ScoreRun:
    """Score every agency and period in the workspace under one rule set (a name, a path or a loaded
    `RuleSet`); the run is stored, one agency at a time as it is scored (memory stays flat).
    `writer` (`row_writer`), when given, gets each agency's export rows (`score_rows`) in the run's
    order (`ScoreRun.scores`') as the run is scored: a CSV or JSON is written without reading the
    run back; the run is committed once every row is written. `jobs` > 1 (None: one per CPU)
    scores a run of at least `score.parallel.MIN_AGENCIES` agencies in that many processes forked
    from this one; the run stored and the rows written are the same whatever `jobs`.

    Appraisal adjustments are the workspace's state: the `adjustments` file (adjustments.csv) when
    given replaces them; else those stored by an earlier run keep being applied, unless
    `clear_adjustments`. Raises RuleSetError / AdjustmentsError (nothing stored) when the rules or
    the adjustments cannot be used; the latter lists every bad row.

    The run replaces the earlier unnamed run of the same rule set, inputs and adjustments; a `name`d
    run replaces only the earlier run of that name and is kept otherwise (`Workspace.store_scores`)."""
    from egovcli.api.indicators import relabel
    from egovcli.rules import load_rules
    from egovcli.score.adjust import AdjustmentsError, AdjustmentSet, match_adjustments, read_adjustments
    from egovcli.score.engine import Scorer, best_values, maxima, needs_best
    from egovcli.score.grouping import gather, plan
    from egovcli.score.parallel import Run, score_chunks
    from egovcli.score.stored import InOrder, Make, StoredScores

    rule_set = load_rules(rules) if isinstance(rules, str) else rules
    stored_adjustments = ws.adjustments()
    previous = AdjustmentSet.from_json(stored_adjustments) if stored_adjustments else None
    bad: list[Problem] = []
    source: Literal["file", "workspace", "none"] = "none"
    chosen: AdjustmentSet | None = None
    if adjustments:
        chosen, bad = read_adjustments(adjustments)
        source = "file"
    elif previous and not clear_adjustments:
        chosen, source = previous, "workspace"
    relabelled = relabel(rule_set)  # the rule set's own indicators too
    apart: list[Problem] = []
    unmatched: dict[tuple[str, str, str], list[Problem]] = {}
    counts = {"rows": 0, "flagged": 0, "adjusted": 0}
    flags: Counter[str] = Counter()
    totals: dict[int, AgencyTotals] = {}  # by place in the run: as stored, not read back
    # workers read through connections of their own, which would not see what a transaction the
    # caller left open has written
    workers = 1 if ws.db.in_transaction else jobs

    def scored() -> Iterator[StoredAgency]:
        """Each agency as it is scored, inside the run's transaction (so the rows are those planned)."""
        found = plan(rule_set, ws.observation_sources())  # each agency in the group the rule set ranks it in
        apart.extend(found.apart)
        try:
            matched = match_adjustments(chosen.rows if chosen else (),
                                        ((a, p, maxima(rule_set, g)) for a, g, p in found.keys))
        except AdjustmentsError as exc:
            bad.extend(exc.problems)
        if bad and chosen:  # only adjustments make `bad`: every bad row at once, nothing stored
            raise _adjustments_error(bad, chosen, source)
        order = {key: i for i, key in enumerate(found.keys)}
        best = {}
        if needs_best(rule_set):  # each agency compared with the best one: a first pass over all
            first = gather(found, rule_set, ws.stream_observations(relabel=relabelled))
            best = best_values(rule_set, ((*key, obs) for key, obs in first), order)
        scorer = Scorer(rule_set, best, matched)
        make: Make | None = None  # each agency's text, made as it is scored, when a writer takes it
        handed: InOrder | None = None
        if writer is not None:
            make = partial(_agency_text, writer)
            handed = InOrder(make, writer.write_encoded, rule_set.name)
        run = Run(ws, found, rule_set, order, scorer.score, make, relabelled)
        for done in score_chunks(run, workers):
            if done.unmatched:
                unmatched[done.key] = done.unmatched
            counts["rows"] += done.rows
            counts["flagged"] += done.flagged
            counts["adjusted"] += done.adjusted
            flags.update(done.flags)
            totals[done.found.seq] = done.totals()
            yield done.found if handed is None else handed.add(done.found, done.text or b"")
        if handed is not None:
            handed.finish()

    run_id = ws.store_scores(
        rules=rule_set.name,
        rules_title=rule_set.title,
        rules_text=rule_set.text,
        agencies=scored(),
        adjustments=chosen.to_json() if chosen else None,
        name=name,
    )
    return ScoreRun(run_id, rule_set, StoredScores(ws, run_id, rule_set.name), chosen, source, previous,
                    apart, [totals[seq] for seq in sorted(totals)], unmatched,
                    flag_counts=dict(sorted(flags.items(), key=_most_first)), name=name, **counts)


def _most_first(counted: tuple[str, int]) -> tuple[int, str]:
    """Flags by their count, the most frequent first, then by code (whichever order agencies were
    scored in)."""
    return -counted[1], counted[0]


def _adjustments_error(
    bad: list[Problem], chosen: AdjustmentSet | None, source: str
) -> AdjustmentsError:
    """Every bad adjustment row in line order; stored ones that no longer fit say how to go on."""
    from egovcli.score.adjust import AdjustmentsError

    found = sorted_by_line(bad)
    if source == "workspace" and chosen:
        stale = (
            f"Điều chỉnh sau thẩm định đã lưu trong workspace ({chosen.describe()}) không còn khớp"
            " với dữ liệu: chấm lại với --adjustments TỆP (tệp đã sửa) hoặc --no-adjustments."
        )
        found.insert(0, problem("E-ADJUSTMENTS-STALE", message=stale))
    return AdjustmentsError(found)


def check_adjustments(path: str | os.PathLike[str]) -> AdjustmentSet:
    """Read an appraisal adjustments CSV without scoring: its rows (each `Adjustment` with its file
    and line); AdjustmentsError listing every bad row as `file:line: …`. Whether each row's agency
    and criterion exist is checked when scoring (`score_workspace`)."""
    from egovcli.score.adjust import AdjustmentsError, read_adjustments

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


def score_rows(scores: Iterable[AgencyScore]) -> Iterator[dict[str, object]]:
    """One export row per scored row (SCORE_COLUMNS + SCORE_EXTRA_COLUMNS; JSON: SCORE_JSON_COLUMNS):
    the agency, group and period beside the `CriterionScore`'s fields; `problems` holds its flags as
    problem objects (the JSON key of every command, `egovcli.render.problems.record`). Made as they
    are read: a run's scores are never all in memory."""
    for s in scores:
        yield from _agency_rows(s, [r.as_dict() for r in s.rows])


def _agency_rows(score: AgencyScore, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """`score_rows` of one agency, from its rows' fields (`CriterionScore.as_dict`, as stored)."""
    from egovcli.render.problems import record

    head = _head(score)
    return [{**head, **fields, "problems": [record(p) for p in r.problems(score.agency)]}
            for r, fields in zip(score.rows, rows, strict=True)]


def _head(score: AgencyScore) -> dict[str, object]:
    """The cells of an agency's every export row before its row's fields."""
    return {"agency": score.agency, "group": score.group, "period": score.period}


def _agency_text(writer: RowWriter, score: AgencyScore, fields: list[dict[str, object]]) -> bytes:
    """An agency's export rows as `writer` writes them, UTF-8 encoded (made wherever the agency is
    scored: a worker hands over bytes, which the process writing them neither decodes nor encodes);
    without a "problems" column (CSV), its head and its fields as they are (`RowWriter.text`)."""
    if "problems" in writer.columns:
        return writer.text(_agency_rows(score, fields)).encode("utf-8")
    return writer.text(fields, _head(score)).encode("utf-8")


def stored_scores(ws: Workspace, *, run: str | None = None) -> tuple[RuleSet, StoredScores]:
    """The latest scoring run (or the one named `run`): the rule set it used (as stored) and the
    agency scores (`StoredScores`, read when reached)."""
    from egovcli.score.stored import StoredScores

    found, rules, _ = _stored_run(ws, run)
    return rules, StoredScores(ws, found["id"], found["rules"])


def _stored_run(ws: Workspace, name: str | None) -> tuple[sqlite3.Row, RuleSet, str]:
    """The latest scoring run (or the one called `name`), its rule set, and which adjustments it
    applied (as outputs say it)."""
    from egovcli.rules import load_rules_text
    from egovcli.score.adjust import AdjustmentSet

    run = ws.latest_run(name)
    if run is None:
        if name is not None:
            raise NoScoresError(f"Không có lần chấm điểm nào tên '{name}' trong workspace"
                                " (xem 'egov workspace info').")
        raise NoScoresError(
            "Chưa có kết quả chấm điểm trong workspace: hãy chạy 'egov score --rules …' trước."
        )
    recorded, adjustments = ws.run_adjustments(run["id"])
    used = (
        AdjustmentSet.from_json(adjustments).describe() if adjustments
        else NO_ADJUSTMENTS if recorded else UNRECORDED_ADJUSTMENTS
    )
    rules = load_rules_text(run["rules_text"], f"{run['rules']} (workspace)")
    return run, rules, used


@dataclass(frozen=True, slots=True)
class RankResult:
    """A ranking (`egov rank`): one `RankRow` per agency and period (rank, total, level, section
    points, change since the previous period), the scores it ranks and the rule set they used.

    `scores` is a `StoredScores`: the ranked agencies' `AgencyScore`s in ranking order, each read
    from the workspace when reached (`for_agency(agency, period, group)` reads one); the ranking
    itself was made from each agency's stored totals, without reading any criterion row."""

    rules: RuleSet
    ranking: list[RankRow]
    scores: StoredScores
    adjustments: str = NO_ADJUSTMENTS  # which appraisal adjustments the ranked scores include
    robustness: str = ""  # how the rank intervals were drawn (`rank_robustness`); "" when they were not

    def columns(self, table: bool = False) -> tuple[str, ...]:
        """The ranking's columns: RANK_COLUMNS, then `index` for an index result (beside the total
        for a `table`), then the rank interval when `rank_robustness` computed it."""
        from egovcli.api.outputs import precision_columns

        columns = precision_columns(RANK_TABLE_COLUMNS if table else RANK_COLUMNS, self.rules, beside=table)
        return (*columns, *ROBUSTNESS_COLUMNS) if self.robustness else columns


def rank_workspace(ws: Workspace, *, ties: str = "competition", run: str | None = None) -> RankResult:
    """Rank the latest scoring run (or the one named `run`), per period and agency group, with the
    rule set's levels and each agency's change since the previous period of the same kind when the
    workspace holds it (a merged agency against its predecessors' mean, a renamed one against its
    former name: `rank.previous`). Reads each agency's totals only."""
    from egovcli.rank import compare_with_previous, rank_scores
    from egovcli.score.stored import StoredScores, totals_of

    found, rules, adjustments = _stored_run(ws, run)
    levels = [(lv.min, lv.name) for lv in rules.levels]
    totals = list(totals_of(ws, found["id"], found["rules"]))
    ranking = rank_scores(totals, ties=ties, levels=levels, ranked=rules.groups, precision=rules.precision)
    compare_with_previous(ranking, ws.lineage(), rules.precision.decimals)  # merged / renamed agencies too
    keys = [(r.agency, r.group, r.period) for r in ranking]
    return RankResult(rules, ranking, StoredScores(ws, found["id"], found["rules"], keys), adjustments)
