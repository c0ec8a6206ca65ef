"""URLconf for the API tests: this app's endpoints on a router, as pcmd.api will mount them."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from pcmd.enforcement.api import register

router = DefaultRouter()
register(router)
urlpatterns = [path("api/", include(router.urls))]
