"""Helpers every package's commands share: who acts, dates, a session, printing text or JSON.

Every package registers its commands through ``register(app)`` in its ``cli`` module and
uses these options so that ``--actor``, ``--role``, ``--format`` and dates read the same
everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import typer

from zhida.errors import ValidationFailed
from zhida.roles import Actor, Role, role_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ActorOpt = typer.Option("system", "--actor", help="办理人用户名")
RoleOpt = typer.Option(
    "admin", "--role", help="办理人角色：经办、审核、领导、系统管理员（也可写 operator、reviewer、leader、admin）"
)
FormatOpt = typer.Option("text", "--format", help="输出格式：text 或 json")


def actor_of(name: str, role: str) -> Actor:
    try:
        return Actor(name, role_of(role))
    except ValueError:
        allowed = "、".join(r.value for r in Role)
        raise ValidationFailed(f"角色 {role!r} 不存在：应为 {allowed}") from None


def to_jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    return value


def emit(value: Any, fmt: str, text: str | None = None) -> None:
    """Print ``value`` as JSON, or ``text`` (default: its ``summary()``)."""
    if fmt == "json":
        typer.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, default=str))
    elif fmt == "text":
        typer.echo(text if text is not None else value.summary())
    else:
        raise ValidationFailed(f"输出格式 {fmt!r} 不支持：应为 text 或 json")


def parse_date(value: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` → date; empty → None; else ``ValidationFailed`` in Chinese.

    >>> parse_date("2026-02-12")
    datetime.date(2026, 2, 12)
    """
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"日期 {value!r} 格式不对：应为 YYYY-MM-DD") from None


def required_date(value: str | None) -> dt.date:
    """Like ``parse_date``, but an empty value is refused (``ValidationFailed`` in Chinese)."""
    day = parse_date(value)
    if day is None:
        raise ValidationFailed("日期不能为空：应为 YYYY-MM-DD")
    return day


def db_session() -> AbstractContextManager[Session]:
    """A session on the configured database, committed at the end (``session_scope``)."""
    from zhida.db import get_engine, session_scope

    return session_scope(get_engine())
