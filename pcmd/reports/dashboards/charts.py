"""Charts of the dashboard drawn as SVG on the server: a month-by-month bar chart of this
period against the same months of last year.

Owns: Bar, Series, nice_ceiling(), trend_svg().
Invariants: the SVG is static markup (no script, no inline style: the CSP allows neither) with
presentation classes styled by pcmd.css; this period's bars are solid and last year's are
outlined, and the legend names them in words, so colour is never the only sign; every bar
carries its number as text; a suppressed value (a count of fewer than 5 people) draws no bar
and reads "<5"; the same numbers are always in a table beside the chart (the templates).
Not here: the numbers (selectors.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360.0, 190.0
LEFT, RIGHT, TOP, BOTTOM = 34.0, 6.0, 16.0, 34.0


@dataclass(frozen=True)
class Bar:
    """One month of one series: its label ("T1"), its value, how it is shown."""

    label: str
    value: Decimal | None  # None: suppressed or no data — no bar is drawn
    shown: str


@dataclass(frozen=True)
class Series:
    name: str
    bars: Sequence[Bar]
    css: str  # "now" (solid) or "before" (outlined)


def nice_ceiling(top: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above `top` (an axis that reads easily)."""
    if top <= 0:
        return Decimal(1)
    magnitude = Decimal(1)
    while magnitude * 10 <= top:
        magnitude *= 10
    while magnitude > top:
        magnitude /= 10
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if magnitude * step >= top:
            return magnitude * step
    return magnitude * 10  # pragma: no cover — the loop above always returns


def _f(n: float | Decimal) -> str:
    return f"{float(n):.1f}"


def trend_svg(series: Sequence[Series], *, title: str, labels: Sequence[str]) -> SafeString:
    """Grouped bars: one group per month, one bar per series, the value above each bar."""
    values = [b.value for s in series for b in s.bars if b.value is not None]
    top = nice_ceiling(max(values, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = min(group_w * 0.8 / max(len(series), 1), 28.0)
    base_y = TOP + plot_h
    parts = [
        f'<svg class="dash-chart" viewBox="0 0 {_f(WIDTH)} {_f(HEIGHT)}" role="img">'
        f"<title>{escape(title)}</title>",
    ]
    for tick in (Decimal(0), top / 2, top):
        y = base_y - float(tick / top) * plot_h
        text = f"{tick.normalize():f}".replace(".", ",")
        parts.append(
            f'<line class="chart-grid" x1="{_f(LEFT)}" y1="{_f(y)}" x2="{_f(WIDTH - RIGHT)}" '
            f'y2="{_f(y)}"/><text class="chart-axis" x="{_f(LEFT - 4)}" y="{_f(y + 4)}" '
            f'text-anchor="end">{escape(text)}</text>'
        )
    for g, label in enumerate(labels):
        gx = LEFT + g * group_w + (group_w - bar_w * len(series)) / 2
        for s_index, s in enumerate(series):
            bar = s.bars[g] if g < len(s.bars) else None
            if bar is None:
                continue
            x = gx + s_index * bar_w
            cx = x + bar_w / 2
            if bar.value is not None:
                h = float(bar.value / top) * plot_h
                parts.append(
                    f'<rect class="chart-bar chart-{s.css}" x="{_f(x + 1)}" y="{_f(base_y - h)}" '
                    f'width="{_f(bar_w - 2)}" height="{_f(max(h, 0.0))}">'
                    f"<title>{escape(s.name)}, {escape(label)}: {escape(bar.shown)}</title></rect>"
                )
                label_y = base_y - h - 3
            else:
                label_y = base_y - 3
            parts.append(
                f'<text class="chart-value chart-value-{s.css}" x="{_f(cx)}" y="{_f(label_y)}" '
                f'text-anchor="middle">{escape(bar.shown)}</text>'
            )
        parts.append(
            f'<text class="chart-axis" x="{_f(LEFT + g * group_w + group_w / 2)}" '
            f'y="{_f(base_y + 14)}" text-anchor="middle">{escape(label)}</text>'
        )
    # The legend, in words: solid = this period, outlined = last year.
    lx = LEFT
    for s in series:
        parts.append(
            f'<rect class="chart-bar chart-{s.css}" x="{_f(lx)}" y="{_f(HEIGHT - 12)}" '
            f'width="10" height="10"/><text class="chart-legend" x="{_f(lx + 14)}" '
            f'y="{_f(HEIGHT - 3)}">{escape(s.name)}</text>'
        )
        lx += 14 + 7.0 * len(s.name) + 16
    parts.append(
        f'<line class="chart-base" x1="{_f(LEFT)}" y1="{_f(base_y)}" x2="{_f(WIDTH - RIGHT)}" '
        f'y2="{_f(base_y)}"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
