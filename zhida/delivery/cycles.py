"""Cycles (发放批次): create from a policy run, move through the states, revoke, recompute.

The eligible list is copied into ``delivery_entitlements`` when the cycle is created, with
each unit's phone and account as they are that day: later imports do not change it.
Recomputing evaluates the policy again, makes a new cycle and reports the difference.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from zhida.delivery import bankaccounts, livecycle
from zhida.delivery.lookup import entitlement, get_cycle
from zhida.delivery.models import Cycle, CycleEvent, Entitlement, Objection, Payment, PaymentAccount, analyze, now
from zhida.delivery.process import CYCLE, NEXT, TRANSITIONS, allowed, snapshot
from zhida.delivery.schemas import CycleDiff, CycleView, DiffRow, EventView
from zhida.delivery.source import eligible_rows, get_run, rerun
from zhida.delivery.states import BEFORE_PAYMENT, FINAL, CycleState
from zhida.errors import Conflict, StateError, ValidationFailed
from zhida.platform import audit
from zhida.registry.models import Unit
from zhida.roles import Actor, Role


def create_cycle(session: Session, actor: Actor, run_id: int, *, publicity_days: int = 5, confirm_days: int = 10,
                 call_after_days: int = 3, recall_after_days: int = 2, parent_id: int | None = None,
                 supplementary: bool = False) -> Cycle:
    """Freeze the eligible units of ``run_id`` into a new cycle in state 草稿.

    ``call_after_days``: working days after the 确认期 begins before unanswered units become call
    tasks; ``recall_after_days``: working days after a first call 未接通 before the second (last) one.
    One live cycle per (policy, period): a second raises ``Conflict`` naming the first, unless
    ``supplementary`` (补发), which lists only units not covered before (see ``livecycle``).
    """
    actor.require(Role.OPERATOR, action="创建发放批次")
    return _create(session, actor, run_id, publicity_days, confirm_days, (call_after_days, recall_after_days),
                   parent_id, supplementary)


def _create(session: Session, actor: Actor, run_id: int, publicity_days: int, confirm_days: int,
            calls: tuple[int, int], parent_id: int | None, supplementary: bool = False) -> Cycle:
    call_after_days, recall_after_days = calls
    for name, v in (("公示期", publicity_days), ("确认期", confirm_days), ("电话提醒", call_after_days),
                    ("再次电话提醒", recall_after_days)):
        if not 1 <= v <= 60:
            raise ValidationFailed(f"{name}天数 {v} 不合理：应为 1–60 个工作日")
    run = get_run(session, run_id)
    livecycle.guard_new(session, run.policy_id, run.period, supplementary)
    cycle = Cycle(run_id=run.id, policy_id=run.policy_id, policy_name=run.policy_name, period=run.period,
                  state=CycleState.DRAFT, parent_id=parent_id, supplementary=supplementary, publicity_days=publicity_days,
                  confirm_days=confirm_days, call_after_days=call_after_days, recall_after_days=recall_after_days, created_by=actor.username,
                  created_at=now())
    session.add(cycle)
    session.flush()
    r = eligible_rows(run.id).subquery()
    bankaccounts.take_up_registry(session, actor, select(r.c.uscc))
    PA = PaymentAccount
    src = (select(literal(cycle.id), r.c.uscc, r.c.name, r.c.amount_fen, r.c.size_class, r.c.township,
                  r.c.industry_section, r.c.insured, Unit.contact, Unit.phone, PA.bank_name, PA.account_no,
                  func.coalesce(PA.account_name, r.c.name), literal("待确认"), literal(False))
           .select_from(r).outerjoin(Unit, Unit.uscc == r.c.uscc).outerjoin(PA, PA.uscc == r.c.uscc))
    cols = ["cycle_id", "uscc", "name", "amount_fen", "size_class", "township", "industry_section", "insured",
            "contact", "phone", "bank_name", "account_no", "account_name", "confirmation", "objection_open"]
    session.execute(insert(Entitlement).from_select(cols, src))
    dropped, declined = livecycle.apply_history(session, cycle)
    bankaccounts.hold_pending(session, cycle.id)
    analyze(session, "delivery_entitlements")
    units, total = livecycle.count(session, cycle.id)
    if not units:
        why = f"，此前批次已覆盖的 {dropped} 户不再列入" if supplementary else ""
        raise ValidationFailed(f"测算 {run_id} 没有符合条件且金额大于零的单位{why}，无法创建发放批次")
    cycle.units, cycle.total_fen = units, total
    note = "；".join(x for x in (f"由测算 {run_id} 生成" + ("（补发）" if supplementary else ""),
                                 f"此前批次已覆盖 {dropped} 户不列入" if dropped else None,
                                 f"此前已放弃 {declined} 户保持放弃" if declined else None) if x)
    session.add(CycleEvent(cycle_id=cycle.id, from_state=None, to_state=CycleState.DRAFT, actor=actor.username,
                           role=actor.role.value, at=now(), note=note))
    audit.record(session, actor=actor, action="创建补发批次" if supplementary else "创建发放批次", entity="cycle",
                 entity_id=cycle.id, after={**snapshot(cycle), "run_id": run_id, "parent_id": parent_id,
                                            "dropped": dropped, "declined": declined})
    return cycle


def advance(session: Session, actor: Actor, cycle_id: int, to: str | None = None, *, today: dt.date | None = None,
            note: str | None = None, expect: str | None = None) -> Cycle:
    """Move a cycle to ``to`` (default: the next state) on the declared process ``process.CYCLE``.

    The role, the dates and the preconditions are checked there; the cycle is locked and moved by
    compare-and-set, and when ``expect`` (the state the caller saw) is given it must still be in
    it: concurrent callers get ``Conflict`` (HTTP 409), never a double move. ``StateError`` for a
    step the process does not allow, ``ValidationFailed`` for a revocation without a reason.
    """
    cycle = get_cycle(session, cycle_id, lock=True)
    if expect and cycle.state != expect:
        raise Conflict(f"发放批次 {cycle_id} 已被他人从「{expect}」变为「{cycle.state}」，本次操作未执行，请刷新后再看")
    dst = to or NEXT.get(CycleState(cycle.state))
    if dst is None:
        raise StateError(f"发放批次 {cycle_id} 已{cycle.state}，不能再推进")
    t = allowed(cycle.state, dst)
    actor.require(*t.roles, action=t.action)
    if dst == CycleState.REVOKED and not (note or "").strip():
        raise ValidationFailed("撤销发放批次必须写明原因")
    CYCLE.fire(session, cycle, dst, actor, comment=note, today=today or dt.date.today())
    return cycle


def revoke(session: Session, actor: Actor, cycle_id: int, reason: str) -> Cycle:
    return advance(session, actor, cycle_id, CycleState.REVOKED, note=reason)


def _counts(session: Session, col, *where) -> dict[str, int]:
    return {k: n for k, n in session.execute(select(col, func.count()).where(*where).group_by(col))}


def show(session: Session, cycle_id: int) -> CycleView:
    c = get_cycle(session, cycle_id)
    events = session.scalars(select(CycleEvent).where(CycleEvent.cycle_id == c.id).order_by(CycleEvent.id))
    E = Entitlement
    return CycleView(
        id=c.id, run_id=c.run_id, policy_id=c.policy_id, policy_name=c.policy_name, period=c.period,
        state=c.state, parent_id=c.parent_id, units=c.units, total_fen=c.total_fen,
        published_on=c.published_on, publicity_end=c.publicity_end, confirm_start=c.confirm_start,
        confirm_deadline=c.confirm_deadline,
        confirmation=_counts(session, E.confirmation, E.cycle_id == c.id),
        open_objections=session.scalar(select(func.count()).where(Objection.cycle_id == c.id,
                                                                   Objection.status == "待处理")) or 0,
        held=session.scalar(select(func.count()).where(E.cycle_id == c.id, E.hold_reason.is_not(None))) or 0,
        payments=_counts(session, Payment.status, Payment.cycle_id == c.id),
        next_states=[b for (a, b) in TRANSITIONS if a == c.state],
        events=[EventView(from_state=e.from_state, to_state=e.to_state, actor=e.actor, role=e.role, at=e.at,
                          note=e.note) for e in events])


def list_cycles(session: Session, limit: int = 100) -> list[CycleView]:
    ids = session.scalars(select(Cycle.id).order_by(Cycle.id.desc()).limit(limit))
    return [show(session, i) for i in ids]


def _amounts(session: Session, cycle_id: int) -> dict[str, tuple[str, int]]:
    rows = session.execute(select(Entitlement.uscc, Entitlement.name, Entitlement.amount_fen)
                           .where(Entitlement.cycle_id == cycle_id))
    return {u: (n, a) for u, n, a in rows}


def diff_cycles(session: Session, old_id: int, new_id: int) -> CycleDiff:
    """Units added, removed and changed in amount between two cycles."""
    old, new = _amounts(session, get_cycle(session, old_id).id), _amounts(session, get_cycle(session, new_id).id)
    d = CycleDiff(old_id=old_id, new_id=new_id, old_total_fen=sum(a for _, a in old.values()),
                  new_total_fen=sum(a for _, a in new.values()))
    for u in sorted(new.keys() - old.keys()):
        d.added.append(DiffRow(uscc=u, name=new[u][0], old_fen=None, new_fen=new[u][1]))
    for u in sorted(old.keys() - new.keys()):
        d.removed.append(DiffRow(uscc=u, name=old[u][0], old_fen=old[u][1], new_fen=None))
    for u in sorted(old.keys() & new.keys()):
        if old[u][1] != new[u][1]:
            d.changed.append(DiffRow(uscc=u, name=new[u][0], old_fen=old[u][1], new_fen=new[u][1]))
    return d


def recompute(session: Session, actor: Actor, cycle_id: int, run_id: int | None = None) -> tuple[Cycle, CycleDiff]:
    """Make a new cycle from a fresh run (or ``run_id``); revoke the old one if nothing was paid yet."""
    actor.require(Role.REVIEWER, action="重新测算发放批次（原批次将撤销）")
    old = get_cycle(session, cycle_id, lock=True)
    if old.state in FINAL:
        raise StateError(f"发放批次 {cycle_id} 已{old.state}，不能重新测算")
    new_run = run_id or rerun(session, old.policy_id, old.period)
    replace = old.state in BEFORE_PAYMENT  # else paying: the new cycle only supplements it (补发)
    if replace:
        advance(session, actor, old.id, CycleState.REVOKED, note="重新测算，由新批次取代")
    new = _create(session, actor, new_run, old.publicity_days, old.confirm_days,
                  (old.call_after_days, old.recall_after_days), old.id, supplementary=not replace)
    return new, diff_cycles(session, old.id, new.id)


def set_held(session: Session, actor: Actor, cycle_id: int, uscc: str, reason: str | None) -> Entitlement:
    """Hold a unit (no auto-grant, no payment) with a reason, or release it (``reason=None``)."""
    from zhida.delivery.payments import ensure_payment

    actor.require(Role.OPERATOR, Role.REVIEWER, action="标记暂缓发放")
    cycle = get_cycle(session, cycle_id)
    e = entitlement(session, cycle_id, uscc)
    before = {"hold_reason": e.hold_reason}
    e.hold_reason = reason
    audit.record(session, actor=actor, action="暂缓发放" if reason else "解除暂缓", entity="entitlement",
                 entity_id=f"{cycle_id}/{uscc}", before=before, after={"hold_reason": reason})
    if reason is None:
        ensure_payment(session, cycle, e)
    session.flush()
    return e
