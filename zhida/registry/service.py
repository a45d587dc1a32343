"""Looking units up: one unit by code, a search by name or code."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zhida.errors import NotFound
from zhida.identifiers import mask_phone
from zhida.registry.industry import SIZE_ROW_LABELS, section_name
from zhida.registry.models import Unit


@dataclass
class UnitPublic:
    """What the CLI, the API and the pages show of a unit (the phone masked)."""

    uscc: str
    name: str
    unit_type: str
    industry_code: str | None
    industry_section: str | None
    industry_section_name: str | None
    size_row: str | None
    size_class: str | None
    size_source: str | None
    employees: int | None
    revenue_wan: str | None
    assets_wan: str | None
    township: str | None
    contact: str | None
    phone_masked: str
    bank_name: str | None
    has_account: bool

    @classmethod
    def of(cls, u: Unit) -> UnitPublic:
        def dec(v: Decimal | None) -> str | None:
            return None if v is None else f"{Decimal(v).normalize():f}"

        return cls(
            uscc=u.uscc, name=u.name, unit_type=u.unit_type, industry_code=u.industry_code,
            industry_section=u.industry_section,
            industry_section_name=section_name(u.industry_section) if u.industry_section else None,
            size_row=SIZE_ROW_LABELS.get(u.size_row) if u.size_row else None,
            size_class=u.size_class, size_source=u.size_source, employees=u.employees,
            revenue_wan=dec(u.revenue_wan), assets_wan=dec(u.assets_wan), township=u.township,
            contact=u.contact, phone_masked=mask_phone(u.phone), bank_name=u.bank_name,
            has_account=bool(u.account_no),
        )

    def to_dict(self) -> dict:
        return asdict(self)


def get_unit(session: Session, uscc: str) -> Unit:
    code = uscc.strip().upper()
    unit = session.get(Unit, code)
    if unit is None:
        raise NotFound(f"统一社会信用代码为 {code} 的单位不存在")
    return unit


def search_units(session: Session, query: str = "", *, township: str | None = None, size_class: str | None = None,
                 offset: int = 0, limit: int = 50) -> tuple[int, list[Unit]]:
    """Units whose name contains ``query`` or whose code starts with it; (total, page)."""
    stmt = select(Unit)
    q = query.strip()
    if q:
        stmt = stmt.where(or_(Unit.name.contains(q, autoescape=True), Unit.uscc.startswith(q.upper(), autoescape=True)))
    if township:
        stmt = stmt.where(Unit.township == township)
    if size_class:
        stmt = stmt.where(Unit.size_class == size_class)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = session.scalars(stmt.order_by(Unit.name, Unit.uscc).offset(offset).limit(limit)).all()
    return total, list(page)
