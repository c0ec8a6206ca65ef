"""Pages of accounts: login (with 2FA), logout, home."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

login_view = auth_views.LoginView.as_view(template_name="accounts/login.html")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view()(request)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", {})
