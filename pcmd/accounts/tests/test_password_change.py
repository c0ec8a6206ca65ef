import pytest
from django.test import Client
from django.urls import reverse

from pcmd.accounts.models import AuditEvent
from pcmd.accounts.tests.factories import HOANG_HOP, PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_user_changes_password_and_keeps_the_session(client: Client) -> None:
    user = make_user(username="canbo", role="coordinator", unit_code=HOANG_HOP)
    client.force_login(user)
    new = "hoang-hop-2025-bao-mat"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(
        user=user, action=AuditEvent.Action.UPDATE, object_id=str(user.pk)
    ).exists()


def test_weak_or_wrong_password_is_refused_and_nothing_changes(client: Client) -> None:
    user = make_user(username="canbo", role="coordinator", unit_code=HOANG_HOP)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "sai-mat-khau", "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 422
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert "Chưa lưu được" in response.content.decode()
