"""办件 from guidance to acceptance: 提前介入, 收件, 补正告知 (§32 five-day rule), 受理 with
容缺 (a signed 承诺书 and a ledger of promised items) or on the promise (告知承诺制).

Shapes: dates are ``datetime.date``; limits in working days. Errors: ``ValidationFailed`` for
bad input (Chinese, naming the rule), ``StateError`` for a wrong state, ``NotFound``,
``PermissionDenied``, ``CalendarMissing`` for a year with no calendar table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from zhida.approvals import clocks
from zhida.approvals.matters import get_matter, split
from zhida.approvals.models import Case, Pause, Promise, Service, Special, Staff, Step, now
from zhida.approvals.states import CASE, CaseState
from zhida.errors import NotFound, ValidationFailed
from zhida.identifiers import validate_id_number, validate_phone
from zhida.platform import audit
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import Pause as ClockPause
from zhida.roles import Actor, Role

DEFAULT_CONSEQUENCE = "逾期未补齐的，按承诺书约定终止办理，已作出的许可依法撤销"
FORMS = ("原件", "复印件", "电子件")


@dataclass
class Application:
    """What is taken at the counter (or at the applicant's door) for one application."""

    matter_code: str
    applicant_kind: str  # 单位 | 个人
    applicant_id: str  # USCC (looked up in the registry) or 身份证号
    applicant_name: str = ""
    phone: str | None = None
    project_ref: str | None = None
    green_channel: bool = False
    helper: str | None = None
    proxy: bool = False
    proxy_authorisation: str | None = None


@dataclass
class MissingItem:
    """One secondary item accepted as missing (容缺) with its promised date and form."""

    material: str
    due: dt.date
    form: str = "原件"
    consequence: str = DEFAULT_CONSEQUENCE


@dataclass
class Acceptance:
    on: dt.date
    doc_no: str
    missing: list[MissingItem] = field(default_factory=list)
    pledge_no: str | None = None  # 承诺书 number, required with missing items


def record_step(session: Session, actor: Actor, c: Case, name: str, action: str, opinion: str | None) -> Step:
    """A step the system writes itself (受理, 决定) in the GB/T 39046 step list."""
    staff = session.get(Staff, actor.username)
    at = now()
    st = Step(case_id=c.id, name=name, department=staff.department if staff else c.department, action=action,
              officer=actor.username, opinion=opinion, started_at=at, ended_at=at)
    session.add(st)
    return st


def calendar_of(session: Session) -> WorkingCalendar:
    return WorkingCalendar.from_session(session)


def get_case(session: Session, case_no: str, lock: bool = False) -> Case:
    """The case by its 办件编号 (``NotFound`` otherwise). ``lock`` first writes the row (a no-op
    UPDATE): PostgreSQL then holds its row lock and SQLite its write lock until commit, so two
    clerks cannot add overlapping pauses or two extensions at once; the row is then read fresh."""
    stmt = select(Case).where(Case.case_no == case_no)
    if lock:
        session.execute(update(Case).where(Case.case_no == case_no).values(case_no=Case.case_no)
                        .execution_options(synchronize_session=False))
        stmt = stmt.execution_options(populate_existing=True)
    c = session.scalars(stmt).first()
    if c is None:
        raise NotFound(f"办件 {case_no} 不存在")
    return c


def pauses_of(session: Session, case: Case) -> list[ClockPause]:
    rows = session.scalars(select(Pause).where(Pause.case_id == case.id).order_by(Pause.start))
    return [ClockPause(p.start, p.end, p.reason) for p in rows]


def _applicant(session: Session, a: Application) -> tuple[str, str]:
    if a.applicant_kind == "单位":
        from zhida.registry.service import get_unit

        unit = get_unit(session, a.applicant_id.strip().upper())
        return unit.uscc, unit.name
    if a.applicant_kind == "个人":
        if not a.applicant_name.strip():
            raise ValidationFailed("个人申请须填写申请人姓名")
        try:
            return validate_id_number(a.applicant_id), a.applicant_name.strip()
        except ValueError as err:
            raise ValidationFailed(f"申请人身份证号 {a.applicant_id!r} 不对：{err}") from None
    raise ValidationFailed(f"申请人类型「{a.applicant_kind}」不对：应为 单位 或 个人")


def _phone(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return validate_phone(text)
    except ValueError as err:
        raise ValidationFailed(f"联系电话 {value!r} 不对：{err}") from None


def _check_helper(session: Session, a: Application) -> None:
    if a.proxy and not (a.proxy_authorisation or "").strip():
        raise ValidationFailed("代办须有申请人的书面授权委托书：请填写授权委托书编号")
    if a.helper:
        s = session.get(Staff, a.helper)
        if s is None or not s.is_helper:
            raise ValidationFailed(f"{a.helper} 不是登记的帮办员：绿色通道的帮办员须在科室人员中登记")


def _new_case_no(session: Session, day: dt.date) -> str:
    prefix = f"SP{day:%Y%m%d}"
    n = session.scalar(select(func.count()).select_from(Case).where(Case.case_no.like(prefix + "%")))
    return f"{prefix}{(n or 0) + 1:04d}"


def _create(session: Session, actor: Actor, a: Application, day: dt.date, state: CaseState) -> Case:
    actor.require(Role.OPERATOR, action="收件")
    matter = get_matter(session, a.matter_code)
    if not matter.active:
        raise ValidationFailed(f"审批事项 {matter.name} 已停用")
    applicant_id, name = _applicant(session, a)
    _check_helper(session, a)
    c = Case(case_no=_new_case_no(session, day), case_type="即办件" if matter.instant else "承诺件",
             matter_code=matter.code, department=split(matter.departments)[0], state=state.value,
             applicant_kind=a.applicant_kind, applicant_name=name, applicant_id=applicant_id,
             phone=_phone(a.phone), project_ref=(a.project_ref or None),
             green_channel=a.green_channel or bool(a.helper), helper=a.helper, proxy=a.proxy,
             proxy_authorisation=a.proxy_authorisation, legal_days=matter.legal_days,
             promised_days=matter.promised_days, notify_promise=matter.notify_promise, created_at=now())
    session.add(c)
    session.flush()
    audit.record(session, actor=actor, action="创建办件", entity="appr_case", entity_id=c.case_no,
                 after={"事项": matter.name, "申请人": name, "状态": c.state, "绿色通道": c.green_channel})
    return c


def open_guidance(session: Session, actor: Actor, a: Application, on: dt.date, note: str = "") -> Case:
    """提前介入: a case in 辅导中 with its 帮办员; the statutory clock does not start."""
    if not a.helper:
        raise ValidationFailed("提前介入须指定帮办员")
    c = _create(session, actor, a, on, CaseState.GUIDANCE)
    c.guidance_on = on
    log_service(session, actor, c, "提前介入", on, note or "申请前辅导材料")
    return c


def receive(session: Session, actor: Actor, a: Application, on: dt.date) -> Case:
    """收件: the application is received on ``on`` (the §32 five days run from here)."""
    c = _create(session, actor, a, on, CaseState.RECEIVED)
    c.received_on = c.first_received_on = on
    return c


def submit(session: Session, actor: Actor, case_no: str, on: dt.date, at_door: bool = False) -> Case:
    """提交申请 of a guided case (``at_door``: 上门受理 by the 帮办员)."""
    c = get_case(session, case_no)
    CASE.fire(session, c, CaseState.RECEIVED, actor, comment="上门受理" if at_door else None)
    c.received_on = c.first_received_on = on
    if at_door:
        log_service(session, actor, c, "上门受理", on, "帮办员上门收取申请材料")
    return c


def log_service(session: Session, actor: Actor, c: Case, stage: str, on: dt.date, note: str | None = None) -> Service:
    """One entry of the 帮办代办 timeline (提前介入, 上门受理, 跟踪催办, 统一送达, 事后评价)."""
    stages = ("提前介入", "上门受理", "跟踪催办", "统一送达", "事后评价")
    if stage not in stages:
        raise ValidationFailed(f"帮办环节「{stage}」不对：应为 {'、'.join(stages)}")
    s = Service(case_id=c.id, stage=stage, on=on, by=actor.username, note=note)
    session.add(s)
    session.flush()
    audit.record(session, actor=actor, action=f"帮办·{stage}", entity="appr_case", entity_id=c.case_no,
                 after={"日期": on, "说明": note})
    return s


def mark_green(session: Session, actor: Actor, case_no: str, helper: str, project_ref: str | None = None) -> Case:
    """Put a case on the green channel with a named 帮办员 (and optionally a key-project reference)."""
    c = get_case(session, case_no)
    _check_helper(session, Application(c.matter_code, c.applicant_kind, c.applicant_id, helper=helper))
    before = {"绿色通道": c.green_channel, "帮办员": c.helper, "项目": c.project_ref}
    c.green_channel, c.helper = True, helper
    c.project_ref = project_ref or c.project_ref
    audit.record(session, actor=actor, action="纳入绿色通道", entity="appr_case", entity_id=c.case_no, before=before,
                 after={"绿色通道": True, "帮办员": helper, "项目": c.project_ref})
    return c


def notify_missing(session: Session, actor: Actor, case_no: str, on: dt.date, items: list[str]) -> Case:
    """一次性告知补正 (§32): refused after the fifth working day — then the case counts as accepted."""
    c = get_case(session, case_no)
    CASE.transition(c.state, CaseState.AWAITING)  # StateError first for a case not waiting for acceptance
    if not items:
        raise ValidationFailed("补正告知须一次性列明全部需补正的材料")
    cal = calendar_of(session)
    received = received_on(c)
    if not clocks.notice_in_time(cal, received, on):
        last = clocks.notice_deadline(cal, received)
        raise ValidationFailed(f"补正告知日期 {on} 已超过收件（{c.received_on}）后5个工作日（最后一日 {last}）："
                               "行政许可法第32条规定逾期不告知的，自收到申请材料之日起即为受理")
    CASE.fire(session, c, CaseState.AWAITING, actor, comment="；".join(items))
    c.missing_notice_on, c.missing_items = on, "；".join(items)
    return c


def supplement(session: Session, actor: Actor, case_no: str, on: dt.date) -> Case:
    """补正材料 received on ``on``: the five days run again from this receipt."""
    c = get_case(session, case_no)
    CASE.fire(session, c, CaseState.RECEIVED, actor)
    c.received_on = on
    return c


def _check_missing(matter, acc: Acceptance, promised_due: dt.date) -> None:
    secondary = set(split(matter.secondary_materials))
    main = set(split(matter.main_materials))
    if not matter.tolerance:
        raise ValidationFailed(f"{matter.name} 不适用容缺受理")
    if not (acc.pledge_no or "").strip():
        raise ValidationFailed("容缺受理须申请人签署承诺书：请填写承诺书编号")
    for m in acc.missing:
        if m.material in main:
            raise ValidationFailed(f"「{m.material}」是主要材料，不能容缺：容缺受理只适用于次要材料")
        if m.material not in secondary:
            raise ValidationFailed(f"「{m.material}」不是 {matter.name} 的次要材料：可容缺的有 {'、'.join(sorted(secondary))}")
        if m.form not in FORMS:
            raise ValidationFailed(f"容缺材料的提交形式「{m.form}」不对：应为 {'、'.join(FORMS)}")
        if m.due <= acc.on or m.due > promised_due:
            raise ValidationFailed(f"「{m.material}」的补交期限 {m.due} 不对：应在受理之后、不超过承诺办结日 {promised_due}")


def accept(session: Session, actor: Actor, case_no: str, acc: Acceptance) -> Case:
    """受理 on ``acc.on`` (a working day); with ``missing`` items it is 容缺受理 against a 承诺书.

    An acceptance later than the §32 five working days without a notice is taken as of the
    day of receipt and flagged ``deemed_accepted``.
    """
    c = get_case(session, case_no)
    CASE.transition(c.state, CaseState.IN_PROGRESS)
    cal = calendar_of(session)
    clocks.require_working_day(cal, acc.on, "受理日期")
    if c.received_on and acc.on < c.received_on:
        raise ValidationFailed(f"受理日期 {acc.on} 早于收件日期 {c.received_on}")
    matter = get_matter(session, c.matter_code)
    start, deemed = acc.on, False
    if c.received_on is not None and not clocks.notice_in_time(cal, c.received_on, acc.on):
        start, deemed = c.received_on, True
    promised_due = cal.add_working_days(start, c.promised_days)
    cal.add_working_days(start, c.legal_days)  # fail closed before any change
    if acc.missing:
        _check_missing(matter, acc, max(promised_due, acc.on))
    CASE.fire(session, c, CaseState.IN_PROGRESS, actor, comment=acc.doc_no)
    c.accepted_on, c.accepted_at, c.acceptance_officer = start, now(), actor.username
    c.acceptance_doc_no, c.deemed_accepted = acc.doc_no, deemed
    c.tolerance, c.pledge_no = bool(acc.missing), acc.pledge_no if acc.missing else None
    for m in acc.missing:
        session.add(Promise(case_id=c.id, material=m.material, form=m.form, due=m.due, consequence=m.consequence))
    if deemed:
        session.add(Special(case_id=c.id, kind="其他", reason="收件后5个工作日内未告知补正，依行政许可法第32条自收件之日起视为受理",
                            result=f"受理日期记为 {start}", start=acc.on, end=acc.on, created_by=actor.username))
    record_step(session, actor, c, "受理", "通过", f"{acc.doc_no}" + ("（容缺受理）" if acc.missing else ""))
    refresh(session, c, acc.on)
    audit.record(session, actor=actor, action="受理", entity="appr_case", entity_id=c.case_no,
                 after={"受理日期": start, "视为受理": deemed, "容缺": [m.material for m in acc.missing],
                        "承诺办结日": c.promised_due, "法定办结日": c.legal_due})
    return c


def received_on(c: Case) -> dt.date:
    """The day the application was received (``StateError`` for a case still in guidance)."""
    if c.received_on is None:
        from zhida.errors import StateError

        raise StateError(f"办件 {c.case_no} 尚未收件")
    return c.received_on


def accepted_on(c: Case) -> dt.date:
    """The day of acceptance (``StateError`` for a case not accepted yet)."""
    if c.accepted_on is None:
        from zhida.errors import StateError

        raise StateError(f"办件 {c.case_no} 尚未受理，还没有计时")
    return c.accepted_on


def case_by_id(session: Session, case_id: int) -> Case:
    c = session.get(Case, case_id)
    if c is None:
        raise NotFound(f"办件 {case_id} 不存在")
    return c


def refresh(session: Session, c: Case, as_of: dt.date) -> clocks.CaseClock | None:
    """Recompute the clock columns of a case (deadlines, paused) and return its clock."""
    if c.accepted_on is None:
        return None
    session.flush()
    ck = clocks.case_clock(calendar_of(session), c.accepted_on, c.legal_days + c.extension_days,
                           c.promised_days + c.extension_days, pauses_of(session, c), as_of)
    c.legal_due, c.promised_due, c.paused = ck.legal_due, ck.promised_due, ck.paused
    return ck


def five_day_sweep(session: Session, actor: Actor, as_of: dt.date) -> list[str]:
    """Cases received and neither notified nor accepted within 5 working days: accepted as of
    receipt and flagged (行政许可法 §32). Returns their numbers."""
    cal = calendar_of(session)
    if not cal.is_working_day(as_of):
        return []
    out = []
    for c in session.scalars(select(Case).where(Case.state == CaseState.RECEIVED.value)):
        if c.received_on and not clocks.notice_in_time(cal, c.received_on, as_of):
            accept(session, actor, c.case_no, Acceptance(as_of, "视为受理"))
            out.append(c.case_no)
    return out
