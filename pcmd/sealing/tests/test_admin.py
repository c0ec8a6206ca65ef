"""The Django admin leaves sealed fields out of its forms, pages, lists and searches."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from pcmd.accounts.models import User
from pcmd.sealing.admin import SealedAdminMixin, seal_admin_site
from pcmd.sealing.tests.models import SealedSample

pytestmark = pytest.mark.django_db

NAME = "Lương Thị Kim Oanh"
ID_NUMBER = "022193004567"


class CarelessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin written as if the fields were plain: every place a value could show."""

    list_display = ("code", "full_name", "id_number")
    search_fields = ("code", "full_name")
    fields = ("code", "full_name", "id_number", "phone", "birth_date")
    ordering = ("full_name",)


def _site() -> admin.AdminSite:
    site = admin.AdminSite(name="sealtest")
    site.register(SealedSample, CarelessAdmin)
    assert seal_admin_site(site) == ["sealing.sealedsample"]
    return site


def _request(path: str) -> object:
    request = RequestFactory().get(path)
    request.user = User.objects.filter(username="quantri").first() or User.objects.create_superuser(
        "quantri", password="mat-khau-rat-dai-42"
    )
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_sealed_values_are_not_in_the_change_list_or_change_form() -> None:
    sample = SealedSample.objects.create(code="BN-42", full_name=NAME, id_number=ID_NUMBER)
    site = _site()
    model_admin = site._registry[SealedSample]
    assert isinstance(model_admin, SealedAdminMixin)
    changelist = model_admin.changelist_view(_request("/admin/sealing/sealedsample/"))
    changelist.render()
    html = changelist.content.decode()
    assert "BN-42" in html
    assert NAME not in html and ID_NUMBER not in html
    request = _request(f"/admin/sealing/sealedsample/{sample.pk}/change/")
    form = model_admin.get_form(request, sample)(instance=sample)
    assert list(form.fields) == ["code"]
    assert model_admin.get_fieldsets(request, sample) == [(None, {"fields": ["code"]})]
    html = str(form)
    assert "BN-42" in html
    assert NAME not in html and ID_NUMBER not in html


def test_search_does_not_reach_sealed_columns() -> None:
    SealedSample.objects.create(code="BN-43", full_name=NAME)
    model_admin = _site()._registry[SealedSample]
    request = _request("/admin/sealing/sealedsample/?q=BN")
    assert model_admin.get_search_fields(request) == ["code"]
    changelist = model_admin.changelist_view(request)  # would raise FieldError on full_name
    changelist.render()
    assert "BN-43" in changelist.content.decode()


def test_the_app_seals_every_admin_of_the_project_site() -> None:
    admin.site.register(SealedSample, CarelessAdmin)
    try:
        apps.get_app_config("sealing").ready()
        assert isinstance(admin.site._registry[SealedSample], SealedAdminMixin)
        assert seal_admin_site(admin.site) == []  # already sealed: nothing left to do
    finally:
        admin.site.unregister(SealedSample)
