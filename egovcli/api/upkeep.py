"""Keeping a workspace small (`egov workspace info | prune | vacuum`), and how much a ranking depends
on its weights (`egov rank --robustness N`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from egovcli.api import RankResult
    from egovcli.workspace import Workspace
    from egovcli.workspace.runs import Pruned, WorkspaceInfo


def workspace_info(ws: Workspace) -> WorkspaceInfo:
    """`egov workspace info`: the file's size (and what `vacuum_workspace` would free), submissions by
    status, observations, and each scoring run with its size, whether it is the latest and whether
    `prune_workspace` deletes it."""
    return ws.info()


def prune_workspace(ws: Workspace) -> Pruned:
    """`egov workspace prune`: delete the unnamed scoring runs a later run of the same rule set
    superseded (never the latest run, never a named one) and the rows nothing refers to (observations
    of a submission no longer stored, rows of a run no longer stored), in one transaction. Submissions,
    superseded ones included (supersession may make them count again), are never touched."""
    return ws.prune()


def vacuum_workspace(ws: Workspace) -> tuple[int, int]:
    """`egov workspace vacuum`: rewrite the file without its free pages (SQLite VACUUM, one
    transaction); the file's size before and after. WorkspaceError when another process writes to it
    or the disk has less free space than the file's size."""
    return ws.vacuum()


def check_robustness(draws: int, spread: float | None = None) -> None:
    """UsageError (in Vietnamese) unless `draws` ≥ 1 and 0 ≤ `spread` < 1: checked before any work."""
    from egovcli.rank import robustness as rb

    rb.check_options(draws, rb.DEFAULT_SPREAD if spread is None else spread)


def rank_robustness(
    result: RankResult, draws: int, *, seed: int | None = None, spread: float | None = None,
    ties: str = "competition",
) -> RankResult:
    """`result` with each agency's rank interval (`RankRow.rank_low` / `rank_high`: the 5th and 95th
    percentile of its rank over `draws` perturbations of the section weights, `egovcli.rank.robustness`;
    seed 2026 and spread 0.2 by default) and the scheme in words (`RankResult.robustness`). Only the
    agencies' section points are read (`result.scores` is iterated once). UsageError for draws < 1."""
    from dataclasses import replace

    from egovcli.rank import robustness as rb

    seed = rb.DEFAULT_SEED if seed is None else seed
    spread = rb.DEFAULT_SPREAD if spread is None else spread
    rb.check_options(draws, spread)
    found = rb.rank_intervals((rb.sections_of(s) for s in result.scores), result.rules, draws, seed=seed,
                              spread=spread, ties=ties)
    for row in result.ranking:
        row.rank_low, row.rank_high = found.get((row.period, row.group, row.agency), (None, None))
    return replace(result, robustness=rb.describe(draws, seed, spread))
