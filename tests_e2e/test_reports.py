"""The whole reporting journey, in the browser, as the people who do it.

A commune officer records an awareness event and sees the dashboard move; writes the
six-month report and submits it; the province leader returns it with a comment; the officer
corrects it and submits again; the leader approves it; the province officer sees the
children's status, consolidates, and downloads the DOCX, which reads as the office's report.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import ARTIFACTS, login
from docx import Document
from playwright.sync_api import Browser, Page, expect

PERIOD = "2026S1"
COMMUNE = "hoanggiang"  # Xã Hoằng Giang, a coordinator
PROVINCE_LEADER = "thanhhoa.lanhdao"  # Tỉnh Thanh Hóa, the level above since 1/7/2025
PROVINCE = "thanhhoa"  # the province's coordinator
NARRATIVE = {
    "strengths": "Các thôn tổ chức tuyên truyền đều đặn; đài truyền thanh phát hằng tuần.",
    "shortcomings": "Chưa kiểm tra hết các cơ sở lưu trú mới mở.",
    "next_tasks": "Kiểm tra toàn bộ cơ sở lưu trú trong 6 tháng cuối năm.",
    "recommendations": "Đề nghị tỉnh tổ chức tập huấn cho cán bộ xã mới sáp nhập.",
}


@contextmanager
def as_user(browser: Browser, server_url: str, username: str, name: str) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", accept_downloads=True
    )
    context.set_default_timeout(60_000)  # a province's live figures are built on the page
    page = context.new_page()
    try:
        login(page, server_url, username)
        yield page
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)
        context.close()


def _activities_this_period(page: Page, server_url: str) -> int:
    page.goto(f"{server_url}/?period={PERIOD}")
    caption = page.locator("figure.dash-trend figcaption", has_text="tuyên truyền").first
    found = re.search(r"kỳ này ([\d.]+)", caption.inner_text())
    assert found, caption.inner_text()
    return int(found.group(1).replace(".", ""))


def _status(page: Page) -> str:
    return page.locator("main .lead .badge").inner_text()


def test_report_journey_from_record_to_consolidated_docx(browser: Browser, server_url: str) -> None:
    # 1. The commune officer records an event; the dashboard counts it.
    with as_user(browser, server_url, COMMUNE, "1-officer") as page:
        before = _activities_this_period(page, server_url)
        page.goto(f"{server_url}/outreach/new/")
        page.fill("input[name=date]", "2026-05-12")
        page.select_option("select[name=form]", "meeting")
        page.fill("textarea[name=topic]", "Họp dân thôn Trung Chính về phòng, chống mại dâm")
        page.fill("input[name=participants]", "60")
        page.locator("main form button[type=submit]", has_text="Lưu").click()
        expect(page.locator("main")).to_contain_text("Họp dân thôn Trung Chính")
        assert _activities_this_period(page, server_url) == before + 1

        # 2. The six-month report: created, refused while empty, written, submitted.
        page.goto(f"{server_url}/reports/new/")
        page.fill("input[name=period]", PERIOD)
        page.locator("main form button[type=submit]", has_text="Tạo báo cáo").click()
        expect(page.locator("main h1")).to_contain_text("6 tháng đầu năm 2026")
        report_url = page.url
        expect(page.locator("main")).to_contain_text("Số liệu dưới đây lấy trực tiếp")
        page.locator("button", has_text="Gửi báo cáo lên cấp trên").click()
        expect(page.locator("main [role=alert]")).to_contain_text("Ưu điểm")
        assert _status(page) == "Đang soạn"
        for name, text in NARRATIVE.items():
            page.fill(f"textarea[name={name}]", text)
        page.locator("main form button", has_text=re.compile(r"^Lưu$")).click()
        expect(page.locator("textarea[name=strengths]")).to_have_value(NARRATIVE["strengths"])
        page.locator("button", has_text="Gửi báo cáo lên cấp trên").click()
        expect(page.locator("main .lead .badge")).to_have_text("Đã gửi")
        expect(page.locator("main")).to_contain_text("Số liệu đã được chốt")

    # 3. The province leader returns it with a comment.
    with as_user(browser, server_url, PROVINCE_LEADER, "2-leader-returns") as page:
        page.goto(report_url)
        page.fill("textarea[name=comment]", "Bổ sung kết quả kiểm tra cơ sở lưu trú.")
        page.locator("button", has_text="Trả lại để sửa").click()
        expect(page.locator("main .lead .badge")).to_have_text("Bị trả lại")

    # 4. The officer reads the comment, corrects, submits again.
    with as_user(browser, server_url, COMMUNE, "3-officer-corrects") as page:
        page.goto(report_url)
        expect(page.locator("#history")).to_contain_text("Bổ sung kết quả kiểm tra")
        page.fill(
            "textarea[name=shortcomings]",
            NARRATIVE["shortcomings"] + " Đã kiểm tra 3 cơ sở lưu trú trong tháng 6.",
        )
        page.locator("main form button", has_text=re.compile(r"^Lưu$")).click()
        page.locator("button", has_text="Gửi báo cáo lên cấp trên").click()
        expect(page.locator("main .lead .badge")).to_have_text("Đã gửi")

    # 5. The leader approves.
    with as_user(browser, server_url, PROVINCE_LEADER, "4-leader-approves") as page:
        page.goto(report_url)
        page.locator("button", has_text="Duyệt báo cáo").click()
        expect(page.locator("main .lead .badge")).to_have_text("Đã duyệt")

    # 6. The province sees its children's status, consolidates, downloads the DOCX.
    with as_user(browser, server_url, PROVINCE, "5-province-consolidates") as page:
        page.goto(f"{server_url}/reports/children/?period={PERIOD}")
        row = page.locator("main tr", has_text="Xã Hoằng Giang")
        expect(row).to_contain_text("Đã duyệt")
        page.goto(f"{server_url}/reports/new/")
        page.fill("input[name=period]", PERIOD)
        page.locator("main form button[type=submit]", has_text="Tạo báo cáo").click()
        expect(page.locator("main h1")).to_contain_text("6 tháng đầu năm 2026")
        expect(page.locator("main")).to_contain_text("Tổng hợp từ")
        # The children's narratives stand beside the province's own fields.
        expect(page.locator("main")).to_contain_text(NARRATIVE["strengths"])
        with page.expect_download() as download_info:
            page.locator("a", has_text="(.docx)").first.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".docx")
        data = Path(download.path()).read_bytes()

    document = Document(io.BytesIO(data))
    header = document.tables[0]
    left, right = header.rows[0].cells[0].text, header.rows[0].cells[1].text
    assert "ỦY BAN NHÂN DÂN" in left and "THANH HÓA" in left and "BC-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in body and "6 tháng đầu năm 2026" in body
    assert "I. TÌNH HÌNH" in body.upper() and "II. KẾT QUẢ THỰC HIỆN" in body.upper()
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert any("Xã Hoằng Giang" in text for text in cells)  # the annex of the children
    assert any("Nơi nhận" in text for text in cells)
    assert any("TM. ỦY BAN NHÂN DÂN" in text or "KT. CHỦ TỊCH" in text for text in cells)
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
