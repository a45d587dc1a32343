"""Read models of 行政审批 for pages, the API and other packages (no other package imports the
models). ``cases_for_project`` is what the key-projects programme shows on a project.

Shapes: plain dicts/dataclasses with dates (``datetime.date``) and working days (int).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.approvals import clocks
from zhida.approvals.cases import calendar_of, get_case, pauses_of
from zhida.approvals.matters import get_matter, yellow_share
from zhida.approvals.models import (
    AfterCheck,
    Case,
    Department,
    Matter,
    Pause,
    Promise,
    Service,
    Special,
    Staff,
    Step,
    Task,
)
from zhida.approvals.states import OPEN, CaseState
from zhida.errors import CalendarMissing, NotFound


@dataclass
class CaseRow:
    case_no: str
    matter: str
    applicant: str
    state: str
    case_type: str
    green_channel: bool
    project_ref: str | None
    accepted_on: dt.date | None
    promised_due: dt.date | None
    legal_due: dt.date | None
    completed_on: dt.date | None
    department: str
    level: str | None = None
    used: int | None = None
    left: int | None = None


def _clock(session: Session, c: Case, as_of: dt.date) -> clocks.CaseClock | None:
    if c.accepted_on is None:
        return None
    until = min(as_of, c.completed_on) if c.completed_on else as_of
    try:
        return clocks.case_clock(calendar_of(session), c.accepted_on, c.legal_days + c.extension_days,
                                 c.promised_days + c.extension_days, pauses_of(session, c), until)
    except CalendarMissing:
        return None


def _row(session: Session, c: Case, names: dict, as_of: dt.date, share: float) -> CaseRow:
    row = CaseRow(c.case_no, names.get(c.matter_code, c.matter_code), c.applicant_name, c.state, c.case_type,
                  c.green_channel, c.project_ref, c.accepted_on, c.promised_due, c.legal_due, c.completed_on,
                  c.department)
    ck = _clock(session, c, as_of)
    if ck is not None:
        row.used, row.left = ck.used, ck.promised_left
        row.level = ck.level(share) if c.state == CaseState.IN_PROGRESS.value else None
    return row


def _names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Matter.code, Matter.name)).all())


def cases_for_project(session: Session, project_ref: str, as_of: dt.date | None = None) -> list[CaseRow]:
    """Every case carrying ``project_ref`` (a key project's reference), newest first."""
    as_of = as_of or dt.date.today()
    names, share = _names(session), yellow_share(session)
    rows = session.scalars(select(Case).where(Case.project_ref == project_ref).order_by(Case.id.desc()))
    return [_row(session, c, names, as_of, share) for c in rows]


def list_cases(session: Session, as_of: dt.date, *, state: str | None = None, department: str | None = None,
               applicant_id: str | None = None, limit: int = 200) -> list[CaseRow]:
    """Cases for the console queues: green channel first, then the earliest promised deadline."""
    stmt = select(Case)
    if state:
        stmt = stmt.where(Case.state == state)
    if department:
        stmt = stmt.where(Case.department == department)
    if applicant_id:
        stmt = stmt.where(Case.applicant_id == applicant_id)
    stmt = stmt.order_by(Case.green_channel.desc(), Case.promised_due.is_(None), Case.promised_due, Case.id.desc())
    names, share = _names(session), yellow_share(session)
    return [_row(session, c, names, as_of, share) for c in session.scalars(stmt.limit(limit))]


@dataclass
class Todo:
    cases: list[CaseRow]
    tasks: list[dict]
    department: str | None


def my_todo(session: Session, username: str, as_of: dt.date) -> Todo:
    """我的待办: open cases of the user's department (green channel first) and his open tasks."""
    staff = session.get(Staff, username)
    dept = staff.department if staff else None
    names, share = _names(session), yellow_share(session)
    stmt = select(Case).where(Case.state.in_([s.value for s in OPEN]))
    if dept:
        stmt = stmt.where(Case.department == dept)
    stmt = stmt.order_by(Case.green_channel.desc(), Case.promised_due.is_(None), Case.promised_due).limit(200)
    cases = [_row(session, c, names, as_of, share) for c in session.scalars(stmt)]
    tasks = [{"id": t.id, "case_no": c.case_no, "name": t.name, "due": t.due, "started_on": t.started_on,
              "green": c.green_channel, "overdue": as_of > t.due}
             for t, c in session.execute(select(Task, Case).join(Case, Case.id == Task.case_id)
                                         .where(Task.owner == username, Task.done_on.is_(None))
                                         .order_by(Case.green_channel.desc(), Task.due))]
    return Todo(cases, tasks, dept)


@dataclass
class CaseDetail:
    case: Case
    matter: Matter
    clock: clocks.CaseClock | None
    level: str | None
    steps: list[Step]
    pauses: list[Pause]
    specials: list[Special]
    promises: list[Promise]
    tasks: list[Task]
    slowest: Task | None
    services: list[Service]
    checks: list[AfterCheck]
    timeline: list[tuple[dt.date, str, str]] = field(default_factory=list)


def _slowest(session: Session, tasks: list[Task], as_of: dt.date) -> Task | None:
    """The branch that has taken (or is taking) the most working days."""
    if not tasks:
        return None
    cal = calendar_of(session)
    return max(tasks, key=lambda t: (cal.working_days_between(t.started_on, t.done_on or as_of), t.due))


def case_detail(session: Session, case_no: str, as_of: dt.date) -> CaseDetail:
    """Everything about one case, with the clock on ``as_of`` and a dated timeline of the clock."""
    c = get_case(session, case_no)
    by_case = lambda model, order: list(session.scalars(select(model).where(model.case_id == c.id).order_by(order)))  # noqa: E731
    tasks = by_case(Task, Task.id)
    ck = _clock(session, c, as_of)
    d = CaseDetail(c, get_matter(session, c.matter_code), ck,
                   ck.level(yellow_share(session)) if ck and c.state == CaseState.IN_PROGRESS.value else None,
                   by_case(Step, Step.id), by_case(Pause, Pause.start), by_case(Special, Special.id),
                   by_case(Promise, Promise.id), tasks, _slowest(session, tasks, as_of), by_case(Service, Service.on),
                   by_case(AfterCheck, AfterCheck.id))
    d.timeline = timeline(d)
    return d


def timeline(d: CaseDetail) -> list[tuple[dt.date, str, str]]:
    """(date, kind, text) of the clock's events, in date order."""
    c, ev = d.case, []
    add = lambda day, kind, text: ev.append((day, kind, text)) if day else None  # noqa: E731
    add(c.guidance_on, "帮办", "提前介入辅导（不计时）")
    add(c.first_received_on, "收件", "收到申请材料")
    add(c.missing_notice_on, "补正", f"一次性告知补正：{c.missing_items}")
    add(c.accepted_on, "受理", f"受理（{c.acceptance_doc_no}），次日起计时" + ("；视为受理" if c.deemed_accepted else ""))
    for p in d.pauses:
        add(p.start, "中止", f"{p.reason}中止计时（{p.notice_no}）")
        add(p.end, "恢复", f"{p.reason}结束，次日恢复计时")
    for s in d.specials:
        add(s.start, "特别程序", f"{s.kind}：{s.reason}" + (f"，批准人 {s.approver}" if s.approver else ""))
    for item in d.promises:
        add(item.due, "容缺", f"「{item.material}」补交期限（{item.status}）")
    for t in d.tasks:
        add(t.started_on, "并行", f"{t.name}开始（{t.owner}，期限 {t.due}）")
        add(t.done_on, "并行", f"{t.name}{t.result}")
    add(c.promised_due, "期限", "承诺办结日")
    add(c.legal_due, "期限", "法定办结日")
    add(c.completed_on, "办结", f"{c.decision or ''}许可，用时 {c.used_days} 个工作日" + ("（按时）" if c.on_time else "（超时）"))
    add(c.delivered_on, "送达", c.delivery_method or "")
    return sorted(ev, key=lambda e: e[0])


def applicant_view(session: Session, applicant_id: str, as_of: dt.date) -> list[dict]:
    """The applicant's cases: status, missing items (补正 or 容缺 still due), deadline."""
    out = []
    names = _names(session)
    for c in session.scalars(select(Case).where(Case.applicant_id == applicant_id).order_by(Case.id.desc())):
        missing = [f"{p.material}（{p.form}，{p.due} 前）" for p in session.scalars(
            select(Promise).where(Promise.case_id == c.id, Promise.status != "已补"))]
        if c.state == CaseState.AWAITING.value and c.missing_items:
            missing = c.missing_items.split("；") + missing
        out.append({"case_no": c.case_no, "matter": names.get(c.matter_code, c.matter_code), "state": c.state,
                    "accepted_on": c.accepted_on, "promised_due": c.promised_due, "paused": c.paused,
                    "completed_on": c.completed_on, "certificate_no": c.certificate_no, "missing": missing,
                    "rating": c.rating, "can_rate": c.state in ("准予许可", "不予许可", "已送达") and not c.rating})
    return out


def departments(session: Session) -> list[Department]:
    """Every department (审批科室 and co-handling bureaus)."""
    return list(session.scalars(select(Department)))


def staff(session: Session, *, helpers_only: bool = False) -> list[Staff]:
    """The registered staff by department, or only the 帮办员 (``helpers_only``)."""
    if helpers_only:
        return list(session.scalars(select(Staff).where(Staff.is_helper.is_(True))))
    return list(session.scalars(select(Staff).order_by(Staff.department)))


def case_no_of_task(session: Session, task_id: int) -> str:
    """The number of the case a parallel task belongs to; NotFound for an unknown task."""
    case_no = session.scalar(select(Case.case_no).join(Task, Task.case_id == Case.id).where(Task.id == task_id))
    if case_no is None:
        raise NotFound(f"任务 {task_id} 不存在")
    return case_no


def case_no_of_promise(session: Session, promise_id: int) -> str:
    """The number of the case a 容缺 promise belongs to; NotFound for an unknown promise."""
    case_no = session.scalar(select(Case.case_no).join(Promise, Promise.case_id == Case.id)
                             .where(Promise.id == promise_id))
    if case_no is None:
        raise NotFound(f"容缺材料 {promise_id} 不存在")
    return case_no
