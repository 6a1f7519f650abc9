"""The library behind the CLI: one function per command, callable from tests and scripts.

Each function takes an open `Workspace` and plain values, and returns plain values; nothing here
prints or exits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from egovcli.model import SourcedObservation
from egovcli.rank.model import RankRow
from egovcli.rules.model import RuleSet
from egovcli.score.model import AgencyScore, CriterionScore
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
SCORE_EXTRA_COLUMNS = ("label", "explanation", "source_file", "location")
RANK_COLUMNS = ("rank", "agency", "group", "period", "total", "max_total", "level")


class NoScoresError(Exception):
    """`egov rank` before `egov score`."""


def indicator_rows(ws: Workspace, *, unmapped: bool = False) -> list[dict[str, object]]:
    """Every stored observation as an export row (unmapped=True: only data rows with no indicator)."""
    rows: list[dict[str, object]] = []
    for so in ws.observations():
        o = so.obs
        if unmapped and (o.kind != "data" or o.indicator):
            continue
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


@dataclass(slots=True)
class ScoreRun:
    run_id: int
    rules: RuleSet
    scores: list[AgencyScore]


def score_workspace(ws: Workspace, rules_name: str) -> ScoreRun:
    """Score every agency and period in the workspace under one rule set; the run is stored."""
    from egovcli.rules import load_rules
    from egovcli.score.engine import score_agencies

    rules = load_rules(rules_name)
    by_agency: dict[tuple[str, str, str], list[SourcedObservation]] = defaultdict(list)
    for so in ws.observations():
        by_agency[(so.agency, so.group, so.period)].append(so)
    # all agencies at once: normalised_to_best criteria compare each agency with the best one
    scores = score_agencies(rules, [(a, g, p, obs) for (a, g, p), obs in sorted(by_agency.items())])
    run_id = ws.store_scores(
        rules=rules.name,
        rules_title=rules.title,
        rules_text=rules.text,
        rows=[(s.agency, s.group, s.period, r.as_dict()) for s in scores for r in s.rows],
    )
    return ScoreRun(run_id, rules, scores)


def score_rows(scores: list[AgencyScore]) -> list[dict[str, object]]:
    return [
        {"agency": s.agency, "group": s.group, "period": s.period, **r.as_dict()}
        for s in scores
        for r in s.rows
    ]


def stored_scores(ws: Workspace) -> tuple[RuleSet, list[AgencyScore]]:
    """The latest scoring run: the rule set it used (as stored) and the agency scores."""
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
    return load_rules_text(run["rules_text"], f"{run['rules']} (workspace)"), list(scores.values())


@dataclass(slots=True)
class RankResult:
    rules: RuleSet
    ranking: list[RankRow]
    scores: list[AgencyScore]


def rank_workspace(ws: Workspace, *, ties: str = "competition") -> RankResult:
    """Rank the latest scoring run, per period and agency group."""
    from egovcli.rank import rank_scores

    rules, scores = stored_scores(ws)
    ranking: list[RankRow] = []
    for period in sorted({s.period for s in scores}):
        ranking.extend(rank_scores([s for s in scores if s.period == period], ties=ties))
    return RankResult(rules, ranking, scores)


def write_rank_outputs(result: RankResult, *, xlsx: Path | None, md: Path | None, html: Path | None) -> None:
    """Write the ranking workbook and the markdown / HTML summaries (each atomically)."""
    from egovcli.render.atomic import write_text

    rules = result.rules
    sections = [(s.id, s.title, s.max) for s in rules.sections]
    if xlsx:
        from egovcli.render.workbook import write_ranking_workbook

        write_ranking_workbook(xlsx, result.ranking, result.scores, sections, rules_title=rules.title)
    if md or html:
        from egovcli.render.summary import render_html, render_markdown, summary_context

        periods = ", ".join(sorted({r.period for r in result.ranking}))
        ctx = summary_context(result.ranking, result.scores, sections, rules.title, periods)
        if md:
            write_text(md, render_markdown(ctx))
        if html:
            write_text(html, render_html(ctx))
