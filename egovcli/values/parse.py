"""`parse_value`: a raw cell or line value → `Parsed`, trying in turn tick boxes, dates, periods,
yes / no, fractions, numbers with their unit, and blanks (the rules are in `egovcli.values`)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from egovcli.textnorm import fold, lazy_pattern, nfc
from egovcli.values.dates import DATE_HINT, DATE_START, date_issue
from egovcli.values.fractions import fraction_percent_issue, percent_fraction_issue
from egovcli.values.numbers import NUM, TOO_LARGE, format_number, scientific, to_float, too_large, trim
from egovcli.values.periods import PERIOD_START, parse_period
from egovcli.values.ticks import BOTH_TICKED, TickMark, tick_marks
from egovcli.values.units import UNITS, negative_count, take_unit
from egovcli.values.yes_no import OPTION_HEAD, answer_word, option

_FRACTION = re.compile(rf"^\s*({NUM})\s*/\s*({NUM})")
_NUMBER = re.compile(rf"^\s*({NUM})")
_PLAIN = re.compile(r"\d{1,15}")  # the fast path: a bare count as most cells hold
# the other figures a round brings new in every file ("79,21", "35,5%", "490/527"): read as `_read`
# reads them, without its tests for boxes, dates, periods and answer words (none can match them)
_SIMPLE = re.compile(r"(\d{1,15}(?:,\d{1,15})?)(%?)|(\d{1,15})/(\d{1,15})")
_EXPONENT = lazy_pattern(r"[eE]([-+\u2212]?\d+)(?![^\W_])")  # "1,5E+11": after a mantissa
_PERCENT_AFTER = lazy_pattern(r"^\s*%")
_EXPRESSION = lazy_pattern(r"\s*[-+\u2212*×]\s*\d")  # after a number: "2+3", "-2+3", "1-3" are not one number
_LIST_ITEM = re.compile(r"\s*\d{1,3}[.)]\s+[^\W\d_]")  # "1. Phần mềm …": an item's number, not a count
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width spaces, soft hyphens
_BLANK = re.compile(r"[\s.…_\-–—/:;,()\[\]]*")
_PLACEHOLDER = lazy_pattern(r"(?:\.{2,}|…+|_{2,})[.…_\s]*")
# the figures a round brings new in every file are made without the Python call of a NamedTuple's __new__
# (all of Parsed's fields given: raw, value, kind, unit, denominator, note, issue)
_new = tuple.__new__


class Parsed(NamedTuple):
    """A raw cell or line value, parsed. `value` is None when nothing numeric could be read.

    `issue` is empty unless the value as printed is impossible (see `egovcli.values`, Issues).
    Immutable; a tuple, made at a third of a frozen dataclass's cost (one per new value of a round)."""

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


def parse_value(raw: object) -> Parsed:
    """Parse a raw cell value (str, int, float, bool, date or None) into a `Parsed`. Never raises."""
    if raw is None:
        return Parsed("", None, "blank")
    if isinstance(raw, str):
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
        if too_large(number):
            shown = str(raw) if isinstance(raw, int) or not math.isfinite(number) else format_number(number)
            return Parsed(shown, None, "text", issue=TOO_LARGE)
        return Parsed(format_number(number), number, "number")
    if isinstance(raw, date):  # datetime too: a date is not a quantity
        shown = raw.isoformat()[:10]
        return Parsed(shown, None, "text", note=shown)
    return _parse_text(str(raw))


def is_blank(raw: str) -> bool:
    """True for a value left unfilled: "", "-", "……", "□ Có □ Không" (nothing ticked)."""
    return not raw.strip() or parse_value(raw).kind == "blank"


def parse_text(raw: str) -> Parsed:
    """`parse_value` of a text, worked out each time (for a caller that remembers its texts' values)."""
    if _PLAIN.fullmatch(raw):  # fast path: "36", "4356"
        return _new(Parsed, (raw, float(raw), "number", "", None, "", ""))
    if simple := _SIMPLE.fullmatch(raw):
        return _simple(raw, simple)
    text = nfc(_INVISIBLE.sub("", raw) if _INVISIBLE.search(raw) else raw)
    if _BLANK.fullmatch(text):
        return Parsed(text, None, "blank")
    parsed = _read(text)
    if not parsed.issue and DATE_HINT.search(text):
        issue = date_issue(text)
        if issue:
            parsed = _with_issue(parsed, issue)
    return parsed


# the same cells ("Có", "100", "Không", "x") repeat across thousands of files
_parse_text = lru_cache(maxsize=1 << 16)(parse_text)


def _simple(raw: str, found: re.Match[str]) -> Parsed:
    """A decimal, a percentage or a fraction of plain digits, as `_read` reads it."""
    number, percent, numerator, denominator = found.groups()
    if numerator is not None:
        return _new(Parsed, (raw, float(numerator), "fraction", "", float(denominator), "", ""))
    value = float(number.replace(",", ".")) + 0.0
    if percent:  # (nothing after the "%" to contradict it)
        return _new(Parsed, (raw, value, "percent", "%", None, "", ""))
    return _new(Parsed, (raw, value, "number", "", None, "", ""))


def _with_issue(parsed: Parsed, issue: str) -> Parsed:
    return Parsed(parsed.raw, parsed.value, parsed.kind, parsed.unit, parsed.denominator, parsed.note, issue)


def _read(text: str) -> Parsed:
    marks = tick_marks(text)
    if marks:
        return _checkbox(text, marks)

    if DATE_START.match(text):
        return Parsed(text, None, "text", note=text)
    if PERIOD_START.match(text):
        period = parse_period(text)
        return Parsed(text, None, "text", note=text, issue=period.issue if period else "")

    answer = _yes_no(text)
    if answer is not None:
        return answer

    fraction = _FRACTION.match(text)
    if fraction:
        num, den = to_float(fraction.group(1)), to_float(fraction.group(2))
        if num is not None and den is not None:
            if too_large(num) or too_large(den):
                return Parsed(text, None, "text", note=text, issue=TOO_LARGE)
            unit, rest = take_unit(text[fraction.end() :])
            issue = fraction_percent_issue(num, den, rest)
            return Parsed(text, num, "fraction", unit=unit, denominator=den, note=_note(rest), issue=issue)

    leading = None if _LIST_ITEM.match(text) else _NUMBER.match(text)
    if leading:
        value = to_float(leading.group(1))
        end = leading.end()
        exponent = _EXPONENT.match(text, end)
        if exponent and value is not None:
            value = scientific(leading.group(1), exponent.group(1))
            end = exponent.end()
        if _EXPRESSION.match(text, end):
            return Parsed(text, None, "text", note=text)
        if value is not None and too_large(value):
            return Parsed(text, None, "text", note=text, issue=TOO_LARGE)
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
                    issue=percent_fraction_issue(value, leading.group(1), rest),
                )
            unit, rest = take_unit(rest)
            issue = negative_count(value, unit)
            return Parsed(text, value, "number", unit=unit, note=_note(rest), issue=issue)

    if ".." in text or "…" in text or "__" in text:
        unfilled = _PLACEHOLDER.sub(" ", text).strip(" :;,.-()")
        if not unfilled or fold(unfilled) in UNITS:  # "……… người"
            return Parsed(text, None, "blank", unit=unfilled)
    return Parsed(text, None, "text", note=text)


def _note(rest: str) -> str:
    return rest.strip(" ,;:-")


def _yes_no(text: str) -> Parsed | None:
    """ "Có (Quyết định số …)" → yes with the evidence as note; "Không" → no; "Chưa có", "Đang xây
    dựng" written freely → text (not there yet is no explicit 0)."""
    found = answer_word(text)
    if found is None:
        return None
    kind, end = found
    if kind == "not_yet":
        return Parsed(text, None, "text", note=text)
    note = text[end:].strip(" :;,.-()")
    return Parsed(text, 1.0 if kind == "yes" else 0.0, kind, note=note)


def _checkbox(text: str, kept: Sequence[TickMark]) -> Parsed:
    """The answer the tick boxes `kept` of `text` give."""
    head = OPTION_HEAD.sub("", text[: kept[0].start])
    prefix = not head
    if not prefix:  # "Hệ thống LAN: □ Có □ Không" (a question, then boxes) or "Có: ☒ Không: □"
        first_label = text[kept[0].end : kept[1].start if len(kept) > 1 else len(text)]
        prefix = option(first_label, at_end=False) is not None and option(head, at_end=True) is None
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
    options = [(mark.ticked, option(label, at_end=not prefix), label) for mark, label in labels]
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
