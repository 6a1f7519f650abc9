"""Label → indicator: the user's pins, then the catalogue's aliases (exact, fill-in, prefix, fuzzy)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from egovcli.indicators.load import catalogue, default_catalogue
from egovcli.indicators.mapping import MappingError
from egovcli.indicators.normal import (
    FILL_IN,
    MIN_FUZZY_WORDS,
    MIN_PREFIX_WORDS,
    Signature,
    content_form,
    label_signature,
    normal_form,
    only_qualifiers_apart,
    replaces_a_word,
)
from egovcli.textnorm import key, nfc

# fuzz.ratio (0–100) on content words at or above which a label takes the closest alias's indicator.
# Aliases of two different indicators that pass the guards come at most 89.6 close ("Số máy tính tại
# đơn vị sự nghiệp" / "Số máy tính để bàn (PC) tại …"); real variants of one label across the seeds
# ("Tổng số …" for "Số …", an added "(hanam.gov.vn)", OCR damage "thư điện t … của tnh") score 90.5
# and up. tests/test_indicators.py holds both sets.
FUZZY_THRESHOLD = 90.0


@dataclass(frozen=True)
class Match:
    indicator: str  # "" when unmapped
    score: float  # 0–100
    method: str  # pinned | exact | prefix | fuzzy | none | not_indicator (catalogue `not_indicators`)



@dataclass(frozen=True)
class _Index:
    exact: dict[str, str]  # normal form → indicator id ("" for a known non-indicator)
    fill_in: dict[str, str]  # normal form of a fill-in alias's heading → indicator id
    prefixes: dict[Signature, list[tuple[str, str]]]  # signature → (alias of 4+ words, id), longest first
    fuzzy: dict[Signature, tuple[list[str], list[str]]]  # signature → (content forms, indicator ids)
    extract_one: Callable[..., Any]
    scorer: Callable[..., float]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Every alias in normal form, grouped for exact, prefix and fuzzy lookup (built once)."""
    from rapidfuzz import fuzz, process

    cat = default_catalogue()
    pairs = [(ind.id, a) for ind in cat.indicators.values() for a in (ind.name, *ind.aliases)]
    pairs += [("", label) for label in cat.not_indicators]
    exact: dict[str, str] = {}
    fill_in: dict[str, str] = {}
    prefixes: dict[Signature, list[tuple[str, str]]] = {}
    fuzzy: dict[Signature, tuple[list[str], list[str]]] = {}
    for ind_id, alias in pairs:
        norm = normal_form(alias)
        if ind_id and FILL_IN.search(nfc(alias)):
            fill_in[norm] = ind_id
        if norm in exact:
            continue
        exact[norm] = ind_id
        signature = label_signature(norm, nfc(alias))
        if ind_id and len(norm.split()) >= MIN_PREFIX_WORDS:
            prefixes.setdefault(signature, []).append((norm, ind_id))
        content = content_form(norm)
        if len(content.split()) >= MIN_FUZZY_WORDS:
            aliases, ids = fuzzy.setdefault(signature, ([], []))
            aliases.append(content)
            ids.append(ind_id)
    for group in prefixes.values():
        group.sort(key=lambda p: -len(p[0]))  # the longest alias that fits wins
    return _Index(exact, fill_in, prefixes, fuzzy, process.extractOne, fuzz.ratio)


_NONE = Match("", 0.0, "none")
_NOT_INDICATOR = Match("", 100.0, "not_indicator")  # reviewed: the label names no indicator


@lru_cache(maxsize=1 << 16)  # labels repeat across thousands of files
def _match_catalogue(label: str) -> Match:
    index, norm = _index(), normal_form(label)
    if norm in index.exact:
        ind_id = index.exact[norm]
        return Match(ind_id, 100.0, "exact") if ind_id else _NOT_INDICATOR
    head, colon, own_text = nfc(label).partition(":")
    if colon and own_text.strip() and (head := normal_form(head)) in index.fill_in:
        return Match(index.fill_in[head], round(100 * len(head) / len(norm), 1), "prefix")
    signature = label_signature(norm, nfc(label))
    for alias, ind_id in index.prefixes.get(signature, ()):
        if only_qualifiers_apart(norm, alias):
            shorter, longer = sorted((len(alias), len(norm)))
            return Match(ind_id, round(100 * shorter / longer, 1), "prefix")
    group, content = index.fuzzy.get(signature), content_form(norm)
    if group is None or len(content.split()) < MIN_FUZZY_WORDS:
        return _NONE
    aliases, ids = group
    found = index.extract_one(content, aliases, scorer=index.scorer, processor=None,
                              score_cutoff=FUZZY_THRESHOLD)
    if found is None or not ids[found[2]] or replaces_a_word(content, found[0], index.scorer):
        return _NONE
    return Match(ids[found[2]], round(found[1], 1), "fuzzy")


class Matcher:
    """Label → indicator: the user's pins first, then the catalogue (exact, prefix, fuzzy)."""

    def __init__(self, pins: Mapping[str, str] | None = None) -> None:
        known = catalogue()
        self._pins: dict[str, str] = {}
        for label, indicator in (pins or {}).items():
            if indicator and indicator not in known:
                raise MappingError(f"unknown indicator id '{indicator}' pinned for '{label}'")
            self._pins[key(label)] = indicator
        _index()  # build the alias index (and import rapidfuzz) once, up front

    def match(self, label: str) -> Match:
        """The indicator `label` names, how it was found and how sure (100 = exact)."""
        pinned = self._pins.get(key(label)) if self._pins else None
        if pinned is not None:
            return Match(pinned, 100.0, "pinned")
        return _match_catalogue(label)
