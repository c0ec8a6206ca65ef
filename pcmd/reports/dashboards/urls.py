from django.urls import path

from pcmd.reports.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("children/", views.children, name="children"),
]
