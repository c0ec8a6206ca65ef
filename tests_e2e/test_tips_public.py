"""A citizen reports a tip on the anonymous public page with JavaScript off, on a phone, keeps
the receipt code, and comes back with it to see the status; a wrong code reveals nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect


@pytest.fixture
def nojs_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


def test_a_citizen_reports_a_tip_without_javascript(nojs_page: Page, server_url: str) -> None:
    page = nojs_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server_url}/to-giac/")
    expect(page.locator("h1")).to_contain_text("Tố giác")
    page.select_option("select[name=tinh]", label="Tỉnh Thanh Hóa")
    page.locator("main form button[type=submit]", has_text="Chọn tỉnh").click()
    page.select_option("select[name=commune]", label="Xã Hoằng Giang")
    page.fill("textarea[name=content]", "Quán karaoke ven đê có gái bán dâm sau 22 giờ.")
    page.locator("main form button[type=submit]", has_text="Gửi tin báo").click()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"(\d{4}-){5}\d{4}", code)
    expect(page.locator("#receipt-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    assert all(u.startswith(server_url) for u in requests), requests

    page.goto(f"{server_url}/to-giac/tra-cuu/")
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]", has_text="Tra cứu").click()
    expect(page.locator("main")).to_contain_text("Đã tiếp nhận")
    page.fill("textarea[name=body]", "Thường vào tối thứ Bảy.")
    page.locator("main form button[type=submit]", has_text="Gửi tin nhắn").click()
    expect(page.locator("main")).to_contain_text("Thường vào tối thứ Bảy.")

    page.goto(f"{server_url}/to-giac/tra-cuu/")
    page.fill("input[name=code]", "1111-2222-3333-4444-5555-6666")
    page.locator("main form button[type=submit]", has_text="Tra cứu").click()
    expect(page.locator("main")).to_contain_text("Mã tra cứu không đúng")
    expect(page.locator("main")).not_to_contain_text("Đã tiếp nhận")
