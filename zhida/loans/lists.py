"""The list pages of the programme (贷款申请, 贷款台账): one page at a time, or all for export.

A page is read in two statements: the table's highest id (to check the kept page index,
``zhida.loans.paging``), then the page's 50 rows by their ids with the borrower's and the
bank's names — selected columns, never ORM objects. A list filtered by state is paged in SQL
(``count(*)`` and ``OFFSET`` on the state index: such lists are short, and a transition changes
what they hold). Exports read every row of the filter in one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from zhida.loans.models import Applicant, Application, Loan, LoanBank
from zhida.loans.paging import IdIndex

INDEX = IdIndex()


def yuan(fen: int | None) -> str:
    """Fen as yuan with 2 decimals (exact: integer arithmetic), '' for none.

    >>> yuan(12345), yuan(-5), yuan(None)
    ('123.45', '-0.05', '')
    """
    if fen is None:
        return ""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


@dataclass
class Row:
    """One line of a list page (applications or loans)."""

    id: int
    number: str
    name: str
    bank: str
    amount: str
    state: str
    day: str
    extra: str = ""


def _page(session: Session, model: Any, conds: list[ColumnElement[bool]], key: tuple[Any, ...], paged_in_sql: bool,
          limit: int, offset: int) -> tuple[list[int], int]:
    """The ids of one page, newest first, and the number of rows of the whole list."""
    where = select(model.id).where(*conds)
    if paged_in_sql:
        total = session.scalar(select(func.count()).select_from(model).where(*conds)) or 0
        return list(session.scalars(where.order_by(model.id.desc()).limit(limit).offset(offset))), int(total)
    stamp = session.scalar(select(func.max(model.id)))
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    ids = INDEX.ids((url, *key), stamp, lambda: session.scalars(where.order_by(model.id.desc())).all())
    return list(ids[offset:offset + limit]), len(ids)


def _rows(session: Session, stmt: Select[Any]) -> list[Row]:
    return [Row(i, n, nm, b, yuan(a), s, d.isoformat(), e.isoformat() if isinstance(e, dt.date) else e)
            for i, n, nm, b, a, s, d, e in session.execute(stmt)]


# ------------------------------------------------------------------------- applications
def _applications() -> Select[Any]:
    a = Application
    return (select(a.id, a.number, Applicant.name, LoanBank.name, a.amount_fen, a.state, a.submitted_on, a.channel)
            .join(Applicant, Applicant.id == a.applicant_id).join(LoanBank, LoanBank.code == a.bank_code)
            .order_by(a.id.desc()))


def _application_conds(state: str | None, bank: str | None, id_number: str | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if state:
        conds.append(Application.state == state)
    if bank:
        conds.append(Application.bank_code == bank)
    if id_number:
        conds.append(Application.applicant_id.in_(select(Applicant.id).where(Applicant.id_number == id_number)))
    return conds


def list_applications(session: Session, *, state: str | None = None, bank: str | None = None,
                      applicant_id_number: str | None = None, limit: int = 100,
                      offset: int = 0) -> tuple[list[Row], int]:
    """One page of applications, newest first, and how many the list holds."""
    conds = _application_conds(state, bank, applicant_id_number)
    small = bool(state or applicant_id_number)
    ids, total = _page(session, Application, conds, ("applications", bank), small, limit, offset)
    return _rows(session, _applications().where(Application.id.in_(ids))), total


def all_applications(session: Session, *, state: str | None = None, bank: str | None = None) -> list[Row]:
    """Every application of the filter, newest first (for exports)."""
    return _rows(session, _applications().where(*_application_conds(state, bank, None)))


# ------------------------------------------------------------------------- loans
def _loans() -> Select[Any]:
    return (select(Loan.id, Loan.number, Applicant.name, LoanBank.name, Loan.principal_fen, Loan.state, Loan.start,
                   Loan.maturity).join(Applicant, Applicant.id == Loan.applicant_id)
            .join(LoanBank, LoanBank.code == Loan.bank_code).order_by(Loan.id.desc()))


def _loan_conds(state: str | None, bank: str | None, year: int | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if state:
        conds.append(Loan.state == state)
    if bank:
        conds.append(Loan.bank_code == bank)
    if year:
        conds.append(Loan.start.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return conds


def list_loans(session: Session, *, state: str | None = None, bank: str | None = None, year: int | None = None,
               limit: int = 100, offset: int = 0) -> tuple[list[Row], int]:
    """One page of the book, newest first, and how many loans the list holds."""
    ids, total = _page(session, Loan, _loan_conds(state, bank, year), ("loans", bank, year), bool(state), limit,
                       offset)
    return _rows(session, _loans().where(Loan.id.in_(ids))), total


def all_loans(session: Session, *, state: str | None = None, bank: str | None = None,
              year: int | None = None) -> list[Row]:
    """Every loan of the filter, newest first (for exports)."""
    return _rows(session, _loans().where(*_loan_conds(state, bank, year)))


def as_dicts(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Rows as plain dicts for JSON (``dataclasses.asdict`` walks each value; this does not)."""
    return [r.__dict__.copy() for r in rows]
