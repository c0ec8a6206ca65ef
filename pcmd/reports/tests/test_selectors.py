"""Reading reports: the children's status with lateness, the document's particulars."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from pcmd.reports.models import Report
from pcmd.reports.selectors import children_status, document_title, report_document
from pcmd.reports.tests.factories import (
    HOANG_HOA,
    HOANG_HOP,
    NARRATIVE,
    OLD_AN_GIANG,
    coordinator,
    event,
    make_report,
    unit,
)

pytestmark = pytest.mark.django_db


def test_children_status_shows_not_started_and_lateness_against_the_due_date() -> None:
    make_report(
        status="submitted",
        due_on=date(2025, 7, 15),
        submitted_at=timezone.make_aware(datetime(2025, 7, 18, 9)),
    )
    rows = children_status(unit=unit(HOANG_HOA), period="2025S1", today=date(2025, 7, 20))
    mine = next(r for r in rows if r.unit.code == HOANG_HOP)
    assert mine.status == "submitted" and mine.late and mine.days_late == 3
    others = [r for r in rows if r.unit.code != HOANG_HOP]
    assert others and all(r.status == "not_started" and r.days_late == 5 for r in others)
    early = children_status(unit=unit(HOANG_HOA), period="2025S1", today=date(2025, 7, 10))
    assert not any(r.late for r in early if r.status == "not_started")


def test_titles_by_kind() -> None:
    half = make_report(period="2025S1")
    assert document_title(half) == (
        "Kết quả công tác phòng, chống mại dâm 6 tháng đầu năm 2025 và phương hướng, "
        "nhiệm vụ 6 tháng cuối năm"
    )
    year = Report(org_unit=half.org_unit, period="2025", kind="year")
    assert document_title(year) == (
        "Kết quả công tác phòng, chống mại dâm năm 2025, phương hướng, nhiệm vụ năm 2026"
    )
    review = Report(org_unit=unit(OLD_AN_GIANG), period="2016-2020", kind="final")
    assert document_title(review) == (
        "Tổng kết 05 năm thực hiện Chương trình phòng, chống mại dâm giai đoạn 2016-2020"
    )


def test_report_document_fills_the_particulars() -> None:
    report = make_report(period="2025S1", signing_mode="KT.")
    document = report_document(report, today=date(2025, 7, 2))
    assert document.issuer == "ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP"
    assert document.place == "Hoằng Hợp"
    assert document.recipients == ["UBND huyện Hoằng Hóa (b/c)", "Lưu: VT"]
    assert document.signing_mode == "KT." and document.signer_title == "PHÓ CHỦ TỊCH"
    assert document.draft and document.narrative.strengths.startswith("Công tác")
    assert document.preamble.endswith("báo cáo kết quả như sau:")
    assert document.content.period == "2025S1"


def test_a_plan_issued_by_a_decision_is_cited_as_attached_to_it() -> None:
    """An Giang's plan is the annex of Quyết định 1994/QĐ-UBND: not "Kế hoạch số 1994/QĐ"."""
    from pcmd.plans.tests.factories import make_plan

    plan = make_plan(
        org_unit=unit(OLD_AN_GIANG), kind="decision", number="1994/QĐ-UBND",
        period_start=2016, period_end=2020,
    )  # fmt: skip
    review = Report(org_unit=plan.org_unit, period="2016-2020", kind="final", plan=plan)
    assert document_title(review) == (
        "Tổng kết 05 năm thực hiện Kế hoạch ban hành kèm theo Quyết định số 1994/QĐ-UBND "
        "về phòng, chống mại dâm giai đoạn 2016-2020"
    )
    own = make_plan(number="39/KH-UBND")
    half = Report(org_unit=own.org_unit, period="2025S1", kind="half", plan=own)
    assert report_document(half, today=date(2025, 7, 2)).preamble.startswith(
        "Thực hiện Kế hoạch số 39/KH-UBND, UBND xã Hoằng Hợp báo cáo"
    )


# --- the live content of a draft, kept between reads ---------------------------------------


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from pcmd.reports import selectors

    calls: list[int] = []
    build = selectors.report_content_build

    def counted(**kwargs: object) -> object:
        calls.append(1)
        return build(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "report_content_build", counted)
    return calls


def _events_shown(content: object) -> tuple[object, object]:
    figure = content.figures()["outreach-events"]  # type: ignore[attr-defined]
    return figure.numerator, figure.last_year


def test_a_drafts_live_figures_are_kept_a_few_minutes_and_built_anew_on_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.cache import caches

    from pcmd.reports.selectors import LIVE_CONTENT_KEEP_SECONDS, report_content

    cache = caches["pages"]

    commune = unit(HOANG_HOP)
    event(commune, date(2025, 3, 1))
    report = make_report()
    builds = _builds(monkeypatch)
    kept: list[int] = []
    cache_set = cache.set
    monkeypatch.setattr(cache, "set", lambda k, v, t: (kept.append(t), cache_set(k, v, t)))
    day = date(2025, 7, 1)

    first = report_content(report, today=day)
    event(commune, date(2025, 3, 2))
    again = report_content(report, today=day)
    assert len(builds) == 1 and again.built_at == first.built_at
    assert _events_shown(again) == _events_shown(first) and kept == [LIVE_CONTENT_KEEP_SECONDS]
    # "Tính lại ngay" shows the new record at once, and is what the next reads get.
    fresh = report_content(report, today=day, fresh=True)
    assert _events_shown(fresh)[0] == _events_shown(first)[0] + 1
    assert report_content(report, today=day).built_at == fresh.built_at and len(builds) == 2
    assert (
        caches["default"].get(f"pcmd:report-live:{report.pk}:{report.version}:None:{day}") is None
    )
    # Another day, a new version of the report (a saved narrative): built anew.
    report_content(report, today=date(2025, 7, 2))
    report.version += 1
    report_content(report, today=day)
    assert len(builds) == 4


def test_old_figures_are_rebuilt_by_one_request_while_the_others_show_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import timedelta

    from django.core.cache import caches
    from django.utils import timezone

    from pcmd.reports import selectors
    from pcmd.reports.selectors import LIVE_CONTENT_SECONDS, _live_key, report_content

    commune = unit(HOANG_HOP)
    event(commune, date(2025, 3, 1))
    report = make_report()
    builds = _builds(monkeypatch)
    day = date(2025, 7, 1)
    first = report_content(report, today=day)
    assert len(builds) == 1
    later = timezone.now() + timedelta(seconds=LIVE_CONTENT_SECONDS + 1)
    monkeypatch.setattr(selectors.timezone, "now", lambda: later)
    lock = f"{_live_key(report, day)}:building"
    # Another request is rebuilding: this one shows the kept figures, and says how old.
    caches["pages"].add(lock, 1, 60)
    shown = report_content(report, today=day)
    assert len(builds) == 1 and shown.built_at == first.built_at
    # Nobody is: this request rebuilds, and lets go of the lock.
    caches["pages"].delete(lock)
    event(commune, date(2025, 3, 2))
    rebuilt = report_content(report, today=day)
    assert len(builds) == 2 and _events_shown(rebuilt)[0] == _events_shown(first)[0] + 1
    assert caches["pages"].get(lock) is None


def test_a_first_reader_waits_for_a_build_under_way_instead_of_building_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.cache import caches

    from pcmd.reports import selectors
    from pcmd.reports.content import content_to_json
    from pcmd.reports.selectors import _live_key, report_content

    report = make_report()
    day = date(2025, 7, 1)
    key = _live_key(report, day)
    built = selectors.report_content_build(
        unit=report.org_unit, period=report.period, plan=report.plan, today=day
    )
    builds = _builds(monkeypatch)
    caches["pages"].add(f"{key}:building", 1, 60)
    # The other build finishes while this reader waits (its first pause).
    monkeypatch.setattr(
        selectors.time, "sleep",
        lambda _s: caches["pages"].set(key, content_to_json(built), 60),
    )  # fmt: skip
    assert report_content(report, today=day).built_at == built.built_at and builds == []


def test_a_submitted_report_shows_what_was_frozen_not_the_kept_draft() -> None:
    from pcmd.reports import services
    from pcmd.reports.selectors import report_content

    commune = unit(HOANG_HOP)
    report = make_report(**NARRATIVE)
    draft = report_content(report)
    event(commune, date(2025, 3, 2))
    services.report_submit(acting_user=coordinator(), report=report)
    report.refresh_from_db()
    frozen = report_content(report)
    assert _events_shown(frozen)[0] == _events_shown(draft)[0] + 1


def test_children_overdue_counts_what_the_status_table_shows_late_and_unsent() -> None:
    from pcmd.common.periods import period_parse
    from pcmd.reports.builder import report_children
    from pcmd.reports.selectors import children_overdue, children_status
    from pcmd.reports.tests.factories import HOANG_HOA

    district, period, today = unit(HOANG_HOA), period_parse("2025S1"), date(2025, 8, 1)
    children = report_children(district, period)
    assert len(children) >= 4
    make_report(org_unit=children[0], status="submitted")  # sent: never counted
    make_report(org_unit=children[1], due_on=date(2025, 8, 30))  # a later deadline: not yet
    make_report(org_unit=children[2], status="returned")  # back with the commune, past due
    rows = children_status(unit=district, period=period, today=today)
    shown = [r for r in rows if r.late and r.status not in ("submitted", "approved")]
    assert children_overdue(unit=district, period=period, today=today) == (len(shown), len(rows))
    assert len(shown) == len(children) - 2
    # Before the due date, none.
    assert children_overdue(unit=district, period=period, today=date(2025, 7, 1))[0] == 0
