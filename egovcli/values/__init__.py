"""Parse values as Vietnamese agencies write them.

Numbers
    "3.367" is 3367 (dot groups thousands), "94,0" is 94.0 (comma is the decimal mark), "02" is 2,
    "2.5" is 2.5 (a dot that cannot group thousands is a decimal point), "1,234,567" / "1,234.5"
    (unambiguous English grouping) are read as such; "84,96%" is a percentage; "435/463" is a
    fraction (the value is the numerator, the denominator is kept, `.ratio` is 435/463);
    "04 chiếc", "10 triệu đồng", "100 Mbps" are numbers with a unit; "792 (còn 117 HS …)" is 792
    with the remark kept as the note.
    "1,5E+11" (scientific notation, as Excel shows big numbers) is 150000000000. Negative zero is 0;
    NaN and infinities are never a value. "-2" is -2 (the sign is kept, and so is the raw text).
    What is not one number stays text with no value: a sum or range "2+3", "-2+3", "1-3"; a numbered
    list "1. Phần mềm …; 2. …" (its "1." numbers an item, it counts nothing).
Yes / no
    "Có (Quyết định số …)" is yes with the evidence kept as the note; "Đã có", "Đã triển khai /
    tích hợp / kết nối / ban hành" are yes; "Không", "Không có" are no; "x" alone is yes. "Chưa có",
    "Chưa triển khai …", "Đang xây dựng / triển khai / thử nghiệm / hoàn thiện" (not there yet) are
    text with no value: only an explicit "Không" or 0 is 0. Where a form offers such words as the
    options of a choice (tick boxes, a "1/0 (1: Có; 0: Chưa có)" legend) the option chosen is 0:
    `option_value`. Words are matched with their accents (or typed with none: "Co", "Khong"): "Cơ
    quan", "Công khai" are text, not "Có".
Blanks
    "", "-", "…", "……", "....", "………… người" (an unfilled form) are missing (kind "blank").
Checkbox answers
    The box that is ticked decides: "☒ Có □ Không", "Có: ☒", "X Có □ Không", "[x] Có [ ] Không"
    are yes; "□ Có ☒ Không" is no; "□ Có □ Không" (nothing ticked) is blank; both ticked is text
    with no value and an `issue`. Ticked: ☒ ☑ ✓ ✔ ✗ ✘ ⊠ ▣ ⌧ [x] [✓]; a bare "X" or "■" only where
    it stands in a box's place (next to Có/Không, at the start of an answer with boxes; an "X" also
    before the words it ticks, at the start or after a colon). Unticked: □ ☐ ▢ ◻ ❑ ❒ ⬜ [ ]. Wingdings
    boxes (private-use characters in a PDF's text, `w:sym` in Word) count as boxes.
    Boxes before labels ("☒ Có") and after them ("Có: ☒") are both read. `tick_marks` is this rule
    for every reader: form lines (`ingest.checkbox`) and tick tables (`lone_mark`) too.
    Labelled boxes that are not Có/Không ("□ Chuyên trách: 2 người □ Kiêm nhiệm: …… người"):
    the value is the one number written (2, unit "người", note "Chuyên trách"), ticked or not —
    agencies fill the number and often leave the printed box alone. When several labels carry a
    number, only ticked ones count; if that still leaves several (or none) numbers, the cell is
    text with no value and every part kept in the note (never a guessed sum). With no number at
    all, a ticked box is yes (note: the ticked labels) and no ticked box is blank.
Dates and periods
    A cell that is a date ("05/02/2021", "ngày 5 tháng 3 năm 2020") or a period ("Quý I/2020",
    "6 tháng đầu năm 2020") is text with no value: it is not a quantity. `parse_period` reads a
    period (a document's date is found by `ingest.identity.detect_date`).
Issues
    `Parsed.issue` is a short Vietnamese description of something impossible in the value as printed
    (the value is still set where a reading exists): a quarter outside I–IV ("Quý V/2018"), a date
    that does not exist ("32/13/2020", also inside a note), a printed percentage that contradicts its
    own fraction ("435/463 (98%)"; rounding or truncation to the printed precision is tolerated),
    a negative count of people or things ("-3 người"), both Có and Không ticked, a number too large
    to be a reported figure (10^16 or more: "1e309", a 5,000-digit string; such a value is not read).
    A numerator above its denominator is NOT an issue: "1798/9251" (documents out/in) and
    "168/157" (computers per staff) are legitimate.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice

from egovcli.textnorm import fold, nfc, vi_number

# A number as printed, longest reading first: dot/space thousands groups with optional comma decimals
# ("3.367", "1.234,5"), unambiguous English grouping ("1,234,567", "1,234.5"), comma decimals ("94,0"),
# a dot decimal where grouping is impossible ("2.5", "0.849"), digits.
_NUM = (
    r"[-+\u2212]?(?:[1-9]\d{0,2}(?:[.\s]\d{3})+(?:,\d+)?(?![.,]?\d)"
    r"|[1-9]\d{0,2}(?:,\d{3}){2,}(?:\.\d+)?(?![.,]?\d)"
    r"|[1-9]\d{0,2}(?:,\d{3})+\.\d+"
    r"|\d+,\d+|\d+\.\d+|\d+)"
)
_NUM_FULL = re.compile(_NUM)
_FRACTION = re.compile(rf"^\s*({_NUM})\s*/\s*({_NUM})")
_NUMBER = re.compile(rf"^\s*({_NUM})")
_PLAIN = re.compile(r"\d{1,15}")  # the fast path: a bare count as most cells hold
_EXPONENT = re.compile(r"[eE]([-+\u2212]?\d+)(?![^\W_])")  # "1,5E+11": after a mantissa
_MANTISSA = re.compile(r"[-+\u2212]?\d+(?:[.,]\d+)?")
# No figure in a report reaches 10^16 (the national budget in đồng is ~2·10^15); beyond 2^53 a float
# no longer holds every integer, and keeping such values finite and small keeps scoring arithmetic finite.
_LARGEST = 1e16
_TOO_LARGE = "số quá lớn, không thể là số liệu báo cáo (từ 10^16 trở lên)"
_DOT_GROUPS = re.compile(r"[-+]?[1-9]\d{0,2}(?:\.\d{3})+")
_ENGLISH = re.compile(r"[-+]?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|[-+]?\d{1,3}(?:,\d{3})+\.\d+")
_PERCENT_AFTER = re.compile(r"^\s*%")
_EXPRESSION = re.compile(r"\s*[-+\u2212*×]\s*\d")  # after a number: "2+3", "-2+3", "1-3" are not one number
_LIST_ITEM = re.compile(r"\s*\d{1,3}[.)]\s+[^\W\d_]")  # "1. Phần mềm …": an item's number, not a count
_SIGNS = "-+\u2212"
_UNIT = re.compile(r"^\s*([^\W\d_]+(?:\.[^\W\d_]+)?(?:\s[^\W\d_]+)?)")
_PER_UNIT = re.compile(r"^\s*/\s*([^\W\d_]+(?:\s[^\W\d_]+)?)")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width spaces, soft hyphens
_BLANK = re.compile(r"[\s.…_\-–—/:;,()\[\]]*")
_PLACEHOLDER = re.compile(r"(?:\.{2,}|…+|_{2,})[.…_\s]*")

# Yes / no words, matched word by word against the text as printed (case-insensitive) or typed without
# accents ("Co", "Khong"), never accent-folded: "Cơ quan" must not read as "Có".
_YES_WORDS = ("có", "đã có", "yes", "x", "đã triển khai", "đã tích hợp", "đã kết nối", "đã ban hành")
_NO_WORDS = ("không", "không có", "no")
# Not there yet: 0 as a form's option (a box ticked, a legend's "0: Chưa có"), text when written freely.
_NOT_YET_WORDS = (
    "chưa có",
    "chưa",
    "chưa triển khai",
    "chưa tích hợp",
    "chưa kết nối",
    "chưa ban hành",
    "đang xây dựng",
    "đang triển khai",
    "đang thử nghiệm",
    "đang hoàn thiện",
)
_OPTIONS = tuple(
    sorted(
        (
            (kind, tuple(words.split()), tuple(fold(words).split()))
            for kind, group in (("no", _NO_WORDS), ("not_yet", _NOT_YET_WORDS), ("yes", _YES_WORDS))
            for words in group
        ),
        key=lambda option: -len(option[1]),
    )
)
_FIRST_WORDS = frozenset(w for _, accented, plain in _OPTIONS for w in (accented[0], plain[0]))
_LAST_WORDS = frozenset(w for _, accented, plain in _OPTIONS for w in (accented[-1], plain[-1]))
_LONGEST = max(len(accented) for _, accented, _ in _OPTIONS)
_WORD = re.compile(r"[^\W_]+")
# Units that count people or things: a negative amount of them cannot be.
_COUNT_UNITS = frozenset({
    "chiec", "nguoi", "bo", "may", "cai", "ho so", "hs", "van ban", "tin", "bai", "don vi", "phong",
    "thu tuc", "dich vu", "phan mem", "luot", "lop", "co quan", "he thong", "may tinh", "thiet bi",
    "lan", "cuoc hop", "cuoc", "y kien",
})
# Amounts of money, points, bandwidth and sizes.
_MEASURE_UNITS = frozenset({
    "trieu dong", "trieu", "ty dong", "nghin dong", "dong", "tr.d", "diem",
    "mbps", "gbps", "kbps", "mb", "gb", "tb", "inch",
})
_UNITS = _COUNT_UNITS | _MEASURE_UNITS

# --- tick boxes: the one rule for cells, form lines (ingest.checkbox) and Word symbols (ingest.docx) ---
# Wingdings / Wingdings 2 tick boxes: Word stores a symbol as F000 + its glyph code (`w:sym`), and a
# PDF's text shows the same private-use character.
WINGDINGS_TICKED = "\uf0fe\uf0fd\uf078\uf053\uf054\uf052"
WINGDINGS_EMPTY = "\uf0a8\uf06f\uf071\uf0a3\uf030\uf0a1"
TICKED = "☒☑✓✔✗✘⊠▣⌧" + WINGDINGS_TICKED
EMPTY = "□☐▢◻❑❒⬜" + WINGDINGS_EMPTY
BOTH_TICKED = "đánh dấu cả Có và Không"
_BOX = rf"\[\s*[xX✓✔]?\s*\]|[{TICKED}{EMPTY}]"
_MARK = re.compile(rf"{_BOX}|(?<![^\W_])[xX■](?![^\W_])")
_LONE_MARK = re.compile(rf"\s*(?:{_BOX}|[xX■])\s*")
_MARK_CHARS = frozenset(f"{TICKED}{EMPTY}[xX■")
_WORD_AFTER = re.compile(r"\s+[^\W_]")  # "X Chữ ký số …": an X ticking the words after it
_COLON_BEFORE = re.compile(r":\s*$")
_OPTION_HEAD = re.compile(r"^[\s:;,.\-–+*•]*")
_INSTRUCTION = re.compile(r"(?:đánh dấu|danh dau)\s*(?:\(?\s*)$", re.IGNORECASE)

# --- dates and periods --------------------------------------------------------------------------
_DMY = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
_ISO = re.compile(r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_VN_DATE = re.compile(
    r"\bng[aà]y\s+(\d{1,2})\s*,?\s*th[aá]ng\s+(\d{1,2})\s*,?\s*n[aă]m\s+(\d{4})\b", re.IGNORECASE
)
_DATE_START = re.compile(r"^\s*(?:\d{1,2}\s*([/.\-])\s*\d{1,2}\s*\1\s*\d{4}|\d{4}-\d{1,2}-\d{1,2})(?!\d)")
_DATE_HINT = re.compile(r"\d\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{4}-\d|th[aá]ng", re.IGNORECASE)
_QUARTER = re.compile(  # "quý I/2020", "quý I năm 2020", "quý 1 - 2020", "Q1/2020"
    r"\b(?:quy\s+([ivxlc]+|\d{1,2})|q(\d{1,2}))\b\s*(?:[/\-,]|\bnam\b)?\s*(?:nam\s+)?((?:19|20)\d{2})\b"
)
_MONTHS = re.compile(r"\b(\d{1,2})\s+thang\s*(dau|cuoi)?\s*(?:nam\s*)?(?:[/\-]\s*)?((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\bnam\s+((?:19|20)\d{2})\b")
_DATE_BEFORE_YEAR = re.compile(r"thang\s+\d{1,2}\s*,?\s*$")
_BARE_YEAR = re.compile(r"\s*((?:19|20)\d{2})\s*")
_PERIOD_START = re.compile(  # a cell that is a period: "Quý I/2020", "6 tháng đầu năm 2020", "năm 2022"
    r"^(?:qu[yý]\s+[ivxlc\d]+\b|\d{1,2}\s+th[aá]ng\s+(?:[dđ][aầ]u|cu[oố]i)?\s*n[aă]m\s+\d{4}|n[aă]m\s+\d{4}$)",
    re.IGNORECASE,
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# --- printed percentage after a fraction, on folded text: "(96,30%)", "đạt 84,96%", "= 94%" --------
_PRINTED_PERCENT = re.compile(
    rf"^[\s(\[,;:=\-]*(?:(?:dat|bang|ty le|ti le|chiem|la|tuong ung)\b[\s:=]*)*({_NUM})\s*%"
)
_PRINTED_FRACTION = re.compile(rf"^[\s(\[,;:=\-]*({_NUM})\s*/\s*({_NUM})")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A raw cell or line value, parsed. `value` is None when nothing numeric could be read.

    `issue` is empty unless the value as printed is impossible (see the module docstring)."""

    raw: str
    value: float | None
    kind: str  # number | percent | fraction | yes | no | text | blank
    unit: str = ""
    denominator: float | None = None
    note: str = ""
    issue: str = ""

    @property
    def ratio(self) -> float | None:
        """numerator/denominator for fractions, value/100 for percentages, else None."""
        if self.kind == "fraction" and self.value is not None and self.denominator:
            return self.value / self.denominator
        if self.kind == "percent" and self.value is not None:
            return self.value / 100
        return None


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: a year, optionally one quarter (1–4), one half (1–2) or its first
    `months` months ("9 tháng đầu năm"). `issue` says what is impossible in it ("Quý V")."""

    year: int
    quarter: int | None = None
    half: int | None = None
    months: int | None = None
    issue: str = ""

    @property
    def label(self) -> str:
        """A sortable key: "2020", "2020-Q1", "2020-H1", "2020-9M"."""
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        if self.half:
            return f"{self.year}-H{self.half}"
        if self.months:
            return f"{self.year}-{self.months}M"
        return str(self.year)


# --- numbers ------------------------------------------------------------------------------------
def parse_number(text: str) -> float | None:
    """Read one number written the Vietnamese way; None if `text` is not exactly a number (or is
    too large to be a figure)."""
    text = nfc(text)
    if not _NUM_FULL.fullmatch(text):
        return None
    number = _to_float(text)
    return number if number is not None and abs(number) < _LARGEST else None


def _to_float(token: str) -> float | None:
    token = token.replace(" ", "").replace("\u2212", "-")
    if _ENGLISH.fullmatch(token):  # "1,234,567", "1,234.5"
        token = token.replace(",", "")
    elif "," in token:  # comma decimals; dots (if any) group thousands
        token = token.replace(".", "").replace(",", ".")
    elif _DOT_GROUPS.fullmatch(token):
        token = token.replace(".", "")
    try:
        number = float(token)
    except ValueError:
        return None
    return number + 0.0  # -0.0 is 0.0; may be inf (a 5,000-digit string): callers check the size


def _scientific(mantissa: str, exponent: str) -> float | None:
    """ "1,5" × 10^"+11" as written ("1,5E+11"); None when the mantissa is not a plain decimal."""
    if not _MANTISSA.fullmatch(mantissa):
        return None
    text = mantissa.replace("\u2212", "-").replace(",", ".") + "e" + exponent.replace("\u2212", "-")
    return float(text) + 0.0  # float() never raises on a long exponent: it overflows to inf / 0.0


def _too_large(number: float) -> bool:
    return not abs(number) < _LARGEST  # NaN too


def finite(value: object) -> object:
    """A number as egov stores and writes it: NaN and ±inf are no number (None), -0.0 is 0.0;
    anything else unchanged."""
    if isinstance(value, float):
        return value + 0.0 if math.isfinite(value) else None
    return value


# --- parse_value --------------------------------------------------------------------------------
def parse_value(raw: object) -> Parsed:
    """Parse a raw cell value (str, int, float, bool, date or None) into a `Parsed`. Never raises."""
    if raw is None:
        return Parsed("", None, "blank")
    if isinstance(raw, str):
        if _PLAIN.fullmatch(raw):  # fast path: "36", "4356"
            return Parsed(raw, float(raw), "number")
        return _parse_text(raw)
    if isinstance(raw, bool):
        return Parsed(str(raw), 1.0 if raw else 0.0, "yes" if raw else "no")
    if isinstance(raw, int | float):
        try:
            number = float(raw) + 0.0
        except OverflowError:  # an int beyond any float
            number = math.inf
        if math.isnan(number):
            return Parsed(str(raw), None, "text", issue="không phải là số (NaN)")
        if _too_large(number):
            shown = str(raw) if isinstance(raw, int) or not math.isfinite(number) else _format_number(number)
            return Parsed(shown, None, "text", issue=_TOO_LARGE)
        return Parsed(_format_number(number), number, "number")
    if isinstance(raw, date):  # datetime too: a date is not a quantity
        shown = raw.isoformat()[:10]
        return Parsed(shown, None, "text", note=shown)
    return _parse_text(str(raw))


def is_blank(raw: str) -> bool:
    """True for a value left unfilled: "", "-", "……", "□ Có □ Không" (nothing ticked)."""
    return not raw.strip() or parse_value(raw).kind == "blank"


@lru_cache(maxsize=1 << 16)  # the same cells ("Có", "100", "Không", "x") repeat across thousands of files
def _parse_text(raw: str) -> Parsed:
    text = nfc(_INVISIBLE.sub("", raw) if _INVISIBLE.search(raw) else raw)
    if _BLANK.fullmatch(text):
        return Parsed(text, None, "blank")
    parsed = _read(text)
    if not parsed.issue and _DATE_HINT.search(text):
        issue = _date_issue(text)
        if issue:
            parsed = _with_issue(parsed, issue)
    return parsed


def _with_issue(parsed: Parsed, issue: str) -> Parsed:
    return Parsed(parsed.raw, parsed.value, parsed.kind, parsed.unit, parsed.denominator, parsed.note, issue)


def _read(text: str) -> Parsed:
    marks = tick_marks(text)
    if marks:
        return _checkbox(text, marks)

    if _DATE_START.match(text):
        return Parsed(text, None, "text", note=text)
    if _PERIOD_START.match(text):
        period = parse_period(text)
        return Parsed(text, None, "text", note=text, issue=period.issue if period else "")

    answer = _yes_no(text)
    if answer is not None:
        return answer

    fraction = _FRACTION.match(text)
    if fraction:
        num, den = _to_float(fraction.group(1)), _to_float(fraction.group(2))
        if num is not None and den is not None:
            if _too_large(num) or _too_large(den):
                return Parsed(text, None, "text", note=text, issue=_TOO_LARGE)
            unit, rest = _take_unit(text[fraction.end() :])
            issue = _fraction_percent_issue(num, den, rest)
            return Parsed(text, num, "fraction", unit=unit, denominator=den, note=_note(rest), issue=issue)

    leading = None if _LIST_ITEM.match(text) else _NUMBER.match(text)
    if leading:
        value = _to_float(leading.group(1))
        end = leading.end()
        exponent = _EXPONENT.match(text, end)
        if exponent and value is not None:
            value = _scientific(leading.group(1), exponent.group(1))
            end = exponent.end()
        if _EXPRESSION.match(text, end):
            return Parsed(text, None, "text", note=text)
        if value is not None and _too_large(value):
            return Parsed(text, None, "text", note=text, issue=_TOO_LARGE)
        if value is not None:
            rest = text[end:]
            if _PERCENT_AFTER.match(rest):
                rest = rest.strip()[1:]
                return Parsed(
                    text,
                    value,
                    "percent",
                    unit="%",
                    note=_note(rest),
                    issue=_percent_fraction_issue(value, leading.group(1), rest),
                )
            unit, rest = _take_unit(rest)
            issue = negative_count(value, unit)
            return Parsed(text, value, "number", unit=unit, note=_note(rest), issue=issue)

    if ".." in text or "…" in text or "__" in text:
        unfilled = _PLACEHOLDER.sub(" ", text).strip(" :;,.-()")
        if not unfilled or fold(unfilled) in _UNITS:  # "……… người"
            return Parsed(text, None, "blank", unit=unfilled)
    return Parsed(text, None, "text", note=text)


def _note(rest: str) -> str:
    return rest.strip(" ,;:-")


def negative_count(value: float | None, unit: str) -> str:
    """The issue of a negative amount of people or things ("-3 người", or -3 in a row whose unit
    column says "người"); "" when the value can be negative or the unit does not count things."""
    if value is None or value >= 0 or fold(unit.split("/")[0]).strip() not in _COUNT_UNITS:
        return ""
    return f"số lượng âm ({vi_number(value, 6)} {unit.strip()})"  # -0,001 too: never "0" or "-0"


def trim(text: str, chars: str) -> str:
    """`text` without `chars` at either end, except a sign written right before a number: a value
    "-2" keeps its minus while a bullet "- 2" or a dash "…-" goes."""
    body = text.rstrip(chars)
    rest = body.lstrip(chars)
    cut = len(body) - len(rest)
    if cut and rest[:1].isdigit() and body[cut - 1] in _SIGNS:
        return body[cut - 1 :]
    return rest


def _match_option(text: str, at_end: bool) -> tuple[str, int, int] | None:
    """(kind, start, end) of the Có/Không words that open `text` (or close it, `at_end`)."""
    words = _WORD.finditer(text)
    found = words if at_end else islice(words, _LONGEST)
    tokens = [(m.start(), m.end(), m.group().casefold()) for m in found]
    if not tokens or tokens[-1 if at_end else 0][2] not in (_LAST_WORDS if at_end else _FIRST_WORDS):
        return None
    for kind, accented, plain in _OPTIONS:
        size = len(accented)
        if len(tokens) < size:
            continue
        window = tokens[-size:] if at_end else tokens[:size]
        if all(t in (a, p) for (_, _, t), a, p in zip(window, accented, plain, strict=True)):
            return kind, window[0][0], window[-1][1]
    return None


def _answer_word(text: str) -> tuple[str, int] | None:
    """(yes | no | not_yet, where the words end) when `text` opens with an answer word."""
    first = _WORD.match(text)
    if first is None or first.group().casefold() not in _FIRST_WORDS:
        return None
    match = _match_option(text, at_end=False)
    return None if match is None else (match[0], match[2])


def _yes_no(text: str) -> Parsed | None:
    """ "Có (Quyết định số …)" → yes with the evidence as note; "Không" → no; "Chưa có", "Đang xây
    dựng" written freely → text (not there yet is no explicit 0)."""
    found = _answer_word(text)
    if found is None:
        return None
    kind, end = found
    if kind == "not_yet":
        return Parsed(text, None, "text", note=text)
    note = text[end:].strip(" :;,.-()")
    return Parsed(text, 1.0 if kind == "yes" else 0.0, kind, note=note)


def option_value(text: str) -> float | None:
    """1 / 0 for an option a form offers ("Có", "Đã triển khai" / "Không", "Chưa có", "Đang thử
    nghiệm"): a ticked box under it, or an answer its "1/0 (…)" legend names; None for other words."""
    found = _answer_word(nfc(text))
    return None if found is None else 1.0 if found[0] == "yes" else 0.0


def _option(label: str, at_end: bool) -> tuple[str, str] | None:
    """("yes"|"no", the rest of the label) when a checkbox label is a Có/Không option (a "Chưa
    có" option ticked is a no: the form offered it).

    Boxes before labels ("☒ Có Số lượng: 3") read the option at the label's start; boxes after
    them ("Có: ☒") at its end."""
    match = _match_option(label, at_end)
    if match is None:
        return None
    kind, start, end = match
    if not at_end and _OPTION_HEAD.sub("", label[:start]):
        return None
    return "yes" if kind == "yes" else "no", (label[:start] if at_end else label[end:])


def _take_unit(rest: str) -> tuple[str, str]:
    match = _UNIT.match(rest)
    if match:
        for candidate in (match.group(1), match.group(1).split(" ")[0]):
            if fold(candidate) in _UNITS:
                rest = rest[rest.index(candidate) + len(candidate) :]
                per = _PER_UNIT.match(rest)  # "Mbps/người"
                if per:
                    for other in (per.group(1), per.group(1).split(" ")[0]):
                        if fold(other) in _UNITS:
                            end = rest.index(other) + len(other)
                            return f"{candidate}/{other}", rest[end:]
                return candidate, rest
    return "", rest


def _format_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


# --- printed percentages against their fraction --------------------------------------------------
def _decimals(token: str) -> int:
    """Digits after the decimal mark of a number as printed ("96,30" → 2, "98" → 0)."""
    if _ENGLISH.fullmatch(token.strip()):
        return len(token.partition(".")[2])
    if "," in token:
        return len(token.rpartition(",")[2])
    if "." in token and not _DOT_GROUPS.fullmatch(token.strip()):
        return len(token.rpartition(".")[2])
    return 0


def _contradicts(printed: float, decimals: int, num: float, den: float) -> bool:
    """True when `printed`% is neither the rounding nor the truncation of num/den."""
    if den <= 0:
        return False
    actual = num / den * 100
    return abs(printed - actual) > 10.0**-decimals + 1e-9


def _percent_message(printed: str, num: float, den: float, decimals: int) -> str:
    actual = num / den * 100
    share = vi_number(actual, max(decimals, 2))
    return f"tỷ lệ ghi {printed}% không khớp {vi_number(num)}/{vi_number(den)} = {share}%"


def _fraction_percent_issue(num: float, den: float, rest: str) -> str:
    """ "435/463 (98%)": the printed share must be 435/463 to the printed precision."""
    if "%" not in rest:
        return ""
    match = _PRINTED_PERCENT.match(fold(rest))
    if not match:
        return ""
    printed = _to_float(match.group(1))
    decimals = _decimals(match.group(1))
    if printed is None or not _contradicts(printed, decimals, num, den):
        return ""
    return _percent_message(match.group(1), num, den, decimals)


def _percent_fraction_issue(value: float, token: str, rest: str) -> str:
    """ "93,95% (435/463)": the same check, the other way round."""
    if "/" not in rest:
        return ""
    match = _PRINTED_FRACTION.match(rest)
    if not match:
        return ""
    num, den = _to_float(match.group(1)), _to_float(match.group(2))
    decimals = _decimals(token)
    if num is None or den is None or not _contradicts(value, decimals, num, den):
        return ""
    return _percent_message(token.strip(), num, den, decimals)


# --- tick boxes ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TickMark:
    """One tick box in a text: where it stands, as printed, and whether it is ticked."""

    start: int
    end: int
    text: str
    ticked: bool


def tick_marks(text: str) -> list[TickMark]:
    """The tick boxes of `text` in order: boxes (☒ □ [x] [ ], Wingdings ones) and a bare "X" or "■"
    where it stands in a box's place. Marks in an instruction ("Đánh dấu [x] vào ô …") are none."""
    if _MARK_CHARS.isdisjoint(text):
        return []
    found = list(_MARK.finditer(text))
    strong = any(not _weak(m.group()) for m in found)
    marks = []
    for m in found:
        if _INSTRUCTION.search(text, 0, m.start()):  # how to tick, not a tick
            continue
        if _weak(m.group()) and not _in_box_place(text, m.start(), m.end(), strong):
            continue
        marks.append(TickMark(m.start(), m.end(), m.group(), _ticked(m.group())))
    return marks


def lone_mark(text: str) -> bool | None:
    """For a text that is one tick box alone (a tick table's cell: "☒", "□", "[x]", "x", "■"):
    whether it is ticked; None for any other text."""
    if not text or _MARK_CHARS.isdisjoint(text) or not _LONE_MARK.fullmatch(text):
        return None
    return _ticked(text.strip())


def _ticked(mark: str) -> bool:
    if mark[0] == "[":
        return mark.strip("[] ") != ""
    return mark[0] not in EMPTY


def _weak(mark: str) -> bool:
    """A bare "X" or "■": a tick only where a box would be."""
    return mark in ("x", "X", "■")


def _in_box_place(text: str, start: int, end: int, strong: bool) -> bool:
    """Whether the bare "X" or "■" at text[start:end] stands where a box would: next to a Có/Không
    option ("X Có", "□ Có X Không", "Có: X"), at the start of an answer with boxes ("■ Có □
    Không"), or an "X" before the words it ticks, at the start or after a colon ("X Chữ ký số
    chuyên dùng", "Đơn vị áp dụng: X Chữ ký số chuyên dùng")."""
    before, after = text[:start], text[end:]
    if _option(after, at_end=False) is not None or _option(before, at_end=True) is not None:
        return True
    at_start = not _OPTION_HEAD.sub("", before)
    if at_start and strong:
        return True
    return (text[start] in "xX" and (at_start or _COLON_BEFORE.search(before) is not None)
            and _WORD_AFTER.match(after) is not None)


def _checkbox(text: str, kept: list[TickMark]) -> Parsed:
    """The answer the tick boxes `kept` of `text` give."""
    head = _OPTION_HEAD.sub("", text[: kept[0].start])
    prefix = not head
    if not prefix:  # "Hệ thống LAN: □ Có □ Không" (a question, then boxes) or "Có: ☒ Không: □"
        first_label = text[kept[0].end : kept[1].start if len(kept) > 1 else len(text)]
        prefix = _option(first_label, at_end=False) is not None and _option(head, at_end=True) is None
    labels = []
    for i, mark in enumerate(kept):
        if prefix:
            labels.append((mark, text[mark.end : kept[i + 1].start if i + 1 < len(kept) else len(text)]))
        else:
            labels.append((mark, text[kept[i - 1].end if i else 0 : mark.start]))
    return _decide(text, labels, prefix)


def _clean(part: str) -> str:
    """A label or remark without placeholders; "" for an unfilled "Số lượng:………"."""
    part = _PLACEHOLDER.sub(" ", part).strip(" ;,.-()")
    return "" if part.endswith(":") else part.strip(" :")


def _decide(text: str, labels: list[tuple[TickMark, str]], prefix: bool) -> Parsed:
    options = [(mark.ticked, _option(label, at_end=not prefix), label) for mark, label in labels]
    if any(option is not None for _, option, _ in options):
        ticked = {option[0] for tick, option, _ in options if tick and option is not None}
        remarks = [_clean(option[1] if option is not None else label) for _, option, label in options]
        note = "; ".join(r for r in remarks if r)
        if ticked == {"yes", "no"}:
            return Parsed(text, None, "text", note=note, issue=BOTH_TICKED)
        if ticked:
            kind = ticked.pop()
            return Parsed(text, 1.0 if kind == "yes" else 0.0, kind, note=note)
        return Parsed(text, None, "blank", note=note)
    return _labelled(text, [(mark.ticked, label) for mark, label in labels])


def _labelled(text: str, boxes: list[tuple[bool, str]]) -> Parsed:
    """ "□ Chuyên trách: 2 người □ Kiêm nhiệm: …… người": the one number written decides."""
    readings: list[tuple[bool, str, Parsed | None]] = []
    for tick, label in boxes:
        name, colon, written = label.partition(":")
        if not colon:
            name, written = "", label
        written = trim(_PLACEHOLDER.sub(" ", written), " ;,.-")
        reading = _read(written) if written and _NUMBER.match(written) else None
        if reading is not None and reading.value is None:
            reading = None
        readings.append((tick, _clean(name) if colon else "" if reading else _clean(label), reading))
    numbered = [r for r in readings if r[2] is not None]
    if len(numbered) > 1:
        numbered = [r for r in numbered if r[0]]
    if len(numbered) == 1:
        _, name, reading = numbered[0]
        assert reading is not None
        others = [
            f"{n}: {r.raw}" if n else r.raw for _, n, r in readings if r is not None and r is not reading
        ]
        note = "; ".join(p for p in (name, reading.note, *others) if p)
        return Parsed(
            text, reading.value, reading.kind, reading.unit, reading.denominator, note, reading.issue
        )
    if numbered or any(r[2] is not None for r in readings):
        parts = [
            f"{n}: {r.raw}" if r is not None and n else (r.raw if r is not None else n)
            for _, n, r in readings
        ]
        return Parsed(text, None, "text", note="; ".join(p for p in parts if p))
    chosen = [name for tick, name, _ in readings if tick]
    if chosen:
        return Parsed(text, 1.0, "yes", note="; ".join(c for c in chosen if c))
    return Parsed(text, None, "blank")


# --- dates --------------------------------------------------------------------------------------
def valid_date(day: int, month: int, year: int) -> date | None:
    """The date, when it exists and its year is one a report can bear (1900–2099)."""
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _candidates(text: str) -> list[tuple[int, int, int, int]]:
    """(position, day, month, year) of every date written in `text`, in reading order."""
    found = [(m.start(), int(m.group(1)), int(m.group(3)), int(m.group(4))) for m in _DMY.finditer(text)]
    found += [(m.start(), int(m.group(3)), int(m.group(2)), int(m.group(1))) for m in _ISO.finditer(text)]
    found += [(m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))) for m in _VN_DATE.finditer(text)]
    return sorted(found)


def _date_issue(text: str) -> str:
    for _, day, month, year in _candidates(text):
        if 1900 <= year <= 2099 and valid_date(day, month, year) is None:
            return f"ngày {day:02d}/{month:02d}/{year} không tồn tại"
    return ""


# --- periods ------------------------------------------------------------------------------------
def parse_period(text: str) -> Period | None:
    """The reporting period named in `text`: "Quý I/2020", "quý I năm 2020", "6 tháng đầu năm
    2020" (half 1), "9 tháng đầu năm 2020" (months 9), "năm 2022", "2022". None when no year is
    named; an impossible quarter or month count keeps the year and sets `issue`."""
    try:
        folded = fold(str(text))
    except (TypeError, ValueError):
        return None
    quarter = _QUARTER.search(folded)
    if quarter:
        return _quarter(quarter.group(1) or quarter.group(2), int(quarter.group(3)))
    months = _MONTHS.search(folded)
    if months:
        return _months(int(months.group(1)), months.group(2) or "", int(months.group(3)))
    for year in _YEAR.finditer(folded):
        if not _DATE_BEFORE_YEAR.search(folded[: year.start()]):  # "ngày 5 tháng 3 năm 2020" is a date
            return Period(int(year.group(1)))
    bare = _BARE_YEAR.fullmatch(folded)
    return Period(int(bare.group(1))) if bare else None


def _quarter(written: str, year: int) -> Period:
    number = int(written) if written.isdigit() else _ROMAN.get(written)
    if number is None or not 1 <= number <= 4:
        shown = written.upper()
        return Period(year, issue=f"quý {shown} không tồn tại (chỉ có quý I–IV)")
    return Period(year, quarter=number)


def _months(count: int, end: str, year: int) -> Period:
    if not 1 <= count <= 12:
        return Period(year, issue=f"{count} tháng: một năm chỉ có 12 tháng")
    last = end == "cuoi"
    if count == 3:
        return Period(year, quarter=4 if last else 1)
    if count == 6:
        return Period(year, half=2 if last else 1)
    if count == 12 or last:
        return Period(year)
    return Period(year, months=count)
