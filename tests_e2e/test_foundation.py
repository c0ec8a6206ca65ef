"""The foundation as a commune officer meets it: log in, see the unit, search the tree, log out."""

from __future__ import annotations

import re

from conftest import login
from playwright.sync_api import Page, expect


def test_login_page_lists_demo_users_in_vietnamese(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_contain_text("Đăng nhập")
    expect(page.locator("body")).to_contain_text("hoanghop")
    expect(page.locator("body")).to_contain_text("pcmd-demo")


def test_commune_officer_sees_home_searches_tree_and_logs_out(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanghop")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main")).to_contain_text("Xã Hoằng Hợp")
    expect(page.locator("nav")).to_contain_text("Trang chủ")
    expect(page.locator("main")).to_contain_text("Công chức Văn hóa - Xã hội xã Hoằng Hợp")

    page.goto(f"{server_url}/orgunits/")
    search = page.locator("input[type=search]").first
    search.fill("hoang hop")
    expect(page.locator("main")).to_contain_text("Xã Hoằng Hợp", timeout=5000)

    page.locator("form[action$='/accounts/logout/'] button").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{server_url}/orgunits/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_password_is_refused_with_a_vietnamese_message(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanghop", password="not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("main")).to_contain_text(re.compile(r"không đúng|sai", re.I))


def test_province_officer_finds_a_commune_by_name_without_diacritics(
    page: Page, server_url: str
) -> None:
    login(page, server_url, "thanhhoa")
    page.goto(f"{server_url}/orgunits/")
    page.locator("input[type=search]").first.fill("hoang giang")
    results = page.locator("main")
    expect(results).to_contain_text("Xã Hoằng Giang", timeout=5000)


def test_commune_officer_cannot_open_an_giang(page: Page, server_url: str) -> None:
    login(page, server_url, "angiang")
    page.goto(f"{server_url}/orgunits/")
    page.locator("input[type=search]").first.fill("long xuyen")
    link = page.locator("main a", has_text="Long Xuyên").first
    expect(link).to_be_visible(timeout=5000)
    an_giang_url = link.get_attribute("href")
    page.locator("form[action$='/accounts/logout/'] button").first.click()

    login(page, server_url, "hoanghop")
    response = page.goto(f"{server_url}{an_giang_url}")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("Long Xuyên")


def test_phone_menu_folds_behind_a_button_and_opens(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanghop")
    link = page.locator("nav a", has_text="Đơn vị hành chính")
    expect(link).to_be_hidden()
    page.locator(".nav-toggle").click()
    expect(link).to_be_visible()
    expect(page.locator(".nav-toggle")).to_have_attribute("aria-expanded", "true")
