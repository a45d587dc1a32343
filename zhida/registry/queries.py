"""Read model of the registry for other packages and the web console: which units exist, what
they are called, lists of units, the import log.

Other packages read units through these functions (or ``zhida.registry.service``), never
through ``zhida.registry.models``. Lists are returned as ``Select`` statements of named columns
(the caller pages, filters on ``stmt.selected_columns`` and sorts them); small answers as plain
values or frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from zhida.registry.models import ImportLog, Unit

CHUNK = 500
# the columns of a unit in lists and exports (never the account or the phone)
UNIT_COLUMNS = (Unit.uscc, Unit.name, Unit.unit_type, Unit.industry_section, Unit.industry_code, Unit.size_class,
                Unit.township, Unit.employees)


def unit_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """统一社会信用代码 → registered name, for the codes that are registered (others absent)."""
    wanted = sorted({c for c in codes if c})
    out: dict[str, str] = {}
    for i in range(0, len(wanted), CHUNK):
        rows = session.execute(select(Unit.uscc, Unit.name).where(Unit.uscc.in_(wanted[i : i + CHUNK]))).all()
        out.update((code, name) for code, name in rows)
    return out


def registered(session: Session, codes: Iterable[str]) -> set[str]:
    """The codes among ``codes`` that are registered units."""
    return set(unit_names(session, codes))


def exists(db: Session | Connection, uscc: str) -> bool:
    """Whether the unit ``uscc`` (exact, upper case) is registered: one primary-key probe."""
    return db.execute(select(Unit.uscc).where(Unit.uscc == uscc)).first() is not None


def units_stmt(q: str = "") -> Select[*tuple[Any, ...]]:
    """``UNIT_COLUMNS`` of the units whose name contains ``q`` or whose USCC starts with it, by USCC."""
    stmt = select(*UNIT_COLUMNS).order_by(Unit.uscc)
    q = q.strip()
    if q:
        stmt = stmt.where(or_(Unit.name.contains(q, autoescape=True),
                              Unit.uscc.startswith(q.upper(), autoescape=True)))
    return stmt


def usccs_of_type(unit_type: str) -> Select[str]:
    """The codes of the units of one 单位类型 (企业, 社会组织 …), for ``IN`` filters of other lists."""
    return select(Unit.uscc).where(Unit.unit_type == unit_type)


def with_unit_type(stmt: Select[*tuple[Any, ...]], uscc: ColumnElement[str], unit_type: str = "") -> Select[*tuple[Any, ...]]:
    """``stmt`` with the unit's 单位类型 added as column ``unit_type`` (outer join on ``uscc``: a row of
    an unregistered code keeps ``None``), restricted to ``unit_type`` when one is given."""
    stmt = stmt.add_columns(Unit.unit_type).outerjoin(Unit, Unit.uscc == uscc)
    return stmt.where(Unit.unit_type == unit_type) if unit_type else stmt


def contact_phone(session: Session, uscc: str) -> str | None:
    """The unit's registered phone, or None (no phone, or no such unit)."""
    return session.scalar(select(Unit.phone).where(Unit.uscc == uscc))


def first_usccs(session: Session, n: int) -> list[str]:
    """The ``n`` smallest registered codes (the demo gives them portal accounts)."""
    return list(session.scalars(select(Unit.uscc).order_by(Unit.uscc).limit(n)))


@dataclass(frozen=True)
class ImportRow:
    """One accepted import of the log (``zhida.imports`` writes it)."""

    imported_at: dt.datetime
    kind: str
    file_name: str
    rows: int
    inserted: int
    updated: int
    unchanged: int


def recent_imports(session: Session, limit: int = 20) -> list[ImportRow]:
    """The newest ``limit`` accepted imports, newest first."""
    L = ImportLog
    rows = session.execute(select(L.imported_at, L.kind, L.file_name, L.rows, L.inserted, L.updated, L.unchanged)
                           .order_by(L.id.desc()).limit(limit))
    return [ImportRow(*r) for r in rows]
