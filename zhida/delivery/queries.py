"""Read model of the payment cycle for the web console and other packages: entitlement lists and
pages, open payments, call tasks, a unit's own entitlements and objections, the figures of a year.

Other packages read the delivery tables through these functions (or ``zhida.delivery.service``),
never through ``zhida.delivery.models``. Lists are ``Select`` statements of named columns (the
caller pages them, filters on ``stmt.selected_columns`` and sorts); small answers are rows or
frozen dataclasses. Amounts are integer fen. State names are the caller's: a function that
depends on states takes them as an argument.

The API's hot read path (one page of a cycle's entitlements by key, ``ENTITLEMENT_PAGE``) is a
statement built once, so that it also keeps its compiled-cache key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, func, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from zhida.delivery.models import CallTask, Cycle, Entitlement, Objection, Payment
from zhida.delivery.payments import SETTLED

E = Entitlement
Db = Session | Connection
Stamp = tuple[int, dt.datetime]

# an entitlement as the API shows it (``zhida.web.schemas.EntitlementPublic``)
ENTITLEMENT_COLUMNS = (E.uscc, E.name, E.amount_fen, E.size_class, E.township, E.insured, E.confirmation,
                       E.objection_open, E.excluded)
ENTITLEMENT_KEYS = tuple(c.key for c in ENTITLEMENT_COLUMNS)
# an entitlement in the cycle page's list and its export
LIST_COLUMNS = (E.uscc, E.name, E.township, E.size_class, E.industry_section, E.insured, E.amount_fen,
                E.confirmation, E.excluded, E.hold_reason, E.objection_open)


# --------------------------------------------------------------------------- the API's pages by key
def cycle_stamp(db: Db, cycle_id: int) -> Stamp | None:
    """(units, created_at) of the cycle, or None when there is no such cycle. A cycle's units are
    frozen when it is created, so the stamp tells a cached page index whether it still holds."""
    row = db.execute(select(Cycle.units, Cycle.created_at).where(Cycle.id == cycle_id)).first()
    return None if row is None else (row.units, row.created_at)


def page_firsts(db: Db, cycle_id: int, size: int) -> list[str]:
    """The first USCC of each page of ``size`` entitlements of the cycle, in USCC order (one window query)."""
    numbered = (select(E.uscc, func.row_number().over(order_by=E.uscc).label("n"))
                .where(E.cycle_id == cycle_id).subquery())
    stmt = select(numbered.c.uscc).where((numbered.c.n - 1) % size == 0).order_by(numbered.c.uscc)
    return list(db.scalars(stmt))


def _entitlement_page_stmt() -> Select[*tuple[Any, ...]]:
    """The stamp of cycle ``:cycle_id`` joined with ``:size`` of its rows from USCC ``:first`` on."""
    page = (select(*ENTITLEMENT_COLUMNS)
            .where(E.cycle_id == bindparam("cycle_id"), E.uscc >= bindparam("first"))
            .order_by(E.uscc).limit(bindparam("size")).subquery())
    return (select(Cycle.units, Cycle.created_at, *page.c).select_from(Cycle).outerjoin(page, true())
            .where(Cycle.id == bindparam("cycle_id")).order_by(page.c.uscc))


ENTITLEMENT_PAGE = _entitlement_page_stmt()  # built once: a constant statement also keeps its compiled-cache key


def entitlement_page_rows(db: Db, cycle_id: int, first: str, size: int) -> list[Row[*tuple[Any, ...]]]:
    """Rows (units, created_at, *``ENTITLEMENT_COLUMNS``) of ``size`` entitlements from USCC ``first`` on;
    one row with ``None`` columns when none is left, no row when there is no such cycle."""
    return list(db.execute(ENTITLEMENT_PAGE, {"cycle_id": cycle_id, "first": first, "size": size}).all())


# --------------------------------------------------------------------------- the cycle page
def entitlements_stmt(cycle_id: int, confirmation: str = "") -> Select[*tuple[Any, ...]]:
    """``LIST_COLUMNS`` of the cycle's entitlements by township then code, of one 确认情况 when given."""
    stmt = select(*LIST_COLUMNS).where(E.cycle_id == cycle_id).order_by(E.township, E.uscc)
    return stmt.where(E.confirmation == confirmation) if confirmation else stmt


def open_payments_stmt(cycle_id: int, status: str = "") -> Select[*tuple[Any, ...]]:
    """The cycle's payments neither paid nor cancelled, of one status when given: (uscc, name, township,
    status, amount_fen, bank_name, account_no, fail_reason, blocked), 失败 first, then 待导出, then 已导出;
    ``blocked``: held, or an objection is open."""
    stmt = (select(Payment.uscc, E.name, E.township, Payment.status, Payment.amount_fen, Payment.bank_name,
                   Payment.account_no, Payment.fail_reason,
                   (E.hold_reason.is_not(None) | E.objection_open.is_(True)).label("blocked"))
            .join(E, and_(E.cycle_id == Payment.cycle_id, E.uscc == Payment.uscc))
            .where(Payment.cycle_id == cycle_id, Payment.status.not_in(SETTLED))
            .order_by(Payment.status.desc(), E.township, Payment.uscc))
    return stmt.where(Payment.status == status) if status else stmt


def open_amounts(session: Session, cycle_id: int) -> list[tuple[str, int]]:
    """(status, amount_fen) of each payment of the cycle neither paid nor cancelled."""
    rows = session.execute(select(Payment.status, Payment.amount_fen)
                           .where(Payment.cycle_id == cycle_id, Payment.status.not_in(SETTLED)))
    return [(status, int(fen)) for status, fen in rows]


def calls_stmt(cycle_id: int, open_first: bool = False) -> Select[*tuple[Any, ...]]:
    """The cycle's call tasks with the unit's name: (id, uscc, name, phone, round, reason, outcome,
    called_on, note), in creation order, or open ones first when ``open_first``."""
    stmt = (select(CallTask.id, CallTask.uscc, E.name, CallTask.phone, CallTask.round, CallTask.reason,
                   CallTask.outcome, CallTask.called_on, CallTask.note)
            .join(E, and_(E.cycle_id == CallTask.cycle_id, E.uscc == CallTask.uscc))
            .where(CallTask.cycle_id == cycle_id))
    return stmt.order_by(CallTask.outcome.is_not(None), CallTask.id) if open_first else stmt.order_by(CallTask.id)


# --------------------------------------------------------------------------- the unit's portal
def unit_entitlements(session: Session, uscc: str, states: Iterable[str]) -> list[Row[*tuple[Any, ...]]]:
    """The unit's entitlements in cycles in one of ``states``, newest cycle first: (cycle_id, policy_name,
    period, state, confirm_deadline, amount_fen, account_name, bank_name, account_no, confirmation, excluded)."""
    stmt = (select(Cycle.id.label("cycle_id"), Cycle.policy_name, Cycle.period, Cycle.state, Cycle.confirm_deadline,
                   E.amount_fen, E.account_name, E.bank_name, E.account_no, E.confirmation, E.excluded)
            .join(Cycle, Cycle.id == E.cycle_id)
            .where(E.uscc == uscc, Cycle.state.in_(tuple(states)))
            .order_by(Cycle.id.desc()))
    return list(session.execute(stmt).all())


def own_objections(session: Session, uscc: str, username: str) -> list[Row[*tuple[Any, ...]]]:
    """The objections the unit's own account ``username`` raised (source 单位; never one the public or
    staff registered about the unit), newest first: (id, cycle_id, content, status, resolution)."""
    ob = Objection
    stmt = (select(ob.id, ob.cycle_id, ob.content, ob.status, ob.resolution)
            .where(ob.uscc == uscc, ob.source == "单位", ob.raised_by == username).order_by(ob.id.desc()))
    return list(session.execute(stmt).all())


def runs_in_states(states: Iterable[str]) -> Select[int]:
    """The policy runs a cycle in one of ``states`` was made from (for ``IN`` filters of the rules' reads)."""
    return select(Cycle.run_id).where(Cycle.state.in_(tuple(states)))


# --------------------------------------------------------------------------- figures of a year
@dataclass(frozen=True)
class CycleRow:
    """A cycle as the lists of a year show it (``total_fen``: the list's amount)."""

    id: int
    policy_name: str
    period: str
    state: str
    units: int
    total_fen: int


def cycle_periods(session: Session, exclude_states: Iterable[str] = ()) -> list[str]:
    """The periods having a cycle (each once), leaving out cycles in ``exclude_states``."""
    stmt = select(Cycle.period).distinct()
    excluded = tuple(exclude_states)
    return list(session.scalars(stmt.where(Cycle.state.not_in(excluded)) if excluded else stmt))


def cycles_of_period(session: Session, prefix: str) -> list[CycleRow]:
    """Every cycle (any state) whose period starts with ``prefix`` (``2025`` → 2025, 2025Q3 …), newest first."""
    stmt = (select(Cycle.id, Cycle.policy_name, Cycle.period, Cycle.state, Cycle.units, Cycle.total_fen)
            .where(Cycle.period.like(f"{prefix}%")).order_by(Cycle.id.desc()))
    return [CycleRow(*r) for r in session.execute(stmt).all()]


def payment_lines(cycle_ids: list[int]) -> Select[*tuple[Any, ...]]:
    """Payments of the cycles with their entitlement: (status, uscc, amount_fen, township, size_class, insured)."""
    return (select(Payment.status, Payment.uscc, Payment.amount_fen, E.township, E.size_class, E.insured)
            .join(E, and_(E.cycle_id == Payment.cycle_id, E.uscc == Payment.uscc))
            .where(Payment.cycle_id.in_(cycle_ids)))


def entitled_totals(session: Session, cycle_ids: list[int]) -> tuple[int, int]:
    """(distinct units, fen) entitled in the cycles, leaving out excluded entitlements."""
    row = session.execute(select(func.count(func.distinct(E.uscc)), func.coalesce(func.sum(E.amount_fen), 0))
                          .where(E.cycle_id.in_(cycle_ids), E.excluded.is_(None))).one()
    return int(row[0]), int(row[1])
