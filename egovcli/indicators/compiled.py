"""The shipped catalogue, read and indexed once per machine: every ingest needs it, and parsing
catalogue.yaml, checking it and putting its 842 labels in normal form cost more than reading a
one-file folder. What `load_catalogue` and the matcher's index make of it is kept in the user's
cache folder ($XDG_CACHE_HOME/egov, else ~/.cache/egov) as plain values (`marshal`: no object
is built but tuples, dicts, sets and text), under a key made of everything it is computed from:
the catalogue's bytes, the source of the code that reads, checks and normalises it, and the
Python version (Unicode tables); `egovcli.usercache` keeps it (a stale, torn or damaged file is
rebuilt; a cache folder that cannot be written is done without).
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovcli import textnorm, usercache
from egovcli.indicators import load, normal
from egovcli.indicators.load import CATALOGUE_PATH, Catalogue, Derivation, Indicator, load_catalogue
from egovcli.usercache import cache_dir, read, write

if TYPE_CHECKING:
    from egovcli.indicators.matcher import _Index

CACHE_NAME = "catalogue.marshal"


@lru_cache(maxsize=1)
def shipped() -> tuple[Catalogue, _Index]:
    """The shipped catalogue and the matcher's index of its labels: from the cache when it holds
    them under today's key, else made (and cached)."""
    from egovcli.indicators import matcher

    key = _key()
    path = cache_dir() / CACHE_NAME
    kept = read(path, key) if key else None
    if kept is not None:
        try:
            return _thaw(kept)
        except (TypeError, ValueError, IndexError, KeyError):  # (not what this code wrote)
            pass
    catalogue = load_catalogue()
    index = matcher._build_index(matcher._pairs(catalogue))
    if key:
        write(path, key, _freeze(catalogue, index))
    return catalogue, index


def _key() -> bytes:
    """What the compiled catalogue depends on: the catalogue, the code making it, the Python (b""
    when the code cannot be read, as from a zip: then nothing is cached)."""
    from egovcli.indicators import matcher

    digest = hashlib.sha256(CATALOGUE_PATH.read_bytes())
    try:
        for module in (load, normal, matcher, textnorm, usercache, sys.modules[__name__]):
            digest.update(Path(module.__file__ or "").read_bytes())
    except OSError:
        return b""
    digest.update(f"{sys.version}|{marshal.version}".encode())
    return digest.digest()


def _freeze(catalogue: Catalogue, index: _Index) -> tuple[Any, ...]:
    indicators = tuple(
        (ind.id, ind.name, ind.unit, ind.kind, ind.aliases, tuple((d.op, d.parts) for d in ind.derive))
        for ind in catalogue.indicators.values()
    )
    return (
        indicators, catalogue.not_indicators, catalogue.derivation_order,
        index.exact, index.fill_in,
        tuple((tuple(signature), tuple(group)) for signature, group in index.prefixes.items()),
        tuple((tuple(signature), tuple(forms), tuple(ids))
              for signature, (forms, ids) in index.fuzzy.items()),
    )


def _thaw(kept: tuple[Any, ...]) -> tuple[Catalogue, _Index]:
    from egovcli.indicators.matcher import _Index
    from egovcli.indicators.normal import Signature

    indicators, not_indicators, order, exact, fill_in, prefixes, fuzzy = kept
    catalogue = Catalogue(
        {ind_id: Indicator(ind_id, name, unit, kind, aliases, tuple(Derivation(*rule) for rule in derive))
         for ind_id, name, unit, kind, aliases, derive in indicators},
        not_indicators, order,
    )
    index = _Index(
        exact, fill_in,
        {Signature(*signature): list(group) for signature, group in prefixes},
        {Signature(*signature): (list(forms), list(ids)) for signature, forms, ids in fuzzy},
    )
    return catalogue, index
