"""A commune officer records an awareness activity on a phone and finds it in the list."""

from __future__ import annotations

import re

from conftest import login
from playwright.sync_api import Page, expect


def test_officer_records_an_awareness_activity_on_a_phone(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanggiang")
    page.goto(f"{server_url}/outreach/new/")
    # Defaults: today and the officer's commune.
    expect(page.locator("select[name=commune] option:checked")).to_have_text(
        re.compile("Xã Hoằng Giang")
    )
    page.select_option("select[name=form]", "meeting")
    page.fill("textarea[name=topic]", "Họp dân thôn về phòng, chống mại dâm")
    page.fill("input[name=participants]", "45")
    page.locator("main form button[type=submit]", has_text="Lưu").click()
    expect(page.locator("main")).to_contain_text("Họp dân thôn về phòng, chống mại dâm")
    page.goto(f"{server_url}/outreach/")
    expect(page.locator("main")).to_contain_text("Họp dân thôn về phòng, chống mại dâm")


def test_a_negative_count_is_refused_beside_the_field(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanggiang")
    page.goto(f"{server_url}/outreach/new/")
    page.select_option("select[name=form]", "meeting")
    page.fill("textarea[name=topic]", "Họp dân")
    page.fill("input[name=participants]", "-3")
    page.locator("main form button[type=submit]", has_text="Lưu").click()
    expect(page.locator("main")).to_contain_text(re.compile("âm|không hợp lệ|lớn hơn"))
    # What was typed is kept.
    expect(page.locator("textarea[name=topic]")).to_have_value("Họp dân")
