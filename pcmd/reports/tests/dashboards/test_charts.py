"""The server-drawn trend chart: an axis that reads easily, numbers as text, no script."""

from __future__ import annotations

from decimal import Decimal

from pcmd.reports.dashboards.charts import Bar, Series, nice_ceiling, trend_svg


def test_the_axis_ends_on_a_round_number() -> None:
    cases = {0: 1, 1: 1, 3: 5, 7: 10, 12: 20, 23: 25, 180: 200, 260: 500}
    assert {k: nice_ceiling(Decimal(k)) for k in cases} == {k: Decimal(v) for k, v in cases.items()}


def test_bars_carry_their_numbers_and_a_suppressed_value_draws_no_bar() -> None:
    now = Series("Kỳ này", [Bar("T1", Decimal(4), "4"), Bar("T2", None, "<5")], "now")
    before = Series(
        "Cùng kỳ năm trước", [Bar("T1", Decimal(2), "2"), Bar("T2", Decimal(0), "0")], "before"
    )  # noqa: E501
    svg = str(trend_svg([now, before], title="Hoạt động", labels=["T1", "T2"]))
    assert svg.count('class="chart-bar chart-now"') == 1 + 1  # one bar and the legend's swatch
    assert svg.count('class="chart-bar chart-before"') == 2 + 1
    assert ">&lt;5</text>" in svg and ">4</text>" in svg
    assert "Kỳ này</text>" in svg and "Cùng kỳ năm trước</text>" in svg
    assert "style=" not in svg and "<script" not in svg
