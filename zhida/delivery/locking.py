"""Row locks that hold on both databases, and the one conflict error they end in.

PostgreSQL locks with ``SELECT … FOR UPDATE`` (a row) or a transaction advisory lock (a
name). SQLite has neither: there, ``FOR UPDATE`` is silently ignored and the driver runs a
``SELECT`` outside any transaction, so two writers could both read the old state and both
"succeed". On SQLite we therefore take the database's write lock *first*, with a write that
changes nothing, and only then read: a second writer waits (busy timeout) until the first
commits and then reads the new state. Callers still check the state they read
(compare-and-set), and the cycle row carries a version number the ORM checks on every update.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from zhida.errors import Conflict

__all__ = ["Conflict", "lock_row", "locked", "named_lock", "sqlite_write_lock"]


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def sqlite_write_lock(session: Session) -> None:
    """Take SQLite's write lock now (waits for the current writer); no effect on PostgreSQL."""
    if is_sqlite(session):
        session.execute(text("UPDATE delivery_cycles SET version = version WHERE id = -1"))


def named_lock(session: Session, name: str) -> None:
    """Serialise every transaction that takes the lock ``name`` until it ends."""
    if is_sqlite(session):
        sqlite_write_lock(session)
    else:
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def locked(session: Session, stmt):
    """Run ``stmt`` (a select of one entity) holding a row lock; objects are re-read, never stale."""
    sqlite_write_lock(session)
    stmt = stmt if is_sqlite(session) else stmt.with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def lock_row(session: Session, model, *where):
    return locked(session, select(model).where(*where))
