"""The case-file pages: every role × own unit / other unit × every page, the reveal and search
flows, refusals that write nothing, and the suppressed statistics page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import OLD_AN_GIANG, make_user
from pcmd.sealing.access import break_glass_open
from pcmd.support.casefiles import services
from pcmd.support.casefiles.models import Beneficiary, Referral
from pcmd.support.models import PilotModel
from pcmd.support.tests.casefiles.factories import (
    ID_NUMBER,
    NAME,
    make_beneficiary,
    make_consent,
)

pytestmark = pytest.mark.django_db

VIEWERS = {"social_worker", "leader"}
MANAGERS = {"social_worker"}
SUPERVISORS = {"leader"}
EVERYONE = set(User.Role.values)

# Page -> (object it names: None / beneficiary / consent / referral, roles that get a 200 on
# GET for their own unit).
PAGES: dict[str, tuple[str | None, set[str]]] = {
    "support:beneficiary-list": (None, VIEWERS),
    "support:beneficiary-create": (None, MANAGERS),
    "support:stats": (None, EVERYONE),
    "support:referral-overdue": (None, VIEWERS),
    "support:beneficiary-detail": ("beneficiary", VIEWERS),
    "support:beneficiary-edit": ("beneficiary", MANAGERS),
    "support:beneficiary-reveal": ("beneficiary", VIEWERS),
    "support:consent-create": ("beneficiary", MANAGERS),
    "support:assessment-create": ("beneficiary", MANAGERS),
    "support:service-create": ("beneficiary", MANAGERS),
    "support:referral-create": ("beneficiary", MANAGERS),
    "support:closure-request": ("beneficiary", MANAGERS),
    "support:closure-decide": ("beneficiary", SUPERVISORS),
    "support:legal-hold": ("beneficiary", SUPERVISORS),
    "support:beneficiary-export": ("beneficiary", VIEWERS),
    "support:beneficiary-erase": ("beneficiary", VIEWERS),
    "support:consent-withdraw": ("consent", MANAGERS),
    "support:referral-update": ("referral", MANAGERS),
}


def _world(unit_code: str | None = None) -> dict[str, int]:
    b = make_beneficiary(**({"unit_code": unit_code} if unit_code else {}))
    consent = make_consent(b)
    referral = services.referral_create(
        beneficiary=b, acting_user=None, referred_on=b.registered_on, service_kind="housing",
        to_name="Mái ấm", follow_up_on=b.registered_on + timedelta(days=10),
    )  # fmt: skip
    return {"beneficiary": b.pk, "consent": consent.pk, "referral": referral.pk}


def _url(name: str, kind: str | None, objects: dict[str, int]) -> str:
    return reverse(name, args=[objects[kind]]) if kind else reverse(name)


@pytest.mark.parametrize("role", User.Role.values)
def test_every_role_on_every_page_of_its_own_unit(client: Client, role: str) -> None:
    objects = _world()
    client.force_login(make_user(username=f"u-{role}", role=role))
    for name, (kind, allowed) in PAGES.items():
        response = client.get(_url(name, kind, objects))
        if role in allowed:
            assert response.status_code == 200, (name, role, response.status_code)
        else:
            assert response.status_code in (403, 404), (name, role, response.status_code)
    # Only a reader of case files may post anything; the others change nothing.
    if role not in MANAGERS:
        before = AuditEvent.objects.count()
        response = client.post(
            reverse("support:consent-create", args=[objects["beneficiary"]]),
            {"given_on": "2025-03-01", "covers_referral": "on"},
        )
        assert response.status_code in (403, 404)
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", User.Role.values)
def test_every_role_is_kept_out_of_another_units_files(client: Client, role: str) -> None:
    objects = _world(OLD_AN_GIANG)
    client.force_login(make_user(username=f"u-{role}", role=role))
    for name, (kind, _allowed) in PAGES.items():
        if kind is None:
            continue
        url = _url(name, kind, objects)
        for response in (client.get(url), client.post(url, {"reason": "x" * 20})):
            assert response.status_code in (403, 404), (name, role, response.status_code)
    listing = client.get(reverse("support:beneficiary-list"))
    assert b"89-2019" not in listing.content
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()


def test_detail_shows_the_code_never_the_identity(client: Client) -> None:
    objects = _world()
    client.force_login(make_user(username="xahoi", role=User.Role.SOCIAL_WORKER))
    page = client.get(reverse("support:beneficiary-detail", args=[objects["beneficiary"]]))
    assert b"15919-2025-0001" in page.content
    assert NAME.encode() not in page.content and ID_NUMBER.encode() not in page.content
    edit = client.get(reverse("support:beneficiary-edit", args=[objects["beneficiary"]]))
    assert NAME.encode() not in edit.content


def test_reveal_needs_a_reason_and_is_audited(client: Client) -> None:
    objects = _world()
    client.force_login(make_user(username="lanhdao", role=User.Role.LEADER))
    url = reverse("support:beneficiary-reveal", args=[objects["beneficiary"]])
    short = client.post(url, {"fields_wanted": ["full_name"], "reason": "xem"})
    assert short.status_code == 422
    assert NAME.encode() not in short.content
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()
    ok = client.post(url, {"fields_wanted": ["full_name", "id_number"],
                           "reason": "Xác minh danh tính khi cấp hỗ trợ vốn"})  # fmt: skip
    assert ok.status_code == 200
    assert NAME.encode() in ok.content and ID_NUMBER.encode() in ok.content
    assert "no-store" in ok["Cache-Control"]
    event = AuditEvent.objects.get(action="view_sensitive")
    assert event.detail == {"fields": ["full_name", "id_number"],
                            "reason": "Xác minh danh tính khi cấp hỗ trợ vốn"}  # fmt: skip


def test_break_glass_lets_police_reveal_for_a_limited_time(client: Client) -> None:
    objects = _world()
    police = make_user(username="congan", role=User.Role.POLICE)
    client.force_login(police)
    url = reverse("support:beneficiary-reveal", args=[objects["beneficiary"]])
    assert client.get(url).status_code == 404
    b = Beneficiary.objects.get(pk=objects["beneficiary"])
    break_glass_open(user=police, org_unit=b.org_unit, reason="Giải cứu nạn nhân khẩn cấp",
                     minutes=30)  # fmt: skip
    response = client.post(url, {"fields_wanted": ["phone"],
                                 "reason": "Liên hệ khẩn cấp để giải cứu"})  # fmt: skip
    assert response.status_code == 200
    assert b"0912345678" in response.content
    # The file itself (consents, services) stays closed to the police.
    assert client.get(reverse("support:beneficiary-detail", args=[b.pk])).status_code == 404


def test_search_goes_through_the_blind_index_and_is_audited(client: Client) -> None:
    b = make_beneficiary()
    make_beneficiary(full_name="Trần Văn Khác", id_number="038195009999")
    client.force_login(make_user(username="xahoi", role=User.Role.SOCIAL_WORKER))
    url = reverse("support:beneficiary-list")
    by_name = client.post(url, {"q": "nguyen thi thu nghiem", "by": "name"})
    assert by_name.context["beneficiaries"] and [
        x.pk for x in by_name.context["beneficiaries"]
    ] == [b.pk]
    by_id = client.post(url, {"q": "0381 9500 1234", "by": "id_number"})
    assert [x.pk for x in by_id.context["beneficiaries"]] == [b.pk]
    assert len(client.post(url, {"q": "Nguyễn Thị"}).context["beneficiaries"]) == 0
    # A GET never searches (nothing identifying travels in a URL).
    assert len(client.get(url, {"q": NAME}).context["beneficiaries"]) == 2
    events = AuditEvent.objects.filter(action="view_sensitive")
    assert events.count() == 3
    assert "nguyen" not in str(list(events.values_list("detail", flat=True)))


def test_referral_form_without_consent_says_why_and_writes_nothing(client: Client) -> None:
    b = make_beneficiary()
    client.force_login(make_user(username="xahoi", role=User.Role.SOCIAL_WORKER))
    url = reverse("support:referral-create", args=[b.pk])
    assert "hãy ghi đồng ý trước" in client.get(url).content.decode()
    response = client.post(url, {"referred_on": "2025-03-01", "service_kind": "legal_aid",
                                 "to_name": "Trung tâm trợ giúp pháp lý"})  # fmt: skip
    assert response.status_code == 422
    assert "chưa có đồng ý còn hiệu lực" in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_social_worker_records_a_file_and_the_leader_closes_it(client: Client) -> None:
    worker = make_user(username="xahoi", role=User.Role.SOCIAL_WORKER)
    leader = make_user(username="lanhdao", role=User.Role.LEADER)
    client.force_login(worker)
    response = client.post(reverse("support:beneficiary-create"), {
        "org_unit": worker.org_unit_id, "registered_on": "2025-02-01", "group": "sex_worker",
        "sex": "female", "age_band": "18_24", "full_name": "Phạm Thị Mẫu",
        "id_number": "abc",
    })  # fmt: skip
    assert response.status_code == 422
    assert "Phạm Thị Mẫu" in response.content.decode()  # what was typed is kept
    response = client.post(reverse("support:beneficiary-create"), {
        "org_unit": worker.org_unit_id, "registered_on": "2025-02-01", "group": "sex_worker",
        "sex": "female", "age_band": "18_24", "full_name": "Phạm Thị Mẫu",
    })  # fmt: skip
    b = Beneficiary.objects.get()
    assert response.status_code == 302
    steps = [
        ("support:consent-create", {"given_on": "2025-02-01", "covers_processing": "on",
                                    "covers_referral": "on"}),
        ("support:assessment-create", {"assessed_on": "2025-02-02", "needs": ["housing"],
                                       "eligible": "on"}),
        ("support:referral-create", {"referred_on": "2025-02-03", "service_kind": "housing",
                                     "to_name": "Mái ấm Hoa Sen"}),
        ("support:service-create", {"kind": "housing", "provided_on": "2025-02-10",
                                    "provider_name": "Mái ấm Hoa Sen", "outcome": "completed"}),
        ("support:closure-request", {"closed_on": "2025-04-01",
                                     "reason": "Đã có nơi ở và việc làm ổn định"}),
    ]  # fmt: skip
    for name, data in steps:
        response = client.post(reverse(name, args=[b.pk]), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    detail = client.get(reverse("support:beneficiary-detail", args=[b.pk])).content.decode()
    assert "Mái ấm Hoa Sen" in detail and "Chờ phê duyệt đóng hồ sơ" in detail
    client.force_login(leader)
    response = client.post(reverse("support:closure-decide", args=[b.pk]), {"decision": "approve"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.status == "closed" and b.closure_approved_by == leader


def test_export_download_and_erase_pages(client: Client) -> None:
    b = make_beneficiary()
    client.force_login(make_user(username="xahoi", role=User.Role.SOCIAL_WORKER))
    response = client.post(
        reverse("support:beneficiary-export", args=[b.pk]),
        {"format": "json", "reason": "Người được hỗ trợ yêu cầu ngày 1/3"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ho-so-15919-2025')
    assert NAME in response.content.decode()
    assert AuditEvent.objects.filter(action="export", object_id=str(b.pk)).exists()
    erase = reverse("support:beneficiary-erase", args=[b.pk])
    wrong = client.post(erase, {"code": "15919-2025-9999", "reason": "Người được hỗ trợ yêu cầu"})
    assert wrong.status_code == 422 and Beneficiary.objects.exists()
    client.post(erase, {"code": b.code, "reason": "Người được hỗ trợ yêu cầu xóa"})
    assert not Beneficiary.objects.exists()


def test_pilot_model_lists_members_by_code_only(client: Client) -> None:
    b = make_beneficiary()
    model = PilotModel.objects.create(org_unit=b.org_unit, name="Nhóm đồng đẳng Hoa Sen",
                                      kind="peer_groups", start_date=date(2025, 1, 5))  # fmt: skip
    b.pilot_models.add(model)
    client.force_login(make_user(username="xahoi", role=User.Role.SOCIAL_WORKER))
    page = client.get(reverse("support:pilotmodel-detail", args=[model.pk])).content.decode()
    assert b.code in page and NAME not in page
    client.force_login(make_user(username="dieuphoi", role=User.Role.COORDINATOR))
    page = client.get(reverse("support:pilotmodel-detail", args=[model.pk])).content.decode()
    assert b.code not in page and "&lt;5" in page


def _person(reached: bool, group: str = "sex_worker") -> None:
    b = make_beneficiary(group=group)
    services.assessment_create(beneficiary=b, acting_user=None, assessed_on=date(2025, 2, 2),
                               needs=["legal_aid"], eligible=True)  # fmt: skip
    if reached:
        services.service_create(
            beneficiary=b, acting_user=None, kind="legal_aid", provided_on=date(2025, 3, 1),
            provider_name="Trợ giúp pháp lý",
        )  # fmt: skip


def test_stats_page_suppresses_small_cells(client: Client) -> None:
    for reached in (True, True, False):
        _person(reached)
    client.force_login(make_user(username="dieuphoi", role=User.Role.COORDINATOR))
    page = client.get(reverse("support:stats"), {"year": "2025"}).content.decode()
    assert "67" not in page  # 2 of 3 reached must not read "67%"
    assert page.count("—") >= 2
    assert ">3<" not in page and ">2<" not in page


def test_stats_page_hides_a_cell_that_the_total_would_give_away(client: Client) -> None:
    for _ in range(6):
        _person(True)
    _person(False, group="trafficking_victim")
    client.force_login(make_user(username="dieuphoi", role=User.Role.COORDINATOR))
    response = client.get(reverse("support:stats"), {"year": "2025"})
    groups = dict(response.context["groups"])
    assert groups["Nạn nhân bị mua bán"] == "<5"
    assert groups["Người bán dâm"] == "≥5"  # 7 - 6 would give the "<5" back
    assert response.context["group_total"] == "7"
    assert response.context["reach_sw"]["percent"] == "100%"
