"""Published ranking tables (many agencies per table, kind = published_score)."""

from __future__ import annotations

from collections.abc import Sequence

from egovcli.model import Observation


def ranking_table_observations(rows: Sequence[Sequence[object]]) -> list[Observation] | None:
    """Observations of a published ranking table, or None when `rows` is not one."""
    return None
