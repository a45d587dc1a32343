"""Headless Chromium: an application with a missing secondary item (容缺), a paused site
inspection and an extension, through to completion with the right dates; the applicant's view;
the dashboard's on-time rate computed from the cases."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.approvals.web_office import fix_clock, setup_web_office
from tests.web.browser import shoot
from tests.web.conftest import OWN, browser_login

pytestmark = pytest.mark.browser


def act(page, form_id: str, fields: dict[str, str], selects: dict[str, str] | None = None) -> None:
    for name, value in fields.items():
        page.fill(f"#{form_id} [name={name}] >> nth=0", value)
    for name, value in (selects or {}).items():
        page.select_option(f"#{form_id} select[name={name}] >> nth=0", value)
    page.click(f"#{form_id} button[type=submit]")
    page.wait_for_load_state("networkidle")


def late_case(engine) -> None:
    from zhida.approvals import cases, progress
    from zhida.db import session_scope
    from zhida.roles import Actor, Role

    with session_scope(engine) as s:
        c = cases.receive(s, Actor("t_operator", Role.OPERATOR), cases.Application("LD-LS", "单位", OWN), dt.date(2026, 3, 2))
        cases.accept(s, Actor("t_operator", Role.OPERATOR), c.case_no, cases.Acceptance(dt.date(2026, 3, 2), "受2"))
        progress.decide(s, Actor("t_reviewer", Role.REVIEWER), c.case_no, True, dt.date(2026, 3, 24), "同意", "证2")


def logout(page) -> None:
    page.click("header form button")
    page.wait_for_load_state("networkidle")


def test_tolerance_pause_extension_to_completion(page, app, world, backend):
    setup_web_office(world.engine)
    fix_clock(app, dt.date(2026, 3, 30))
    browser_login(page, "t_operator")
    page.click("nav >> text=行政审批")
    page.click("text=受理 >> nth=0")
    page.select_option("#matter_code", "LD-LS")
    page.fill("#applicant_id", OWN)
    page.fill("#received_on", "2026-02-12")
    page.click("#receive")
    page.wait_for_load_state("networkidle")
    case_no = page.inner_text("h1").split()[1]
    assert "已收件" in page.inner_text("#case-state")

    act(page, "form-accept", {"on": "2026-02-12", "doc_no": "东审受〔2026〕12号", "missing_due": "2026-03-04",
                              "pledge_no": "承诺〔2026〕3号"}, {"missing_material": "补偿协议"})
    assert "办理中" in page.inner_text("#case-state")
    assert page.inner_text("#promised-due") == "2026-03-11" and page.inner_text("#legal-due") == "2026-03-18"

    act(page, "form-pause", {"start": "2026-03-02", "end": "2026-03-06", "notice_no": "勘验告知〔2026〕5号"},
        {"reason": "现场勘验"})
    assert page.inner_text("#promised-due") == "2026-03-18" and page.inner_text("#legal-due") == "2026-03-25"

    act(page, "form-extend", {"days": "10", "approver": "t_reviewer", "on": "2026-03-10", "reason": "补充论证"})
    assert "不是登记的负责人" in page.inner_text("#flash")
    act(page, "form-extend", {"days": "10", "approver": "t_leader", "on": "2026-03-10", "reason": "补充论证"})
    assert page.inner_text("#promised-due") == "2026-04-01" and page.inner_text("#legal-due") == "2026-04-09"
    timeline = page.inner_text("#timeline")
    assert "现场勘验中止计时" in timeline and "批准人 t_leader" in timeline

    logout(page)
    browser_login(page, OWN)
    page.goto("/approvals/my")
    mine = page.inner_text(f"#my-{case_no}")
    assert "补偿协议（原件，2026-03-04 前）" in mine and "2026-04-01" in mine

    logout(page)
    browser_login(page, "t_operator")
    page.goto(f"/approvals/cases/{case_no}")
    page.fill("[id^=promise-done-] [name=on]", "2026-03-03")
    page.click("[id^=promise-done-] button")
    page.wait_for_load_state("networkidle")
    assert "已补（2026-03-03）" in page.inner_text("#promises")

    logout(page)
    browser_login(page, "t_reviewer")
    page.goto(f"/approvals/cases/{case_no}")
    act(page, "form-decide", {"on": "2026-03-30", "opinion": "同意临时占用", "certificate_no": "林临许〔2026〕7号",
                              "valid_until": "2028-03-29"}, {"decision": "准予"})
    assert "准予许可" in page.inner_text("#case-state")
    done = page.inner_text("#completion")
    assert "2026-03-30" in done and "用时 23 个工作日" in done and "按时办结" in done
    if backend == "sqlite":
        shoot(page, "approvals-case")

    page.goto("/approvals/stats?year=2026&months=1-3")
    page.wait_for_selector("#chart-monthly svg")
    assert page.inner_text("#kpi-cases") == "1" and page.inner_text("#kpi-ontime") == "100.0%"
    late_case(world.engine)   # promised 2026-03-23, decided 2026-03-24: one working day late
    page.reload()
    page.wait_for_selector("#chart-monthly svg")
    assert page.inner_text("#kpi-cases") == "2" and page.inner_text("#kpi-ontime") == "50.0%"
    assert "按时办结率50.0%" in page.inner_text("#bulletin")
    if backend == "sqlite":
        shoot(page, "approvals-stats")
