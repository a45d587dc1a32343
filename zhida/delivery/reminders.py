"""Reminders: one SMS per eligible unit, then phone-call tasks for staff.

SMS go through the shared outbox with the dedupe key ``delivery:<cycle>:sms:<uscc>``, so
notifying twice never queues a second message. Units the SMS did not reach, or that have
not answered ``call_after_days`` working days after the 确认期 began, become call tasks
(round 1). A unit whose first call was 未接通 and that is still unconfirmed
``recall_after_days`` working days after that call gets one more (round 2); there is no third.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhida.config import Settings, get_settings
from zhida.delivery.lookup import get_cycle
from zhida.delivery.models import CallTask, Cycle, Entitlement, now
from zhida.delivery.schemas import CallView, CountResult
from zhida.delivery.states import CycleState
from zhida.errors import NotFound, StateError, ValidationFailed
from zhida.identifiers import is_mobile
from zhida.money import format_yuan
from zhida.platform import audit, outbox
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.models import OutboxMessage
from zhida.roles import Actor, Role

OUTCOMES = ("接通", "未接通", "号码错误", "拒绝")
MAX_ROUNDS = 2
RECALL_REASON = "首次未接通，再次拨打"


def sms_key(cycle_id: int, uscc: str) -> str:
    return f"delivery:{cycle_id}:sms:{uscc}"


def sms_text(name: str, policy: str, amount_fen: int, deadline: dt.date, account_no: str | None,
             settings: Settings | None = None) -> str:
    """The reminder SMS.

    >>> print(sms_text("聊城市某某机械有限公司", "失业保险稳岗返还", 1234550, dt.date(2025, 7, 15), "6222021612345678",
    ...                Settings(delivery_org_name="茌平区人社局", delivery_hotline="0635-4261234",
    ...                         delivery_confirm_url="https://zd.example/u")))
    【茌平区人社局】聊城市某某机械有限公司：经数据比对，贵单位符合失业保险稳岗返还条件，拟发放12,345.50元至尾号5678的对公账户。请于2025年07月15日前登录https://zd.example/u或致电0635-4261234确认，账户有误请一并更正；逾期未答复视为同意，免申即享，无需申请。
    """
    s = settings or get_settings()
    where = f"至尾号{account_no[-4:]}的对公账户" if account_no else "，贵单位尚未登记对公账号，请补充"
    return (f"【{s.delivery_org_name}】{name}：经数据比对，贵单位符合{policy}条件，拟发放{format_yuan(amount_fen)}元{where}。"
            f"请于{deadline:%Y年%m月%d日}前登录{s.delivery_confirm_url}或致电{s.delivery_hotline}确认，账户有误请一并更正；"
            f"逾期未答复视为同意，免申即享，无需申请。")


def notify(session: Session, actor: Actor, cycle: Cycle) -> int:
    """Queue the SMS of every unit with a mobile number; units without one get a call task."""
    if cycle.confirm_deadline is None:
        raise StateError(f"发放批次 {cycle.id} 尚未进入确认期，没有确认截止日，不能发送提醒")
    settings = get_settings()
    rows = session.execute(select(Entitlement.uscc, Entitlement.name, Entitlement.amount_fen, Entitlement.phone,
                                  Entitlement.account_no).where(Entitlement.cycle_id == cycle.id,
                                                                Entitlement.excluded.is_(None)))
    messages, no_mobile = [], []
    for uscc, name, amount, phone, account in rows:
        if phone and is_mobile(phone):
            messages.append(dict(channel="sms", recipient=phone, dedupe_key=sms_key(cycle.id, uscc),
                                 body=sms_text(name, cycle.policy_name, amount, cycle.confirm_deadline, account, settings)))
        else:
            no_mobile.append((uscc, phone))
    n = outbox.enqueue_many(session, messages)
    _add_calls(session, cycle.id, [(u, p, "无手机号，短信未发") for u, p in no_mobile])
    audit.record(session, actor=actor, action="发送确认短信", entity="cycle", entity_id=cycle.id,
                 after={"sms": n, "no_mobile": len(no_mobile)})
    return n


def _add_calls(session: Session, cycle_id: int, rows: list[tuple[str, str | None, str]], round_: int = 1) -> int:
    have = set(session.scalars(select(CallTask.uscc).where(CallTask.cycle_id == cycle_id, CallTask.round == round_)))
    new = [dict(cycle_id=cycle_id, uscc=u, round=round_, phone=p, reason=r, created_at=now())
           for u, p, r in rows if u not in have]
    if new:
        session.execute(insert(CallTask), new)
    return len(new)


def _first_round(session: Session, cycle: Cycle, today: dt.date, cal: WorkingCalendar) -> int:
    due = cal.add_working_days(cycle.confirm_start or today, cycle.call_after_days)
    if today < due:
        raise StateError(f"短信发出后 {cycle.call_after_days} 个工作日（{due}）起才转电话提醒，今天是 {today}")
    status = dict(session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.status)
                                  .where(OutboxMessage.dedupe_key.like(f"delivery:{cycle.id}:sms:%"))).all())
    pending = session.execute(select(Entitlement.uscc, Entitlement.phone).where(
        Entitlement.cycle_id == cycle.id, Entitlement.confirmation == "待确认", Entitlement.excluded.is_(None)))
    rows = [(u, p, "短信已达未确认" if status.get(sms_key(cycle.id, u)) == "sent" else "短信未送达")
            for u, p in pending]
    return _add_calls(session, cycle.id, rows)


def _second_round(session: Session, cycle: Cycle, today: dt.date, cal: WorkingCalendar) -> int:
    """Round 2 for units still 待确认 whose round-1 call was 未接通 ``recall_after_days`` working days ago."""
    E, T = Entitlement, CallTask
    first = session.execute(
        select(T.uscc, T.phone, func.coalesce(T.called_on, func.date(T.recorded_at)))
        .join(E, (E.cycle_id == T.cycle_id) & (E.uscc == T.uscc))
        .where(T.cycle_id == cycle.id, T.round == MAX_ROUNDS - 1, T.outcome == "未接通",
               E.confirmation == "待确认", E.excluded.is_(None))).all()
    due: dict[dt.date, dt.date] = {}
    rows = []
    for uscc, phone, day in first:
        if isinstance(day, str):  # SQLite's date() gives text
            day = dt.date.fromisoformat(day)
        if day not in due:
            due[day] = cal.add_working_days(day, cycle.recall_after_days)
        if today >= due[day]:
            rows.append((uscc, phone, RECALL_REASON))
    return _add_calls(session, cycle.id, rows, round_=MAX_ROUNDS)


def make_calls(session: Session, actor: Actor, cycle_id: int, today: dt.date | None = None) -> CountResult:
    """Turn units with undelivered SMS or no answer into call tasks, once the wait is over;
    call again (once) units whose first call was 未接通 and that still have not answered."""
    actor.require(Role.OPERATOR, action="生成电话提醒任务")
    today = today or dt.date.today()
    cycle = get_cycle(session, cycle_id)
    if cycle.state != CycleState.CONFIRMING:
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，电话提醒只在确认期内进行")
    cal = WorkingCalendar.from_session(session)
    n1 = _first_round(session, cycle, today, cal)
    n2 = _second_round(session, cycle, today, cal)
    n = n1 + n2
    audit.record(session, actor=actor, action="生成电话提醒任务", entity="cycle", entity_id=cycle_id,
                 after={"calls": n, "round1": n1, "round2": n2})
    second = f"，其中第二轮 {n2} 个（首次未接通）" if n2 else ""
    return CountResult(count=n, message=f"新增电话提醒任务 {n} 个{second}（截至 {today} 未送达或未确认的单位）")


def _view(t: CallTask, name: str | None) -> CallView:
    return CallView(id=t.id, uscc=t.uscc, name=name, phone=t.phone, round=t.round, reason=t.reason,
                    outcome=t.outcome, note=t.note)


def list_calls(session: Session, cycle_id: int, open_only: bool = False) -> list[CallView]:
    stmt = (select(CallTask, Entitlement.name)
            .join(Entitlement, (Entitlement.cycle_id == CallTask.cycle_id) & (Entitlement.uscc == CallTask.uscc))
            .where(CallTask.cycle_id == cycle_id).order_by(CallTask.id))
    if open_only:
        stmt = stmt.where(CallTask.outcome.is_(None))
    return [_view(t, n) for t, n in session.execute(stmt)]


def record_call(session: Session, actor: Actor, call_id: int, outcome: str, note: str | None = None, *,
                on: dt.date | None = None) -> CallView:
    """Record how a call went: 接通, 未接通, 号码错误 or 拒绝; ``on`` is the day it was made (default today)."""
    actor.require(Role.OPERATOR, action="登记电话提醒结果")
    if outcome not in OUTCOMES:
        raise ValidationFailed(f"通话结果 {outcome!r} 不对：应为 {'、'.join(OUTCOMES)}")
    on = on or dt.date.today()
    if on > dt.date.today():
        raise ValidationFailed(f"通话日期 {on} 晚于今天，不能登记")
    t = session.get(CallTask, call_id)
    if t is None:
        raise NotFound(f"电话任务 {call_id} 不存在")
    before = {"outcome": t.outcome, "note": t.note}
    t.outcome, t.note, t.recorded_by, t.recorded_at, t.called_on = outcome, note, actor.username, now(), on
    audit.record(session, actor=actor, action="登记电话结果", entity="call", entity_id=call_id, before=before,
                 after={"outcome": outcome, "note": note, "on": on, "round": t.round})
    name = session.scalar(select(Entitlement.name).where(Entitlement.cycle_id == t.cycle_id,
                                                         Entitlement.uscc == t.uscc))
    return _view(t, name)

