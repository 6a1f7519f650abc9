"""The HTML summary's charts and per-agency sections without a browser (issue 16, item 3): the SVG is
well-formed XML with every submitted text escaped, one bar per agency, the level bands, a phone form;
"Điểm bị trừ và lý do" lists every criterion below its maximum with why, its file and cell."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from egovcli.rank import rank_scores
from egovcli.render import charts
from egovcli.render.summary import lost_points, render_html, render_markdown, summary_context
from egovcli.score.model import AgencyScore, CriterionScore

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Sở <script>alert(1)</script> & "A"\x1b[31m'


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # raises on anything not well-formed (an unescaped < or &)


def test_ranked_bars_escape_names_and_draw_one_bar_per_agency_with_level_bands() -> None:
    named = [(HOSTILE, 92.5, "Tốt"), ("UBND xã " + "Rất Dài " * 12, 80, "Khá"), ("Sở C", 40, "Yếu")]
    bars = [charts.Bar(i + 1, name, value, f"{value:g}".replace(".", ","), level)
            for i, (name, value, level) in enumerate(named)]
    bands = [(90, "Tốt"), (75, "Khá"), (50, "Trung bình"), (0, "Yếu")]
    for narrow in (False, True):
        text = charts.ranked_bars(bars, scale=100, bands=bands, title="Xếp hạng", narrow=narrow)
        root = _svg(text)
        groups = root.findall(f"{SVG}g[@class='bar']")
        assert len(groups) == 3
        assert "<script>" not in text and "\x1b" not in text
        assert groups[0].find(f"{SVG}title").text.startswith('1. Sở <script>alert(1)</script> & "A"\\x1b[31m')
        shown = groups[1].find(f"{SVG}text").text
        assert shown.endswith("…") and len(shown) < len(bars[1].label)  # cut; the <title> has it whole
        fills = [g.find(f"{SVG}rect").get("fill") for g in groups]
        assert fills == [charts.LEVEL_COLOURS[0], charts.LEVEL_COLOURS[1], charts.LEVEL_COLOURS[3]]
        band_names = [t.text for t in root.findall(f"{SVG}text") if t.get("text-anchor") == "middle"]
        assert {"Tốt", "Khá", "Yếu"} <= set(band_names)
        assert root.get("class") == ("chart narrow" if narrow else "chart wide")


def test_changes_and_profiles_are_well_formed_and_signed() -> None:
    moved = [charts.Change(HOSTILE, 700.5, 790.25), charts.Change("Sở B", 800, 760.5),
             charts.Change("Sở C", 750, 750)]
    root = _svg(charts.changes(moved, decimals=4))
    figures = [g.findall(f"{SVG}text")[-1].text for g in root.findall(f"{SVG}g[@class='change']")]
    assert figures == ["+89,75", "-39,5", "0"]
    axis = [t.text for t in root.findall(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert axis == ["700", "750", "800"]  # round figures, not 700,5
    profile = _svg(charts.section_profile([("I. Hạ tầng <b>", 18.5, 20), ("II. Ứng dụng", 0, 0)]))
    assert [t.text for t in profile.iter(f"{SVG}text")][-1] == "0/0"
    assert charts.nice_ticks(0, 0) == [0.0, 0.5] and charts.nice_ticks(0.5, 0.9) == [0.4, 0.6, 0.8, 1.0]


def _scores() -> list[AgencyScore]:
    def row(criterion: str, points: float, maximum: float, **more: object) -> CriterionScore:
        return CriterionScore(criterion, "I", f"Tiêu chí {criterion}", points, maximum, "data", **more)

    return [
        AgencyScore(HOSTILE, "department", "2022", "demo", [
            row("I.1", 8, 10, explanation="48/60 máy tính = 80% × 10 = 8. Nguồn: (so-a.xlsx, Báo cáo!A23)",
                source_file="so-a.xlsx", location="Báo cáo!A23"),
            row("I.2", 5, 5),
            row("I.3", 6, 8, flags=["over_max"], source_file="so-a.xlsx", location="Phụ lục!E14",
                explanation="Điều chỉnh sau thẩm định", adjustment_reason="Thẩm định: <thiếu> biên bản"),
        ]),
        AgencyScore("Sở B", "department", "2022", "demo",
                    [row("I.1", 10, 10), row("I.2", 5, 5), row("I.3", 8, 8)]),
    ]


def test_lost_points_says_what_was_lost_and_why() -> None:
    hostile, full = _scores()
    lost = lost_points(hostile)
    assert [(x["criterion"], x["points"], x["max_points"], x["lost"]) for x in lost] == [
        ("I.1", 8, 10, 2), ("I.3", 6, 8, 2)]
    assert lost[0]["explanation"].startswith("48/60 máy tính") and lost[0]["location"] == "Báo cáo!A23"
    assert lost[1]["flags"].startswith("over_max – ") and lost[1]["reason"] == "Thẩm định: <thiếu> biên bản"
    assert lost_points(full) == []


def test_the_html_summary_has_charts_sections_and_no_markup_from_submissions() -> None:
    scores = _scores()
    ctx = summary_context(rank_scores(scores), scores, [("I", "Hạ tầng", 23)], "Demo", "2022")
    html = render_html(ctx)
    assert html.count('<svg class="chart wide"') == 1 + 2 and html.count('<svg class="chart narrow"') == 3
    assert html.count('<g class="bar">') == 2 * 2  # two agencies, wide and narrow
    assert html.count('<details class="agency"') == 2 and 'href="#co-quan-1"' in html
    assert "bị trừ 4 điểm" in html and "Thẩm định: &lt;thiếu&gt; biên bản" in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        _svg(svg)
    assert "Thông tin lần chạy" not in html + render_markdown(ctx)  # no manifest given
