from django.urls import path

from pcmd.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/", views.otp_setup, name="otp-setup"),
    path("password/", views.password_change, name="password-change"),
    path("audit/", views.audit_list, name="audit"),
]
