"""Tables of economic statistics: indicator values (long format) and annual targets."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base

LEVEL = Numeric(24, 4)
RATE = Numeric(12, 4)


class IndicatorValue(Base):
    """One published or computed value: 指标 × 地区 × 期间 × 维度 × 维度值.

    The total of an indicator has ``dimension == member == ''``. ``value`` may be missing
    where only the growth (``yoy_published``, in %) is published.
    """

    __tablename__ = "indicator_values"

    indicator: Mapped[str] = mapped_column(String(100), primary_key=True)
    region: Mapped[str] = mapped_column(String(50), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(50), primary_key=True, default="")
    member: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    value: Mapped[Decimal | None] = mapped_column(LEVEL)
    unit: Mapped[str | None] = mapped_column(String(20))
    yoy_published: Mapped[Decimal | None] = mapped_column(RATE)


class IndicatorTarget(Base):
    """An annual target (目标) of one indicator in one region.

    ``mode`` (累计方式) says how the indicator's values count towards it: ``累计`` for a flow
    (progress uses the year-to-date value), ``时点`` for a stock or level (the latest value).
    """

    __tablename__ = "indicator_targets"

    indicator: Mapped[str] = mapped_column(String(100), primary_key=True)
    region: Mapped[str] = mapped_column(String(50), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[Decimal] = mapped_column(LEVEL)
    unit: Mapped[str | None] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(4), default="累计", server_default="累计")
