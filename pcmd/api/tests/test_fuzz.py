"""The whole API fuzzed from its own OpenAPI schema (schemathesis), in-process, as every role.

What is asserted, for every operation of the schema, called by a user of each role in Xã Hoằng
Hợp (tokens obtained from POST /api/auth/token/, with a TOTP code for the roles that need one)
and anonymously:
1. no response is a server error (5xx, or an exception escaping the WSGI app);
2. no 2xx response carries an object of another province: every object of another province is
   seeded (test_access_matrix.Place), and no "org_unit" in any 2xx body lies outside the
   caller's scope, no list holds a seeded object's id, no body holds a seeded text;
3. every 4xx is JSON with a message a person can read (a "detail" string, or field errors).

Budget: PCMD_FUZZ_EXAMPLES examples per operation and role (default 2; anonymous callers get 1,
since every answer is 401), generated deterministically (derandomize) so CI is reproducible;
explore more locally with other inputs each run:
    PCMD_FUZZ_EXAMPLES=30 PCMD_FUZZ_RANDOM=1 .venv/bin/pytest -q pcmd/api/tests/test_fuzz.py
(2 examples: about 2,000 requests in ~2 minutes on the 2-core machine, after the hierarchy load).
Failures are collected across the whole run (no shrinking), so one run reports every problem.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pcmd.accounts.models import User
from pcmd.accounts.permissions import ROLES_REQUIRING_2FA
from pcmd.accounts.tests.factories import (
    HOANG_HOP,
    OLD_AN_GIANG,
    PASSWORD,
    make_totp_device,
    make_user,
    totp_token,
    unit,
)
from pcmd.accounts.tests.test_access_matrix import Place
from pcmd.orgunits.models import OrgUnitScope

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("PCMD_FUZZ_EXAMPLES", "2"))
# Texts of the objects seeded in another province (test_access_matrix.Place): none may show up.
FOREIGN_TEXTS = ("Người Thử Nghiệm", "Người Báo Thử", "Tin báo thử", "Mô hình giảm hại")
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("PCMD_FUZZ_RANDOM"),
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@dataclass
class Caller:
    name: str
    headers: dict[str, str]
    scope: set[int]
    examples: int


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    calls: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, case: Any, caller: Caller, status: int | str, what: str) -> None:
        if len(self.problems) < 200:
            body = json.dumps(case.body, default=str)[:200] if case.body is not None else ""
            self.problems.append(
                f"{caller.name}: {case.method} {case.formatted_path} "
                f"query={case.query} body={body} -> {status}: {what}"
            )


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI app, run in this test's transaction: like Django's test client, stop
    the request signals from closing the connection the test's transaction lives on."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()


@pytest.fixture
def schema() -> Any:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(json.dumps(raw, default=str)))


def _token(app: Any, user: User) -> str:
    from werkzeug.test import Client

    body: dict[str, str] = {"username": user.username, "password": PASSWORD}
    if user.role in ROLES_REQUIRING_2FA:
        body["otp"] = totp_token(make_totp_device(user))
    response = Client(app).post("/api/auth/token/", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return str(response.json["token"])


def _callers(app: Any) -> list[Caller]:
    home = unit(HOANG_HOP)
    scope = set(OrgUnitScope.objects.filter(holder=home).values_list("unit_id", flat=True))
    callers = [Caller("anonymous", {}, set(), 1)]
    for role in User.Role.values:
        user = make_user(username=f"fuzz-{role}", role=role, unit_code=HOANG_HOP)
        token = _token(app, user)
        callers.append(Caller(role, {"Authorization": f"Token {token}"}, scope, EXAMPLES))
    cache.clear()  # the token endpoint's throttle counted these
    return callers


def _seed_other_province() -> dict[str, set[int]]:
    """One object of every kind in another province; their ids by model name."""
    place = Place(unit(OLD_AN_GIANG), "fuzz-ngoai-tinh")
    seeded: dict[str, set[int]] = {}
    for model in Place.MODELS:
        obj = place.make(model)
        seeded.setdefault(model.__name__, set()).add(obj.pk)
    return seeded


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _objects(inner)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def _list_model(path: str) -> str | None:
    """The model a list path serves, read from the resolved viewset's queryset."""
    from django.urls import resolve

    try:
        match = resolve(path)
    except Exception:
        return None
    view_class = getattr(match.func, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    return queryset.model.__name__ if queryset is not None else None


def _check(
    case: Any, response: Any, caller: Caller, seeded: dict[str, set[int]], found: Findings
) -> None:
    status = response.status_code
    found.calls += 1
    found.statuses[status] = found.statuses.get(status, 0) + 1
    if status >= 500:
        found.add(case, caller, status, response.text[:300])
        return
    is_json = "json" in "".join(response.headers.get("content-type", []))
    if 400 <= status < 500:
        if not is_json:
            found.add(case, caller, status, f"4xx is not JSON: {response.text[:120]!r}")
            return
        body = response.json()
        if not any(text.strip() for text in _strings(body)):
            found.add(case, caller, status, f"4xx without a message: {body!r}")
        return
    if not (200 <= status < 300) or not is_json or not response.content:
        return
    body = response.json()
    for obj in _objects(body):
        org_unit = obj.get("org_unit")
        if isinstance(org_unit, dict):
            org_unit = org_unit.get("id")
        if isinstance(org_unit, int) and org_unit not in caller.scope:
            found.add(case, caller, status, f"object of unit {org_unit} outside the scope")
    leaked = [t for t in _strings(body) for f in FOREIGN_TEXTS if f in t]
    if leaked:
        found.add(case, caller, status, f"seeded text of another province: {leaked[:3]}")
    if case.method == "GET" and isinstance(body, dict) and isinstance(body.get("results"), list):
        model = _list_model(case.formatted_path)
        ids = {r.get("id") for r in body["results"] if isinstance(r, dict)}
        if model and ids & seeded.get(model, set()):
            found.add(case, caller, status, f"{model} of another province listed")


def _fuzz_operation(
    operation: Any, caller: Caller, app: Any, seeded: dict[str, set[int]], found: Findings
) -> None:
    @settings(FUZZ_SETTINGS, max_examples=caller.examples)
    @given(case=operation.as_strategy(), _salt=st.just(caller.name))
    def run(case: Any, _salt: str) -> None:
        try:
            response = case.call(app=app, headers=caller.headers)
        except Exception as exc:  # an exception escaping the app is a server error
            found.add(case, caller, "exception", f"{type(exc).__name__}: {exc}"[:300])
            return
        _check(case, response, caller, seeded, found)

    run()


def test_no_operation_errors_leaks_or_answers_without_a_message(schema: Any, wsgi_app: Any) -> None:
    seeded = _seed_other_province()
    callers = _callers(wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100  # the whole API, not a part of it
    found = Findings()
    for caller in callers:
        for operation in operations:
            _fuzz_operation(operation, caller, wsgi_app, seeded, found)
            cache.clear()  # throttles would turn the rest of the run into 429s
    assert found.problems == [], "\n".join(found.problems)
    # Control: the callers really reached the API (not 401 everywhere).
    assert found.statuses.get(200, 0) > len(operations)
    assert found.calls >= len(operations) * len(callers)
