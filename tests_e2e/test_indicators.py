"""A commune officer sees the plan's targets measured from the demo records and drills down."""

from __future__ import annotations

from conftest import login
from playwright.sync_api import Page, expect


def test_officer_evaluates_the_commune_plan_for_the_first_half(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanghop")
    page.goto(f"{server_url}/plans/")
    page.locator("main a", has_text="Phòng, chống mại dâm trên địa xã Hoàng Hợp").first.click()
    page.locator("main a", has_text="Đánh giá chỉ tiêu").first.click()
    page.select_option("#f-period", "2025S1")
    page.locator("main form button[type=submit]", has_text="Xem").click()
    main = page.locator("main")
    expect(main).to_contain_text("tính đến ngày 30/06/2025")
    rows = main.locator("tbody tr")
    expect(rows).to_have_count(9)
    # Every target of the seed is measured: no row is left without an indicator.
    expect(main).not_to_contain_text("Chưa gán chỉ số")
    # Monthly web posts, one month missed in the demo: 5 of 6 months by the end of June.
    posts = rows.filter(has_text="ít nhất một tháng, một lần")
    expect(posts).to_contain_text("5/12")
    # The drill-down of village coverage lists the villages counted.
    rows.first.locator("a").first.click()
    expect(page.locator("main")).to_contain_text("Các đơn vị được tính")
    expect(page.locator("main .badge-achieved").first).to_be_visible()
