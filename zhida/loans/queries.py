"""Read models of the loans programme for pages, the API and other packages.

Views are plain dataclasses (never the table models); personal data is masked (身份证号,
phone). Lists honour the bank scope: a 银行 account sees only its own bank's rows. The list
pages are in ``zhida.loans.lists``, one loan in ``zhida.loans.loanview``; both are offered
here too, so other packages need only this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import NotFound
from zhida.identifiers import mask_id_number, mask_phone
from zhida.loans.applications import get_application
from zhida.loans.lists import Row, all_applications, all_loans, as_dicts, list_applications, list_loans
from zhida.loans.lists import yuan as _yuan
from zhida.loans.loanview import Event, LoanView, events, loan_view
from zhida.loans.models import Applicant, Loan, LoanBank, SubsidyClaim
from zhida.loans.process import APPLICATION
from zhida.loans.rates import format_rate

__all__ = ["ApplicationView", "ClaimView", "Event", "LoanView", "Row", "all_applications", "all_loans",
           "application_by_number", "application_view", "as_dicts", "banks", "claim_view", "list_applications",
           "list_claims", "list_loans", "loan_view"]


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


def application_view(session: Session, app_id: int) -> ApplicationView:
    app = get_application(session, app_id)
    a = session.get(Applicant, app.applicant_id)
    bank = session.get(LoanBank, app.bank_code)
    if a is None or bank is None:  # both are foreign keys of the application
        raise NotFound(f"贷款申请 {app.number} 的借款人或经办银行不存在")
    loan = session.scalar(select(Loan.number).where(Loan.application_id == app.id))
    return ApplicationView(app.id, app.number, app.kind, a.name, mask_id_number(a.id_number) if a.id_number else a.uscc or "",
                           mask_phone(a.phone), a.target_group, bank.name, bank.code, _yuan(app.amount_fen), app.months,
                           format_rate(app.rate), app.project, app.channel, app.submitted_on.isoformat(), app.state,
                           app.decision, app.reason, loan, events(session, APPLICATION, app.id))


def application_by_number(session: Session, number: str) -> ApplicationView:
    return application_view(session, get_application(session, number).id)


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
    bank: str = ""  # the bank's name

    def summary(self) -> str:
        return (f"贴息申请 {self.id}：{self.bank or self.bank_code} {self.quarter}，{self.lines} 笔，合计 {self.total} 元，{self.state}"
                + (f"（{self.fail_reason}）" if self.fail_reason else ""))


def claim_view(c: SubsidyClaim) -> ClaimView:
    """The claim as pages, API and CLI show it, with its bank's name (read through the claim's session)."""
    from sqlalchemy.orm import object_session

    session = object_session(c)
    bank = session.get(LoanBank, c.bank_code) if session is not None else None
    return ClaimView(c.id, c.bank_code, c.quarter, c.lines, _yuan(c.total_fen), c.state, c.bank_ref,
                     c.paid_on.isoformat() if c.paid_on else None, c.fail_reason, bank.name if bank else c.bank_code)


def list_claims(session: Session, bank: str | None = None) -> list[ClaimView]:
    stmt = select(SubsidyClaim).order_by(SubsidyClaim.quarter.desc(), SubsidyClaim.bank_code)
    if bank:
        stmt = stmt.where(SubsidyClaim.bank_code == bank)
    return [claim_view(c) for c in session.scalars(stmt)]


def banks(session: Session) -> list[LoanBank]:
    return list(session.scalars(select(LoanBank).order_by(LoanBank.code)))
