"""Bar charts drawn on the server as SVG (templates/kpi/_bar_chart.svg): no script, no style sheet.

A suppressed count (1-4) is drawn as an outlined bar up to the threshold and labelled "< 5"
(and so is a count hidden with it, "≥ 5"): its height never gives the number away. Each chart carries a <title> and <desc> (role="img")
and the page shows the same figures in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.kpi.suppression import THRESHOLD, is_suppressed, series_shown, shown

WIDTH = 640
HEIGHT = 240
TOP, BOTTOM, LEFT, RIGHT = 24, 40, 40, 8
TICKS = 4


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown ("< 5", "0", "12")
    x: float
    y: float
    width: float
    height: float
    suppressed: bool

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    key: str  # for ids: "<key>-title", "<key>-desc"
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT


def _nice_top(value: int) -> int:
    """A round top for the axis, at least the suppression threshold."""
    top = max(value, THRESHOLD)
    step = 1
    while step * TICKS < top:
        step = step * 2 if str(step)[0] in "15" else step * 5 // 2
    return step * TICKS


def bar_chart(
    key: str, title: str, description: str, values: list[tuple[str, int]], *, complementary: bool = False
) -> BarChart:
    """A chart of (label, count) pairs, one bar each. `complementary`: the series' total is shown
    elsewhere, so a lone "< 5" takes another bar with it (suppression.series_shown)."""
    counts = [count for _label, count in values]
    texts = series_shown(counts) if complementary else [(shown(c), is_suppressed(c)) for c in counts]
    drawn = [THRESHOLD if hidden else count for count, (_text, hidden) in zip(counts, texts, strict=True)]
    top = _nice_top(max(drawn, default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    bars = []
    for index, ((label, _count), height_value, (text, hidden)) in enumerate(zip(values, drawn, texts, strict=True)):
        height = plot_height * height_value / top
        bars.append(
            Bar(
                label=label,
                text=text,
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                suppressed=hidden,
            )
        )
    ticks = [Tick(round(HEIGHT - BOTTOM - plot_height * i / TICKS, 1), str(top * i // TICKS)) for i in range(TICKS + 1)]
    return BarChart(key, title, description, bars, ticks)
