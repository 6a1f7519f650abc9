"""Formulas read from the printed "Cách xác định và tính điểm" text, for drafting a rule set.

Four wordings are recognised, the ones criteria decisions use most (accents and case ignored):

- `ratio`: "Điểm = Tỷ lệ % x Điểm tối đa", "(a/b) × điểm tối đa", with no thresholds;
- `yes_no`: "Có: điểm tối đa; Không: 0 điểm" (or "Có: N điểm" with N the maximum);
- `per_item`: "Mỗi phần mềm: 4 điểm. Tối đa không quá 8 điểm", "mỗi văn bản được 0,5 điểm";
- `banded`: thresholds, one band each ("Từ 90% trở lên: điểm tối đa; từ 60% đến dưới 90%: Điểm = Tỷ
  lệ % x Điểm tối đa; dưới 60%: 0 điểm"), on shares (with %) or on counts ("từ 10 tin, bài trở lên").

Anything else (a band the text leaves open, an exception "trường hợp …", points above the maximum)
is not guessed: `infer` returns None and the criterion stays `manual`. A formula that reads a share or
a count (`ratio`, `banded`) names its indicator "?": the printed text never says which figure of the
reports it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from egovcli.textnorm import fold
from egovcli.values import parse_number

UNKNOWN = "?"  # the indicator a person still has to choose
_NUMBER = r"\d+(?:[.,]\d+)?"
_TIMES = r"\s*[x×*.]\s*"  # "x", "×", "*", and "." typed for ×
_SHARE = rf"\(?\s*(?:ty le|[a-z]\s*/\s*[a-z])\s*%?\s*(?:/\s*(?P<over>{_NUMBER})\s*%)?\s*\)?"
_RATIO_AWARD = rf"(?:diem\s*=\s*)?{_SHARE}{_TIMES}(?:so\s+)?diem toi da"
_RATIO_ONLY = re.compile(rf"^[-+•\s]*(?:diem\s*=\s*)?{_SHARE}{_TIMES}(?:so\s+)?diem toi da[.;\s]*$")
_THRESHOLD_WORDS = re.compile(r"\b(?:tro len|duoi|tren|tu \d|dat \d|den \d)")
_YES_NO = re.compile(
    rf"^[-+•\s]*co\b[^:;]{{0,60}}:\s*(?:diem toi da|(?P<points>{_NUMBER})\s*diem)[.;,\s-]*"
    r"khong\b[^:;]{0,60}:\s*0\s*diem[.;\s]*$"
)
_EACH = re.compile(
    rf"\bmoi\b(?P<what>[^:\d]{{1,60}}?)\s*:?\s*(?:duoc\s+)?(?:cong\s+)?(?P<each>{_NUMBER})\s*diem"
)
_CAP = re.compile(rf"\btoi da\s*(?:khong qua\s*|la\s*)?(?P<cap>{_NUMBER})\s*diem")
_SEGMENT = re.compile(
    rf"(?P<cond>[^:]*?)\s*:\s*(?P<award>{_RATIO_AWARD}|diem toi da|(?P<points>{_NUMBER})\s*diem)"
)
_AT_LEAST = re.compile(rf"(?P<n>{_NUMBER})\s*(?P<pct>%?)[^\d%:]{{0,30}}?\btro len\b")
_FROM = re.compile(rf"\b(?:tu|dat tu)\s+(?P<n>{_NUMBER})\s*(?P<pct>%?)[^:]*?\bden\b[^:]*?{_NUMBER}")
_ABOVE = re.compile(rf"\btren\s+(?P<n>{_NUMBER})\s*(?P<pct>%?)")
_BELOW = re.compile(rf"\bduoi\s+(?P<n>{_NUMBER})\s*(?P<pct>%?)")


@dataclass(frozen=True, slots=True)
class Inferred:
    """A formula read from the printed text: its YAML mapping, whether it still names an indicator
    "?" (to choose), and what was read, in words, for the to-do."""

    formula: dict[str, Any]
    open_inputs: bool
    summary: str


def infer(text: str, max_points: float) -> Inferred | None:
    """The formula a printed "cách tính" text describes, or None when it is none of the four."""
    folded = fold(text)
    if not folded:
        return None
    for reader in (_ratio, _yes_no, _per_item, _banded):
        if (found := reader(folded, max_points)) is not None:
            return found
    return None


def _number(text: str | None) -> float | None:
    """A number as Vietnamese print it ("0,5", "05", "1.000" is 1000)."""
    return None if text is None else parse_number(text)


def _ratio(folded: str, max_points: float) -> Inferred | None:
    if not _RATIO_ONLY.match(folded) or _THRESHOLD_WORDS.search(folded):
        return None
    return Inferred({"type": "ratio", "of": UNKNOWN}, True, "tỷ lệ × điểm tối đa (ratio)")


def _yes_no(folded: str, max_points: float) -> Inferred | None:
    found = _YES_NO.match(folded)
    if not found or (found["points"] and _number(found["points"]) != max_points):
        return None
    return Inferred({"type": "yes_no"}, False, "Có: điểm tối đa, Không: 0 (yes_no)")


def _per_item(folded: str, max_points: float) -> Inferred | None:
    found = _EACH.search(folded)
    if not found or re.search(r"\btru\b", found["what"]) or _THRESHOLD_WORDS.search(folded):
        return None
    each = _number(found["each"])
    capped = _CAP.search(folded)
    cap = _number(capped["cap"]) if capped else max_points
    if each is None or cap is None or not 0 < each <= cap <= max_points:
        return None
    formula: dict[str, Any] = {"type": "per_item", "each": each}
    if cap != max_points:
        formula["cap"] = cap
    return Inferred(formula, False, f"mỗi mục {each:g} điểm, tối đa {cap:g} (per_item)")


def _banded(folded: str, max_points: float) -> Inferred | None:
    """Bands from "condition: award" segments, each condition one threshold; the band "dưới X" (or
    the one with no threshold left) is the last, catch-all one."""
    segments = list(_SEGMENT.finditer(folded))
    if len(segments) < 2 or folded[segments[-1].end():].strip(" .;-") != "":
        return None
    bands: list[tuple[float, dict[str, Any]]] = []
    rest: dict[str, Any] | None = None
    shares: set[bool] = set()
    for segment in segments:
        award = _award(segment, max_points)
        bound = _bound(segment["cond"].strip(" -+•.;,"))
        if award is None or bound is None:
            return None
        kind, value, share = bound
        shares.add(share)
        if kind == "rest":
            if rest is not None:
                return None
            rest = award
        else:
            bands.append((value / 100 if share else value, award))
    if rest is None or not bands or len(shares) != 1 or len({v for v, _ in bands}) != len(bands):
        return None
    share = shares.pop()
    if not share and any(a["points"] in ("ratio", "ratio_over") for _, a in bands + [(0, rest)]):
        return None
    ordered = [{"at_least": value, **award} for value, award in sorted(bands, key=lambda b: -b[0])]
    source = {"of": UNKNOWN} if share else {"value": UNKNOWN}
    formula = {"type": "banded", **source, "bands": [*ordered, rest]}
    what = "tỷ lệ" if share else "số lượng"
    return Inferred(formula, True, f"bậc thang theo {what}, {len(ordered) + 1} bậc (banded)")


def _award(segment: re.Match[str], max_points: float) -> dict[str, Any] | None:
    award = segment["award"]
    if segment["points"] is not None:
        points = _number(segment["points"])
        return None if points is None or not 0 <= points <= max_points else {"points": points}
    if award == "diem toi da":
        return {"points": "max"}
    over = _number(segment["over"]) if segment["over"] else None
    return {"points": "ratio_over", "over": over / 100} if over else {"points": "ratio"}


def _bound(condition: str) -> tuple[str, float, bool] | None:
    """("at_least" | "rest", the threshold, whether it is a share) of one band's condition."""
    for pattern, kind in ((_FROM, "at_least"), (_AT_LEAST, "at_least"), (_ABOVE, "at_least"),
                          (_BELOW, "rest")):
        if found := pattern.search(condition):
            value = _number(found["n"])
            return None if value is None else (kind, value, bool(found["pct"]))
    return None
