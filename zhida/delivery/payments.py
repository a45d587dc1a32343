"""Payments: exactly one per entitlement, keyed by (policy, period, unit).

A payment that cannot go out is either given an account later (``correct_payment``, also
for one still 待导出) or cancelled with a reason (``cancel_payment``, status 已取消); a cycle
closes only when every payment is 已支付 or 已取消 (``open_payments`` says which are not).

``idem_key`` = ``policy_id|period|uscc`` is unique in the table, so a unit entitled in two
cycles of the same policy and period (a recomputation, a second run) is paid once; the later
entitlement is marked as a duplicate instead.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from zhida.db import rowcount
from zhida.delivery.access import require_for_unit
from zhida.delivery.bankaccounts import masked, request_change
from zhida.delivery.lookup import get_cycle
from zhida.delivery.models import Cycle, Entitlement, Payment, analyze
from zhida.delivery.states import CycleState
from zhida.errors import NotFound, StateError, ValidationFailed
from zhida.platform import audit
from zhida.roles import Actor, Role

PAYABLE = ("已确认", "已更正", "免审即享")
PAYING_STATES = (CycleState.READY, CycleState.PAYING)
SETTLED = ("已支付", "已取消")  # a cycle closes only when every payment is one of these
CORRECTABLE = ("失败", "待导出")
CANCELLABLE = ("待导出", "失败")
DUPLICATE = "同一政策同一期间已在其他批次生成款项，不重复发放"


def idem_prefix(cycle: Cycle) -> str:
    return f"{cycle.policy_id}|{cycle.period}|"


def idem_key(cycle: Cycle, uscc: str) -> str:
    """The idempotency key of a unit's payment.

    >>> idem_key(Cycle(policy_id="wgfh", period="2024"), "91371500MA3C00011K")
    'wgfh|2024|91371500MA3C00011K'
    """
    return idem_prefix(cycle) + uscc


def _payable(E):
    return and_(E.confirmation.in_(PAYABLE), E.excluded.is_(None), E.hold_reason.is_(None),
                E.objection_open.is_(False))


def create_payments(session: Session, cycle: Cycle) -> int:
    """Create the payment of every payable unit of ``cycle`` that has none yet; return how many."""
    E, P = Entitlement, aliased(Payment)
    key = literal(idem_prefix(cycle)) + E.uscc
    session.execute(update(E).where(E.cycle_id == cycle.id, _payable(E),
                                    exists().where(P.idem_key == key, P.cycle_id != cycle.id))
                    .values(excluded=DUPLICATE).execution_options(synchronize_session=False))
    src = (select(key, literal(cycle.id), E.uscc, E.amount_fen, E.account_name, E.account_no, E.bank_name,
                  literal("待导出"), literal(0))
           .where(E.cycle_id == cycle.id, _payable(E), ~exists().where(P.idem_key == key)))
    cols = ["idem_key", "cycle_id", "uscc", "amount_fen", "account_name", "account_no", "bank_name", "status",
            "attempts"]
    made = rowcount(session.execute(insert(Payment).from_select(cols, src)))
    analyze(session, "delivery_payments", "delivery_entitlements")
    return made


def ensure_payment(session: Session, cycle: Cycle, e: Entitlement) -> Payment | None:
    """After a hold or objection ends once payments exist: grant and pay the unit if it qualifies."""
    if cycle.state not in PAYING_STATES or e.excluded or e.hold_reason or e.objection_open:
        return None
    if e.confirmation == "待确认":
        e.confirmation = "免审即享"
    if e.confirmation not in PAYABLE:
        return None
    key = idem_key(cycle, e.uscc)
    existing = session.scalar(select(Payment).where(Payment.idem_key == key))
    if existing is not None:
        if existing.cycle_id != cycle.id:
            e.excluded = DUPLICATE
        return existing
    p = Payment(idem_key=key, cycle_id=cycle.id, uscc=e.uscc, amount_fen=e.amount_fen, account_name=e.account_name,
                account_no=e.account_no, bank_name=e.bank_name, status="待导出", attempts=0)
    session.add(p)
    session.flush()
    return p


def get_payment(session: Session, cycle_id: int, uscc: str) -> Payment:
    p = session.scalar(select(Payment).where(Payment.cycle_id == cycle_id, Payment.uscc == uscc))
    if p is None:
        raise NotFound(f"发放批次 {cycle_id} 中没有单位 {uscc} 的款项")
    return p


def correct_payment(session: Session, actor: Actor, cycle_id: int, uscc: str, *, account_no: str,
                    bank_name: str | None = None, account_name: str | None = None,
                    name_exception: str | None = None) -> Payment:
    """Correct the account of a failed payment, or supply one for a payment still waiting
    (待导出, e.g. a unit that never gave one); it goes out in the next batch.

    Staff (经办) act for any unit, a unit account for itself. The new account is an account change
    (``bankaccounts.request_change``): staff's takes effect only after a 审核 approves it (the
    payment stays out of the bank files meanwhile); the unit's own, with its registered name as
    户名, at once.
    """
    require_for_unit(actor, uscc, Role.OPERATOR, action="更正或补充款项的对公账号")
    cycle = get_cycle(session, cycle_id, lock=True)  # serialises with an export of the same cycle
    if cycle.state != CycleState.PAYING:
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，只有发放中可以更正或补充款项账号")
    p = get_payment(session, cycle_id, uscc)
    if p.status not in CORRECTABLE:
        raise StateError(f"单位 {uscc} 的款项状态是「{p.status}」，只有支付失败或待导出的款项可以更正账号后发放")
    before = {**masked(p.account_name, p.bank_name, p.account_no), "status": p.status, "fail_reason": p.fail_reason}
    change = request_change(session, actor, uscc, account_no=account_no, bank_name=bank_name,
                            account_name=account_name, name_exception=name_exception, cycle_id=cycle_id,
                            source="单位门户" if actor.role == Role.UNIT else "经办")
    action = "更正账号待重发" if before["status"] == "失败" else "补充账号待导出"
    audit.record(session, actor=actor, action=action, entity="payment", entity_id=p.id, before=before,
                 after={**masked(p.account_name, p.bank_name, p.account_no), "status": p.status,
                        "change_id": change.id, "change_status": change.status})
    session.flush()
    return p


def cancel_payment(session: Session, actor: Actor, cycle_id: int, uscc: str, reason: str) -> Payment:
    """Cancel a payment that cannot go out (no account ever given, account closed …), with a reason.

    Only a payment not with the bank can be cancelled: 待导出, or 失败 (returned). A cancelled
    payment is never exported again; reconcile counts it under 已取消.
    """
    actor.require(Role.OPERATOR, Role.REVIEWER, action="取消款项")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(f"取消单位 {uscc} 的款项必须写明原因")
    if len(reason) > 200:
        raise ValidationFailed(f"取消原因过长（{len(reason)} 字）：不超过 200 字")
    cycle = get_cycle(session, cycle_id, lock=True)  # serialises with an export of the same cycle
    if cycle.state not in PAYING_STATES:
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，只有待发放或发放中可以取消款项")
    p = get_payment(session, cycle_id, uscc)
    if p.status not in CANCELLABLE:
        why = "已交银行，请等回盘" if p.status == "已导出" else "不能再取消"
        raise StateError(f"单位 {uscc} 的款项状态是「{p.status}」，{why}：只有待导出或支付失败的款项可以取消")
    before = {"status": p.status, "fail_reason": p.fail_reason, "account_no": p.account_no}
    p.status, p.cancel_reason = "已取消", reason
    audit.record(session, actor=actor, action="取消款项", entity="payment", entity_id=p.id, before=before,
                 after={"status": p.status, "reason": reason, "cycle_id": cycle_id, "uscc": uscc,
                        "amount_fen": p.amount_fen})
    session.flush()
    return p


def _why_open(status: str, account_no: str | None, blocked: bool, fail_reason: str | None) -> str:
    if status == "已导出":
        return "已导出，待银行回盘"
    if status == "失败":
        return f"银行退回（{fail_reason or '未说明原因'}），待更正账号重发或取消"
    if not account_no:
        return "没有对公账号，待补充账号或取消"
    return "暂缓或异议未决，待处理" if blocked else "尚未导出"


def open_payments(session: Session, cycle_id: int, show: int = 5) -> str | None:
    """Why a cycle cannot close: the payments neither 已支付 nor 已取消, grouped by reason (Chinese).

    None when every payment is settled.
    """
    E = Entitlement
    rows = session.execute(
        select(Payment.uscc, E.name, Payment.status, Payment.account_no, Payment.fail_reason,
               (E.hold_reason.is_not(None) | E.objection_open.is_(True)))
        .join(E, and_(E.cycle_id == Payment.cycle_id, E.uscc == Payment.uscc))
        .where(Payment.cycle_id == cycle_id, Payment.status.not_in(SETTLED)).order_by(Payment.id)).all()
    if not rows:
        return None
    groups: dict[str, list[str]] = {}
    for uscc, name, status, account, fail, blocked in rows:
        groups.setdefault(_why_open(status, account, bool(blocked), fail), []).append(f"{name}（{uscc}）")
    parts = [f"{why} {len(units)} 笔：{'、'.join(units[:show])}{' 等' if len(units) > show else ''}"
             for why, units in groups.items()]
    return (f"还有 {len(rows)} 笔款项既未支付也未取消，批次不能结束——" + "；".join(parts)
            + "。请补充或更正账号后导出，或用 zhida pay cancel 写明原因取消")
