"""Portal scope: a unit sees a decision only once its run is in a cycle at 公示 or later, and only
its own objections; the portal reads on a 390 px phone screen."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.web.browser import shoot
from tests.web.conftest import OWN, PASSWORD, csrf_of, login
from tests.web.test_cycles_page import Clock, advance, make_run
from zhida.db import session_scope
from zhida.delivery.models import Entitlement, Objection
from zhida.roles import Role
from zhida.rules.models import PolicyResult
from zhida.web.accounts import AccountCreate, create_account


def new_cycle(client, run_id: int) -> int:
    token = login(client, "t_operator")
    r = client.post("/cycles", data={"run_id": run_id, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    return int(r.headers["location"].rsplit("/", 1)[1])


def portal_text(client, uscc: str = OWN) -> str:
    client.cookies.clear()
    token = csrf_of(client.get("/portal/login").text)
    r = client.post("/portal/login", data={"uscc": uscc, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    return client.get("/portal").text


def eligible_unit_with_account(engine, run_id: int) -> str:
    with session_scope(engine) as s:
        uscc = s.scalars(select(PolicyResult.uscc).where(PolicyResult.run_id == run_id,
                                                         PolicyResult.status == "eligible")
                         .order_by(PolicyResult.uscc)).first()
        create_account(s, AccountCreate(uscc, PASSWORD, Role.UNIT, uscc))
    return uscc


def test_decision_shown_only_once_its_cycle_is_published(app, client, district):
    app.state.clock = Clock(dt.date(2025, 6, 2))
    run_id = make_run(district.engine)  # a trial run: no cycle yet
    unit = eligible_unit_with_account(district.engine, run_id)
    assert "尚无政策判定结果" in portal_text(client, unit)
    client.cookies.clear()
    cycle_id = new_cycle(client, run_id)
    op = login(client, "t_operator")
    advance(client, op, cycle_id, "审核")
    assert "尚无政策判定结果" in portal_text(client, unit)  # a draft or one under review is not shown
    client.cookies.clear()
    advance(client, login(client, "t_reviewer"), cycle_id, "公示")
    page = portal_text(client, unit)
    assert "尚无政策判定结果" not in page and "失业保险稳岗返还" in page
    # the explanation is worded for people: Chinese names, no variable names
    assert "insured_avg" not in page and "months_paid" not in page


def test_portal_lists_only_the_units_own_objections(app, client, district):
    app.state.clock = Clock(dt.date(2025, 6, 2))
    run_id = make_run(district.engine)
    cycle_id = new_cycle(client, run_id)
    with session_scope(district.engine) as s:
        s.add_all([Objection(cycle_id=cycle_id, uscc=OWN, content="群众来电：该单位曾集中裁员", raised_by="t_operator",
                             source="群众来信来电", status="待处理"),
                   Objection(cycle_id=cycle_id, uscc=OWN, content="核查发现欠费", raised_by="t_reviewer",
                             source="核查", status="待处理"),
                   Objection(cycle_id=cycle_id, uscc=OWN, content="本单位对金额有异议", raised_by=OWN,
                             source="单位", status="待处理")])
    page = portal_text(client)
    assert "本单位对金额有异议" in page
    assert "群众来电" not in page and "核查发现欠费" not in page


def test_staff_register_an_objection_with_its_source(app, client, district):
    app.state.clock = Clock(dt.date(2025, 6, 2))
    run_id = make_run(district.engine)
    cycle_id = new_cycle(client, run_id)
    op = login(client, "t_operator")
    advance(client, op, cycle_id, "审核")
    client.cookies.clear()
    rv = login(client, "t_reviewer")
    advance(client, rv, cycle_id, "公示")
    with session_scope(district.engine) as s:
        uscc = s.scalars(select(Entitlement.uscc).where(Entitlement.cycle_id == cycle_id)).first()
    r = client.post(f"/cycles/{cycle_id}/objections", data={"uscc": uscc, "content": "核查：参保人数有误",
                                                             "source": "核查", "csrf_token": rv},
                    follow_redirects=False)
    assert r.status_code == 303
    bad = client.post(f"/cycles/{cycle_id}/objections", data={"uscc": uscc, "content": "x", "source": "单位",
                                                               "csrf_token": rv}, follow_redirects=False)
    assert bad.status_code in (400, 422)  # staff cannot claim to be the unit
    with session_scope(district.engine) as s:
        assert [o.source for o in s.scalars(select(Objection))] == ["核查"]


def published_cycle(engine) -> tuple[str, int]:
    """A run, its cycle taken to 确认期 through the services, and an account for an eligible unit."""
    from zhida.delivery import service as delivery
    from zhida.roles import Actor

    run_id = make_run(engine)
    unit = eligible_unit_with_account(engine, run_id)
    op, rv = Actor("t_operator", Role.OPERATOR), Actor("t_reviewer", Role.REVIEWER)
    with session_scope(engine) as s:
        cycle_id = delivery.create_cycle(s, op, run_id).id
    for actor, to, day in ((op, "审核", dt.date(2025, 6, 2)), (rv, "公示", dt.date(2025, 6, 2)),
                           (op, "确认期", dt.date(2025, 6, 20))):
        with session_scope(engine) as s:
            delivery.advance(s, actor, cycle_id, to, today=day)
    return unit, cycle_id


@pytest.mark.browser
def test_portal_on_a_phone(browser, live, app, district, backend):
    """At 390 px the navigation is a row above the content, nothing scrolls sideways and the
    account number is shown whole."""
    app.state.clock = Clock(dt.date(2025, 6, 21))
    unit, _cycle_id = published_cycle(district.engine)
    context = browser.new_context(base_url=live.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/portal/login")
        page.fill("input[name=uscc]", unit)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/portal")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width}px"
        main = page.locator("main").bounding_box()
        assert main["width"] >= 360, f"the content gets only {main['width']}px of 390"
        nav = page.locator("nav.sidenav").bounding_box()
        assert nav["height"] < 80 and nav["width"] >= 360  # a row, not a column
        text = page.inner_text("main")
        assert "失业保险稳岗返还" in text and "政策判定与理由" in text
        account = page.locator(".account-no").first
        box = account.bounding_box()
        assert account.inner_text().strip().isdigit() and box["x"] + box["width"] <= 390
        if backend == "sqlite":
            shoot(page, "portal-phone")
    finally:
        context.close()
