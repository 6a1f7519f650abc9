"""The indicators egov knows and how report labels reach them: the catalogue listing (shipped + a
rule set's own), and the label matcher a rule set brings to scoring and to `egov indicators`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from egovcli.indicators import Indicator, Matcher, catalogue
from egovcli.rules.model import RuleSet

CATALOGUE_COLUMNS = ("id", "name", "unit", "kind", "origin", "labels", "derive")


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """One indicator (`egov indicators catalogue`): id, Vietnamese name, unit, kind (count | fraction
    | yes_no), where it is declared (`origin`: "catalogue" shipped with egov, "rules" the rule set's
    own, "catalogue+rules" shipped with labels the rule set adds), every label it recognises (its
    name first; compared accent- and case-insensitively) and how it is derived when not reported
    ("sum: a, b"; "" none)."""

    id: str
    name: str
    unit: str
    kind: str
    origin: str
    labels: tuple[str, ...]
    derive: str

    def as_dict(self) -> dict[str, object]:
        return {c: list(self.labels) if c == "labels" else getattr(self, c) for c in CATALOGUE_COLUMNS}


def catalogue_rows(rules: RuleSet | None = None) -> list[CatalogueRow]:
    """Every indicator a scoring run with `rules` knows: the shipped catalogue in its order (with
    the labels the rule set adds to shipped ids), then the rule set's new indicators."""
    own = {ind.id: ind for ind in rules.indicators} if rules else {}
    rows = []
    for ind in catalogue().values():
        extended = own.pop(ind.id, None)
        shown = extended or ind
        rows.append(_row(shown, "catalogue+rules" if extended else "catalogue", ind))
    rows += [_row(ind, "rules", ind) for ind in own.values()]
    return rows


def _row(ind: Indicator, origin: str, shipped: Indicator) -> CatalogueRow:
    derive = "; ".join(f"{rule.op}: {', '.join(rule.parts)}" for rule in shipped.derive)
    labels = tuple(dict.fromkeys((ind.name, *ind.aliases)))
    return CatalogueRow(ind.id, ind.name, ind.unit, ind.kind, origin, labels, derive)


def rules_matcher(rules: RuleSet | None) -> Matcher:
    """The label matcher of a scoring run with `rules`: the catalogue, and the rule set's own
    indicators when it declares some."""
    return Matcher(extra=rules.indicators if rules else ())


def relabel(rules: RuleSet | None) -> Callable[[str], str] | None:
    """Label → indicator id with the rule set's own indicators, as `Workspace.observations(relabel=…)`
    takes it; None (the labels stay as ingest mapped them) when the rule set declares none."""
    if rules is None or not rules.indicators:
        return None
    matcher = rules_matcher(rules)
    return lambda label: matcher.match(label).indicator
