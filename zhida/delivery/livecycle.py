"""One live cycle per (policy, period); a supplementary cycle (补发) only for units not yet covered.

A second ordinary cycle of the same policy and period is refused, naming the existing one:
it would ask every unit again, grant the silent ones (免审即享) and pay units that had
declined. A 补发 cycle lists only units that no earlier cycle of the same policy and period
has paid, is paying, still has open, or that declined there (a decline — 放弃 — is remembered
across cycles, revoked ones included). A unit whose earlier payment was cancelled (已取消)
may be listed again.
"""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, func, literal, or_, select, update
from sqlalchemy.orm import Session, aliased

from zhida.db import rowcount
from zhida.delivery.locking import Conflict, named_lock
from zhida.delivery.models import Cycle, Entitlement, Payment, now
from zhida.delivery.states import CycleState
from zhida.errors import ValidationFailed

DECLINED = "放弃"


def live_cycles(session: Session, policy_id: str, period: str, but: int | None = None) -> list[Cycle]:
    """Cycles of (policy, period) that are not revoked, oldest first."""
    stmt = select(Cycle).where(Cycle.policy_id == policy_id, Cycle.period == period, Cycle.state != CycleState.REVOKED)
    if but is not None:
        stmt = stmt.where(Cycle.id != but)
    return list(session.scalars(stmt.order_by(Cycle.id)))


def guard_new(session: Session, policy_id: str, period: str, supplementary: bool) -> None:
    """Refuse a second ordinary cycle, or a 补发 cycle with nothing before it (serialised per policy/period).

    Raises ``Conflict`` (a ``StateError``) naming the live cycle, or ``ValidationFailed``.
    """
    named_lock(session, f"cycle:{policy_id}|{period}")
    live = live_cycles(session, policy_id, period)
    if live and not supplementary:
        c = live[0]
        raise Conflict(f"政策「{c.policy_name}」{period} 已有发放批次 #{c.id}（{c.state}），同一政策同一期间只能有一个"
                       "进行中的批次；如需为此前未覆盖的单位补发，请创建补发批次（只列入此前未发放、未在办理、"
                       "未放弃的单位）")
    if supplementary and not live:
        raise ValidationFailed(f"政策 {policy_id} {period} 还没有发放批次，不需要补发：请创建普通发放批次")


def _earlier(cycle: Cycle):
    E2, C2 = aliased(Entitlement), aliased(Cycle)
    same = and_(E2.cycle_id == C2.id, C2.policy_id == cycle.policy_id, C2.period == cycle.period,
                C2.id != cycle.id, E2.uscc == Entitlement.uscc)
    return E2, C2, same


def declined_before(cycle: Cycle):
    """SQL condition: the entitlement's unit declined in an earlier cycle of the same policy and period."""
    E2, _, same = _earlier(cycle)
    return exists().where(same, E2.confirmation == DECLINED)


def covered_before(cycle: Cycle):
    """SQL condition: paid, being paid, still open or declined in an earlier cycle (not a cancelled payment)."""
    E2, C2, same = _earlier(cycle)
    key = literal(f"{cycle.policy_id}|{cycle.period}|") + E2.uscc
    cancelled = exists().where(Payment.idem_key == key, Payment.status == "已取消")
    return exists().where(same, or_(E2.confirmation == DECLINED, and_(C2.state != CycleState.REVOKED, ~cancelled)))


def apply_history(session: Session, cycle: Cycle) -> tuple[int, int]:
    """Drop covered units from a 补发 cycle; keep earlier declines declined. Returns (dropped, declined)."""
    dropped = 0
    if cycle.supplementary:
        dropped = rowcount(session.execute(delete(Entitlement).where(Entitlement.cycle_id == cycle.id, covered_before(cycle))
                                  .execution_options(synchronize_session=False)))
    declined = rowcount(session.execute(update(Entitlement).where(Entitlement.cycle_id == cycle.id, declined_before(cycle))
                               .values(confirmation=DECLINED, confirmed_at=now())
                               .execution_options(synchronize_session=False)))
    return dropped, declined


def count(session: Session, cycle_id: int) -> tuple[int, int]:
    units, total = session.execute(select(func.count(), func.coalesce(func.sum(Entitlement.amount_fen), 0))
                                   .where(Entitlement.cycle_id == cycle_id)).one()
    return units, int(total)
