"""The indicator catalogue: reading and checking catalogue.yaml (ids, kinds, derivations, aliases)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from egovcli.indicators.normal import normal_form
from egovcli.problems import EgovError

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
KINDS = ("count", "fraction", "yes_no")


class CatalogueError(EgovError, ValueError):
    """The indicator catalogue is inconsistent (unknown id, kind clash, derivation cycle …)."""

    code = "E-CATALOGUE"



@dataclass(frozen=True, slots=True)
class Derivation:
    """One way to compute an indicator from others: sum | difference | ratio | same_as."""

    op: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    """A canonical indicator: its id, name, unit, kind, the labels it goes by, how it is derived."""

    id: str
    name: str
    unit: str
    kind: str
    aliases: tuple[str, ...]
    derive: tuple[Derivation, ...] = ()  # tried in order when the indicator is not reported


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The indicators by id, the labels that name none, the order derived ones are computed in."""

    indicators: dict[str, Indicator]
    not_indicators: tuple[str, ...]  # labels known to name no indicator (names, lists, phone numbers)
    derivation_order: tuple[str, ...]  # derived indicators, each after the ones it is derived from



# op → (number of parts, whether exactly that many or at least, kind of the derived indicator);
# the parts are counts, except for same_as: the same kind, or a count (> 0 is a yes) for a yes/no.
_OPS: dict[str, tuple[int, bool, str]] = {
    "sum": (2, False, "count"),
    "difference": (2, True, "count"),
    "ratio": (2, True, "fraction"),
    "same_as": (1, True, ""),
}


def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and validate an indicator catalogue; CatalogueError names the first problem."""
    import yaml

    # libyaml's parser when built in: the same safe loading, ten times faster (every ingest reads this)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    indicators: dict[str, Indicator] = {}
    for item in data["indicators"]:
        ind_id = item["id"]
        if ind_id in indicators:
            raise CatalogueError(f"{path.name}: duplicate indicator id '{ind_id}'")
        kind = item.get("kind", "count")
        if kind not in KINDS:
            raise CatalogueError(f"{path.name}: {ind_id}: unknown kind '{kind}'")
        derive = tuple(_derivation(ind_id, rule) for rule in item.get("derive") or ())
        indicators[ind_id] = Indicator(ind_id, item["name"], item.get("unit", ""), kind,
                                       tuple(item.get("aliases", ())), derive)
    for ind in indicators.values():
        for rule in ind.derive:
            _check_derivation(ind, rule, indicators)
    not_indicators = tuple(data.get("not_indicators") or ())
    _check_aliases(indicators, not_indicators)
    return Catalogue(indicators, not_indicators, _derivation_order(indicators))


def _derivation(ind_id: str, rule: Any) -> Derivation:
    if not isinstance(rule, Mapping) or len(rule) != 1 or next(iter(rule)) not in _OPS:
        raise CatalogueError(f"{ind_id}: a derive rule is one of {', '.join(_OPS)} with its parts, "
                             f"got {rule!r}")
    op, parts = next(iter(rule.items()))
    return Derivation(op, (parts,) if isinstance(parts, str) else tuple(parts))


def _check_derivation(ind: Indicator, rule: Derivation, indicators: Mapping[str, Indicator]) -> None:
    count, exact, kind = _OPS[rule.op]
    where = f"{ind.id}: derive {rule.op} {list(rule.parts)}"
    if (len(rule.parts) != count) if exact else (len(rule.parts) < count):
        raise CatalogueError(f"{where}: needs {'exactly' if exact else 'at least'} {count} part(s)")
    if kind and ind.kind != kind:
        raise CatalogueError(f"{where}: gives a {kind}, but {ind.id} is a {ind.kind}")
    for part in rule.parts:
        if part not in indicators:
            raise CatalogueError(f"{where}: unknown indicator '{part}'")
        part_kind = indicators[part].kind
        if rule.op == "same_as":
            fits = part_kind == ind.kind or (ind.kind, part_kind) == ("yes_no", "count")
        else:
            fits = part_kind == "count"
        if not fits:
            raise CatalogueError(f"{where}: '{part}' is a {part_kind}")


def _derivation_order(indicators: Mapping[str, Indicator]) -> tuple[str, ...]:
    order: list[str] = []
    state: dict[str, str] = {}  # id → "visiting" | "done"

    def visit(ind_id: str, path: tuple[str, ...]) -> None:
        if state.get(ind_id) == "done":
            return
        if state.get(ind_id) == "visiting":
            raise CatalogueError(f"derivation cycle: {' → '.join((*path, ind_id))}")
        state[ind_id] = "visiting"
        for rule in indicators[ind_id].derive:
            for part in rule.parts:
                visit(part, (*path, ind_id))
        state[ind_id] = "done"
        if indicators[ind_id].derive:
            order.append(ind_id)

    for ind_id in indicators:
        visit(ind_id, ())
    return tuple(order)


def _check_aliases(indicators: Mapping[str, Indicator], not_indicators: tuple[str, ...]) -> None:
    owner: dict[str, str] = {}
    labels = [(ind.id, a) for ind in indicators.values() for a in (ind.name, *ind.aliases)]
    for ind_id, alias in [*labels, *(("", label) for label in not_indicators)]:
        norm = normal_form(alias)
        if owner.setdefault(norm, ind_id) != ind_id:
            raise CatalogueError(f"alias '{alias}' of '{ind_id or 'not_indicators'}' already names "
                                 f"'{owner[norm] or 'not_indicators'}'")


def default_catalogue() -> Catalogue:
    """The catalogue egov ships (read once per machine: `compiled`)."""
    from egovcli.indicators.compiled import shipped

    return shipped()[0]


def catalogue() -> dict[str, Indicator]:
    """The canonical indicators by id."""
    return default_catalogue().indicators


def derivation_order() -> tuple[str, ...]:
    """Ids of derived indicators, each after every indicator it may be derived from."""
    return default_catalogue().derivation_order
