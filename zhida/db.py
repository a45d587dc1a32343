"""Database access: one declarative Base, engines for SQLite or PostgreSQL, migrations.

Outside tests the schema comes from Alembic migrations (``migrate``); each domain package
keeps its own migration branch under ``zhida/migrations/versions`` and ``migrate`` applies
every head.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


@cache
def _limited_texts(mapper: Any) -> tuple[tuple[str, int, str], ...]:
    """(attribute, length, label) of each length-limited text column of a mapped class."""
    from sqlalchemy import String

    out = []
    for attr in mapper.column_attrs:
        col = attr.columns[0]
        if isinstance(col.type, String) and col.type.length:
            out.append((attr.key, col.type.length, col.info.get("label", col.name)))
    return tuple(out)


def _texts_fit(mapper: Any, _connection: Any, target: Any) -> None:
    """Refuse text longer than its column before the database does (PostgreSQL with a bare
    DataError that names no field, SQLite not at all): ``ValidationFailed`` names the column by
    its ``info["label"]`` (else its name), the limit and the length received."""
    from zhida.errors import ValidationFailed

    for key, limit, label in _limited_texts(mapper):
        value = getattr(target, key, None)
        if isinstance(value, str) and len(value) > limit:
            raise ValidationFailed(f"「{label}」最多 {limit} 个字符，收到 {len(value)} 个：请缩短后重试")


event.listen(Base, "before_insert", _texts_fit, propagate=True)
event.listen(Base, "before_update", _texts_fit, propagate=True)


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain PostgreSQL URLs.

    >>> normalise_url("postgresql://postgres@127.0.0.1:5432/test")
    'postgresql+psycopg://postgres@127.0.0.1:5432/test'
    >>> normalise_url("sqlite:///./zhida.db")
    'sqlite:///./zhida.db'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, **kw) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kw)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kw.setdefault("pool_pre_ping", True)
    return create_engine(url, **kw)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    """The engine of the configured database, its schema checked once per process.

    A never-migrated embedded SQLite database is migrated here (first use by any command);
    anything else that is not at the latest migration raises ``ConfigError`` (see ``ensure_schema``).
    """
    from zhida.config import get_settings

    url = get_settings().database_url
    engine = engine_for(url)
    if url not in _CHECKED:
        ensure_schema(engine, url, auto_migrate=True, check_version=False)
        _CHECKED.add(url)
    return engine


UNINITIALISED = "数据库尚未初始化，请运行 zhida db upgrade"
OUTDATED = "数据库结构不是最新版本，请运行 zhida db upgrade"
_CHECKED: set[str] = set()


def schema_state(engine: Engine, url: str, check_version: bool = True) -> str:
    """``current``, ``empty`` (no table at all), ``outdated`` (behind the migration heads) or
    ``unversioned`` (tables made without migrations, as the test fixtures do).

    Without ``check_version`` a migrated database counts as ``current`` (no Alembic load: the
    commands' start-up stays fast; ``zhida serve`` checks the version).
    """
    from sqlalchemy import inspect, text

    tables = set(inspect(engine).get_table_names())
    if "alembic_version" not in tables:
        return "empty" if not tables else "unversioned"
    with engine.connect() as conn:
        current = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    if not current:
        return "empty"
    if not check_version:
        return "current"
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    return "current" if heads <= current else "outdated"


def ensure_schema(engine: Engine, url: str, auto_migrate: bool, check_version: bool = True) -> None:
    """Make sure the database is usable. Only an empty SQLite database is migrated, and only
    with ``auto_migrate``; PostgreSQL is never migrated implicitly.

    Raises ``ConfigError`` with 数据库尚未初始化… or 数据库结构不是最新… otherwise.
    """
    from zhida.errors import ConfigError

    sqlite = engine.dialect.name == "sqlite"
    with _migration_lock(engine if sqlite and auto_migrate else None):
        state = schema_state(engine, url, check_version)
        if state in ("current", "unversioned"):
            return
        if state == "empty" and auto_migrate and sqlite:
            migrate(url)
            return
    raise ConfigError(UNINITIALISED if state == "empty" else OUTDATED)


@contextmanager
def _migration_lock(engine: Engine | None) -> Iterator[None]:
    """One process at a time checks and migrates an SQLite file (commands started together)."""
    path = engine.url.database if engine is not None else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any exception."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def driver_connection(session: Session) -> Any:
    """The DB-API connection under the session's transaction (psycopg's, for ``COPY``).

    Raises ``RuntimeError`` when the session has no live connection (never the case inside a
    transaction the session has begun).
    """
    raw = session.connection().connection.driver_connection
    if raw is None:
        raise RuntimeError("the session has no driver connection")
    return raw


def rowcount(result: object) -> int:
    """Rows an UPDATE or DELETE matched (``CursorResult.rowcount``), typed for any result."""
    return int(getattr(result, "rowcount", 0))


def now() -> dt.datetime:
    """Local wall-clock time without zone, as every timestamp of zhida is stored."""
    return dt.datetime.now()


def import_all_models() -> None:
    """Import every package's models so ``Base.metadata`` knows every table."""
    import importlib
    import pkgutil

    import zhida

    for mod in pkgutil.walk_packages(zhida.__path__, "zhida."):
        if mod.name.endswith(".models"):
            importlib.import_module(mod.name)


def alembic_config(url: str):
    from alembic.config import Config

    here = Path(__file__).parent / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(here))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def migrate(url: str | None = None) -> None:
    """Bring the database at ``url`` (default: settings) to every migration head."""
    from alembic import command

    from zhida.config import get_settings

    command.upgrade(alembic_config(url or get_settings().database_url), "heads")
