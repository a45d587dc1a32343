"""办件 after acceptance: pauses (§45), extension (§42), other 特别程序, steps by department,
parallel tasks, the decision, 送达 and 好差评.

Each change is audited with its real actor. Errors as in ``zhida.approvals.cases``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.approvals import clocks
from zhida.approvals.cases import (
    accepted_on,
    calendar_of,
    case_by_id,
    get_case,
    log_service,
    pauses_of,
    record_step,
    refresh,
)
from zhida.approvals.matters import get_matter, require_member, split
from zhida.approvals.models import AfterCheck, Case, Pause, Promise, Special, Staff, Step, Task, now
from zhida.approvals.states import CASE, CaseState
from zhida.errors import NotFound, StateError, ValidationFailed
from zhida.platform import audit
from zhida.platform.clock import Pause as ClockPause
from zhida.roles import Actor

ACTIONS = ("通过", "退回", "其他")
RATINGS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
AFTER_CHECK_DAYS = 20  # 事后核查 within this many working days of a promise-based decision (local choice)


def _running(c: Case) -> None:
    if c.state != CaseState.IN_PROGRESS.value:
        raise StateError(f"办件 {c.case_no} 当前状态为「{c.state}」，只有办理中的办件才能进行此操作")


def start_pause(session: Session, actor: Actor, case_no: str, reason: str, start: dt.date, notice_no: str,
                end: dt.date | None = None) -> Pause:
    """中止计时 from ``start`` (to ``end`` if known) with the written notice ``notice_no``."""
    c = get_case(session, case_no, lock=True)
    _running(c)
    require_member(session, actor, split(get_matter(session, c.matter_code).departments), "中止计时")
    cal = calendar_of(session)
    cal.require(start)
    if end is not None:
        cal.require(end)
    existing = pauses_of(session, c)
    clocks.check_pause(reason, notice_no, ClockPause(start, end, reason), existing, accepted_on(c))
    ck = refresh(session, c, start)
    if c.legal_due is not None and start > c.legal_due:
        raise ValidationFailed(f"中止计时开始日 {start} 已在法定期限 {c.legal_due} 之后：期限届满后不能再中止计时")
    p = Pause(case_id=c.id, reason=reason, start=start, end=end, notice_no=notice_no.strip(), created_by=actor.username)
    session.add(p)
    refresh(session, c, start)
    audit.record(session, actor=actor, action="中止计时", entity="appr_case", entity_id=c.case_no,
                 after={"事由": reason, "开始": start, "结束": end, "告知书": notice_no, "已用": ck.used if ck else None})
    return p


def end_pause(session: Session, actor: Actor, case_no: str, end: dt.date) -> Pause:
    """Close the running pause on ``end`` (inclusive): the clock resumes the next day."""
    c = get_case(session, case_no, lock=True)
    p = session.scalars(select(Pause).where(Pause.case_id == c.id, Pause.end.is_(None))).first()
    if p is None:
        raise StateError(f"办件 {case_no} 没有正在中止的计时")
    require_member(session, actor, split(get_matter(session, c.matter_code).departments), "恢复计时")
    if end < p.start:
        raise ValidationFailed(f"中止计时区间 {p.reason} {p.start}～{end} 的结束日期早于开始日期")
    calendar_of(session).require(end)
    p.end = end
    refresh(session, c, end)
    audit.record(session, actor=actor, action="恢复计时", entity="appr_case", entity_id=c.case_no,
                 after={"事由": p.reason, "开始": p.start, "结束": end, "法定办结日": c.legal_due})
    return p


def extend(session: Session, actor: Actor, case_no: str, days: int, approver: str, on: dt.date, reason: str) -> Special:
    """特别程序·延长 (§42): with a named approver who is a registered head; one per case."""
    c = get_case(session, case_no, lock=True)
    _running(c)
    matter = get_matter(session, c.matter_code)
    refresh(session, c, on)
    clocks.check_extension(days, matter.joint, approver, on, c.legal_due, c.extension_days)
    head = session.get(Staff, approver.strip())
    if head is None or not head.is_head:
        raise ValidationFailed(f"批准人 {approver} 不是登记的负责人：延长期限须经本机关负责人批准（行政许可法第42条）")
    if not reason.strip():
        raise ValidationFailed("延长期限须写明理由")
    sp = Special(case_id=c.id, kind="延长", days=days, approver=head.username, reason=reason, result=f"延长{days}个工作日",
                 start=on, end=on, created_by=actor.username)
    session.add(sp)
    c.extension_days = days
    refresh(session, c, on)
    audit.record(session, actor=actor, action="延长办理期限", entity="appr_case", entity_id=c.case_no,
                 after={"延长": days, "批准人": head.username, "理由": reason, "法定办结日": c.legal_due})
    return sp


def other_special(session: Session, actor: Actor, case_no: str, reason: str, result: str, start: dt.date,
                  end: dt.date | None = None) -> Special:
    """特别程序·其他 with its reason and result (e.g. 公示, 听证 outcome)."""
    c = get_case(session, case_no)
    if not reason.strip() or not result.strip():
        raise ValidationFailed("特别程序须写明理由和结果")
    sp = Special(case_id=c.id, kind="其他", reason=reason, result=result, start=start, end=end, created_by=actor.username)
    session.add(sp)
    session.flush()
    audit.record(session, actor=actor, action="特别程序", entity="appr_case", entity_id=c.case_no,
                 after={"理由": reason, "结果": result})
    return sp


def add_step(session: Session, actor: Actor, case_no: str, name: str, action: str, opinion: str,
             started_at: dt.datetime, ended_at: dt.datetime | None = None) -> Step:
    """One step (环节) by a member of one of the matter's departments."""
    c = get_case(session, case_no)
    if action not in ACTIONS:
        raise ValidationFailed(f"环节动作「{action}」不对：应为 {'、'.join(ACTIONS)}（GB/T 39046—2020）")
    staff = require_member(session, actor, split(get_matter(session, c.matter_code).departments), f"办理「{name}」环节")
    ended_at = ended_at or now()
    if ended_at < started_at:
        raise ValidationFailed(f"环节「{name}」的结束时间早于开始时间")
    st = Step(case_id=c.id, name=name, department=staff.department if staff else c.department, action=action,
              officer=actor.username, opinion=opinion, started_at=started_at, ended_at=ended_at)
    session.add(st)
    session.flush()
    audit.record(session, actor=actor, action=f"环节·{name}", entity="appr_case", entity_id=c.case_no,
                 after={"动作": action, "意见": opinion})
    return st


def start_tasks(session: Session, actor: Actor, case_no: str, on: dt.date,
                tasks: list[tuple[str, str, str, int]]) -> list[Task]:
    """Parallel branches ``(name, department, owner, limit_days)`` started on ``on``."""
    c = get_case(session, case_no, lock=True)
    _running(c)
    depts = split(get_matter(session, c.matter_code).departments)
    cal = calendar_of(session)
    out = []
    for name, dept, owner, limit in tasks:
        s = session.get(Staff, owner)
        if dept not in depts:
            raise ValidationFailed(f"科室 {dept} 不是 {c.matter_code} 的办理科室（{'、'.join(depts)}）")
        if s is None or s.department != dept:
            raise ValidationFailed(f"{owner} 不属于科室 {dept}，不能负责「{name}」")
        if limit < 1:
            raise ValidationFailed(f"「{name}」的时限应为正整数个工作日")
        t = Task(case_id=c.id, name=name, department=dept, owner=owner, limit_days=limit, started_on=on,
                 due=cal.add_working_days(on, limit))
        session.add(t)
        out.append(t)
    session.flush()
    audit.record(session, actor=actor, action="分派并行任务", entity="appr_case", entity_id=c.case_no,
                 after=[{"任务": t.name, "科室": t.department, "负责人": t.owner, "期限": t.due} for t in out])
    return out


def finish_task(session: Session, actor: Actor, task_id: int, result: str, opinion: str, on: dt.date) -> Task:
    """A branch done by a member of its department; recorded as a step too."""
    t = session.get(Task, task_id)
    if t is None:
        raise NotFound(f"任务 {task_id} 不存在")
    c = get_case(session, case_by_id(session, t.case_id).case_no, lock=True)
    session.refresh(t)
    if t.done_on is not None:
        raise StateError(f"任务「{t.name}」已于 {t.done_on} 办结")
    require_member(session, actor, [t.department], f"办结任务「{t.name}」")
    if result not in ACTIONS:
        raise ValidationFailed(f"任务结果「{result}」不对：应为 {'、'.join(ACTIONS)}")
    if on < t.started_on:
        raise ValidationFailed(f"任务「{t.name}」的办结日期 {on} 早于开始日期 {t.started_on}")
    t.done_on, t.result, t.opinion = on, result, opinion
    start = dt.datetime.combine(t.started_on, dt.time(9))
    add_step(session, actor, c.case_no, t.name, result, opinion, start, max(now(), start))
    return t


def open_tasks(session: Session, c: Case) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.case_id == c.id, Task.done_on.is_(None))))


def decide(session: Session, actor: Actor, case_no: str, approve: bool, on: dt.date, opinion: str = "",
           certificate_no: str | None = None, valid_until: dt.date | None = None) -> Case:
    """准予/不予许可 on ``on``: needs every parallel task done, no running pause and (unless
    decided on the promise) every 容缺 item handed in. Records used days and on-time."""
    c = get_case(session, case_no, lock=True)
    _running(c)
    waiting = open_tasks(session, c)
    if waiting:
        raise StateError(f"还有并行任务未办结：{'、'.join(t.name + '（' + t.owner + '）' for t in waiting)}")
    ck = refresh(session, c, on)
    if ck is None or ck.paused or ck.legal_due is None or ck.promised_due is None:
        raise StateError("计时正在中止中，请先恢复计时再作出决定")
    open_items = session.scalars(select(Promise).where(Promise.case_id == c.id, Promise.status != "已补")).all()
    if approve and open_items and not c.notify_promise:
        raise StateError(f"容缺材料未补齐：{'、'.join(p.material for p in open_items)}，不能准予许可")
    if approve and not (certificate_no or "").strip():
        raise ValidationFailed("准予许可须填写证照编号")
    if valid_until is not None and valid_until <= on:
        raise ValidationFailed(f"证照有效期至 {valid_until} 应晚于决定日期 {on}")
    CASE.fire(session, c, CaseState.APPROVED if approve else CaseState.REFUSED, actor, comment=opinion or None)
    c.decision = "准予" if approve else "不予"
    c.completed_on, c.completed_at, c.month = on, now(), f"{on:%Y-%m}"
    c.certificate_no, c.valid_until = certificate_no, valid_until
    c.used_days, c.on_time = ck.used, on <= ck.promised_due
    record_step(session, actor, c, "决定", "通过" if approve else "其他", opinion or c.decision + "许可")
    if approve and c.notify_promise:
        due = calendar_of(session).add_working_days(on, AFTER_CHECK_DAYS)
        session.add(AfterCheck(case_id=c.id, due=due))
    audit.record(session, actor=actor, action="办结", entity="appr_case", entity_id=c.case_no,
                 after={"决定": c.decision, "用时": ck.used, "按时": c.on_time, "证照": certificate_no})
    return c


def record_check(session: Session, actor: Actor, case_no: str, on: dt.date, outcome: str, note: str = "") -> AfterCheck:
    """事后核查 outcome (属实/不实); 不实 revokes a decision taken on the promise."""
    c = get_case(session, case_no)
    chk = session.scalars(select(AfterCheck).where(AfterCheck.case_id == c.id, AfterCheck.done_on.is_(None))).first()
    if chk is None:
        raise StateError(f"办件 {case_no} 没有待办的事后核查")
    if outcome not in ("属实", "不实"):
        raise ValidationFailed("核查结论应为 属实 或 不实")
    chk.done_on, chk.outcome, chk.note, chk.officer = on, outcome, note, actor.username
    if outcome == "不实":
        other_special(session, actor, case_no, "事后核查发现承诺不实", "依法撤销许可并记入信用记录", on, on)
    audit.record(session, actor=actor, action="事后核查", entity="appr_case", entity_id=c.case_no,
                 after={"结论": outcome, "说明": note})
    return chk


def deliver(session: Session, actor: Actor, case_no: str, on: dt.date, method: str) -> Case:
    """送达 (统一送达 on the green channel) of the decision."""
    c = get_case(session, case_no)
    if not method.strip():
        raise ValidationFailed("请填写送达方式（窗口领取、邮寄、上门送达、电子证照）")
    if c.completed_on and on < c.completed_on:
        raise ValidationFailed(f"送达日期 {on} 早于办结日期 {c.completed_on}")
    CASE.fire(session, c, CaseState.DELIVERED, actor, comment=method)
    c.delivered_on, c.delivery_method = on, method
    if c.green_channel:
        log_service(session, actor, c, "统一送达", on, method)
    return c


def evaluate(session: Session, actor: Actor, case_no: str, rating: str, comment: str = "",
             on: dt.date | None = None) -> Case:
    """好差评 by the applicant (a unit account only for its own case) or recorded by staff."""
    c = get_case(session, case_no)
    if c.applicant_kind == "单位":
        actor.require_unit(c.applicant_id)
    if c.state not in (CaseState.APPROVED.value, CaseState.REFUSED.value, CaseState.DELIVERED.value):
        raise StateError("办结后才能评价")
    if rating not in RATINGS:
        raise ValidationFailed(f"评价「{rating}」不对：应为 {'、'.join(RATINGS)}")
    c.rating, c.rating_comment = rating, comment or None
    if c.green_channel:
        log_service(session, actor, c, "事后评价", on or dt.date.today(), rating)
    session.flush()
    audit.record(session, actor=actor, action="好差评", entity="appr_case", entity_id=c.case_no,
                 after={"评价": rating, "意见": comment})
    return c
