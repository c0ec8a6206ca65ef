from django.urls import path

from pcmd.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("children/", views.children_status, name="children"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/differences/", views.report_differences, name="differences"),
    path("<int:pk>/save/", views.report_save, name="save"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/return/", views.report_return, name="return"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("<int:pk>/file.<str:fmt>", views.report_download, name="download"),
]
