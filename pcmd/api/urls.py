"""API wiring: routers of each app's api.py, the OpenAPI schema, Swagger UI, token auth."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
