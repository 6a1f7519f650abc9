"""Yes / no answers: "Có", "Đã triển khai" are yes, "Không" is no, "Chưa có" / "Đang xây dựng" are
not there yet (0 only as a form's option: `option_value`)."""

from __future__ import annotations

import re
from itertools import islice

from egovcli.textnorm import fold, lazy_pattern, nfc, remembered

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
OPTION_HEAD = lazy_pattern(r"^[\s:;,.\-–+*•]*")


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


def answer_word(text: str) -> tuple[str, int] | None:
    """(yes | no | not_yet, where the words end) when `text` opens with an answer word."""
    first = _WORD.match(text)
    if first is None or first.group().casefold() not in _FIRST_WORDS:
        return None
    match = _match_option(text, at_end=False)
    return None if match is None else (match[0], match[2])


@remembered  # a form's options are the same few words on every line and in every file
def option_value(text: str) -> float | None:
    """1 / 0 for an option a form offers ("Có", "Đã triển khai" / "Không", "Chưa có", "Đang thử
    nghiệm"): a ticked box under it, or an answer its "1/0 (…)" legend names; None for other words."""
    found = answer_word(nfc(text))
    return None if found is None else 1.0 if found[0] == "yes" else 0.0


def option(label: str, at_end: bool) -> tuple[str, str] | None:
    """("yes"|"no", the rest of the label) when a checkbox label is a Có/Không option (a "Chưa
    có" option ticked is a no: the form offered it).

    Boxes before labels ("☒ Có Số lượng: 3") read the option at the label's start; boxes after
    them ("Có: ☒") at its end."""
    match = _match_option(label, at_end)
    if match is None:
        return None
    kind, start, end = match
    if not at_end and OPTION_HEAD.sub("", label[:start]):
        return None
    return "yes" if kind == "yes" else "no", (label[:start] if at_end else label[end:])
