"""Concurrent changes end in a Chinese 409, never a 500.

The services lock and compare-and-set (``zhida.delivery.locking``); what can still surface from
the database when two requests race — the ORM's version check on a cycle, SQLite's busy
timeout, PostgreSQL's serialisation failure or deadlock, a unique key taken a moment earlier —
is the same situation for the user: someone else changed it first.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from zhida.errors import DB_RACE_HINTS
from zhida.web.errors import respond

log = logging.getLogger("zhida.web")
MESSAGE = "数据刚被他人修改，本次操作未执行，请刷新页面后再试"
RACE_HINTS = DB_RACE_HINTS


def _conflict(request: Request, exc: Exception) -> Response:
    log.info("conflict on %s %s: %s", request.method, request.url.path, exc)
    return respond(request, 409, "conflict", MESSAGE)


async def on_stale(request: Request, exc: Exception) -> Response:
    return _conflict(request, exc)


async def on_integrity(request: Request, exc: Exception) -> Response:
    return _conflict(request, exc)


async def on_operational(request: Request, exc: Exception) -> Response:
    text = str(getattr(exc, "orig", exc)).lower()
    if any(h in text for h in RACE_HINTS):
        return _conflict(request, exc)
    log.exception("database error on %s %s", request.method, request.url.path)
    return respond(request, 503, "database", "数据库暂时不可用，请稍后重试")


def install(app: FastAPI) -> None:
    app.add_exception_handler(StaleDataError, on_stale)
    app.add_exception_handler(IntegrityError, on_integrity)
    app.add_exception_handler(OperationalError, on_operational)
