"""One loan as its page and the API show it (贷款详情): terms, position, plan, repayments, history.

Read in three statements of selected columns — the loan with its borrower's, bank's and
application's names and its periods; its repayments; its history — never ORM objects; the
position on the day (what is owed, paid and in arrears) is computed from the same rows by
``book.position_of``, so the page and the book agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from zhida.errors import NotFound
from zhida.loans.book import position_of
from zhida.loans.lists import yuan
from zhida.loans.models import Applicant, Application, Loan, LoanBank, LoanPeriod, Repayment
from zhida.loans.process import LOAN
from zhida.loans.rates import DAY_COUNT_NAMES, format_rate
from zhida.loans.schedule import FORMULAS, REPAYMENTS
from zhida.platform.workflow import Process, history


@dataclass
class Event:
    at: str
    action: str
    actor: str
    to_state: str
    comment: str | None


def events(session: Session, process: Process[Any], entity_id: int) -> list[Event]:
    """The history of one entity of ``process``, oldest first, as shown on its page."""
    return [Event(e.at.strftime("%Y-%m-%d %H:%M"), e.action, e.actor, e.to_state, e.comment)
            for e in history(session, process, entity_id)]


@dataclass
class LoanView:
    number: str
    application: str
    borrower: str
    bank: str
    bank_code: str
    principal: str
    rate: str
    lpr: str
    start: str
    maturity: str
    repayment: str
    formula: str
    day_count: str
    state: str
    outstanding: str
    arrears: str
    overdue_since: str | None
    periods: list[dict[str, Any]]
    repayments: list[dict[str, Any]]
    history: list[Event]
    months: int = 0
    extended_months: int = 0

    def summary(self) -> str:
        lines = [f"{self.number} {self.borrower} {self.principal} 元，{self.rate}（LPR {self.lpr}），{self.start}～{self.maturity}，"
                 f"{self.bank}：{self.state}；未还本金 {self.outstanding} 元，逾期欠款 {self.arrears} 元"]
        lines += [f"  第{p['no']}期 {p['start']}～{p['end']} {p['days']}天 本金 {p['principal']} 利息 {p['interest']} "
                  f"借款人 {p['borrower']} 贴息 {p['subsidy']}{'' if p['subsidised'] else '（逾期或展期，不贴息）'}"
                  for p in self.periods]
        return "\n".join(lines)


HEAD = (Loan.id, Loan.number, Application.number.label("application"), Applicant.name.label("borrower"),
        LoanBank.name.label("bank"), Loan.bank_code, Loan.principal_fen, Loan.rate, Loan.lpr, Loan.start, Loan.maturity,
        Loan.repayment, Loan.formula, Loan.day_count, Loan.state, Loan.overdue_since, Loan.months, Loan.extended_months)
P = LoanPeriod
PERIOD = (P.no, P.start.label("p_start"), P.end.label("p_end"), P.days, P.principal_fen.label("p_principal"),
          P.interest_fen, P.borrower_fen, P.subsidy_fen, P.subsidised, P.claim_id)


ONE = (select(*HEAD, *PERIOD).join(Application, Application.id == Loan.application_id)
       .join(Applicant, Applicant.id == Loan.applicant_id).join(LoanBank, LoanBank.code == Loan.bank_code)
       .outerjoin(P, P.loan_id == Loan.id).where(Loan.number == bindparam("number")).order_by(P.no))
R = Repayment
REPAID = (select(R.bank_ref, R.paid_on, R.principal_fen, R.interest_fen).where(R.loan_number == bindparam("number"))
          .order_by(R.paid_on))


def loan_view(session: Session, number: str, as_of: dt.date | None = None) -> LoanView:
    """The loan ``number`` on ``as_of`` (default today); ``NotFound`` if there is none."""
    conn = session.connection()  # Core statements, built once: no ORM layer on the hot path
    found = [r._mapping for r in conn.execute(ONE, {"number": number})]
    if not found:
        raise NotFound(f"没有贷款 {number}")
    h, periods = found[0], [r for r in found if r["no"] is not None]
    reps = conn.execute(REPAID, {"number": number}).all()
    day = as_of or dt.date.today()
    done = [x for x in reps if x.paid_on <= day]
    due = [Installment(p["p_end"], p["p_principal"], p["borrower_fen"]) for p in periods]
    pos = position_of(h["principal_fen"], due, sum(x.principal_fen for x in done), sum(x.interest_fen for x in done),
                      day)
    return LoanView(
        h["number"], h["application"], h["borrower"], h["bank"], h["bank_code"], yuan(h["principal_fen"]),
        format_rate(h["rate"]), format_rate(h["lpr"]), h["start"].isoformat(), h["maturity"].isoformat(),
        REPAYMENTS.get(h["repayment"], h["repayment"]), FORMULAS.get(h["formula"], h["formula"]),
        DAY_COUNT_NAMES.get(h["day_count"], h["day_count"]),
        h["state"], yuan(pos.outstanding), yuan(pos.arrears),
        h["overdue_since"].isoformat() if h["overdue_since"] else None,
        [{"no": x["no"], "start": x["p_start"].isoformat(), "end": x["p_end"].isoformat(), "days": x["days"],
          "principal": yuan(x["p_principal"]), "interest": yuan(x["interest_fen"]), "borrower": yuan(x["borrower_fen"]),
          "subsidy": yuan(x["subsidy_fen"]), "subsidised": x["subsidised"], "claim_id": x["claim_id"]} for x in periods],
        [{"ref": x.bank_ref, "paid_on": x.paid_on.isoformat(), "principal": yuan(x.principal_fen),
          "interest": yuan(x.interest_fen)} for x in reps],
        events(session, LOAN, h["id"]), h["months"], h["extended_months"])


@dataclass(frozen=True)
class Installment:
    """What a period asks of the borrower (``book.Due``)."""

    end: dt.date
    principal_fen: int
    borrower_fen: int
