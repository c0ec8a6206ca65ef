from django.urls import path

from pcmd.support import views

app_name = "support"
urlpatterns = [
    path("pilot-models/", views.pilotmodel_list, name="pilotmodel-list"),
    path("pilot-models/new/", views.pilotmodel_create, name="pilotmodel-create"),
    path("pilot-models/<int:pk>/", views.pilotmodel_detail, name="pilotmodel-detail"),
    path("pilot-models/<int:pk>/edit/", views.pilotmodel_edit, name="pilotmodel-edit"),
    path("pilot-models/<int:pk>/delete/", views.pilotmodel_delete, name="pilotmodel-delete"),
]
