from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_GIANG, OLD_AN_GIANG
from pcmd.common.records import StaleRecord
from pcmd.orgunits.models import Agency
from pcmd.outreach import services
from pcmd.outreach.models import OutreachEvent
from pcmd.outreach.tests.factories import (
    a_village,
    an_agency,
    coordinator,
    hoang_hop_with_villages,
    make_event,
    make_user,
    unit,
    xlsx_bytes,
)
from pcmd.plans.tests.factories import make_plan, make_task

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 10)


def _create(user: User, **overrides: object) -> OutreachEvent:
    commune = hoang_hop_with_villages()
    values: dict[str, object] = {
        "org_unit": commune, "commune": commune, "date": DAY, "form": "meeting",
        "topic": "Tác hại của mại dâm", "audiences": ["youth"], "participants": 35,
        **overrides,
    }  # fmt: skip
    return services.outreach_event_create(acting_user=user, **values)  # type: ignore[arg-type]


def test_a_data_entry_user_records_an_event_in_a_village_and_it_is_audited() -> None:
    commune = hoang_hop_with_villages()
    village, agency = a_village(commune), an_agency(commune)
    user = make_user(username="nhap", role=User.Role.DATA_ENTRY)
    event = _create(user, org_unit=village, agency=agency, combined_with=["drugs", "drugs"])
    assert event.version == 1 and event.org_unit == village
    assert event.combined_with == ["drugs"]
    assert AuditEvent.objects.filter(action="create", object_id=str(event.pk)).exists()


def test_police_cannot_record_awareness_work() -> None:
    with pytest.raises(PermissionDenied):
        _create(make_user(username="ca", role=User.Role.POLICE))


def test_bad_input_is_refused_field_by_field() -> None:
    user = coordinator()
    other_commune_village = a_village(hoang_hop_with_villages())
    with pytest.raises(ValidationError) as info:
        _create(
            user,
            date=timezone.localdate() + timedelta(days=1),
            form="dance",
            topic=" ",
            participants=-3,
            audiences=["aliens"],
        )
    assert set(info.value.message_dict) >= {"date", "form", "topic", "participants", "audiences"}
    assert "tương lai" in info.value.message_dict["date"][0]
    # A village of Hoằng Hợp given with another commune as "the chosen commune".
    with pytest.raises(ValidationError) as info:
        _create(user, org_unit=other_commune_village, commune=unit("15883", DAY))
    assert "org_unit" in info.value.message_dict


def test_unit_outside_scope_or_not_valid_on_the_date_is_refused() -> None:
    user = coordinator()
    with pytest.raises(ValidationError, match="phạm vi"):
        _create(user, org_unit=unit("15883", DAY), commune=None)
    # Hoằng Hợp ended on 30/06/2025: an event there in August belongs to Hoằng Giang.
    giang_user = make_user(username="hg", unit_code=HOANG_GIANG)
    with pytest.raises(ValidationError, match="hiệu lực"):
        _create(giang_user, date=date(2025, 8, 1))


def test_agency_and_task_must_belong_to_units_covering_the_event() -> None:
    user = coordinator()
    foreign_agency = Agency.objects.create(
        org_unit=unit("15883", DAY), kind=Agency.Kind.POLICE, name="Công an xã Hoằng Phú"
    )
    with pytest.raises(ValidationError) as info:
        _create(user, agency=foreign_agency)
    assert "agency" in info.value.message_dict
    plan = make_plan(org_unit=unit("15883", DAY))
    with pytest.raises(ValidationError) as info:
        _create(user, task=make_task(plan=plan))
    assert "task" in info.value.message_dict
    own_task = make_task(plan=make_plan(org_unit=unit("15919")))
    assert _create(user, task=own_task).task == own_task


def test_a_stale_update_is_refused_and_shows_the_other_version() -> None:
    user = coordinator()
    event = _create(user)
    first = OutreachEvent.objects.get(pk=event.pk)
    second = OutreachEvent.objects.get(pk=event.pk)
    services.outreach_event_update(
        event=first, expected_version=1, acting_user=user, topic="Bản của người thứ nhất"
    )
    with pytest.raises(StaleRecord) as info:
        services.outreach_event_update(
            event=second, expected_version=1, acting_user=user, topic="Bản thứ hai"
        )
    assert info.value.current.topic == "Bản của người thứ nhất"
    assert OutreachEvent.objects.get(pk=event.pk).version == 2
    audit = AuditEvent.objects.get(action="update", object_id=str(event.pk))
    assert audit.detail["fields"] == ["topic"]


def test_delete_is_audited() -> None:
    user = coordinator()
    event = _create(user)
    pk = event.pk
    services.outreach_event_delete(event=event, acting_user=user)
    assert not OutreachEvent.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).exists()


def test_import_writes_every_row() -> None:
    commune = hoang_hop_with_villages()
    village, agency = a_village(commune), an_agency(commune)
    data = xlsx_bytes(
        [
            ["10/03/2025", village.name, "Họp dân, sinh hoạt thôn", "Họp thôn", agency.name,
             "Thanh niên; Phụ nữ", 40, "Phòng, chống ma túy", ""],
            [date(2025, 3, 11), None, "website", "Bài đăng tháng 3", None, None, None, None, None],
        ]
    )  # fmt: skip
    result = services.outreach_events_import(data=data, commune=commune, acting_user=coordinator())
    assert result.ok and result.created == 2
    first, second = OutreachEvent.objects.order_by("date")
    assert first.org_unit == village and first.agency == agency
    assert first.audiences == ["youth", "women"] and first.combined_with == ["drugs"]
    assert second.org_unit == commune and second.participants is None
    assert AuditEvent.objects.filter(action="import", object_id=str(commune.pk)).exists()


def test_import_of_10000_bad_rows_writes_nothing_and_lists_every_row() -> None:
    commune = hoang_hop_with_villages()
    good = ["10/03/2025", None, "meeting", "Họp thôn", None, None, 10, None, None]
    bad = ["10/03/2025", "Thôn Không Có", "meeting", "Họp", "Cơ quan lạ", None, -1, None, None]
    data = xlsx_bytes([good] + [bad] * 10_000)
    result = services.outreach_events_import(data=data, commune=commune, acting_user=coordinator())
    assert not result.ok
    assert OutreachEvent.objects.count() == 0
    # Negative counts are caught reading the file, before the database is asked.
    assert {e.row for e in result.errors} == set(range(3, 10_003))
    assert all(e.column == "Số người tham dự" for e in result.errors)


def test_import_database_checks_list_unknown_villages_and_agencies() -> None:
    commune = hoang_hop_with_villages()
    bad = ["10/03/2025", "Thôn Không Có", "meeting", "Họp", "Cơ quan lạ", None, 1, None, None]
    result = services.outreach_events_import(
        data=xlsx_bytes([bad, bad]), commune=commune, acting_user=coordinator()
    )
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "Thôn, tổ dân phố"), (2, "Cơ quan tổ chức"),
        (3, "Thôn, tổ dân phố"), (3, "Cơ quan tổ chức"),
    ]  # fmt: skip
    assert OutreachEvent.objects.count() == 0


def test_import_outside_scope_is_refused() -> None:
    result = services.outreach_events_import(
        data=xlsx_bytes([]), commune=unit(OLD_AN_GIANG), acting_user=coordinator()
    )
    assert not result.ok and "phạm vi" in result.errors[0].message


def test_factory_event_helper() -> None:
    assert make_event().version == 1


def test_province_records_its_own_press_items_but_not_village_meetings() -> None:
    """ "Thông tin ... được đăng tải trên các phương tiện thông tin đại chúng của tỉnh ... ít nhất
    một tháng một lần" is the province's own work; a village meeting belongs to the village."""
    province = unit("89", on=date(2018, 1, 1))
    officer = User.objects.create(username="ag", role="coordinator", org_unit=province)
    item = services.outreach_event_create(
        org_unit=province, acting_user=officer, date=date(2018, 3, 5),
        form=OutreachEvent.Form.PRESS, topic="Tin bài trên Báo An Giang",
    )  # fmt: skip
    assert item.org_unit == province
    with pytest.raises(ValidationError, match="cộng đồng phải thuộc một xã"):
        services.outreach_event_create(
            org_unit=province, acting_user=officer, date=date(2018, 3, 5),
            form=OutreachEvent.Form.MEETING, topic="Họp dân",
        )  # fmt: skip
