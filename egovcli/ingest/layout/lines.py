"""Running text → observations: "label: value" lines and the answers of filled-in forms.

A line "label: value" is one observation; "label: ………" (a blank left unfilled, "……… người" too) is
a blank observation (raw value "", no value: missing, never 0). A line "label:" (or a question "…?")
with nothing after it waits for its answer on the next line ("☒ Có □ Không"), and is the parent of
the vague sub-items under it ("+ Khác: 2" → "<parent> – Khác"); prose ends that. Tick boxes: a
yes/no answer is one observation of its question (value 1/0); fields next to boxes ("□ Chuyên
trách: 2 người") are observations of their own; other boxed options ("☒ Chữ ký số chuyên dùng") are
1 when ticked and 0 when not, once the document has a ticked box anywhere (else it is an unfilled
form); a yes/no question with no box ticked is a blank observation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, count
from operator import attrgetter
from typing import NamedTuple

from egovcli.ingest.layout.cells import Cell, Flag, TextLine, observe, parse
from egovcli.ingest.layout.checkbox import Option, has_box, options, split_at_box, ticked_somewhere
from egovcli.ingest.layout.labels import BULLET, Split, clean_value, qualify, short, split_line, vague
from egovcli.model import Observation
from egovcli.textnorm import fold, key, lazy_pattern, nfc, nfc_all, remembered
from egovcli.values import BOTH_TICKED, Parsed, option_value, tick_marks

_TEXT_LABEL = 100  # a non-numeric value needs a label shorter than this …
_TEXT_VALUE = 200  # … and must itself be shorter than this
_QUESTION = 160  # a longer line without a colon is prose, not a question answered on the next line
_PLACEHOLDER = re.compile(r"\.\.\.|…")  # a text value trailing off is prose or a blank, not an answer
_TOTAL_LINE = re.compile(r"^tong (?:so )?diem(?: tu danh gia| tu cham)?(?: dat duoc| dat)?$")
_MAX_LINE = re.compile(r"^tong (?:so )?diem toi da$")
_LEAD_CHOICE = lazy_pattern(r"^(có|không|chưa có)\s+(?=\S[^:]*:)", re.IGNORECASE)  # "Có Tổng số …: 15"
_RECIPIENTS = "noi nhan"
_LIST_MARKS = ("-", "+", "•", "–")
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")  # "Bình Định, ngày 15 tháng 01 năm 2020"
_INSTRUCTION = lazy_pattern(r"\bdanh dau\b")  # "Nếu có đánh dấu X vào ô □": how to answer, not an option
_LINE_TEXT = attrgetter("text")
_new = tuple.__new__  # a TextLine made without the Python call of a NamedTuple's __new__ (one per row)


def lines_to_observations(
    lines: Iterable[TextLine], flags: list[Flag] | None = None, *, filled: Callable[[], bool] | None = None
) -> list[Observation]:
    """Observations from "label: value" lines and form answers.

    "Tổng số điểm đạt được: 496" is the self-assessed total (kind self_score, indicator TOTAL);
    "Tổng số điểm tối đa: 500" is not data: it becomes that total's `max_points`. `filled`
    tells whether the document has a ticked box anywhere (asked only when an empty box needs it;
    found from `lines` when not given). Impossible values are added to `flags`.
    """
    lines = list(lines)
    reader = _Reader(flags, filled or (lambda: ticked_somewhere(line.text for line in lines)))
    read = reader.read
    for text, line in zip(nfc_all(list(map(_LINE_TEXT, lines))), lines, strict=True):
        read(text, line.location)
    for obs in reader.totals:
        obs.max_points = reader.maximum
    return reader.observations


class _Choice(NamedTuple):
    text: str
    ticked: bool
    mark: str
    fill_in: bool  # "□ Tiến sỹ: ……": a blank to fill, not an option that is false when unticked


class _Reader:
    """The state carried from line to line."""

    def __init__(self, flags: list[Flag] | None, filled: Callable[[], bool]) -> None:
        self.flags, self._filled = flags, filled
        self._ticked: bool | None = None  # `filled()`, asked once (most documents never ask)
        self.observations: list[Observation] = []
        self.totals: list[Observation] = []
        self.maximum: float | None = None
        self.pending: Split | None = None  # a question awaiting its answer on the next line
        self.context = ""  # the heading vague sub-items belong to
        self.recipients = False  # in the "Nơi nhận:" list

    def read(self, text: str, location: str) -> None:
        if not text or self._recipient(text):
            return
        if tick_marks(text):  # (`has_box`)
            self.pending = self._answer(text, location)
            return
        split = split_line(text)
        if split is None:  # prose ends a list; a short one may be a question answered below
            question = BULLET.sub("", text, count=1)
            short_enough = len(question) <= _QUESTION and any(ch.isalpha() for ch in question)
            self.pending = Split(question, "", key(question)) if short_enough else None
            self.context = ""
            return
        raw, blank_first = clean_value(split.value)
        if not raw and not split.value:
            self._heading(split)
            return
        self.pending = None
        unfilled = parse(split.value) if not raw or blank_first else None
        if unfilled is not None and unfilled.kind == "blank":  # "Tên đơn vị …:………", "……… người"
            raw, parsed = "", Parsed("", None, "blank", unit=unfilled.unit)
        else:
            parsed = parse(raw)
        total = _total_line(split.key)
        if total is None:  # "Tổng số điểm tối đa"
            self.maximum = parsed.value
            return
        if not total and raw and parsed.value is None and not parsed.issue and (
            split.by_leader or blank_first or len(split.label) > _TEXT_LABEL or len(raw) > _TEXT_VALUE
            or _PLACEHOLDER.search(raw)
        ):
            return
        label = qualify(self.context, split.label) if self.context and vague(split.label) else split.label
        obs = observe(label, raw, parsed, location, self.flags)
        if total:
            obs.kind, obs.indicator = "self_score", "TOTAL"
            self.totals.append(obs)
        self.observations.append(obs)

    def filled(self) -> bool:
        if self._ticked is None:
            self._ticked = self._filled()
        return self._ticked

    def _recipient(self, text: str) -> bool:
        """True for the lines of the "Nơi nhận:" list (addressees, not data)."""
        # (a line opening with another ASCII letter than n folds to no "noi nhan": not folded)
        if (text[0] in "nN" or not text[0].isascii()) and fold(text).startswith(_RECIPIENTS):
            self.recipients = True
        elif self.recipients and not text.startswith(_LIST_MARKS):
            self.recipients = False
        return self.recipients

    def _heading(self, split: Split) -> None:
        self.pending = split
        if not vague(split.label):
            self.context = split.label

    def _answer(self, text: str, location: str) -> Split | None:
        """A line with tick boxes: "label: ☒ Có □ Không", or the answer to the line before.
        Returns the line as the question still awaiting an answer when it offered none
        ("Triển khai …: Nếu có đánh dấu X vào ô □")."""
        own = split_line(text)
        if own and own.value and not has_box(own.label) and not _is_choice(own.label):
            answer = own.value
        else:  # "label ☒ Có □ Không" without a colon, or an answer on its own
            answer = BULLET.sub("", text, count=1)
            head, boxed = split_at_box(answer)
            head = head.strip().rstrip(":").strip()
            own = None
            if head and not _is_choice(head) and not _INSTRUCTION.search(fold(head)):
                own, answer = Split(head, boxed, key(head)), boxed
        question = own.label if own else (self.pending.label if self.pending else None)
        if own and not vague(own.label):
            self.context = own.label
        parent = question or self.context
        found = len(self.observations)
        choices = [c for option in options(answer) if (c := self._option(option, parent, location))]
        values = _values(choices)
        yes_no = bool(choices) and None not in values
        if yes_no and parent:
            self._yes_no(parent, answer, [v for c, v in zip(choices, values, strict=True) if c.ticked],
                         location)
        for choice in () if yes_no else choices:
            if choice.ticked or (not choice.fill_in and self.filled()):
                raw = f"{choice.mark} {choice.text}".strip()
                parsed = Parsed(raw, 1.0 if choice.ticked else 0.0, "yes" if choice.ticked else "no")
                label = qualify(parent, choice.text) if parent and _sub_item(choice.text) else choice.text
                self.observations.append(observe(label, raw, parsed, location, self.flags))
        if choices or len(self.observations) > found:
            return None
        if own:  # "Triển khai …: Nếu có đánh dấu X vào ô □": a question still
            self._heading(own)
            return own
        return self.pending

    def _option(self, option: Option, parent: str, location: str) -> _Choice | None:
        """The choice an option offers; a field in it ("Chuyên trách: 2 người") is an observation."""
        text, choice = option.text, ""
        if _INSTRUCTION.search(fold(text)):
            return None
        while lead := _LEAD_CHOICE.match(text):  # "Có Tổng số điểm kết nối: 15", "Không Số lượng: 1"
            choice = choice or lead.group(1)
            text = text[lead.end():]
        field = split_line(text) if ":" in text else None
        if field is None:
            choice = choice or clean_value(text)[0].rstrip(" :")
        else:
            raw, blank_first = clean_value(field.value)
            parsed = parse(raw) if raw else None
            if parsed and (parsed.value is not None or not blank_first):
                label = qualify(parent, field.label) if parent and _sub_item(field.label) else field.label
                self.observations.append(observe(label, raw, parsed, location, self.flags))
            elif not raw and not choice and option.ticked is not None:
                return _Choice(field.label, option.ticked, option.mark, fill_in=True)
        if option.ticked is None or not choice:
            return None
        return _Choice(choice, option.ticked, option.mark, fill_in=False)

    def _yes_no(self, question: str, answer: str, ticked: list[float | None], location: str) -> None:
        values = set(ticked)
        if not values:  # nothing ticked: asked and left unanswered, missing (not "Không")
            self.observations.append(observe(question, "", Parsed("", None, "blank"), location, self.flags))
            return
        value = values.pop() if len(values) == 1 else None
        parsed = Parsed(answer, value, "text" if value is None else ("yes" if value else "no"))
        self.observations.append(observe(question, answer, parsed, location, self.flags))
        if value is None and self.flags is not None:
            self.flags.append(Flag(question, answer, BOTH_TICKED, location))


@remembered  # a line's label key: the same labels in every agency's form
def _total_line(label_key: str) -> bool | None:
    """Whether a line's label is the self-assessed total's ("Tổng số điểm đạt được"); None for the
    maximum's ("Tổng số điểm tối đa")."""
    return None if _MAX_LINE.match(label_key) else bool(_TOTAL_LINE.match(label_key))


def _yes_no_value(text: str) -> float | None:
    """1 / 0 for an offered option ("Đã triển khai" / "Chưa triển khai"), else None."""
    return option_value(text)


def _values(choices: list[_Choice]) -> list[float | None]:
    """Yes/no value per choice; of two options where one is a plain yes or no ("Chưa triển
    khai"), the other ("Đã triển khai") is its opposite."""
    values = [_yes_no_value(c.text) for c in choices]
    if len(values) == 2 and values.count(None) == 1:
        other = next(value for value in values if value is not None)
        values = [1.0 - other if value is None else value for value in values]
    return values


def _is_choice(label: str) -> bool:
    """True for "Có" in "Có: ☒": an option, not a label."""
    return short(label) and _yes_no_value(label) is not None


def _sub_item(label: str) -> bool:
    return short(label) or vague(label)


def rows_to_lines(
    rows: Sequence[Sequence[Cell]], normalised: Sequence[list[str]] | None = None
) -> list[TextLine]:
    """Text lines from rows outside a table: "label" | "value" pairs become "label: value";
    `normalised` holds the rows' texts in NFC when the caller has them (`header.grid_texts`)."""
    lines: list[TextLine] = []
    for index, row in enumerate(rows):
        texts = normalised[index] if normalised is not None else [nfc(cell.text) for cell in row]
        filled = list(compress(count(), texts))
        if len(filled) == 2 and (head := _pair_label(texts[filled[0]])) is not None:
            lines.append(_new(TextLine, (f"{head}: {texts[filled[1]]}", row[filled[1]].location)))
            continue
        for column in filled:
            lines.append(_new(TextLine, (texts[column], row[column].location)))
    return lines


@remembered  # the same labels head every agency's rows
def _pair_label(first: str) -> str | None:
    """The label a row's first of two cells gives "label: value", or None when it is no label (a
    title in capitals, a date line "Hà Nội, ngày … tháng … năm", a text with a colon inside)."""
    head = first.rstrip(":").rstrip()
    if ":" not in head and first != first.upper() and not _DATE_LINE.search(fold(first)):
        return head
    return None
