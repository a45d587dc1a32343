"""Logins, sessions and headers (issue 11, items 1, 7 and 8) through real HTTP on both databases."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import OTHER, OWN, PASSWORD, csrf_of, login
from zhida.db import session_scope
from zhida.platform.models import AuditEntry, OutboxMessage
from zhida.platform.outbox import REDACTED, process_outbox
from zhida.platform.senders import FileSender
from zhida.web.accounts import ACCOUNT_LIMIT
from zhida.web.codes import UNIT_REQUESTS
from zhida.web.models import LoginCode, WebSession

TEMPLATES = Path(__file__).resolve().parents[2] / "zhida"


def saved_cookie(client: TestClient) -> str:
    return client.cookies.get("zhida_session")


def replay(app, cookie: str, path: str = "/api/v1/me") -> int:
    with TestClient(app) as other:
        other.cookies.set("zhida_session", cookie)
        return other.get(path, follow_redirects=False).status_code


def test_a_saved_cookie_dies_with_logout_reset_and_deactivation(app, client, world):
    token = login(client, "t_operator")
    cookie = saved_cookie(client)
    assert replay(app, cookie) == 200
    client.post("/logout", data={"csrf_token": token})
    assert replay(app, cookie) == 401  # logout ends the server-side session, not only this browser's copy
    login(client, "t_reviewer")
    cookie = saved_cookie(client)
    admin = TestClient(app)
    admin_token = login(admin, "t_admin")
    admin.post("/accounts", data={"username": "t_reviewer", "role": "reviewer", "password": "another-pass-9",
                                  "csrf_token": admin_token})
    assert replay(app, cookie) == 401  # a password set by the administrator ends every session
    login(client, "t_leader")
    cookie = saved_cookie(client)
    admin.post("/accounts/t_leader/active", data={"active": "false", "csrf_token": admin_token})
    assert replay(app, cookie) == 401
    with session_scope(world.engine) as s:
        assert not s.scalars(select(WebSession).where(WebSession.username.in_(["t_reviewer", "t_leader"]))).all()


def test_a_cookie_signed_without_a_session_is_refused(app):
    """Even with the signing secret, a cookie naming the administrator but no live session is refused."""
    import base64
    import json

    from itsdangerous import TimestampSigner

    payload = base64.b64encode(json.dumps({"user": "t_admin", "role": "admin", "sid": "forged"}).encode())
    forged = TimestampSigner(app.state.settings.cookie_secret).sign(payload).decode()
    assert replay(app, forged) == 401


def test_staff_reset_sends_an_activation_and_never_sets_the_password(app, client, world):
    unit = TestClient(app)
    login(unit, OWN)
    unit_cookie = saved_cookie(unit)
    op = login(client, "t_operator")
    r = client.post(f"/units/{OWN}/account", data={"csrf_token": op, "password": "chosen-by-staff"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert replay(app, unit_cookie) == 401  # the unit's sessions ended
    with session_scope(world.engine) as s:
        msg = s.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("secret:activate:%"))).one()
        assert msg.recipient == "13800138000" and "chosen-by-staff" not in msg.body
        code = re.search(r"激活码为 (\d{8})", msg.body).group(1)
        assert code not in msg.dedupe_key
        row = s.scalars(select(AuditEntry).where(AuditEntry.action == "重置单位门户密码")).one()
        assert (row.actor, row.role, row.entity_id) == ("t_operator", "operator", OWN) and "138****8000" in row.after
    for password in (PASSWORD, "chosen-by-staff"):  # neither the old nor a staff-chosen password works
        t = csrf_of(unit.get("/portal/login").text)
        assert unit.post("/portal/login", data={"uscc": OWN, "password": password, "csrf_token": t}).status_code == 401
    t = csrf_of(unit.get("/portal/activate").text)
    r = unit.post("/portal/activate", data={"uscc": OWN, "code": code, "password": "unit-own-pass-1",
                                            "password2": "unit-own-pass-1", "csrf_token": t}, follow_redirects=False)
    assert r.status_code == 303 and unit.get("/api/v1/me").json()["uscc"] == OWN
    t = csrf_of(unit.get("/portal/activate").text)
    again = unit.post("/portal/activate", data={"uscc": OWN, "code": code, "password": "x" * 9, "password2": "x" * 9,
                                                "csrf_token": t})
    assert again.status_code == 401  # once only
    admin = login(client, "t_admin")
    r = client.post("/accounts", data={"username": OTHER, "role": "unit", "uscc": OTHER, "password": "staff-chosen-1",
                                       "csrf_token": admin})
    assert r.status_code == 422 and "单位自己设置" in r.text


def request_code(client: TestClient, uscc: str = OWN):
    t = csrf_of(client.get("/portal/login").text)
    return client.post("/portal/code", data={"uscc": uscc, "csrf_token": t})


def code_login(client: TestClient, code: str, uscc: str = OWN):
    t = csrf_of(client.get("/portal/login").text)
    return client.post("/portal/login", data={"uscc": uscc, "code": code, "csrf_token": t}, follow_redirects=False)


def sent_codes(engine) -> list[str]:
    with session_scope(engine) as s:
        bodies = s.scalars(select(OutboxMessage.body).where(OutboxMessage.dedupe_key.like("secret:login-code:%"))
                           .order_by(OutboxMessage.id)).all()
    return [re.search(r"登录验证码为 (\d{6})", b).group(1) for b in bodies if "登录验证码为" in b]


def test_code_requests_are_limited_and_one_code_is_valid(client, world, tmp_path):
    answers = [request_code(client) for _ in range(50)]
    assert [r.status_code for r in answers[:UNIT_REQUESTS]] == [200] * UNIT_REQUESTS
    assert {r.status_code for r in answers[UNIT_REQUESTS:]} == {429}
    assert "过于频繁" in answers[-1].text
    assert [r.status_code for r in [request_code(client, "91371500MA3C00000X") for _ in range(4)]][-1] == 429
    codes = sent_codes(world.engine)
    assert len(codes) == UNIT_REQUESTS  # 50 requests → 3 SMS, not 50
    with session_scope(world.engine) as s:
        rows = s.scalars(select(LoginCode).where(LoginCode.username == OWN)).all()
        assert sum(not r.used for r in rows) == 1  # one valid code at a time
        assert all(c not in r.code_hash for r in rows for c in codes) and len(rows[0].code_hash) == 64
    assert code_login(client, codes[0]).status_code == 401  # superseded
    assert code_login(client, codes[-1]).status_code == 303
    assert code_login(client, codes[-1]).status_code == 401  # used
    process_outbox(world.engine, FileSender(tmp_path / "sms.jsonl"))
    with session_scope(world.engine) as s:
        stored = s.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("secret:%"))).all()
        assert stored and all(m.status == "sent" and m.body == REDACTED for m in stored)
        assert not any(c in m.body + m.dedupe_key for m in stored for c in codes)


def test_codes_and_passwords_share_one_lock(client, world):
    request_code(client)
    code = sent_codes(world.engine)[-1]
    t = csrf_of(client.get("/portal/login").text)
    for _ in range(ACCOUNT_LIMIT):
        client.post("/portal/login", data={"uscc": OWN, "password": "wrong-pass", "csrf_token": t})
    r = code_login(client, code)
    assert r.status_code == 401 and "锁定" in r.text  # the right code does not bypass the lock
    with session_scope(world.engine) as s:
        s.execute(LoginCode.__table__.delete())
        from zhida.web.models import LoginAttempt

        s.execute(LoginAttempt.__table__.delete())
    for _ in range(ACCOUNT_LIMIT):
        code_login(client, "000000")  # wrong codes count on the same lock
    t = csrf_of(client.get("/portal/login").text)
    r = client.post("/portal/login", data={"uscc": OWN, "password": PASSWORD, "csrf_token": t})
    assert r.status_code == 401


def attempt(client: TestClient, username: str) -> tuple[int, str, float]:
    t = csrf_of(client.get("/login").text)
    start = time.perf_counter()
    r = client.post("/login", data={"username": username, "password": "wrong-password", "csrf_token": t})
    elapsed = time.perf_counter() - start
    message = re.search(r'role="alert">([^<]+)<', r.text).group(1)
    return r.status_code, message, elapsed


def test_unknown_and_known_names_look_the_same(client):
    known, unknown = [], []
    for i in range(4):  # interleaved, so that a busy machine slows both alike
        known.append(attempt(client, "t_operator"))
        unknown.append(attempt(client, f"nobody{i}"))
    assert {(s, m) for s, m, _ in known} == {(s, m) for s, m, _ in unknown} and len({m for _, m, _ in known}) == 1
    k, u = statistics.median(t for *_, t in known), statistics.median(t for *_, t in unknown)
    assert 1 / 3 < k / u < 3, (k, u)  # one argon2 verification either way (an unknown name: a dummy hash)
    for _ in range(ACCOUNT_LIMIT):  # an unknown name locks like a known one
        attempt(client, "ghost")
        attempt(client, "t_reviewer")
    assert attempt(client, "ghost")[:2] == attempt(client, "t_reviewer")[:2]


def test_security_headers_everywhere(client):
    for path in ("/login", "/portal/login", "/static/js/zhida.js", "/no-such-page", "/api/v1/me"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        script = re.search(r"script-src ([^;]+)", csp).group(1)
        assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp, path
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff", path
        assert h["referrer-policy"] == "same-origin", path


def test_no_template_has_inline_script():
    found = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m}" for m in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
        found += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        found += [f"{path.name}: javascript:" for _ in re.findall(r"javascript:", text)]
    assert not found, found


def test_leader_approves_payment_and_cannot_revoke(app, client, world):
    from tests.delivery.flow import new_cycle

    paying, _ = new_cycle(world.engine, n=4, to="待发放")
    token = login(client, "t_leader")
    r = client.post(f"/cycles/{paying}/advance", data={"to": "已撤销", "note": "领导要求", "csrf_token": token})
    assert r.status_code == 403 and "撤销批次需要审核角色" in r.text
    r = client.post(f"/cycles/{paying}/advance", data={"to": "发放中", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.post(f"/cycles/{paying}/export", data={"csrf_token": token}).status_code == 403
    from sqlalchemy import func

    from zhida.rules.models import PolicyRun

    with session_scope(world.engine) as s:
        runs = s.scalar(select(func.count()).select_from(PolicyRun))
    data_dir = Path(app.state.settings.data_dir)
    files = set(data_dir.rglob("*")) if data_dir.exists() else set()
    r = client.post("/policies/wengang-fanhuan/whatif", data={"period": "2025", "p.rate.sme": "90%", "csrf_token": token})
    assert r.status_code == 200  # a leader may look at a what-if …
    with session_scope(world.engine) as s:
        assert s.scalar(select(func.count()).select_from(PolicyRun)) == runs  # … which stores nothing
    assert (set(data_dir.rglob("*")) if data_dir.exists() else set()) == files  # and writes no file
