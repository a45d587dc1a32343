"""账号: the administrator manages staff accounts; 经办 resets a unit's portal password (an activation
sent to the unit's phone) and files bank-account changes, which a 审核 approves or refuses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from zhida.delivery import service as delivery
from zhida.delivery.bankaccounts import mask_account
from zhida.errors import NotFound, ValidationFailed
from zhida.registry.queries import unit_names
from zhida.registry.service import get_unit
from zhida.roles import Role
from zhida.web.accounts import AccountCreate, create_account, set_active
from zhida.web.codes import issue_activation
from zhida.web.deps import AdminDep, OperatorDep, ReviewerDep, SessionDep, StaffDep, flash
from zhida.web.models import Account
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/accounts")
def account_list(request: Request, actor: AdminDep, db: SessionDep) -> Response:
    accounts = db.scalars(select(Account).order_by(Account.role, Account.username).limit(500)).all()
    return render(request, "accounts.html", {"accounts": accounts, "roles": list(Role)}, actor=actor)


@router.post("/accounts")
def account_save(request: Request, actor: AdminDep, db: SessionDep, username: Annotated[str, Form(max_length=60)],
                 role: Annotated[Role, Form()], password: Annotated[str, Form(max_length=200)],
                 uscc: Annotated[str, Form(max_length=18)] = "",
                 display_name: Annotated[str, Form(max_length=100)] = "") -> Response:
    if role == Role.UNIT:
        raise ValidationFailed("单位账号的密码由单位自己设置：请在单位页面为其发送激活码")
    account = create_account(db, AccountCreate(username.strip(), password, role, uscc.strip() or None,
                                               display_name.strip() or None))
    flash(request, f"账号 {account.username}（{role.label}）已保存")
    return RedirectResponse("/accounts", status_code=303)


@router.post("/accounts/{username}/active")
def account_active(request: Request, username: str, actor: AdminDep, db: SessionDep,
                   active: Annotated[bool, Form()]) -> Response:
    if username == actor.username and not active:
        raise ValidationFailed("不能停用自己正在使用的账号")
    if set_active(db, username, active) is None:
        raise NotFound(f"账号 {username} 不存在")
    flash(request, f"账号 {username} 已{'启用' if active else '停用'}")
    return RedirectResponse("/accounts", status_code=303)


@router.post("/units/{uscc}/account")
def unit_password(request: Request, uscc: str, actor: OperatorDep, db: SessionDep) -> Response:
    """Reset a unit's portal password: staff never choose it; an activation goes to the unit's phone."""
    unit = get_unit(db, uscc)
    phone = issue_activation(db, actor, unit.uscc, request.app.state.settings.cookie_secret)
    flash(request, f"已重置 {unit.name} 的门户密码：激活码已发送至单位登记电话 {phone}，由单位自行设置新密码")
    return RedirectResponse(f"/units/{unit.uscc}", status_code=303)


@router.post("/units/{uscc}/bank-account")
def bank_account(request: Request, uscc: str, actor: OperatorDep, db: SessionDep,
                 account_no: Annotated[str, Form(max_length=40)] = "", bank_name: Annotated[str, Form(max_length=100)] = "",
                 account_name: Annotated[str, Form(max_length=200)] = "",
                 name_exception: Annotated[str, Form(max_length=200)] = "") -> Response:
    """File a change of a unit's bank account (effective after a 审核 approves it)."""
    unit = get_unit(db, uscc)
    change = delivery.request_account_change(db, actor, unit.uscc, account_no=account_no.strip() or None,
                                             bank_name=bank_name.strip() or None,
                                             account_name=account_name.strip() or None,
                                             name_exception=name_exception.strip() or None, source="经办")
    flash(request, f"{unit.name} 的对公账号变更已提交（#{change.id}），须经另一名审核人员审核后生效")
    return RedirectResponse(f"/units/{unit.uscc}", status_code=303)


@router.get("/account-changes")
def account_changes(request: Request, actor: StaffDep, db: SessionDep) -> Response:
    changes = delivery.pending_account_changes(db)
    names = unit_names(db, (c.uscc for c in changes))
    return render(request, "account_changes.html", {"changes": changes, "names": names, "mask": mask_account},
                  actor=actor)


@router.post("/account-changes/{change_id}")
def review_change(request: Request, change_id: int, actor: ReviewerDep, db: SessionDep,
                  decision: Annotated[str, Form(pattern="^(approve|refuse)$")],
                  note: Annotated[str, Form(max_length=200)] = "") -> Response:
    change = delivery.review_account_change(db, actor, change_id, approve=decision == "approve", note=note)
    flash(request, f"对公账号变更 #{change.id} {change.status}")
    return RedirectResponse("/account-changes", status_code=303)
