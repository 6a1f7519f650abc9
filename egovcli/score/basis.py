"""The bases a criterion falls back to when its data cannot score it, after the data (see
`egovcli.score.engine`): the appraisers' score ("Điểm thẩm định", basis "appraisal") before the
self-score, and the words saying why no self-score counts (basis "missing")."""

from __future__ import annotations

from collections.abc import Iterable, Set

from egovcli.model import SourcedObservation
from egovcli.score.model import CriterionScore
from egovcli.textnorm import vi_number
from egovcli.values import is_blank

QUOTED = 80  # a text value quoted in an explanation is cut to this many characters


def appraised_scores(
    observations: Iterable[SourcedObservation], criterion_ids: Set[str]
) -> dict[str, SourcedObservation]:
    """Per criterion, the first appraised score ("Điểm thẩm định") written for it; rows of criteria the
    rule set does not have are left out (their self-score row already says so: W-UNKNOWN-CRITERION)."""
    found: dict[str, SourcedObservation] = {}
    for so in observations:
        if so.obs.kind == "appraisal_score" and so.obs.indicator in criterion_ids:
            found.setdefault(so.obs.indicator, so)
    return found


def no_self_score(own: SourcedObservation | None) -> str:
    """Why no self-score counts: none written, or a cell that is no number ("Đạt", "x")."""
    if own is None or is_blank(own.obs.raw_value):
        return "Không có điểm tự đánh giá"
    text = own.obs.raw_value[:QUOTED]
    return f"Điểm tự đánh giá ghi '{text}', không phải số ({own.source_file}, {own.obs.location})"


def by_appraisal(row: CriterionScore, appraisal: SourcedObservation, why: str) -> None:
    """Score `row` by the appraisers' score (basis "appraisal"), clamped to [0, max], naming its cell
    and the self-score it replaces; what kept the data from scoring it stays said (`why`)."""
    appraised = row.appraised_points or 0.0
    row.basis, row.points = "appraisal", round(min(max(appraised, 0.0), row.max_points), 2)
    row.explanation = f"Theo điểm thẩm định {vi_number(appraised)} ({why})"
    if not 0 <= appraised <= row.max_points:
        row.explanation += f"; ngoài khoảng 0–{vi_number(row.max_points)} nên tính {vi_number(row.points)}"
    claimed = "không có" if row.self_points is None else vi_number(row.self_points)
    where = f"{appraisal.source_file}, {appraisal.obs.location}"
    row.explanation += f"; điểm tự đánh giá: {claimed}. Nguồn: {where}"
    row.source_file, row.location = appraisal.source_file, appraisal.obs.location
