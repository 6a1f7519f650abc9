"""Agency names and groups: departments (sở, ban, ngành) vs districts (UBND cấp huyện).

One agency is printed many ways ("SỞ XÂY DỰNG", "Sở Xây dựng tỉnh Hà Tĩnh", "SXD"). Without a
registry, names are normalised for display (`display_name`) and compared by `agency_key`, which
ignores accents, case, punctuation, "Ủy ban nhân dân" vs "UBND", "TP." vs "thành phố" and a
trailing " tỉnh <Tỉnh>". An optional registry (agencies.csv: id, name, group, aliases) maps every
spelling and abbreviation of an agency onto one id, display name and group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from egovcli.textnorm import key, nfc

DEPARTMENT = "department"
DISTRICT = "district"
GROUP_LABELS = {DEPARTMENT: "Sở, ban, ngành", DISTRICT: "UBND cấp huyện"}

_DEPARTMENT_START = re.compile(r"^(?:so|ban|van phong|thanh tra|dai)\b")
_DISTRICT = re.compile(
    r"\b(?:ubnd|uy ban nhan dan)\s+(?:huyen|thi xa|thanh pho|tp|quan)\b|^(?:huyen|thi xa|thanh pho|tp|quan)\s"
)


def infer_group(name: str) -> str:
    """'UBND huyện Kim Bảng', 'UBND TP. Phủ Lý', 'Huyện Ba Vì' → district; 'Sở Tài chính' → department."""
    k = key(name)
    if _DEPARTMENT_START.match(k):
        return DEPARTMENT
    return DISTRICT if _DISTRICT.search(k) else DEPARTMENT


# -- matching keys -------------------------------------------------------------------------------

_KEY_REWRITES = (
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\btp\b"), "thanh pho"),
    (re.compile(r" va\b"), ""),  # "Kế hoạch và Đầu tư" is printed "Kế hoạch - Đầu tư" too
)
_PROVINCE = "tỉnh"


def agency_key(name: str) -> str:
    """Comparison key: 'Sở Xây dựng tỉnh Hà Tĩnh', 'SỞ XÂY DỰNG' → 'so xay dung'; the word "và"
    is left out ('Sở Kế hoạch và Đầu tư', 'Sở Kế hoạch - Đầu tư' → 'so ke hoach dau tu').

    A trailing " tỉnh <Tỉnh>" is dropped when at least two words come before it.
    """
    words = nfc(name).split()
    lowered = [w.lower() for w in words]
    if _PROVINCE in lowered[2:]:
        words = words[: lowered.index(_PROVINCE, 2)]
    k = key(" ".join(words))
    for pattern, replacement in _KEY_REWRITES:
        k = pattern.sub(replacement, k)
    return k


# -- display names ---------------------------------------------------------------------------------

# (key of the words, how they are written, whether the words after them are a place name)
_Prefix = tuple[str, str, bool]
_GENERIC: tuple[_Prefix, ...] = (
    ("uy ban nhan dan", "UBND", False),
    ("ubnd", "UBND", False),
    ("van phong", "Văn phòng", False),
    ("thanh tra", "Thanh tra", False),
    ("so", "Sở", False),
    ("ban", "Ban", False),
    ("dai", "Đài", False),
    ("huyen", "Huyện", True),
    ("thi xa", "Thị xã", True),
    ("thanh pho", "Thành phố", True),
    ("tp", "Thành phố", True),
    ("quan", "Quận", True),
)
_LEVELS: tuple[_Prefix, ...] = (  # after "UBND"
    ("huyen", "huyện", True),
    ("thi xa", "thị xã", True),
    ("thanh pho", "thành phố", True),
    ("tp", "thành phố", True),
    ("quan", "quận", True),
    ("tinh", "tỉnh", True),
)
_ACRONYMS = {"ubnd": "UBND", "hdnd": "HĐND", "dbqh": "ĐBQH", "cntt": "CNTT", "kcn": "KCN", "mttq": "MTTQ"}
_SPECIAL = {"cong thuong": "Công Thương"}  # official spellings the sentence-case rule gets wrong
_NEW_PART = (",", "-", "–", "&")  # the word after these, or after "và", starts with a capital


def display_name(name: str) -> str:
    """The agency name as printed, NFC, its generic part written one way: 'SỞ XÂY DỰNG' → 'Sở Xây dựng'.

    The proper-name part keeps its printed capitals (first letter raised) unless it is all upper
    or all lower case; then it is re-cased: sentence case for departments ('Giáo dục và Đào tạo'),
    every word for places ('UBND huyện Kim Bảng').
    """
    words = nfc(name).strip(" .,;:-").split()
    if len(words) < 2:
        return " ".join(words)
    generic, place, rest = _take(words, _GENERIC)
    if generic == "UBND":
        level, place, rest = _take(rest, _LEVELS)
        generic = f"UBND {level}".rstrip()
    proper, province = _split_province(rest)
    text = " ".join(proper)
    if text.isupper() or text.islower():
        proper = _recase(proper, place)
    elif proper:
        proper[0] = proper[0][:1].upper() + proper[0][1:]
    parts = [generic, " ".join(proper)]
    if province is not None:
        parts.append(" ".join([_PROVINCE, *_recase(province, True)]))
    return " ".join(p for p in parts if p)


def _take(words: list[str], table: tuple[_Prefix, ...]) -> tuple[str, bool, list[str]]:
    """The first entry of `table` that starts `words`: (how it is written, place?, the words after it)."""
    keys = [key(w) for w in words]
    for k, shown, place in table:
        n = k.count(" ") + 1
        if " ".join(keys[:n]) == k:
            return shown, place, words[n:]
    return "", False, words


def _split_province(words: list[str]) -> tuple[list[str], list[str] | None]:
    """'Tài chính tỉnh Hà Nam' → (['Tài', 'chính'], ['Hà', 'Nam']); no 'tỉnh' → (words, None)."""
    lowered = [w.lower() for w in words]
    if _PROVINCE not in lowered:
        return words, None
    i = lowered.index(_PROVINCE)
    return words[:i], words[i + 1 :]


def _recase(words: list[str], place: bool) -> list[str]:
    """Re-case words printed all upper / all lower: place names word by word, others as a sentence."""
    out: list[str] = []
    capital = True
    for word in words:
        lower = word.lower()
        if key(word) in _ACRONYMS:
            out.append(_ACRONYMS[key(word)])
        elif place or capital:
            out.append(lower[:1].upper() + lower[1:])
        else:
            out.append(lower)
        capital = lower == "và" or lower.endswith(_NEW_PART)
    return [_SPECIAL[key(" ".join(out))]] if key(" ".join(out)) in _SPECIAL else out


def name_from_path(display_path: str) -> str:
    """Fallback agency name: the folder a file sits in, else the file name ('so-y-te.docx' → 'so y te')."""
    parts = display_path.replace("\\", "/").split("/")
    source = parts[-2] if len(parts) > 1 else parts[-1].rsplit(".", 1)[0]
    return nfc(re.sub(r"[-_]+", " ", source))


# -- registry (agencies.csv) -----------------------------------------------------------------------

_GROUP_WORDS = {
    DEPARTMENT: DEPARTMENT,
    DISTRICT: DISTRICT,
    key(GROUP_LABELS[DEPARTMENT]): DEPARTMENT,
    key(GROUP_LABELS[DISTRICT]): DISTRICT,
    "so": DEPARTMENT,
    "huyen": DISTRICT,
}


class AgencyRegistryError(ValueError):
    """agencies.csv cannot be used; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency as the registry (or, without one, its printed name) defines it.

    `key` identifies the agency across files: "id:<id>" from the registry, else `agency_key`
    of its name; "" when the name is only a guess from the file's path.
    """

    name: str
    group: str
    key: str


@dataclass(slots=True)
class AgencyRegistry:
    """Registry entries indexed by the key of their name and of each alias."""

    path: str = ""
    sha256: str = ""  # of the file's bytes; "" without a registry
    _index: dict[str, Agency] = field(default_factory=dict)

    def find(self, name: str) -> Agency | None:
        """The registered agency printed as `name`, if any."""
        return self._index.get(agency_key(name)) or self._index.get(key(name))

    def resolve(self, name: str) -> Agency:
        """The registered agency, else the name normalised with its group inferred."""
        found = self.find(name)
        if found:
            return found
        shown = display_name(name)
        return Agency(shown, infer_group(shown), agency_key(shown))

    def __len__(self) -> int:
        return len({a.key for a in self._index.values()})


def load_registry(path: str | Path) -> AgencyRegistry:
    """Read agencies.csv (UTF-8, header id,name[,group][,aliases]; aliases separated by ';').

    AgencyRegistryError lists every bad row as `file:line: what` (a quote error, a missing id or
    name, an id used twice, an unknown group, a spelling shared by two agencies)."""
    from egovcli.csvfile import CsvReadError, read_csv

    path = Path(path)
    try:
        table = read_csv(path)
    except CsvReadError as exc:
        raise AgencyRegistryError(str(exc)) from exc
    registry = AgencyRegistry(str(path), table.sha256)
    header = [key(h) for h in table.header]
    missing = [c for c in ("id", "name") if c not in header]
    if missing:
        raise AgencyRegistryError(
            f"{path}:1: thiếu cột {', '.join(missing)} ở dòng tiêu đề (cần: id,name,group,aliases)"
        )
    errors: list[tuple[int, str]] = []
    ids: dict[str, int] = {}
    for row in table.rows:
        line = row.line
        if len(row.cells) > len(header):
            errors.append((line, f"dòng có {len(row.cells)} cột, tiêu đề chỉ có {len(header)}"
                                 " (tên có dấu phẩy cần đặt trong ngoặc kép)"))
            continue
        cells = dict(zip(header, (cell.strip() for cell in row.cells), strict=False))
        ident, name = cells.get("id", ""), cells.get("name", "")
        if not ident or not name:
            errors.append((line, f"thiếu {'id' if not ident else 'name'}"))
            continue
        if ident in ids:
            errors.append((line, f"id '{ident}' đã dùng ở dòng {ids[ident]}"))
            continue
        ids[ident] = line
        group_text = cells.get("group", "")
        group = _GROUP_WORDS.get(key(group_text)) if group_text else infer_group(name)
        if group is None:
            errors.append((line, f"nhóm '{group_text}' không hợp lệ (dùng department hoặc district)"))
            continue
        agency = Agency(name, group, f"id:{ident}")
        aliases = [a for a in (nfc(a) for a in cells.get("aliases", "").split(";")) if a]
        for spelling in (name, *aliases):
            clash = _register(registry, spelling, agency)
            if clash:
                other_id = clash.key.removeprefix("id:")
                errors.append((line, f"'{spelling}' trùng với cơ quan '{clash.name}'"
                                     f" (id {other_id}, dòng {ids[other_id]})"))
    if errors or table.problems:
        raise AgencyRegistryError(table.report(errors))
    return registry


def _register(registry: AgencyRegistry, spelling: str, agency: Agency) -> Agency | None:
    """Index `agency` under `spelling`; the other agency already indexed there, if any."""
    for k in {agency_key(spelling), key(spelling)}:
        other = registry._index.setdefault(k, agency)
        if other != agency:
            return other
    return None
