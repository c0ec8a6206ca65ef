"""A URLconf with only this app's API, for tests (pcmd.api wires the real one)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from pcmd.support import api

router = DefaultRouter()
api.register(router)
urlpatterns = [path("api/", include(router.urls))]
