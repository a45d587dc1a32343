"""The console's database engine: a pool sized for a web worker, pinging only idle connections.

``zhida.db.make_engine`` pings a connection on every checkout (``pool_pre_ping``) by default:
one extra round trip per request. The console turns that off and instead pings a connection only when it has sat in the
pool for more than ``IDLE_PING`` seconds, which is when a restarted server or a dropped
connection can have gone unnoticed; a connection that breaks while in use is caught by
SQLAlchemy's disconnect handling, which discards the pool.
"""

from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from zhida.config import Settings
from zhida.db import make_engine

# Read endpoints run on the event loop and hold one connection at a time; blocking pages run in
# the thread pool, each holding at most two (the account check and the ORM session).
POOL_SIZE = 5
MAX_OVERFLOW = 15
IDLE_PING = 10.0  # seconds


def web_engine(settings: Settings) -> Engine:
    """The engine of one web worker process."""
    if settings.is_sqlite:
        return make_engine(settings.database_url)
    engine = make_engine(settings.database_url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW,
                         pool_pre_ping=False)
    watch_idle(engine)
    return engine


def watch_idle(engine: Engine, idle: float = IDLE_PING) -> None:
    """Ping a pooled connection on checkout when it has been idle longer than ``idle`` seconds."""

    @event.listens_for(engine, "connect")
    def _fresh(dbapi_conn, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _back(dbapi_conn, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, proxy) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) <= idle:
            return
        try:
            cur = dbapi_conn.cursor()
            cur.execute("SELECT 1")
            cur.close()
            dbapi_conn.rollback()
        except Exception as exc:  # any failure: let the pool replace this connection
            raise DisconnectionError(str(exc)) from exc
