"""The ranking as the annex (phụ lục) of a decision (quyết định), the way Nghị định 30/2020/NĐ-CP lays
one out: "PHỤ LỤC", the title, "(Kèm theo Quyết định số …/QĐ-… ngày … tháng … năm … của …)" with
what is not known yet left as dotted placeholders, then one table per agency group (rank order: TT,
the agency, each section's points — or index, for `result: index` rule sets —, the total, the rank,
the level). A4 portrait, landscape when the sections leave the agency's name too narrow a column.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from egovcli.problems import UsageError
from egovcli.rank.model import RankRow
from egovcli.render import docx_page
from egovcli.render.atomic import Protected
from egovcli.render.summary import section_heading
from egovcli.rules.model import RuleSet
from egovcli.textnorm import nfc, vi_number

DOTS = "…"
_ROMAN_DIGITS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_NAME_MIN_MM = 50  # narrower, a long agency name takes more lines than its row is worth
_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


@dataclass(frozen=True, slots=True)
class AnnexHeading:
    """What the annex says about the decision it is attached to; "" leaves a dotted placeholder to
    fill in by hand. `number`: "125/QĐ-UBND"; `date`: "15/01/2026" (or 2026-01-15); `issuer`: "UBND
    tỉnh Hà Nam"; `title`: the annex title (default: "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG NĂM <kỳ>")."""

    number: str = ""
    date: str = ""
    issuer: str = ""
    title: str = ""

    def __post_init__(self) -> None:  # a mistyped date is refused before any work, not in the output
        self.date_words()

    def date_words(self) -> str:
        """"ngày 15 tháng 01 năm 2026"; dots when not given. UsageError for a date that is none."""
        if not self.date.strip():
            return f"ngày {DOTS} tháng {DOTS} năm {DOTS}"
        found = _DATE.match(self.date)
        parts = (found.group(1), found.group(2), found.group(3)) if found else None
        if parts is None and (iso := _ISO.match(self.date)):
            parts = (iso.group(3), iso.group(2), iso.group(1))
        try:
            day = dt.date(int(parts[2]), int(parts[1]), int(parts[0])) if parts else None
        except ValueError:
            day = None
        if day is None:
            raise UsageError(f"ngày quyết định '{self.date}' không phải một ngày (viết dd/mm/yyyy, ví dụ"
                             " 15/01/2026).", message_en=f"the decision date '{self.date}' is no date (write"
                             " dd/mm/yyyy, e.g. 15/01/2026).")
        return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

    def reference(self) -> str:
        """"(Kèm theo Quyết định số 125/QĐ-UBND ngày 15 tháng 01 năm 2026 của UBND tỉnh Hà Nam)"."""
        number = nfc(self.number.strip()) or f"{DOTS}/QĐ-{DOTS}"
        issuer = nfc(self.issuer.strip()) or DOTS
        return f"(Kèm theo Quyết định số {number} {self.date_words()} của {issuer})"


def annex_title(heading: AnnexHeading, periods: Sequence[str]) -> str:
    """The annex title: the one given, else "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG NĂM 2022" (KỲ for a period
    that is not a year)."""
    if heading.title.strip():
        return nfc(heading.title.strip())
    word = "NĂM" if all(p.isdigit() for p in periods) else "KỲ"
    return f"KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG {word} {', '.join(periods) or DOTS}"


def roman(number: int) -> str:
    """`number` (≥ 1) in Roman numerals, as the annex numbers its tables: 14 → "XIV"."""
    out = ""
    for value, digits in _ROMAN_DIGITS:
        count, number = divmod(number, value)
        out += digits * count
    return out


@dataclass(frozen=True, slots=True)
class _Layout:
    landscape: bool
    widths: tuple[float, ...]
    size: float


def _layout(columns: Sequence[tuple[str, float]]) -> _Layout:
    """Column widths that fill the text width exactly: portrait when the agency's name keeps
    `_NAME_MIN_MM`, else landscape (narrower fixed columns and smaller text if even that is short)."""
    for landscape, scale, size in ((False, 1.0, 12), (True, 1.0, 11), (True, 0.8, 9)):
        fixed = sum(width for _, width in columns) * scale
        name = docx_page.text_width_mm(landscape) - fixed
        if name >= _NAME_MIN_MM or scale < 1:
            widths = [width * scale for _, width in columns]
            widths.insert(1, name)
            return _Layout(landscape, tuple(round(w, 2) for w in widths), size)
    raise AssertionError("unreachable: the last layout always fits")


def write_annex(
    target: str | os.PathLike[str],
    ranking: Iterable[RankRow],
    rules: RuleSet,
    heading: AnnexHeading = AnnexHeading(),
    protected: Protected | None = None,
) -> None:
    """Write the ranking as a decision annex (.docx) to `target`, atomically and deterministically."""
    rows = list(ranking)
    decimals = rules.precision.decimals
    index = rules.precision.index
    levels = any(r.level for r in rows)
    periods = sorted({r.period for r in rows}) or [rules.period]
    sections = list(rules.sections)
    width = 15 if index else 13  # "0,8123" / "123,45" at 11–12 pt
    columns: list[tuple[str, float]] = [("TT", 10)]
    columns += [(f"{s.id}{'' if s.counts else '*'}\n({vi_number(s.max)})", width) for s in sections]
    columns += [("Tổng điểm", 17)] + ([("Chỉ số", 16)] if index else []) + [("Xếp hạng", 14)]
    columns += [("Xếp loại", 22)] if levels else []
    layout = _layout(columns)
    header = [columns[0][0], "Tên cơ quan, đơn vị", *(name for name, _ in columns[1:])]
    right = [False, False, *([True] * (len(sections) + 2 + int(index))), False]
    title = annex_title(heading, periods)
    document = docx_page.new_document(landscape=layout.landscape, title=title)
    docx_page.paragraph(document, "PHỤ LỤC", bold=True, center=True, size=14)
    docx_page.paragraph(document, title.upper(), bold=True, center=True, size=14)
    # Nghị định 30: the "(Kèm theo …)" line right under the annex's name; the rule set after it
    docx_page.paragraph(document, heading.reference(), italic=True, center=True, size=14)
    docx_page.paragraph(document, f"Theo {rules.title}", center=True, size=13, before=6, after=12)
    blocks: list[tuple[str, str, list[RankRow]]] = []
    for row in rows:
        if not blocks or (blocks[-1][0], blocks[-1][1]) != (row.period, row.group):
            blocks.append((row.period, row.group, []))
        blocks[-1][2].append(row)
    for number, (period, _group, members) in enumerate(blocks):
        label = members[0].group_label + (f" — năm {period}" if len(periods) > 1 else "")
        docx_page.paragraph(document, f"{roman(number + 1)}. {label}", bold=True, before=12 if number else 0,
                            after=6)
        body = []
        for position, row in enumerate(members, start=1):
            if index:
                parts = [vi_number(row.section_indices.get(s.id), decimals, fixed=True) for s in sections]
            else:
                parts = [vi_number(row.sections.get(s.id), decimals) for s in sections]
            cells = [str(position), row.agency, *parts, vi_number(row.total, decimals)]
            cells += [vi_number(row.index, decimals, fixed=True)] if index else []
            cells += [str(row.rank)] + ([row.level] if levels else [])
            body.append(cells)
        docx_page.table(document, header, body, layout.widths, size=layout.size, right=right)
    # the sections' legend once, under the last table: every table has the same columns
    legend = "; ".join(f"{section_heading(s.id, s.title)} (tối đa {vi_number(s.max)} điểm"
                       + ("" if s.counts else "; không tính điểm") + ")" for s in sections)
    what = "chỉ số" if index else "điểm"
    docx_page.paragraph(document, f"Ghi chú: cột mục là {what} của từng mục — {legend}.", italic=True,
                        size=11, before=3)
    docx_page.save(document, target, protected)
