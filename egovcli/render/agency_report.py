"""Each agency's own page (`egov report`): what a Sở sends back to each unit — its total, index, rank
in its group, level and change since the previous period; every criterion below its maximum with the
points lost and why (the explanation scoring stored: the formula with the values and the file and
cell they were read from); its flags, the appraisal adjustments, and the evidence still missing
(criteria scored from a self-score because the figures were missing or unusable, or scored 0 with
neither). As a self-contained HTML page (inline CSS, every submitted text escaped by the template's
autoescape) and as a Word page (A4, Times New Roman: `docx_page`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import egovcli
from egovcli.problems import Problem
from egovcli.rank.model import RankRow
from egovcli.render import docx_page
from egovcli.render.atomic import OutputError, Protected, write_text
from egovcli.render.problems import code_label
from egovcli.render.summary import change, criterion_sort_key, section_heading, template_dir
from egovcli.rules.formulas import Exemption, Formula
from egovcli.rules.model import RuleSet
from egovcli.score.model import BASIS_WORDS, AgencyScore, CriterionScore
from egovcli.textnorm import key, nfc, vi_number
from egovcli.untrusted import visible

TOLERANCE = 1e-6  # points: a criterion at its maximum up to float noise lost nothing
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')  # path separators, Windows' reserved, controls
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$", re.IGNORECASE)
_MAX_NAME = 80  # characters: a Vietnamese name takes up to 3 bytes each, file names 255 bytes


@dataclass(frozen=True, slots=True)
class LostPoints:
    """A criterion below its maximum: the points lost and why, with where the figures came from."""

    criterion: str
    label: str
    max_points: float
    points: float
    lost: float
    basis: str  # in words (`BASIS_WORDS`)
    explanation: str
    source: str  # "file, location"
    flags: tuple[str, ...]  # each flag's code with what it means
    counted: bool = True
    method: str = ""  # the criterion's "Cách tính" as the rule set prints it: how to gain the points
    evidence: str = ""  # its "Tài liệu kiểm chứng": what to send with the figure


@dataclass(frozen=True, slots=True)
class AgencyReport:
    """One agency's page for one period (`egov report`)."""

    agency: str
    group_label: str
    period: str
    rules_name: str
    rules_title: str
    adjustments_used: str
    decimals: int
    total: float
    max_total: float
    index: float | None
    rank: int
    group_size: int
    level: str
    previous_period: str
    previous_rank: int | None
    rank_change: int | None
    total_change: float | None
    previous_note: str
    # heading, points, maximum, index (an index rule set's 0–1 value of the section, else None)
    sections: tuple[tuple[str, float | None, float, float | None], ...]
    lost: tuple[LostPoints, ...]
    flags: tuple[Problem, ...]
    adjustments: tuple[tuple[str, str, str], ...]  # criterion, label, reason
    missing: tuple[tuple[str, str, str], ...]  # criterion, label, what is missing
    version: str = field(default=egovcli.__version__)

    @property
    def lost_total(self) -> float:
        return round(sum(item.lost for item in self.lost if item.counted), self.decimals)


def _source(row: CriterionScore) -> str:
    return ", ".join(part for part in (row.source_file, row.location) if part)


def _reads_figures(formula: Formula) -> bool:
    """Whether the formula scores from figures (an exemption's condition alone does not)."""
    return _reads_figures(formula.otherwise) if isinstance(formula, Exemption) else bool(formula.needs())


def _missing(row: CriterionScore, rules: RuleSet) -> str:
    """What evidence the criterion still lacks, or "" when it has what it needs."""
    if row.basis == "missing":
        return row.explanation or "Không có số liệu và điểm tự đánh giá: 0 điểm"
    try:
        criterion = rules.criterion(row.criterion)
    except KeyError:  # a stored run of an older rule set: nothing to say about its formula
        return ""
    if row.basis == "self" and _reads_figures(criterion.formula):
        return row.explanation
    return ""


def build_reports(
    ranking: Iterable[RankRow], scores: Iterable[AgencyScore], rules: RuleSet, adjustments_used: str,
    wanted: set[tuple[str, str]] | None = None,
) -> list[AgencyReport]:
    """The page of each ranked (agency, period) in `wanted` (None: every one), in ranking order."""
    rows = list(ranking)
    sizes: dict[tuple[str, str], int] = {}
    for row in rows:
        sizes[(row.period, row.group)] = sizes.get((row.period, row.group), 0) + 1
    chosen = [r for r in rows if wanted is None or (r.agency, r.period) in wanted]
    keys = {(r.agency, r.group, r.period) for r in chosen}
    found = {(s.agency, s.group, s.period): s for s in scores if (s.agency, s.group, s.period) in keys}
    decimals = rules.precision.decimals
    # each criterion's "Cách tính" and "Tài liệu kiểm chứng" as printed: how to gain the points lost
    printed = {c.id: (c.formula_text, c.evidence) for c in rules.criteria}
    out = []
    for row in chosen:
        score = found.get((row.agency, row.group, row.period))
        every = sorted(score.rows, key=lambda r: criterion_sort_key(r.criterion)) if score else []
        criteria = [c for c in every if c.basis != "total"]
        # an index beside its points, never alone beside a maximum in points ("0,85 / 100")
        indices = row.section_indices if rules.precision.index else {}
        sections = tuple((section_heading(s.id, s.title), row.sections.get(s.id), s.max, indices.get(s.id))
                         for s in rules.sections)
        lost = tuple(
            LostPoints(c.criterion, c.label, c.max_points, c.points, round(c.max_points - c.points, decimals),
                       BASIS_WORDS.get(c.basis, c.basis), c.explanation, _source(c),
                       tuple(code_label(f) for f in c.flags), c.counted, *printed.get(c.criterion, ("", "")))
            for c in criteria if c.points < c.max_points - TOLERANCE
        )
        out.append(AgencyReport(
            row.agency, row.group_label, row.period, rules.name, rules.title, adjustments_used, decimals,
            row.total, row.max_total, row.index, row.rank, sizes[(row.period, row.group)], row.level,
            row.previous_period, row.previous_rank, row.rank_change, row.total_change, row.previous_note,
            sections, lost,
            tuple(p for c in every for p in c.problems(row.agency)),  # a written subtotal's too
            tuple((c.criterion, c.label, c.adjustment_reason) for c in criteria if c.basis == "adjusted"),
            tuple((c.criterion, c.label, why) for c in criteria if (why := _missing(c, rules))),
        ))
    return out


def safe_file_names(names: Sequence[str]) -> list[str]:
    """A file name (without extension) for each agency name: the name as written (NFC, Vietnamese
    kept), with path separators, reserved characters and control characters replaced by "-", no
    leading dot, at most `_MAX_NAME` characters; unique, also on a file system that ignores case
    (a repeat gets "-2", "-3"…). The same names give the same file names."""
    used: set[str] = set()
    out = []
    for name in names:
        text = _UNSAFE_NAME.sub("-", unicodedata.normalize("NFC", visible(name)).replace("\\", "-"))
        text = re.sub(r"\s+", " ", text).strip(" .-")[:_MAX_NAME].strip(" .-") or "co-quan"
        if _RESERVED.match(text):
            text = f"_{text}"
        candidate, number = text, 1
        while candidate.casefold() in used:
            number += 1
            candidate = f"{text}-{number}"
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def render_html(report: AgencyReport) -> str:
    """The page as one self-contained HTML document (inline CSS, autoescaped)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()), autoescape=True, undefined=jinja2.StrictUndefined,
        finalize=lambda value: visible(value) if isinstance(value, str) else value,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["pts"] = lambda value, decimals=2: vi_number(value, decimals)
    env.filters["idx"] = lambda value, decimals: vi_number(value, decimals, fixed=True)
    env.filters["change"] = change
    return env.get_template("agency-report.html").render(r=report)


def _docx(report: AgencyReport, target: str | os.PathLike[str], protected: Protected | None) -> None:
    d = report.decimals
    document = docx_page.new_document(title=f"Kết quả đánh giá — {report.agency}")
    docx_page.paragraph(document, "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG", bold=True, center=True, size=14)
    docx_page.paragraph(document, report.agency, bold=True, center=True, size=14)
    docx_page.paragraph(document, f"Kỳ {report.period} — {report.rules_title}", italic=True, center=True,
                        after=6)
    facts = [["Nhóm", report.group_label],
             ["Tổng điểm", f"{vi_number(report.total, d)} / {vi_number(report.max_total)}"]]
    if report.index is not None:
        facts.append(["Chỉ số", vi_number(report.index, d, fixed=True)])
    facts.append(["Xếp hạng", f"{report.rank} / {report.group_size} cơ quan trong nhóm"])
    if report.level:
        facts.append(["Xếp loại", report.level])
    if report.previous_period:
        was = str(report.previous_rank) if report.previous_rank is not None else "—"
        moved, gained = change(report.rank_change) or "—", change(report.total_change) or "—"
        note = f" ({report.previous_note})" if report.previous_note else ""
        facts.append([f"So với kỳ {report.previous_period}",
                      f"hạng kỳ trước {was}; thay đổi hạng {moved}; thay đổi điểm {gained}{note}"])
    docx_page.table(document, ["Nội dung", "Kết quả"], facts, (45, 120), size=12)
    docx_page.paragraph(document, "Điểm theo mục", bold=True, before=9, after=3)
    if report.index is not None:
        docx_page.table(document, ["Mục", "Điểm", "Điểm tối đa", "Chỉ số"],
                        [[h, vi_number(p, d), vi_number(m), vi_number(i, d, fixed=True)]
                         for h, p, m, i in report.sections], (95, 22, 25, 23), size=12,
                        right=(False, True, True, True))
    else:
        docx_page.table(document, ["Mục", "Điểm", "Điểm tối đa"],
                        [[h, vi_number(p, d), vi_number(m)] for h, p, m, _ in report.sections],
                        (115, 25, 25), size=12, right=(False, True, True))
    docx_page.paragraph(document, f"Điểm bị trừ và lý do (tổng {vi_number(report.lost_total, d)} điểm)",
                        bold=True, before=9, after=3)
    if report.lost:
        docx_page.table(
            document, ["TT", "Tiêu chí", "Tối đa", "Đạt", "Bị trừ", "Lý do (cách tính, số liệu, nguồn)"],
            [[x.criterion, x.label + ("" if x.counted else " (không tính điểm)"), vi_number(x.max_points),
              vi_number(x.points, d), vi_number(x.lost, d), _why(x)] for x in report.lost],
            (18, 42, 11, 11, 11, 72), size=11, right=(False, False, True, True, True))
    else:
        docx_page.paragraph(document, "Không bị trừ điểm tiêu chí nào.")
    for heading, items, empty in (
        ("Cảnh báo kiểm tra", [[p.criterion_id, p.message] for p in _flags(report)], "Không có cảnh báo."),
        ("Điều chỉnh sau thẩm định", [[c, f"{label}: {why}"] for c, label, why in report.adjustments], ""),
        ("Minh chứng còn thiếu", [[c, f"{label}: {why}"] for c, label, why in report.missing],
         "Không thiếu minh chứng."),
    ):
        if not items and not empty:
            continue
        docx_page.paragraph(document, heading, bold=True, before=9, after=3)
        if items:
            docx_page.table(document, ["TT", "Nội dung"], items, (20, 145), size=11)
        else:
            docx_page.paragraph(document, empty)
    docx_page.paragraph(document, _provenance(report), italic=True, size=11, before=9)
    docx_page.save(document, target, protected)


def _why(lost: LostPoints) -> str:
    """Why the points were lost, a line each: the basis and explanation, the source, the flags."""
    parts = (f"Căn cứ: {lost.basis}. {lost.explanation}", f"Nguồn: {lost.source}" if lost.source else "",
             "; ".join(lost.flags), f"Cách tính điểm: {lost.method}" if lost.method else "",
             f"Tài liệu kiểm chứng: {lost.evidence}" if lost.evidence else "")
    return "\n".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class _Flag:
    criterion_id: str
    message: str


def _flags(report: AgencyReport) -> list[_Flag]:
    return [_Flag(p.where.criterion, f"{p.message} [{p.code}] — {p.where.file}"
                  + (f", {p.location}" if p.location else "")) for p in report.flags]


def _provenance(report: AgencyReport) -> str:
    return (f"Tạo bởi egov {report.version} theo bộ tiêu chí {report.rules_name}; điều chỉnh sau thẩm định:"
            f" {report.adjustments_used}.")


def write_reports(
    reports: Sequence[AgencyReport], folder: str | os.PathLike[str], protected: Protected | None = None
) -> list[Path]:
    """Write each page as `<agency>[ - <period>].html` and `.docx` into `folder` (made if needed),
    each atomically; the files written, in order. OutputError when `folder` is a file."""
    base = Path(folder)
    if os.fspath(folder) == "-" or (base.exists() and not base.is_dir()):
        raise OutputError(f"'{base}' không phải một thư mục: --out của egov report là thư mục ghi các trang.")
    several = len({r.period for r in reports}) > 1
    names = safe_file_names([r.agency + (f" - {r.period}" if several else "") for r in reports])
    written = []
    for report, name in zip(reports, names, strict=True):
        html, word = base / f"{name}.html", base / f"{name}.docx"
        write_text(html, render_html(report), protected)
        _docx(report, word, protected)
        written += [html, word]
    return written


def closest(names: Iterable[str], wanted: str, limit: int = 3) -> list[str]:
    """The names most like `wanted` (accents and case ignored), best first."""
    from rapidfuzz import fuzz, process

    by_key = {key(nfc(n)): n for n in names}
    found = process.extract(key(nfc(wanted)), list(by_key), scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return [by_key[k] for k, _, _ in found]
