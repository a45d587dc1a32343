"""A large load sets the table's indexes aside and builds them again in the same transaction:
the rows are those of the plan, the key, indexes and foreign key are back exactly as they
were, and a load that breaks the key is refused whole with all of them intact."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import delete, inspect, select
from sqlalchemy.exc import IntegrityError

from tests.loans.conftest import D, make_loan, person
from zhida.db import session_scope
from zhida.loans import bulk, plans
from zhida.loans.models import Loan, LoanPeriod

ROW = (LoanPeriod.loan_id, LoanPeriod.no, LoanPeriod.start, LoanPeriod.end, LoanPeriod.days, LoanPeriod.principal_fen,
       LoanPeriod.interest_fen, LoanPeriod.borrower_fen, LoanPeriod.subsidy_fen, LoanPeriod.balance_fen,
       LoanPeriod.subsidised, LoanPeriod.claim_id)


def shape(engine) -> tuple:
    """What the database says of loan_periods' key, indexes and foreign keys."""
    insp = inspect(engine)
    indexes = sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes("loan_periods"))
    pk = insp.get_pk_constraint("loan_periods")
    fks = sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"])
                 for f in insp.get_foreign_keys("loan_periods"))
    return indexes, (pk["name"], tuple(pk["constrained_columns"])), fks


def stored(engine) -> list[tuple]:
    with session_scope(engine) as s:
        return [tuple(r) for r in s.execute(select(*ROW).order_by(LoanPeriod.loan_id, LoanPeriod.no))]


def frame(engine) -> pl.DataFrame:
    with session_scope(engine) as s:
        cols = [Loan.id, Loan.principal_fen, Loan.rate, Loan.lpr, Loan.start, Loan.months, Loan.repayment,
                Loan.formula, Loan.day_count]
        return plans.plans(pl.DataFrame(s.execute(select(*cols)).all(), orient="row", schema=list(plans.LOANS)))


def test_a_large_load_rebuilds_the_indexes_and_a_bad_one_leaves_them_intact(loans_db, monkeypatch):
    for serial in ("001", "003"):
        make_loan(loans_db, start=D(2026, 1, 20), who=person(serial=serial))
    before, rows, periods = shape(loans_db), stored(loans_db), frame(loans_db)
    assert len(rows) == periods.height == 24 and before[0] and before[2]
    with session_scope(loans_db) as s:
        s.execute(delete(LoanPeriod))
    monkeypatch.setattr(bulk, "BULK_MIN", 10)
    with session_scope(loans_db) as s:
        assert plans.store(s, periods) == 24
    assert stored(loans_db) == rows and shape(loans_db) == before
    with pytest.raises(IntegrityError), session_scope(loans_db) as s:  # 48 rows onto 24: set aside, key broken
        plans.store(s, pl.concat([periods, periods]))
    assert stored(loans_db) == rows and shape(loans_db) == before


def test_a_small_load_takes_the_ordinary_path(loans_db, monkeypatch):
    make_loan(loans_db, start=D(2026, 1, 20))
    periods = frame(loans_db)
    with session_scope(loans_db) as s:
        s.execute(delete(LoanPeriod))
    calls = []
    monkeypatch.setattr(bulk, "_set_aside", lambda *a: calls.append(a) or [])
    with session_scope(loans_db) as s:
        plans.store(s, periods)
    assert calls == [] and len(stored(loans_db)) == 12
