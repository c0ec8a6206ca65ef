from django.urls import path

from pcmd.sealing import views

app_name = "sealing"

urlpatterns = [
    path("break-glass/", views.break_glass, name="break-glass"),
    path("break-glass/<int:pk>/end/", views.break_glass_end, name="break-glass-end"),
]
