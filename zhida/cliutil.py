"""Helpers every package's commands share: who acts, dates, a session, printing text or JSON.

Every package writes its commands as top-level functions in its ``cli`` module and registers
them in ``register(app)`` from a table of (name, function) (``command_group`` builds the group). They use
these options so that ``--actor``, ``--role``, ``--format`` and dates read the same everywhere:
``--format text|json`` printed by ``emit``, dates ``YYYY-MM-DD`` read by ``parse_date``.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console, ConsoleRenderable

from zhida.errors import ValidationFailed
from zhida.roles import Actor, Role, role_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ActorOpt = typer.Option("system", "--actor", help="办理人用户名")
RoleOpt = typer.Option(
    "admin", "--role", help="办理人角色：经办、审核、领导、系统管理员（也可写 operator、reviewer、leader、admin）"
)
# ``table`` is how the older commands spelled ``text``: both print the text form
OUTPUT_FORMATS = {"text": "text", "table": "text", "json": "json"}


def output_format(param: typer.CallbackParam, value: str) -> str:
    """The ``--format`` callback: ``text`` (or its older spelling ``table``) → ``"text"``, ``json`` → ``"json"``.

    Any other value is a usage mistake refused before the command runs (``typer.BadParameter``,
    exit code 2), naming the spelling the command shows as its default.
    """
    try:
        return OUTPUT_FORMATS[value]
    except KeyError:
        raise typer.BadParameter(f"「{value}」不对：输出格式应为 {param.default} 或 json") from None


FormatOpt = typer.Option("text", "--format", callback=output_format, help="输出格式：text 或 json")
# the same option for the commands that print a table and have always called their text form ``table``
TableFormatOpt = typer.Option("table", "--format", callback=output_format, help="输出格式：table 或 json")
# the day an act is done on (None: today, as the service decides); ``--today`` and ``--on`` are the
# spellings of the key-projects and loans commands, accepted by every command taking this option
DateOpt = typer.Option(None, "--date", "--today", "--on", help="办理日期 YYYY-MM-DD（默认今天）")

Command = Callable[..., Any]


def command_group(help_text: str, commands: Iterable[tuple[str, Command]], **settings: Any) -> typer.Typer:
    """A command group (``zhida <group> …``) with each top-level function of ``commands``
    registered under its name, in the order ``--help`` lists them.

    ``settings`` go to ``typer.Typer`` (default ``no_args_is_help=True``: the group alone
    prints its help). The caller adds it with ``app.add_typer(group, name=...)``.
    """
    group = typer.Typer(help=help_text, **{"no_args_is_help": True, **settings})
    for name, function in commands:
        group.command(name)(function)
    return group


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


def emit(value: Any, fmt: str, text: str | ConsoleRenderable | None = None) -> None:
    """Print ``value`` on stdout in the format ``fmt`` (a value of ``OUTPUT_FORMATS``' keys).

    ``json``: ``value`` as indented JSON (models, dataclasses and lists of them converted,
    dates as text, Chinese unescaped). ``text``/``table``: ``text`` — a string, or a Rich
    renderable such as a ``Table`` — or by default ``value.summary()``. Another format raises
    ``ValidationFailed``.
    """
    kind = OUTPUT_FORMATS.get(fmt)
    if kind is None:
        raise ValidationFailed(f"输出格式「{fmt}」不支持：应为 text 或 json")
    if kind == "json":
        typer.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, default=str))
    elif text is None:
        typer.echo(value.summary())
    elif isinstance(text, str):
        typer.echo(text)
    else:
        Console().print(text)


def parse_date(value: str | None, label: str | None = None) -> dt.date | None:
    """``YYYY-MM-DD`` → date; empty → None; else ``ValidationFailed`` in Chinese.

    ``label`` names the field in the message (a form's 「毕业日期」); a date written right
    that is not in the calendar (2026-02-29, month 13) is said not to exist rather than to be
    mistyped.

    >>> parse_date("2026-02-12")
    datetime.date(2026, 2, 12)
    >>> for text, label in (("2026-02-29", None), ("2024/06/30", None), ("2026-02-29", "毕业日期"), ("2024/13/01", "毕业日期")):
    ...     try:
    ...         parse_date(text, label)
    ...     except ValidationFailed as err:
    ...         print(err.message)
    日期「2026-02-29」不存在：2026 年 2 月只有 28 天
    日期「2024/06/30」格式不对：应为 YYYY-MM-DD
    「毕业日期」日期不存在：收到「2026-02-29」，2026 年 2 月只有 28 天
    「毕业日期」应为日期（如 2024-06-30），收到「2024/13/01」
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    missing = _missing_day(value)
    if missing is None:
        if label:
            raise ValidationFailed(f"「{label}」应为日期（如 2024-06-30），收到「{value}」")
        raise ValidationFailed(f"日期「{value}」格式不对：应为 YYYY-MM-DD")
    if label:
        raise ValidationFailed(f"「{label}」日期不存在：收到「{value}」，{missing}")
    raise ValidationFailed(f"日期「{value}」不存在：{missing}")


def _missing_day(value: str) -> str | None:
    """Why a ``YYYY-MM-DD`` text is no day of the calendar; None when it is not of that form."""
    found = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value, re.ASCII)
    if found is None:
        return None
    year, month, day = (int(g) for g in found.groups())
    if year < dt.MINYEAR:
        return f"年份应为 {dt.MINYEAR:04d}～{dt.MAXYEAR}"
    if not 1 <= month <= 12:
        return "月份应为 01～12"
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return f"{year} 年 {month} 月只有 {days} 天"
    return f"日应为 01～{days}" if day < 1 else None


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
