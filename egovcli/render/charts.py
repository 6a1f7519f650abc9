"""Charts for the HTML summary as inline SVG, drawn here in Python: the page needs no script, no
network and no font of its own, and a chart prints as it shows.

Every chart comes in two forms (`narrow`): wide, each agency's name beside its bar (for a screen or
paper), and narrow, the name above the bar, for a phone; the page shows one by its width (CSS).
Both are `width: 100%` of their column with a `viewBox`, so they scale and never overflow. A name is
cut to fit its line, the full name and figures in the SVG `<title>` a reader sees on hover or a long
press. Every text is escaped here (`_text`): submitted names are untrusted.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from egovcli.textnorm import vi_number
from egovcli.untrusted import visible

# level colours, best level first (green, blue, amber, red, …); a chart without levels uses PLAIN
LEVEL_COLOURS = ("#2e7d32", "#1565c0", "#b26a00", "#c62828", "#6a1b9a", "#455a64")
PLAIN = "#1f5f99"
UP, DOWN, SAME = "#2e7d32", "#c62828", "#616161"
CHAR = 0.54  # an average character's width, in font sizes (Arial, Vietnamese text)


@dataclass(frozen=True, slots=True)
class Bar:
    """One agency's bar: `value` on the chart's scale, `shown` the figure printed after it, `level` its
    xếp loại ("" none)."""

    rank: int
    label: str
    value: float
    shown: str
    level: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """One agency's previous and current totals."""

    label: str
    previous: float
    current: float


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where rows go: wide (name in a column left of the bar) or narrow (name on a line above it)."""

    narrow: bool
    rows: int
    top: float  # room above the first row (band names)
    figures: float  # room right of the bars for the figures

    @property
    def width(self) -> int:
        return 400 if self.narrow else 760

    @property
    def font(self) -> int:
        return 13 if self.narrow or self.rows <= 30 else 12 if self.rows <= 80 else 11

    @property
    def bar(self) -> float:
        """A bar's thickness."""
        return 10 if self.narrow else 18 if self.rows <= 30 else 13 if self.rows <= 80 else 10

    @property
    def row(self) -> float:
        return self.font + self.bar + 7 if self.narrow else self.bar + 4

    @property
    def x0(self) -> float:
        return 8 if self.narrow else 258

    @property
    def x1(self) -> float:
        return self.width - self.figures

    @property
    def bottom(self) -> float:
        """Below the last row: the axis figures."""
        return self.top + self.row * self.rows + 20

    def bar_y(self, i: int) -> float:
        return self.top + i * self.row + (self.font + 3 if self.narrow else 2)

    def label(self, i: int, text: str) -> str:
        """The row's name, cut to its room (the caller's <title> has it whole)."""
        room = self.width - 4 if self.narrow else self.x0 - 8
        fitted = _fit(text, int(room / (self.font * CHAR)))
        if self.narrow:
            return (f'<text x="{_n(self.x0)}" y="{_n(self.top + i * self.row + self.font)}" '
                    f'font-size="{self.font}">{_text(fitted)}</text>')
        return (f'<text x="{_n(room)}" y="{_n(self.bar_y(i) + self.bar * 0.8)}" font-size="{self.font}" '
                f'text-anchor="end">{_text(fitted)}</text>')

    def figure(self, i: int, x: float, text: str, colour: str = "#111") -> str:
        """A figure right of the bar's end `x`."""
        return (f'<text x="{_n(x + 4)}" y="{_n(self.bar_y(i) + self.bar * 0.85)}" font-size="{self.font}" '
                f'fill="{colour}">{_text(text)}</text>')

    def axis(self, ticks: Sequence[float], x: Callable[[float], float], decimals: int) -> list[str]:
        """Vertical gridlines with their figures under the rows."""
        out = []
        for value in ticks:
            gx = _n(x(value))
            out.append(f'<line x1="{gx}" y1="{_n(self.top - 4)}" x2="{gx}" y2="{_n(self.bottom - 18)}" '
                       f'stroke="#bbb" stroke-width="0.6"/>')
            out.append(f'<text x="{gx}" y="{_n(self.bottom - 4)}" font-size="{self.font}" '
                       f'text-anchor="middle" fill="#444">{_text(vi_number(value, decimals))}</text>')
        return out


def _text(value: object) -> str:
    """Text for SVG: control characters as visible escapes, then XML-escaped."""
    return html.escape(visible(str(value)), quote=True)


def _fit(text: str, chars: int) -> str:
    """`text` cut to `chars` characters, an ellipsis marking the cut."""
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate: at most 1 decimal, no trailing zeros (small, stable output)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(layout: _Layout, title: str, body: list[str]) -> str:
    form = "narrow" if layout.narrow else "wide"
    return (
        f'<svg class="chart {form}" viewBox="0 0 {layout.width} {_n(layout.bottom)}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="Arial, Helvetica, sans-serif">'
        f"<title>{_text(title)}</title>{''.join(body)}</svg>"
    )


def level_colours(levels: Sequence[str]) -> dict[str, str]:
    """Each level name (best first) → its colour."""
    return {name: LEVEL_COLOURS[i % len(LEVEL_COLOURS)] for i, name in enumerate(levels)}


def ranked_bars(
    bars: Sequence[Bar], *, scale: float, bands: Sequence[tuple[float, str]] = (), title: str = "",
    decimals: int = 2, narrow: bool = False,
) -> str:
    """Horizontal bars, one per agency (`<g class="bar">`) in rank order, on 0…`scale`; `bands` (lower
    bound, level name; best first) shade the levels' ranges behind the bars and colour each bar by
    its level."""
    scale = scale or max((b.value for b in bars), default=1.0) or 1.0
    at = _Layout(narrow, len(bars), 30 if bands else 8, 62)

    def x(value: float) -> float:
        return at.x0 + (at.x1 - at.x0) * min(max(value / scale, 0.0), 1.0)

    colours = level_colours([name for _, name in bands])
    body: list[str] = []
    bounds = [b for b, _ in bands]
    for i, (low, name) in enumerate(bands):  # a level's range: its lower bound to the next better one's
        high = min(bounds[i - 1] if i else scale, scale)
        if low >= scale or high <= 0:
            continue
        left, right = x(low), x(high)
        body.append(f'<rect x="{_n(left)}" y="{_n(at.top - 4)}" width="{_n(right - left)}" '
                    f'height="{_n(at.row * len(bars) + 4)}" fill="{colours[name]}" fill-opacity="0.1"/>')
        fitted = _fit(name, max(int((right - left) / (at.font * CHAR)), 2))
        body.append(f'<text x="{_n((left + right) / 2)}" y="{_n(at.top - 10)}" font-size="{at.font}" '
                    f'text-anchor="middle" fill="{colours[name]}">{_text(fitted)}<title>{_text(name)}: từ '
                    f"{_text(vi_number(low, decimals))}</title></text>")
    body += at.axis([scale * i / 4 for i in range(5)], x, decimals)
    for i, bar in enumerate(bars):
        label = f"{bar.rank}. {bar.label}"
        tip = f"{label}: {bar.shown}" + (f" — {bar.level}" if bar.level else "")
        end = x(bar.value)
        body.append(
            f'<g class="bar"><title>{_text(tip)}</title>{at.label(i, label)}'
            f'<rect x="{_n(at.x0)}" y="{_n(at.bar_y(i))}" width="{_n(end - at.x0)}" height="{_n(at.bar)}" '
            f'fill="{colours.get(bar.level, PLAIN)}"/>{at.figure(i, end, bar.shown)}</g>'
        )
    return _svg(at, title, body)


def section_profile(
    parts: Sequence[tuple[str, float, float]], *, title: str = "", decimals: int = 2, narrow: bool = False
) -> str:
    """One bar per section: (heading, points, maximum), each against its own maximum (the grey
    track), "points/maximum" after it."""
    at = _Layout(narrow, len(parts), 6, 100)
    body: list[str] = []
    for i, (heading, points, maximum) in enumerate(parts):
        share = min(max(points / maximum, 0.0), 1.0) if maximum else 0.0
        shown = f"{vi_number(points, decimals)}/{vi_number(maximum, decimals)}"
        y, width = _n(at.bar_y(i)), at.x1 - at.x0
        body.append(
            f"<g><title>{_text(heading)}: {_text(shown)}</title>{at.label(i, heading)}"
            f'<rect x="{_n(at.x0)}" y="{y}" width="{_n(width)}" height="{_n(at.bar)}" fill="#e3e3e3"/>'
            f'<rect x="{_n(at.x0)}" y="{y}" width="{_n(width * share)}" height="{_n(at.bar)}"'
            f' fill="{PLAIN}"/>'
            f"{at.figure(i, at.x1, shown)}</g>"
        )
    return _svg(at, title, body)


def nice_ticks(low: float, high: float, count: int = 3) -> list[float]:
    """Round figures for an axis from `low` to `high`: a step of 1, 2 or 5 × 10ⁿ giving about
    `count` intervals, the first tick at or below `low`, the last at or above `high`."""
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step)
    last = max(math.ceil(high / step), first + 1)  # an axis, even for one value
    return [round(i * step, 10) for i in range(first, last + 1)]


def changes(items: Sequence[Change], *, title: str = "", decimals: int = 2, narrow: bool = False) -> str:
    """Previous → current total of each agency (`<g class="change">`: a hollow dot, a line, a filled
    dot), in the order given, the change after it (at 2 decimals, as the tables write it). The axis
    spans the values shown, in round figures, so small moves show."""
    values = [v for c in items for v in (c.previous, c.current)]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    low, high = ticks[0], ticks[-1]
    at = _Layout(narrow, len(items), 8, 78)
    left = at.x0 + 24  # room for the first tick's figure

    def x(value: float) -> float:
        return left + (at.x1 - left - 6) * (value - low) / (high - low)

    body = at.axis(ticks, x, decimals)
    radius = at.bar * 0.3
    for i, c in enumerate(items):
        y = _n(at.bar_y(i) + at.bar / 2)
        delta = c.current - c.previous
        colour = UP if round(delta, decimals) > 0 else DOWN if round(delta, decimals) < 0 else SAME
        shown = ("+" if colour == UP else "") + vi_number(delta)
        tip = f"{c.label}: {vi_number(c.previous, decimals)} → {vi_number(c.current, decimals)} ({shown})"
        before, now = _n(x(c.previous)), _n(x(c.current))
        body.append(
            f'<g class="change"><title>{_text(tip)}</title>{at.label(i, c.label)}'
            f'<line x1="{before}" y1="{y}" x2="{now}" y2="{y}" stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{before}" cy="{y}" r="{_n(radius)}" fill="#fff" stroke="{colour}"/>'
            f'<circle cx="{now}" cy="{y}" r="{_n(radius + 0.5)}" fill="{colour}"/>'
            f"{at.figure(i, at.x1 + 4, shown, colour)}</g>"
        )
    return _svg(at, title, body)
