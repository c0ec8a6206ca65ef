from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, OLD_AN_GIANG, make_user, unit
from pcmd.common.records import StaleRecord
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.support import selectors, services
from pcmd.support.models import PilotModel

pytestmark = pytest.mark.django_db


def make_model(**overrides: Any) -> PilotModel:
    values: dict[str, Any] = {
        "org_unit": unit(HOANG_HOP),
        "name": "Mô hình giảm hại",
        "kind": PilotModel.Kind.HARM_REDUCTION_GBV,
        "start_date": date(2025, 2, 1),
        "members": 12,
    }
    values.update(overrides)
    return PilotModel.objects.create(**values)


def test_create_is_audited_and_checks_scope() -> None:
    user = make_user()
    model = services.pilotmodel_create(
        acting_user=user,
        org_unit=unit(HOANG_HOP),
        name="Nhóm đồng đẳng",
        kind="peer_groups",
        start_date=date(2025, 3, 1),
    )
    assert AuditEvent.objects.filter(action="create", object_id=str(model.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.pilotmodel_create(
            acting_user=user,
            org_unit=unit(OLD_AN_GIANG),
            name="X",
            kind="peer_groups",
            start_date=date(2019, 3, 1),
        )


def test_dates_and_closing_are_checked() -> None:
    with pytest.raises(ValidationError) as exc:
        services.pilotmodel_create(
            acting_user=None,
            org_unit=unit(HOANG_HOP),
            name="X",
            kind="peer_groups",
            start_date=date.today() + timedelta(days=2),
        )
    assert "start_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.pilotmodel_create(
            acting_user=None,
            org_unit=unit(HOANG_HOP),
            name="X",
            kind="peer_groups",
            start_date=date(2025, 3, 1),
            status="closed",
        )
    assert "closed_on" in exc.value.message_dict


def test_stale_update_is_refused() -> None:
    model = make_model()
    services.pilotmodel_update(model=model, acting_user=None, expected_version=1, members=20)
    old = PilotModel.objects.get(pk=model.pk)
    with pytest.raises(StaleRecord) as exc:
        services.pilotmodel_update(model=old, acting_user=None, expected_version=1, members=5)
    assert exc.value.current.members == 20


def test_models_built_by_a_date_count_the_subtree() -> None:
    an_giang = unit(OLD_AN_GIANG)
    in_scope = OrgUnitScope.objects.filter(holder=an_giang).values("unit_id")
    place = OrgUnit.objects.get(
        pk=OrgUnit.objects.filter(level="district", pk__in=in_scope).values("pk")[:1]
    )
    make_model(org_unit=place, start_date=date(2017, 5, 1), kind="community_services")
    make_model(org_unit=place, start_date=date(2018, 5, 1), kind="workers_rights",
               status="closed", closed_on=date(2019, 1, 1))  # fmt: skip
    make_model(org_unit=place, start_date=date(2019, 5, 1), kind="peer_groups", status="planned")
    assert selectors.pilotmodels_built(unit=an_giang, on=date(2020, 12, 31)) == 2
    assert selectors.pilotmodels_built(unit=an_giang, on=date(2017, 12, 31)) == 1


def test_pages(client: Client) -> None:
    client.force_login(make_user())
    model = make_model()
    assert client.get(reverse("support:pilotmodel-list")).status_code == 200
    assert client.get(reverse("support:pilotmodel-detail", args=[model.pk])).status_code == 200
    response = client.post(
        reverse("support:pilotmodel-create"),
        {
            "org_unit": unit(HOANG_HOP).pk,
            "name": "Quyền người lao động",
            "kind": "workers_rights",
            "start_date": "2025-04-01",
            "status": "active",
            "members": "5",
            "people_reached": "40",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("support:pilotmodel-edit", args=[model.pk]),
        {"org_unit": unit(HOANG_HOP).pk, "name": "Mới", "kind": "peer_groups",
         "start_date": "2025-02-01", "status": "active", "members": "1", "people_reached": "0",
         "version": "0"},
    )  # fmt: skip
    assert bad.status_code == 422 and "Mô hình giảm hại" in bad.content.decode()
    assert client.post(reverse("support:pilotmodel-delete", args=[model.pk])).status_code == 302


def test_reader_sees_but_cannot_write(client: Client) -> None:
    client.force_login(make_user(role=User.Role.LEADER))
    assert client.get(reverse("support:pilotmodel-list")).status_code == 200
    assert client.get(reverse("support:pilotmodel-create")).status_code == 403


@pytest.mark.urls("pcmd.support.tests.urls_api")
def test_api_crud_and_scope() -> None:
    api = APIClient()
    api.force_authenticate(make_user())
    foreign = make_model(org_unit=unit(OLD_AN_GIANG), start_date=date(2018, 1, 1))
    assert api.get(f"/api/pilot-models/{foreign.pk}/").status_code == 404
    created = api.post(
        "/api/pilot-models/",
        {"org_unit": unit(HOANG_HOP).pk, "name": "API", "kind": "peer_groups",
         "start_date": "2025-01-10"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api.get("/api/pilot-models/?year=2025").json()["count"] == 1
    assert (
        api.patch(
            f"/api/pilot-models/{pk}/", {"members": 3, "version": 1}, format="json"
        ).status_code
        == 200
    )
    assert (
        api.patch(
            f"/api/pilot-models/{pk}/", {"members": 4, "version": 1}, format="json"
        ).status_code
        == 409
    )
    assert api.delete(f"/api/pilot-models/{pk}/").status_code == 204
