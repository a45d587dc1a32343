"""A database that was never migrated: SQLite is migrated on first use by any command; PostgreSQL
and ``zhida serve`` refuse with 数据库尚未初始化，请运行 zhida db upgrade; interrupted tasks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, text

from zhida.db import OUTDATED, UNINITIALISED, make_engine, migrate
from zhida.roles import SYSTEM
from zhida.web.models import WebTask

CASE = Path(__file__).parent / "imports" / "data" / "fieldcases" / "c08_hidden_first_sheet.xlsx"


def zhida(url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZHIDA_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "zhida", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=cwd)


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_first_command_migrates_sqlite_but_never_postgresql(empty_db_url, backend):
    done = zhida(empty_db_url, "import", "enterprises", str(CASE), "--dry-run")
    assert "Traceback" not in done.stderr
    if backend == "sqlite":
        assert done.returncode == 0, done.stderr
        assert {"units", "alembic_version"} <= tables(empty_db_url)
    else:
        assert done.returncode == 1 and UNINITIALISED in done.stderr
        assert tables(empty_db_url) == set()  # nothing created implicitly


def test_serve_refuses_an_uninitialised_or_outdated_database(empty_db_url):
    done = zhida(empty_db_url, "serve", "--port", "1")
    assert done.returncode == 1 and UNINITIALISED in done.stderr and "Traceback" not in done.stderr
    assert tables(empty_db_url) == set()
    migrate(empty_db_url)
    engine = make_engine(empty_db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older' WHERE version_num = "
                          "(SELECT MIN(version_num) FROM alembic_version)"))
    engine.dispose()
    done = zhida(empty_db_url, "serve", "--port", "1")
    assert done.returncode == 1 and OUTDATED in done.stderr


def test_interrupted_tasks_fail_with_a_reason_and_their_uploads_go(engine, tmp_path):
    from zhida.db import session_scope
    from zhida.web.tasks import DONE, FAILED, INTERRUPTED, RUNNING, recover_interrupted

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "abc.csv").write_text("x")
    with session_scope(engine) as s:
        s.add(WebTask(id="a" * 32, kind="import", title="导入", owner=SYSTEM.username, status=RUNNING, done=0, total=0))
        s.add(WebTask(id="b" * 32, kind="import", title="导入", owner=SYSTEM.username, status=DONE, done=1, total=1,
                      message="导入成功"))
    assert recover_interrupted(engine, uploads) == 1
    with session_scope(engine) as s:
        stale, done = s.get(WebTask, "a" * 32), s.get(WebTask, "b" * 32)
        assert (stale.status, stale.message) == (FAILED, INTERRUPTED) and stale.finished_at is not None
        assert (done.status, done.message) == (DONE, "导入成功")
    assert list(uploads.iterdir()) == []


def test_commands_started_together_on_a_new_sqlite_file_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    env = {**os.environ, "ZHIDA_DATABASE_URL": url}
    procs = [subprocess.Popen([sys.executable, "-m", "zhida", "import", "enterprises", str(CASE), "--dry-run"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(3)]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert [rc for rc, _ in outcomes] == [0, 0, 0], outcomes
    assert {"units", "alembic_version"} <= tables(url)
