"""API wiring: routers of each app's api.py, the OpenAPI schema, Swagger UI, token auth.

Owns: the /api/ URL map and the DefaultRouter every app registers its viewsets on.
Invariants: every endpoint requires authentication except POST /api/auth/token/ and whatever
lives under /api/public/; Swagger UI loads its assets from our host (drf-spectacular-sidecar) and
its init script from a separate URL, so the CSP needs no inline script.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from pcmd.accounts.api import MeView, TokenObtainView
from pcmd.enforcement import api as enforcement_api
from pcmd.indicators import api as indicators_api
from pcmd.orgunits import api as orgunits_api
from pcmd.outreach import api as outreach_api
from pcmd.plans import api as plans_api
from pcmd.reports import api as reports_api
from pcmd.support import api as support_api
from pcmd.tips import api as tips_api
from pcmd.training import api as training_api

router = DefaultRouter()
orgunits_api.register(router)
outreach_api.register(router)
training_api.register(router)
enforcement_api.register(router)
support_api.register(router)
tips_api.register(router)
plans_api.register(router)
indicators_api.register(router)
reports_api.register(router)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI without the inline <style> of drf-spectacular's template (CSP: style-src self)."""

    template_name = "api/swagger_ui.html"
    permission_classes = [IsAuthenticated]


app_name = "api"
urlpatterns = [
    path(
        "schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"
    ),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
