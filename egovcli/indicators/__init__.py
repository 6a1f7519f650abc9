"""Map observation labels onto canonical indicators (being split into modules by concern; `load`
holds it all for now)."""

from egovcli.indicators.load import (
    CATALOGUE_PATH,
    FUZZY_THRESHOLD,
    KINDS,
    Catalogue,
    CatalogueError,
    Derivation,
    Indicator,
    MappingError,
    Match,
    Matcher,
    _index,
    _replaces_a_word,
    catalogue,
    derivation_order,
    load_catalogue,
    load_mapping,
)

__all__ = [
    "CATALOGUE_PATH",
    "FUZZY_THRESHOLD",
    "KINDS",
    "Catalogue",
    "CatalogueError",
    "Derivation",
    "Indicator",
    "MappingError",
    "Match",
    "Matcher",
    "_index",
    "_replaces_a_word",
    "catalogue",
    "derivation_order",
    "load_catalogue",
    "load_mapping",
]
