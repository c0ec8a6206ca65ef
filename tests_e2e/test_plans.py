"""A commune officer reads, exports and imports a plan in the browser."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, login, open_menu
from playwright.sync_api import Page, expect

SEED = ROOT / "pcmd" / "plans" / "fixtures" / "seeds" / "hoang_hop_2025.txt"


def test_officer_reads_the_demo_plan_and_downloads_it_as_docx(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    login(page, server_url, "hoanghop")
    open_menu(page)
    page.locator("nav a", has_text="Kế hoạch").first.click()
    expect(page.locator("main")).to_contain_text("Phòng, chống mại dâm trên địa xã Hoàng Hợp")
    page.locator("main a", has_text="Phòng, chống mại dâm trên địa xã Hoàng Hợp").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Chỉ tiêu")
    expect(main).to_contain_text("80%")
    expect(main).to_contain_text("Công an xã Hoằng Hợp")
    with page.expect_download() as info:
        page.locator("main a", has_text="DOCX").first.click()
    saved = tmp_path / "plan.docx"
    info.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"


def test_officer_imports_a_pasted_plan_through_the_preview(page: Page, server_url: str) -> None:
    login(page, server_url, "hoanghop")
    page.goto(f"{server_url}/plans/import/")
    page.fill("textarea[name=text]", SEED.read_text(encoding="utf-8"))
    page.locator("main form button[type=submit]", has_text="Đọc văn bản").click()
    expect(page).to_have_url(re.compile(r"/plans/import/preview/"))
    expect(page.locator("main")).to_contain_text("Ít nhất 80% số thôn")
    page.locator("button[value=confirm]").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("main")).to_contain_text("Nhiệm vụ và giải pháp")


def test_province_officer_cannot_open_a_commune_plan_of_another_province(
    page: Page, server_url: str
) -> None:
    login(page, server_url, "hoanghop")
    page.goto(f"{server_url}/plans/")
    href = page.locator("main a", has_text="Phòng, chống mại dâm trên địa xã Hoàng Hợp").first
    url = href.get_attribute("href")
    page.locator("form[action$='/accounts/logout/'] button").first.click()
    login(page, server_url, "angiang")
    response = page.goto(f"{server_url}{url}")
    assert response is not None and response.status == 404
