"""Format-independent reading: text lines and cell grids → observations, agency, period.

Extractors turn a file into `TextLine`s and tables (rows of `Cell`s) that know where they came
from; this module finds "label: value" lines, criteria tables (phụ lục: TT | Nội dung | … |
Điểm tối đa | Điểm tự đánh giá) and other data tables in them, and rebuilds criterion paths as
docs/architecture.md describes. Rows before a table's header and tables without a header are
read as lines ("label | value" pairs become "label: value").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from egovcli.model import Extracted, Observation
from egovcli.problems import Problem, problem
from egovcli.textnorm import fold, key, nfc
from egovcli.values import parse_number, parse_value


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of running text and where it is ("đoạn 14", "trang 1, dòng 12")."""

    text: str
    location: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell's text and where it is ("Sheet!E12", "bảng 2, dòng 5, cột 5")."""

    text: str
    location: str


Grid = Sequence[Sequence[Cell]]

# --- "label: value" lines -------------------------------------------------------------------
_BULLET = re.compile(r"^(?:[-+•*–—·]+\s*|(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s+)")
_TRAILING_LA = re.compile(r"\s+là$", re.IGNORECASE)
_PROSE_LABEL = 160  # a longer "label" is a sentence that happens to contain a colon
_TEXT_LABEL = 100  # … and for a non-numeric value the label must be shorter still
_TEXT_VALUE = 200
_PLACEHOLDER = re.compile(r"\.\.\.|…|□")  # an unfilled form: "……… người", "□ Có □ Không"
_SKIP_LABELS = frozenset({"so", "kinh gui", "noi nhan", "luu", "can cu", "dia chi"})
_LIST_INTRO = re.compile(r"(?:^| )(?:nhu|gom|bao gom|cu the|sau|sau day)$")
_TOTAL_LINE = re.compile(r"^tong (?:so )?diem(?: tu danh gia| tu cham)?(?: dat duoc| dat)?$")
_MAX_LINE = re.compile(r"^tong (?:so )?diem toi da$")

# --- tables -----------------------------------------------------------------------------------
_HEADER_SCAN = 60  # rows searched for a table header
_TT_KEYS = frozenset({"tt", "stt", "so tt", "thu tu"})
_ROLE_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("max", ("diem toi da", "toi da", "thang diem", "diem chuan")),
    ("label", ("noi dung", "tieu chi", "ten tieu chi", "chi tieu", "ten chi tieu", "hang muc")),
    ("method", ("cach tinh", "phuong phap", "huong dan cham")),
    ("unit", ("don vi tinh", "dvt")),
    ("note", ("ghi chu", "tai lieu kiem chung", "minh chung", "giai trinh")),
    ("value", ("so lieu", "gia tri", "ket qua")),
)
_SUB_HEADER = ("toi da", "tu danh gia", "tu cham", "diem")
_SECTION = re.compile(r"^([IVX]+|[A-Z])\.?$")
_SUBSECTION = re.compile(r"^([IVX]+)\.(\d+(?:\.\d+)*)\.?$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
_LETTER = re.compile(r"^([a-zđ])[.)]?$")
_REF_IN_LABEL = re.compile(r"^((?:[IVX]+|\d+)(?:\.\d+)*|[a-zđ])[.)]\s+(?=\S)")
_TOTAL_ROW = re.compile(r"^tong(?: cong| so| diem| dat duoc| tu danh gia| tu cham)*\s*(?:\(.*)?[:.]?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_SMALL_PART = re.compile(r"^\d{1,2}(?:,\d+)?$")

# --- agency and period --------------------------------------------------------------------
_AGENCY_LABELS = frozenset({
    "ten co quan don vi", "ten co quan", "ten don vi", "ten co quan bao cao", "ten don vi bao cao",
    "co quan bao cao", "don vi bao cao", "co quan don vi", "co quan", "don vi",
})
_AGENCY = re.compile(
    r"^(sở|ban|văn phòng|thanh tra|(?:ủy|uỷ) ban nhân dân|ubnd|bộ chỉ huy|bộ|tổng cục|chi cục|cục"
    r"|đài|trường|bệnh viện|công an|kho bạc|bảo hiểm xã hội|trung tâm|viện kiểm sát|viện|(?:tòa|toà) án"
    r"|hội đồng)(?=\s|$)",
    re.IGNORECASE,
)
_PARENT = re.compile(r"^(?:(?:ủy|uỷ) ban nhân dân|ubnd)\b", re.IGNORECASE)
_ANNEX_OF = re.compile(r"kèm theo.*\bcủa\s+(.+?)[\s).;]*$", re.IGNORECASE)
_LOCALITY = re.compile(r"(?:^|\s)(?:tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường)\s+")
_UBND = re.compile(r"\bubnd\b", re.IGNORECASE)
_TOP_LINES = 15
_DATE = re.compile(r"(?:ngay \d{1,2} )?thang \d{1,2} nam \d{4}")
_YEAR = re.compile(r"(?:\bnam|\bquy [ivx\d]+\s*(?:/|nam))\s*((?:19|20)\d{2})\b")
_TITLE_HEADINGS = frozenset({"bao cao", "quyet dinh", "ke hoach", "phu luc"})
_TITLE_STARTS = ("bao cao", "bo tieu chi", "phieu", "bieu mau")


# --- lines ----------------------------------------------------------------------------------
@lru_cache(maxsize=4096)  # asked again by agency detection
def _split_line(text: str) -> tuple[str, str, str] | None:
    """(label, value, label key) of a "label: value" line, or None for prose and empty values."""
    head, colon, value = nfc(text).partition(":")
    if not colon:
        return None
    label = _TRAILING_LA.sub("", _BULLET.sub("", head, count=1)).strip()
    value = value.strip()
    if not value.strip(" .;,…") or len(label) > _PROSE_LABEL or not any(ch.isalpha() for ch in label):
        return None
    label_key = key(label)
    if label_key in _SKIP_LABELS or _LIST_INTRO.search(label_key):
        return None
    return label, value, label_key


def lines_to_observations(lines: Iterable[TextLine]) -> list[Observation]:
    """Observations from "label: value" lines.

    "Tổng số điểm đạt được: 496" is the self-assessed total (kind self_score, indicator TOTAL);
    "Tổng số điểm tối đa: 500" is not data: it becomes that total's `max_points`.
    """
    observations: list[Observation] = []
    totals: list[Observation] = []
    maximum: float | None = None
    for line in lines:
        split = _split_line(line.text)
        if split is None:
            continue
        label, raw, label_key = split
        parsed = parse_value(raw.rstrip(" .;,"))
        if _MAX_LINE.match(label_key):
            maximum = parsed.value
            continue
        total = bool(_TOTAL_LINE.match(label_key))
        if not total and parsed.value is None and (
            len(label) > _TEXT_LABEL or len(raw) > _TEXT_VALUE or _PLACEHOLDER.search(raw)
        ):
            continue
        obs = Observation(
            label, raw, parsed.value, kind="self_score" if total else "data", unit=parsed.unit,
            indicator="TOTAL" if total else "", denominator=parsed.denominator, note=parsed.note,
            location=line.location,
        )
        observations.append(obs)
        if total:
            totals.append(obs)
    for obs in totals:
        obs.max_points = maximum
    return observations


def rows_to_lines(rows: Iterable[Sequence[Cell]]) -> list[TextLine]:
    """Text lines from rows outside a table: "label" | "value" pairs become "label: value"."""
    lines: list[TextLine] = []
    for row in rows:
        cells = [(text, cell.location) for cell in row if (text := nfc(cell.text))]
        if len(cells) == 2:
            (first, _), (second, location) = cells
            head = first.rstrip(":").rstrip()
            if ":" not in head and first != first.upper():
                lines.append(TextLine(f"{head}: {second}", location))
                continue
        lines.extend(TextLine(text, location) for text, location in cells)
    return lines


# --- tables: header ---------------------------------------------------------------------------
@dataclass(slots=True)
class _Header:
    row: int  # index of the (first) header row
    size: int  # 1, or 2 for a two-row header ("Điểm" over "Tối đa" | "Tự đánh giá")
    roles: dict[str, int]  # role → column
    texts: list[str]  # header text per column
    signatures: set[tuple[str, ...]] = field(default_factory=set)

    @property
    def criteria(self) -> bool:
        return "max" in self.roles or "self" in self.roles


def _role(cell_key: str) -> str | None:
    if cell_key in _TT_KEYS:
        return "tt"
    if "tu danh gia" in cell_key or "tu cham" in cell_key:
        return "self"
    for role, prefixes in _ROLE_PREFIXES:
        if cell_key.startswith(prefixes):
            return role
    return None


def _roles(texts: Sequence[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for column, text in enumerate(texts):
        role = _role(key(text)) if text and len(text) < 60 else None
        if role and role not in roles:
            roles[role] = column
    return roles


def _is_header(roles: dict[str, int]) -> bool:
    return "label" in roles and len(roles) >= 2


def _texts(row: Sequence[Cell]) -> list[str]:
    return [nfc(cell.text) for cell in row]


def _find_header(rows: Grid) -> _Header | None:
    """The header row (TT | Nội dung | …), possibly over a second row ("Tối đa" | "Tự đánh giá")."""
    for index, row in enumerate(rows[:_HEADER_SCAN]):
        texts = _texts(row)
        roles = _roles(texts)
        if "label" not in roles:
            continue
        if index + 1 < len(rows):
            below = _texts(rows[index + 1])
            label_below = below[roles["label"]] if roles["label"] < len(below) else ""
            short = all(len(text) < 30 for text in below)
            if not label_below and short and any(key(text).startswith(_SUB_HEADER) for text in below):
                merged = _merge_header(texts, below)
                if _is_header(merged_roles := _roles(merged)):
                    return _Header(index, 2, merged_roles, merged, {_signature(texts), _signature(below)})
        if _is_header(roles):
            return _Header(index, 1, roles, texts, {_signature(texts)})
    return None


def _merge_header(top: list[str], below: list[str]) -> list[str]:
    """Column texts of a two-row header; a blank top cell is spanned by the one to its left."""
    merged, parent = [], ""
    for column in range(max(len(top), len(below))):
        upper = top[column] if column < len(top) else ""
        lower = below[column] if column < len(below) else ""
        parent = upper or parent
        merged.append(f"{upper or parent} {lower}".strip() if lower else upper)
    return merged


def _signature(texts: Sequence[str]) -> tuple[str, ...]:
    return tuple(text for text in texts if text)


def continues_table(previous: Grid, rows: Grid) -> bool:
    """True when `rows` carry on the table `previous` (e.g. on the next pdf page): it repeats
    the same header, or it has no header and the same number of columns."""
    before = _find_header(previous)
    if before is None or not rows:
        return False
    header = _find_header(rows)
    if header is None:
        return len(rows[0]) == len(previous[0])
    return header.roles == before.roles


# --- tables: rows -----------------------------------------------------------------------------
@dataclass(slots=True)
class _Record:
    """One logical table row (continuation rows joined), with its cells for locations."""

    ref: str  # TT as printed (or found at the start of the label)
    texts: list[str]
    cells: list[Cell | None]
    total: bool  # the grand total row "TỔNG (I+II+…)"

    def text(self, column: int | None) -> str:
        return self.texts[column] if column is not None and column < len(self.texts) else ""

    def cell(self, column: int | None) -> Cell | None:
        return self.cells[column] if column is not None and column < len(self.cells) else None


def _records(rows: Grid, header: _Header) -> list[_Record]:
    roles = header.roles
    tt, label = roles.get("tt"), roles["label"]
    width = max(len(header.texts), max((len(row) for row in rows), default=0))
    numeric = [roles[r] for r in ("max", "self") if r in roles] if header.criteria else _values(header)
    records: list[_Record] = []
    for row in rows[header.row + header.size:]:
        texts = _texts(row)
        texts += [""] * (width - len(texts))
        if not any(texts) or _signature(texts) in header.signatures or _is_column_numbers(texts, label):
            continue
        ref = texts[tt] if tt is not None else ""
        if key(ref) in _TT_KEYS:  # a repeated header with slightly different wording
            continue
        if not ref and (found := _REF_IN_LABEL.match(texts[label])):
            ref, texts[label] = found.group(1), texts[label][found.end():]
        if not ref and records and not any(texts[c] for c in numeric) and not records[-1].total:
            previous = records[-1]  # a row broken across pages: join it to the row before
            for column, text in enumerate(texts):
                if text and column != tt:
                    previous.texts[column] = f"{previous.texts[column]} {text}".strip()
            continue
        total = _is_total(ref) or (not ref and _is_total(texts[label]))
        cells: list[Cell | None] = [*row, *[None] * (width - len(row))]
        records.append(_Record(ref, texts, cells, total))
    return records


def _is_total(text: str) -> bool:
    return bool(text) and bool(_TOTAL_ROW.match(fold(text)))


def _is_column_numbers(texts: list[str], label: int) -> bool:
    """The "(1) (2) (3) …" row printed under many headers."""
    filled = [text for text in texts if text]
    return bool(texts[label]) and len(filled) >= 3 and all(_COLUMN_NUMBER.match(t) for t in filled)


def _values(header: _Header) -> list[int]:
    """Value columns of a data table: explicit "Số liệu"-like ones, else all unassigned after the label."""
    explicit = [c for c, text in enumerate(header.texts) if text and _role(key(text)) == "value"]
    if explicit:
        return explicit
    taken = set(header.roles.values())
    return [c for c in range(header.roles["label"] + 1, len(header.texts)) if c not in taken]


# --- tables: observations ---------------------------------------------------------------------
def table_to_observations(rows: Grid) -> list[Observation]:
    """Observations from one table: self scores of a criteria table, or data rows of another.

    Returns [] when no header row is found (`interpret` reads such a grid as lines).
    """
    header = _find_header(rows)
    return _table_observations(rows, header) if header else []


def _table_observations(rows: Grid, header: _Header) -> list[Observation]:
    records = _records(rows, header)
    return _criteria(records, header) if header.criteria else _data(records, header)


def _join(prefix: str, part: str) -> str:
    return f"{prefix}.{part}" if prefix else part


def _criteria(records: list[_Record], header: _Header) -> list[Observation]:
    """One self_score observation per scored row, its indicator the rebuilt criterion path."""
    prefix = last_numbered = ""
    pending: str | None = None  # a numbered heading waiting for its unnumbered scored row
    observations: list[Observation] = []
    for index, record in enumerate(records):
        compact = record.ref.replace(" ", "")
        scored = bool(record.text(header.roles.get("self")) or record.text(header.roles.get("max")))
        section = False
        if record.total:
            path = "TOTAL"
        elif match := _SECTION.match(compact):
            path = prefix = match.group(1)
            section = True
        elif match := _SUBSECTION.match(compact):
            path = prefix = f"{match.group(1)}.{match.group(2)}"
            section = True
        elif match := _NUMBERED.match(compact):
            path = last_numbered = _join(prefix, match.group(1))
        elif match := _LETTER.match(compact):
            path = _join(last_numbered or prefix, match.group(1))
        elif scored:  # unnumbered: takes the number of the heading right before it, if any
            path = pending or ""
        else:
            continue
        if not scored and _is_heading(records, index, header, section):
            pending = None if section else path
            continue
        pending = None
        observations.append(_score(record, path, header))
    return observations


def _is_heading(records: list[_Record], index: int, header: _Header, section: bool) -> bool:
    """A row without scores is a heading when the table prints maxima (a scored row would show
    one) or when the next row is deeper or unnumbered; otherwise it is a blank self-score."""
    if section or "max" in header.roles:
        return True
    if index + 1 == len(records):
        return False
    here = records[index].ref.replace(" ", "")
    after = records[index + 1].ref.replace(" ", "")
    deeper = _NUMBERED.match(after)
    return not after or bool(_LETTER.match(after)) or bool(
        deeper and _NUMBERED.match(here) and deeper.group(1).count(".") > here.count(".")
    )


def _points(text: str) -> tuple[float | None, str, float | None, str]:
    """(value, unit, denominator, note) of a score cell; "5 5 5" (a maximum per sub-item) is 15."""
    parts = text.split()
    if len(parts) > 1 and all(_SMALL_PART.match(part) for part in parts):
        return sum(parse_number(part) or 0.0 for part in parts), "", None, " + ".join(parts)
    parsed = parse_value(text)
    return parsed.value, parsed.unit, parsed.denominator, parsed.note


def _score(record: _Record, path: str, header: _Header) -> Observation:
    roles = header.roles
    raw, printed_max = record.text(roles.get("self")), record.text(roles.get("max"))
    value, unit, denominator, note = _points(raw) if raw else (None, "", None, "")
    maximum, _, _, max_note = _points(printed_max) if printed_max else (None, "", None, "")
    cell = record.cell(roles.get("self")) or record.cell(roles.get("max"))
    return Observation(
        record.text(roles["label"]) or record.ref, raw, value, kind="self_score", unit=unit,
        indicator=path, ref=record.ref, max_points=maximum, denominator=denominator,
        note="; ".join(part for part in (note, max_note, record.text(roles.get("note"))) if part),
        location=cell.location if cell else "",
    )


def _data(records: list[_Record], header: _Header) -> list[Observation]:
    """One data observation per filled value cell; section rows ("I", "A- …") are headings."""
    columns = _values(header)
    several = len(columns) > 1
    observations: list[Observation] = []
    for record in records:
        compact = record.ref.replace(" ", "")
        label = _BULLET.sub("", record.text(header.roles["label"]), count=1).rstrip(" :")
        if not label or _SECTION.match(compact) or _SUBSECTION.match(compact):
            continue
        for column in columns:
            raw = record.text(column)
            if not raw:
                continue
            parsed = parse_value(raw)
            cell = record.cell(column)
            note = (header.texts[column] if several else "", parsed.note,
                    record.text(header.roles.get("note")))
            observations.append(Observation(
                label, raw, parsed.value, unit=parsed.unit or record.text(header.roles.get("unit")),
                ref=record.ref, denominator=parsed.denominator,
                note="; ".join(part for part in note if part), location=cell.location if cell else "",
            ))
    return observations


# --- agency and period ------------------------------------------------------------------------
@dataclass(slots=True)
class _Table:
    rows: Grid
    header: _Header | None
    lines: list[TextLine]  # rows before the header, or every row of a headerless grid


def _read(rows: Grid) -> _Table:
    header = _find_header(rows)
    return _Table(rows, header, rows_to_lines(rows[: header.row] if header else rows))


def _agency_name(text: str) -> str | None:
    """`text` if it names an agency ("Sở Tài chính tỉnh Hà Nam"), tidied; else None."""
    name = nfc(text).strip(" .;,:()")
    return name if _AGENCY.match(name) else None


def _labelled_agency(label_key: str, value: str) -> str | None:
    """The value of a "Tên đơn vị: X" pair; after a bare "Đơn vị:" only if X names an agency."""
    if label_key not in _AGENCY_LABELS:
        return None
    if label_key.startswith("ten"):
        return nfc(value).strip(" .;,") or None
    return _agency_name(value)


def _title_case(name: str) -> str:
    """"SỞ TÀI CHÍNH TỈNH HÀ NAM" → "Sở Tài chính tỉnh Hà Nam": the agency type and the word
    after it capitalised, a place name after "tỉnh"/"huyện"/… in title case."""
    lower = name.lower()
    match = _AGENCY.match(lower)
    kind, rest = (match.group(1), lower[match.end():].strip()) if match else ("", lower)
    place = _LOCALITY.search(rest)
    if place:
        rest = rest[: place.end()] + rest[place.end():].title()
    if not place or place.start() > 0:
        rest = rest[:1].upper() + rest[1:]
    return _UBND.sub("UBND", f"{kind.capitalize()} {rest}".strip())


def detect_agency(lines: Sequence[TextLine], tables: Sequence[Grid]) -> str | None:
    """The reporting agency: a "Tên cơ quan, đơn vị: X" line or table row, a value column headed
    by an agency ("Sở Xây dựng"), "(Kèm theo … của X)", or an upper-case letterhead line."""
    return _agency(lines, [_read(rows) for rows in tables])


def _agency(lines: Sequence[TextLine], tables: Sequence[_Table]) -> str | None:
    all_lines = [*lines, *(line for table in tables for line in table.lines)]
    for line in all_lines:
        split = _split_line(line.text)
        if split and (name := _labelled_agency(split[2], split[1])):
            return name
    for table in tables:
        for row in table.rows[:_HEADER_SCAN]:
            texts = [text for text in _texts(row) if text]
            for text in texts[:-1]:
                if name := _labelled_agency(key(text), texts[-1]):
                    return name
    for table in tables:
        if table.header and not table.header.criteria:
            for column in _values(table.header):
                if name := _agency_name(table.header.texts[column]):
                    return name
    for line in all_lines:
        annex = _ANNEX_OF.search(nfc(line.text))
        if annex and (name := _agency_name(annex.group(1))):
            return name
    return _letterhead([*lines[:_TOP_LINES], *(line for t in tables if not t.header for line in t.lines[:5])])


def _letterhead(lines: Sequence[TextLine]) -> str | None:
    """An upper-case agency line at the top ("SỞ TÀI CHÍNH"), preferred over its parent
    ("UBND TỈNH HÀ NAM"); "ỦY BAN NHÂN DÂN" alone takes the next line ("THÀNH PHỐ …")."""
    texts = [nfc(line.text) for line in lines]
    candidates = [i for i, t in enumerate(texts) if t == t.upper() and _AGENCY.match(t)]
    for i in candidates:
        if not _PARENT.match(texts[i]):
            return _title_case(texts[i])
    for i in candidates:
        name = texts[i]
        if _AGENCY.fullmatch(name) and i + 1 < len(texts) and texts[i + 1] == texts[i + 1].upper():
            name = f"{name} {texts[i + 1]}"
        return _title_case(name)
    return None


def detect_period(lines: Iterable[TextLine]) -> str | None:
    """The report year: from the title ("BÁO CÁO" / "Kết quả … năm 2022", "… 6 THÁNG ĐẦU NĂM
    2020", "quý I/2020") if it has one, else the first "năm YYYY" outside a date."""
    fallback: str | None = None
    after_heading = 0
    for line in lines:
        folded = fold(line.text)
        if not folded:
            continue
        text = nfc(line.text)
        title = after_heading > 0 or folded.startswith(_TITLE_STARTS) or (
            text == text.upper() and any(ch.isalpha() for ch in text)
        )
        after_heading = 2 if folded.strip(" :") in _TITLE_HEADINGS else max(after_heading - 1, 0)
        match = _YEAR.search(_DATE.sub(" ", folded))
        if match and title:
            return match.group(1)
        if match and fallback is None:
            fallback = match.group(1)
    return fallback


# --- everything -------------------------------------------------------------------------------
def interpret(lines: Sequence[TextLine], tables: Sequence[Grid], source: str = "") -> Extracted:
    """Observations, agency, period and row-level problems of one file's lines and tables.

    `source` names the file in problems. A missing agency or period, or no observation at all,
    is left for the ingest orchestrator to report (it knows the fallbacks).
    """
    read = [_read(rows) for rows in tables]
    all_lines = [*lines, *(line for table in read for line in table.lines)]
    observations = lines_to_observations(all_lines)
    for table in read:
        if table.header:
            observations.extend(_table_observations(table.rows, table.header))
    agency, period = _agency(lines, read), detect_period(all_lines)
    return Extracted(observations, agency, period, _problems(observations, source))


def _problems(observations: list[Observation], source: str) -> list[Problem]:
    """Self-scores that cannot be used as printed: unreadable, or with no criterion path."""
    found: list[Problem] = []
    for obs in observations:
        if obs.kind != "self_score":
            continue
        label = obs.label if len(obs.label) <= 80 else f"{obs.label[:79]}…"
        if obs.raw_value and obs.value is None:
            found.append(problem("W-UNPARSED-VALUE", source, obs.location, raw=obs.raw_value, label=label))
        if not obs.indicator:
            found.append(problem("W-NO-CRITERION-PATH", source, obs.location, label=label))
    return found
