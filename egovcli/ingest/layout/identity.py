"""Who reports, for which period, on which date: agency, period (year) and document date."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from operator import attrgetter

from egovcli.agencies import display_name
from egovcli.groups import place_group
from egovcli.ingest.layout.cells import TextLine, parse
from egovcli.ingest.layout.header import Table
from egovcli.ingest.layout.labels import split_line
from egovcli.model import Observation
from egovcli.textnorm import fold, key, lazy_pattern, nfc, remembered
from egovcli.values import parse_period, valid_date

_HEADER_SCAN = 60  # table rows searched for a "Tên cơ quan | X" row
_TOP_LINES = 15
_LINE_TEXT = attrgetter("text")
_AGENCY_LABELS = frozenset({
    "ten co quan don vi", "ten co quan", "ten don vi", "ten co quan bao cao", "ten don vi bao cao",
    "co quan bao cao", "don vi bao cao", "co quan don vi", "co quan", "don vi",
})
_AGENCY = lazy_pattern(
    r"^(sở|ban|văn phòng|thanh tra|(?:ủy|uỷ) ban nhân dân|ubnd|bộ chỉ huy|bộ|tổng cục|chi cục|cục"
    r"|đài|trường|bệnh viện|công an|kho bạc|bảo hiểm xã hội|trung tâm|viện kiểm sát|viện|(?:tòa|toà) án"
    r"|hội đồng)(?=\s|$)",
    re.IGNORECASE,
)
_PARENT = lazy_pattern(r"^(?:(?:ủy|uỷ) ban nhân dân|ubnd)\b", re.IGNORECASE)
_ANNEX_OF = lazy_pattern(r"kèm theo.*\bcủa\s+(.+?)[\s).;]*$", re.IGNORECASE)
# the level of a people's committee: "(ỦY BAN NHÂN DÂN) HUYỆN KIM BẢNG", "UBND H. Kim Bảng", "TX. Duy Tiên"
_LEVEL = r"(?:huyện|quận|thị xã|thành phố|thị trấn|tỉnh|xã|phường|tp\b\.?|tx\b\.?|h\.|q\.)"
_LEVEL_LINE = lazy_pattern(rf"^{_LEVEL}\s*\S", re.IGNORECASE)
# a committee named in ordinary case on a letterhead line: "UBND huyện Kim Bảng", "UBND H. Kim Bảng"
_UNIT_LINE = lazy_pattern(
    rf"^(?:(?:ủy|uỷ) ban nhân dân|ubnd)\s+{_LEVEL}\s*((?:\S+\s*){{1,4}})$", re.IGNORECASE
)
_MOTTO = frozenset({"cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc"})
_LETTERHEAD_ROWS = 5  # rows of a table (above its header) that may hold a letterhead
_DECOR = " -_–—.;,:()…"  # rules and punctuation around a name ("TỈNH HÒA BÌNH -------")

_ANY_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_TITLE_HEADINGS = frozenset({"bao cao", "quyet dinh", "ke hoach", "phu luc"})
_TITLE_STARTS = ("bao cao", "bo tieu chi", "phieu", "bieu mau")
_PERIOD_LABELS = ("nam bao cao", "ky bao cao", "quy bao cao", "thoi gian bao cao", "nam danh gia")
# "Hà Tĩnh, ngày 5 tháng 3 năm 2020" (place, date); "ngày 27 tháng 12 năm 2017" alone near the top;
# "(Kèm theo Báo cáo số 96/BC-UBND ngày 5/3/2020 …)" for an annex
_PLACE_DATE = re.compile(r"^[^\d,]{2,60}, ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_BARE_DATE = lazy_pattern(r"^ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_ANNEX_DATE = lazy_pattern(r"kem theo.*?\bngay (\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")


# --- agency -----------------------------------------------------------------------------------
def agency_name(text: str) -> str | None:
    """`text` if it names an agency ("Sở Tài chính tỉnh Hà Nam"), tidied; else None."""
    name = nfc(text).strip(_DECOR)
    return name if _AGENCY.match(name) else None


def _labelled_agency(label_key: str, value: str) -> str | None:
    """The value of a "Tên đơn vị: X" pair; after a bare "Đơn vị:" only if X names an agency."""
    group = place_group(label_key)
    if group is None and label_key not in _AGENCY_LABELS:  # (most lines: their value is not looked at)
        return None
    name = nfc(value).strip(_DECOR)
    if group:  # "Tên huyện, thị xã, thành phố: Huyện Tuy Phước"
        return f"UBND {name[0].lower()}{name[1:]}" if group.is_place(key(name)) else name or None
    if label_key.startswith("ten"):
        return name or None
    return agency_name(value)


def agency(lines: Sequence[TextLine], tables: Sequence[Table]) -> str | None:
    """The reporting agency: a "Tên cơ quan, đơn vị: X" line or table row, a value column headed
    by an agency ("Sở Xây dựng"), "(Kèm theo … của X)", or an upper-case letterhead line."""
    all_lines = [*lines, *(line for table in tables for line in table.lines)]
    for line in all_lines:
        split = split_line(line.text)
        if split and split.value and (name := _labelled_agency(split.key, split.value)):
            return name
    for table in tables:
        for row_texts in table.texts[:_HEADER_SCAN]:
            filled = [text for text in row_texts if text]
            for text in filled[:-1]:
                if name := _labelled_agency(key(text), filled[-1]):
                    return name
    for table in tables:
        if table.header and not table.header.criteria:
            for column in table.header.values():
                if name := agency_name(table.header.texts[column]):
                    return name
    for line in all_lines:
        annex = _ANNEX_OF.search(nfc(line.text))
        if annex and (name := agency_name(annex.group(1))):
            return name
    return _letterhead([*lines[:_TOP_LINES], *(line for table in tables for line in _top_cells(table))])


def _top_cells(table: Table) -> list[TextLine]:
    """The lines of the cells at the top of a table (above its header), a column at a time, each
    line of a cell apart: a letterhead laid out in a table ("UBND TỈNH HÀ NAM\\nUBND HUYỆN KIM BẢNG"
    | "CỘNG HÒA …") reads as it is printed."""
    rows = table.rows[: min(table.header.row if table.header else _LETTERHEAD_ROWS, _LETTERHEAD_ROWS)]
    width = max((len(row) for row in rows), default=0)
    return [
        TextLine(text, row[column].location)
        for column in range(width)
        for row in rows
        if column < len(row)
        for text in row[column].text.splitlines()
    ]


def _letterhead(lines: Sequence[TextLine]) -> str | None:
    """The agency of a letterhead at the top: an upper-case agency line ("SỞ TÀI CHÍNH"), preferred
    over its parent ("UBND TỈNH HÀ NAM"); of a committee above another ("UBND TỈNH HÀ NAM" /
    "UBND HUYỆN KIM BẢNG"), the lower one; "ỦY BAN NHÂN DÂN" alone takes the level line after it
    ("HUYỆN LÝ NHÂN"), and names no agency without one (every committee would share it)."""
    tidy = [text for line in lines if (text := nfc(line.text).strip(_DECOR)) and key(text) not in _MOTTO]
    names: list[tuple[int, str]] = []  # (index of its last line, name) of each committee
    for i, text in enumerate(tidy):
        upper = text == text.upper()
        if upper and _AGENCY.match(text) and not _PARENT.match(text):
            return display_name(text)
        if upper and _AGENCY.fullmatch(text):  # "ỦY BAN NHÂN DÂN" over its level
            after = tidy[i + 1] if i + 1 < len(tidy) else ""
            if after == after.upper() and _LEVEL_LINE.match(after):
                names.append((i + 1, f"{text} {after}"))
        elif (upper and _PARENT.match(text)) or _named_unit(text):
            names.append((i, text))
    if not names:
        return None
    last, name = names[0]
    for line, lower in names[1:]:  # the committee printed right under it is the reporting one
        if line - last > 2:
            break
        last, name = line, lower
    return display_name(name)


def _named_unit(text: str) -> bool:
    """"UBND huyện Kim Bảng" in ordinary case: its place words capitalised (not a sentence)."""
    match = _UNIT_LINE.match(text)
    return match is not None and all(word[:1].isupper() for word in match.group(1).split())


# --- period -----------------------------------------------------------------------------------
def detect_period(lines: Iterable[TextLine], labelled: Iterable[Observation] = ()) -> str | None:
    """The report year: from the title ("BÁO CÁO" / "Kết quả … năm 2022", "… 6 THÁNG ĐẦU NĂM
    2020", "quý I/2020") if it has one; else a possible "Năm báo cáo: 2019" / "Quý báo cáo: …" line
    or `labelled` observation; else the first "năm YYYY" outside a date."""
    fallback: str | None = None
    after_heading = 0
    lines = list(lines)
    for line in lines:
        folded = fold(line.text)
        if not folded:
            continue
        year = _named_year(folded)
        if year and _is_title(line.text, folded, after_heading):
            return year
        after_heading = 2 if folded.strip(" :") in _TITLE_HEADINGS else max(after_heading - 1, 0)
        if year and fallback is None:
            fallback = year
    pairs = [(split.key, split.value) for line in lines if (split := split_line(line.text))]
    pairs += [(key(obs.label), obs.raw_value) for obs in labelled]
    for label_key, value in pairs:
        written = _ANY_YEAR.search(value) if label_key.startswith(_PERIOD_LABELS) else None
        if written and not parse(value).issue:
            return written.group(1)
    return fallback


def _is_title(raw: str, folded: str, after_heading: int) -> bool:
    """Whether a line (that names a year: most lines are not asked) is the title or part of it."""
    text = nfc(raw)
    return after_heading > 0 or folded.startswith(_TITLE_STARTS) or (
        text == text.upper() and any(ch.isalpha() for ch in text)
    )


# --- date -------------------------------------------------------------------------------------
def detect_date(lines: Sequence[TextLine]) -> str | None:
    """The document's date (ISO): its "<place>, ngày D tháng M năm YYYY" line, else a bare
    "ngày … tháng … năm …" or an annex's "(Kèm theo … ngày D/M/YYYY …)" near the top."""
    if found := _first_date(_PLACE_DATE, map(fold, map(_LINE_TEXT, lines))):
        return found
    top = [fold(line.text) for line in lines[:_TOP_LINES]]  # (most documents have the line above)
    return _first_date(_BARE_DATE, top) or _first_date(_ANNEX_DATE, top)


def _first_date(pattern: re.Pattern[str], folded_lines: Iterable[str]) -> str | None:
    for folded in folded_lines:
        if (match := pattern.search(folded)) and (date := _iso(*match.groups())):
            return date
    return None


@remembered  # the same titles and headings open every agency's report
def _named_year(folded: str) -> str | None:
    """The year of the period a line names (`values.parse_period`: "năm 2022", "quý I/2020", "6 tháng
    đầu năm 2020"); None for a date's year, a number alone, or an impossible period ("quý V/2018")."""
    period = parse_period(folded)
    if period is None or period.issue or _ANY_YEAR.fullmatch(folded):
        return None
    return str(period.year)


def _iso(day: str, month: str, year: str) -> str | None:
    found = valid_date(int(day), int(month), int(year))
    return found.isoformat() if found else None
