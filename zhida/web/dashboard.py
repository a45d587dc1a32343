"""Figures of the home page: this year's cycles, amounts, units, jobs kept, by township and size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.delivery.models import Cycle, Entitlement
from zhida.money import format_wan

SIZE_ORDER = ["大型", "中型", "小型", "微型"]


@dataclass(frozen=True)
class Summary:
    cycles: int
    units: int
    total_fen: int
    jobs: int


def year_cycles(session: Session, year: int) -> list[Cycle]:
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    return list(session.scalars(select(Cycle).where(Cycle.created_at >= start, Cycle.created_at < end)
                                .order_by(Cycle.id.desc())))


def _paid_scope(cycle_ids: list[int]):
    return (Entitlement.cycle_id.in_(cycle_ids), Entitlement.excluded.is_(None))


def summary(session: Session, cycles: list[Cycle]) -> Summary:
    ids = [c.id for c in cycles]
    units, total, jobs = session.execute(
        select(func.count(func.distinct(Entitlement.uscc)), func.coalesce(func.sum(Entitlement.amount_fen), 0),
               func.coalesce(func.sum(Entitlement.insured), 0)).where(*_paid_scope(ids))).one()
    return Summary(len(cycles), units, int(total), int(jobs))


def _by(session: Session, ids: list[int], column) -> list[tuple[str, int, int]]:
    rows = session.execute(select(func.coalesce(column, "未填"), func.count(), func.sum(Entitlement.amount_fen))
                           .where(*_paid_scope(ids)).group_by(column)).all()
    return [(label, n, int(fen or 0)) for label, n, fen in rows]


def charts(session: Session, cycles: list[Cycle]) -> dict:
    """Two ECharts specs (consumed by static/js/zhida.js): by township and by size class."""
    ids = [c.id for c in cycles]
    towns = sorted(_by(session, ids, Entitlement.township), key=lambda r: -r[2])
    sizes = sorted(_by(session, ids, Entitlement.size_class),
                   key=lambda r: SIZE_ORDER.index(r[0]) if r[0] in SIZE_ORDER else 9)
    return {"township": _spec("各乡镇街道发放金额", towns, rotate=30),
            "size": _spec("各规模单位发放金额", sizes)}


def _spec(title: str, rows: list[tuple[str, int, int]], rotate: int = 0) -> dict:
    return {"title": title, "unit": "万元", "rotate": rotate, "categories": [r[0] for r in rows],
            "series": [{"name": "金额（万元）", "data": [float(format_wan(r[2])) for r in rows]},
                       {"name": "单位数（家）", "type": "line", "data": [r[1] for r in rows]}]}
