"""Fixtures of the web tests: an app on a fresh database, accounts of every role, two units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from zhida.config import Settings
from zhida.db import session_scope
from zhida.identifiers import make_uscc
from zhida.registry.models import Unit
from zhida.roles import Role
from zhida.web.accounts import AccountCreate, create_account
from zhida.web.app import create_app

OWN = make_uscc("91371523MA3C0001X")
OTHER = make_uscc("91371523MA3C0002X")
PASSWORD = "test-password-1"
STAFF = {Role.ADMIN: "t_admin", Role.OPERATOR: "t_operator", Role.REVIEWER: "t_reviewer", Role.LEADER: "t_leader"}


@dataclass
class World:
    url: str
    engine: object
    own: str = OWN
    other: str = OTHER


def add_units(engine) -> None:
    with session_scope(engine) as s:
        for uscc, name, town, size in ((OWN, "茌平信发铝制品有限公司", "振兴街道", "中型"),
                                       (OTHER, "阳谷华泰机械有限公司", "博济桥街道", "小型")):
            s.add(Unit(uscc=uscc, name=name, unit_type="企业", industry_code="C3311", industry_section="C",
                       employees=120, revenue_wan=Decimal("5000"), size_class=size, size_source="recorded",
                       township=town, contact="王经理", phone="13800138000", bank_name="聊城农商银行",
                       account_no="6228480012345678"))


def add_accounts(engine) -> None:
    with session_scope(engine) as s:
        for role, name in STAFF.items():
            create_account(s, AccountCreate(name, PASSWORD, role))
        create_account(s, AccountCreate(OWN, PASSWORD, Role.UNIT, OWN))


@pytest.fixture
def world(db_url, engine) -> World:
    add_units(engine)
    add_accounts(engine)
    return World(db_url, engine)


@pytest.fixture
def app(world, tmp_path):
    settings = Settings(database_url=world.url, environment="test", secret_key="x" * 32, data_dir=tmp_path / "var")
    return create_app(settings, world.engine)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; return the session's CSRF token."""
    path = "/portal/login" if username in (OWN, OTHER) else "/login"
    token = csrf_of(client.get(path).text)
    field = "uscc" if path == "/portal/login" else "username"
    r = client.post(path, data={field: username, "password": password, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return csrf_of(client.get("/portal" if path == "/portal/login" else "/units").text)


def username_of(role: Role) -> str:
    return OWN if role == Role.UNIT else STAFF[role]


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def live(app):
    from tests.web.browser import LiveServer

    with LiveServer(app) as server:
        yield server


@pytest.fixture
def page(browser, live):
    context = browser.new_context(base_url=live.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    if username in (OWN, OTHER):
        page.goto("/portal/login")
        page.fill("input[name=uscc]", username)
    else:
        page.goto("/login")
        page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def district(world, tmp_path):
    """The seeded demo district (80 units) imported into the test database, next to the two test units."""
    from zhida.demo.generate import generate
    from zhida.imports.engine import run_import

    files = generate(tmp_path / "district", units=80, seed=7)
    for kind in ("enterprises", "ui-payments", "credit-list", "industrial-output"):
        run_import(kind, files[kind], engine=world.engine)
    return world
