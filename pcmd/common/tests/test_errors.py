"""The handler of unhandled errors: an unreachable database is a 503 users can act on, a bug
stays a 500, and neither touches the database."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory

from pcmd.common.errors import RETRY_AFTER_SECONDS, is_database_unavailable, server_error


def _answer(exc: Exception, path: str = "/plans/") -> object:
    try:
        raise exc
    except type(exc):
        return server_error(RequestFactory().get(path))


def test_database_out_of_reach_is_a_503_page_with_retry_after() -> None:
    # No django_db mark: any query the handler made would raise instead of answering.
    words = "database is locked" if connection.vendor == "sqlite" else "connection refused"
    response = _answer(OperationalError(words))
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)  # type: ignore[index]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "không kết nối được cơ sở dữ liệu" in body
    assert "chưa được ghi" in body


def test_database_out_of_reach_under_api_is_json() -> None:
    response = _answer(InterfaceError("connection already closed"), path="/api/tips/")
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/json"  # type: ignore[index]
    detail = json.loads(response.content)["detail"]  # type: ignore[attr-defined]
    assert "không kết nối được cơ sở dữ liệu" in detail


@pytest.mark.parametrize("path", ["/plans/", "/api/plans/"])
def test_a_bug_stays_a_server_error(path: str) -> None:
    response = _answer(ValueError("boom"), path=path)
    assert response.status_code == 500  # type: ignore[attr-defined]
    assert not response.has_header("Retry-After")  # type: ignore[attr-defined]
    assert "boom" not in response.content.decode()  # type: ignore[attr-defined]


def test_a_wrong_sqlite_statement_is_a_bug_not_an_outage() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's OperationalError only")
    assert not is_database_unavailable(OperationalError("no such column: x"))
    assert is_database_unavailable(OperationalError("database is locked"))


def test_other_database_errors_are_bugs() -> None:
    from django.db import IntegrityError, ProgrammingError

    assert not is_database_unavailable(IntegrityError("duplicate key"))
    assert not is_database_unavailable(ProgrammingError("syntax error"))
    assert not is_database_unavailable(None)
