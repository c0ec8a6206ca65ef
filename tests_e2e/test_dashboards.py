"""A commune officer opens the home page on a phone: target cards, a chart, the map."""

from __future__ import annotations

from conftest import ARTIFACTS, login
from playwright.sync_api import Page, expect


def test_officer_sees_cards_chart_and_map_on_a_phone(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanghop")
    page.goto(f"{server_url}/")
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text("Xã Hoằng Hợp")
    expect(main).to_contain_text("6 tháng đầu năm 2025")
    cards = main.locator(".dash-card")
    expect(cards).to_have_count(9)  # the nine targets of the commune plan
    # Every card says its status in words beside its colour.
    for i in range(9):
        expect(cards.nth(i).locator(".badge")).not_to_be_empty()
    expect(main.locator("svg.dash-chart").first).to_be_visible()
    # The league table and the map arrive after the first paint (htmx).
    expect(main.locator("svg.dash-map")).to_be_visible(timeout=15_000)
    expect(main.locator("table.dash-league tbody tr")).to_have_count(6)  # the villages
    # The numbers behind the chart are a table too.
    main.locator(".dash-trend summary").first.click()
    expect(main.locator(".dash-trend-table").first).to_be_visible()
    # Nothing wider than the phone: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-phone-top.png"))  # what the phone shows first
    main.locator(".dash-trend").first.screenshot(path=str(ARTIFACTS / "dashboard-phone-chart.png"))
    main.locator("#dash-children").screenshot(path=str(ARTIFACTS / "dashboard-phone-map.png"))
