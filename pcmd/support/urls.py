from django.urls import path

from pcmd.support import views

app_name = "support"
urlpatterns = [
    path("pilot-models/", views.pilotmodel_list, name="pilotmodel-list"),
    path("pilot-models/export.xlsx", views.pilotmodel_export, name="pilotmodel-export"),
    path("pilot-models/import/", views.pilotmodel_import, name="pilotmodel-import"),
    path(
        "pilot-models/import/template.xlsx",
        views.pilotmodel_import_template,
        name="pilotmodel-import-template",
    ),
    path(
        "pilot-models/import/jobs/<uuid:pk>/",
        views.pilotmodel_import_job,
        name="pilotmodel-import-job",
    ),
    path("pilot-models/new/", views.pilotmodel_create, name="pilotmodel-create"),
    path("pilot-models/<int:pk>/", views.pilotmodel_detail, name="pilotmodel-detail"),
    path("pilot-models/<int:pk>/edit/", views.pilotmodel_edit, name="pilotmodel-edit"),
    path("pilot-models/<int:pk>/delete/", views.pilotmodel_delete, name="pilotmodel-delete"),
]
