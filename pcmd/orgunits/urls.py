from django.urls import path

from pcmd.orgunits import views

app_name = "orgunits"
urlpatterns = [
    path("", views.orgunit_browse, name="browse"),
]
