"""Outside tests the schema comes from migrations: they must build exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from zhida.db import Base, import_all_models, make_engine, migrate


def test_migrations_build_the_models_schema(empty_db_url):
    migrate(empty_db_url)
    import_all_models()
    engine = make_engine(empty_db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert {"units", "ui_payments", "credit_entries", "industrial_output", "import_log"} <= tables
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrate_twice_is_harmless(empty_db_url):
    migrate(empty_db_url)
    migrate(empty_db_url)
    engine = make_engine(empty_db_url)
    with engine.connect() as conn:
        assert "units" in inspect(conn).get_table_names()
    engine.dispose()
