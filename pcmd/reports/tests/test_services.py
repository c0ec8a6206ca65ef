"""The workflow: who writes, who reviews, freezing, refusals that change nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pcmd.accounts.models import AuditEvent
from pcmd.common.records import StaleRecord
from pcmd.plans.tests.factories import make_plan
from pcmd.reports import services
from pcmd.reports.models import Report, ReportEvent
from pcmd.reports.tests.factories import (
    HOANG_HOA,
    HOANG_HOP,
    NARRATIVE,
    THANH_HOA,
    coordinator,
    event,
    leader,
    unit,
)

pytestmark = pytest.mark.django_db
TODAY = date(2025, 7, 5)


def _draft(user=None, **kw):  # type: ignore[no-untyped-def]
    user = user or coordinator()
    return services.report_create(acting_user=user, unit=unit(HOANG_HOP), period="2025S1", **kw)


def test_create_takes_the_kind_from_the_period_and_is_audited() -> None:
    report = _draft()
    assert report.kind == Report.Kind.HALF and report.status == Report.Status.DRAFT
    assert report.due_on == date(2025, 7, 15)
    assert report.place == "Hoằng Hợp"
    assert list(report.events.values_list("kind", flat=True)) == ["created"]
    assert AuditEvent.objects.filter(
        object_type="reports.report", object_id=str(report.pk)
    ).exists()


def test_a_period_outside_the_plan_is_refused_and_nothing_is_written() -> None:
    plan = make_plan(period_start=2025, period_end=2025)
    with pytest.raises(ValidationError) as info:
        services.report_create(
            acting_user=coordinator(), unit=unit(HOANG_HOP), period="2024S1", plan=plan
        )
    assert "ngoài thời gian của kế hoạch" in str(info.value)
    assert not Report.objects.exists()


def test_a_bad_period_and_a_duplicate_are_refused_in_vietnamese() -> None:
    user = coordinator()
    with pytest.raises(ValidationError, match="không phải là kỳ hợp lệ"):
        services.report_create(acting_user=user, unit=unit(HOANG_HOP), period="2025X")
    _draft(user)
    with pytest.raises(ValidationError, match="đã có báo cáo"):
        _draft(user)


def test_only_the_units_own_writers_create_and_save() -> None:
    with pytest.raises(PermissionDenied):
        _draft(coordinator(code=HOANG_HOA, username="huyen"))
    with pytest.raises(PermissionDenied):
        _draft(leader(code=HOANG_HOP, username="lanhdao-xa"))


def test_autosave_checks_the_version_and_refuses_a_stale_save() -> None:
    user = coordinator()
    report = _draft(user)
    version = report.version
    services.report_save_narrative(
        acting_user=user, report=report, data={"strengths": "Tốt"}, expected_version=version
    )
    stale = Report.objects.get(pk=report.pk)
    with pytest.raises(StaleRecord):
        services.report_save_narrative(
            acting_user=user, report=stale, data={"strengths": "Khác"}, expected_version=version
        )
    assert Report.objects.get(pk=report.pk).strengths == "Tốt"


def test_submit_lists_the_empty_required_sections_and_changes_nothing() -> None:
    user = coordinator()
    report = _draft(user)
    with pytest.raises(ValidationError) as info:
        services.report_submit(acting_user=user, report=report, today=TODAY)
    text = str(info.value)
    for label in ("Ưu điểm", "Tồn tại, hạn chế", "Phương hướng", "Đề xuất, kiến nghị"):
        assert label in text
    report.refresh_from_db()
    assert report.status == "draft" and report.content is None


def _submitted(user=None):  # type: ignore[no-untyped-def]
    user = user or coordinator()
    report = _draft(user)
    services.report_save_narrative(
        acting_user=user, report=report, data=NARRATIVE, expected_version=report.version
    )
    return services.report_submit(acting_user=user, report=report, today=TODAY)


def test_submission_freezes_the_figures_and_later_records_do_not_change_them() -> None:
    from pcmd.reports.selectors import report_content

    event(unit(HOANG_HOP), date(2025, 3, 1))
    report = _submitted()
    assert report.status == "submitted" and report.content is not None
    frozen = report_content(report).figures()["outreach-events"].numerator
    event(unit(HOANG_HOP), date(2025, 4, 1))
    report.refresh_from_db()
    assert report_content(report).figures()["outreach-events"].numerator == frozen == 1
    with pytest.raises(ValidationError, match="không sửa được"):
        services.report_save_narrative(
            acting_user=coordinator(username="khac"), report=report, data={"strengths": "x"},
            expected_version=report.version,
        )  # fmt: skip


def test_the_district_leader_returns_with_a_comment_then_approves() -> None:
    boss = leader()
    report = _submitted()
    with pytest.raises(ValidationError, match="ý kiến"):
        services.report_return(acting_user=boss, report=report, comment="  ")
    services.report_return(acting_user=boss, report=report, comment="Bổ sung số liệu kiểm tra")
    report.refresh_from_db()
    assert report.status == "returned"
    user = coordinator(username="canbo2")
    services.report_submit(acting_user=user, report=report, today=TODAY)
    services.report_approve(acting_user=boss, report=report)
    report.refresh_from_db()
    assert report.status == "approved"
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["returned", "submitted", "approved"]
    returned = report.events.get(kind=ReportEvent.Kind.RETURNED)
    assert returned.comment == "Bổ sung số liệu kiểm tra" and returned.user == boss


def test_approving_from_the_wrong_level_is_refused_and_nothing_changes() -> None:
    report = _submitted()
    for wrong in (leader(code=THANH_HOA, username="tinh"), leader(code=HOANG_HOP, username="xa")):
        with pytest.raises(ValidationError, match="Huyện Hoằng Hóa"):
            services.report_approve(acting_user=wrong, report=report)
    report.refresh_from_db()
    assert report.status == "submitted"
    with pytest.raises(PermissionDenied):
        services.report_approve(
            acting_user=coordinator(code=HOANG_HOA, username="h"), report=report
        )


def test_reopening_needs_a_reason_and_is_audited() -> None:
    boss = leader()
    report = _submitted()
    services.report_approve(acting_user=boss, report=report)
    with pytest.raises(ValidationError, match="lý do"):
        services.report_reopen(acting_user=boss, report=report, reason="")
    services.report_reopen(acting_user=boss, report=report, reason="Sai số liệu tiền phạt")
    report.refresh_from_db()
    assert report.status == "draft"
    audit = AuditEvent.objects.filter(object_id=str(report.pk)).order_by("-pk").first()
    assert audit is not None and audit.detail["event"] == "reopened"
    assert audit.detail["comment"] == "Sai số liệu tiền phạt"
