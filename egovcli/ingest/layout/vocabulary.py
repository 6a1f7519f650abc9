"""The words published ranking tables head their columns with, as data: one place to extend.

Every header seen in real published rankings (national DTI, the e-government ranking of provinces,
the IT ranking of ministries, the ICT Index, a province's ranking of its sở) is listed here, by
role. A header cell matches after `normal`: accents, case, punctuation and line breaks ignored,
common abbreviations spelt out ("TW" → "trung ương", "UBND" → "ủy ban nhân dân"), a leading
"Tên" / "Các" and a trailing year or bracket ("Chỉ số DTI 2022", "Điểm (0–1)") dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from operator import attrgetter

from egovcli.ingest.layout.cells import Cell
from egovcli.ingest.layout.header import TT_KEYS
from egovcli.textnorm import key, lazy_pattern, remembered

# the agency column: "Tỉnh, thành phố trực thuộc Trung ương", "Bộ, cơ quan ngang Bộ", "Sở, ban, ngành" …
AGENCY = frozenset(
    {
        "don vi", "co quan", "co quan don vi", "don vi co quan", "don vi dia phuong", "dia phuong",
        "don vi duoc danh gia", "co quan duoc danh gia", "co quan don vi duoc danh gia",
        "tinh", "tinh thanh pho", "tinh thanh", "thanh pho", "tinh thanh pho truc thuoc trung uong",
        "bo", "bo nganh", "bo co quan ngang bo", "bo co quan ngang bo co quan thuoc chinh phu",
        "so", "so nganh", "so ban nganh", "co quan chuyen mon", "huyen", "huyen thanh pho",
        "huyen thi xa thanh pho", "xa", "xa phuong thi tran", "xa phuong",
    }
)
# the printed total or index of a row
TOTAL = frozenset(
    {
        "tong", "tong diem", "tong so diem", "tong cong", "tong diem dat duoc", "diem", "diem dat duoc",
        "diem so", "chi so", "chi so dti", "dti", "gia tri", "gia tri chi so", "diem dti",
        "chi so ict", "ict index", "chi so ict index", "chi so tong hop", "chi so chung", "ket qua",
        "tong diem danh gia", "diem danh gia", "diem tong hop",
    }
)
# the printed rank
RANK = frozenset(
    {"xep hang", "thu hang", "hang", "thu tu xep hang", "xep hang chung", "xep thu", "vi tri", "xh",
     "xep hang dti", "thu hang dti", "xep hang chi so"}
)
# a column numbering the rows, which may or may not be the rank (egov checks it against the values)
ROW_NUMBER = TT_KEYS
# words in a header or heading saying the table scores or ranks
SCORE_WORDS = lazy_pattern(r"\b(?:diem|xep hang|hang|thu hang|chi so|dti|ict index|gia tri)\b")

_ABBREVIATIONS = (
    (lazy_pattern(r"\btw\b"), "trung uong"),
    (lazy_pattern(r"\bubnd\b"), "uy ban nhan dan"),
    (lazy_pattern(r"\bcq\b"), "co quan"),
    (lazy_pattern(r"\bdv\b"), "don vi"),
    (lazy_pattern(r"\btp\b"), "thanh pho"),
    (lazy_pattern(r"\bcqnb\b"), "co quan ngang bo"),
)
_LEADING = lazy_pattern(r"^(?:ten|cac)\s+")
_TRAILING = lazy_pattern(r"\s+(?:nam\s+)?\d[\d\s]*$")  # "Chỉ số DTI 2022", "Điểm năm 2023"
# headers read by prefix (on `key`): "Xếp hạng theo …", "Tổng điểm (tối đa 100)", the misprint "Tng điểm"
_RANK_PREFIX = lazy_pattern(r"^(?:xep hang|thu hang|hang|thu tu xep hang)\b")
_TOTAL_PREFIX = lazy_pattern(r"^t[o]?ng(?: cong| so)?(?: diem\b.*)?$")
_BRACKET = lazy_pattern(r"\([^)]*\)|\[[^]]*\]")
# columns beside the scores that are no part of the total: a maximum ("Điểm tối đa"), the period,
# the previous period and changes since it ("Hạng kỳ trước", "Tổng điểm kỳ trước", "Thay đổi
# điểm"), a grade ("Xếp loại"), the group, a note, a rank interval ("Khoảng hạng (5–95%)") — as
# egov's own ranking prints them, and others do
_OTHER = lazy_pattern(
    r"^(?:diem )?toi da\b|^thang diem\b|^ky(?: danh gia| bao cao)?$|\b(?:ky|nam) truoc\b|^thay doi\b"
    r"|^xep loai\b|^nhom$|^ghi chu\b|^so voi\b|^khoang hang\b"
)


@lru_cache(maxsize=1 << 16)  # header cells repeat across a round's files
def normal(text: str) -> str:
    """A header cell as the vocabulary lists it."""
    folded = key(_BRACKET.sub(" ", text))
    for pattern, full in _ABBREVIATIONS:
        folded = pattern.sub(full, folded)
    return _TRAILING.sub("", _LEADING.sub("", folded)).strip()


@lru_cache(maxsize=1 << 16)
def role(text: str) -> str:
    """"agency", "TOTAL", "RANK", "tt", "other" (a column beside the scores that is no part of the
    total: `_OTHER`) or "" (a part) for a header cell's text."""
    word = normal(text)
    if word in AGENCY:
        return "agency"
    if _OTHER.search(key(text)):
        return "other"
    if word in RANK or _RANK_PREFIX.match(key(text)):
        return "RANK"
    if word in TOTAL or _TOTAL_PREFIX.match(key(text)):
        return "TOTAL"
    if key(text) in ROW_NUMBER:
        return "tt"
    return ""


_AGENCY_HEADER_LENGTH = 60  # a longer cell names no column
_CHEAP = lazy_pattern(r"[^\W\d_]")  # a header cell has a letter
_TEXT = attrgetter("text")


def agency_column(row: Sequence[Cell]) -> int | None:
    """The column of the first cell of `row` heading an agency column, or None."""
    # (every row of every table is asked, by a reader and by `interpret`: its cells' remembered
    # answers in one list, with no Python call per cell)
    heads = list(map(_agency_header, map(_TEXT, row)))
    return heads.index(True) if True in heads else None


def any_agency_column(rows: Sequence[Sequence[Cell]]) -> bool:
    """Whether a cell of `rows` heads an agency column (most tables have none: asked at once)."""
    return any(map(_agency_header, map(_TEXT, chain.from_iterable(rows))))


@remembered  # the same header and body cells recur across a round's tables
def _agency_header(text: str) -> bool:
    """A cell heading the agency column ("Đơn vị", "Tỉnh, thành phố trực thuộc TW": `AGENCY`),
    tested cheaply first; a label ending with ":" ("Tên cơ quan, đơn vị: | Sở …") starts a label:
    value row instead."""
    text = text.strip()
    return (
        0 < len(text) <= _AGENCY_HEADER_LENGTH and not text.endswith(":") and bool(_CHEAP.match(text))
        and role(text) == "agency"
    )
