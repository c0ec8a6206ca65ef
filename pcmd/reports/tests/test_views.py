"""The report pages: list, children's status, create, the report with its forms."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.reports import services
from pcmd.reports.models import Report
from pcmd.reports.tests.factories import (
    HOANG_HOA,
    HOANG_HOP,
    NARRATIVE,
    coordinator,
    leader,
    make_report,
    unit,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 4])
def test_report_list_query_count_does_not_grow_with_reports(
    client: Client, django_assert_num_queries, n: int
) -> None:  # type: ignore[no-untyped-def]
    user = coordinator()
    for year in range(2021, 2021 + n):
        make_report(period=f"{year}S1")
    client.force_login(user)
    # session, user (its unit joined in), the reports (units and plans joined), the bell, the
    # capability check of the "create" button, and the session's expiry pushed forward.
    with django_assert_num_queries(7):
        response = client.get(reverse("reports:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Đang soạn") == n


@pytest.mark.parametrize("reports", [0, 3])
def test_children_status_query_count_does_not_grow_with_children_reports(
    client: Client, django_assert_num_queries, reports: int
) -> None:  # type: ignore[no-untyped-def]
    from pcmd.common.periods import period_parse
    from pcmd.reports.builder import report_children

    children = report_children(unit(HOANG_HOA), period_parse("2025S1"))
    for child in children[:reports]:
        make_report(org_unit=child, period="2025S1", status="submitted")
    client.force_login(leader())
    with django_assert_num_queries(8):  # the user's unit comes with the user
        response = client.get(reverse("reports:children"), {"period": "2025S1"})
    html = response.content.decode()
    assert "Xã Hoằng Hợp" in html and html.count("Chưa lập") == len(children) - reports
    assert "Trễ" in html  # the due date (15/07/2025) is long past


def test_create_and_write_without_javascript(client: Client) -> None:
    user = coordinator()
    client.force_login(user)
    response = client.post(reverse("reports:create"), {"period": "2025S1"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:detail", args=[report.pk]
    )
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "I. Tình hình" in page and "Số hoạt động tuyên truyền" in page
    data = {**NARRATIVE, "version": report.version, "signing_mode": "TM."}
    response = client.post(reverse("reports:save", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.strengths == NARRATIVE["strengths"]
    stale = client.post(reverse("reports:save", args=[report.pk]), {**data, "strengths": "x"})
    assert stale.status_code == 409 and "người khác sửa" in stale.content.decode()


def test_autosave_with_htmx_answers_a_status_partial(client: Client) -> None:
    user = coordinator()
    report = services.report_create(acting_user=user, unit=unit(HOANG_HOP), period="2025S1")
    client.force_login(user)
    response = client.post(
        reverse("reports:save", args=[report.pk]),
        {"strengths": "Đã làm tốt", "version": report.version, "signing_mode": "TM."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Đã lưu lúc" in response.content.decode()
    assert f'value="{report.version + 1}"' in response.content.decode()
    stale = client.post(
        reverse("reports:save", args=[report.pk]),
        {"strengths": "Bản cũ", "version": report.version, "signing_mode": "TM."},
        HTTP_HX_REQUEST="true",
    )
    html = stale.content.decode()
    assert "người khác sửa" in html and "hx-swap-oob" not in html  # the old version stays
    report.refresh_from_db()
    assert report.strengths == "Đã làm tốt"


def test_submit_with_empty_sections_shows_the_message(client: Client) -> None:
    user = coordinator()
    report = services.report_create(acting_user=user, unit=unit(HOANG_HOP), period="2025S1")
    client.force_login(user)
    response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 422
    assert "Chưa gửi được" in response.content.decode()


def test_the_leader_above_sees_review_forms_others_are_refused(client: Client) -> None:
    user = coordinator()
    report = make_report(status="submitted", submitted_at=None)
    client.force_login(leader())
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Duyệt báo cáo" in page and "Trả lại để sửa" in page
    response = client.post(reverse("reports:return", args=[report.pk]), {"comment": ""})
    assert response.status_code == 422
    response = client.post(reverse("reports:approve", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    client.force_login(user)
    assert client.post(reverse("reports:approve", args=[report.pk])).status_code == 403


def test_frozen_report_says_when_live_figures_differ(client: Client) -> None:
    from pcmd.reports.tests.factories import event

    user = coordinator()
    report = services.report_create(acting_user=user, unit=unit(HOANG_HOP), period="2025S1")
    services.report_save_narrative(
        acting_user=user, report=report, data=NARRATIVE, expected_version=report.version
    )
    services.report_submit(acting_user=user, report=report, today=date(2025, 7, 2))
    event(unit(HOANG_HOP), date(2025, 3, 3))
    client.force_login(user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:differences", args=[report.pk]) in page  # asked after loading
    note = client.get(reverse("reports:differences", args=[report.pk])).content.decode()
    assert "Số liệu hiện tại đã khác số liệu đã chốt ở 2 chỉ tiêu" in note  # events, people
    assert "Số hoạt động tuyên truyền: đã chốt 0, hiện tại 1" in note
    page = client.get(reverse("reports:detail", args=[report.pk]), {"check": "1"})
    assert "đã khác số liệu đã chốt" in page.content.decode()  # without JavaScript


def test_a_report_created_by_the_system_shows_its_history(client: Client) -> None:
    """Regression: a report made with no acting user (the reminders, `pcmd loadtest`) has a
    history line without a user, and the page failed on it with a server error."""
    report = services.report_create(acting_user=None, unit=unit(HOANG_HOP), period="2025S1")
    client.force_login(coordinator())
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    assert "hệ thống" in response.content.decode()


def test_a_draft_says_when_its_figures_were_built_and_builds_them_again_on_request(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcmd.reports import selectors

    seen: list[bool] = []
    read = selectors.report_content

    def spied(report: Report, **kwargs: object) -> object:
        seen.append(bool(kwargs.get("fresh")))
        return read(report, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "report_content", spied)
    report = make_report()
    client.force_login(coordinator())
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Tính lúc " in page and 'href="?fresh=1"' in page
    client.get(reverse("reports:detail", args=[report.pk]), {"fresh": "1"})
    assert seen == [False, True]
