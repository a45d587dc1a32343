"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL is required: a test that cannot reach it fails, it is never skipped.
Each PostgreSQL test gets its own schema (``search_path``), dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from zhida.db import Base, import_all_models, make_engine

PG_ADMIN_URL = os.environ.get("ZHIDA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_admin():
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # pragma: no cover - environment failure
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required for the database tests: {exc}")
    return engine


def new_database_url(backend: str, tmp_path: Path) -> tuple[str, callable]:
    """Return (url, cleanup) for an empty database of ``backend``."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'zhida-test.db'}", lambda: None
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def cleanup() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    return f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}", cleanup


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, tmp_path, monkeypatch):
    """URL of a fresh, empty database with every table created; also set as ZHIDA_DATABASE_URL."""
    url, cleanup = new_database_url(backend, tmp_path)
    import_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("ZHIDA_DATABASE_URL", url)
    from zhida.config import get_settings

    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    from zhida.db import engine_for

    with contextlib.suppress(Exception):  # an engine that never connected has nothing to dispose
        engine_for(url).dispose()
    cleanup()


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def empty_db_url(backend, tmp_path, monkeypatch):
    """URL of a fresh database with no tables (for migration tests)."""
    url, cleanup = new_database_url(backend, tmp_path)
    monkeypatch.setenv("ZHIDA_DATABASE_URL", url)
    from zhida.config import get_settings

    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    cleanup()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, one per test process (every package's browser tests share it:
    a second Playwright instance in the same process would fail inside the first one's loop)."""
    from playwright.sync_api import sync_playwright

    from tests.web.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
