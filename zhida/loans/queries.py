"""Read models of the loans programme for pages, the API and other packages.

Views are plain dataclasses (never the table models); personal data is masked (身份证号,
phone). Lists honour the bank scope: a 银行 account sees only its own bank's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.identifiers import mask_id_number, mask_phone
from zhida.loans import book
from zhida.loans.applications import get_application
from zhida.loans.models import Applicant, Application, Loan, LoanBank, Repayment, SubsidyClaim
from zhida.loans.process import APPLICATION, LOAN
from zhida.loans.rates import format_rate
from zhida.loans.schedule import FORMULAS, REPAYMENTS
from zhida.platform.workflow import history


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{fen / 100:.2f}"


@dataclass
class Event:
    at: str
    action: str
    actor: str
    to_state: str
    comment: str | None


@dataclass
class ApplicationView:
    id: int
    number: str
    kind: str
    applicant: str
    id_number: str
    phone: str
    target_group: str | None
    bank: str
    bank_code: str
    amount: str
    months: int
    rate: str
    project: str
    channel: str
    submitted_on: str
    state: str
    decision: str | None
    reason: str | None
    loan_number: str | None
    history: list[Event] = field(default_factory=list)

    def summary(self) -> str:
        head = (f"{self.number} {self.applicant}（{self.kind}，{self.id_number}）{self.amount} 元 {self.months} 个月 "
                f"{self.rate}，{self.bank}，{self.channel}受理 {self.submitted_on}：{self.state}")
        lines = [head] + ([self.decision] if self.decision else []) + [f"  {e.at} {e.action}（{e.actor}）→ {e.to_state}"
                                                                       + (f"：{e.comment}" if e.comment else "")
                                                                       for e in self.history]
        return "\n".join(lines)


def _events(session: Session, process, entity_id) -> list[Event]:
    return [Event(e.at.strftime("%Y-%m-%d %H:%M"), e.action, e.actor, e.to_state, e.comment)
            for e in history(session, process, entity_id)]


def application_view(session: Session, app_id: int) -> ApplicationView:
    app = get_application(session, app_id)
    a = session.get(Applicant, app.applicant_id)
    bank = session.get(LoanBank, app.bank_code)
    loan = session.scalar(select(Loan.number).where(Loan.application_id == app.id))
    return ApplicationView(app.id, app.number, app.kind, a.name, mask_id_number(a.id_number) if a.id_number else a.uscc,
                           mask_phone(a.phone), a.target_group, bank.name, bank.code, _yuan(app.amount_fen), app.months,
                           format_rate(app.rate), app.project, app.channel, app.submitted_on.isoformat(), app.state,
                           app.decision, app.reason, loan, _events(session, APPLICATION, app.id))


def application_by_number(session: Session, number: str) -> ApplicationView:
    return application_view(session, get_application(session, number).id)


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


def list_applications(session: Session, *, state: str | None = None, bank: str | None = None,
                      applicant_id_number: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[Row], int]:
    """One page, newest first: the page's ids from the primary key alone, then its rows joined."""
    conds = []
    if state:
        conds.append(Application.state == state)
    if bank:
        conds.append(Application.bank_code == bank)
    if applicant_id_number:
        conds.append(Application.applicant_id.in_(select(Applicant.id).where(Applicant.id_number == applicant_id_number)))
    total = session.scalar(select(func.count()).select_from(Application).where(*conds))
    ids = select(Application.id).where(*conds).order_by(Application.id.desc()).limit(limit).offset(offset).scalar_subquery()
    stmt = (select(Application.id, Application.number, Applicant.name, LoanBank.name, Application.amount_fen,
                   Application.state, Application.submitted_on, Application.channel)
            .join(Applicant, Applicant.id == Application.applicant_id).join(LoanBank, LoanBank.code == Application.bank_code)
            .where(Application.id.in_(ids)).order_by(Application.id.desc()))
    return [Row(i, n, nm, b, _yuan(a), s, d.isoformat(), c) for i, n, nm, b, a, s, d, c in session.execute(stmt)], int(total)


def list_loans(session: Session, *, state: str | None = None, bank: str | None = None, year: int | None = None,
               limit: int = 100, offset: int = 0) -> tuple[list[Row], int]:
    """One page of the book, newest first (ids from the primary key, then the page's rows joined)."""
    conds = []
    if state:
        conds.append(Loan.state == state)
    if bank:
        conds.append(Loan.bank_code == bank)
    if year:
        conds.append(Loan.start.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    total = session.scalar(select(func.count()).select_from(Loan).where(*conds))
    ids = select(Loan.id).where(*conds).order_by(Loan.id.desc()).limit(limit).offset(offset).scalar_subquery()
    stmt = (select(Loan.id, Loan.number, Applicant.name, LoanBank.name, Loan.principal_fen, Loan.state, Loan.start,
                   Loan.maturity).join(Applicant, Applicant.id == Loan.applicant_id)
            .join(LoanBank, LoanBank.code == Loan.bank_code).where(Loan.id.in_(ids)).order_by(Loan.id.desc()))
    return [Row(i, n, nm, b, _yuan(a), s, d.isoformat(), m.isoformat())
            for i, n, nm, b, a, s, d, m in session.execute(stmt)], int(total)


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
    periods: list[dict]
    repayments: list[dict]
    history: list[Event]

    def summary(self) -> str:
        lines = [f"{self.number} {self.borrower} {self.principal} 元，{self.rate}（LPR {self.lpr}），{self.start}～{self.maturity}，"
                 f"{self.bank}：{self.state}；未还本金 {self.outstanding} 元，逾期欠款 {self.arrears} 元"]
        lines += [f"  第{p['no']}期 {p['start']}～{p['end']} {p['days']}天 本金 {p['principal']} 利息 {p['interest']} "
                  f"借款人 {p['borrower']} 贴息 {p['subsidy']}{'' if p['subsidised'] else '（逾期，不贴息）'}" for p in self.periods]
        return "\n".join(lines)


def loan_view(session: Session, number: str, as_of: dt.date | None = None) -> LoanView:
    loan = book.get_loan(session, number)
    a = session.get(Applicant, loan.applicant_id)
    bank = session.get(LoanBank, loan.bank_code)
    stored = book.periods_of(session, loan.id)
    pos = book.position(session, loan, as_of or dt.date.today(), stored)
    app_number = session.scalar(select(Application.number).where(Application.id == loan.application_id))
    periods = [{"no": p.no, "start": p.start.isoformat(), "end": p.end.isoformat(), "days": p.days,
                "principal": _yuan(p.principal_fen), "interest": _yuan(p.interest_fen), "borrower": _yuan(p.borrower_fen),
                "subsidy": _yuan(p.subsidy_fen), "subsidised": p.subsidised, "claim_id": p.claim_id}
               for p in stored]
    reps = [{"ref": r.bank_ref, "paid_on": r.paid_on.isoformat(), "principal": _yuan(r.principal_fen),
             "interest": _yuan(r.interest_fen)}
            for r in session.scalars(select(Repayment).where(Repayment.loan_number == loan.number).order_by(Repayment.paid_on))]
    return LoanView(loan.number, app_number, a.name, bank.name, bank.code, _yuan(loan.principal_fen), format_rate(loan.rate),
                    format_rate(loan.lpr), loan.start.isoformat(), loan.maturity.isoformat(),
                    REPAYMENTS.get(loan.repayment, loan.repayment), FORMULAS.get(loan.formula, loan.formula),
                    loan.day_count, loan.state, _yuan(pos.outstanding), _yuan(pos.arrears),
                    loan.overdue_since.isoformat() if loan.overdue_since else None, periods, reps,
                    _events(session, LOAN, loan.id))


@dataclass
class ClaimView:
    id: int
    bank_code: str
    quarter: str
    lines: int
    total: str
    state: str
    bank_ref: str | None
    paid_on: str | None
    fail_reason: str | None

    def summary(self) -> str:
        return (f"贴息申请 {self.id}：{self.bank_code} {self.quarter}，{self.lines} 笔，合计 {self.total} 元，{self.state}"
                + (f"（{self.fail_reason}）" if self.fail_reason else ""))


def claim_view(c: SubsidyClaim) -> ClaimView:
    return ClaimView(c.id, c.bank_code, c.quarter, c.lines, _yuan(c.total_fen), c.state, c.bank_ref,
                     c.paid_on.isoformat() if c.paid_on else None, c.fail_reason)


def list_claims(session: Session, bank: str | None = None) -> list[ClaimView]:
    stmt = select(SubsidyClaim).order_by(SubsidyClaim.quarter.desc(), SubsidyClaim.bank_code)
    if bank:
        stmt = stmt.where(SubsidyClaim.bank_code == bank)
    return [claim_view(c) for c in session.scalars(stmt)]


def banks(session: Session) -> list[LoanBank]:
    return list(session.scalars(select(LoanBank).order_by(LoanBank.code)))
