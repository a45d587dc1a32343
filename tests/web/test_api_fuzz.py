"""schemathesis over the OpenAPI document: generated requests to every operation never get a 5xx,
and every error body has the one documented shape."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from tests.web.conftest import login
from tests.web.test_cycles_page import make_run

EXAMPLES = 40


def session_of(app, username: str | None) -> tuple[dict, str]:
    with TestClient(app) as c:
        token = login(c, username) if username else ""
        return dict(c.cookies), token


def fuzz(app, username: str | None) -> int:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    cookies, token = session_of(app, username)
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal calls
            response = case.call(headers={"x-csrf-token": token}, cookies=cookies)
            calls += 1
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
            if response.status_code >= 400:
                body = response.json()
                assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])

        check()
    return calls


def test_no_server_error_as_administrator(app, district):
    make_run(district.engine)
    assert fuzz(app, "t_admin") > 100


def test_no_server_error_as_unit_and_anonymous(app, world):
    assert fuzz(app, world.own) > 100
    assert fuzz(app, None) > 100
