"""pcmd.demo.synth and `pcmd synth`: synthetic data at a tiny scale on the real org-unit tree."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Model, Q

from pcmd.accounts.models import User
from pcmd.demo import synth
from pcmd.demo.synth import (
    LAST_OLD_DAY,
    NATIONAL,
    SYNTH_USERNAME,
    SynthRefused,
    synth_clear,
    synth_run,
    synth_universe,
    synth_volumes,
)
from pcmd.enforcement.models import (
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    Violation,
)
from pcmd.indicators.compute import indicator_value
from pcmd.indicators.models import Indicator
from pcmd.orgunits.models import (
    REFORM_DATE,
    Agency,
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
    OrgUnitSuccession,
)
from pcmd.orgunits.selectors import orgunit_get_by_code, orgunit_parent
from pcmd.outreach.models import OutreachEvent
from pcmd.plans.models import Plan
from pcmd.support.models import (
    Beneficiary,
    Consent,
    NeedsAssessment,
    PilotModel,
    ServiceProvision,
)
from pcmd.tips.models import Tip, TipEvent
from pcmd.training.models import StaffMember, TrainingCourse

pytestmark = pytest.mark.django_db

# Small enough for a unit test, big enough for every kind of record to appear.
TINY: dict[str, Any] = {
    "scale": "commune",
    "seed": 7,
    "overrides": {
        "events": 400, "establishments": 30, "inspections": 120, "tips": 60, "staff": 20,
        "courses": 8, "beneficiaries": 6, "hot_spots": 8, "cases": 8, "pilot_models": 6,
        "plans": 12,
    },
}  # fmt: skip

TABLES: list[type[Model]] = [
    OrgUnit, OrgUnitLink, OrgUnitScope, Agency, User, InspectionTeam, InspectionTeamMember, Plan,
    StaffMember, TrainingCourse, TrainingCourse.participants.through, Establishment, Inspection,
    Violation, HotSpot, Case, Tip, TipEvent, OutreachEvent, PilotModel, Beneficiary, Consent,
    NeedsAssessment, ServiceProvision,
]  # fmt: skip

# The RecordBase tables and the date each record happened on.
DATED = [
    (OutreachEvent, "date"), (Inspection, "inspected_on"), (HotSpot, "detected_on"),
    (Case, "opened_on"), (PilotModel, "start_date"), (Beneficiary, "registered_on"),
    (TrainingCourse, "start_date"), (InspectionTeam, "valid_from"), (Plan, "issued_on"),
    (Tip, "received_at__date"),
]  # fmt: skip


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in TABLES}


def content() -> dict[str, list[tuple[Any, ...]]]:
    """What synth wrote, without ids (which follow the tables' current maximum) and with the
    sealed values decrypted (Fernet tokens differ from run to run)."""
    by = {"created_by__username": SYNTH_USERNAME}
    return {
        "villages": sorted(
            OrgUnit.objects.filter(source="synth").values_list("code", "name", "valid_from")
        ),
        "links": sorted(
            OrgUnitLink.objects.filter(child__source="synth").values_list(
                "child__code", "parent__code", "valid_from", "valid_to"
            )
        ),
        "events": sorted(
            OutreachEvent.objects.filter(**by).values_list(
                "org_unit__code",
                "date",
                "form",
                "topic",
                "participants",
                "agency__name",
                "combined_with",
            )
        ),  # fmt: skip
        "inspections": sorted(
            Inspection.objects.filter(**by).values_list(
                "org_unit__code",
                "inspected_on",
                "establishment__name",
                "team__name",
                "mode",
                "minutes_number",
            )
        ),  # fmt: skip
        "violations": sorted(
            Violation.objects.filter(**by).values_list(
                "inspection__minutes_number", "sanction", "fine_amount", "article"
            )
        ),
        "tips": sorted(
            (t.reference, t.received_at, t.status, t.outcome, t.content, t.reporter_name)
            for t in Tip.objects.filter(**by)
        ),
        "beneficiaries": sorted(
            (b.code, b.full_name, b.birth_date, b.id_number)
            for b in Beneficiary.objects.filter(**by)
        ),
        "staff": sorted(StaffMember.objects.filter(**by).values_list("full_name", "active_from")),
        "plans": sorted(Plan.objects.filter(**by).values_list("org_unit__code", "issued_on")),
        "pilot_models": sorted(PilotModel.objects.filter(**by).values_list("name", "start_date")),
    }


def hoang_giang() -> OrgUnit:
    return orgunit_get_by_code("15880", on=date(2026, 1, 1), level="commune")


def hoang_hop() -> OrgUnit:
    return orgunit_get_by_code("15919", on=date(2025, 1, 1), level="commune")


def test_writes_the_configured_counts() -> None:
    result = synth_run(**TINY)
    v = result.volumes
    by = {"created_by__username": SYNTH_USERNAME}
    assert OutreachEvent.objects.filter(**by).count() == v.events == 400
    assert Establishment.objects.filter(**by).count() == v.establishments
    assert Inspection.objects.filter(**by).count() == v.inspections
    assert Tip.objects.filter(**by).count() == v.tips
    assert StaffMember.objects.filter(**by).count() == v.staff
    assert TrainingCourse.objects.filter(**by).count() == v.courses
    assert Beneficiary.objects.filter(**by).count() == v.beneficiaries
    assert HotSpot.objects.filter(**by).count() == v.hot_spots
    assert Case.objects.filter(**by).count() == v.cases
    assert PilotModel.objects.filter(**by).count() == v.pilot_models
    assert Plan.objects.filter(**by).count() == v.plans
    # What the result reports is what the tables hold.
    assert result.count("hoạt động tuyên truyền") == 400
    assert result.count("vi phạm hành chính") == Violation.objects.filter(**by).count() > 0
    assert (
        result.count("bước xử lý tin báo")
        == TipEvent.objects.filter(tip__created_by__username=SYNTH_USERNAME).count()
    )
    villages = OrgUnit.objects.filter(level="village", source="synth")
    assert result.count("thôn, tổ dân phố") == villages.count() >= 16
    assert all(code.startswith("S15880-") for code in villages.values_list("code", flat=True))


def test_volumes_are_the_national_share_times_the_factor() -> None:
    universe = synth_universe("commune")
    assert [u.code for u in universe.new_communes] == ["15880"]
    assert {u.code for u in universe.old_communes} == {"15880", "15877", "15886", "15919"}
    full = synth_volumes(universe)
    assert full.events == round(NATIONAL["events"] * universe.share)
    tenth = synth_volumes(universe, factor=0.1, overrides={"tips": 5})
    assert tenth.events == round(NATIONAL["events"] * universe.share * 0.1)
    assert tenth.tips == 5
    national = synth_volumes(synth_universe("national"))
    assert national.events == 10_000_000 and national.inspections == 1_000_000
    assert national.tips == 500_000 and national.establishments == 200_000


def test_same_seed_same_rows_and_clear_removes_everything() -> None:
    before = counts()
    scope_before = set(OrgUnitScope.objects.values_list("holder_id", "unit_id"))
    synth_run(**TINY)
    first = content()
    assert all(first.values()), [k for k, v in first.items() if not v]
    synth_clear()
    assert counts() == before
    assert set(OrgUnitScope.objects.values_list("holder_id", "unit_id")) == scope_before
    synth_run(**TINY)
    assert content() == first
    synth_clear()
    synth_run(**{**TINY, "seed": 8})
    assert content()["events"] != first["events"]


def test_records_lie_on_units_valid_on_their_dates() -> None:
    synth_run(**TINY)
    by = {"created_by__username": SYNTH_USERNAME}
    for model, day in DATED:
        qs = model.objects.filter(**by)
        assert qs.exists(), model
        invalid = qs.filter(
            Q(org_unit__valid_from__gt=F(day)) | Q(org_unit__valid_to__lt=F(day))
        ).count()
        assert invalid == 0, model
    events = OutreachEvent.objects.filter(**by, agency__isnull=False)
    assert not events.filter(
        Q(agency__valid_from__gt=F("date")) | Q(agency__valid_to__lt=F("date"))
    ).exists()
    # Before the reform the villages' events belong to the old communes, after it to the new.
    old_ids = {u.pk for u in [hoang_hop()]} | set(
        OrgUnitSuccession.objects.filter(successor=hoang_giang()).values_list(
            "predecessor_id", flat=True
        )
    ) | {hoang_giang().pk}  # fmt: skip
    for event in events.filter(org_unit__level="village").select_related("agency"):
        parent = orgunit_parent(event.org_unit, on=event.date)
        assert parent is not None and parent.pk == event.agency.org_unit_id
        if event.date < REFORM_DATE:
            assert parent.pk in old_ids
        else:
            assert parent.pk == hoang_giang().pk
    # An inspection after 1/7/2025 of a business registered at Hoằng Hợp is Hoằng Giang's.
    late = Inspection.objects.filter(**by, inspected_on__gte=REFORM_DATE)
    assert late.exists() and set(late.values_list("org_unit_id", flat=True)) == {hoang_giang().pk}


def test_villages_follow_the_merger() -> None:
    synth_run(**TINY)
    hop, giang = hoang_hop(), hoang_giang()
    villages = OrgUnit.objects.filter(
        source="synth", parent_links__parent=hop, parent_links__valid_to=LAST_OLD_DAY
    )
    assert villages.exists()
    for village in villages:
        assert orgunit_parent(village, on=LAST_OLD_DAY) == hop
        assert orgunit_parent(village, on=REFORM_DATE) == giang
        holders = set(OrgUnitScope.objects.filter(unit=village).values_list("holder_id", flat=True))
        assert {village.pk, hop.pk, giang.pk} <= holders
    # Hoằng Giang was kept by the reform: its own villages have one link throughout.
    own = OrgUnitLink.objects.filter(child__source="synth", parent=giang, valid_from__isnull=True)
    assert own.exists() and not own.filter(valid_to__isnull=False).exists()


def test_village_names_stay_unique_beside_existing_villages() -> None:
    from pcmd.orgunits.services import village_create

    village_create(commune=hoang_giang(), name="1", kind="village", acting_user=None)
    synth_run(**TINY)
    names = list(
        OrgUnit.objects.filter(level="village", parent_links__parent=hoang_giang()).values_list(
            "name", flat=True
        )
    )
    assert "Thôn 1" in names and len(names) == len(set(names)) > 16


def test_stored_indicator_values_of_the_area_are_marked_stale() -> None:
    pytest.importorskip("pcmd.indicators.store")
    from django.apps import apps
    from django.utils import timezone

    value_model = apps.get_model("indicators", "IndicatorValue")
    indicator = Indicator.objects.get(code="outreach-events")
    province = orgunit_get_by_code("38", on=date(2026, 1, 1), level="province")
    stored = {
        unit: value_model.objects.create(
            indicator=indicator, org_unit=unit, period="2026", period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31), numerator=0, computed_at=timezone.now(),
        )
        for unit in (hoang_giang(), province)
    }  # fmt: skip
    synth_run(**TINY)
    for row in stored.values():
        row.refresh_from_db()
        assert row.stale
    for row in stored.values():
        row.stale = False
        row.save()
    synth_clear()
    assert all(value_model.objects.get(pk=row.pk).stale for row in stored.values())


def test_a_second_run_is_refused() -> None:
    synth_run(**TINY)
    events = OutreachEvent.objects.count()
    with pytest.raises(SynthRefused, match="--clear"):
        synth_run(**TINY)
    with pytest.raises(CommandError, match="--clear"):
        call_command("synth", scale="commune", factor=0.001, stdout=StringIO())
    assert OutreachEvent.objects.count() == events


def test_refused_without_the_org_unit_tree() -> None:
    OrgUnitScope.objects.all().delete()
    OrgUnitLink.objects.all().delete()
    OrgUnitSuccession.objects.all().delete()
    OrgUnit.objects.all().delete()
    with pytest.raises(CommandError, match="load_orgunits"):
        call_command("synth", scale="national", stdout=StringIO())
    assert not User.objects.filter(username=SYNTH_USERNAME).exists()


def test_command_prints_each_table_and_the_total() -> None:
    out = StringIO()
    call_command("synth", scale="commune", factor=0.002, seed=3, stdout=out)
    text = out.getvalue()
    assert "hoạt động tuyên truyền" in text and "Tổng" in text and "dòng/giây" in text
    again = StringIO()
    call_command("synth", scale="commune", factor=0.002, seed=3, clear=True, stdout=again)
    assert "Đã xóa dữ liệu tổng hợp" in again.getvalue()
    assert User.objects.filter(username=SYNTH_USERNAME).count() == 1


def schema() -> list[tuple[Any, ...]]:
    """The indexes and foreign keys of the tables synth writes."""
    tables = [m._meta.db_table for m in TABLES]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                [tables],
            )
            found = list(cursor.fetchall())
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [tables],
            )
            return sorted(found + list(cursor.fetchall()))
        cursor.execute("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index'")
        return sorted(row for row in cursor.fetchall() if row[0] in tables)


def test_index_free_loads_restore_every_index_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = schema()
    monkeypatch.setattr(synth, "BULK_MIN_ROWS", 1)
    writer = synth._PostgresWriter if connection.vendor == "postgresql" else synth._SqliteWriter
    dropped: list[str] = []
    drop = writer._drop

    def spy(self: Any, raw: Any, table: str) -> Any:
        dropped.append(table)
        return drop(self, raw, table)

    monkeypatch.setattr(writer, "_drop", spy)
    synth_run(**TINY)
    assert {"outreach_outreachevent", "enforcement_inspection", "tips_tip"} <= set(dropped)
    assert schema() == before
    assert Inspection.objects.filter(created_by__username=SYNTH_USERNAME).count() == 120


@pytest.mark.slow
def test_every_builtin_indicator_gets_a_value() -> None:
    synth_run(
        scale="province", seed=1,
        overrides={"events": 6000, "establishments": 300, "inspections": 1500, "tips": 400,
                   "hot_spots": 60, "cases": 80, "pilot_models": 300, "beneficiaries": 80},
    )  # fmt: skip
    province = orgunit_get_by_code("38", on=date(2024, 1, 1), level="province")
    # District-level targets need the districts (until 30/6/2025); the rest are read in 2026.
    before = {"district-integrated-plans", "district-support-models", "district-harm-reduction"}
    empty = []
    for indicator in Indicator.objects.filter(is_builtin=True):
        period = "2024" if indicator.code in before else "2026"
        value = indicator_value(indicator, province, period, since_year=2022)
        if not value.value:
            empty.append((indicator.code, value))
    assert not empty
