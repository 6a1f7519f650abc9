"""Map observation labels onto canonical indicators (catalogue.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from egovcli.textnorm import key

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
_MIN_PREFIX_WORDS = 4  # an alias this long may match a label that continues past it


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str
    unit: str
    kind: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    """The canonical indicators by id."""
    import yaml

    data = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return {
        item["id"]: Indicator(
            item["id"],
            item["name"],
            item.get("unit", ""),
            item.get("kind", "count"),
            tuple(item.get("aliases", ())),
        )
        for item in data["indicators"]
    }


@lru_cache(maxsize=1)
def _alias_index() -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for ind in catalogue().values():
        for alias in (ind.name, *ind.aliases):
            k = key(alias)
            exact.setdefault(k, ind.id)
            if len(k.split()) >= _MIN_PREFIX_WORDS:
                prefixes.append((k, ind.id))
    prefixes.sort(key=lambda p: -len(p[0]))  # longest alias wins
    return exact, prefixes


def match_label(label: str) -> str:
    """The indicator id for `label`, or "" when no alias matches."""
    k = key(label)
    exact, prefixes = _alias_index()
    if k in exact:
        return exact[k]
    for alias, ind_id in prefixes:
        if k.startswith(alias + " "):
            return ind_id
    return ""
