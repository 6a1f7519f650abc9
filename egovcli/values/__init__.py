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
    for every reader: form lines (`ingest.layout.checkbox`) and tick tables (`lone_mark`) too.
    Labelled boxes that are not Có/Không ("□ Chuyên trách: 2 người □ Kiêm nhiệm: …… người"):
    the value is the one number written (2, unit "người", note "Chuyên trách"), ticked or not —
    agencies fill the number and often leave the printed box alone. When several labels carry a
    number, only ticked ones count; if that still leaves several (or none) numbers, the cell is
    text with no value and every part kept in the note (never a guessed sum). With no number at
    all, a ticked box is yes (note: the ticked labels) and no ticked box is blank.
Dates and periods
    A cell that is a date ("05/02/2021", "ngày 5 tháng 3 năm 2020") or a period ("Quý I/2020",
    "6 tháng đầu năm 2020") is text with no value: it is not a quantity. `parse_period` reads a
    period (a document's date is found by `ingest.layout.identity.detect_date`).
Issues
    `Parsed.issue` is a short Vietnamese description of something impossible in the value as printed
    (the value is still set where a reading exists): a quarter outside I–IV ("Quý V/2018"), a date
    that does not exist ("32/13/2020", also inside a note), a printed percentage that contradicts its
    own fraction ("435/463 (98%)"; rounding or truncation to the printed precision is tolerated),
    a negative count of people or things ("-3 người"), both Có and Không ticked, a number too large
    to be a reported figure (10^16 or more: "1e309", a 5,000-digit string; such a value is not read).
    A numerator above its denominator is NOT an issue: "1798/9251" (documents out/in) and
    "168/157" (computers per staff) are legitimate.

Modules, one concern each (import the names below from `egovcli.values`): `numbers` (the number
grammar, `parse_number`, `finite`, `trim`), `units`, `fractions` (printed percentage against its
fraction), `yes_no`, `ticks` (`tick_marks`, `lone_mark`), `dates`, `periods`, and `parse`
(`parse_value` → `Parsed`, which tries them in turn).
"""

from egovcli.values.dates import valid_date
from egovcli.values.numbers import finite, parse_number, trim
from egovcli.values.parse import Parsed, is_blank, parse_text, parse_value
from egovcli.values.periods import Period, parse_period
from egovcli.values.ticks import (
    BOTH_TICKED,
    EMPTY,
    TICKED,
    WINGDINGS_EMPTY,
    WINGDINGS_TICKED,
    TickMark,
    lone_mark,
    tick_marks,
)
from egovcli.values.units import negative_count
from egovcli.values.yes_no import option_value

__all__ = [
    "BOTH_TICKED",
    "EMPTY",
    "TICKED",
    "WINGDINGS_EMPTY",
    "WINGDINGS_TICKED",
    "Parsed",
    "Period",
    "TickMark",
    "finite",
    "is_blank",
    "lone_mark",
    "negative_count",
    "option_value",
    "parse_number",
    "parse_period",
    "parse_text",
    "parse_value",
    "tick_marks",
    "trim",
    "valid_date",
]
