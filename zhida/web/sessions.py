"""Server-side sessions: the signed cookie carries a random token; the row decides.

Only the token's SHA-256 is stored, so a copy of the table gives no usable cookie. A session
ends when its row goes: logout, a password change or reset, deactivation of the account — a
cookie saved before any of these no longer works, whatever its signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from zhida.db import rowcount, session_scope
from zhida.web.models import WebSession

SESSION_TTL = dt.timedelta(hours=8)


def token_id(token: str) -> str:
    """The stored id of a cookie token.

    >>> len(token_id("abc")), token_id("abc") == token_id("abc")
    (64, True)
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(engine: Engine, username: str) -> str:
    """A new session for ``username``; returns the token for the cookie (valid 8 hours)."""
    token = secrets.token_urlsafe(32)
    now = dt.datetime.now()
    with session_scope(engine) as s:
        s.add(WebSession(id=token_id(token), username=username, created_at=now, expires_at=now + SESSION_TTL))
    return token


def close_session(engine: Engine, token: str | None) -> None:
    """Logout: the session's row is deleted (and with it every expired one)."""
    with session_scope(engine) as s:
        if token:
            s.execute(delete(WebSession).where(WebSession.id == token_id(token)))
        s.execute(delete(WebSession).where(WebSession.expires_at < dt.datetime.now()))


def revoke_all(session: Session, username: str) -> int:
    """End every session of ``username`` (password set or reset, account deactivated); returns how many."""
    return rowcount(session.execute(delete(WebSession).where(WebSession.username == username)))
