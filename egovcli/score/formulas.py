"""Evaluate formula specs: one pure function per formula type, registered in `EVALUATORS`.

Each takes (spec, maximum, inputs by indicator id) and returns a `Result` (points and a Vietnamese
explanation, e.g. "50/50 máy tính/CBCCVC = 100% × 10 = 10") or a `Gap` saying why the inputs do not
allow it: not reported (no flag), or reported but unusable — a cell left blank, text where a number
is needed, a zero denominator, a share that is no share, a negative count, an answer that matches no
category, figures that contradict each other (each a flag). `evaluate` dispatches, clamps points to
[0, maximum] and rounds them to 2 decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from egovcli.rules.formulas import (
    Band,
    Banded,
    Categorical,
    Deduction,
    Exemption,
    Formula,
    Highest,
    Manual,
    NormalisedToBest,
    Parts,
    PerItem,
    Ratio,
    Source,
    YesNo,
)
from egovcli.score.model import (
    BLANK_VALUE,
    NEEDS_OTHER_AGENCIES,
    NEGATIVE_VALUE,
    NOT_A_RATIO,
    TEXT_VALUE,
    UNKNOWN_CATEGORY,
    ZERO_DENOMINATOR,
)
from egovcli.textnorm import key, vi_number
from egovcli.values import is_blank

_EPS = 1e-9


# Input, Result and Gap are named tuples, not frozen dataclasses: tens of them are made for each
# agency scored, and a frozen dataclass is several times slower to make (a tuple is as immutable).


class Input(NamedTuple):
    """One data value an agency reported for an indicator, with where it was read."""

    indicator: str
    value: float | None
    denominator: float | None = None
    unit: str = ""
    text: str = ""  # the value as printed
    label: str = ""  # the label as printed
    source_file: str = ""
    location: str = ""
    parts: tuple[Input, ...] = ()  # for a derived input: the inputs it was computed from
    gap: Gap | None = None  # for a derived input that could not be computed: why (value is None)

    @property
    def ratio(self) -> float | None:
        """x/y for fractions, x/100 for percentages, a bare number below 1 as is (0.85); None for any
        other bare number ("27" may count services rather than give a share)."""
        if self.value is None:
            return None
        if self.denominator is not None:
            return self.value / self.denominator if self.denominator > 0 else None
        if self.unit == "%":
            return self.value / 100
        return self.value if 0 <= self.value < 1 else None


class Result(NamedTuple):
    points: float
    explanation: str
    used: tuple[str, ...] = ()  # indicator ids whose values decided the points
    # what could not be computed on the way, (the words naming it, why): a case of `highest` whose
    # data is missing or unusable is said (and flagged) though another case gave the points
    gaps: tuple[tuple[str, Gap], ...] = ()


class Gap(NamedTuple):
    """Why a formula gives no points from the data: `flag` names the reason (a flag of
    `egovcli.score.model`; "" when the inputs were simply not reported), `item` is what was read
    for `indicator` (None: nothing), `detail` says more in Vietnamese (the categories offered …)."""

    flag: str
    indicator: str = ""
    item: Input | None = None
    detail: str = ""


Inputs = Mapping[str, Input]


def evaluate(formula: Formula, max_points: float, inputs: Inputs) -> Result | Gap:
    """Points for one formula from the agency's inputs, or the `Gap` that keeps them from it."""
    result = EVALUATORS[formula.type](formula, max_points, inputs)
    if isinstance(result, Gap):
        return result
    points = round(min(max(result.points, 0.0), max_points), 2)
    if points == result.points:  # most results: already within [0, maximum] and rounded
        return result
    return Result(points, result.explanation, result.used, result.gaps)


def pct(ratio: float) -> str:
    return f"{vi_number(ratio * 100)}%"


def gap_of(item: Input) -> Gap | None:
    """Why a reported input has no value: a blank cell, text ("Đang xây dựng"), or a derived value
    whose parts did not allow it; None when it has one."""
    if item.gap is not None:
        return item.gap
    if item.value is None:
        return Gap(BLANK_VALUE if is_blank(item.text) else TEXT_VALUE, item.indicator, item)
    return None


def _input(inputs: Inputs, indicator: str) -> Input | Gap:
    """The input reported for `indicator` with a value, or why there is none (not reported: no flag)."""
    item = inputs.get(indicator) if indicator else None
    if item is None:
        return Gap("", indicator)
    return gap_of(item) or item


def _count(inputs: Inputs, indicator: str) -> float | Gap:
    """A count's value, or why it cannot be used (as `_input`; a negative count cannot be)."""
    item = _input(inputs, indicator)
    if isinstance(item, Gap):
        return item
    value = item.value or 0.0  # `_input` returns an item with a value
    return Gap(NEGATIVE_VALUE, indicator, item) if value < 0 else value


def _no_share(indicator: str, item: Input) -> Gap:
    """Why a reported value gives no share: "27/0", a negative figure, or a bare "27" (not a %)."""
    if item.denominator == 0:
        return Gap(ZERO_DENOMINATOR, indicator, item)
    if (item.value or 0.0) < 0 or (item.denominator or 0.0) < 0:
        return Gap(NEGATIVE_VALUE, indicator, item)
    return Gap(NOT_A_RATIO, indicator, item)


def measure(source: Source, inputs: Inputs) -> tuple[float, str, tuple[str, ...]] | Gap:
    """The measured ratio (clamped to [0, 1]) or value, how it was obtained, and the ids used; or
    the `Gap` that keeps it from being measured."""
    if source.value:
        value = _count(inputs, source.value)
        if isinstance(value, Gap):
            return value
        return value, f"{vi_number(value)} {source.unit}".strip(), (source.value,)
    if source.of:
        item = _input(inputs, source.of)
        if isinstance(item, Gap):
            return item
        ratio = item.ratio
        if ratio is None:
            return _no_share(source.of, item)
        shown = (f"{vi_number(item.value or 0)}/{vi_number(item.denominator)}" if item.denominator
                 else pct(ratio))
        used: tuple[str, ...] = (source.of,)
    else:
        num, den = _count(inputs, source.numerator), _count(inputs, source.denominator)
        if den == 0:  # whatever the numerator: no share of nothing
            return Gap(ZERO_DENOMINATOR, source.denominator, inputs[source.denominator])
        if isinstance(num, Gap):
            return num
        if isinstance(den, Gap):
            return den
        ratio, shown = num / den, f"{vi_number(num)}/{vi_number(den)}"
        used = (source.numerator, source.denominator)
    shown = f"{shown} {source.unit}".strip()
    if not shown.endswith("%"):
        shown += f" = {pct(ratio)}"
    if ratio > 1 or ratio < 0:
        ratio = min(max(ratio, 0.0), 1.0)
        shown += f" (tính {pct(ratio)})"
    return ratio, shown, used


def _ratio(spec: Ratio, max_points: float, inputs: Inputs) -> Result | Gap:
    measured = measure(spec.source, inputs)
    if isinstance(measured, Gap):
        return measured
    ratio, shown, used = measured
    points = ratio * max_points
    return Result(points, f"{shown} × {vi_number(max_points)} = {vi_number(points)}", used)


def _bound(band: Band, bands: tuple[Band, ...], is_ratio: bool) -> str:
    """The band as a condition: "≥ 90%", "≤ 3"; the catch-all band as the complement of the others
    ("< 60%") when they all bound the same side."""
    show = pct if is_ratio else vi_number
    if band.at_least is not None:
        return f"≥ {show(band.at_least)}"
    if band.at_most is not None:
        return f"≤ {show(band.at_most)}"
    lows = [b.at_least for b in bands if b.at_least is not None]
    highs = [b.at_most for b in bands if b.at_most is not None]
    if lows and not highs:
        return f"< {show(min(lows))}"
    if highs and not lows:
        return f"> {show(max(highs))}"
    return "mức còn lại"


def _banded(spec: Banded, max_points: float, inputs: Inputs) -> Result | Gap:
    measured = measure(spec.source, inputs)
    if isinstance(measured, Gap):
        return measured
    value, shown, used = measured
    band = next(b for b in spec.bands if (b.at_least is None or value >= b.at_least - _EPS)
                and (b.at_most is None or value <= b.at_most + _EPS))
    if band.award == "max":
        points, how = max_points, f"điểm tối đa {vi_number(max_points)}"
    elif band.award == "ratio":
        points = value * max_points
        how = f"{pct(value)} × {vi_number(max_points)} = {vi_number(points)}"
    elif band.award == "ratio_over":
        over = band.over or 1.0
        points = value / over * max_points
        how = f"({pct(value)}/{pct(over)}) × {vi_number(max_points)} = {vi_number(points)}"
    else:
        points, how = band.points or 0.0, f"{vi_number(band.points or 0.0)} điểm"
    if points > max_points:
        how += f", giới hạn ở điểm tối đa {vi_number(max_points)}"
    return Result(points, f"{shown} → {_bound(band, spec.bands, spec.source.is_ratio)}: {how}", used)


def _yes_no(spec: YesNo, max_points: float, inputs: Inputs) -> Result | Gap:
    item = _input(inputs, spec.input)
    if isinstance(item, Gap):
        return item
    value = item.value or 0.0  # `_input` returns an item with a value
    answer = f"Có: {vi_number(max_points)}" if value > 0 else "Không: 0"
    shown = item.text or vi_number(value)
    return Result(max_points if value > 0 else 0.0, f"{shown} → {answer}", (spec.input,))


def _per_item(spec: PerItem, max_points: float, inputs: Inputs) -> Result | Gap:
    count = _count(inputs, spec.input)
    if isinstance(count, Gap):
        return count
    raw = count * spec.each
    points = min(raw, spec.cap)
    capped = f", tối đa {vi_number(spec.cap)}" if raw > spec.cap else ""
    text = f"{vi_number(count)} × {vi_number(spec.each)} = {vi_number(raw)}{capped} → {vi_number(points)}"
    return Result(points, text, (spec.input,))


def _deduction(spec: Deduction, max_points: float, inputs: Inputs) -> Result | Gap:
    counts: list[float] = []
    for item in spec.items:
        count = _count(inputs, item.input)
        if isinstance(count, Gap):
            return count
        counts.append(count)
    parts = [f"{vi_number(n)} {item.label or item.input} × {vi_number(item.each)}"
             for item, n in zip(spec.items, counts, strict=True)]
    points = max_points - sum(n * item.each for item, n in zip(spec.items, counts, strict=True))
    floor = " (không dưới 0)" if points < 0 else ""
    text = f"{vi_number(max_points)} − ({' + '.join(parts)}) = {vi_number(max(points, 0.0))}{floor}"
    return Result(points, text, tuple(item.input for item in spec.items))


def _categorical(spec: Categorical, max_points: float, inputs: Inputs) -> Result | Gap:
    item = inputs.get(spec.input) if spec.input else None
    if item is None:
        return Gap("", spec.input)
    if item.gap is not None:
        return item.gap
    if is_blank(item.text):
        return Gap(BLANK_VALUE, spec.input, item)
    wanted = key(item.text)
    named = [a for a in spec.answers if not a.otherwise]
    answer = next((a for a in named if wanted in {key(t) for t in (a.answer, *a.aliases)}), None)
    head = f"«{answer.answer}»" if answer else ""
    if answer is None:
        answer = spec.answers[-1] if spec.answers[-1].otherwise else None
        if answer is None:
            offered = "; ".join(f"«{a.answer}»" for a in named)
            return Gap(UNKNOWN_CATEGORY, spec.input, item, f"các phương án: {offered}")
        named_as = answer.answer or "trường hợp khác"
        head = f"«{item.text}» không thuộc phương án nào đã nêu, tính là «{named_as}»"
    if answer.award == "max":
        return Result(max_points, f"{head}: điểm tối đa {vi_number(max_points)}", (spec.input,))
    if answer.award == "fixed":
        return Result(answer.points or 0.0, f"{head}: {vi_number(answer.points or 0.0)} điểm", (spec.input,))
    missing = _count(inputs, spec.count)
    if isinstance(missing, Gap):
        return missing
    each = answer.deduct_each or 0.0
    points = max_points - missing * each
    text = (f"{head}: {vi_number(max_points)} − {vi_number(missing)} × {vi_number(each)}"
            f" = {vi_number(max(points, 0))}")
    return Result(points, text, (spec.input, spec.count))


def _exemption(spec: Exemption, max_points: float, inputs: Inputs) -> Result | Gap:
    item = inputs.get(spec.when.indicator)
    value = None if item is None else item.value
    name = spec.when.indicator if item is None else item.label or item.indicator
    if value is not None and abs(value - spec.when.equals) < _EPS:
        points = max_points if spec.points is None else spec.points
        text = f"{name} = {vi_number(value)}: {spec.when.text} → {vi_number(points)}"
        return Result(points, text, (spec.when.indicator,))
    inner = evaluate(spec.otherwise, max_points, inputs)
    if isinstance(inner, Gap):
        return inner
    if item is None:  # not reported: the agency does not claim the exemption
        return inner
    if value is None:  # reported, but no number ("Không có", a blank): said, never silently assumed
        shown = f"ghi '{item.text}'" if item.text.strip() else "để trống"
        note = f" ({name} {shown}, không phải số: coi như không thuộc trường hợp miễn)"
        return inner._replace(explanation=inner.explanation + note)
    note = f" ({name} = {vi_number(value)}: không thuộc trường hợp miễn)"
    return inner._replace(explanation=inner.explanation + note, used=(*inner.used, spec.when.indicator))


def _parts(spec: Parts, max_points: float, inputs: Inputs) -> Result | Gap:
    done: list[Result] = []
    for part in spec.parts:
        result = evaluate(part.formula, part.max, inputs)
        if isinstance(result, Gap):
            return result
        done.append(result)
    text = "; ".join(f"{part.label}: {r.explanation}" for part, r in zip(spec.parts, done, strict=True))
    points = sum(r.points for r in done)
    used, gaps = tuple(i for r in done for i in r.used), tuple(g for r in done for g in r.gaps)
    return Result(points, f"{text} → tổng {vi_number(points)}", used, gaps)


def _normalised_to_best(spec: NormalisedToBest, max_points: float, inputs: Inputs) -> Result | Gap:
    measured = measure(spec.source, inputs)
    if isinstance(measured, Gap):
        return measured
    if spec.best is None:  # scored alone, not together with the other agencies: nothing to divide by
        return Gap(NEEDS_OTHER_AGENCIES, detail="cần chấm cùng các cơ quan khác để có mức tốt nhất")
    value, shown, used = measured
    show = pct if spec.source.is_ratio else vi_number
    best = f"tốt nhất {show(spec.best)}" + (f" ({spec.best_agency})" if spec.best_agency else "")
    if spec.best <= 0:
        return Result(0.0, f"{shown}; {best}: không có đơn vị nào đạt, 0 điểm", used)
    points = value / spec.best * max_points
    text = f"{shown}; {show(value)}/{best} × {vi_number(max_points)} = {vi_number(points)}"
    return Result(points, text, used)


def _highest(spec: Highest, max_points: float, inputs: Inputs) -> Result | Gap:
    """Every case on the same maximum; the most points count (the first case on a tie). A case the
    data cannot compute is named with its reason, and its flag kept: its points might have been higher."""
    results = [evaluate(case.formula, max_points, inputs) for case in spec.cases]
    names = [case.label or f"trường hợp {i}" for i, case in enumerate(spec.cases, 1)]
    scored = [(r.points, -i) for i, r in enumerate(results) if isinstance(r, Result)]
    if not scored:
        return next((r for r in results if isinstance(r, Gap) and r.flag), results[0])
    best = -max(scored)[1]
    chosen = results[best]
    assert isinstance(chosen, Result)
    shown, gaps = [], []
    for name, result in zip(names, results, strict=True):
        if isinstance(result, Result):
            shown.append(f"{name} ({result.explanation}): {vi_number(result.points)} điểm")
            gaps += [(f"{name}, {inner}", gap) for inner, gap in result.gaps]
        else:
            shown.append(f"{name}: không tính được")
            gaps.append((name, result))
    used = tuple(dict.fromkeys(i for r in results if isinstance(r, Result) for i in r.used))
    text = f"Lấy điểm cao nhất: {'; '.join(shown)} → chọn {names[best]}: {vi_number(chosen.points)} điểm"
    return Result(chosen.points, text, used, tuple(gaps))


def _manual(spec: Manual, max_points: float, inputs: Inputs) -> Gap:
    return Gap("")


EVALUATORS: dict[str, Callable[[Any, float, Inputs], Result | Gap]] = {
    "ratio": _ratio,
    "banded": _banded,
    "yes_no": _yes_no,
    "per_item": _per_item,
    "deduction": _deduction,
    "categorical": _categorical,
    "exemption": _exemption,
    "parts": _parts,
    "normalised_to_best": _normalised_to_best,
    "highest": _highest,
    "manual": _manual,
}
