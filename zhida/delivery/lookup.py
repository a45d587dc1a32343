"""Finding one cycle or one unit's entitlement, for every module of the payment cycle.

``NotFound`` (404) in Chinese when there is none; ``get_cycle(…, lock=True)`` holds the row
against concurrent writers until the transaction ends, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.delivery.locking import locked
from zhida.delivery.models import Cycle, Entitlement
from zhida.errors import NotFound


def get_cycle(session: Session, cycle_id: int, lock: bool = False) -> Cycle:
    """The cycle; with ``lock`` held against concurrent writers until the transaction ends (both databases)."""
    stmt = select(Cycle).where(Cycle.id == cycle_id)
    cycle = locked(session, stmt) if lock else session.scalars(stmt).first()
    if cycle is None:
        raise NotFound(f"发放批次 {cycle_id} 不存在")
    return cycle


def entitlement(session: Session, cycle_id: int, uscc: str) -> Entitlement:
    """One unit's line in the cycle's list (``delivery_entitlements``)."""
    e = session.get(Entitlement, (cycle_id, uscc))
    if e is None:
        raise NotFound(f"单位 {uscc} 不在发放批次 {cycle_id} 的名单中")
    return e
