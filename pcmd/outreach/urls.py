from django.urls import path

from pcmd.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("new/agencies/", views.agency_options, name="agency-options"),
    path("export.xlsx", views.event_export, name="export"),
    path("import/", views.event_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("import/jobs/<uuid:pk>/", views.import_job, name="import-job"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/delete/", views.event_delete, name="delete"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
