"""The ranking as an Excel workbook a Sở can print and publish.

Sheets: one ranking per agency group (and period, when several are ranked), titled as the rule set
titles the group ("Sở, ban, ngành"): rank, agency, section points (indices with `result: index`),
total, level, rank interval (`--robustness`), change since the previous period; "Chi tiết tiêu
chí" (every agency's points per criterion with basis, flags, explanation and source, filterable);
"Kiểm tra" (one row per scoring flag); "Điều chỉnh" (the appraisal adjustments, when any); "Thông
tin lần chạy" (what produced it). Every sheet prints on A4 landscape, one page wide, in Times New
Roman, its header row repeated on every page, "Trang X/Y" in the footer (`layout`).
Points stay real numbers; text from submissions is always written as text. The file is the same
bytes for the same ranking (`fixedzip`).
"""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import egovcli
from egovcli import OUTPUT_MARKER
from egovcli.rank.model import RankRow
from egovcli.render.atomic import Protected, atomic_path
from egovcli.render.fixedzip import FIXED_TIME, normalised_zip
from egovcli.render.summary import adjustment_rows, flag_rows, tie_rule, total_rule
from egovcli.render.workbook.details import detail_sheet, list_sheet, run_sheet
from egovcli.render.workbook.layout import sheet_name, styles, use_times
from egovcli.render.workbook.ranking import by_table, index_format, ranking_sheet
from egovcli.rules.model import RuleSet
from egovcli.score.model import AgencyScore

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "ADJUSTMENT_SHEET", "AUDIT_SHEET", "DETAIL_SHEET", "RUN_SHEET", "sheet_name", "write_ranking_workbook",
]

DETAIL_SHEET = "Chi tiết tiêu chí"
AUDIT_SHEET = "Kiểm tra"
ADJUSTMENT_SHEET = "Điều chỉnh"  # only when the scoring applied appraisal adjustments
RUN_SHEET = "Thông tin lần chạy"
ADJUSTMENT_COLUMNS = (  # adjustment_rows key, header, width
    ("agency", "Cơ quan", 26),
    ("period", "Kỳ", 7),
    ("criterion", "Tiêu chí", 9),
    ("label", "Nội dung", 36),
    ("points", "Điểm sau điều chỉnh", 10),
    ("max_points", "Điểm tối đa", 9),
    ("reason", "Lý do", 34),
    ("explanation", "Diễn giải", 48),
    ("source_file", "Tệp", 20),
    ("location", "Vị trí", 10),
)
AUDIT_COLUMNS = (  # flag_rows key, header, width
    ("agency", "Cơ quan", 26),
    ("criterion", "Tiêu chí", 9),
    ("label", "Nội dung", 34),
    ("flag", "Cờ", 28),
    ("self_points", "Điểm tự đánh giá", 9),
    ("appraised_points", "Điểm thẩm định", 9),
    ("basis", "Căn cứ", 12),
    ("points", "Điểm tính được", 9),
    ("explanation", "Diễn giải", 46),
    ("source_file", "Tệp nguồn", 22),
    ("location", "Vị trí", 12),
)
RunInfo = Sequence[tuple[str, object]] | Mapping[str, object]


def write_ranking_workbook(
    path: str | os.PathLike[str],
    ranking: list[RankRow],
    scores: Sequence[AgencyScore],
    sections: list[tuple[str, str, float]],
    rules_title: str = "",
    *,
    adjustments: str = "",
    protected: Protected | None = None,
    rules: RuleSet | None = None,
    run: RunInfo | None = None,
    robustness: str = "",
) -> None:
    """Write the ranking workbook to `path` atomically (never onto a `protected` path).

    `sections` = (id, title, max) in rule order; `rules_title` names the rule set in the titles and
    page headers (default: the rule-set names found in `scores`); `adjustments` says which appraisal
    adjustments the scoring applied ("adjustments.csv (2 dòng, sha256 …)" or "không có"); `rules`
    how its totals were made: with `result: index` the sections and totals as indices, what is not
    counted marked "không tính điểm" (None: points, everything counted); `run` (label, value) pairs
    describing the run (a manifest: inputs, hashes, options, time), shown on the run sheet after
    what the workbook itself knows; `robustness` how the rank intervals were drawn, when they were.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "egov"
    wb.properties.keywords = OUTPUT_MARKER  # so that `egov ingest` never reads it back as a report
    wb.properties.created = FIXED_TIME
    use_times(wb)
    st = styles()
    title = rules_title or ", ".join(sorted({s.rules for s in scores}))
    adjusted = f"; điều chỉnh sau thẩm định: {adjustments}" if adjustments else ""
    used = {n.casefold() for n in (DETAIL_SHEET, AUDIT_SHEET, ADJUSTMENT_SHEET, RUN_SHEET)}
    tables = by_table(ranking)
    several = len({t[0].period for t in tables}) > 1
    wb.remove(wb.active)
    for rows in tables:
        first = rows[0]
        name = first.group_label + (f" {first.period}" if several else "")
        # the group and period in the line right above the header: `egov verify` tells tables apart by it
        subtitle = f"Bộ tiêu chí: {title}; kỳ đánh giá: {first.period}; nhóm: {first.group_label}{adjusted}"
        ranking_sheet(wb.create_sheet(sheet_name(name, used)), rows, sections, subtitle, title, st, rules)
    periods = ", ".join(sorted({r.period for r in ranking}))
    subtitle = f"Bộ tiêu chí: {title}; kỳ đánh giá: {periods}{adjusted}"
    if not tables:  # still a first sheet saying so
        ranking_sheet(wb.create_sheet("Xếp hạng"), [], sections, subtitle, title, st, rules)
    detail_sheet(wb.create_sheet(DETAIL_SHEET), ranking, scores, subtitle, title, st,
                 index_format(rules) if rules and rules.precision.index else None)
    list_sheet(wb.create_sheet(AUDIT_SHEET), "Kiểm tra: cảnh báo khi chấm điểm", AUDIT_COLUMNS,
               flag_rows(ranking, list(scores)), "Không có cảnh báo.", subtitle, title, st)
    if adjusted_rows := adjustment_rows(ranking, list(scores)):
        list_sheet(wb.create_sheet(ADJUSTMENT_SHEET), "Điều chỉnh sau thẩm định", ADJUSTMENT_COLUMNS,
                   adjusted_rows, "", subtitle, title, st)
    items = _run_items(ranking, title, periods, adjustments, rules, robustness)
    items += list(run.items() if isinstance(run, Mapping) else run or ())
    run_sheet(wb.create_sheet(RUN_SHEET), items, subtitle, title, st)
    with atomic_path(path, protected) as tmp:  # a failed write, there or in _saved: an OutputError
        tmp.write_bytes(_saved(wb))


def _saved(wb: Workbook) -> bytes:
    """The workbook's bytes, built in memory, the same for the same content (`normalised_zip`).
    openpyxl writes each sheet through a temp file first: a full disk there is an OSError too."""
    from lxml.etree import SerialisationError

    buffer = io.BytesIO()
    failed = ""
    try:
        wb.save(buffer)
    except SerialisationError as exc:  # lxml says "IO_EFBIG", "IO_ENOSPC"…
        failed = str(exc)
    if failed:
        # the failed sheet writer (a generator) fails once more when collected: noise on stderr
        hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
        try:
            gc.collect()
        finally:
            sys.unraisablehook = hook
        code = next((getattr(errno, n) for n in ("EFBIG", "ENOSPC", "EDQUOT") if n in failed), errno.EIO)
        raise OSError(code, os.strerror(code))
    return normalised_zip(buffer.getvalue())


def _run_items(
    ranking: list[RankRow], title: str, periods: str, adjustments: str, rules: RuleSet | None,
    robustness: str,
) -> list[tuple[str, object]]:
    """What the workbook itself knows of the run that produced it."""
    counts: dict[str, int] = {}
    for row in ranking:
        label = f"{row.group_label}, kỳ {row.period}"
        counts[label] = counts.get(label, 0) + 1
    items: list[tuple[str, object]] = [
        ("Phần mềm", f"egov {egovcli.__version__}"),
        ("Bộ tiêu chí", title + (f" ({rules.name})" if rules else "")),
        ("Kỳ đánh giá", periods),
        ("Số cơ quan xếp hạng", [f"{label}: {n}" for label, n in counts.items()]),
        ("Cách tính điểm", total_rule(rules)),
        ("Đồng hạng", f"Các cơ quan {tie_rule(rules)} có cùng thứ hạng."),
    ]
    items += [("Điều chỉnh sau thẩm định", adjustments)] if adjustments else []
    items += [("Khoảng hạng (5–95%)", robustness)] if robustness else []
    return items
