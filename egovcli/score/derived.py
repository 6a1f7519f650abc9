"""Derived indicators: values the catalogue computes from reported ones (`derive` in catalogue.yaml).

`derive_inputs` adds, for every derived indicator the agency did not report, the first derivation
whose parts are all known: 34 desktops + 6 laptops → 40 computers; 4356 digitised / 4356 incoming
documents → a share. Derived inputs keep their parts, so explanations can name every figure used
and where it was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from egovcli.indicators import Derivation, Indicator, catalogue, derivation_order
from egovcli.score.formulas import Input, fmt


def derive_inputs(inputs: Mapping[str, Input]) -> dict[str, Input]:
    """`inputs` plus every derived indicator that was not reported (or not as a number)."""
    out = dict(inputs)
    indicators = catalogue()
    for ind_id in derivation_order():
        known = out.get(ind_id)
        if known is not None and known.value is not None:
            continue
        for rule in indicators[ind_id].derive:
            parts = [out.get(part) for part in rule.parts]
            known_parts = [p for p in parts if p is not None and _usable(p, rule)]
            if len(known_parts) == len(parts):
                derived = _apply(indicators[ind_id], rule, known_parts)
                if derived is not None:
                    out[ind_id] = derived
                    break
    return out


def _usable(part: Input, rule: Derivation) -> bool:
    """A part with a number; for sums, differences and ratios a count, not a percentage."""
    return part.value is not None and (rule.op == "same_as" or part.unit != "%")


def _apply(indicator: Indicator, rule: Derivation, parts: list[Input]) -> Input | None:
    values = [p.value or 0.0 for p in parts]
    denominator = None
    if rule.op == "sum":
        value = sum(values)
        text = f"{' + '.join(fmt(v) for v in values)} = {fmt(value)}"
    elif rule.op == "difference":
        value = values[0] - values[1]
        if value < 0:  # inconsistent figures: try the next rule
            return None
        text = f"{fmt(values[0])} − {fmt(values[1])} = {fmt(value)}"
    elif rule.op == "ratio":
        value, denominator = values
        text = f"{fmt(value)}/{fmt(denominator)}"
    else:  # same_as
        value, text = values[0], parts[0].text or fmt(values[0])
    return Input(
        indicator.id, value, denominator, "" if rule.op == "ratio" else indicator.unit, text,
        indicator.name, _joined(p.source_file for p in parts), _joined(p.location for p in parts),
        tuple(parts),
    )


def _joined(texts: Iterable[str]) -> str:
    """Distinct non-empty values, in order, "; "-joined (a derived part's are already joined)."""
    return "; ".join(dict.fromkeys(item for text in texts for item in text.split("; ") if item))
