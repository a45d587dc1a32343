"""The payment cycle (发放批次) as a process on ``zhida.platform.workflow``.

One table says who may take each step, what must hold first (guards: the 公示期 and the
确认期 are over, no payment is still open) and what entering a state does (effects: the
publicity dates, the SMS reminders, the 免审即享 grant and the payments). ``Process.fire``
moves the state by compare-and-set, writes the ``CycleEvent`` and the audit entry.

>>> allowed("草稿", "审核").action
'提交审核'
>>> [str(t) for (f, t) in TRANSITIONS if f == "确认期"]
['待发放', '已撤销']
>>> allowed("公示", "已完成")
Traceback (most recent call last):
...
zhida.errors.StateError: 发放批次不能从「公示」直接变为「已完成」：从「公示」只能变为 确认期、已撤销
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from zhida.delivery import confirm, payments, reminders
from zhida.delivery.models import Cycle, CycleEvent, Payment
from zhida.delivery.states import BEFORE_PAYMENT, STATES, CycleState
from zhida.errors import StateError
from zhida.money import format_yuan
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.workflow import Process, Step, Transition
from zhida.roles import Role

S = CycleState


def _today(step: Step[Any]) -> dt.date:
    return step.params["today"]


def publicity_over(step: Step[Any]) -> None:
    """Guard: the 公示期 has ended (its last working day is past)."""
    c, today = step.entity, _today(step)
    if c.publicity_end and today <= c.publicity_end:
        raise StateError(f"公示期到 {c.publicity_end} 才结束（{c.publicity_days} 个工作日），{today} 不能进入确认期")


def confirmation_over(step: Step[Any]) -> None:
    """Guard: the 确认期 deadline is past."""
    c, today = step.entity, _today(step)
    if c.confirm_deadline and today <= c.confirm_deadline:
        raise StateError(f"确认期到 {c.confirm_deadline} 才截止，{today} 不能生成发放名单")


def payments_settled(step: Step[Any]) -> None:
    """Guard: no payment of the cycle is still waiting for the bank (``payments.open_payments``)."""
    why = payments.open_payments(step.session, step.entity.id)
    if why:
        raise StateError(why)


def start_publicity(step: Step[Any]) -> None:
    """Effect of 公示: published today, for ``publicity_days`` working days."""
    c, today = step.entity, _today(step)
    c.published_on = today
    c.publicity_end = WorkingCalendar.from_session(step.session).add_working_days(today, c.publicity_days)
    step.notes.append(f"公示至 {c.publicity_end}")


def start_confirmation(step: Step[Any]) -> None:
    """Effect of 确认期: the deadline in working days, and one SMS per unit queued in the outbox."""
    c, today = step.entity, _today(step)
    c.confirm_start = today
    c.confirm_deadline = WorkingCalendar.from_session(step.session).add_working_days(today, c.confirm_days)
    n = reminders.notify(step.session, step.actor, c)
    step.notes.append(f"确认截止 {c.confirm_deadline}，短信 {n} 条入发件箱")


def make_payments(step: Step[Any]) -> None:
    """Effect of 待发放: units that did not answer are granted (免审即享), payments are created."""
    granted = confirm.grant_unanswered(step.session, step.entity)
    made = payments.create_payments(step.session, step.entity)
    step.notes.append(f"免审即享 {granted} 户，生成款项 {made} 笔")


def count_cancelled(step: Step[Any]) -> None:
    """Effect of 已完成: the note says how many payments were cancelled and for how much."""
    n, fen = step.session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount_fen), 0)).where(
            Payment.cycle_id == step.entity.id, Payment.status == "已取消"
        )
    ).one()
    if n:
        step.notes.append(f"取消 {n} 笔共 {format_yuan(int(fen))} 元")


def record_event(step: Step[Any]) -> None:
    """The cycle keeps its own event table (``delivery_cycle_events``), shown on its page."""
    t = step.transition
    note = "；".join(x for x in (step.comment, *step.notes) if x) or None
    step.session.add(
        CycleEvent(
            cycle_id=step.entity.id,
            from_state=t.source.value,
            to_state=t.target.value,
            actor=step.actor.username,
            role=step.actor.role.value,
            at=step.at,
            note=note,
        )
    )


def snapshot(c: Cycle) -> dict[str, Any]:
    """What the audit entry shows of a cycle before and after a step."""
    return {"state": c.state, "units": c.units, "total_fen": c.total_fen}


_OP, _REV = (Role.OPERATOR,), (Role.REVIEWER,)
CYCLE: Process[CycleState] = Process(
    "payment_cycle",
    "发放批次",
    CycleState,
    model=Cycle,
    audit_entity="cycle",
    snapshot=snapshot,
    record_event=record_event,
    transitions=[
        Transition(S.DRAFT, S.REVIEW, "提交审核", _OP),
        Transition(S.REVIEW, S.DRAFT, "退回修改", _REV),
        Transition(S.REVIEW, S.PUBLICITY, "审核通过并公示", _REV, effects=(start_publicity,)),
        Transition(S.PUBLICITY, S.CONFIRMING, "公示期满，进入确认期并发送短信", _OP,
                   guards=(publicity_over,), effects=(start_confirmation,)),
        Transition(S.CONFIRMING, S.READY, "确认期满，生成发放名单", _OP,
                   guards=(confirmation_over,), effects=(make_payments,)),
        Transition(S.READY, S.PAYING, "批准开始发放", (Role.REVIEWER, Role.LEADER)),
        Transition(S.PAYING, S.DONE, "发放完成", (Role.OPERATOR, Role.REVIEWER),
                   guards=(payments_settled,), effects=(count_cancelled,)),
        *(Transition(s, S.REVOKED, "撤销批次", _REV, needs_comment=True) for s in BEFORE_PAYMENT),
    ],
)  # fmt: skip

TRANSITIONS: dict[tuple[CycleState, CycleState], Transition[CycleState]] = {
    (t.source, t.target): t for t in CYCLE.transitions
}

# the next state reached by a plain "advance"
NEXT: dict[CycleState, CycleState] = {
    S.DRAFT: S.REVIEW,
    S.REVIEW: S.PUBLICITY,
    S.PUBLICITY: S.CONFIRMING,
    S.CONFIRMING: S.READY,
    S.READY: S.PAYING,
    S.PAYING: S.DONE,
}


def allowed(src: str, dst: str) -> Transition[CycleState]:
    """The step ``src`` → ``dst``; ``StateError`` naming the states one may go to otherwise."""
    if dst not in STATES:
        raise StateError(f"没有「{dst}」这个状态：状态应为 {'、'.join(STATES)}")
    t = TRANSITIONS.get((CycleState(src), CycleState(dst)))
    if t is None:
        targets = [b for (a, b) in TRANSITIONS if a == src]
        where = "、".join(targets) if targets else "（已是最终状态）"
        raise StateError(f"发放批次不能从「{src}」直接变为「{dst}」：从「{src}」只能变为 {where}")
    return t
