"""The reports API: the same scope, capabilities and refusals as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from pcmd.reports.models import Report
from pcmd.reports.tests.factories import (
    NARRATIVE,
    OLD_AN_GIANG,
    coordinator,
    leader,
    make_report,
)

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_workflow_through_the_api() -> None:
    writer = _client(coordinator())
    created = writer.post("/api/reports/", {"period": "2025S1"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    refused = writer.post(f"/api/reports/{pk}/submit/")
    assert refused.status_code == 400 and "Chưa gửi được" in str(refused.json())
    saved = writer.post(f"/api/reports/{pk}/narrative/", {**NARRATIVE, "version": 1}, format="json")
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = writer.post(f"/api/reports/{pk}/narrative/", {"strengths": "x", "version": 1})
    assert stale.status_code == 409
    assert writer.post(f"/api/reports/{pk}/submit/").json()["status"] == "submitted"
    assert writer.post(f"/api/reports/{pk}/approve/").status_code == 403
    boss = _client(leader())
    returned = boss.post(f"/api/reports/{pk}/return/", {"comment": "Bổ sung"}, format="json")
    assert returned.json()["status"] == "returned"
    detail = boss.get(f"/api/reports/{pk}/").json()
    assert detail["content"]["period"] == "2025S1"


def test_reports_outside_the_scope_are_not_found() -> None:
    other = make_report(code=OLD_AN_GIANG, period="2019")
    mine = make_report(period="2025S1")
    client = _client(coordinator())
    ids = [r["id"] for r in client.get("/api/reports/").json()["results"]]
    assert mine.pk in ids and other.pk not in ids
    assert client.get(f"/api/reports/{other.pk}/").status_code == 404
    assert Report.objects.count() == 2


@pytest.mark.parametrize("raw", ["²", "99999999999999999999999", "-1", "abc"])
def test_an_odd_unit_filter_filters_nothing_instead_of_failing(raw: str) -> None:
    """ "²".isdigit() is true yet int("²") fails; a number past the database's integer
    overflowed the query. Both are simply not a unit id."""
    report = make_report()
    client = _client(coordinator())
    response = client.get("/api/reports/", {"org_unit": raw})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [report.pk]
