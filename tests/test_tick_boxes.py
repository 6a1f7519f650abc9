"""One tick-box rule (issue 12, item 2): a value cell, a form line and a tick table read the same
boxes the same way. Built on the seed 002 Bình Định survey forms ("□ Có □ Không" after a
question, on its line or the next; the "STT | Giải pháp | Có | Số lượng" table of mục 3.8).

Before issue 12 `values.py` and `ingest/layout/checkbox.py` each had their own box characters: "▣ Có
□ Không" after a question read as "Không", "⌧ Có □ Không" in a cell as blank, a Wingdings box
exported to a PDF as text on a form line as "Không", "[✔] Có" on a line as two answers."""

import pytest
from helpers import table_observations

from egovcli.ingest.layout import Cell, TextLine, interpret
from egovcli.values import parse_value

TICKED = ["☒", "☑", "✓", "✔", "✗", "✘", "⊠", "▣", "⌧", "[x]", "[X]", "[✓]", "[✔]",
          "\uf0fe", "\uf0fd", "\uf078", "\uf052", "\uf053", "\uf054"]  # the last six: Wingdings boxes
EMPTY = ["□", "☐", "▢", "◻", "❑", "❒", "⬜", "[ ]",
         "\uf0a8", "\uf06f", "\uf071", "\uf0a3", "\uf030", "\uf0a1"]
QUESTION = "c. Hệ thống an toàn báo cháy, nổ tại phòng máy chủ"  # seed 002, mục 3.7


def _line_values(*texts: str) -> list[float | None]:
    lines = [TextLine(text, f"đoạn {n}") for n, text in enumerate(texts, 1)]
    return [o.value for o in interpret(lines, []).observations]


@pytest.mark.parametrize("tick", TICKED)
@pytest.mark.parametrize("empty", ["□", "☐"])
def test_a_ticked_box_reads_alike_in_a_cell_and_on_a_form_line(tick: str, empty: str) -> None:
    for answer, value in ((f"{tick} Có {empty} Không", 1.0), (f"{empty} Có {tick} Không", 0.0),
                          (f"Có: {tick} Không: {empty}", 1.0)):
        assert parse_value(answer).value == value, answer
        assert _line_values(f"{QUESTION}: {answer}") == [value], answer
        assert _line_values(f"{QUESTION}:", answer) == [value], answer  # the answer on the next line


@pytest.mark.parametrize("empty", EMPTY)
def test_an_empty_box_reads_alike_in_a_cell_and_on_a_form_line(empty: str) -> None:
    answer = f"{empty} Có {empty} Không"  # seed 002 as printed: asked and unanswered, missing (not "Không")
    assert (parse_value(answer).kind, parse_value(answer).value) == ("blank", None)
    assert _line_values(f"{QUESTION}: {answer}", "☒ Chữ ký số chuyên dùng") == [None, 1.0]


@pytest.mark.parametrize(("tick", "empty"), [(t, "□") for t in TICKED] + [("☒", e) for e in EMPTY])
def test_a_tick_table_knows_every_box(tick: str, empty: str) -> None:
    rows = [["STT", "Giải pháp", "Có", "Không"], ["1", "Băng từ", empty, tick], ["4", "NAS", tick, empty]]
    grid = [[Cell(text, f"dòng {r}, cột {c}") for c, text in enumerate(row, 1)]
            for r, row in enumerate(rows, 1)]
    assert [(o.label, o.value) for o in table_observations(grid)] == [("Băng từ", 0), ("NAS", 1)]


def test_a_bare_x_in_a_box_place_reads_alike() -> None:
    """Where the two disagreed, the cell reading is kept: an "X" typed in the place of a box next to
    its option ticks that option, wherever it stands ("□ Có X Không" is "Không", not unanswered)."""
    for answer, value in (("□ Có X Không", 0.0), ("X Có □ Không", 1.0), ("■ Có □ Không", 1.0)):
        assert parse_value(answer).value == value, answer
        assert _line_values(f"{QUESTION}: {answer}") == [value], answer


def test_both_ticked_says_the_same_in_a_cell_and_on_a_form_line() -> None:
    answer = "☒ Có ☒ Không"
    extracted = interpret([TextLine(f"{QUESTION}: {answer}", "đoạn 1")], [], source="f.docx")
    assert [p.code for p in extracted.problems] == ["W-IMPOSSIBLE-VALUE"]
    assert parse_value(answer).issue == "đánh dấu cả Có và Không"
    assert parse_value(answer).issue in extracted.problems[0].message
