"""Login, sessions, CSRF and throttling through real HTTP requests on both databases."""

from __future__ import annotations

from tests.web.conftest import OWN, PASSWORD, csrf_of, login
from zhida.db import session_scope
from zhida.web.accounts import ACCOUNT_LIMIT
from zhida.web.models import Account


def test_pages_need_login(client):
    r = client.get("/units", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    api = client.get("/api/v1/me")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "not_authenticated"


def test_login_sets_httponly_samesite_cookie_and_stores_argon2(client, world):
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "t_operator", "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert client.get("/units").status_code == 200
    with session_scope(world.engine) as s:
        assert s.get(Account, "t_operator").password_hash.startswith("$argon2id$")


def test_wrong_password_is_refused_in_chinese(client):
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "t_operator", "password": "nope-nope", "csrf_token": token})
    assert r.status_code == 401 and "用户名或密码错误" in r.text


def test_form_without_csrf_token_is_refused(client):
    client.get("/login")
    r = client.post("/login", data={"username": "t_operator", "password": PASSWORD})
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post("/login", data={"username": "t_operator", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403


def test_account_locks_after_repeated_failures(client, world):
    token = csrf_of(client.get("/login").text)
    for _ in range(ACCOUNT_LIMIT):
        client.post("/login", data={"username": "t_reviewer", "password": "wrong-pass", "csrf_token": token})
    r = client.post("/login", data={"username": "t_reviewer", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 401 and "锁定" in r.text
    with session_scope(world.engine) as s:
        assert s.get(Account, "t_reviewer").failed_logins == ACCOUNT_LIMIT


def test_one_below_the_limit_still_logs_in(client):
    token = csrf_of(client.get("/login").text)
    for _ in range(ACCOUNT_LIMIT - 1):
        client.post("/login", data={"username": "t_reviewer", "password": "wrong-pass", "csrf_token": token})
    r = client.post("/login", data={"username": "t_reviewer", "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303


def test_logout_ends_the_session(client):
    token = login(client, "t_admin")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/units", follow_redirects=False).status_code == 303


def test_disabled_account_is_out_at_once(client, world):
    login(client, "t_leader")
    with session_scope(world.engine) as s:
        s.get(Account, "t_leader").active = False
    assert client.get("/api/v1/me").status_code == 401


def test_unit_logs_in_on_the_portal_and_staff_cannot(client):
    login(client, OWN)
    assert client.get("/api/v1/me").json()["uscc"] == OWN
    client.cookies.clear()
    token = csrf_of(client.get("/portal/login").text)
    r = client.post("/portal/login", data={"uscc": "t_admin", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 401 and "单位门户只接受单位账号" in r.text


def test_open_redirect_is_ignored(client):
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "t_admin", "password": PASSWORD, "csrf_token": token,
                                    "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"
