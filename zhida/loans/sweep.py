"""The daily sweep of the loan book (逾期检查): settle loans repaid in full, recognise arrears,
clear arrears that were paid — each through the loan process, so each is audited.

Run after a repayment file is imported (``zhida loans sweep``); idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.loans import book
from zhida.loans.models import Loan
from zhida.loans.process import LOAN, LoanState
from zhida.roles import SYSTEM, Actor


@dataclass
class SweepResult:
    settled: int = 0
    overdue: int = 0
    cleared: int = 0

    def summary(self) -> str:
        return f"逾期检查完成：结清 {self.settled} 笔，新认定逾期 {self.overdue} 笔，逾期已还清 {self.cleared} 笔"


def sweep(session: Session, as_of: dt.date, actor: Actor = SYSTEM) -> SweepResult:
    """Move every loan in 还款中 or 逾期 to where its repayments put it on ``as_of``."""
    result = SweepResult()
    stmt = select(Loan).where(Loan.state.in_([LoanState.REPAYING.value, LoanState.OVERDUE.value])).order_by(Loan.id)
    for loan in session.scalars(stmt).all():
        pos = book.position(session, loan, as_of)
        if pos.outstanding <= 0:
            LOAN.fire(session, loan, LoanState.SETTLED, actor, on=as_of)
            result.settled += 1
        elif loan.state == LoanState.REPAYING and pos.overdue_since is not None:
            LOAN.fire(session, loan, LoanState.OVERDUE, actor, on=as_of)
            result.overdue += 1
        elif loan.state == LoanState.OVERDUE and pos.arrears == 0:
            LOAN.fire(session, loan, LoanState.REPAYING, actor, on=as_of)
            result.cleared += 1
    return result
