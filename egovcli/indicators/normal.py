"""The normal form labels and aliases are compared in, and the guards two labels must pass to name
the same indicator (numbers, share, negation, direction, scope, subgroup, sub-item)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from egovcli.textnorm import key

MIN_PREFIX_WORDS = 4  # a label and an alias this long may differ by trailing qualifiers only
MIN_FUZZY_WORDS = 3  # shorter labels ("Máy chủ", "Switch") are matched exactly or not at all

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
FILL_IN = re.compile(r"\s*:\s*(?:…|\.\.\.)$")
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
def normal_form(label: str) -> str:
    """`key(label)` with abbreviations spelled out: the form labels and aliases are compared in.
    An abbreviation in brackets after the words it stands for counts once ("Tổng số cán bộ, công
    chức, viên chức (CBCCVC)" is "Tổng số CBCCVC")."""
    norm = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], key(label))
    for short in _PARENTHESISED.findall(label):
        spelled = _ABBREVIATIONS.get(key(short))
        if spelled:
            norm = norm.replace(f"{spelled} {spelled}", spelled, 1)
    return norm


def only_qualifiers_apart(label: str, alias: str) -> bool:
    """True when one starts with the other (of at least `MIN_PREFIX_WORDS` words) and the rest is
    only qualifiers: "… năm 2022 (đến thời điểm báo cáo)", "… tại đơn vị", "… (triệu đồng)"."""
    short, long = (label, alias) if len(label) < len(alias) else (alias, label)
    return (long.startswith(short + " ") and len(short.split()) >= MIN_PREFIX_WORDS
            and _QUALIFIERS.fullmatch(long[len(short):]) is not None)


def content_form(norm: str) -> str:
    """The normal form without function words: what the fuzzy score compares."""
    return " ".join(w for w in norm.split() if w not in _FUNCTION_WORDS)


def replaces_a_word(label: str, alias: str, similarity: Callable[[str, str], float]) -> bool:
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


class Signature(NamedTuple):
    """What two labels must share to be the same indicator, however close their wording."""

    numbers: frozenset[int]
    share: bool
    negated: bool
    direction: frozenset[str]
    scope: frozenset[str]
    subgroup: frozenset[str]
    sub_item: str  # normal form of the part after the last " – " ("" when the label has none)


def label_signature(norm: str, label: str) -> Signature:
    numbers = frozenset(n for n in map(int, _NUMBER.findall(norm)) if not 1900 <= n <= 2099)
    direction = frozenset(d for m in _DIRECTION.finditer(norm) for d in m.groups() if d)
    sub_item = normal_form(label.rpartition(_SUB_ITEM)[2]) if _SUB_ITEM in label else ""
    return Signature(numbers, bool(_SHARE.search(norm)), "khong" in norm.split(), direction,
                      frozenset(_SCOPE.findall(norm)), frozenset(_SUBGROUP.findall(norm)), sub_item)
