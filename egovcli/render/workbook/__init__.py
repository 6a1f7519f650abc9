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

import contextlib
import errno
import gc
import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import egovcli
from egovcli import OUTPUT_MARKER
from egovcli.rank.model import RankRow
from egovcli.render.atomic import Protected, atomic_path
from egovcli.render.fixedzip import FIXED_TIME, normalised_zip
from egovcli.render.summary import adjustments_of, flags_of, ordered_scores, tie_rule, total_rule
from egovcli.render.workbook.details import DetailSheet, ListSheet, run_sheet
from egovcli.render.workbook.layout import sheet_name, styles, use_times
from egovcli.render.workbook.ranking import by_table, index_format, ranking_sheet
from egovcli.rules.model import RuleSet
from egovcli.score.model import AgencyScore

__all__ = [
    "ADJUSTMENT_SHEET", "AUDIT_SHEET", "DETAIL_SHEET", "RUN_SHEET", "RankingWorkbook", "ranking_workbook",
    "sheet_name", "write_ranking_workbook",
]

DETAIL_SHEET = "Chi tiết tiêu chí"
AUDIT_SHEET = "Kiểm tra"
ADJUSTMENT_SHEET = "Điều chỉnh"  # only when the scoring applied appraisal adjustments
RUN_SHEET = "Thông tin lần chạy"
ADJUSTMENT_COLUMNS = (  # adjustments_of key, header, width
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
AUDIT_COLUMNS = (  # flags_of key, header, width
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
    Scores in any order; `RankingWorkbook` takes them one at a time, in ranking order.
    """
    title = rules_title or ", ".join(sorted({s.rules for s in scores}))
    with ranking_workbook(path, ranking, sections, title, adjustments=adjustments, protected=protected,
                          rules=rules, run=run, robustness=robustness) as book:
        for score in ordered_scores(ranking, scores):
            book.add(score)


@contextmanager
def ranking_workbook(
    path: str | os.PathLike[str],
    ranking: list[RankRow],
    sections: list[tuple[str, str, float]],
    title: str,
    *,
    adjustments: str = "",
    protected: Protected | None = None,
    rules: RuleSet | None = None,
    run: RunInfo | None = None,
    robustness: str = "",
) -> Iterator[RankingWorkbook]:
    """The ranking workbook, to be given each agency's score in ranking order (`RankingWorkbook.add`),
    written to `path` atomically when the block ends (nothing, and the old file kept, when it fails;
    a full disk, there or in a sheet's temporary file, is an OutputError). `title` names the rule set;
    the other arguments are `write_ranking_workbook`'s."""
    with atomic_path(path, protected) as tmp, _disk_errors():
        book = RankingWorkbook(ranking, sections, title, adjustments=adjustments, rules=rules,
                               robustness=robustness)
        try:
            yield book
            data = book.finish(run)
        except BaseException:
            book.discard()
            raise
        tmp.write_bytes(data)


class RankingWorkbook:
    """The ranking workbook written as it is read: the ranking sheets at once (they need only the
    ranking), then each agency's full score as `add` is given it, in ranking order, into the detail,
    audit and adjustment sheets; `save` adds the run sheet and writes the file. Every sheet is
    write-only (openpyxl streams its rows to a temporary file), so memory does not grow with the
    agencies (`ranking_workbook` writes it; `write_ranking_workbook` for the arguments)."""

    def __init__(
        self, ranking: list[RankRow], sections: list[tuple[str, str, float]], title: str, *,
        adjustments: str = "", rules: RuleSet | None = None, robustness: str = "",
    ) -> None:
        from openpyxl import Workbook

        wb = self.wb = Workbook(write_only=True)
        wb.properties.creator = "egov"
        wb.properties.keywords = OUTPUT_MARKER  # so that `egov ingest` never reads it back as a report
        wb.properties.created = FIXED_TIME
        use_times(wb)
        st = self.st = styles()
        self.title, self.rules = title, rules
        adjusted = f"; điều chỉnh sau thẩm định: {adjustments}" if adjustments else ""
        self.used = {n.casefold() for n in (DETAIL_SHEET, AUDIT_SHEET, ADJUSTMENT_SHEET, RUN_SHEET)}
        tables = by_table(ranking)
        several = len({t[0].period for t in tables}) > 1
        for rows in tables:
            first = rows[0]
            name = first.group_label + (f" {first.period}" if several else "")
            # the group and period in the line right above the header: `egov verify` tells tables apart by it
            subtitle = (f"Bộ tiêu chí: {title}; kỳ đánh giá: {first.period}; nhóm: {first.group_label}"
                        f"{adjusted}")
            ws = wb.create_sheet(sheet_name(name, self.used))
            ranking_sheet(ws, rows, sections, subtitle, title, st, rules)
        self.periods = ", ".join(sorted({r.period for r in ranking}))
        self.subtitle = f"Bộ tiêu chí: {title}; kỳ đánh giá: {self.periods}{adjusted}"
        if not tables:  # still a first sheet saying so
            ranking_sheet(wb.create_sheet("Xếp hạng"), [], sections, self.subtitle, title, st, rules)
        self.detail = DetailSheet(wb.create_sheet(DETAIL_SHEET), ranking, self.subtitle, title, st,
                                  index_format(rules) if rules and rules.precision.index else None)
        self.audit = ListSheet(wb.create_sheet(AUDIT_SHEET), "Kiểm tra: cảnh báo khi chấm điểm",
                               AUDIT_COLUMNS, self.subtitle, title, st)
        self.adjusted: ListSheet | None = None  # made at the first adjustment
        self.items = _run_items(ranking, title, self.periods, adjustments, rules, robustness)

    def add(self, score: AgencyScore) -> None:
        """One agency's score (the next in ranking order): its criteria, flags and adjustments."""
        self.detail.add(score)
        self.audit.add(flags_of(score))
        if adjusted := adjustments_of(score):
            if self.adjusted is None:
                ws = self.wb.create_sheet(ADJUSTMENT_SHEET)
                self.adjusted = ListSheet(ws, "Điều chỉnh sau thẩm định", ADJUSTMENT_COLUMNS, self.subtitle,
                                          self.title, self.st)
            self.adjusted.add(adjusted)

    def discard(self) -> None:
        """Stop every sheet's writer after a failure, so that none writes again (and fails again,
        noisily: a full disk) when it is collected."""
        from lxml.etree import SerialisationError

        for ws in self.wb.worksheets:
            for stream in (getattr(ws, "_rows", None), getattr(getattr(ws, "_writer", None), "xf", None)):
                if stream is not None:
                    with contextlib.suppress(SerialisationError, OSError, ValueError):
                        stream.close()

    def finish(self, run: RunInfo | None = None) -> bytes:
        """Close the sheets, add the run sheet (`run`: more of what produced it); the file's bytes."""
        self.detail.sheet.end()
        self.audit.end("Không có cảnh báo.")
        if self.adjusted is not None:
            self.adjusted.end()
        items = self.items + list(run.items() if isinstance(run, Mapping) else run or ())
        run_sheet(self.wb.create_sheet(RUN_SHEET), items, self.subtitle, self.title, self.st)
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return normalised_zip(buffer.getvalue())


@contextmanager
def _disk_errors() -> Iterator[None]:
    """A full disk met by openpyxl writing a sheet (to its temporary file, or the workbook) as the
    OSError it is: lxml says "IO_EFBIG", "IO_ENOSPC"…"""
    from lxml.etree import SerialisationError

    failed = ""
    try:
        yield
    except SerialisationError as exc:
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
