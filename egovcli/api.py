"""The library behind the CLI: one function per command, callable from tests and scripts.

Each function takes an open `Workspace` and plain values, and returns plain values; nothing here
prints or exits.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from egovcli.model import SourcedObservation
from egovcli.problems import EgovError, Location, Problem, problem, sorted_by_line
from egovcli.rank.model import RankRow
from egovcli.rules.model import Criterion, RuleSet
from egovcli.score.adjust import AdjustmentSet
from egovcli.score.model import AgencyScore, CriterionScore
from egovcli.verify import Finding
from egovcli.workspace import Workspace

INDICATOR_COLUMNS = (
    "agency",
    "period",
    "indicator",
    "label",
    "raw_value",
    "value",
    "unit",
    "kind",
    "source_file",
    "location",
)
SCORE_COLUMNS = (
    "agency",
    "group",
    "period",
    "criterion",
    "section",
    "points",
    "max_points",
    "basis",
    "self_points",
    "flags",
)
SCORE_EXTRA_COLUMNS = ("label", "explanation", "source_file", "location", "adjustment_reason")
# JSON also has each row's flags as problem objects (docs/problems.md)
SCORE_JSON_COLUMNS = (*SCORE_COLUMNS, *SCORE_EXTRA_COLUMNS, "problems")
RANK_COLUMNS = (
    "rank",
    "agency",
    "group",
    "period",
    "total",
    "max_total",
    "level",
    "previous_period",
    "previous_rank",
    "rank_change",
    "previous_total",
    "total_change",
)
RULE_COLUMNS = (
    "id", "tt", "section", "label", "max", "formula", "inputs", "groups", "formula_text", "reading"
)
VERIFY_COLUMNS = ("agency", "item", "kind", "expected", "found", "location", "source_file", "explanation")
REBUILT_COLUMNS = (
    "rank", "agency", "group", "period", "total", "max_total", "published_rank", "published_total", "note"
)
SHIPPED_RULES_COLUMNS = ("name", "title", "period", "max_total", "criteria", "source")


class NoScoresError(EgovError):
    """`egov rank` before `egov score`."""

    code = "E-NO-SCORES"


class NothingToVerifyError(EgovError):
    """`egov verify` on a file with no published ranking table; the message says why."""

    code = "E-NOTHING-TO-VERIFY"


def indicator_rows(ws: Workspace, *, unmapped: bool = False) -> list[dict[str, object]]:
    """Every stored observation as an export row (unmapped=True: only data rows with no indicator
    that nobody has reviewed — a catalogue `not_indicators` label or a label pinned to none is a
    decision already made)."""
    rows: list[dict[str, object]] = []
    for so in ws.observations(unreviewed=unmapped):
        o = so.obs
        rows.append(
            {
                "agency": so.agency,
                "period": so.period,
                "indicator": o.indicator,
                "label": o.label,
                "raw_value": o.raw_value,
                "value": o.value,
                "unit": o.unit,
                "kind": o.kind,
                "source_file": so.source_file,
                "location": o.location,
            }
        )
    return rows


NO_ADJUSTMENTS = "không có"
UNRECORDED_ADJUSTMENTS = "không rõ (lần chấm điểm này có trước khi egov ghi lại điều chỉnh)"


@dataclass(slots=True)
class ScoreRun:
    run_id: int
    rules: RuleSet
    scores: list[AgencyScore]
    adjustments: AdjustmentSet | None = None  # the appraisal adjustments applied
    # where they came from: the --adjustments file, the workspace (kept from an earlier run), none
    adjustments_from: Literal["file", "workspace", "none"] = "none"
    previous_adjustments: AdjustmentSet | None = None  # the workspace's before this run


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
    from egovcli.rules import load_rules
    from egovcli.score.adjust import AdjustmentsError, read_adjustments
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
    by_agency: dict[tuple[str, str, str], list[SourcedObservation]] = defaultdict(list)
    for so in ws.observations():
        by_agency[(so.agency, so.group, so.period)].append(so)
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
    return ScoreRun(run_id, rule_set, scores, chosen, source, previous)


def score_rows(scores: list[AgencyScore]) -> list[dict[str, object]]:
    """One export row per scored row; `problems` holds its flags as problem objects (the JSON key of
    every command, `egovcli.render.problems.record`)."""
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


@dataclass(slots=True)
class RankResult:
    rules: RuleSet
    ranking: list[RankRow]
    scores: list[AgencyScore]
    adjustments: str = NO_ADJUSTMENTS  # which appraisal adjustments the ranked scores include


def rank_workspace(ws: Workspace, *, ties: str = "competition") -> RankResult:
    """Rank the latest scoring run, per period and agency group, with the rule set's levels and each
    agency's change since the previous period of the same kind when the workspace holds it."""
    from egovcli.rank import compare_with_previous, rank_scores

    rules, scores, adjustments = _latest_run(ws)
    levels = [(lv.min, lv.name) for lv in rules.levels]
    ranking = rank_scores(scores, ties=ties, levels=levels)
    compare_with_previous(ranking)
    return RankResult(rules, ranking, scores, adjustments)


def write_rank_outputs(
    result: RankResult,
    *,
    xlsx: str | os.PathLike[str] | None,
    md: str | os.PathLike[str] | None,
    html: str | os.PathLike[str] | None,
    protected: Mapping[str | os.PathLike[str], str] | None = None,
) -> None:
    """Write the ranking workbook and the markdown / HTML summaries (each atomically; `-` for a
    summary is stdout), never onto a `protected` path (`protected_outputs`)."""
    from egovcli.render.atomic import write_text

    rules = result.rules
    sections = [(s.id, s.title, s.max) for s in rules.sections]
    if xlsx:
        from egovcli.render.workbook import write_ranking_workbook

        write_ranking_workbook(xlsx, result.ranking, result.scores, sections, rules_title=rules.title,
                               adjustments=result.adjustments, protected=protected)
    if md or html:
        from egovcli.render.summary import render_html, render_markdown, summary_context

        periods = ", ".join(sorted({r.period for r in result.ranking}))
        ctx = summary_context(result.ranking, result.scores, sections, rules.title, periods,
                              result.adjustments)
        if md:
            write_text(md, render_markdown(ctx), protected)
        if html:
            write_text(html, render_html(ctx), protected)


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


def shipped_rules() -> list[dict[str, object]]:
    """One row per rule set shipped with egov (`egov rules list`)."""
    from egovcli.rules import list_rules, load_rules

    rows: list[dict[str, object]] = []
    for name in list_rules():
        rules = load_rules(name)
        rows.append(
            {
                "name": name,
                "title": rules.title,
                "period": rules.period,
                "max_total": rules.max_total,
                "criteria": len(rules.criteria),
                "source": rules.source,
            }
        )
    return rows


def rule_rows(rules: RuleSet) -> list[dict[str, object]]:
    """The rule set as a table (`egov rules show`): each section, subsection and the bonus as a
    heading row (formula "total" / "bonus"), followed by its criteria."""
    headings: list[tuple[str, str, str, float, str]] = []
    for section in rules.sections:
        headings.append((section.id, section.tt, section.title, section.effective_max, "total"))
        headings += [(sub.id, sub.tt, sub.title, sub.max, "total") for sub in section.subsections]
    if rules.bonus:
        headings.append((rules.bonus.id, "", rules.bonus.title, rules.bonus.cap, "bonus"))
    rows: list[dict[str, object]] = []
    for hid, tt, title, max_points, kind in headings:
        rows.append({"id": hid, "tt": tt, "section": hid.split(".")[0], "label": title.upper(),
                     "max": max_points, "formula": kind})
        rows += [_rule_row(c) for c in rules.criteria if (c.subsection or c.section) == hid]
    return rows


def _rule_row(c: Criterion) -> dict[str, object]:
    return {
        "id": c.id,
        "tt": c.tt,
        "section": c.section,
        "label": c.label,
        "max": c.max,
        "formula": c.formula.type,
        "inputs": list(c.inputs),
        "groups": list(c.groups),
        "formula_text": c.formula_text,
        "reading": c.reading,
    }


@dataclass(slots=True)
class VerifyResult:
    rules: RuleSet
    file: str
    cells: int  # published cells read
    findings: list[Finding]
    rebuilt: list[RankRow]  # the overall ranking per group, rebuilt from the criterion cells
    printed: dict[tuple[str, str], dict[str, float | None]]  # (group, agency key) → printed TOTAL, RANK

    def rebuilt_rows(self) -> list[dict[str, object]]:
        """The rebuilt ranking beside the printed overall table (when the document has one); `note`
        says whether they agree, else why not (the findings about that row)."""
        from egovcli.agencies import agency_key

        rows: list[dict[str, object]] = []
        for r in self.rebuilt:
            printed = self.printed.get((r.group, agency_key(r.agency)), {})
            rank, total = printed.get("RANK"), printed.get("TOTAL")
            if not printed:
                note = "không có bảng xếp hạng chung in sẵn"
            elif rank == r.rank and total is not None and abs(total - r.total) < 0.05:
                note = "khớp bảng in"
            else:
                why = [f.explanation for f in self.findings
                       if agency_key(f.agency) == agency_key(r.agency) and f.item in ("TOTAL", "RANK")]
                note = " ".join(why) or "khác bảng in"
            rows.append({**r.as_dict(), "published_rank": rank, "published_total": total, "note": note})
        return rows


def verify_file(path: Path, rules: RuleSet, *, agencies: Path | None = None) -> VerifyResult:
    """Check a published ranking (PDF, xlsx, docx…) against itself and a rule set: findings, and the
    overall ranking rebuilt from its criterion cells. Raises AgencyRegistryError for an unusable
    registry, NothingToVerifyError when the file holds no published table."""
    from egovcli.agencies import AgencyRegistry, agency_key, load_registry
    from egovcli.ingest import extract_isolated
    from egovcli.verify import rebuild_overall, verify_published

    registry = load_registry(agencies) if agencies else AgencyRegistry()
    extracted = extract_isolated(path)
    cells: list[SourcedObservation] = []
    for obs in extracted.observations:
        if obs.kind == "published_score" and obs.agency:
            agency = registry.resolve(obs.agency)
            obs.agency = agency.name
            period = extracted.period or ""
            cells.append(SourcedObservation(agency.name, agency.group, period, path.name, obs))
    if not cells:
        errors = "; ".join(p.message for p in extracted.problems if p.severity == "error")
        why = errors or "không tìm thấy bảng điểm xếp hạng nào (cột TT, tên cơ quan, điểm)"
        raise NothingToVerifyError(why, where=Location(str(path)))
    printed: dict[tuple[str, str], dict[str, float | None]] = {}
    for so in cells:
        if so.obs.indicator in ("TOTAL", "RANK"):
            printed.setdefault((so.group, agency_key(so.agency)), {})[so.obs.indicator] = so.obs.value
    findings, rebuilt = verify_published(cells, rules), rebuild_overall(cells, rules)
    return VerifyResult(rules, path.name, len(cells), findings, rebuilt, printed)
