"""Derived indicators: values the catalogue computes from reported ones (`derive` in catalogue.yaml).

`derive_inputs` adds, for every derived indicator the agency did not report, the first derivation
whose parts are all known: 34 desktops + 6 laptops → 40 computers; 4356 digitised / 4356 incoming
documents → a share. Derived inputs keep their parts, so explanations can name every figure used
and where it was read. A reported fraction of an indicator the catalogue defines by one ratio gives
both counts when they were not reported themselves ("27/27" services at level 4: 27 level-4
services of 27 procedures). When every part of a derivation was reported but one cannot be used (a
blank cell, text), a ratio's denominator is 0, or the parts contradict each other (a difference
below 0), the derived indicator is kept with no value and that reason (`Input.gap`), so scoring
says what happened, not "no data".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from egovcli.indicators import Derivation, Indicator, catalogue, derivation_order
from egovcli.score.formulas import Gap, Input, gap_of
from egovcli.score.model import INCONSISTENT_FIGURES, ZERO_DENOMINATOR
from egovcli.textnorm import vi_number


def derive_inputs(inputs: Mapping[str, Input]) -> dict[str, Input]:
    """`inputs` plus the counts of reported fractions, and every derived indicator that was not
    reported (or not as a number)."""
    return Derivations()(inputs)


class Derivations:
    """The derivations that give the `wanted` indicators (None: every one), laid out once for every
    agency scored: the indicators their values are made from (`reads`, however deep), the reported
    fractions that give counts among these, and the derived indicators among them in order. The
    `wanted` inputs come out as when every indicator is derived."""

    def __init__(self, wanted: Iterable[str] | None = None) -> None:
        indicators = catalogue()
        fractions = _one_ratio(indicators)
        only = None if wanted is None else _reads(indicators, fractions, wanted)
        self.indicators, self.reads = indicators, only
        self.fractions = tuple(i for i in fractions if only is None or i.id in only)
        self.order = tuple(indicators[i] for i in derivation_order() if only is None or i in only)

    def __call__(self, inputs: Mapping[str, Input]) -> dict[str, Input]:
        """`inputs` plus the counts of reported fractions, and each derived indicator that was not
        reported (or not as a number)."""
        out = dict(inputs)
        _fraction_parts(out, self.indicators, self.fractions)
        for indicator in self.order:
            known = out.get(indicator.id)
            if known is not None and known.value is not None:
                continue
            blocked = None
            for rule in indicator.derive:
                found = [out.get(part) for part in rule.parts]
                if rule.op == "ratio" and found[1] is not None and found[1].value == 0:  # whatever the top
                    blocked = blocked or Gap(ZERO_DENOMINATOR, found[1].indicator, found[1],
                                             f"mẫu số của «{indicator.name}»")
                    continue
                parts = [p for p in found if p is not None]
                if len(parts) < len(rule.parts):
                    continue  # a part not reported at all: nothing to say beyond "no data"
                unusable = next((p for p in parts if not _usable(p, rule)), None)
                derived = _apply(indicator, rule, parts) if unusable is None else gap_of(unusable)
                if isinstance(derived, Input):
                    out[indicator.id] = derived
                    break
                blocked = blocked or derived
            else:
                if known is None and blocked is not None:
                    detail = blocked.detail or f"cần để tính «{indicator.name}»"
                    out[indicator.id] = Input(indicator.id, None, label=indicator.name,
                                              gap=blocked._replace(detail=detail))
        return out


def _reads(indicators: Mapping[str, Indicator], fractions: tuple[Indicator, ...],
           wanted: Iterable[str]) -> frozenset[str]:
    """`wanted` and, however deep, the parts of their derivations and the reported fractions that give
    counts among them (with both of a fraction's counts)."""
    found = set(wanted)
    todo = list(found)
    while todo:
        indicator = indicators.get(todo.pop())
        more = [p for rule in (indicator.derive if indicator else ()) for p in rule.parts]
        more += [f.id for f in fractions if f.id not in found and any(p in found for p in f.derive[0].parts)]
        for part in more:
            if part not in found:
                found.add(part)
                todo.append(part)
    return frozenset(found)


def _fraction_parts(out: dict[str, Input], indicators: Mapping[str, Indicator],
                    fractions: Iterable[Indicator]) -> None:
    """Add the numerator and denominator of each reported fraction "a/b" of `fractions` (indicators
    the catalogue defines as one ratio of two counts), where those counts were not reported."""
    for indicator in fractions:
        item = out.get(indicator.id)
        if item is None or item.parts or item.value is None or item.denominator is None:
            continue
        fraction = f"{vi_number(item.value)}/{vi_number(item.denominator)}"
        for part, value, role in zip(indicator.derive[0].parts, (item.value, item.denominator),
                                     ("tử số", "mẫu số"), strict=True):
            if part not in out:
                counted = indicators[part]
                text = f"{vi_number(value)} ({role} của {fraction})"
                out[part] = Input(part, value, None, counted.unit, text, counted.name, item.source_file,
                                  item.location, (item,))


_RATIOS: list[tuple[Mapping[str, Indicator], tuple[Indicator, ...]]] = []  # (catalogue, its one-ratio ones)


def _one_ratio(indicators: Mapping[str, Indicator]) -> tuple[Indicator, ...]:
    """The indicators the catalogue defines as one ratio of two counts, found once per catalogue
    (asked for every agency scored)."""
    if not _RATIOS or _RATIOS[0][0] is not indicators:
        found = tuple(i for i in indicators.values() if len(i.derive) == 1 and i.derive[0].op == "ratio")
        _RATIOS[:] = [(indicators, found)]
    return _RATIOS[0][1]


def _usable(part: Input, rule: Derivation) -> bool:
    """A part with a number; for sums, differences and ratios a count, not a percentage."""
    return part.value is not None and (rule.op == "same_as" or part.unit != "%")


def _apply(indicator: Indicator, rule: Derivation, parts: list[Input]) -> Input | Gap:
    """The derived input, or (a difference below 0: the figures contradict each other) why not."""
    values = [p.value or 0.0 for p in parts]
    denominator = None
    if rule.op == "sum":
        value = sum(values)
        text = f"{' + '.join(vi_number(v) for v in values)} = {vi_number(value)}"
    elif rule.op == "difference":
        value = values[0] - values[1]
        text = f"{vi_number(values[0])} − {vi_number(values[1])} = {vi_number(value)}"
    elif rule.op == "ratio":
        value, denominator = values
        text = f"{vi_number(value)}/{vi_number(denominator)}"
    else:  # same_as
        value, text = values[0], parts[0].text or vi_number(values[0])
    derived = Input(
        indicator.id, value, denominator, "" if rule.op == "ratio" else indicator.unit, text,
        indicator.name, _joined(p.source_file for p in parts), _joined(p.location for p in parts),
        tuple(parts),
    )
    if rule.op == "difference" and value < 0:  # inconsistent figures: the next rule may do
        return Gap(INCONSISTENT_FIGURES, indicator.id, derived, "hiệu số âm")
    return derived


def _joined(texts: Iterable[str]) -> str:
    """Distinct non-empty values, in order, "; "-joined (a derived part's are already joined)."""
    return "; ".join(dict.fromkeys(item for text in texts for item in text.split("; ") if item))
