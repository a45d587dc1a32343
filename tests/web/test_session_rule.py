"""The console's one commit rule and what may run on the event loop (docs/architecture.md, Web).

A route's session (``SessionDep``) is committed when the route function returns and before the
response is sent: a commit that fails is answered as an error, never after a success was sent;
a route that raises leaves nothing behind. Only light routes of the console are ``async def``.
"""

from __future__ import annotations

import inspect

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import OWN
from zhida.db import session_scope
from zhida.errors import ValidationFailed
from zhida.identifiers import make_uscc
from zhida.registry.models import Unit
from zhida.web.app import route_modules
from zhida.web.deps import SessionDep

NEW = make_uscc("91371523MA3C0009X")
probe = APIRouter()


@probe.post("/probe/write")
def write(db: SessionDep) -> Response:
    db.add(Unit(uscc=NEW, name="新登记单位", unit_type="企业"))
    return RedirectResponse("/units", status_code=303)


@probe.post("/probe/duplicate")
def duplicate(db: SessionDep) -> Response:
    db.add(Unit(uscc=OWN, name="重复登记", unit_type="企业"))  # the key is taken: the commit fails
    return RedirectResponse("/units", status_code=303)


@probe.post("/probe/refused")
def refused(db: SessionDep) -> Response:
    db.add(Unit(uscc=NEW, name="新登记单位", unit_type="企业"))
    db.flush()
    raise ValidationFailed("不予登记")


def _names(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {uscc: name for uscc, name in s.execute(select(Unit.uscc, Unit.name))}


def _client(app) -> TestClient:
    app.include_router(probe)
    return TestClient(app, raise_server_exceptions=False)


def test_the_route_s_work_is_committed_before_the_response(app, world):
    r = _client(app).post("/probe/write", follow_redirects=False)
    assert r.status_code == 303
    assert _names(world.engine)[NEW] == "新登记单位"


def test_a_failing_commit_is_answered_as_a_conflict_not_a_success(app, world):
    r = _client(app).post("/probe/duplicate", follow_redirects=False)
    assert r.status_code == 409, r.text[:300]
    assert _names(world.engine)[OWN] == "茌平信发铝制品有限公司"


def test_a_route_that_raises_leaves_nothing_behind(app, world):
    r = _client(app).post("/probe/refused", follow_redirects=False)
    assert r.status_code == 422 and "不予登记" in r.text
    assert NEW not in _names(world.engine)


# the console's routes that stay on the event loop: no database work of their own, a few indexed
# reads on the read connection (the API's hot paths), or the login routes that hand the argon2
# work and the database to the thread pool themselves
LIGHT = {("GET", "/api/v1/me"), ("GET", "/api/v1/units/{uscc}/decisions"),
         ("GET", "/api/v1/cycles/{cycle_id}/entitlements"), ("POST", "/login"), ("POST", "/logout"),
         ("POST", "/portal/login"), ("POST", "/portal/code"), ("POST", "/portal/activate")}


def _endpoints() -> dict[tuple[str, str], object]:
    """(method, path) → endpoint function of every route module (the console's and the programmes')."""
    return {(m, r.path): r.endpoint for module in route_modules() for r in module.router.routes
            if isinstance(r, APIRoute) for m in r.methods - {"HEAD"}}


def test_only_light_console_routes_run_on_the_event_loop():
    endpoints = _endpoints()
    on_loop = {k for k, fn in endpoints.items() if fn.__module__.startswith("zhida.web.")
               and inspect.iscoroutinefunction(fn)}
    assert on_loop == LIGHT
    heavy = {("POST", "/policies/{policy_id}/whatif"), ("POST", "/jobs"), ("GET", "/api/v1/cycles"),
             ("GET", "/api/v1/units"), ("GET", "/api/v1/cycles/{cycle_id}")}
    assert heavy <= endpoints.keys() and not any(inspect.iscoroutinefunction(endpoints[k]) for k in heavy)
