"""Typed dependencies: the database session, the current actor and what it may do.

Routes declare what they need by type: ``StaffDep`` (any staff role), ``OperatorDep``,
``ReviewerDep``, ``AdminDep``, ``UnitActorDep``, and ``OwnUnit`` (a ``{uscc}`` path
parameter this actor may see). The checks live here and in ``Actor``, nowhere else.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from zhida.db import session_scope
from zhida.errors import PermissionDenied
from zhida.roles import STAFF_ROLES, Actor, Role
from zhida.web.errors import NotAuthenticated

SESSION_USER = "user"
SESSION_ID = "sid"  # the server-side session's token (see zhida.web.sessions)
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


# Dependencies are ``async def`` even where they touch the database: each is short, and a
# sync dependency would cost a hop to the thread pool on every request (see bench/web_bench.py).
# The exception is ``get_db``: its exit commits, which may wait for a lock and always writes.


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_db(engine: EngineDep) -> Iterator[Session]:
    """The request's one session: committed when the route returns, rolled back if it raises.

    The one commit rule of the console: a route never commits. Its session is committed after the
    route function returns and before the response is sent (``scope="function"``), so a failing
    commit (a conflict, a lock timeout) is answered as an error, and the page a redirect leads to
    sees the change. Opening and committing run in the thread pool (a sync dependency), never on
    the event loop. A route that catches a refusal to show it on the page calls
    ``db.rollback()`` first, so that nothing of the refused work is committed.
    """
    with session_scope(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


async def get_read(engine: EngineDep) -> AsyncIterator[Connection]:
    """One connection per request for reads, in autocommit: no BEGIN/COMMIT round trips.

    Each statement reads its own consistent snapshot; the account check and the read endpoints
    use it. Anything that writes uses ``SessionDep`` instead.
    """
    with engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


ReadDep = Annotated[Connection, Depends(get_read)]


def _forget_console(request: Request) -> None:
    """Drop the console login from the cookie session; a portal's login beside it stays."""
    for key in (SESSION_USER, SESSION_ID):
        request.session.pop(key, None)


async def current_actor(request: Request, read: ReadDep) -> Actor:
    """The logged-in account as an Actor. The server-side session and the account are re-read on
    every request: after logout, a password change or reset, or deactivation, an old cookie is out."""
    from zhida.web.accounts import load_actor
    from zhida.web.sessions import token_id

    username, token = request.session.get(SESSION_USER), request.session.get(SESSION_ID)
    if not username or not token:
        _forget_console(request)
        raise NotAuthenticated(portal=request.url.path.startswith("/portal"))
    actor = load_actor(read, username, token_id(token))
    if actor is None:
        _forget_console(request)
        raise NotAuthenticated("登录已失效（已退出、密码已更改或账号已停用），请重新登录",
                               portal=request.url.path.startswith("/portal"))
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def requires(*roles: Role, action: str = "此操作") -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency that lets through only ``roles`` (the administrator always)."""

    async def check(actor: ActorDep) -> Actor:
        actor.require(*roles, action=action)
        return actor

    return check


StaffDep = Annotated[Actor, Depends(requires(*STAFF_ROLES, action="访问管理后台"))]
OperatorDep = Annotated[Actor, Depends(requires(Role.OPERATOR, action="经办操作"))]
ReviewerDep = Annotated[Actor, Depends(requires(Role.REVIEWER, action="审核操作"))]
WorkerDep = Annotated[Actor, Depends(requires(Role.OPERATOR, Role.REVIEWER, action="办理业务"))]
AdminDep = Annotated[Actor, Depends(requires(action="系统管理"))]


async def unit_actor(actor: ActorDep) -> Actor:
    """Only a unit account, bound to its unit (not even the administrator: it has no unit)."""
    if actor.role != Role.UNIT or not actor.uscc:
        raise PermissionDenied("单位门户只供单位账号使用")
    return actor


UnitActorDep = Annotated[Actor, Depends(unit_actor)]


async def own_unit(uscc: str, actor: ActorDep) -> str:
    """The ``{uscc}`` path parameter, if this actor may see that unit."""
    uscc = uscc.strip().upper()
    actor.require_unit(uscc)
    if actor.role == Role.UNIT and actor.uscc is None:  # pragma: no cover - data error
        raise PermissionDenied("单位账号未绑定统一社会信用代码")
    return uscc


OwnUnit = Annotated[str, Depends(own_unit)]


async def today(request: Request) -> dt.date:
    """The working date: the real one, or the one a demo or test set on ``app.state.clock``."""
    return request.app.state.clock()


TodayDep = Annotated[dt.date, Depends(today)]


async def form_data(request: Request) -> FormData:
    """The posted form, read once on the event loop, for a sync route whose fields vary (what-if
    parameters, a job's columns): the route itself then runs in the thread pool."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def form_texts(form: FormData) -> dict[str, str]:
    """The text fields of a posted form (uploads left out)."""
    return {k: v for k, v in form.items() if isinstance(v, str)}


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message shown once on the next page (after a redirect)."""
    request.session["flash"] = [kind, message]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose form field or header does not carry the session's token."""
    if request.method not in UNSAFE:
        return
    expected = request.session.get(SESSION_CSRF)
    sent: str | UploadFile | None = request.headers.get(CSRF_HEADER)
    if not sent and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        sent = form.get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise PermissionDenied("表单已过期或来源不可信（CSRF 校验失败），请刷新页面后重试")
