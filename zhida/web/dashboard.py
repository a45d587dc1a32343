"""Figures of 首页 and the 领导 view for one year: money the bank confirmed, pending and failed apart.

A cycle belongs to the year of its period (``2025`` and ``2025Q3`` are 2025). Only cycles that
were approved count: 草稿 and 已撤销 never do. 已支付 (the bank's return file confirmed it) is
the paid figure; 待导出/已导出 are pending; 失败 is failed; 已取消 is not counted. Cycles not
yet paying (审核 … 待发放) show their planned amount (应发) apart. The charts by 乡镇街道
and by size class are built from the same paid rows as the cards, so they add up to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhida.delivery import queries as delivery_queries
from zhida.delivery.queries import CycleRow
from zhida.delivery.states import CycleState
from zhida.money import format_wan
from zhida.registry.regions import home_county, township_order

SIZE_ORDER = ["大型", "中型", "小型", "微型"]
S = CycleState
NOT_COUNTED = (S.DRAFT, S.REVOKED)
PAID, FAILED, PENDING = ("已支付",), ("失败",), ("待导出", "已导出")


@dataclass(frozen=True)
class Summary:
    """One year's figures (fen, counts of distinct units)."""

    cycles: int  # approved cycles (not 草稿/已撤销)
    paid_units: int
    paid_fen: int
    pending_units: int
    pending_fen: int
    failed_units: int
    failed_fen: int
    planned_units: int  # units of cycles approved but not yet paying
    planned_fen: int
    jobs: int  # 稳岗岗位: insured persons of the paid units


def year_of(period: str) -> int | None:
    head = (period or "")[:4]
    return int(head) if head.isdigit() else None


def years(session: Session) -> list[int]:
    """Years having a cycle, newest first (the selector's choices)."""
    found = {year_of(p) for p in delivery_queries.cycle_periods(session)}
    return sorted((y for y in found if y), reverse=True)


def default_year(session: Session, today: dt.date | None = None) -> int:
    """The newest year with an approved cycle, else this calendar year."""
    found = [y for p in delivery_queries.cycle_periods(session, exclude_states=NOT_COUNTED)
             if (y := year_of(p)) is not None]
    return max(found) if found else (today or dt.date.today()).year


def year_cycles(session: Session, year: int) -> list[CycleRow]:
    """Every cycle of the year (any state), newest first — the list under the figures."""
    return [c for c in delivery_queries.cycles_of_period(session, str(year)) if year_of(c.period) == year]


def _counted(cycles: list[CycleRow]) -> list[int]:
    return [c.id for c in cycles if c.state not in NOT_COUNTED]


def summary(session: Session, cycles: list[CycleRow]) -> Summary:
    ids = _counted(cycles)
    pay = delivery_queries.payment_lines(ids).subquery()

    def part(states: tuple[str, ...]) -> tuple[Any, Any]:
        hit = pay.c.status.in_(states)
        return (func.count(func.distinct(case((hit, pay.c.uscc)))),
                func.coalesce(func.sum(case((hit, pay.c.amount_fen), else_=0)), 0))

    paid, pending, failed = part(PAID), part(PENDING), part(FAILED)
    jobs = func.coalesce(func.sum(case((pay.c.status.in_(PAID), pay.c.insured), else_=0)), 0)
    row = session.execute(select(*paid, *pending, *failed, jobs)).one()
    waiting = [c.id for c in cycles if c.state in (S.REVIEW, S.PUBLICITY, S.CONFIRMING, S.READY)]
    planned_units, planned_fen = delivery_queries.entitled_totals(session, waiting)
    paid_units, paid_fen, pending_units, pending_fen, failed_units, failed_fen = (int(v) for v in row[:6])
    return Summary(len(ids), paid_units, paid_fen, pending_units, pending_fen, failed_units, failed_fen,
                   planned_units, planned_fen, int(row[6]))


def _paid_by(session: Session, ids: list[int], column: str) -> dict[str, tuple[int, int]]:
    lines = delivery_queries.payment_lines(ids)
    pay = lines.where(lines.selected_columns.status.in_(PAID)).subquery()
    col = pay.c[column]
    rows = session.execute(select(func.coalesce(col, "未填"), func.count(func.distinct(pay.c.uscc)),
                                  func.sum(pay.c.amount_fen)).group_by(col)).all()
    return {label: (int(n), int(fen or 0)) for label, n, fen in rows}


def charts(session: Session, cycles: list[CycleRow]) -> dict[str, Any]:
    """Two ECharts specs (consumed by static/js/zhida.js): paid amount and units by 乡镇街道
    (every township of the home county, in its order) and by size class."""
    ids = _counted(cycles)
    towns = _paid_by(session, ids, "township")
    names = township_order({*home_county().townships, *towns})
    sizes = _paid_by(session, ids, "size_class")
    size_names = [s for s in SIZE_ORDER] + sorted(set(sizes) - set(SIZE_ORDER))
    return {"township": _spec("各乡镇街道已支付金额", [(t, *towns.get(t, (0, 0))) for t in names], rotate=30),
            "size": _spec("各规模单位已支付金额", [(s, *sizes.get(s, (0, 0))) for s in size_names])}


def _spec(title: str, rows: list[tuple[str, int, int]], rotate: int = 0) -> dict[str, Any]:
    return {"title": title, "unit": "万元", "rotate": rotate, "categories": [r[0] for r in rows],
            "series": [{"name": "金额（万元）", "data": [float(format_wan(r[2])) for r in rows]},
                       {"name": "单位数（家）", "type": "line", "data": [r[1] for r in rows]}]}
