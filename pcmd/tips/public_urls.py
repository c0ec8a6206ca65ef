"""The anonymous public tip page, mounted at /to-giac/ (Vietnamese paths, no login)."""

from django.urls import path

from pcmd.tips import public_views

app_name = "tips_public"
urlpatterns = [
    path("", public_views.public_submit, name="submit"),
    path("tra-cuu/", public_views.public_lookup, name="lookup"),
    path("tra-cuu/tin-nhan/", public_views.public_message, name="message"),
]
