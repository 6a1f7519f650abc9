"""Agency names and their groups (`egovcli.groups`: departments, districts …).

One agency is printed many ways ("SỞ XÂY DỰNG", "Sở Xây dựng tỉnh Hà Tĩnh", "SXD"). Without a
registry, names are shown as submitted (only a name printed all in capitals is re-cased, its
abbreviations kept: `display_name`) and compared by `agency_key`, which ignores accents, case,
punctuation, "Ủy ban nhân dân" vs "UBND", "TP."/"TX."/"H." vs "thành phố"/"thị xã"/"huyện" and a
trailing " tỉnh <Tỉnh>". An optional registry (agencies.csv: id, name, group, aliases) maps every
spelling and abbreviation of an agency onto one id, display name and group; its optional columns
merged_from / renamed_from / since say which units an agency was formed from or what it was called
before (`egovcli.lineage`), so that a year-over-year comparison finds them (`egovcli.rank.previous`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from egovcli import groups
from egovcli.problems import EgovError, Problem
from egovcli.textnorm import key, nfc

if TYPE_CHECKING:
    from egovcli.lineage import Lineage


def infer_group(name: str) -> str:
    """The group an agency's name puts it in (`groups.infer`): 'UBND huyện Kim Bảng', 'UBND TP. Phủ
    Lý', 'UBND H. Kim Bảng', 'Huyện Ba Vì' → district; 'UBND P. Lê Hồng Phong', 'Đặc khu Phú Quốc' →
    commune; 'Sở Tài chính' → department; 'TP. Đà Nẵng', 'Trung tâm X' → `groups.UNGROUPED`."""
    return groups.infer(_rewritten(key(name)))


# -- matching keys -------------------------------------------------------------------------------

_KEY_REWRITES = (
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\btp\b"), "thanh pho"),
    (re.compile(r"\btx\b"), "thi xa"),
    (re.compile(r"\bubnd h\b"), "ubnd huyen"),  # "UBND H. Kim Bảng"
    (re.compile(r"\bubnd q\b"), "ubnd quan"),
    (re.compile(r"\bubnd x\b"), "ubnd xa"),  # "UBND X. Tiên Tân"
    (re.compile(r"\bubnd p\b"), "ubnd phuong"),  # "UBND P. Lê Hồng Phong"
    (re.compile(r"\bubnd tt\b"), "ubnd thi tran"),
    (re.compile(r"^p (?=\w)"), "phuong "),  # "P. Hạc Thành" at the head of a name: a phường
    (re.compile(r"^(?:ubnd )?dk\b"), "dac khu"),  # "ĐK Phú Quốc"
    (re.compile(r"^vp\b"), "van phong"),  # "VP UBND tỉnh"
    (re.compile(r"^bql\b"), "ban quan ly"),  # "BQL Khu kinh tế"
    (re.compile(r"^bhxh\b"), "bao hiem xa hoi"),  # "BHXH tỉnh"
    (re.compile(r" va\b"), ""),  # "Kế hoạch và Đầu tư" is printed "Kế hoạch - Đầu tư" too
)
_PROVINCE = "tỉnh"
_PROVINCE_AGENCIES = frozenset({"uy", "doan", "doi"})  # "Văn phòng Tỉnh ủy", "Tỉnh đoàn": not a place


def _rewritten(k: str) -> str:
    """A key with the spellings of one word made one: "Ủy ban nhân dân" → "ubnd", "TP." → "thanh pho",
    "TX." → "thi xa", "UBND H." → "ubnd huyen"; "và" left out."""
    for pattern, replacement in _KEY_REWRITES:
        k = pattern.sub(replacement, k)
    return k


def agency_key(name: str) -> str:
    """Comparison key: 'Sở Xây dựng tỉnh Hà Tĩnh', 'SỞ XÂY DỰNG' → 'so xay dung'; 'UBND H. Kim Bảng',
    'Ủy ban nhân dân huyện Kim Bảng' → 'ubnd huyen kim bang'; the word "và" is left out ('Sở Kế
    hoạch và Đầu tư', 'Sở Kế hoạch - Đầu tư' → 'so ke hoach dau tu').

    A trailing " tỉnh <Tỉnh>" is dropped when at least two words come before it ("Tỉnh ủy",
    "Tỉnh đoàn" are agencies, not places: 'Văn phòng Tỉnh ủy' keeps them).
    """
    words = nfc(name).split()
    lowered = [w.lower() for w in words]
    for i in range(2, len(words)):
        if lowered[i] == _PROVINCE and key(" ".join(words[i + 1:i + 2])) not in _PROVINCE_AGENCIES:
            words = words[:i]
            break
    return _rewritten(key(" ".join(words)))


# -- display names ---------------------------------------------------------------------------------

# (key of the words, whether the words after them are a place name); their printed case is lowered
_GENERIC: tuple[tuple[str, bool], ...] = (
    ("uy ban nhan dan", False), ("ubnd", False), ("van phong", False), ("thanh tra", False), ("so", False),
    ("ban", False), ("dai", False),
    ("huyen", True), ("thi xa", True), ("thanh pho", True), ("tp", True), ("quan", True),
    ("dac khu", True), ("phuong", True), ("thi tran", True),
)
_LEVELS: tuple[tuple[str, bool], ...] = (  # after "UBND" / "Ủy ban nhân dân"; "H.", "TX." abbreviate them
    ("huyen", True), ("thi xa", True), ("thanh pho", True), ("tp", True), ("quan", True), ("tinh", True),
    ("h", True), ("tx", True), ("q", True), ("xa", True), ("phuong", True), ("dac khu", True),
    ("thi tran", True), ("x", True), ("p", True), ("tt", True),
)
# where a department's place follows its name ("… tỉnh Hà Nam", "… huyện Kim Bảng"): printed words,
# lower case; "xã" only when it is not "xã hội"
_LOCALITIES = (("thị", "xã"), ("thành", "phố"), ("thị", "trấn"), ("tỉnh",), ("huyện",), ("quận",),
               ("tp.",), ("tp",), ("phường",), ("xã",))
# abbreviations that have a vowel (those without one, "GD&ĐT", "CNTT", "H.", are recognised as such)
_ACRONYMS = {
    "ubnd": "UBND", "ub": "UB", "hdnd": "HĐND", "dbqh": "ĐBQH", "cntt": "CNTT", "kcn": "KCN", "mttq": "MTTQ",
    "attt": "ATTT", "antt": "ANTT", "atgt": "ATGT", "qlda": "QLDA", "bqlda": "BQLDA", "bql": "BQL",
}
_VOWEL = re.compile(r"[aeiouy]")
_SPECIAL = {"cong thuong": "Công Thương"}  # official spellings the sentence-case rule gets wrong
_NEW_PART = (",", "-", "–", "&")  # the word after these, or after "và", starts with a capital
_TRIM = " .,;:-"


def display_name(name: str) -> str:
    """The agency name as submitted (NFC, spaces and surrounding punctuation tidied).

    Only a name printed all in capitals (a letterhead: 'SỞ XÂY DỰNG') or all in lower case is
    re-cased: sentence case for departments ('Sở Giáo dục và Đào tạo'), every word for places ('UBND
    huyện Kim Bảng'); abbreviations keep their capitals ('SỞ GD&ĐT' → 'Sở GD&ĐT'). Matching ignores
    case and spelling variants anyway (`agency_key`).
    """
    words = nfc(name).strip(_TRIM).split()
    text = " ".join(words)
    if len(words) < 2 or not (text.isupper() or text.islower()):
        return text
    generic, place, rest = _take(words, _GENERIC)
    if key(" ".join(generic)) in ("ubnd", "uy ban nhan dan"):
        level, place, rest = _take(rest, _LEVELS)
        generic += _lowered(level)
    parts = _sentence(generic)
    if place:
        return " ".join([*parts, *_recase(rest, True)])
    proper, locality, where = _split_place(rest)
    return " ".join([*parts, *_recase(proper, False), *_lowered(locality), *_recase(where, True)])


def _is_abbreviation(word: str) -> bool:
    """'GD&ĐT', 'LĐ-TB&XH', 'H.', 'UBND': an abbreviation, whose capitals are kept."""
    folded = key(word).replace(" ", "")
    return folded in _ACRONYMS or (folded.isalpha() and not _VOWEL.search(folded))


def _written(word: str, capital: bool) -> str:
    """One word re-cased: an abbreviation in capitals, else lower case with a capital if asked."""
    if _is_abbreviation(word):
        return _ACRONYMS.get(key(word).replace(" ", ""), word.upper())
    lower = word.lower()
    return lower[:1].upper() + lower[1:] if capital else lower


def _sentence(words: list[str]) -> list[str]:
    return [_written(w, i == 0) for i, w in enumerate(words)]


def _lowered(words: list[str]) -> list[str]:
    return [_written(w, False) for w in words]


def _take(words: list[str], table: tuple[tuple[str, bool], ...]) -> tuple[list[str], bool, list[str]]:
    """The first entry of `table` that starts `words`: (its printed words, place?, the words after it)."""
    keys = [key(w) for w in words]
    for k, place in table:
        n = k.count(" ") + 1
        if " ".join(keys[:n]) == k:
            return words[:n], place, words[n:]
    return [], False, words


def _split_place(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """'Tài chính tỉnh Hà Nam' → (['Tài', 'chính'], ['tỉnh'], ['Hà', 'Nam']); no place → (words, [], [])."""
    lowered = [w.lower() for w in words]
    for i in range(len(words)):
        for locality in _LOCALITIES:
            n = len(locality)
            society = locality == ("xã",) and lowered[i + 1:i + 2] == ["hội"]  # "xã hội" is no place
            if tuple(lowered[i:i + n]) == locality and not society:
                return words[:i], words[i:i + n], words[i + n:]
    return words, [], []


def _recase(words: list[str], place: bool) -> list[str]:
    """Re-case words printed all upper / all lower: place names word by word, others as a sentence."""
    out: list[str] = []
    capital = True
    for word in words:
        out.append(_written(word, place or capital))
        lower = word.lower()
        capital = lower == "và" or lower.endswith(_NEW_PART)
    return [_SPECIAL[key(" ".join(out))]] if key(" ".join(out)) in _SPECIAL else out


# how an agency's name starts, accents kept ("Sở", not "Số liệu"; "Ban …", not "Ban hành"): a folder
# named so holds one agency's reports
_AGENCY_START = re.compile(
    r"(?:sở|ban(?! hành)|văn phòng|thanh tra|đài|trung tâm|chi cục|cục|kho bạc|bảo hiểm|công an"
    r"|bộ chỉ huy|thuế|ngân hàng nhà nước|viện kiểm sát|t[oò][aà] án|ubnd|hđnd|[uủ][yỷ] ban nhân dân"
    r"|huyện|quận|thị xã|thành phố|tp\.?|xã(?! hội)|phường|đặc khu|thị trấn)(?:\s|$)",
    re.IGNORECASE,
)


def name_from_path(display_path: str, registry: AgencyRegistry | None = None) -> str:
    """Fallback agency name of a file that names none, from its path as shown ('/'-separated).

    The file name without its extension, '-' and '_' read as spaces ('so-y-te.docx' → 'so y te'),
    since the files of one folder are often one round's reports of many agencies; the folder's
    name only when the folder is one agency's: it is registered, or it is written like an agency
    name ('Sở Y tế/bao-cao.pdf' → 'Sở Y tế'), unless the file name itself is registered. A "\\"
    is part of a name (an escaped byte: 'bad\\xff.docx'), never a separator.
    """
    *folders, file = display_path.split("/")
    stem = _tidy(file.rsplit(".", 1)[0]) or _tidy(file)
    folder = _tidy(folders[-1]) if folders else ""
    known = registry or AgencyRegistry()
    if known.find(stem):
        return stem
    return folder if folder and (known.find(folder) or _AGENCY_START.match(folder)) else stem


def _tidy(part: str) -> str:
    """A path part as a name: NFC, '-' and '_' as spaces, spaces collapsed."""
    return " ".join(re.sub(r"[-_]+", " ", nfc(part)).split())


# -- registry (agencies.csv) -----------------------------------------------------------------------

class AgencyRegistryError(EgovError, ValueError):
    """agencies.csv cannot be used; each problem names the file and line."""

    code = "E-CSV-UNREADABLE"
    heading = "Lỗi danh mục cơ quan"


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
    # merged / renamed agencies; None when the file has no lineage column (the workspace keeps its own)
    lineage: list[Lineage] | None = None

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
    """Read agencies.csv (UTF-8, header id,name[,group][,aliases][,merged_from][,renamed_from][,since];
    aliases, predecessors and former names separated by ';').

    AgencyRegistryError lists every bad row as `file:line: what` (a quote error, a missing id or
    name, an id used twice, an unknown group, a spelling shared by two agencies, and in the lineage
    columns an unknown predecessor id, a unit merged from or renamed from itself, a cycle, a bad
    date: `egovcli.lineage`)."""
    from egovcli.csvfile import CsvReadError, read_csv
    from egovcli.lineage import LINEAGE_COLUMNS, RegistryRow, read_lineage

    path = Path(path)
    try:
        table = read_csv(path)
    except CsvReadError as exc:
        raise AgencyRegistryError(exc.problems) from exc
    registry = AgencyRegistry(str(path), table.sha256)
    header = table.columns
    missing = [c for c in ("id", "name") if c not in header]
    if missing:
        what = f"thiếu cột {', '.join(missing)} ở dòng tiêu đề (cần: id,name,group,aliases)"
        raise AgencyRegistryError([table.problem("E-CSV-HEADER", 1, what)])
    errors: list[Problem] = []
    ids: dict[str, int] = {}
    rows: list[RegistryRow] = []  # the agencies read, for their lineage once every id is known
    for row in table.rows:
        line = row.line

        def error(code: str, what: str) -> None:
            errors.append(table.problem(code, line, what))  # noqa: B023 - called within this iteration

        if len(row.cells) > len(header):
            error("E-CSV-COLUMNS", f"dòng có {len(row.cells)} cột, tiêu đề chỉ có {len(header)}"
                                 " (tên có dấu phẩy cần đặt trong ngoặc kép)")
            continue
        cells = dict(zip(header, (cell.strip() for cell in row.cells), strict=False))
        ident, name = cells.get("id", ""), cells.get("name", "")
        if not ident or not name:
            error("E-CSV-MISSING", f"thiếu {'id' if not ident else 'name'}")
            continue
        if ident in ids:
            error("E-CSV-DUPLICATE", f"id '{ident}' đã dùng ở dòng {ids[ident]}")
            continue
        ids[ident] = line
        group_text = cells.get("group", "")
        group = (groups.named(group_text) or (group_text if groups.is_custom_id(group_text) else None)
                 if group_text else infer_group(name))
        if group is None:
            error("E-CSV-UNKNOWN", f"nhóm '{group_text}' không hợp lệ (dùng {groups.choices()}, hoặc mã một"
                                   " nhóm riêng của bộ tiêu chí: chữ thường không dấu, vd. doan_the)")
            continue
        agency = Agency(name, group, f"id:{ident}")
        aliases = split_list(cells.get("aliases", ""))
        for spelling in (name, *aliases):
            clash = _register(registry, spelling, agency)
            if clash:
                other_id = clash.key.removeprefix("id:")
                error("E-CSV-DUPLICATE", f"'{spelling}' trùng với cơ quan '{clash.name}'"
                                         f" (id {other_id}, dòng {ids[other_id]})")
        rows.append(RegistryRow(line, ident, agency, (name, *aliases), cells))
    if any(c in header for c in LINEAGE_COLUMNS):
        registry.lineage = read_lineage(registry, rows, lambda line, code, what: errors.append(
            table.problem(code, line, what)))
    if errors or table.problems:
        raise AgencyRegistryError(table.report(errors))
    return registry


def split_list(cell: str) -> list[str]:
    """The ';'-separated entries of a cell, NFC, blanks left out."""
    return [item for item in (nfc(part).strip() for part in cell.split(";")) if item]


def _register(registry: AgencyRegistry, spelling: str, agency: Agency) -> Agency | None:
    """Index `agency` under `spelling`; the other agency already indexed there, if any."""
    for k in {agency_key(spelling), key(spelling)}:
        other = registry._index.setdefault(k, agency)
        if other != agency:
            return other
    return None
