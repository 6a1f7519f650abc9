"""Each agency's own page (`egov report`): built from the latest ranking (`api.rank_workspace`), written
as HTML and Word by `egovcli.render.agency_report`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli.problems import EgovError
from egovcli.render.agency_report import AgencyReport, LostPoints, closest
from egovcli.render.atomic import Protected
from egovcli.textnorm import key, nfc

if TYPE_CHECKING:
    from egovcli.workspace import Workspace

__all__ = ["AgencyReport", "LostPoints", "UnknownAgencyError", "agency_reports", "write_agency_reports"]


class UnknownAgencyError(EgovError):
    """`egov report --agency NAME` for an agency (or period) the scoring run does not hold; the
    message names the closest agencies."""

    code = "E-UNKNOWN-AGENCY"


def agency_reports(
    ws: Workspace, agency: str | None = None, period: str | None = None, *, ties: str = "competition"
) -> list[AgencyReport]:
    """Each ranked agency's page for `period` (default: the latest period ranked), or only `agency`'s
    (its name as written, accents and case ignored; a part of one name, such as "Sở Tài chính", when
    no other name holds it). UnknownAgencyError naming the closest names when there is no such
    agency or period; NoScoresError before `egov score`."""
    from egovcli.api import rank_workspace
    from egovcli.render.agency_report import build_reports

    result = rank_workspace(ws, ties=ties)
    periods = sorted({r.period for r in result.ranking})
    chosen = period if period is not None else (periods[-1] if periods else "")
    if chosen not in periods:
        raise UnknownAgencyError(f"kết quả chấm điểm không có kỳ '{period}'; các kỳ: {', '.join(periods)}.",
                                 message_en=f"the scoring run has no period '{period}'; its periods:"
                                 f" {', '.join(periods)}.")
    names = list(dict.fromkeys(r.agency for r in result.ranking if r.period == chosen))
    if agency is not None and period is None and not _matching(names, agency):
        elsewhere = sorted({r.period for r in result.ranking if _matching([r.agency], agency)})
        if elsewhere:  # ranked in an earlier period only: say which, rather than "no such agency"
            raise UnknownAgencyError(f"'{agency}' không có trong kỳ {chosen} (kỳ mới nhất), chỉ có trong kỳ"
                                     f" {', '.join(elsewhere)}: thêm --period {elsewhere[-1]}.",
                                     message_en=f"'{agency}' is not in period {chosen} (the latest), only in"
                                     f" {', '.join(elsewhere)}: add --period {elsewhere[-1]}.")
    wanted = names if agency is None else [_find(names, agency, chosen)]
    return build_reports(result.ranking, result.scores, result.rules, result.adjustments,
                         {(name, chosen) for name in wanted})


def _matching(names: list[str], wanted: str) -> list[str]:
    """The names `wanted` names: the same name (accents, case, spacing ignored), else those holding it."""
    target = key(nfc(wanted))
    same = [n for n in names if key(n) == target]
    return same or [n for n in names if target and target in key(n)]


def _find(names: list[str], wanted: str, period: str) -> str:
    """The one name `wanted` names (`_matching`); UnknownAgencyError for none (naming the closest) or
    several (naming them)."""
    found = _matching(names, wanted)
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(found[:8])
        raise UnknownAgencyError(f"'{wanted}' khớp với nhiều cơ quan kỳ {period}: {listed}. Hãy ghi đủ tên.",
                                 message_en=f"'{wanted}' matches several agencies of {period}: {listed}. Give"
                                 " the whole name.")
    near = "; ".join(closest(names, wanted))
    hint, hint_en = (f" Tên gần nhất: {near}.", f" Closest: {near}.") if near else ("", "")
    raise UnknownAgencyError(f"không có cơ quan '{wanted}' trong kết quả chấm điểm kỳ {period}.{hint}",
                             message_en=f"no agency '{wanted}' in the scoring run of {period}.{hint_en}")


def write_agency_reports(
    reports: list[AgencyReport], folder: str | os.PathLike[str], protected: Protected | None = None
) -> list[Path]:
    """Write each page as `<agency>.html` and `<agency>.docx` (the name made safe for a file name,
    Vietnamese kept, unique) into `folder`, each atomically; the paths written."""
    from egovcli.render.agency_report import write_reports

    return write_reports(reports, folder, protected)
