"""API wiring: the OpenAPI schema, Swagger UI served from our host only, secure headers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pcmd.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client: Client) -> Client:
    client.force_login(make_user(username="dieuphoi"))
    return client


def test_schema_is_openapi_3(logged_in: Client) -> None:
    response = logged_in.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/auth/token/" in schema["paths"] and "/api/me/" in schema["paths"]


def test_schema_and_docs_need_authentication(client: Client) -> None:
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/docs/").status_code in (401, 403)


def test_docs_reference_only_our_host(logged_in: Client) -> None:
    response = logged_in.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "swagger-ui-bundle.js" in html
    # No inline script or style: the CSP allows neither.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html


def test_docs_init_script_is_served_separately_without_other_hosts(logged_in: Client) -> None:
    response = logged_in.get("/api/docs/?script=")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in body
    assert "/api/schema/" in body


def test_api_responses_carry_secure_headers(logged_in: Client) -> None:
    response = logged_in.get("/api/docs/")
    csp = response["Content-Security-Policy"]
    assert "http" not in csp and "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_router_root_lists_endpoints_for_authenticated_users(logged_in: Client) -> None:
    assert logged_in.get("/api/", HTTP_ACCEPT="application/json").status_code == 200
