"""Tables of the web console: accounts, sessions, login throttling, one-time portal codes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base


class Account(Base):
    """A person who logs in: bureau staff (by user name) or a unit (by its USCC)."""

    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=dt.datetime.now)


class LoginAttempt(Base):
    """Failed logins counted per key (``ip:…`` or ``user:…``) in a fixed time window."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime)
    count: Mapped[int] = mapped_column(Integer, default=0)


class LoginCode(Base):
    """A one-time code for a unit account, sent through the outbox: a login code, or the activation
    a staff password reset issues (``purpose``). Only its keyed hash is stored; one valid per purpose."""

    __tablename__ = "login_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(String(10), default="login", server_default="login")


class WebSession(Base):
    """A server-side login session; the cookie holds only its random id (stored here hashed).

    Deleting the row ends the session at once: logout, a password change or reset, deactivation.
    """

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's token
    username: Mapped[str] = mapped_column(String(60), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=dt.datetime.now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class WebTask(Base):
    """A long operation started from the console (an import, a policy run) and its progress.

    Kept in the database so that any worker process can answer the progress poll.
    status: 排队 → 进行中 → 完成 | 失败.
    """

    __tablename__ = "web_tasks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(6), default="排队")
    step: Mapped[str | None] = mapped_column(String(100))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=dt.datetime.now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
