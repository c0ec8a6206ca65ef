from django.urls import path

from pcmd.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/retry/", views.job_retry_view, name="retry"),
    path("run/orgunits-load/", views.job_run_orgunits_load, name="run-orgunits-load"),
]
