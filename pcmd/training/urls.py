from django.urls import path

from pcmd.training import views

app_name = "training"
urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("courses/export.xlsx", views.course_export, name="course-export"),
    path("courses/import/", views.course_import, name="course-import"),
    path(
        "courses/import/template.xlsx",
        views.course_import_template,
        name="course-import-template",
    ),
    path("courses/import/jobs/<uuid:pk>/", views.course_import_job, name="course-import-job"),
    path("courses/new/", views.course_create, name="course-create"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-edit"),
    path("courses/<int:pk>/delete/", views.course_delete, name="course-delete"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/export.xlsx", views.staff_export, name="staff-export"),
    path("staff/import/", views.staff_import, name="staff-import"),
    path("staff/import/template.xlsx", views.staff_import_template, name="staff-import-template"),
    path("staff/import/jobs/<uuid:pk>/", views.staff_import_job, name="staff-import-job"),
    path("staff/new/", views.staff_create, name="staff-create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<int:pk>/delete/", views.staff_delete, name="staff-delete"),
]
