"""The ranking workbook as it prints (issue 16, item 2): converted to PDF by LibreOffice, as a Sở
would print it, for a round of 5 sở and one of 200 xã — A4 landscape, Times New Roman (or its
metric twin Liberation Serif, which LibreOffice substitutes where Times is not installed), every
column on one page width, the header row repeated on every page, "Trang X/Y" in the footer, long
names wrapped in rows high enough (no text over text, every name whole).

Needs LibreOffice Calc (the `calc` fixture): skipped without it, except in CI (EGOV_REQUIRE_SOFFICE=1)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from egovcli.rank import rank_scores
from egovcli.render.workbook import write_ranking_workbook
from egovcli.rules import load_rules
from egovcli.score.model import AgencyScore, CriterionScore

RULES = load_rules("hanam-2022")
SECTIONS = [(s.id, s.title, s.max) for s in RULES.sections]
A4_LANDSCAPE = (842, 595)
FONTS = ("Times", "LiberationSerif")  # Liberation Serif: LibreOffice's stand-in for Times New Roman
LONG = ("Ủy ban nhân dân xã {} (hợp nhất từ xã Phước Tân, xã Phước Minh và thị trấn Bù Gia Mập),"
        " huyện Bù Gia Mập, tỉnh Bình Phước")


def agencies(count: int, group: str, name: str, seed: int) -> list[AgencyScore]:
    """`count` agencies of `group`, one scored criterion per section; every third name is long."""
    rng = random.Random(seed)
    out = []
    for i in range(1, count + 1):
        agency = LONG.format(f"Số {i}") if i % 3 == 0 else name.format(i)
        rows = [CriterionScore(f"{sid}.1", sid, f"Tiêu chí của mục {sid}", round(rng.uniform(0.4, 1) * m, 2),
                               m, "data", explanation=f"Tỷ lệ đạt × {m:g} điểm",
                               source_file=f"bao-cao-{i}.xlsx", location="Phụ lục!E3")
                for sid, _, m in SECTIONS]
        out.append(AgencyScore(agency, group, "2025", RULES.name, rows))
    return out


def convert(xlsx: Path, soffice: str, workdir: Path) -> Path:
    """The workbook printed to PDF by LibreOffice (a private profile: other instances may run)."""
    subprocess.run(
        [soffice, f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(workdir), str(xlsx)],
        check=True, capture_output=True, timeout=900,
    )
    return workdir / f"{xlsx.stem}.pdf"


def compact(text: str) -> str:
    return "".join(text.split())


def overlapping(chars: list[dict]) -> list[tuple[str, str]]:
    """Pairs of characters drawn over each other (more than a third of the smaller one covered)."""
    grid: dict[tuple[int, int], list[dict]] = {}
    found = []
    for ch in chars:
        if not ch["text"].strip():
            continue
        cell = (int(ch["x0"] // 20), int(ch["top"] // 20))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in grid.get((cell[0] + dx, cell[1] + dy), ()):
                    w = min(ch["x1"], other["x1"]) - max(ch["x0"], other["x0"])
                    h = min(ch["bottom"], other["bottom"]) - max(ch["top"], other["top"])
                    smaller = min((ch["x1"] - ch["x0"]) * (ch["bottom"] - ch["top"]),
                                  (other["x1"] - other["x0"]) * (other["bottom"] - other["top"]))
                    if w > 0 and h > 0 and w * h > smaller / 3:
                        found.append((ch["text"], other["text"]))
        grid.setdefault(cell, []).append(ch)
    return found


def headers(xlsx: Path) -> dict[str, tuple[str, str]]:
    """Each sheet's first header cell's first word and its last header cell's last word on its first
    line (row 3): wrapped header cells print line by line, side by side, so only words are sure to
    come out whole in the page's text."""
    wb = load_workbook(xlsx)
    out = {}
    for ws in wb:
        cells = [str(c.value) for c in ws[3] if c.value is not None]
        out[ws.title] = (cells[0].split()[0], cells[-1].split("\n")[0].split()[-1])
    return out


@pytest.fixture(scope="module")
def printed(calc: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("print")
    scores = agencies(5, "department", "Sở Khoa học và Công nghệ số {}", 1) + agencies(
        200, "district", "UBND xã Tân Lập {}", 2)
    ranking = rank_scores(scores, ranked=RULES.groups)
    xlsx = tmp / "xep-hang.xlsx"
    write_ranking_workbook(xlsx, ranking, scores, SECTIONS, RULES.title, rules=RULES,
                           run=[("Tệp đầu vào", ["a.xlsx", "b.xlsx"])])
    pdf = convert(xlsx, calc, tmp)
    with pdfplumber.open(pdf) as doc:
        pages = [{"text": p.extract_text() or "", "size": (p.width, p.height), "chars": p.chars}
                 for p in doc.pages]
    return {"xlsx": xlsx, "pages": pages, "scores": scores}


def printed_whole(name: str, words: list[str]) -> bool:
    """Whether the words of `name` are printed in order, each line of a wrapped name interleaved only
    with the other cells of its line (a few dozen words)."""
    wanted = name.split()
    for start in (i for i, w in enumerate(words) if w == wanted[0]):
        found, at = 1, start + 1
        while found < len(wanted) and at < start + 40 * len(wanted) and at < len(words):
            found += words[at] == wanted[found]
            at += 1
        if found == len(wanted):
            return True
    return False


def _sheet_pages(pages: list[dict], title: str, next_title: str) -> list[dict]:
    """The pages of the sheet whose title row is `title`, up to the one titled `next_title`."""
    start = next(i for i, p in enumerate(pages) if title in p["text"])
    end = next(i for i, p in enumerate(pages) if i > start and next_title in p["text"])
    return pages[start:end]


def test_every_page_is_a4_landscape_in_times_with_its_page_number(printed: dict) -> None:
    pages = printed["pages"]
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        width, height = page["size"]
        assert abs(width - A4_LANDSCAPE[0]) <= 2 and abs(height - A4_LANDSCAPE[1]) <= 2, number
        fonts = {ch["fontname"].split("+")[-1] for ch in page["chars"]}
        assert fonts and all(any(f in font for f in FONTS) for font in fonts), (number, fonts)
        assert f"Trang {number}/{total}" in page["text"], number
        assert RULES.title[:40] in page["text"]  # the page header names the rule set


def test_every_page_holds_all_its_columns(printed: dict) -> None:
    """Fitted to the page width: every page shows its sheet's first and last column headers (a cut
    column would print on a page of its own, without the first)."""
    pairs = headers(printed["xlsx"]).values()
    assert ("Xếp", "500)") not in pairs and ("Cơ", "liệu") in pairs
    for number, page in enumerate(printed["pages"], start=1):
        words = set(page["text"].split())
        assert any(first in words and last in words for first, last in pairs), number


def test_five_and_two_hundred_agencies_print_whole_and_readable(printed: dict) -> None:
    pages = printed["pages"]
    departments = _sheet_pages(pages, "Kết quả xếp hạng: Sở, ban, ngành", "Kết quả xếp hạng: UBND cấp huyện")
    districts = _sheet_pages(pages, "Kết quả xếp hạng: UBND cấp huyện", "Chi tiết điểm theo tiêu chí")
    assert len(departments) == 1 and len(districts) > 2
    for page in districts[1:]:  # the header row repeated on every page
        assert {"Xếp", "hạng", "Cơ", "quan", "Tổng", "điểm"} <= set(page["text"].split())
    words = [w for p in departments + districts for w in p["text"].split()]
    names = [s.agency for s in printed["scores"]]
    assert [n for n in names if not printed_whole(n, words)] == []  # every name whole, long ones wrapped
    for number, page in enumerate(pages, start=1):
        assert overlapping(page["chars"]) == [], number  # no row's text runs into the next one


def test_the_run_sheet_lists_what_it_is_given(printed: dict) -> None:
    ws = load_workbook(printed["xlsx"])["Thông tin lần chạy"]
    items = {row[0]: row[1] for row in ws.iter_rows(min_row=4, values_only=True)}
    assert items["Tệp đầu vào"] == "a.xlsx\nb.xlsx"  # a list: one item per line
    assert items["Phần mềm"].startswith("egov ") and RULES.name in items["Bộ tiêu chí"]
    assert items["Số cơ quan xếp hạng"] == "Sở, ban, ngành, kỳ 2025: 5\nUBND cấp huyện, kỳ 2025: 200"
