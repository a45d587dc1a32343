"""The list pages of the programme (贷款申请, 贷款台账): one page at a time, or all for export.

A page is read in one statement: its 50 rows by their ids (from the page index kept in the
process, ``zhida.loans.paging``) with the borrower's and the bank's names — selected columns,
never ORM objects — and the table's highest id, which tells whether the kept ids still hold. A list filtered by state is paged in SQL
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

from zhida.loans.bulk import AnySelect
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


def _page(session: Session, model: Any, rows: AnySelect, conds: list[ColumnElement[bool]], key: tuple[Any, ...],
          paged_in_sql: bool, limit: int, offset: int) -> tuple[list[Row], int]:
    """One page of ``rows`` (a select ordered newest first), and the number of rows of the list.

    With kept ids the page is read in one statement that also returns the table's highest id;
    if that is not the kept stamp, the ids are read again and so is the page."""
    where = select(model.id).where(*conds)
    if paged_in_sql:
        total = session.scalar(select(func.count()).select_from(model).where(*conds)) or 0
        page = list(session.scalars(where.order_by(model.id.desc()).limit(limit).offset(offset)))
        return _rows(session, rows.where(model.id.in_(page))), int(total)
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    kept, highest = INDEX.kept((url, *key)), select(func.max(model.id)).scalar_subquery()
    if kept is not None and kept[1][offset:offset + limit]:
        found = session.execute(rows.where(model.id.in_(list(kept[1][offset:offset + limit]))).add_columns(highest)).all()
        if found and found[0][-1] == kept[0]:
            return _rows(session, [r[:-1] for r in found]), len(kept[1])
    stamp = session.scalar(select(func.max(model.id)))
    ids = INDEX.ids((url, *key), stamp, lambda: session.scalars(where.order_by(model.id.desc())).all())
    return _rows(session, rows.where(model.id.in_(list(ids[offset:offset + limit])))), len(ids)


def _rows(session: Session, stmt: AnySelect | Sequence[Sequence[Any]]) -> list[Row]:
    found = session.execute(stmt) if isinstance(stmt, Select) else stmt
    return [Row(i, n, nm, b, yuan(a), s, d.isoformat(), e.isoformat() if isinstance(e, dt.date) else e)
            for i, n, nm, b, a, s, d, e in found]


# ------------------------------------------------------------------------- applications
def _applications() -> AnySelect:
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
    return _page(session, Application, _applications().where(*conds), conds, ("applications", bank), small, limit,
                 offset)


def all_applications(session: Session, *, state: str | None = None, bank: str | None = None) -> list[Row]:
    """Every application of the filter, newest first (for exports)."""
    return _rows(session, _applications().where(*_application_conds(state, bank, None)))


# ------------------------------------------------------------------------- loans
def _loans() -> AnySelect:
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
    conds = _loan_conds(state, bank, year)
    return _page(session, Loan, _loans().where(*conds), conds, ("loans", bank, year), bool(state), limit, offset)


def all_loans(session: Session, *, state: str | None = None, bank: str | None = None,
              year: int | None = None) -> list[Row]:
    """Every loan of the filter, newest first (for exports)."""
    return _rows(session, _loans().where(*_loan_conds(state, bank, year)))


def as_dicts(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Rows as plain dicts for JSON (``dataclasses.asdict`` walks each value; this does not)."""
    return [r.__dict__.copy() for r in rows]
