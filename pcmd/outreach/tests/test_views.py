from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pcmd.accounts.models import User
from pcmd.jobs.models import Job
from pcmd.jobs.tasks import _run_job
from pcmd.outreach import views
from pcmd.outreach.models import OutreachEvent
from pcmd.outreach.tests.factories import (
    a_village,
    coordinator,
    hoang_hop_with_villages,
    make_event,
    make_user,
    unit,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_list_filters_sorts_and_paginates(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    commune = hoang_hop_with_villages()
    for day in range(1, 31):
        make_event(org_unit=commune, date=date(2025, 1, day), form="loudspeaker", participants=None)
    make_event(org_unit=a_village(commune), date=date(2025, 4, 2), topic="Họp thôn quý II")
    logged_in(client, make_user(username="xem", role=User.Role.LEADER))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("outreach:list"))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 31
    filtered = client.get(reverse("outreach:list"), {"period": "2025Q2", "sort": "date"})
    assert [e.topic for e in filtered.context["events"]] == ["Họp thôn quý II"]
    bad = client.get(reverse("outreach:list"), {"period": "2025Q7"})
    assert "không phải là kỳ hợp lệ" in bad.content.decode()


def test_a_long_list_is_numbered_up_to_a_cap_and_says_there_are_more(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcmd.common import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 30)
    commune = hoang_hop_with_villages()
    for day in range(1, 32):
        make_event(org_unit=commune, date=date(2025, 1, day))
    logged_in(client, make_user(username="xem", role=User.Role.LEADER))
    page = client.get(reverse("outreach:list"))
    assert page.context["page_obj"].paginator.count == 30
    assert "Trang 1/2 · hơn 30 mục" in page.content.decode()
    last = client.get(reverse("outreach:list"), {"page": "2", "sort": "date"})
    assert len(last.context["events"]) == 5  # items 26-30 of the oldest first


def test_empty_list_invites_the_first_record(client: Client) -> None:
    logged_in(client, coordinator())
    assert "Ghi hoạt động đầu tiên" in client.get(reverse("outreach:list")).content.decode()


def test_create_defaults_to_today_and_own_commune_then_saves(client: Client) -> None:
    commune = hoang_hop_with_villages()
    logged_in(client, make_user(username="nhap", role=User.Role.DATA_ENTRY))
    form = client.get(reverse("outreach:create")).context["form"]
    assert form.initial["commune"] == commune.pk
    response = client.post(
        reverse("outreach:create"),
        {
            "date": "2025-03-10", "commune": commune.pk, "village": a_village(commune).pk,
            "form": "meeting", "topic": "Họp thôn", "audiences": ["youth", "women"],
            "participants": "25",
        },
    )  # fmt: skip
    event = OutreachEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outreach/{event.pk}/"
    assert event.audiences == ["youth", "women"] and event.org_unit == a_village(commune)


def test_a_failed_form_keeps_what_was_typed(client: Client) -> None:
    commune = hoang_hop_with_villages()
    logged_in(client, coordinator())
    response = client.post(
        reverse("outreach:create"),
        {"date": "2099-01-01", "commune": commune.pk, "form": "meeting", "topic": "Giữ lại"},
    )
    assert response.status_code == 422
    assert "Giữ lại" in response.content.decode() and "tương lai" in response.content.decode()


def test_police_may_read_but_not_create(client: Client) -> None:
    logged_in(client, make_user(username="ca", role=User.Role.POLICE))
    assert client.get(reverse("outreach:list")).status_code == 200
    assert client.get(reverse("outreach:create")).status_code == 403


def test_stale_edit_is_refused_and_shows_the_other_version(client: Client) -> None:
    commune = hoang_hop_with_villages()
    event = make_event(org_unit=commune)
    logged_in(client, coordinator())
    post = {
        "date": "2025-03-10", "commune": commune.pk, "form": "meeting",
        "topic": "Bản của tôi", "version": "1",
    }  # fmt: skip
    event.topic, event.version = "Bản của người khác", 2
    event.save()
    response = client.post(reverse("outreach:edit", args=[event.pk]), post)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Bản của người khác" in body and "Bản của tôi" in body
    assert 'name="version" value="2"' in body
    assert OutreachEvent.objects.get(pk=event.pk).topic == "Bản của người khác"
    # Saving again, now based on their version, goes through.
    post["version"] = "2"
    assert client.post(reverse("outreach:edit", args=[event.pk]), post).status_code == 302
    event.refresh_from_db()
    assert (event.topic, event.version) == ("Bản của tôi", 3)


def test_delete_asks_first(client: Client) -> None:
    event = make_event()
    logged_in(client, coordinator())
    url = reverse("outreach:delete", args=[event.pk])
    assert "Xóa hoạt động tuyên truyền?" in client.get(url).content.decode()
    assert OutreachEvent.objects.filter(pk=event.pk).exists()
    assert client.post(url).status_code == 302
    assert not OutreachEvent.objects.filter(pk=event.pk).exists()


def test_other_units_events_are_404_for_every_role(client: Client) -> None:
    foreign = make_event(org_unit=unit("15883", date(2025, 3, 1)))
    for role in User.Role.values:
        logged_in(client, make_user(username=f"u-{role}", role=role))
        for name in ("outreach:detail", "outreach:edit", "outreach:delete"):
            assert client.get(reverse(name, args=[foreign.pk])).status_code in (403, 404)


def test_export_escapes_formulas_and_follows_the_filter(client: Client) -> None:
    make_event(topic='=HYPERLINK("http://x")', date=date(2025, 2, 1))
    make_event(topic="Khác kỳ", date=date(2024, 2, 1))
    logged_in(client, coordinator())
    response = client.get(reverse("outreach:export"), {"period": "2025"})
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    topics = [row[4] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert topics == ['\'=HYPERLINK("http://x")']


def test_template_download_and_small_import(client: Client) -> None:
    commune = hoang_hop_with_villages()
    logged_in(client, coordinator())
    template = client.get(reverse("outreach:import-template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    data = xlsx_bytes([["10/03/2025", None, "Bài báo", "Bài viết", None, None, None, None, None]])
    upload = io.BytesIO(data)
    upload.name = "tuyen-truyen.xlsx"
    response = client.post(reverse("outreach:import"), {"commune": commune.pk, "file": upload})
    assert response.status_code == 302
    assert OutreachEvent.objects.get().form == "press"


def test_import_with_10000_bad_rows_lists_them_and_writes_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "DIRECT_IMPORT_MAX_ROWS", 20_000)
    commune = hoang_hop_with_villages()
    logged_in(client, coordinator())
    bad = ["31/02/2025", None, "Hát", "", None, None, -1, None, None]
    upload = io.BytesIO(xlsx_bytes([bad] * 10_000))
    upload.name = "loi.xlsx"
    response = client.post(reverse("outreach:import"), {"commune": commune.pk, "file": upload})
    assert response.status_code == 422
    errors = response.context["errors"]
    assert len(errors) == 40_000  # date, form, topic, count on every row
    assert errors[0].startswith("Dòng 2, cột “Ngày”")
    assert "Dòng 10001" in response.content.decode()
    assert OutreachEvent.objects.count() == 0


def test_a_large_import_runs_as_a_job(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "DIRECT_IMPORT_MAX_ROWS", 1)
    commune = hoang_hop_with_villages()
    logged_in(client, coordinator())
    row = ["10/03/2025", None, "meeting", "Họp", None, None, 5, None, None]
    upload = io.BytesIO(xlsx_bytes([row, row, row]))
    upload.name = "lon.xlsx"
    response = client.post(reverse("outreach:import"), {"commune": commune.pk, "file": upload})
    job = Job.objects.get()
    assert response["Location"] == reverse("outreach:import-job", args=[job.pk])
    _run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["created"] == 3
    assert OutreachEvent.objects.count() == 3
    assert client.get(response["Location"]).status_code == 200


def test_detail_shows_the_record_and_its_attachment(client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    commune = hoang_hop_with_villages()
    logged_in(client, coordinator())
    photo = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, "image/png")
    response = client.post(
        reverse("outreach:create"),
        {"date": "2025-03-10", "commune": commune.pk, "form": "banner", "topic": "Pa nô",
         "attachments": [photo]},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Khẩu hiệu, băng rôn, pa nô" in body and "anh.png" in body
    attachment = OutreachEvent.objects.get().attachments.get()
    download = client.get(reverse("outreach:attachment", args=[attachment.pk]))
    assert download.status_code == 200


def test_the_agency_list_follows_the_commune_and_never_leaves_the_scope(client: Client) -> None:
    from pcmd.accounts.tests.factories import HOANG_GIANG, OLD_AN_GIANG, THANH_HOA
    from pcmd.orgunits.tests.factories import make_agency

    make_agency(org_unit=unit(HOANG_GIANG), name="Đoàn Thanh niên")
    foreign = make_agency(org_unit=unit(OLD_AN_GIANG), name="Hội Phụ nữ")
    logged_in(client, make_user(username="tinh", unit_code=THANH_HOA))
    url = reverse("outreach:agency-options")
    giang = client.get(url, {"commune": f"Xã Hoằng Giang #{unit(HOANG_GIANG).pk}"})
    assert giang.status_code == 200
    assert "Đoàn Thanh niên — Xã Hoằng Giang" in giang.content.decode()
    outside = client.get(url, {"commune": str(foreign.org_unit_id)}).content.decode()
    assert "Hội Phụ nữ" not in outside and "— chưa chọn —" in outside
    police = make_user(username="ca-tinh", unit_code=THANH_HOA, role=User.Role.POLICE)
    logged_in(client, police)
    assert client.get(url, {"commune": str(unit(HOANG_GIANG).pk)}).status_code == 403


def test_the_lists_agency_filter_offers_the_own_units_and_the_picked_units_agencies(
    client: Client,
) -> None:
    from pcmd.accounts.tests.factories import HOANG_GIANG, THANH_HOA
    from pcmd.orgunits.tests.factories import make_agency

    own = make_agency(org_unit=unit(THANH_HOA), name="Sở Y tế")
    commune = make_agency(org_unit=unit(HOANG_GIANG), name="Đoàn Thanh niên")
    logged_in(client, make_user(username="tinh", unit_code=THANH_HOA))
    url = reverse("outreach:list")

    def offered(**params: object) -> str:
        page = client.get(url, params).content.decode()
        return page.split('id="f-agency"')[1].split("</select>")[0]

    assert f'value="{own.pk}"' in offered() and f'value="{commune.pk}"' not in offered()
    picked = offered(unit=unit(HOANG_GIANG).pk)
    assert f'value="{own.pk}"' in picked and f'value="{commune.pk}"' in picked
    # The own unit picked is the own unit's agencies, not its whole area's.
    assert f'value="{commune.pk}"' not in offered(unit=unit(THANH_HOA).pk)
    # An agency chosen earlier stays on offer, selected, whatever the unit filter says.
    assert f'value="{commune.pk}" selected' in offered(agency=commune.pk)
