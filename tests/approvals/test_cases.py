"""Case services on SQLite and PostgreSQL: acceptance, 容缺, pauses, extension, departments, decision."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.approvals.conftest import INSPECTOR, OPERATOR, OUTSIDER, REVIEWER, UNIT
from zhida.approvals import alerts, cases, matters, progress
from zhida.approvals.cases import Acceptance, Application, MissingItem
from zhida.approvals.models import AfterCheck, Promise, Special
from zhida.errors import CalendarMissing, PermissionDenied, StateError, ValidationFailed
from zhida.platform.models import OutboxMessage
from zhida.roles import SYSTEM

D = dt.date


def _receive(s, on=D(2026, 2, 12), matter="LD-LS", **kw):
    return cases.receive(s, OPERATOR, Application(matter, "单位", UNIT, phone="13900000000", **kw), on)


def test_promised_limit_above_legal_refused_equal_allowed(session):
    f = matters.MatterForm("X1", "测试事项", 20, 21, "NLKS", "受理；决定", "申请表")
    with pytest.raises(ValidationFailed, match="承诺时限 21 个工作日超过法定时限 20"):
        matters.save_matter(session, SYSTEM, f)
    f.promised_days = 20
    assert matters.save_matter(session, SYSTEM, f).promised_days == 20


def test_accept_on_holiday_refused_on_worked_saturday_allowed(session):
    c = _receive(session)
    with pytest.raises(ValidationFailed, match="不是工作日"):
        cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 2, 16), "东审受〔2026〕1号"))
    c = cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 2, 14), "东审受〔2026〕1号"))
    assert c.accepted_on == D(2026, 2, 14) and c.promised_due == D(2026, 3, 13) and not c.deemed_accepted


def test_acceptance_in_2027_fails_closed(session):
    c = _receive(session, on=D(2026, 12, 30))
    with pytest.raises(CalendarMissing, match="2027 年的节假日安排尚未载入"):
        cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 12, 31), "受1"))
    assert c.state == "已收件"
    from zhida.platform.calendar import load_calendar

    load_calendar(session, "year: 2027\nsource: 测试\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\n")
    cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 12, 31), "受1"))
    assert (c.state, c.promised_due, c.legal_due) == ("办理中", D(2027, 1, 22), D(2027, 1, 29))


def test_five_day_rule_notice_and_deemed_acceptance(session):
    a = _receive(session, on=D(2026, 3, 2))
    cases.notify_missing(session, OPERATOR, a.case_no, D(2026, 3, 9), ["补偿协议"])
    assert a.state == "待补正"
    b = _receive(session, on=D(2026, 3, 2))
    with pytest.raises(ValidationFailed, match="第32条"):
        cases.notify_missing(session, OPERATOR, b.case_no, D(2026, 3, 10), ["补偿协议"])
    assert cases.five_day_sweep(session, SYSTEM, D(2026, 3, 9)) == []
    assert cases.five_day_sweep(session, SYSTEM, D(2026, 3, 10)) == [b.case_no]
    assert b.deemed_accepted and b.accepted_on == D(2026, 3, 2) and b.state == "办理中"
    assert session.scalars(select(Special).where(Special.case_id == b.id)).one().reason.startswith("收件后5个工作日")


def test_tolerance_acceptance_rules(session):
    c = _receive(session)
    acc = D(2026, 2, 12)
    with pytest.raises(ValidationFailed, match="承诺书"):
        cases.accept(session, OPERATOR, c.case_no, Acceptance(acc, "受1", [MissingItem("补偿协议", D(2026, 3, 2))]))
    with pytest.raises(ValidationFailed, match="主要材料，不能容缺"):
        cases.accept(session, OPERATOR, c.case_no, Acceptance(acc, "受1", [MissingItem("临时占用林地申请表", D(2026, 3, 2))], "诺1"))
    # promised limit 15 working days from 02-12 is 03-11: a due date after it is refused
    with pytest.raises(ValidationFailed, match="不超过承诺办结日 2026-03-11"):
        cases.accept(session, OPERATOR, c.case_no, Acceptance(acc, "受1", [MissingItem("补偿协议", D(2026, 3, 12))], "诺1"))
    cases.accept(session, OPERATOR, c.case_no, Acceptance(acc, "受1", [MissingItem("补偿协议", D(2026, 3, 11))], "诺1"))
    assert c.tolerance and c.pledge_no == "诺1"
    item = session.scalars(select(Promise).where(Promise.case_id == c.id)).one()
    assert (item.due, item.status) == (D(2026, 3, 11), "待补")
    assert alerts.sweep_promises(session, SYSTEM, D(2026, 3, 6)) == (0, 0)   # 3 working days before
    assert alerts.sweep_promises(session, SYSTEM, D(2026, 3, 9)) == (1, 0)   # 2 working days before
    assert alerts.sweep_promises(session, SYSTEM, D(2026, 3, 11)) == (1, 0)  # same message, deduplicated
    assert session.scalar(select(OutboxMessage.body).where(OutboxMessage.dedupe_key == f"appr-promise:{item.id}"))
    with pytest.raises(StateError, match="容缺材料未补齐"):
        progress.decide(session, REVIEWER, c.case_no, True, D(2026, 3, 11), "同意", "林临〔2026〕1号")
    assert alerts.sweep_promises(session, SYSTEM, D(2026, 3, 12)) == (0, 1)
    assert item.status == "逾期"


def test_step_by_another_department_refused(session):
    c = _receive(session)
    cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 2, 12), "受1"))
    t = dt.datetime(2026, 2, 13, 9)
    with pytest.raises(PermissionDenied, match="不是本件的办理科室"):
        progress.add_step(session, OUTSIDER, c.case_no, "审查", "通过", "同意", t)
    assert progress.add_step(session, INSPECTOR, c.case_no, "现场勘验", "通过", "与图纸一致", t).department == "KCKS"
    with pytest.raises(ValidationFailed, match="GB/T 39046"):
        progress.add_step(session, OPERATOR, c.case_no, "审查", "同意", "同意", t)


def test_full_case_with_parallel_tasks_pause_and_extension(session):
    c = _receive(session, matter="LD-SY", helper="nl_clerk", project_ref="XM-2026-001")
    cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 2, 12), "东审受〔2026〕8号"))
    assert (c.legal_due, c.promised_due, c.green_channel) == (D(2026, 3, 18), D(2026, 3, 11), True)
    tasks = progress.start_tasks(session, OPERATOR, c.case_no, D(2026, 2, 13),
                                 [("现场查验", "KCKS", "kc_inspector", 10), ("材料审查", "NLKS", "nl_reviewer", 5)])
    assert [t.due for t in tasks] == [D(2026, 3, 5), D(2026, 2, 27)]
    progress.start_pause(session, INSPECTOR, c.case_no, "现场勘验", D(2026, 3, 2), "勘告1")
    assert c.legal_due is None and c.paused
    progress.end_pause(session, INSPECTOR, c.case_no, D(2026, 3, 6))
    with pytest.raises(ValidationFailed, match="重叠"):
        progress.start_pause(session, INSPECTOR, c.case_no, "专家评审", D(2026, 3, 5), "评告1")
    assert c.legal_due == D(2026, 3, 25) and c.promised_due == D(2026, 3, 18)
    with pytest.raises(ValidationFailed, match="结束日期早于开始日期"):
        progress.start_pause(session, INSPECTOR, c.case_no, "专家评审", D(2026, 3, 10), "评告1", D(2026, 3, 9))
    with pytest.raises(ValidationFailed, match="批准人"):
        progress.extend(session, OPERATOR, c.case_no, 10, "", D(2026, 3, 20), "需补充论证")
    with pytest.raises(ValidationFailed, match="不是登记的负责人"):
        progress.extend(session, OPERATOR, c.case_no, 10, "nl_reviewer", D(2026, 3, 20), "需补充论证")
    progress.extend(session, OPERATOR, c.case_no, 10, "nl_head", D(2026, 3, 20), "需补充论证")
    assert (c.legal_due, c.promised_due) == (D(2026, 4, 9), D(2026, 4, 1))
    with pytest.raises(StateError, match="并行任务未办结"):
        progress.decide(session, REVIEWER, c.case_no, True, D(2026, 3, 30), "同意", "林审〔2026〕3号")
    with pytest.raises(PermissionDenied, match="只能办理本科室"):
        progress.finish_task(session, OPERATOR, tasks[0].id, "通过", "现场一致", D(2026, 2, 27))
    progress.finish_task(session, INSPECTOR, tasks[0].id, "通过", "现场一致", D(2026, 2, 27))
    progress.finish_task(session, REVIEWER, tasks[1].id, "通过", "材料齐全", D(2026, 2, 24))
    progress.decide(session, REVIEWER, c.case_no, True, D(2026, 3, 30), "同意", "林审〔2026〕3号", D(2028, 3, 30))
    assert (c.state, c.used_days, c.on_time, c.month) == ("准予许可", 23, True, "2026-03")
    progress.deliver(session, OPERATOR, c.case_no, D(2026, 3, 31), "上门送达")
    progress.evaluate(session, SYSTEM, c.case_no, "非常满意")
    assert c.state == "已送达" and c.rating == "非常满意"


def test_notify_promise_decision_schedules_after_check(session):
    c = _receive(session, matter="SP-JY")
    cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 4, 30), "受9"))
    sc = matters.save_staff(session, SYSTEM, "sc_reviewer", "钱审核", "SCKS")
    assert sc.department == "SCKS"
    progress.decide(session, REVIEWER, c.case_no, True, D(2026, 4, 30), "依承诺作出决定", "JY13715240001")
    chk = session.scalars(select(AfterCheck).where(AfterCheck.case_id == c.id)).one()
    assert chk.due == D(2026, 6, 1)   # 20 working days: 劳动节 out, Saturday 5/9 in, 端午 not yet
    progress.record_check(session, REVIEWER, c.case_no, D(2026, 5, 20), "不实", "场所与承诺不符")
    assert chk.outcome == "不实"
    assert any(s.result.startswith("依法撤销") for s in session.scalars(select(Special).where(Special.case_id == c.id)))
