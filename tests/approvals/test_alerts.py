"""Alerts, reminders through the outbox, the daily recompute, green-channel priority, 帮办代办."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.approvals.conftest import OPERATOR, REVIEWER, UNIT
from zhida.approvals import alerts, cases, matters, progress, queries, sweeps
from zhida.approvals.cases import Acceptance, Application
from zhida.errors import ValidationFailed
from zhida.platform.models import OutboxMessage
from zhida.roles import SYSTEM

D = dt.date


def _open(s, accepted, matter="LD-LS", **kw):
    c = cases.receive(s, OPERATOR, Application(matter, "单位", UNIT, **kw), accepted)
    cases.accept(s, OPERATOR, c.case_no, Acceptance(accepted, "受"))
    return c


def test_levels_reminders_and_green_first(session):
    plain = _open(session, D(2026, 2, 12))                          # promised 15 → 2026-03-11
    green = _open(session, D(2026, 3, 2), helper="nl_clerk")        # promised 15 → 2026-03-23
    level = lambda day, no: next(r.level for r in alerts.open_alerts(session, day) if r.case_no == no)  # noqa: E731
    rows = alerts.open_alerts(session, D(2026, 3, 9))
    assert [r.case_no for r in rows] == [green.case_no, plain.case_no]
    # plain: used 11 on 03-05, 12 (80 %) on 03-06, 13 (2 left) on 03-09; due 03-11
    assert [level(D(2026, 3, d), plain.case_no) for d in (5, 6, 9, 11, 12)] == ["正常", "黄色", "红色", "红色", "逾期"]
    assert alerts.remind_owners(session, D(2026, 3, 6)) == 1
    assert alerts.remind_owners(session, D(2026, 3, 6)) == 1          # enqueue is idempotent
    assert alerts.remind_owners(session, D(2026, 3, 9)) == 1          # a new level, a new message
    n = session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.dedupe_key.like("appr-alert:%")))
    assert n == 2
    assert level(D(2026, 3, 12), green.case_no) == "正常"             # 8 of 15 used < 0.8
    matters.set_yellow_share(session, SYSTEM, 0.5)
    assert [level(D(2026, 3, d), green.case_no) for d in (11, 12)] == ["正常", "黄色"]   # 7 < 7.5 ≤ 8
    assert list(alerts.daily_list(session, D(2026, 3, 5))) == ["NLKS"]
    with pytest.raises(ValidationFailed, match="黄色预警比例"):
        matters.set_yellow_share(session, SYSTEM, 0)


def test_recompute_open_writes_changed_deadlines(session):
    c = _open(session, D(2026, 2, 12))
    c.promised_due = None
    session.flush()
    r = sweeps.recompute_open(session, D(2026, 3, 5))
    session.refresh(c)
    assert (r.cases, r.changed, c.promised_due, r.levels) == (1, 1, D(2026, 3, 11), {"正常": 1})
    assert sweeps.recompute_open(session, D(2026, 3, 5)).changed == 0


def test_guidance_does_not_start_the_clock_and_proxy_needs_authorisation(session):
    with pytest.raises(ValidationFailed, match="授权委托书"):
        cases.open_guidance(session, OPERATOR, Application("LD-SY", "单位", UNIT, helper="nl_clerk", proxy=True), D(2026, 3, 2))
    with pytest.raises(ValidationFailed, match="不是登记的帮办员"):
        cases.open_guidance(session, OPERATOR, Application("LD-SY", "单位", UNIT, helper="nl_reviewer"), D(2026, 3, 2))
    c = cases.open_guidance(session, OPERATOR, Application("LD-SY", "单位", UNIT, helper="nl_clerk", proxy=True,
                                                           proxy_authorisation="委托1号"), D(2026, 3, 2))
    assert (c.state, c.accepted_on, c.legal_due, c.green_channel) == ("辅导中", None, None, True)
    cases.submit(session, OPERATOR, c.case_no, D(2026, 3, 16), at_door=True)
    cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 3, 16), "受"))
    assert c.legal_due == D(2026, 4, 14)   # 20 working days from 03-16; 清明 04-04..06
    d = queries.case_detail(session, c.case_no, D(2026, 3, 20))
    assert d.clock.used == 4 and [s.stage for s in d.services] == ["提前介入", "上门受理"]


def test_person_applicant_is_checked(session):
    from zhida.identifiers import make_id_number

    ok = cases.receive(session, OPERATOR, Application("YY-ZZ", "个人", make_id_number("11010119900307123"), "张三"),
                       D(2026, 3, 2))
    assert ok.applicant_kind == "个人" and ok.applicant_name == "张三"
    with pytest.raises(ValidationFailed, match="联系电话"):
        cases.receive(session, OPERATOR, Application("YY-ZZ", "单位", UNIT, phone="12345"), D(2026, 3, 2))
    with pytest.raises(ValidationFailed, match="身份证号"):
        cases.receive(session, OPERATOR, Application("YY-ZZ", "个人", "110101199003071234", "张三"), D(2026, 3, 2))
    with pytest.raises(ValidationFailed, match="应为 单位 或 个人"):
        cases.receive(session, OPERATOR, Application("YY-ZZ", "机构", UNIT), D(2026, 3, 2))


def test_instant_case_decided_on_acceptance_day(session):
    c = _open(session, D(2026, 3, 2), matter="YY-ZZ")
    progress.decide(session, REVIEWER, c.case_no, True, D(2026, 3, 2), "即办", "ZZ-1")
    assert (c.case_type, c.used_days, c.on_time) == ("即办件", 0, True)
