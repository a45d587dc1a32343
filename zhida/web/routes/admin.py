"""账号: the administrator manages staff accounts; 经办 sets a unit's portal password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from zhida.errors import NotFound, ValidationFailed
from zhida.roles import Role
from zhida.web.accounts import AccountCreate, create_account
from zhida.web.deps import AdminDep, OperatorDep, SessionDep, flash
from zhida.web.models import Account
from zhida.web.templating import render
from zhida.registry.service import get_unit

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
    account = create_account(db, AccountCreate(username.strip(), password, role, uscc.strip() or None,
                                               display_name.strip() or None))
    flash(request, f"账号 {account.username}（{role.label}）已保存")
    return RedirectResponse("/accounts", status_code=303)


@router.post("/accounts/{username}/active")
def account_active(request: Request, username: str, actor: AdminDep, db: SessionDep,
                   active: Annotated[bool, Form()]) -> Response:
    account = db.get(Account, username)
    if account is None:
        raise NotFound(f"账号 {username} 不存在")
    if account.username == actor.username and not active:
        raise ValidationFailed("不能停用自己正在使用的账号")
    account.active = active
    flash(request, f"账号 {username} 已{'启用' if active else '停用'}")
    return RedirectResponse("/accounts", status_code=303)


@router.post("/units/{uscc}/account")
def unit_password(request: Request, uscc: str, actor: OperatorDep, db: SessionDep,
                  password: Annotated[str, Form(max_length=200)]) -> Response:
    unit = get_unit(db, uscc)
    create_account(db, AccountCreate(unit.uscc, password, Role.UNIT, unit.uscc, unit.name))
    flash(request, f"已为 {unit.name} 设置单位门户密码")
    return RedirectResponse(f"/units/{unit.uscc}", status_code=303)
