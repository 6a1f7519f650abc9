"""The HTML summary as its readers see it (issue 16, item 3): opened in a real headless Chromium (the
Debian `chromium` package, driven by playwright with the system browser) at desktop (1280 px) and phone
(390 px) widths — screenshots taken, no horizontal overflow (with every agency's section open too), no
console error, no network request, and the ranked-bar charts there with one bar per agency of each
group. The rounds: the Hà Nam 2022 samples (with appraisal adjustments), the 2026-shaped dti-example
round (2024 → 2025: the change chart) and a generated round of 150 communes ranked with levels.

Skipped without chromium or playwright, except in CI (EGOV_REQUIRE_BROWSER=1, see .ci/run)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import require_browser

from egovcli import api
from egovcli.rank import compare_with_previous, rank_scores
from egovcli.score.model import AgencyScore, CriterionScore

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEMO_100 = Path(__file__).resolve().parent / "fixtures" / "rules" / "demo-100.yaml"
WIDTHS = {"desktop": 1280, "phone": 390}
ROUNDS = ("hanam-2022", "dti-example-2025", "communes-150")
HOSTILE = "UBND xã <script>alert(1)</script> Tân Lập"
LONG = "UBND xã Quảng Phú Cầu thuộc huyện Ứng Hòa trước khi sắp xếp đơn vị hành chính năm 2025"

# what the page shows: the visible ranked-bar charts (their bars), and how wide the page and its
# charts are drawn
MEASURE = """() => {
  const shown = [...document.querySelectorAll('svg.chart')]
    .filter(s => getComputedStyle(s).display !== 'none');
  const ranked = shown.filter(s => s.querySelector('g.bar'));
  const scale = s => s.getBoundingClientRect().width / s.viewBox.baseVal.width;
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    bars: ranked.map(s => s.querySelectorAll('g.bar').length),
    widest: Math.max(...shown.map(s => s.getBoundingClientRect().right)),
    smallestFont: Math.min(...ranked.map(
      s => scale(s) * Number(s.querySelector('g.bar text').getAttribute('font-size')))),
    agencies: document.querySelectorAll('details.agency').length,
    brokenLinks: [...document.querySelectorAll('nav a, ul.agencies a')]
      .filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).length,
  };
}"""


def _round(
    ws_path: Path, folders: list[Path], rules: str, out: Path, adjustments: Path | None = None
) -> Path:
    """ingest → score → rank → the HTML summary, through the library as `egov` does it."""
    with api.open_workspace(ws_path, create=True) as ws:
        for folder in folders:
            api.ingest(ws, folder)
        api.score_workspace(ws, rules, adjustments=adjustments)
        result = api.rank_workspace(ws)
        manifest = api.rank_manifest(ws, result)
    api.write_rank_outputs(result, xlsx=None, md=None, html=out, manifest=manifest)
    return out


def communes(count: int = 150, seed: int = 150) -> api.RankResult:
    """A generated round of `count` communes in two years, ranked under the 100-point demo rule set
    (levels Tốt / Khá / Trung bình / Yếu), each criterion's points drawn below its maximum with the
    cell they came from; a long name and a hostile one among them."""
    rules = api.load_rules(str(DEMO_100))
    rng = random.Random(seed)
    names = [f"UBND xã Số {i + 1:03d}" for i in range(count)]
    names[3], names[7] = LONG, HOSTILE
    scores = []
    for year in ("2024", "2025"):
        for i, name in enumerate(names):
            rows = []
            for n, c in enumerate(rules.criteria):
                points = round(c.max * rng.uniform(0.3, 1.0), 2)
                where = f"Phụ lục!E{10 + n}"
                rows.append(CriterionScore(
                    c.id, c.section, c.label, points, c.max, "data",
                    explanation=f"Theo số liệu: {points:g} ({name}.xlsx, {where})",
                    source_file=f"xa-{i + 1:03d}.xlsx", location=where,
                ))
            scores.append(AgencyScore(name, "commune", year, rules.name, rows))
    ranking = rank_scores(scores, levels=[(lv.min, lv.name) for lv in rules.levels], ranked=rules.groups,
                          precision=rules.precision)
    compare_with_previous(ranking, [], rules.precision.decimals)
    return api.RankResult(rules, ranking, scores)


def group_sizes(html: Path) -> list[int]:
    """The number of agencies of each ranking table, in page order (from the page's own tables)."""
    text = html.read_text(encoding="utf-8")
    sections = text.split('<section id="nhom-')[1:]
    return [s.split("</section>")[0].split("<tbody>")[1].count("<tr>") for s in sections]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    path = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("html")
    hanam = _round(tmp / "hanam.sqlite", [SAMPLES / "hanam-2022"], "hanam-2022", tmp / "hanam-2022.html",
                   SAMPLES / "hanam-2022-adjustments.csv")
    dti = _round(tmp / "dti.sqlite", [SAMPLES / "dti-example-2024", SAMPLES / "dti-example-2025"],
                 "dti-example-2025", tmp / "dti-example-2025.html")
    many = tmp / "communes-150.html"
    api.write_rank_outputs(communes(), xlsx=None, md=None, html=many)
    return {"hanam-2022": hanam, "dti-example-2025": dti, "communes-150": many}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ROUNDS)
def test_summary_in_a_real_browser(chromium: Any, pages: dict[str, Path], name: str, width: str,
                                   tmp_path: Path) -> None:
    html = pages[name]
    page = chromium.new_page(viewport={"width": WIDTHS[width], "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith("file:") else requests.append(r.url))
    page.goto(html.as_uri())
    shot = tmp_path / f"{name}-{width}.png"
    page.screenshot(path=shot)
    page.locator("svg.chart:visible").first.screenshot(path=tmp_path / f"{name}-{width}-chart.png")
    assert shot.stat().st_size > 1000

    seen = page.evaluate(MEASURE)
    assert seen["scrollWidth"] <= seen["innerWidth"], f"horizontal overflow: {seen}"
    assert seen["widest"] <= seen["innerWidth"]
    assert seen["bars"] == group_sizes(html)  # one chart per group, one bar per agency
    assert seen["smallestFont"] >= 9, seen  # a name under a bar is read, not guessed (CSS px)
    assert seen["agencies"] == sum(seen["bars"]) and seen["brokenLinks"] == 0

    # every agency's "Điểm bị trừ và lý do" open: its wide tables scroll inside their own box
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    opened = page.evaluate(MEASURE)
    assert opened["scrollWidth"] <= opened["innerWidth"], f"overflow with the sections open: {opened}"
    page.screenshot(path=tmp_path / f"{name}-{width}-open.png")
    assert errors == [] and requests == []
    page.close()


def test_a_hostile_name_is_text_in_the_page_and_its_charts(chromium: Any, pages: dict[str, Path]) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(pages["communes-150"].as_uri())
    scripts = "() => document.querySelectorAll('script:not([type=\"application/json\"])').length"
    assert page.evaluate(scripts) == 0
    tips = page.evaluate("() => [...document.querySelectorAll('svg.chart g.bar > title')]"
                         ".map(t => t.textContent)")
    assert any(HOSTILE in t for t in tips) and any(LONG in t for t in tips)  # the full name, on hover
    labels = page.evaluate("() => [...document.querySelectorAll('svg.chart.wide g.bar > text')]"
                           ".map(t => t.textContent)")
    assert not any(LONG in t for t in labels) and any(t.endswith("…") for t in labels)  # cut to fit
    page.close()


def test_the_change_chart_shows_each_agency_compared_with_the_year_before(chromium: Any,
                                                                          pages: dict[str, Path]) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(pages["communes-150"].as_uri())
    moved = page.evaluate("() => [...document.querySelectorAll('svg.chart.wide')]"
                          ".map(s => s.querySelectorAll('g.change').length).filter(n => n)")
    assert moved == [150]  # the 2025 table: every commune was ranked in 2024
    levels = page.evaluate("() => document.querySelector('svg.chart.wide').textContent")
    assert all(level in levels for level in ("Tốt", "Khá", "Trung bình", "Yếu"))  # the level bands
    page.close()
