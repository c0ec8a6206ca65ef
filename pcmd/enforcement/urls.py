from django.urls import path

from pcmd.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("", views.index, name="index"),
    path("establishments/", views.establishment_list, name="establishment-list"),
    path("establishments/export.xlsx", views.establishment_export, name="establishment-export"),
    path("establishments/import/", views.establishment_import, name="establishment-import"),
    path(
        "establishments/import/template.xlsx",
        views.establishment_import_template,
        name="establishment-import-template",
    ),
    path(
        "establishments/import/jobs/<uuid:pk>/",
        views.establishment_import_job,
        name="establishment-import-job",
    ),
    path("establishments/new/", views.establishment_create, name="establishment-create"),
    path("establishments/<int:pk>/", views.establishment_detail, name="establishment-detail"),
    path("establishments/<int:pk>/edit/", views.establishment_edit, name="establishment-edit"),
    path(
        "establishments/<int:pk>/delete/", views.establishment_delete, name="establishment-delete"
    ),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection-edit"),
    path("inspections/<int:pk>/delete/", views.inspection_delete, name="inspection-delete"),
    path("inspections/<int:pk>/violations/new/", views.violation_create, name="violation-create"),
    path("violations/<int:pk>/delete/", views.violation_delete, name="violation-delete"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team-edit"),
    path("teams/<int:pk>/delete/", views.team_delete, name="team-delete"),
    path("hotspots/", views.hotspot_list, name="hotspot-list"),
    path("hotspots/new/", views.hotspot_create, name="hotspot-create"),
    path("hotspots/<int:pk>/edit/", views.hotspot_edit, name="hotspot-edit"),
    path("hotspots/<int:pk>/delete/", views.hotspot_delete, name="hotspot-delete"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/export.xlsx", views.case_export, name="case-export"),
    path("cases/import/", views.case_import, name="case-import"),
    path("cases/import/template.xlsx", views.case_import_template, name="case-import-template"),
    path("cases/import/jobs/<uuid:pk>/", views.case_import_job, name="case-import-job"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/delete/", views.case_delete, name="case-delete"),
    path("sample/", views.sample, name="sample"),
]
