from django.urls import path

from pcmd.indicators import views

app_name = "indicators"
urlpatterns = [
    path("plans/<int:pk>/", views.plan_evaluation, name="plan-evaluation"),
    path("targets/<int:pk>/measure/", views.target_measure_edit, name="target-measure"),
    path("units/<int:pk>/value/", views.value_detail, name="value"),
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/new/", views.entry_create, name="entry-create"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry-delete"),
]
