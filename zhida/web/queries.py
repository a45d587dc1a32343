"""Read-only queries the pages need that no domain service offers: unit search, counts.

Only look-ups and aggregates live here; decisions and state changes always go through the
domain packages' services.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from zhida.registry.models import Unit
from zhida.web.paging import Page, PageParams, paginate


def units_stmt(q: str = "") -> Select:
    """Units whose name contains ``q`` or whose USCC starts with it, by USCC."""
    stmt = select(Unit).order_by(Unit.uscc)
    q = q.strip()
    if q:
        stmt = stmt.where(or_(Unit.name.contains(q, autoescape=True),
                              Unit.uscc.startswith(q.upper(), autoescape=True)))
    return stmt


def search_units(session: Session, q: str, params: PageParams, township: str | None = None) -> Page[Unit]:
    """One page of ``units_stmt(q)``, optionally in one 乡镇街道."""
    stmt = units_stmt(q)
    if township:
        stmt = stmt.where(Unit.township == township)
    return paginate(session, stmt, params)


@dataclass(frozen=True)
class Count:
    label: str
    units: int


def units_by(session: Session, column) -> list[Count]:
    rows = session.execute(select(func.coalesce(column, "未填"), func.count()).group_by(column)
                           .order_by(func.count().desc())).all()
    return [Count(label, n) for label, n in rows]
