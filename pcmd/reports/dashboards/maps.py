"""The map of a unit's children: each placed by its centroid, coloured by one indicator, drawn
as SVG on the server (no tile server, no script, nothing fetched).

Owns: MapPoint, MapBand, map_place(), map_bands(), map_svg().
Invariants: north is up and a degree of longitude is drawn cos(mean latitude) as wide as a
degree of latitude, so shapes keep their proportions; every placed unit lies inside the drawing
with its margin; units without coordinates are not placed but listed (never put at 0,0); a band
is a range of values shown in the legend in words, so colour is never the only sign; a
suppressed value (fewer than 5 people) has no band and is drawn hollow.
Not here: the values (selectors.py), the table that gives the same numbers (the templates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, MARGIN = 400.0, 300.0, 28.0
LABELLED_MAX = 30  # above this many units the values are read in the table
BANDS = 4  # four ranges of equal width from 0 to the largest value, and one for 0 itself


@dataclass(frozen=True)
class MapPoint:
    """One unit on the map: where it is drawn and what it shows."""

    unit_id: int
    name: str
    x: float
    y: float
    value: Decimal | None
    shown: str  # the value as displayed ("12", "<5", "—")
    band: int | None  # 0 (nothing) .. BANDS, None when suppressed or without data
    url: str = ""


@dataclass(frozen=True)
class MapBand:
    band: int
    label: str


def map_place(
    coords: Sequence[tuple[float, float]],
    *,
    width: float = WIDTH,
    height: float = HEIGHT,
    margin: float = MARGIN,
) -> list[tuple[float, float]]:
    """(latitude, longitude) pairs -> (x, y) in a width x height drawing, north up.

    An equirectangular projection scaled by cos(mean latitude), fitted into the box inside the
    margin with one scale for both axes and centred; one point (or points at one place) sits in
    the middle."""
    if not coords:
        return []
    lats = [c[0] for c in coords]
    lons = [c[1] for c in coords]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    xs = [lon * shrink for lon in lons]
    span_x, span_y = max(xs) - min(xs), max(lats) - min(lats)
    inner_w, inner_h = width - 2 * margin, height - 2 * margin
    if span_x == 0 and span_y == 0:
        return [(width / 2, height / 2) for _ in coords]
    scale = min(
        inner_w / span_x if span_x else math.inf,
        inner_h / span_y if span_y else math.inf,
    )
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(lats) + min(lats)) / 2
    return [
        (width / 2 + (x - mid_x) * scale, height / 2 - (lat - mid_y) * scale)
        for x, lat in zip(xs, lats, strict=True)
    ]


def band_step(top: Decimal, *, whole: bool) -> Decimal:
    """The width of a band: a quarter of `top`, rounded up to a whole number for counts."""
    step = top / BANDS
    return Decimal(max(1, math.ceil(step))) if whole else step


def band_of(value: Decimal | None, top: Decimal, *, whole: bool = False) -> int | None:
    """0 for nothing, 1..BANDS for equal ranges up to `top`, None without a value."""
    if value is None:
        return None
    if value <= 0 or top <= 0:
        return 0
    return min(BANDS, max(1, math.ceil(value / band_step(top, whole=whole))))


def _num(value: Decimal) -> str:
    if value == value.to_integral():
        return str(number_format(int(value), force_grouping=True))
    return str(number_format(value, 1, force_grouping=True))


def map_bands(top: Decimal, *, percent: bool, whole: bool = False) -> list[MapBand]:
    """The legend: what each band means, in numbers (whole numbers for counts)."""
    suffix = "%" if percent else ""
    out = [MapBand(0, _("Không có (0)"))]
    if top <= 0:
        return out
    step = band_step(top, whole=whole)
    for band in range(1, BANDS + 1):
        low, high = step * (band - 1), step * band
        if low >= top:
            break
        if whole:
            first = low + 1
            label = (
                _num(first) if first == high else _("Từ %(low)s đến %(high)s") % {
                    "low": _num(first), "high": _num(high),
                }
            )  # fmt: skip
        else:
            label = _("Trên %(low)s đến %(high)s") % {
                "low": _num(low) + suffix, "high": _num(high) + suffix,
            }  # fmt: skip
        out.append(MapBand(band, label))
    return out


def _f(n: float) -> str:
    return f"{n:.1f}"


def map_svg(points: Sequence[MapPoint], *, title: str) -> SafeString:
    """The map as inline SVG: a dot per unit in its band's class, its value beside it (up to
    LABELLED_MAX units), the unit's name and value in a <title> (read by screen readers and
    shown on hover)."""
    # Many units: smaller dots, and the numbers only in the table (labels would overlap).
    radius = max(3.0, min(7.0, 60.0 / math.sqrt(max(len(points), 1))))
    labelled = len(points) <= LABELLED_MAX
    parts = [
        f'<svg class="dash-map" viewBox="0 0 {_f(WIDTH)} {_f(HEIGHT)}" role="img" '
        f'aria-labelledby="dash-map-title">',
        f'<title id="dash-map-title">{escape(title)}</title>',
        f'<rect class="map-ground" x="0" y="0" width="{_f(WIDTH)}" height="{_f(HEIGHT)}"/>',
    ]
    for point in points:
        band = "none" if point.band is None else str(point.band)
        dot = (
            f'<circle class="map-dot map-b{band}" cx="{_f(point.x)}" cy="{_f(point.y)}" '
            f'r="{_f(radius)}">'
            f"<title>{escape(point.name)}: {escape(point.shown)}</title></circle>"
        )
        label = (
            f'<text class="map-label" x="{_f(point.x)}" y="{_f(point.y + radius + 12)}" '
            f'text-anchor="middle">{escape(point.shown)}</text>'
            if labelled
            else ""
        )
        if point.url:
            parts.append(f'<a href="{escape(point.url)}">{dot}{label}</a>')
        else:
            parts.append(dot + label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
