"""Label → indicator: the user's pins, then the catalogue's aliases (exact, fill-in, prefix, fuzzy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from egovcli.indicators.load import Catalogue, Indicator, catalogue, default_catalogue
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
# Candidates shown beside a label that matched nothing (`egov indicators --unmapped`): at most
# CANDIDATES indicators, each at least CANDIDATE_THRESHOLD alike (`_alike`) on content words — a
# suggestion for a person, so looser than FUZZY_THRESHOLD and blind to the guards. On the seeds' labels,
# a real variant scores 80 and up ("Số lượng máy chủ đang hoạt động" / "Số máy chủ"), an unrelated
# label ("Ghi chú về hạ tầng mạng", "Số điện thoại đường dây nóng") below 65.
CANDIDATES = 3
CANDIDATE_THRESHOLD = 70.0


@dataclass(frozen=True)
class Match:
    """A label's indicator, how alike its closest alias is and how it was found."""

    indicator: str  # "" when unmapped
    score: float  # 0–100
    # pinned | exact | prefix | fuzzy | none | not_indicator (catalogue `not_indicators`) | candidate
    method: str



@dataclass(frozen=True)
class _Index:
    """The catalogue's labels in normal form, grouped for each way of matching."""

    exact: dict[str, str]  # normal form → indicator id ("" for a known non-indicator)
    fill_in: dict[str, str]  # normal form of a fill-in alias's heading → indicator id
    prefixes: dict[Signature, list[tuple[str, str]]]  # signature → (alias of 4+ words, id), longest first
    fuzzy: dict[Signature, tuple[list[str], list[str]]]  # signature → (content forms, indicator ids)


def _pairs(cat: Catalogue, extra: Sequence[Indicator] = ()) -> list[tuple[str, str]]:
    """(indicator id, alias) of every label `cat` and `extra` recognise, then the catalogue's
    `not_indicators` as ("", label)."""
    pairs = [(ind.id, a) for ind in (*cat.indicators.values(), *extra) for a in (ind.name, *ind.aliases)]
    return pairs + [("", label) for label in cat.not_indicators]


def _build_index(pairs: Sequence[tuple[str, str]]) -> _Index:
    """Every alias in normal form, grouped for exact, prefix and fuzzy lookup."""
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
    return _Index(exact, fill_in, prefixes, fuzzy)


def _index() -> _Index:
    """The shipped catalogue's index (made once per machine: `compiled`)."""
    from egovcli.indicators.compiled import shipped

    return shipped()[1]


class _Candidates:
    """The closest indicators to a label, by one similarity on content words over every alias (made
    when first asked for: an ingest never asks)."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._pairs = pairs
        self._forms: list[str] = []
        self._ids: list[str] = []
        self._found: dict[str, list[Match]] = {}  # labels repeat across agencies

    def closest(self, label: str, limit: int) -> list[Match]:
        if not self._ids:
            for ind_id, alias in self._pairs:
                if ind_id:
                    self._forms.append(content_form(normal_form(alias)))
                    self._ids.append(ind_id)
        content = content_form(normal_form(label))
        if content not in self._found:
            self._found[content] = self._closest(content)
        return self._found[content][:limit]

    def _closest(self, content: str) -> list[Match]:
        """Words in common (a label holding an alias's words scores high) tempered by word order and
        length, so that one shared word such as "số" does not make a candidate: the mean of
        token_set_ratio and token_sort_ratio. The first never scores below the second, so the
        aliases it puts under the threshold are left out before the mean is taken."""
        from rapidfuzz import fuzz, process

        if not content:
            return []
        near = process.extract(content, self._forms, scorer=fuzz.token_set_ratio, processor=None,
                               score_cutoff=CANDIDATE_THRESHOLD, limit=None)
        scored = sorted(((score + fuzz.token_sort_ratio(content, form)) / 2, at) for form, score, at in near)
        best: dict[str, float] = {}
        for score, at in reversed(scored):  # best first: an indicator's first alias is its closest
            if score >= CANDIDATE_THRESHOLD:
                best.setdefault(self._ids[at], round(score, 1))
        return [Match(ind_id, score, "candidate") for ind_id, score in best.items()]


_NONE = Match("", 0.0, "none")
_NOT_INDICATOR = Match("", 100.0, "not_indicator")  # reviewed: the label names no indicator


@lru_cache(maxsize=1 << 16)  # labels repeat across thousands of files
def _match_catalogue(label: str) -> Match:
    return _match_in(_index(), label)


def _match_in(index: _Index, label: str) -> Match:
    norm = normal_form(label)
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
    from rapidfuzz import fuzz, process  # (only a label no alias names exactly needs it)

    aliases, ids = group
    found = process.extractOne(content, aliases, scorer=fuzz.ratio, processor=None,
                               score_cutoff=FUZZY_THRESHOLD)
    if found is None or not ids[found[2]] or replaces_a_word(content, found[0], fuzz.ratio):
        return _NONE
    return Match(ids[found[2]], round(found[1], 1), "fuzzy")


class Matcher:
    """Label → indicator: the user's pins first, then the catalogue (exact, prefix, fuzzy), to which
    `extra` (a rule set's own indicators, `RuleSet.indicators`) adds its indicators and labels."""

    def __init__(self, pins: Mapping[str, str] | None = None, extra: Sequence[Indicator] = ()) -> None:
        self.known: dict[str, Indicator] = {**catalogue(), **{ind.id: ind for ind in extra}}
        known = self.known
        self._pins: dict[str, str] = {}
        for label, indicator in (pins or {}).items():
            if indicator and indicator not in known:
                raise MappingError(f"unknown indicator id '{indicator}' pinned for '{label}'")
            self._pins[key(label)] = indicator
        # the shipped index is built (and rapidfuzz imported) once, up front; a rule set's is its own
        self._index = _build_index(_pairs(default_catalogue(), extra)) if extra else _index()
        self._found: dict[str, Match] = {}
        self._candidates = _Candidates(_pairs(default_catalogue(), extra))

    def match(self, label: str) -> Match:
        """The indicator `label` names, how it was found and how sure (100 = exact)."""
        pinned = self._pins.get(key(label)) if self._pins else None
        if pinned is not None:
            return Match(pinned, 100.0, "pinned")
        if self._index is _index():
            return _match_catalogue(label)
        if label not in self._found:
            self._found[label] = _match_in(self._index, label)
        return self._found[label]

    def candidates(self, label: str, limit: int = CANDIDATES) -> list[Match]:
        """The indicators closest to a label that matched none (method "candidate"), best first: at
        most `limit`, each at least `CANDIDATE_THRESHOLD` alike — for a person to pin, never used."""
        return self._candidates.closest(label, limit)
