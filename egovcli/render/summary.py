"""Ranking summaries as Markdown and self-contained HTML, plus the display helpers all renderers share."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

import egovcli
from egovcli.rank.model import MERGED_MEAN, RankRow
from egovcli.render import charts
from egovcli.render.manifest import Manifest, manifest_pairs
from egovcli.render.problems import code_label
from egovcli.render.problems import row as problem_row
from egovcli.rules.model import RuleSet
from egovcli.score.model import BASES, BASIS_WORDS, AgencyScore
from egovcli.textnorm import fold, nfc, vi_number
from egovcli.untrusted import visible

_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
_ROMAN = {r: i for i, r in enumerate(_ROMANS, start=1)}
# One Vietnamese syllable, accents folded: words that are not one (CNTT, UBND, QLVB&DH) are acronyms.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]+(?:ch|ng|nh|[cmnpt])?"
)
_MD_SPECIAL = re.compile(r"([\\|<>`*\[\]])")


def _sentence_word(word: str) -> str:
    core = fold(word.strip("()[],.;:\"'“”"))
    return word.lower() if core.isalpha() and _SYLLABLE.fullmatch(core) else word


def section_heading(section_id: str, title: str) -> str:
    """Heading such as "I. Hạ tầng kỹ thuật CNTT"; an all-caps title goes to sentence case, acronyms kept."""
    text = nfc(title)
    if text.isupper():
        text = " ".join(_sentence_word(w) for w in text.split())
        text = text[:1].upper() + text[1:]
    return f"{section_id}. {text}" if text else section_id


@lru_cache(maxsize=1 << 12)  # every agency's rows are sorted by the rule set's few hundred ids
def criterion_sort_key(criterion: str) -> tuple[tuple[int, int, str], ...]:
    """Order criterion ids as in the rule table: I < I.3 < I.3.1 < I.4 < II < II.1 < II.1.10 < TOTAL."""
    if criterion == "TOTAL":
        return ((2, 0, ""),)
    parts = []
    for i, part in enumerate(p.strip() for p in criterion.split(".")):
        if part.isdigit() or (i == 0 and part in _ROMAN):
            parts.append((0, int(part) if part.isdigit() else _ROMAN[part], ""))
        else:
            parts.append((1, 0, part))
    return tuple(parts)


def ordered_scores(ranking: list[RankRow], scores: Sequence[AgencyScore]) -> list[AgencyScore]:
    """The agencies' scores in ranking order (ranked agencies without a score are left out)."""
    by_id = {(s.period, s.group, s.agency): s for s in scores}
    found = (by_id.get((r.period, r.group, r.agency)) for r in ranking)
    return [s for s in found if s is not None]


def flags_of(score: AgencyScore) -> list[dict[str, Any]]:
    """One row per flag of `score` (`render.problems.row` of the flag's Problem, with the scored
    row's points and explanation), criteria in rule order."""
    return [
        {
            **problem_row(found),
            "label": row.label,
            "flag": code_label(found.code),
            "self_points": row.self_points,
            "appraised_points": row.appraised_points,
            "basis": BASIS_WORDS.get(row.basis, row.basis),
            "points": row.points,
            "explanation": row.explanation,
            "source_file": found.file,
        }
        for row in sorted(score.rows, key=lambda r: criterion_sort_key(r.criterion))
        for found in row.problems(score.agency)
    ]


def adjustments_of(score: AgencyScore) -> list[dict[str, Any]]:
    """One row per criterion of `score` changed by an appraisal adjustment (basis "adjusted")."""
    return [
        {
            "agency": score.agency,
            "period": score.period,
            "criterion": row.criterion,
            "label": row.label,
            "points": row.points,
            "max_points": row.max_points,
            "reason": row.adjustment_reason,
            "explanation": row.explanation,
            "source_file": row.source_file,
            "location": row.location,
        }
        for row in sorted(score.criteria, key=lambda r: criterion_sort_key(r.criterion))
        if row.basis == "adjusted"
    ]


class SummaryParts:
    """What the summaries take from the agencies' full scores, gathered as each is given (`add`, in
    ranking order) so that no score is read twice or kept: each ranked agency's part of the HTML
    (`_agency`), the flag and adjustment rows in ranking order, and how the criteria were scored."""

    def __init__(self, ranking: list[RankRow], sections: list[tuple[str, str, float]],
                 rules: RuleSet | None = None) -> None:
        self.rows = {(r.period, r.group, r.agency): r for r in ranking}
        self.sections = sections
        self.decimals = rules.precision.decimals if rules else 2
        self.agencies: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.flags: list[dict[str, Any]] = []
        self.adjustments: list[dict[str, Any]] = []
        self.bases: dict[str, int] = {}

    def add(self, score: AgencyScore) -> None:
        key = (score.period, score.group, score.agency)
        flags, adjustments = flags_of(score), adjustments_of(score)
        self.agencies[key] = _agency(self.rows[key], score, self.sections, self.decimals, flags, adjustments)
        self.flags += flags
        self.adjustments += adjustments
        for criterion in score.criteria:
            self.bases[criterion.basis] = self.bases.get(criterion.basis, 0) + 1

    def agency(self, row: RankRow) -> dict[str, Any]:
        """`row`'s part of the HTML (an agency without a stored score: its ranking row alone)."""
        found = self.agencies.get((row.period, row.group, row.agency))
        return found if found is not None else _agency(row, None, self.sections, self.decimals, [], [])


def lost_points(score: AgencyScore, decimals: int = 2) -> list[dict[str, Any]]:
    """"Điểm bị trừ và lý do": every criterion of `score` below its maximum, in rule order, with the
    points lost, the basis in words, why (the stored explanation: formula, values, their file and cell),
    its flags and an appraisal adjustment's reason; `counted` False for a criterion in no total."""
    out: list[dict[str, Any]] = []
    for row in sorted(score.criteria, key=lambda r: criterion_sort_key(r.criterion)):
        lost = round(row.max_points - row.points, decimals)
        if lost <= 0:
            continue
        out.append(
            {
                "criterion": row.criterion,
                "label": row.label,
                "points": row.points,
                "max_points": row.max_points,
                "lost": lost,
                "basis": BASIS_WORDS.get(row.basis, row.basis),
                "explanation": row.explanation,
                "source_file": row.source_file,
                "location": row.location,
                "flags": "; ".join(code_label(p.code) for p in row.problems(score.agency)),
                "reason": row.adjustment_reason,
                "counted": row.counted,
            }
        )
    return out


def summary_context(
    ranking: list[RankRow],
    scores: Sequence[AgencyScore],
    sections: list[tuple[str, str, float]],
    rules_title: str,
    period: str,
    adjustments: str = "",
    *,
    rules: RuleSet | None = None,
    manifest: Manifest | None = None,
    parts: SummaryParts | None = None,
) -> dict[str, Any]:
    """Everything the summary templates show; numbers stay numbers (templates format them). Each
    (period, group) is one table; with several periods the tables name their period. `adjustments`
    says which appraisal adjustments the scoring applied (shown under the title when given); `rules`
    how the totals were made (index, decimals, ties, weights, mean, what is not counted; None: sums
    of points at 2 decimals); `manifest` what made the run ("Thông tin lần chạy"); `parts` what was
    already gathered from `scores` one at a time (then `scores` is not read). The HTML's charts and
    per-agency sections: `_chart_tables`."""
    if parts is None:
        parts = SummaryParts(ranking, sections, rules)
        for score in ordered_scores(ranking, scores):
            parts.add(score)
    tables: list[dict[str, Any]] = []
    several = len({r.period for r in ranking}) > 1
    uncounted = rules.uncounted if rules else frozenset()
    for row in ranking:
        if not tables or (tables[-1]["period"], tables[-1]["group"]) != (row.period, row.group):
            label = row.group_label + (f" — kỳ {row.period}" if several else "")
            tables.append({"group": row.group, "group_label": row.group_label, "period": row.period,
                           "label": label, "rows": []})
        tables[-1]["rows"].append(
            {
                "rank": row.rank,
                "agency": row.agency,
                "sections": [row.sections.get(sid) for sid, _, _ in sections],
                "section_indices": [row.section_indices.get(sid) for sid, _, _ in sections],
                "total": row.total,
                "max_total": row.max_total,
                "index": row.index,
                "level": row.level,
                "previous_period": row.previous_period,
                "previous_rank": row.previous_rank,
                "rank_change": row.rank_change,
                "total_change": row.total_change,
                "previous_note": row.previous_note,
                "merged": row.previous_basis == MERGED_MEAN,  # no previous rank: not "absent" (—)
                "interval": row.rank_interval,  # `egov rank --robustness N`
            }
        )
    _chart_tables(tables, ranking, parts, rules)
    return {
        "rules_title": rules_title,
        "period": period,
        "adjustments_used": adjustments,
        "sections": [
            {"id": sid, "heading": section_heading(sid, t), "max": m, "counted": sid not in uncounted}
            for sid, t, m in sections
        ],
        "groups": tables,
        # the groups ranked here, not every group egov knows: "Sở, ban, ngành; UBND cấp huyện"
        "group_names": "; ".join(dict.fromkeys(t["group_label"] for t in tables)),
        "has_levels": any(r.level for r in ranking),
        "has_previous": any(r.previous_period for r in ranking),
        "has_lineage": any(r.predecessors for r in ranking),  # merged or renamed agencies compared
        "has_interval": any(r.rank_low is not None for r in ranking),
        "has_index": bool(rules and rules.precision.index),
        "decimals": rules.precision.decimals if rules else 2,
        "total_rule": total_rule(rules),
        "tie_rule": tie_rule(rules),
        "flags": parts.flags,
        "adjustments": parts.adjustments,
        "scored": sum(parts.bases.values()),
        "basis_counts": {b: parts.bases.get(b, 0) for b in BASES if b != "total"},
        "manifest": manifest_pairs(manifest) if manifest else [],
        "manifest_inputs": list(manifest.inputs) if manifest else [],
        # inside <script type="application/json">: "<" escaped so no text can close the element
        "manifest_json": Markup(manifest.to_json().replace("<", "\\u003c")) if manifest else "",
    }


def _chart_tables(
    tables: list[dict[str, Any]], ranking: list[RankRow], parts: SummaryParts, rules: RuleSet | None
) -> None:
    """Add to each (period, group) table what only the HTML shows: its ranked bars (with the level
    bands), the change since the previous period, and each agency's "Điểm bị trừ và lý do" (`_agency`)."""

    decimals = rules.precision.decimals if rules else 2
    index = bool(rules and rules.precision.index)
    # levels are reached by points; an index chart (0–1) shows them as a share of the rule set's maximum
    bands = [(lv.min / rules.max_total if index else lv.min, lv.name)
             for lv in sorted(rules.levels, key=lambda lv: -lv.min)] if rules else []
    rows = iter(ranking)
    for table in tables:
        ranked = [next(rows) for _ in table["rows"]]
        bars = [charts.Bar(r.rank, r.agency, r.index, vi_number(r.index, decimals, fixed=True), r.level)
                if index and r.index is not None else charts.Bar(r.rank, r.agency, r.total,
                                                                 vi_number(r.total, decimals), r.level)
                for r in ranked]
        scale = 1.0 if index else max((r.max_total for r in ranked), default=0.0)
        table["chart"] = _both(charts.ranked_bars, bars, scale=scale, bands=bands, decimals=decimals,
                               title=f"Xếp hạng — {table['label']}")
        moved = [charts.Change(f"{r.rank}. {r.agency}", r.previous_total, r.total)
                 for r in ranked if r.previous_total is not None]
        title = f"Tổng điểm kỳ trước → kỳ này — {table['label']}"
        table["change_chart"] = _both(charts.changes, moved, decimals=decimals, title=title) if moved else ""
        table["agencies"] = [parts.agency(r) for r in ranked]
    for number, agency in enumerate((a for t in tables for a in t["agencies"]), start=1):
        agency["anchor"] = f"co-quan-{number}"


def _both(chart: Callable[..., str], *args: Any, **options: Any) -> Markup:
    """A chart's wide and narrow (phone) forms; the page's CSS shows one (`egovcli.render.charts`)."""
    return Markup(chart(*args, **options) + chart(*args, **options, narrow=True))


def _agency(
    row: RankRow, score: AgencyScore | None, sections: list[tuple[str, str, float]], decimals: int,
    flags: list[dict[str, Any]], adjustments: list[dict[str, Any]],
) -> dict[str, Any]:
    """One agency's part of the HTML: its sections against their maxima (a criterion that does not
    apply to it is in no maximum: its own section rows' maxima), its points lost and why, its flags
    and adjustments."""
    own = {c.criterion: c.max_points for c in score.rows
           if c.basis == "total" and c.criterion == c.section} if score else {}
    parts = [(section_heading(sid, title), row.sections[sid], own.get(sid, maximum))
             for sid, title, maximum in sections if sid in row.sections]
    losses = lost_points(score, decimals) if score else []
    return {
        "rank": row.rank, "agency": row.agency, "total": row.total, "max_total": row.max_total,
        "level": row.level,
        "lost": round(sum(x["lost"] for x in losses if x["counted"]), decimals),
        "profile": _both(charts.section_profile, parts, decimals=decimals,
                         title=f"{row.agency}: điểm từng mục so với tối đa"),
        "losses": losses,
        "flags": flags,
        "adjustments": adjustments,
    }


def total_rule(rules: RuleSet | None) -> str:
    """How section points and the total were made, one sentence for the summaries' "Cách tính điểm"."""
    text = "Điểm mỗi mục (I, II, …) là tổng điểm các tiêu chí trong mục; tổng điểm là "
    if rules and rules.weighted:
        text += "tổng theo trọng số: mỗi mục đóng góp điểm của mục ÷ điểm tối đa của mục × trọng số"
    elif rules and rules.precision.aggregate == "mean":
        text += (f"trung bình chỉ số các mục (điểm của mục ÷ điểm tối đa của mục) × "
                 f"{vi_number(rules.max_total)}")
    else:
        text += "tổng điểm các tiêu chí"
    text += ", không lấy theo tổng ghi trong báo cáo"
    if rules and rules.uncounted:
        ordered = [s.id for s in rules.sections if not s.counts]
        ordered += [c.id for c in rules.criteria if not c.counted]
        text += (f". Không tính điểm: {', '.join(ordered)} — được chấm và hiển thị nhưng không cộng vào tổng"
                 " và điểm tối đa")
    if rules and rules.precision.index:
        text += (f". Chỉ số = điểm ÷ điểm tối đa (từ 0 đến 1, {rules.precision.decimals} chữ số thập phân),"
                 " cho từng mục và tổng; xếp hạng theo chỉ số tổng")
    return text + "."


def tie_rule(rules: RuleSet | None) -> str:
    """When two agencies tie, as the summaries say it."""
    precision = rules.precision if rules else None
    what = "chỉ số" if precision and precision.index else "tổng điểm"
    if precision and precision.tie_tolerance is not None:
        return f"có {what} chênh nhau dưới {vi_number(precision.tie_tolerance, 10)}"
    return f"có {what} bằng nhau (làm tròn đến {precision.decimals if precision else 2} chữ số thập phân)"


def change(value: float | None) -> str:
    """A signed change for the comparison columns: +2, -1,5, 0; "" when there is nothing to compare."""
    if value is None:
        return ""
    return ("+" if value > 0 else "") + vi_number(value)


def template_dir() -> Path:
    """The templates folder: inside the installed package first, then the repository root."""
    package = Path(egovcli.__file__).resolve().parent
    for candidate in (package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no templates folder next to {package}")


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: control characters shown as escapes (`\\x1b`), line
    breaks become spaces, | < > ` * [ ] \\ escaped."""
    text = " ".join(visible(str(value)).splitlines())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _html_value(value: object) -> object:
    """Text shown in HTML (autoescaped after this): control characters as visible escapes; markup
    made here (the charts, escaped as they are drawn) as it is."""
    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _render(name: str, ctx: dict[str, Any], html: bool) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=html,
        finalize=_html_value if html else md_cell,  # Markdown: every {{ … }} output escaped for a table cell
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pts"] = vi_number
    env.filters["idx"] = lambda value, decimals: vi_number(value, decimals, fixed=True)
    env.filters["change"] = change
    return env.get_template(name).render(ctx)


def render_markdown(ctx: dict[str, Any]) -> str:
    """The summary as Markdown (GitHub tables)."""
    return _render("summary.md.j2", ctx, html=False)


def render_html(ctx: dict[str, Any]) -> str:
    """The summary as one self-contained HTML page (inline CSS, autoescaped)."""
    return _render("summary.html.j2", ctx, html=True)
