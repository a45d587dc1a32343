"""The list pages of the programme (贷款申请, 贷款台账): one page at a time, or all for export.

A page is read in one statement: its 50 rows between the page's first and last id (taken from
the page index kept in the process, ``zhida.loans.paging``) with the borrower's and the bank's
names — selected columns, never ORM objects — and the table's highest id, which tells whether
the kept ids still hold. A list filtered by state is paged in SQL (``count(*)`` and ``OFFSET``
on the state index: such lists are short, and a transition changes what they hold). The
statements are built once per combination of filters, the values bound at each request.
Exports read every row of the filter in one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select
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


@dataclass(frozen=True)
class Statements:
    """The statements of one list and one combination of filters (values as bound parameters)."""

    count: AnySelect  # rows of the list
    ids: AnySelect  # every id, newest first
    page: AnySelect  # the rows of ids[:offset:limit], paged in SQL
    between: AnySelect  # the rows with ids in [lo, hi], and the table's highest id
    highest: AnySelect
    every: AnySelect  # every row, newest first


def _columns(kind: str) -> tuple[Any, AnySelect]:
    if kind == "loans":
        return Loan, (select(Loan.id, Loan.number, Applicant.name, LoanBank.name, Loan.principal_fen, Loan.state,
                             Loan.start, Loan.maturity).join(Applicant, Applicant.id == Loan.applicant_id)
                      .join(LoanBank, LoanBank.code == Loan.bank_code))
    a = Application
    return a, (select(a.id, a.number, Applicant.name, LoanBank.name, a.amount_fen, a.state, a.submitted_on, a.channel)
               .join(Applicant, Applicant.id == a.applicant_id).join(LoanBank, LoanBank.code == a.bank_code))


def _conditions(model: Any, filters: tuple[str, ...]) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if "state" in filters:
        conds.append(model.state == bindparam("state"))
    if "bank" in filters:
        conds.append(model.bank_code == bindparam("bank"))
    if "year" in filters:
        conds.append(Loan.start.between(bindparam("y0"), bindparam("y1")))
    if "id_number" in filters:
        whose = select(Applicant.id).where(Applicant.id_number == bindparam("id_number"))
        conds.append(Application.applicant_id.in_(whose))
    return conds


@lru_cache(maxsize=64)
def statements(kind: str, filters: tuple[str, ...]) -> Statements:
    """The statements of the list ``kind`` (``loans`` | ``applications``) with ``filters``."""
    model, rows = _columns(kind)
    conds = _conditions(model, filters)
    rows, newest = rows.where(*conds), model.id.desc()
    ids = select(model.id).where(*conds).order_by(newest)
    window = ids.limit(bindparam("limit")).offset(bindparam("offset")).scalar_subquery()
    highest = select(func.max(model.id))
    return Statements(select(func.count()).select_from(model).where(*conds), ids,
                      rows.where(model.id.in_(window)).order_by(newest),
                      rows.where(model.id.between(bindparam("lo"), bindparam("hi"))).add_columns(
                          highest.scalar_subquery()).order_by(newest),
                      highest, rows.order_by(newest))


def _page(session: Session, kind: str, values: dict[str, Any], paged_in_sql: bool, limit: int,
          offset: int) -> tuple[list[Row], int]:
    """One page of a list, newest first, and the number of rows of the list.

    With kept ids the page is read in one statement that also returns the table's highest id;
    if that is not the kept stamp, the ids are read again and so is the page."""
    conn = session.connection()  # Core statements: no ORM layer on the hot path
    st = statements(kind, _filters(values))
    if paged_in_sql:
        total = conn.scalar(st.count, values) or 0
        return _rows(conn.execute(st.page, {**values, "limit": limit, "offset": offset})), int(total)
    key = (conn.engine.url.render_as_string(hide_password=True), kind, *sorted(values.items()))
    kept = INDEX.kept(key)
    if kept is not None and kept[1][offset:offset + limit]:
        ids = kept[1][offset:offset + limit]
        found = conn.execute(st.between, {**values, "lo": ids[-1], "hi": ids[0]}).all()
        if found and found[0][-1] == kept[0]:
            return _rows(r[:-1] for r in found), len(kept[1])
    every = INDEX.ids(key, conn.scalar(st.highest), lambda: conn.scalars(st.ids, values).all())
    ids = every[offset:offset + limit]
    if not ids:
        return [], len(every)
    page = conn.execute(st.between, {**values, "lo": ids[-1], "hi": ids[0]})
    return _rows(r[:-1] for r in page), len(every)


def _rows(found: Iterable[Sequence[Any]]) -> list[Row]:
    return [Row(i, n, nm, b, yuan(a), s, d.isoformat(), e.isoformat() if isinstance(e, dt.date) else e)
            for i, n, nm, b, a, s, d, e in found]


def _loan_filters(state: str | None, bank: str | None, year: int | None) -> dict[str, Any]:
    values: dict[str, Any] = {"state": state, "bank": bank}
    if year:
        values.update(y0=dt.date(year, 1, 1), y1=dt.date(year, 12, 31))
    return {k: v for k, v in values.items() if v}


def _filters(values: dict[str, Any]) -> tuple[str, ...]:
    """Filter names of bound values (``y0``/``y1`` are the year)."""
    return tuple(sorted({"year" if k in ("y0", "y1") else k for k in values}))


def list_applications(session: Session, *, state: str | None = None, bank: str | None = None,
                      applicant_id_number: str | None = None, limit: int = 100,
                      offset: int = 0) -> tuple[list[Row], int]:
    """One page of applications, newest first, and how many the list holds."""
    values = {k: v for k, v in {"state": state, "bank": bank, "id_number": applicant_id_number}.items() if v}
    return _page(session, "applications", values, bool(state or applicant_id_number), limit, offset)


def all_applications(session: Session, *, state: str | None = None, bank: str | None = None) -> list[Row]:
    """Every application of the filter, newest first (for exports)."""
    values = {k: v for k, v in {"state": state, "bank": bank}.items() if v}
    return _rows(session.connection().execute(statements("applications", _filters(values)).every, values))


def list_loans(session: Session, *, state: str | None = None, bank: str | None = None, year: int | None = None,
               limit: int = 100, offset: int = 0) -> tuple[list[Row], int]:
    """One page of the book, newest first, and how many loans the list holds."""
    return _page(session, "loans", _loan_filters(state, bank, year), bool(state), limit, offset)


def all_loans(session: Session, *, state: str | None = None, bank: str | None = None,
              year: int | None = None) -> list[Row]:
    """Every loan of the filter, newest first (for exports)."""
    values = _loan_filters(state, bank, year)
    return _rows(session.connection().execute(statements("loans", _filters(values)).every, values))


def as_dicts(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Rows as plain dicts for JSON (``dataclasses.asdict`` walks each value; this does not)."""
    return [r.__dict__.copy() for r in rows]
