"""Map observation labels onto canonical indicators (catalogue.yaml).

`Matcher(pins).match(label)` tries, in order: a user pin (`load_mapping`), an exact alias, the heading
of a fill-in alias followed by the agency's own text (alias "Giải pháp khác: …", label "Giải pháp khác:
Ổ cứng di động"), an alias followed only by qualifiers ("… năm 2022 (đến thời điểm báo cáo)"), then the
closest alias by `rapidfuzz.fuzz.ratio` on content words (function words such as "các", "được", "của"
dropped), if it scores at least `FUZZY_THRESHOLD`. Labels are compared in a normal form: `textnorm.key`
with common abbreviations spelled out ("DVC TT" → "dich vu cong truc tuyen", "Tỉ lệ" → "ty le", "Số
lượng" → "so"). Guards against false positives: a prefix or fuzzy candidate must agree with the label on
its numbers (mức độ 3 ≠ mức độ 4; years ignored), on being a share ("tỷ lệ") or not, on negation
("không"), on the direction of documents (đi / đến), on scope (cấp xã, cấp huyện, đơn vị sự nghiệp, a
system dùng chung or dùng riêng), on a part of the staff counted apart (nữ, đảng viên) and on the
sub-item of a label the reader composed as "question – sub-item" ("… – Kiêm nhiệm" is neither "… –
Chuyên trách" nor the bare question); a fuzzy candidate may
add or drop words but not replace one ("internet" ≠ "máy tính"; words alike up to a typo count as the
same); labels of fewer than three content words match exactly only.

Derived indicators (`derive` in the catalogue) are computed from reported ones when scoring
(`egovcli.score.derived`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from egovcli.problems import EgovError, Problem
from egovcli.textnorm import key, nfc

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
KINDS = ("count", "fraction", "yes_no")
# fuzz.ratio (0–100) on content words at or above which a label takes the closest alias's indicator.
# Aliases of two different indicators that pass the guards come at most 89.6 close ("Số máy tính tại
# đơn vị sự nghiệp" / "Số máy tính để bàn (PC) tại …"); real variants of one label across the seeds
# ("Tổng số …" for "Số …", an added "(hanam.gov.vn)", OCR damage "thư điện t … của tnh") score 90.5
# and up. tests/test_indicators.py holds both sets.
FUZZY_THRESHOLD = 90.0
_MIN_PREFIX_WORDS = 4  # a label and an alias this long may differ by trailing qualifiers only
_MIN_FUZZY_WORDS = 3  # shorter labels ("Máy chủ", "Switch") are matched exactly or not at all


class CatalogueError(EgovError, ValueError):
    """The indicator catalogue is inconsistent (unknown id, kind clash, derivation cycle …)."""

    code = "E-CATALOGUE"


class MappingError(EgovError, ValueError):
    """A user mapping file (or pin) that cannot be used; each problem names file:line."""

    code = "E-CSV-UNKNOWN"
    heading = "Lỗi tệp ánh xạ chỉ số"


@dataclass(frozen=True, slots=True)
class Derivation:
    """One way to compute an indicator from others: sum | difference | ratio | same_as."""

    op: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str
    unit: str
    kind: str
    aliases: tuple[str, ...]
    derive: tuple[Derivation, ...] = ()  # tried in order when the indicator is not reported


@dataclass(frozen=True, slots=True)
class Catalogue:
    indicators: dict[str, Indicator]
    not_indicators: tuple[str, ...]  # labels known to name no indicator (names, lists, phone numbers)
    derivation_order: tuple[str, ...]  # derived indicators, each after the ones it is derived from


@dataclass(frozen=True)
class Match:
    indicator: str  # "" when unmapped
    score: float  # 0–100
    method: str  # pinned | exact | prefix | fuzzy | none | not_indicator (catalogue `not_indicators`)


# --- catalogue -----------------------------------------------------------------------------------

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

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
        norm = _norm(alias)
        if owner.setdefault(norm, ind_id) != ind_id:
            raise CatalogueError(f"alias '{alias}' of '{ind_id or 'not_indicators'}' already names "
                                 f"'{owner[norm] or 'not_indicators'}'")


@lru_cache(maxsize=1)
def _catalogue() -> Catalogue:
    return load_catalogue()


def catalogue() -> dict[str, Indicator]:
    """The canonical indicators by id."""
    return _catalogue().indicators


def derivation_order() -> tuple[str, ...]:
    """Ids of derived indicators, each after every indicator it may be derived from."""
    return _catalogue().derivation_order


# --- normal form and guards --------------------------------------------------------------------

_ABBREVIATIONS = {
    "so luong": "so", "ti le": "ty le", "tle": "ty le",
    "dvc tt": "dich vu cong truc tuyen", "dvctt": "dich vu cong truc tuyen", "dvc": "dich vu cong",
    "tthc": "thu tuc hanh chinh", "cchc": "cai cach hanh chinh",
    "cbccvc": "can bo cong chuc vien chuc", "cbccnld": "can bo cong chuc nguoi lao dong",
    "cbcc": "can bo cong chuc", "cbvc": "can bo vien chuc", "ccvc": "cong chuc vien chuc",
    "cb": "can bo", "ctr": "chuyen trach",
    "udcntt": "ung dung cong nghe thong tin", "cntt": "cong nghe thong tin",
    "qlvb dh": "quan ly van ban va dieu hanh", "qlvbdh": "quan ly van ban va dieu hanh",
    "qlvb": "quan ly van ban", "vpdt": "van phong dien tu", "ttdt": "thong tin dien tu",
    "csdl": "co so du lieu", "atantt": "an toan an ninh thong tin", "attt": "an toan thong tin",
    "antt": "an ninh thong tin", "cks": "chu ky so", "cqnn": "co quan nha nuoc",
    "ubnd": "uy ban nhan dan", "bcd": "ban chi dao",
    "vb": "van ban", "mt": "may tinh", "pm": "phan mem", "hs": "ho so",
}
_ABBREVIATION = re.compile(
    r"\b(" + "|".join(re.escape(a) for a in sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")\b"
)
# "(CBCC)" printed right after the words it abbreviates: spelled out, those words would come twice
_PARENTHESISED = re.compile(r"\(\s*([^\W\d_]{2,12})\s*\)")
_NUMBER = re.compile(r"\b\d+\b")
_SHARE = re.compile(r"\bty le\b|%")
_DIRECTION = re.compile(r"\bvan ban (?:dien tu )?(di|den)\b(?: (di|den)\b)?")
_SCOPE = re.compile(r"\b(?:cap xa|cap huyen|su nghiep|dung chung|dung rieng)\b")
# a part of the staff counted apart ("Tổng số CBCCVC nữ" is not the total)
_SUBGROUP = re.compile(r"\b(?:nu|dang vien|dan toc thieu so)\b")
# An alias ending in ": …" names a fill-in field: the agency writes its own text after the colon.
_FILL_IN = re.compile(r"\s*:\s*(?:…|\.\.\.)$")
_SUB_ITEM = " – "  # how the reader joins a question and its sub-item (egovcli.ingest.layout.labels.qualify)
# Only words with no homograph among content words once accents are gone ("co" is có and cơ quan,
# "tai" is tại and tài khoản, "qua" is qua and quá hạn: those stay).
_FUNCTION_WORDS = frozenset({
    "cac", "duoc", "cua", "va", "trong", "cho", "tren", "theo", "voi", "nhung", "ve",
})
_QUALIFIERS = re.compile(
    r"(?:\s*(?:nam|trong nam|hang nam|hang thang|den thoi diem bao cao|tinh den thoi diem bao cao"
    r"|hien nay|hien co|cua co quan|cua don vi|tai co quan|tai don vi|quy [ivx]+"
    r"|6 thang(?: dau nam| cuoi nam)?|(?:19|20)\d\d|nguoi|chiec|bo|trieu dong|tr d|mbps))+\s*"
)


@lru_cache(maxsize=1 << 16)
def _norm(label: str) -> str:
    """`key(label)` with abbreviations spelled out: the form labels and aliases are compared in.
    An abbreviation in brackets after the words it stands for counts once ("Tổng số cán bộ, công
    chức, viên chức (CBCCVC)" is "Tổng số CBCCVC")."""
    norm = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], key(label))
    for short in _PARENTHESISED.findall(label):
        spelled = _ABBREVIATIONS.get(key(short))
        if spelled:
            norm = norm.replace(f"{spelled} {spelled}", spelled, 1)
    return norm


def _only_qualifiers_apart(label: str, alias: str) -> bool:
    """True when one starts with the other (of at least `_MIN_PREFIX_WORDS` words) and the rest is
    only qualifiers: "… năm 2022 (đến thời điểm báo cáo)", "… tại đơn vị", "… (triệu đồng)"."""
    short, long = (label, alias) if len(label) < len(alias) else (alias, label)
    return (long.startswith(short + " ") and len(short.split()) >= _MIN_PREFIX_WORDS
            and _QUALIFIERS.fullmatch(long[len(short):]) is not None)


def _content(norm: str) -> str:
    """The normal form without function words: what the fuzzy score compares."""
    return " ".join(w for w in norm.split() if w not in _FUNCTION_WORDS)


def _replaces_a_word(label: str, alias: str, similarity: Callable[[str, str], float]) -> bool:
    """True when the two content forms differ by a replaced word, not only by added or dropped ones
    (words at least 75% alike, or one a prefix of the other, count as the same word misspelt)."""
    ours, theirs = label.split(), alias.split()
    only_ours = [w for w in ours if w not in theirs]
    only_theirs = [w for w in theirs if w not in ours]
    for word in list(only_ours):
        alike = next((w for w in only_theirs if similarity(word, w) >= 75 or w.startswith(word)
                      or word.startswith(w)), None)
        if alike is not None:
            only_ours.remove(word)
            only_theirs.remove(alike)
    return bool(only_ours and only_theirs)


class _Signature(NamedTuple):
    """What two labels must share to be the same indicator, however close their wording."""

    numbers: frozenset[int]
    share: bool
    negated: bool
    direction: frozenset[str]
    scope: frozenset[str]
    subgroup: frozenset[str]
    sub_item: str  # normal form of the part after the last " – " ("" when the label has none)


def _signature(norm: str, label: str) -> _Signature:
    numbers = frozenset(n for n in map(int, _NUMBER.findall(norm)) if not 1900 <= n <= 2099)
    direction = frozenset(d for m in _DIRECTION.finditer(norm) for d in m.groups() if d)
    sub_item = _norm(label.rpartition(_SUB_ITEM)[2]) if _SUB_ITEM in label else ""
    return _Signature(numbers, bool(_SHARE.search(norm)), "khong" in norm.split(), direction,
                      frozenset(_SCOPE.findall(norm)), frozenset(_SUBGROUP.findall(norm)), sub_item)


# --- matching ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Index:
    exact: dict[str, str]  # normal form → indicator id ("" for a known non-indicator)
    fill_in: dict[str, str]  # normal form of a fill-in alias's heading → indicator id
    prefixes: dict[_Signature, list[tuple[str, str]]]  # signature → (alias of 4+ words, id), longest first
    fuzzy: dict[_Signature, tuple[list[str], list[str]]]  # signature → (content forms, indicator ids)
    extract_one: Callable[..., Any]
    scorer: Callable[..., float]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Every alias in normal form, grouped for exact, prefix and fuzzy lookup (built once)."""
    from rapidfuzz import fuzz, process

    cat = _catalogue()
    pairs = [(ind.id, a) for ind in cat.indicators.values() for a in (ind.name, *ind.aliases)]
    pairs += [("", label) for label in cat.not_indicators]
    exact: dict[str, str] = {}
    fill_in: dict[str, str] = {}
    prefixes: dict[_Signature, list[tuple[str, str]]] = {}
    fuzzy: dict[_Signature, tuple[list[str], list[str]]] = {}
    for ind_id, alias in pairs:
        norm = _norm(alias)
        if ind_id and _FILL_IN.search(nfc(alias)):
            fill_in[norm] = ind_id
        if norm in exact:
            continue
        exact[norm] = ind_id
        signature = _signature(norm, nfc(alias))
        if ind_id and len(norm.split()) >= _MIN_PREFIX_WORDS:
            prefixes.setdefault(signature, []).append((norm, ind_id))
        content = _content(norm)
        if len(content.split()) >= _MIN_FUZZY_WORDS:
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
    index, norm = _index(), _norm(label)
    if norm in index.exact:
        ind_id = index.exact[norm]
        return Match(ind_id, 100.0, "exact") if ind_id else _NOT_INDICATOR
    head, colon, own_text = nfc(label).partition(":")
    if colon and own_text.strip() and (head := _norm(head)) in index.fill_in:
        return Match(index.fill_in[head], round(100 * len(head) / len(norm), 1), "prefix")
    signature = _signature(norm, nfc(label))
    for alias, ind_id in index.prefixes.get(signature, ()):
        if _only_qualifiers_apart(norm, alias):
            shorter, longer = sorted((len(alias), len(norm)))
            return Match(ind_id, round(100 * shorter / longer, 1), "prefix")
    group, content = index.fuzzy.get(signature), _content(norm)
    if group is None or len(content.split()) < _MIN_FUZZY_WORDS:
        return _NONE
    aliases, ids = group
    found = index.extract_one(content, aliases, scorer=index.scorer, processor=None,
                              score_cutoff=FUZZY_THRESHOLD)
    if found is None or not ids[found[2]] or _replaces_a_word(content, found[0], index.scorer):
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


def load_mapping(path: Path) -> dict[str, str]:
    """Pins from a user-edited mapping.csv: key(label) → indicator id ("" = not an indicator).

    UTF-8 (a BOM is fine), a header row naming the columns `label` and `indicator` (other columns are
    ignored; `;` works as the separator too, as Excel writes it in Vietnamese locales). Raises
    MappingError naming file:line for every malformed row (a quote error included), unknown
    indicator id or label pinned twice to different indicators.
    """
    from egovcli.csvfile import CsvReadError, read_csv

    try:
        table = read_csv(path, multiline=("label",))  # a label copied from a Word cell
    except CsvReadError as exc:
        raise MappingError(exc.problems) from exc
    header = table.columns
    if "label" not in header or "indicator" not in header:
        what = "the header row must name the columns label,indicator"
        raise MappingError([table.problem("E-CSV-HEADER", 1, what)])
    at_label, at_indicator = header.index("label"), header.index("indicator")
    known = catalogue()
    pins: dict[str, str] = {}
    lines: dict[str, int] = {}
    errors: list[Problem] = []
    for row in table.rows:
        line, cells = row.line, row.cells
        if len(cells) != len(header):
            what = f"{len(cells)} columns, the header has {len(header)}"
            errors.append(table.problem("E-CSV-COLUMNS", line, what))
            continue
        label_key, indicator = key(cells[at_label]), cells[at_indicator].strip()
        if not label_key:
            errors.append(table.problem("E-CSV-MISSING", line, "empty label"))
        elif indicator and indicator not in known:
            what = f"unknown indicator '{indicator}' (not in {CATALOGUE_PATH.name})"
            errors.append(table.problem("E-CSV-UNKNOWN", line, what))
        elif pins.get(label_key, indicator) != indicator:
            what = (f"'{nfc(cells[at_label])}' is already pinned to "
                    f"'{pins[label_key] or '(none)'}' on line {lines[label_key]}")
            errors.append(table.problem("E-CSV-DUPLICATE", line, what))
        else:
            pins[label_key], lines[label_key] = indicator, line
    if errors or table.problems:
        raise MappingError(table.report(errors))
    return pins

