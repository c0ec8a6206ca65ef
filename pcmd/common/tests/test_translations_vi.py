"""The API speaks Vietnamese too: every error message of Django REST framework's fields,
relations and authentication is translated (its own catalogue has 20 of 128)."""

from __future__ import annotations

import inspect

import pytest
from django.utils import translation
from rest_framework import exceptions, fields, relations, serializers
from rest_framework.test import APIClient

from pcmd.accounts.tests.factories import make_user


def _field_messages() -> list[str]:
    out = []
    with translation.override("en"):  # DRF's msgids are its English messages
        for module in (fields, relations, serializers):
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                for message in getattr(cls, "default_error_messages", {}).values():
                    out.append(str(message))
    return sorted(set(out))


def test_every_field_error_message_has_a_vietnamese_translation() -> None:
    untranslated = []
    with translation.override("vi"):
        for msgid in _field_messages():
            if translation.gettext(msgid) == msgid:
                untranslated.append(msgid)
    assert untranslated == []


def test_field_errors_and_refusals_read_in_vietnamese() -> None:
    with translation.override("vi"), pytest.raises(exceptions.ValidationError) as exc:
        serializers.IntegerField().run_validation("mười")
    assert exc.value.detail == ["Cần một số nguyên hợp lệ."]
    with translation.override("vi"):
        assert str(exceptions.NotAuthenticated().detail).startswith("Chưa có thông tin xác thực")
        assert str(exceptions.Throttled(wait=3).detail) == (
            "Yêu cầu bị tạm chặn vì gửi quá nhiều. Thử lại sau 3 giây."
        )
    with translation.override("en"):
        assert serializers.CharField().error_messages["required"] == "This field is required."


@pytest.mark.django_db
def test_an_api_request_missing_its_fields_is_told_so_in_vietnamese() -> None:
    client = APIClient()
    client.force_authenticate(make_user())
    response = client.post("/api/outreach-events/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["date"] == ["Trường này là bắt buộc."]
