"""Roles of the loans programme (贷款业务角色), registered on the platform.

经办 (the core ``operator``) does 人社初审; the 担保机构 reviews and pays 代偿; a 银行 approves,
disburses and reports repayments for its own loans only (``LoanScope``); 财政 approves and pays
subsidy claims; an individual applicant (借款人) acts on the portal for their own applications.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhida.errors import PermissionDenied
from zhida.loans.models import LoanScope
from zhida.roles import Actor, Role, register_role

GUARANTOR = register_role("loan_guarantor", "担保机构")
BANK = register_role("loan_bank", "银行")
FINANCE = register_role("loan_finance", "财政")
APPLICANT = register_role("loan_applicant", "借款人", staff=False)
STAFF = (Role.OPERATOR, Role.REVIEWER, Role.LEADER, GUARANTOR, FINANCE)


def bank_of(session: Session, actor: Actor) -> str | None:
    """The bank code a 银行 account acts for; None for every other role (they see all banks)."""
    if actor.role != BANK:
        return None
    scope = session.get(LoanScope, actor.username)
    if scope is None:
        raise PermissionDenied(f"银行账号 {actor.username} 尚未绑定经办银行，请联系系统管理员")
    return scope.bank_code


def require_bank(session: Session, actor: Actor, bank_code: str) -> None:
    """A bank account may only see and act on its own bank's applications and loans."""
    own = bank_of(session, actor)
    if own is not None and own != bank_code:
        raise PermissionDenied("银行账号只能查看和办理本行的贷款")


def require_applicant(actor: Actor, id_number: str | None) -> None:
    """An applicant on the portal may only see their own applications."""
    if actor.role == APPLICANT and actor.username != id_number:
        raise PermissionDenied("只能查看本人的贷款申请")
