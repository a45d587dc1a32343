"""Tables of the registry: units and the data imported about them.

Money is integer fen (``*_fen``); amounts the source gives in 万元 are exact decimals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base

WAN = Numeric(20, 4)


class Unit(Base):
    """One registered unit (enterprise, social organisation, public institution …)."""

    __tablename__ = "units"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_type: Mapped[str] = mapped_column(String(20), default="企业")
    industry_code: Mapped[str | None] = mapped_column(String(5))
    industry_section: Mapped[str | None] = mapped_column(String(1))
    size_row: Mapped[str | None] = mapped_column(String(20))
    employees: Mapped[int | None] = mapped_column(Integer)
    revenue_wan: Mapped[Decimal | None] = mapped_column(WAN)
    assets_wan: Mapped[Decimal | None] = mapped_column(WAN)
    size_recorded: Mapped[str | None] = mapped_column(String(4))
    size_class: Mapped[str | None] = mapped_column(String(4))
    size_source: Mapped[str | None] = mapped_column(String(10))
    township: Mapped[str | None] = mapped_column(String(50), index=True)
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    bank_name: Mapped[str | None] = mapped_column(String(100))
    account_no: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class UiPayment(Base):
    """失业保险缴费: one row per unit per year."""

    __tablename__ = "ui_payments"

    uscc: Mapped[str] = mapped_column(String(18), ForeignKey("units.uscc"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_paid_fen: Mapped[int] = mapped_column(BigInteger)
    employee_paid_fen: Mapped[int] = mapped_column(BigInteger)
    backpay_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    months_paid: Mapped[int] = mapped_column(Integer)
    insured_start: Mapped[int] = mapped_column(Integer)
    insured_end: Mapped[int] = mapped_column(Integer)
    insured_avg: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    new_claimants: Mapped[int] = mapped_column(Integer)
    arrears_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class CreditEntry(Base):
    """信用名单: a unit on a dishonesty (or zombie-enterprise) list for a time."""

    __tablename__ = "credit_entries"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    list_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    listed_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    removed_on: Mapped[dt.date | None] = mapped_column(Date)


class IndustrialOutput(Base):
    """规上工业产值: one row per unit per quarter, in 万元."""

    __tablename__ = "industrial_output"

    uscc: Mapped[str] = mapped_column(String(18), ForeignKey("units.uscc"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, primary_key=True)
    output_wan: Mapped[Decimal] = mapped_column(WAN)
    prior_output_wan: Mapped[Decimal | None] = mapped_column(WAN)
    above_scale: Mapped[bool | None] = mapped_column(Boolean)


class ImportLog(Base):
    """One accepted import: which file, when, and what it changed."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Region(Base):
    """One 乡镇街道 of a county-level division (GB/T 2260 code); mirrors ``registry/data/regions.csv``."""

    __tablename__ = "regions"

    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    township: Mapped[str] = mapped_column(String(50), primary_key=True)
    county_name: Mapped[str] = mapped_column(String(50))
    city_name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(4))
    position: Mapped[int] = mapped_column(Integer)
