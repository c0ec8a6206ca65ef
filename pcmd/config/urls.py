"""URL map: each app brings its own urls.py; the API lives under /api/ (pcmd.api.urls)."""

from django.contrib import admin
from django.urls import include, path

from pcmd.reports.dashboards import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("accounts/", include("pcmd.accounts.urls")),
    path("orgunits/", include("pcmd.orgunits.urls")),
    path("jobs/", include("pcmd.jobs.urls")),
    path("plans/", include("pcmd.plans.urls")),
    path("outreach/", include("pcmd.outreach.urls")),
    path("training/", include("pcmd.training.urls")),
    path("enforcement/", include("pcmd.enforcement.urls")),
    path("support/", include("pcmd.support.urls")),
    path("sealing/", include("pcmd.sealing.urls")),
    path("tips/", include("pcmd.tips.urls")),
    path("to-giac/", include("pcmd.tips.public_urls")),
    path("indicators/", include("pcmd.indicators.urls")),
    path("reports/", include("pcmd.reports.urls")),
    path("api/", include("pcmd.api.urls")),
    path("dashboard/", include("pcmd.reports.dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "pcmd.common.errors.server_error"
