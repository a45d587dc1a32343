"""增长面 over enterprises: the share of 规上 industrial units whose quarterly output grew.

The prior output of a unit is its row's 上年同期工业总产值 when given, else its row of the same
quarter one year earlier; units with neither (or a prior of 0) are left out and counted.
A row's 规上 flag, when empty, is derived as in the import notes: 营业收入 ≥ 2000 万元 and
industry section B, C or D.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from zhida.registry.models import IndustrialOutput, Unit
from zhida.stats.compute import Breadth

ABOVE_SCALE_REVENUE_WAN = Decimal(2000)


@dataclass(frozen=True)
class UnitBreadth:
    breadth: Breadth
    without_base: int  # units left out: no prior output, or a prior of 0


def _above_scale(flag: bool | None, revenue: Decimal | None, section: str | None) -> bool:
    if flag is not None:
        return flag
    return revenue is not None and revenue >= ABOVE_SCALE_REVENUE_WAN and section in ("B", "C", "D")


def unit_breadth(session: Session, year: int, quarter: int, section: str | None = None) -> UnitBreadth:
    """增长面 of 规上 units in ``year``/``quarter`` (optionally one industry section)."""
    prev = aliased(IndustrialOutput)
    q = (select(IndustrialOutput.output_wan, IndustrialOutput.prior_output_wan, prev.output_wan,
                IndustrialOutput.above_scale, Unit.revenue_wan, Unit.industry_section)
         .join(Unit, Unit.uscc == IndustrialOutput.uscc)
         .outerjoin(prev, and_(prev.uscc == IndustrialOutput.uscc, prev.year == year - 1,
                               prev.quarter == IndustrialOutput.quarter))
         .where(IndustrialOutput.year == year, IndustrialOutput.quarter == quarter))
    if section:
        q = q.where(Unit.industry_section == section)
    grew = known = missing = 0
    for output, prior, prev_output, flag, revenue, sec in session.execute(q):
        if not _above_scale(flag, revenue, sec):
            continue
        base = prior if prior is not None else prev_output
        if base is None or base == 0:
            missing += 1
            continue
        known += 1
        grew += output > base
    pct = None if known == 0 else Decimal(grew) / Decimal(known) * 100
    return UnitBreadth(Breadth(grew, known, pct), missing)
