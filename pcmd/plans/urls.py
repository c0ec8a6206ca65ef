from django.urls import path

from pcmd.plans import budget_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import, name="import"),
    path("import/preview/", views.plan_preview, name="preview"),
    path("my-tasks/", views.my_tasks, name="my-tasks"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/status/", views.plan_status, name="status"),
    path("<int:pk>/export.docx", views.plan_export_docx, name="export-docx"),
    path("<int:pk>/cascade/", views.plan_cascade, name="cascade"),
    path("<int:pk>/derive-year/", views.plan_derive_year, name="derive-year"),
    path(
        "<int:pk>/basis/<int:basis_pk>/register/",
        views.plan_reference_register,
        name="reference-register",
    ),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("assignments/<int:pk>/delete/", views.assignment_delete, name="assignment-delete"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("<int:pk>/budget/", budget_views.plan_budget, name="budget"),
    path("<int:pk>/budget/export.xlsx", budget_views.budget_export, name="budget-export"),
    path("<int:pk>/budget/import/", budget_views.budget_import, name="budget-import"),
    path(
        "<int:pk>/budget/import/template.xlsx",
        budget_views.budget_import_template,
        name="budget-import-template",
    ),
    path("budget/<int:pk>/edit/", budget_views.budget_line_edit, name="budget-edit"),
    path("budget/<int:pk>/delete/", budget_views.budget_line_delete, name="budget-delete"),
]
