"""发放批次 over HTTP: a cycle from 草稿 to 已完成 by three roles, the portal answer, reconciliation."""

from __future__ import annotations

import datetime as dt
import io
import re

from sqlalchemy import select

from tests.web.conftest import PASSWORD, login
from zhida.db import session_scope
from zhida.delivery.models import Entitlement
from zhida.demo.banksim import simulate_return
from zhida.roles import Role
from zhida.rules import service as rules
from zhida.web.accounts import AccountCreate, create_account


class Clock:
    def __init__(self, day: dt.date):
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


def make_run(engine) -> int:
    """A stored run of 稳岗返还 2025; every unit gets an account so that every payment can go out
    (a unit with no account would keep the cycle from being completed)."""
    from sqlalchemy import update

    from zhida.registry.models import Unit

    with session_scope(engine) as s:
        s.execute(update(Unit).where(Unit.account_no.is_(None)).values(account_no="6228480099990000",
                                                                       bank_name="聊城农商银行"))
    with session_scope(engine) as s:
        return rules.run_policy(s, "wengang-fanhuan", "2025", as_of=dt.date(2025, 6, 1)).id


def advance(client, token: str, cycle_id: int, to: str, status: int = 303):
    r = client.post(f"/cycles/{cycle_id}/advance", data={"to": to, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == status, re.findall(r"role=\"alert\">([^<]+)", r.text)
    return r


def state_of(client, cycle_id: int) -> str:
    return re.search(r'id="cycle-state">([^<]+)<', client.get(f"/cycles/{cycle_id}").text).group(1)


def test_cycle_from_draft_to_done(app, client, district, tmp_path):
    clock = app.state.clock = Clock(dt.date(2025, 6, 2))
    run_id = make_run(district.engine)
    op = login(client, "t_operator")
    r = client.post("/cycles", data={"run_id": run_id, "csrf_token": op}, follow_redirects=False)
    cycle_id = int(r.headers["location"].rsplit("/", 1)[1])
    with session_scope(district.engine) as s:
        unit = s.scalars(select(Entitlement).where(Entitlement.cycle_id == cycle_id)
                         .order_by(Entitlement.uscc)).first().uscc
        create_account(s, AccountCreate(unit, PASSWORD, Role.UNIT, unit))
    advance(client, op, cycle_id, "审核")
    advance(client, op, cycle_id, "公示", status=403)  # an operator may not approve
    rv = login(client, "t_reviewer")
    advance(client, rv, cycle_id, "公示")
    assert "全文公示" in client.get(f"/cycles/{cycle_id}").text
    printable = client.get(f"/cycles/{cycle_id}/publicity/print").text
    with session_scope(district.engine) as s:
        first = s.scalars(select(Entitlement).where(Entitlement.cycle_id == cycle_id)
                          .order_by(Entitlement.township, Entitlement.uscc)).first()
    assert first.name in printable and first.uscc in printable and "*" not in first.name
    op = login(client, "t_operator")
    refused = advance(client, op, cycle_id, "确认期", status=409)
    assert "公示期到" in refused.text
    clock.day = dt.date(2025, 6, 20)
    advance(client, op, cycle_id, "确认期")
    # the unit confirms its account on the portal
    client.cookies.clear()
    unit_token = login(client, unit)
    page = client.get("/portal").text
    assert f"confirm-{cycle_id}" in page
    r = client.post("/portal/confirm", data={"cycle_id": cycle_id, "action": "correct", "account_no": "6222 0000 1111 2222",
                                             "bank_name": "聊城农商银行", "csrf_token": unit_token}, follow_redirects=False)
    assert r.status_code == 303
    assert "已更正" in client.get("/portal").text
    op = login(client, "t_operator")
    clock.day = dt.date(2025, 7, 20)
    advance(client, op, cycle_id, "待发放")
    rv = login(client, "t_reviewer")
    advance(client, rv, cycle_id, "发放中")
    op = login(client, "t_operator")
    client.post(f"/cycles/{cycle_id}/export", data={"csrf_token": op})
    html = client.get(f"/cycles/{cycle_id}").text
    csv_name = re.search(r'/files/([^"]+\.csv)"', html).group(1)
    batch = tmp_path / "batch.csv"
    batch.write_bytes(client.get(f"/cycles/{cycle_id}/files/{csv_name}").content)
    returned = tmp_path / "回盘.csv"
    simulate_return(batch, returned)
    r = client.post(f"/cycles/{cycle_id}/return", data={"csrf_token": op},
                    files={"file": ("回盘.csv", io.BytesIO(returned.read_bytes()), "text/csv")}, follow_redirects=True)
    assert "支付成功" in r.text and "平衡，分毫不差" in r.text
    advance(client, op, cycle_id, "已完成")
    assert state_of(client, cycle_id) == "已完成"
    with session_scope(district.engine) as s:
        e = s.get(Entitlement, (cycle_id, unit))
        assert e.confirmation == "已更正" and e.account_no == "6222000011112222"
    login(client, "t_leader")
    assert "哈希链校验通过" in client.get("/audit/verify").text


def test_portal_objection_and_no_other_unit(app, client, district):
    app.state.clock = Clock(dt.date(2025, 6, 2))
    run_id = make_run(district.engine)
    op = login(client, "t_operator")
    cycle_id = int(client.post("/cycles", data={"run_id": run_id, "csrf_token": op},
                               follow_redirects=False).headers["location"].rsplit("/", 1)[1])
    with session_scope(district.engine) as s:
        mine, other = [e.uscc for e in s.scalars(select(Entitlement).where(Entitlement.cycle_id == cycle_id)
                                                 .order_by(Entitlement.uscc).limit(2))]
        create_account(s, AccountCreate(mine, PASSWORD, Role.UNIT, mine))
    client.cookies.clear()
    token = login(client, mine)
    assert f"entitlement-{cycle_id}" not in client.get("/portal").text  # a draft is not shown
    op = login(client, "t_operator")
    advance(client, op, cycle_id, "审核")
    rv = login(client, "t_reviewer")
    advance(client, rv, cycle_id, "公示")
    client.cookies.clear()
    token = login(client, mine)
    page = client.get("/portal").text
    assert mine in page and other not in page
    r = client.post("/portal/objections", data={"cycle_id": cycle_id, "content": "参保人数少算了 3 人", "csrf_token": token},
                    follow_redirects=True)
    assert "异议已提交" in r.text and "参保人数少算了 3 人" in r.text
    assert client.get(f"/api/v1/units/{other}").status_code == 403
    assert client.get(f"/cycles/{cycle_id}").status_code == 403
    rv = login(client, "t_reviewer")
    html = client.get(f"/cycles/{cycle_id}").text
    assert "参保人数少算了 3 人" in html
    from zhida.delivery.models import Objection
    from zhida.platform.audit import entries

    with session_scope(district.engine) as s:
        objection = s.scalars(select(Objection).where(Objection.cycle_id == cycle_id)).one()
        assert (objection.uscc, objection.raised_by) == (mine, mine)
        assert any(e.actor == mine and e.role == "unit" for e in entries(s))


def test_api_lists_cycles_and_advances_with_the_csrf_header(app, client, district):
    app.state.clock = Clock(dt.date(2025, 6, 2))
    run_id = make_run(district.engine)
    op = login(client, "t_operator")
    cycle_id = int(client.post("/cycles", data={"run_id": run_id, "csrf_token": op},
                               follow_redirects=False).headers["location"].rsplit("/", 1)[1])
    page = client.get(f"/api/v1/cycles/{cycle_id}/entitlements?size=5&page=2").json()
    assert len(page["items"]) == 5 and page["total"] > 5 and page["page"] == 2
    r = client.post(f"/api/v1/cycles/{cycle_id}/advance", json={})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/cycles/{cycle_id}/advance", json={}, headers={"x-csrf-token": op})
    assert r.status_code == 200 and r.json()["state"] == "审核"
    r = client.post(f"/api/v1/cycles/{cycle_id}/advance", json={}, headers={"x-csrf-token": op})
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission"
    assert client.get("/api/v1/cycles").json()[0]["id"] == cycle_id
