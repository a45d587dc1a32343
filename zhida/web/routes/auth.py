"""Login and logout: staff by user name, units by 统一社会信用代码 (password or one-time code)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from zhida.errors import ZhidaError
from zhida.roles import Actor, Role
from zhida.web import accounts, codes, sessions
from zhida.web.deps import SESSION_ID, SESSION_USER, EngineDep
from zhida.web.templating import render

router = APIRouter(tags=["登录"], include_in_schema=False)


def _safe_next(target: str | None, default: str) -> str:
    """Only local paths: never redirect to another site.

    >>> _safe_next("//evil.example/x", "/"), _safe_next("/units?q=1", "/")
    ('/', '/units?q=1')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _secret(request: Request) -> str:
    return request.app.state.settings.cookie_secret


async def start_session(request: Request, engine, actor: Actor) -> None:
    """A fresh server-side session on every login (no fixation): its token, the user, the role for the menu."""
    token = await run_in_threadpool(sessions.open_session, engine, actor.username)
    request.session.clear()
    request.session[SESSION_USER] = actor.username
    request.session[SESSION_ID] = token
    request.session["role"] = actor.role.value


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": next or "", "error": None})


@router.post("/login")
async def login(request: Request, engine: EngineDep, username: Annotated[str, Form(max_length=60)],
                password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "") -> Response:
    try:
        actor = await run_in_threadpool(accounts.authenticate, engine, username, password, _client(request))
    except ZhidaError as err:
        return render(request, "login.html", {"next": next, "error": err.message, "username": username},
                      status_code=401)
    await start_session(request, engine, actor)
    default = "/portal" if actor.role == Role.UNIT else "/"
    return RedirectResponse(_safe_next(next, default) if actor.role != Role.UNIT else "/portal", status_code=303)


@router.post("/logout")
async def logout(request: Request, engine: EngineDep) -> Response:
    portal = request.session.get("role") == Role.UNIT.value
    await run_in_threadpool(sessions.close_session, engine, request.session.get(SESSION_ID))
    request.session.clear()
    return RedirectResponse("/portal/login" if portal else "/login", status_code=303)


@router.get("/portal/login")
def portal_login_form(request: Request) -> Response:
    return render(request, "portal/login.html", {"error": None, "notice": None})


@router.post("/portal/login")
async def portal_login(request: Request, engine: EngineDep, uscc: Annotated[str, Form(max_length=30)],
                       password: Annotated[str, Form(max_length=200)] = "",
                       code: Annotated[str, Form(max_length=10)] = "") -> Response:
    try:
        if code.strip():
            actor = await run_in_threadpool(codes.login_with_code, engine, uscc, code, _client(request),
                                            _secret(request))
        else:
            actor = await run_in_threadpool(accounts.authenticate, engine, uscc, password, _client(request))
        if actor.role != Role.UNIT:
            raise accounts.LoginRefused("单位门户只接受单位账号登录，工作人员请从管理后台登录")
    except ZhidaError as err:
        return render(request, "portal/login.html", {"error": err.message, "notice": None, "uscc": uscc},
                      status_code=401)
    await start_session(request, engine, actor)
    return RedirectResponse("/portal", status_code=303)


@router.post("/portal/code")
async def portal_code(request: Request, engine: EngineDep, uscc: Annotated[str, Form(max_length=30)]) -> Response:
    """Send a one-time code; the answer is the same whether or not the account exists."""
    try:
        await run_in_threadpool(codes.issue_login_code, engine, uscc, _client(request), _secret(request))
    except accounts.LoginRefused as err:
        return render(request, "portal/login.html", {"error": err.message, "notice": None, "uscc": uscc},
                      status_code=429)
    notice = "如该单位已开通账号，验证码已发送至登记的联系电话，5 分钟内有效"
    return render(request, "portal/login.html", {"error": None, "notice": notice, "uscc": uscc})


@router.get("/portal/activate")
def activate_form(request: Request) -> Response:
    return render(request, "portal/activate.html", {"error": None})


@router.post("/portal/activate")
async def activate(request: Request, engine: EngineDep, uscc: Annotated[str, Form(max_length=30)],
                   code: Annotated[str, Form(max_length=10)], password: Annotated[str, Form(max_length=200)],
                   password2: Annotated[str, Form(max_length=200)]) -> Response:
    """The unit sets its own password with the activation code a staff reset sent to its phone."""
    try:
        if password != password2:
            raise accounts.LoginRefused("两次输入的新密码不一致")
        actor = await run_in_threadpool(codes.activate, engine, uscc, code, password, _client(request),
                                        _secret(request))
    except ZhidaError as err:
        return render(request, "portal/activate.html", {"error": err.message, "uscc": uscc}, status_code=401)
    await start_session(request, engine, actor)
    return RedirectResponse("/portal", status_code=303)
