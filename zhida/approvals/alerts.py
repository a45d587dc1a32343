"""Alerts (预警), reminders through the outbox, the 容缺 ledger sweep and the daily lists.

Alert levels come from ``zhida.approvals.clocks.alert_level`` over the promised clock (for all
open cases at once: ``zhida.platform.clock.clock_arrays`` and ``clocks.alert_levels``); the
reminder for one case and level is enqueued once (``dedupe_key``). 容缺 items due within
``PROMISE_REMIND_DAYS`` working days remind the applicant; an item past its date becomes
逾期 and its consequence is recorded on the case as 特别程序.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.approvals import clocks
from zhida.approvals.cases import accepted_on, calendar_of, case_by_id
from zhida.approvals.matters import yellow_share
from zhida.approvals.models import Case, Matter, Pause, Promise, Special, Staff, Task
from zhida.approvals.states import CaseState
from zhida.platform import audit, outbox
from zhida.platform.clock import clock_arrays
from zhida.roles import Actor

PROMISE_REMIND_DAYS = 2


@dataclass(frozen=True)
class AlertRow:
    case_no: str
    matter: str
    applicant: str
    department: str
    owner: str | None
    green: bool
    used: int
    limit: int
    left: int
    due: dt.date | None
    paused: bool
    level: str


def open_alerts(session: Session, as_of: dt.date, department: str | None = None,
                levels: tuple[str, ...] = clocks.LEVELS) -> list[AlertRow]:
    """Cases in 办理中 with their alert level on ``as_of``: green channel first, then least time left."""
    stmt = select(Case).where(Case.state == CaseState.IN_PROGRESS.value)
    if department:
        stmt = stmt.where(Case.department == department)
    cases = list(session.scalars(stmt))
    if not cases:
        return []
    names = dict(session.execute(select(Matter.code, Matter.name)).all())
    pauses: dict[int, list] = {}
    for p in session.scalars(select(Pause).where(Pause.case_id.in_([c.id for c in cases])).order_by(Pause.start)):
        pauses.setdefault(p.case_id, []).append((p.start, p.end))
    res = clock_arrays(calendar_of(session), [accepted_on(c) for c in cases],
                       [c.promised_days + c.extension_days for c in cases], [pauses.get(c.id, []) for c in cases],
                       as_of)
    level, left = clocks.alert_levels(res, yellow_share(session)), res.left
    rows = [AlertRow(c.case_no, names.get(c.matter_code, c.matter_code), c.applicant_name, c.department,
                     c.acceptance_officer, c.green_channel, int(res.used[i]),
                     c.promised_days + c.extension_days, int(left[i]), res.due_date(i), bool(res.paused[i]),
                     clocks.LEVELS[int(level[i])]) for i, c in enumerate(cases)]
    rows = [r for r in rows if r.level in levels]
    return sorted(rows, key=lambda r: (not r.green, r.left, r.case_no))


def remind_owners(session: Session, as_of: dt.date) -> int:
    """One SMS per case and level (黄色/红色/逾期) to the accepting officer and open-task owners."""
    n = 0
    for r in open_alerts(session, as_of, levels=("黄色", "红色", "逾期")):
        c = session.scalars(select(Case).where(Case.case_no == r.case_no)).one()
        owners = {r.owner} | {t.owner for t in session.scalars(
            select(Task).where(Task.case_id == c.id, Task.done_on.is_(None)))}
        for who in sorted(o for o in owners if o):
            s = session.get(Staff, who)
            if s is None or not s.phone:
                continue
            due = f"承诺办结日 {r.due}" if r.due else "计时中止中"
            outbox.enqueue(session, channel="sms", recipient=s.phone, dedupe_key=f"appr-alert:{r.case_no}:{r.level}:{who}",
                           body=f"【审批预警·{r.level}】办件 {r.case_no}（{r.matter}）已用 {r.used}/{r.limit} 个工作日，"
                                f"剩余 {r.left} 个工作日，{due}。请及时办理。")
            n += 1
    return n


def sweep_promises(session: Session, actor: Actor, as_of: dt.date) -> tuple[int, int]:
    """Remind applicants of 容缺 items due soon; mark missed ones 逾期 with their consequence.
    Returns (reminders enqueued, items marked overdue)."""
    cal = calendar_of(session)
    reminded = overdue = 0
    rows = session.execute(select(Promise, Case).join(Case, Case.id == Promise.case_id)
                           .where(Promise.status == "待补")).all()
    for p, c in rows:
        if as_of > p.due:
            p.status = "逾期"
            session.add(Special(case_id=c.id, kind="其他", reason=f"容缺材料「{p.material}」逾期未补（期限 {p.due}）",
                                result=p.consequence, start=as_of, end=as_of, created_by=actor.username))
            audit.record(session, actor=actor, action="容缺逾期", entity="appr_case", entity_id=c.case_no,
                         after={"材料": p.material, "期限": p.due, "后果": p.consequence})
            overdue += 1
        elif c.phone and cal.working_days_between(as_of, p.due) <= PROMISE_REMIND_DAYS:
            outbox.enqueue(session, channel="sms", recipient=c.phone, dedupe_key=f"appr-promise:{p.id}",
                           body=f"【行政审批】您的办件 {c.case_no} 承诺补交的「{p.material}」（{p.form}）须于 {p.due} 前提交，"
                                f"{p.consequence}。")
            reminded += 1
    session.flush()
    return reminded, overdue


def deliver_item(session: Session, actor: Actor, promise_id: int, on: dt.date) -> Promise:
    """A promised 容缺 item handed in on ``on`` (after its date it stays 逾期 but is recorded)."""
    from zhida.errors import NotFound, StateError

    p = session.get(Promise, promise_id)
    if p is None:
        raise NotFound(f"容缺材料 {promise_id} 不存在")
    if p.status == "已补":
        raise StateError(f"「{p.material}」已于 {p.delivered_on} 补交")
    late = on > p.due  # a late item is recorded; its consequence stays on record as 特别程序
    p.status, p.delivered_on = "已补", on
    c = case_by_id(session, p.case_id)
    audit.record(session, actor=actor, action="补交容缺材料", entity="appr_case", entity_id=c.case_no,
                 after={"材料": p.material, "日期": on, "逾期": late})
    return p


def daily_list(session: Session, as_of: dt.date) -> dict[str, list[AlertRow]]:
    """每日清单: open cases per department, the most urgent first."""
    out: dict[str, list[AlertRow]] = {}
    for r in open_alerts(session, as_of):
        out.setdefault(r.department, []).append(r)
    return out
