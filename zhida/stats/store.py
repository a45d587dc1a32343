"""Reading and writing the stats tables."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.stats.compute import Fact
from zhida.stats.models import IndicatorTarget, IndicatorValue
from zhida.stats.periods import Period


def _fact(row: IndicatorValue) -> Fact:
    return Fact(row.indicator, row.region, row.period, row.dimension or "", row.member or "",
                row.value, row.unit, row.yoy_published)


def load_facts(session: Session, indicator: str, region: str, periods: Iterable[Period | str]) -> list[Fact]:
    """Every row of one indicator and region in the given periods."""
    names = [str(p) for p in periods]
    q = select(IndicatorValue).where(IndicatorValue.indicator == indicator, IndicatorValue.region == region,
                                     IndicatorValue.period.in_(names))
    return [_fact(r) for r in session.scalars(q)]


def load_totals(session: Session, indicator: str, region: str) -> list[Fact]:
    """The total rows of one indicator and region, every period."""
    q = select(IndicatorValue).where(IndicatorValue.indicator == indicator, IndicatorValue.region == region,
                                     IndicatorValue.dimension == "", IndicatorValue.member == "")
    return [_fact(r) for r in session.scalars(q)]


def upsert_facts(session: Session, facts: Iterable[Fact]) -> int:
    """Insert or replace rows (used by generators and tests; files go through ``zhida import``)."""
    n = 0
    for f in facts:
        key = (f.indicator, f.region, str(Period.parse(f.period)), f.dimension or "", f.member or "")
        row = session.get(IndicatorValue, key) or IndicatorValue(
            indicator=key[0], region=key[1], period=key[2], dimension=key[3], member=key[4])
        row.value = None if f.value is None else Decimal(f.value)
        row.unit = f.unit
        row.yoy_published = None if f.yoy_published is None else Decimal(f.yoy_published)
        session.merge(row)
        n += 1
    session.flush()
    return n


def set_target(session: Session, indicator: str, region: str, year: int, target: Decimal, unit: str | None,
               mode: str) -> None:
    row = session.get(IndicatorTarget, (indicator, region, year)) or IndicatorTarget(
        indicator=indicator, region=region, year=year)
    row.target = Decimal(target)
    row.unit = unit
    row.mode = mode
    session.merge(row)
    session.flush()


def load_targets(session: Session, region: str, year: int) -> list[IndicatorTarget]:
    q = (select(IndicatorTarget).where(IndicatorTarget.region == region, IndicatorTarget.year == year)
         .order_by(IndicatorTarget.indicator))
    return list(session.scalars(q))


def indicator_catalogue(session: Session) -> list[tuple[str, str, str, str, str | None]]:
    """Distinct (indicator, region, period, dimension, unit) present in the database."""
    q = select(IndicatorValue.indicator, IndicatorValue.region, IndicatorValue.period,
               IndicatorValue.dimension, IndicatorValue.unit).distinct()
    return [(i, r, p, d, u) for i, r, p, d, u in session.execute(q)]
