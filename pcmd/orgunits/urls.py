from django.urls import path

from pcmd.orgunits import views

app_name = "orgunits"
urlpatterns = [
    path("", views.orgunit_browse, name="browse"),
    path("search/", views.orgunit_search, name="search"),
    path("pick/", views.orgunit_pick, name="pick"),
    path("village-template.xlsx", views.village_template, name="village-template"),
    path("<int:pk>/", views.orgunit_detail, name="detail"),
    path("<int:pk>/children/", views.orgunit_children, name="children"),
    path("<int:pk>/villages/new/", views.village_create, name="village-create"),
    path("<int:pk>/villages/import/", views.village_import, name="village-import"),
    path("<int:pk>/agencies/", views.agency_list, name="agency-list"),
    path("<int:pk>/agencies/new/", views.agency_create, name="agency-create"),
    path("<int:pk>/standing-agency/", views.standing_agency_assign, name="standing-assign"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency-edit"),
]
