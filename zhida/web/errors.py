"""One error shape, built here: domain errors become JSON for /api and a page elsewhere.

Every API error body is ``{"error": {"code": …, "message": …, "details": [...]}}``;
``details`` lists the row errors of a refused input. Nothing escapes as a bare 500:
an unexpected exception is logged and answered in the same shape.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ExceptionHandler

from zhida.errors import (
    CalendarMissing,
    ConfigError,
    NotFound,
    PermissionDenied,
    PolicyError,
    RowError,
    StateError,
    ValidationFailed,
    ZhidaError,
)
from zhida.web.validation import problems

log = logging.getLogger("zhida.web")


class NotAuthenticated(ZhidaError):
    """No logged-in account: pages redirect to the login form, the API answers 401."""

    code = "not_authenticated"

    def __init__(self, message: str = "请先登录", portal: bool = False):
        super().__init__(message)
        self.portal = portal


class ErrorDetail(BaseModel):
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str
    message: str


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    """The only error shape of the API."""

    error: ErrorInfo


STATUS = [
    (NotAuthenticated, 401), (PermissionDenied, 403), (NotFound, 404), (StateError, 409),
    (ValidationFailed, 422), (PolicyError, 422), (CalendarMissing, 409), (ConfigError, 500),
]
HTTP_CODES = {400: "bad_request", 401: "not_authenticated", 403: "permission", 404: "not_found",
              405: "method_not_allowed", 409: "state", 413: "too_large", 422: "validation",
              429: "too_many_requests"}
HTTP_MESSAGES = {404: "页面或资源不存在", 405: "不支持此请求方法", 401: "请先登录", 403: "没有权限"}


def status_of(err: ZhidaError) -> int:
    return next((status for cls, status in STATUS if isinstance(err, cls)), 400)


def detail_of(e: RowError) -> ErrorDetail:
    return ErrorDetail(row=e.row, column=e.column, value=e.value, expected=e.expected, message=e.message())


def error_body(code: str, message: str, details: list[ErrorDetail] | None = None) -> dict:
    """The JSON error body; every API error goes through here."""
    return ErrorBody(error=ErrorInfo(code=code, message=message, details=details or [])).model_dump()


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request, status: int, message: str, details: list[ErrorDetail] | None = None) -> Response:
    from zhida.web.templating import render

    if "session" in request.scope:  # a success message flashed by the request that failed is not shown
        request.session.pop("flash", None)
    return render(request, "error.html", {"status": status, "message": message, "details": details or []},
                  status_code=status)


def respond(request: Request, status: int, code: str, message: str,
            details: list[ErrorDetail] | None = None) -> Response:
    if is_api(request):
        return JSONResponse(error_body(code, message, details), status_code=status)
    return _page(request, status, message, details)


async def on_zhida_error(request: Request, err: ZhidaError) -> Response:
    if isinstance(err, NotAuthenticated) and not is_api(request):
        target = "/portal/login" if err.portal else "/login"
        return RedirectResponse(f"{target}?next={request.url.path}", status_code=303)
    details = [detail_of(e) for e in getattr(err, "errors", [])[:500]]
    return respond(request, status_of(err), err.code, err.message, details)


async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    """A field the route's declaration refuses, in Chinese (``zhida.web.validation``): the field's
    label and what it should be in the message, its place (``query.year``) in ``column``."""
    found = problems(request, exc.errors())
    details = [ErrorDetail(column=p.where, value=p.value, expected=p.expected, message=p.message()) for p in found]
    shown = "；".join(p.message() for p in found[:3]) + ("……" if len(found) > 3 else "")
    return respond(request, 422, "validation", f"请求参数不合法：{shown}" if shown else "请求参数不合法", details)


async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if isinstance(exc.detail, str) and exc.status_code not in HTTP_MESSAGES:
        message = exc.detail
    else:
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
    response = respond(request, exc.status_code, HTTP_CODES.get(exc.status_code, "error"), message)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def on_bad_data(request: Request, exc: DataError) -> Response:
    """A value the database refuses (a NUL character in text, a number out of range) is the caller's error."""
    log.warning("data refused by the database on %s %s: %s", request.method, request.url.path, exc.orig)
    return respond(request, 422, "validation",
                   "请求中含有数据库不接受的值（例如 NUL 控制字符或超出范围的数字），请检查输入后重试")


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return respond(request, 500, "internal", "系统内部错误，已记录，请联系系统管理员")


E = TypeVar("E", bound=Exception)


def _on(app: FastAPI, exc_class: type[E], handler: Callable[[Request, E], Awaitable[Response]]) -> None:
    """Register ``handler`` for ``exc_class``; Starlette calls it only with instances of that class."""
    app.add_exception_handler(exc_class, cast(ExceptionHandler, handler))


def install(app: FastAPI) -> None:
    _on(app, ZhidaError, on_zhida_error)
    _on(app, RequestValidationError, on_validation_error)
    _on(app, StarletteHTTPException, on_http_error)
    _on(app, DataError, on_bad_data)
    _on(app, Exception, on_unexpected)
