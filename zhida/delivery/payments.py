"""Payments: exactly one per entitlement, keyed by (policy, period, unit).

``idem_key`` = ``policy_id|period|uscc`` is unique in the table, so a unit entitled in two
cycles of the same policy and period (a recomputation, a second run) is paid once; the later
entitlement is marked as a duplicate instead.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from zhida.delivery import audit
from zhida.delivery.confirm import check_account
from zhida.delivery.cycles import get_cycle
from zhida.delivery.models import Cycle, Entitlement, Payment, analyze
from zhida.errors import NotFound, StateError
from zhida.roles import Actor, Role

PAYABLE = ("已确认", "已更正", "免审即享")
PAYING_STATES = ("待发放", "发放中")
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
    made = session.execute(insert(Payment).from_select(cols, src)).rowcount
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
                    bank_name: str | None = None, account_name: str | None = None) -> Payment:
    """Correct the account of a failed payment; it goes out in the next batch."""
    actor.require(Role.OPERATOR, action="更正失败款项的账号")
    cycle = get_cycle(session, cycle_id)
    if cycle.state != "发放中":
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，只有发放中可以更正失败款项")
    p = get_payment(session, cycle_id, uscc)
    if p.status != "失败":
        raise StateError(f"单位 {uscc} 的款项状态是「{p.status}」，只有支付失败的款项可以更正后重发")
    before = {"account_no": p.account_no, "bank_name": p.bank_name, "account_name": p.account_name,
              "status": p.status, "fail_reason": p.fail_reason}
    p.account_no = check_account(account_no)
    p.bank_name = bank_name or p.bank_name
    p.account_name = account_name or p.account_name
    p.status, p.fail_reason = "待导出", None
    audit.record(session, actor=actor, action="更正账号待重发", entity="payment", entity_id=p.id, before=before,
                 after={"account_no": p.account_no, "bank_name": p.bank_name, "account_name": p.account_name,
                        "status": p.status})
    session.flush()
    return p
