"""The loan book (贷款台账): disbursement, the stored plan, what is owed and paid, overdue.

The plan of a loan is stored period by period (``LoanPeriod``) when it is disbursed, from the
same ``schedule.build`` the calculator uses — a simulation and the created loan never differ.
The borrower owes the bank principal plus the borrower's share of interest; the subsidy is
claimed by the bank from the government (``zhida.loans.subsidy``). Repayments come from the
bank's files (``zhida.loans.imports``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from zhida.errors import NotFound, StateError, ValidationFailed
from zhida.loans import params, schedule
from zhida.loans.models import Applicant, Application, Loan, LoanPeriod, LprRate, NumberCounter, Repayment
from zhida.loans.rates import RATE_SCALE, days_between, format_rate


def terms_of(loan: Loan) -> schedule.Terms:
    return schedule.Terms(loan.principal_fen, loan.rate, loan.lpr, loan.start, loan.months, loan.repayment,
                          loan.formula, loan.day_count)


def next_number(session: Session, model, prefix: str, year: int) -> str:
    """``<prefix><year>-<6 digits>``: the next of the series, from its counter row (created at
    the highest number already stored). The UPDATE keeps the row locked until the caller's
    transaction ends, so concurrent callers wait and get different numbers; as a transaction's
    first statement it also takes SQLite's write lock at once (waiting its turn, not failing)."""
    series, head = f"{prefix}{year}", f"{prefix}{year}-"
    take = (update(NumberCounter).where(NumberCounter.series == series).values(last=NumberCounter.last + 1)
            .returning(NumberCounter.last).execution_options(synchronize_session=False))
    taken = session.execute(take).scalar_one_or_none()
    if taken is None:
        last = session.scalar(select(func.max(model.number)).where(model.number.like(head + "%")))
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(NumberCounter).values(series=series, last=int(last[len(head):]) if last else 0)
                        .on_conflict_do_nothing())
        taken = session.execute(take).scalar_one()
    return f"{head}{taken:06d}"


def lpr_on(session: Session, day: dt.date) -> int:
    """The 1-year LPR in force on ``day`` (the latest published on or before it)."""
    rate = session.scalar(select(LprRate.one_year).where(LprRate.day <= day).order_by(LprRate.day.desc()).limit(1))
    if rate is None:
        raise StateError(f"没有 {day} 适用的贷款市场报价利率（LPR）：请先导入 LPR 表（zhida import loan-lpr）")
    return rate


def check_rate_cap(rate: int, lpr: int, day: dt.date) -> None:
    """The contract rate against LPR at signing plus the eligibility policy's margin in force."""
    from zhida.loans.eligibility import parameter

    margin = parameter("rate.cap_margin", day)
    cap = lpr + int(margin.value * RATE_SCALE)
    if rate > cap:
        raise StateError(f"利率上限不满足：合同利率 {format_rate(rate)} 高于签约时 LPR {format_rate(lpr)} 加 "
                         f"{format_rate(int(margin.value * RATE_SCALE))} = {format_rate(cap)}（依据：{margin.reference}）")


def create_loan(session: Session, app: Application, start: dt.date) -> Loan:
    """The loan of an approved application, disbursed on ``start`` with the LPR then in force
    (rate cap checked again: ``StateError``), and its whole plan stored."""
    lpr = lpr_on(session, start)
    check_rate_cap(app.rate, lpr, start)
    applicant = session.get(Applicant, app.applicant_id)
    loan = Loan(number=next_number(session, Loan, "DK", start.year), application_id=app.id,
                applicant_id=app.applicant_id, bank_code=app.bank_code, principal_fen=app.amount_fen, rate=app.rate,
                lpr=lpr, start=start, months=app.months, maturity=schedule.add_months(start, app.months),
                repayment=app.repayment, formula=params.value("subsidy.formula", start, app.region),
                day_count=params.value("subsidy.day_count", start, app.region), region=app.region,
                township=app.township, target_group=applicant.target_group if applicant else None,
                jobs_created=app.jobs_created, state="还款中")
    session.add(loan)
    session.flush()
    store_plans(session, [loan])
    return loan


def store_plans(session: Session, loans: list[Loan]) -> int:
    """Compute and insert the whole plan of each loan (``zhida.loans.plans``); returns the rows."""
    import polars as pl

    from zhida.loans import plans

    frame = pl.DataFrame([{"loan_id": ln.id, "principal_fen": ln.principal_fen, "rate": ln.rate, "lpr": ln.lpr,
                           "start": ln.start, "months": ln.months, "repayment": ln.repayment, "formula": ln.formula,
                           "day_count": ln.day_count} for ln in loans], schema=plans.LOANS)
    return plans.store(session, plans.plans(frame))


def get_loan(session: Session, key: int | str, lock: bool = False) -> Loan:
    stmt = select(Loan).where(Loan.number == key if isinstance(key, str) else Loan.id == key)
    loan = session.scalars(stmt.with_for_update() if lock else stmt).first()
    if loan is None:
        raise NotFound(f"没有贷款 {key}")
    return loan


def periods_of(session: Session, loan_id: int) -> list[LoanPeriod]:
    return list(session.scalars(select(LoanPeriod).where(LoanPeriod.loan_id == loan_id).order_by(LoanPeriod.no)))


@dataclass(frozen=True)
class Position:
    """A loan on a day (分): principal repaid and outstanding, owed for periods that ended
    before the day and paid so far, and the end of the first period not fully paid."""

    principal_repaid: int
    outstanding: int
    owed: int
    paid: int
    overdue_since: dt.date | None

    @property
    def arrears(self) -> int:
        return max(self.owed - self.paid, 0)


class Due(Protocol):
    """What a period asks of the borrower (a stored ``LoanPeriod`` or a row read for a page)."""

    @property
    def end(self) -> dt.date: ...
    @property
    def principal_fen(self) -> int: ...
    @property
    def borrower_fen(self) -> int: ...


def position_of(principal_fen: int, periods: Iterable[Due], principal_paid: int, interest_paid: int,
                as_of: dt.date) -> Position:
    """The position on ``as_of`` from the plan (in order) and what was repaid by then (分)."""
    paid, owed, since = principal_paid + interest_paid, 0, None
    for p in periods:
        if p.end >= as_of:  # due on its end day; in arrears from the day after
            break
        owed += p.principal_fen + p.borrower_fen
        if since is None and paid < owed:
            since = p.end
    return Position(principal_paid, principal_fen - principal_paid, owed, paid, since)


def position(session: Session, loan: Loan, as_of: dt.date, periods: list[LoanPeriod] | None = None) -> Position:
    rep = session.execute(select(func.coalesce(func.sum(Repayment.principal_fen), 0),
                                 func.coalesce(func.sum(Repayment.interest_fen), 0))
                          .where(Repayment.loan_number == loan.number, Repayment.paid_on <= as_of)).one()
    stored = periods if periods is not None else periods_of(session, loan.id)
    return position_of(loan.principal_fen, stored, int(rep[0]), int(rep[1]), as_of)


def unsubsidise(session: Session, loan_id: int, since: dt.date) -> int:
    """No subsidy for periods ending on or after ``since`` not yet claimed (overdue, 展期)."""
    res = session.execute(update(LoanPeriod).where(LoanPeriod.loan_id == loan_id, LoanPeriod.end >= since,
                                                   LoanPeriod.claim_id.is_(None))
                          .values(borrower_fen=LoanPeriod.interest_fen, subsidy_fen=0, subsidised=False)
                          .execution_options(synchronize_session=False))
    return cast("CursorResult[Any]", res).rowcount


def resubsidise(session: Session, loan: Loan, since: dt.date) -> None:
    """Subsidy again for periods starting on or after ``since`` (the arrears were cleared) —
    never for an extended loan, which gets no subsidy after its extension."""
    if loan.extensions:
        return
    for p in periods_of(session, loan.id):
        if p.start >= since and not p.subsidised and p.claim_id is None:
            balance = p.balance_fen + p.principal_fen
            p.interest_fen, p.borrower_fen, p.subsidy_fen = schedule.split(
                balance, loan.rate, loan.lpr, p.days, loan.formula, loan.day_count)
            p.subsidised = True
    session.flush()


def cut_plan(session: Session, loan: Loan, day: dt.date) -> None:
    """Early repayment (提前还款) on ``day``: the period containing it ends that day with
    interest by actual days on its balance (as ``schedule.repay_early``), keeping its subsidy
    or not; later periods are removed. Periods already claimed for subsidy are never changed
    (``StateError``)."""
    if day >= loan.maturity:
        return
    if day <= loan.start:
        raise ValidationFailed(f"提前还款日 {day} 应在放款日 {loan.start} 之后")
    cut = [p for p in periods_of(session, loan.id) if p.end > day]
    if any(p.claim_id is not None for p in cut):
        raise StateError(f"贷款 {loan.number} 在 {day} 之后的计息期已申请贴息，不能按提前还款改写还款计划")
    first = cut[0]
    balance = first.balance_fen + first.principal_fen
    days = days_between(first.start, day, loan.day_count)
    interest, borrower, subsidy = schedule.split(balance, loan.rate, loan.lpr, days, loan.formula, loan.day_count,
                                                 first.subsidised)
    first.end, first.days, first.principal_fen, first.balance_fen = day, days, balance, 0
    first.interest_fen, first.borrower_fen, first.subsidy_fen = interest, borrower, subsidy
    for p in cut[1:]:
        session.delete(p)
    session.flush()


def extend_plan(session: Session, loan: Loan, day: dt.date, months: int) -> dt.date:
    """展期 of the stored plan (``schedule.extend``): periods not ended by ``day`` are replaced
    by the plan to the new maturity, without subsidy; returns the new maturity. A period
    already claimed for subsidy is never changed (``StateError``)."""
    stored = periods_of(session, loan.id)
    later = [p for p in stored if p.end > day]
    if any(p.claim_id is not None for p in later):
        raise StateError(f"贷款 {loan.number} 在 {day} 之后的计息期已申请贴息，不能展期改写还款计划")
    plan = schedule.extend(terms_of(loan), [_period(p) for p in stored], day, months)
    for p in later:
        session.delete(p)
    session.flush()
    session.add_all(LoanPeriod(loan_id=loan.id, no=p.no, start=p.start, end=p.end, days=p.days,
                               principal_fen=p.principal_fen, interest_fen=p.interest_fen, borrower_fen=p.borrower_fen,
                               subsidy_fen=p.subsidy_fen, balance_fen=p.balance_fen, subsidised=p.subsidised)
                    for p in plan[len(stored) - len(later):])
    session.flush()
    return plan[-1].end


def _period(p: LoanPeriod) -> schedule.Period:
    return schedule.Period(p.no, p.start, p.end, p.days, p.principal_fen, p.interest_fen, p.borrower_fen, p.subsidy_fen,
                           p.balance_fen, p.subsidised)
