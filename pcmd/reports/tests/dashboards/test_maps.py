"""The map's placement maths and legend: north up, proportions kept, everything inside."""

from __future__ import annotations

import math
from decimal import Decimal

from pcmd.reports.dashboards.maps import (
    HEIGHT,
    MARGIN,
    WIDTH,
    MapPoint,
    band_of,
    map_bands,
    map_place,
    map_svg,
)


def test_north_is_up_and_east_is_right() -> None:
    (south, north, east) = map_place([(19.0, 105.0), (20.0, 105.0), (19.0, 106.0)])
    assert north[1] < south[1]  # a larger latitude is drawn higher (smaller y)
    assert east[0] > south[0]


def test_a_degree_of_longitude_is_drawn_cos_latitude_as_wide_as_one_of_latitude() -> None:
    lat = 60.0
    points = map_place([(lat, 10.0), (lat + 1, 10.0), (lat, 11.0)])
    tall = abs(points[1][1] - points[0][1])
    wide = abs(points[2][0] - points[0][0])
    shrink = math.cos(math.radians(lat + 1 / 3))  # the mean latitude of the three points
    assert math.isclose(wide / tall, shrink, rel_tol=1e-9)


def test_every_point_lies_inside_the_margin_and_the_drawing_is_centred() -> None:
    coords = [(19.8, 105.7), (19.9, 105.8), (20.1, 105.75), (19.7, 105.9)]
    points = map_place(coords)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    assert min(xs) >= MARGIN - 1e-9 and max(xs) <= WIDTH - MARGIN + 1e-9
    assert min(ys) >= MARGIN - 1e-9 and max(ys) <= HEIGHT - MARGIN + 1e-9
    # The longer side fills the inner box exactly; the drawing is centred on both axes.
    assert math.isclose(max(ys) - min(ys), HEIGHT - 2 * MARGIN) or math.isclose(
        max(xs) - min(xs), WIDTH - 2 * MARGIN
    )
    assert math.isclose((max(xs) + min(xs)) / 2, WIDTH / 2)
    assert math.isclose((max(ys) + min(ys)) / 2, HEIGHT / 2)


def test_one_place_sits_in_the_middle() -> None:
    assert map_place([(19.87, 105.79)]) == [(WIDTH / 2, HEIGHT / 2)]
    assert map_place([]) == []


def test_bands_split_zero_to_the_largest_value_in_four() -> None:
    top = Decimal(40)
    assert [band_of(Decimal(v), top) for v in (0, 1, 10, 11, 30, 40)] == [0, 1, 1, 2, 3, 4]
    assert band_of(None, top) is None
    labels = [b.label for b in map_bands(Decimal(50), percent=True)]
    assert labels == [
        "Không có (0)", "Trên 0% đến 12,5%", "Trên 12,5% đến 25%", "Trên 25% đến 37,5%",
        "Trên 37,5% đến 50%",
    ]  # fmt: skip


def test_counts_have_whole_bands() -> None:
    labels = [b.label for b in map_bands(Decimal(40), percent=False, whole=True)]
    assert labels == [
        "Không có (0)", "Từ 1 đến 10", "Từ 11 đến 20", "Từ 21 đến 30", "Từ 31 đến 40",
    ]  # fmt: skip
    # A largest value of 2: bands of one, and only as many as there are values.
    assert [b.label for b in map_bands(Decimal(2), percent=False, whole=True)] == [
        "Không có (0)", "1", "2",
    ]  # fmt: skip
    assert [band_of(Decimal(v), Decimal(2), whole=True) for v in (0, 1, 2)] == [0, 1, 2]


def test_the_svg_escapes_names_and_shows_every_value_as_text() -> None:
    point = MapPoint(1, "Xã <A&B>", 10.0, 20.0, Decimal(3), "3", 2, "/?unit=1")
    svg = str(map_svg([point], title="Bản đồ"))
    assert "Xã &lt;A&amp;B&gt;: 3" in svg and ">3</text>" in svg
    assert 'class="map-dot map-b2"' in svg and 'href="/?unit=1"' in svg
    assert "style=" not in svg and "<script" not in svg
