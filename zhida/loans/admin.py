"""Set-up of the programme: handling banks and the console accounts of its outside parties."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhida.errors import NotFound, ValidationFailed
from zhida.identifiers import validate_phone
from zhida.loans.models import LoanBank, LoanContact, LoanScope
from zhida.loans.roles import BANK
from zhida.roles import role_of


def add_bank(session: Session, code: str, name: str, account_no: str | None = None, phone: str | None = None) -> LoanBank:
    code = code.strip().upper()
    if not code or not name.strip():
        raise ValidationFailed("经办银行的代码和名称都不能为空")
    bank = session.get(LoanBank, code) or LoanBank(code=code)
    bank.name, bank.account_no = name.strip(), account_no
    bank.phone = validate_phone(phone) if phone else None
    session.add(bank)
    session.flush()
    return bank


def add_contact(session: Session, role: str, phone: str) -> LoanContact:
    contact = session.get(LoanContact, role) or LoanContact(role=role)
    contact.phone = validate_phone(phone)
    session.add(contact)
    session.flush()
    return contact


def add_account(session: Session, username: str, password: str, role: str, bank_code: str | None = None) -> None:
    """A console account of 担保机构, 银行 (bound to ``bank_code``) or 财政."""
    import zhida.loans.roles  # noqa: F401
    from zhida.web.accounts import AccountCreate, create_account

    try:
        r = role_of(role)
    except ValueError:
        raise ValidationFailed(f"角色「{role}」不存在：应为 loan_bank、loan_guarantor 或 loan_finance") from None
    if r == BANK and (not bank_code or session.get(LoanBank, bank_code) is None):
        raise NotFound(f"银行账号 {username} 须绑定已登记的经办银行（--bank），「{bank_code}」未登记")
    create_account(session, AccountCreate(username, password, r, display_name=None))
    if r == BANK and bank_code:
        scope = session.get(LoanScope, username) or LoanScope(username=username)
        scope.bank_code = bank_code
        session.add(scope)
    session.flush()
