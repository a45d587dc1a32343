"""重点项目: the ledger page and the monthly bulletin over a large ledger on PostgreSQL.

Builds a throw-away PostgreSQL schema with N projects (default 10,000) × M monthly snapshots
(default 36: 2023-11 … 2026-10) written by COPY, 11 task forces and 8 townships, then times:

  * the month's figures (``month_progress``: per project, category, township, task force, slow
    list) and the rendered bulletin text for 2026-10, counting the SQL statements they issue;
  * the ledger page (``GET /projects?month=2026-10``, page 1 and page 100, and the JSON API)
    through the real app, logged in as an operator.

Each timing is the median and the worst of ``--repeat`` runs after one warm-up, with the CPU
time this process spent (the client's and the app's share; PostgreSQL's share of the month's
statement is printed from EXPLAIN ANALYZE), since a shared machine's wall clock includes waiting.
Target: ≤ 1 s.

    .venv/bin/python bench/projects_bench.py [--projects 10000] [--months 36] [--repeat 5] [--smoke]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, event, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("ZHIDA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOWNS = ["蒋官屯街道", "顾官屯镇", "许营镇", "朱老庄镇", "北城街道", "化工产业园", "新能源产业园", "东城街道"]
CATS = ["续建", "新开工", "竣工", "前期"]
LAST = dt.date(2026, 10, 1)


def months(n: int) -> list[dt.date]:
    out, m = [], LAST
    for _ in range(n):
        out.append(m)
        m = (m - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def copy(conn, table: str, cols: list[str], rows) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({", ".join(cols)}) FROM STDIN') as cp:
        for r in rows:
            cp.write_row(r)


def build(url: str, projects: int, n_months: int) -> None:
    from zhida.db import Base, import_all_models, make_engine

    import_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    rng = random.Random(16)
    with engine.begin() as conn:
        copy(conn, "project_task_forces", ["name"], [(f"专班{i:02d}",) for i in range(1, 12)])
        rows, plans = [], []
        for i in range(1, projects + 1):
            total = rng.randint(5_000, 200_000) * 1_000_000
            plan = total // rng.choice([3, 4, 5])
            plans.append((total, plan))
            rows.append((i, f"P{i:06d}", f"项目{i}", rng.choice(CATS), "区重点", "一般", "在建", 2026, total, plan,
                         rng.choice(TOWNS), f"专班{(i % 11) + 1:02d}", f"leader{i % 40}"))
        copy(conn, "projects", ["id", "code", "name", "category", "level", "ptype", "status", "plan_year", "total_fen",
                                "year_plan_fen", "township", "task_force", "leader_user"], rows)
        conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT max(id) FROM projects))")

        def reports():
            for i, (total, plan) in enumerate(plans, 1):
                pace = rng.uniform(0.5, 1.2)
                for m in months(n_months):
                    year_done = int(plan * pace * m.month / 12)
                    yield (i, f"P{i:06d}", m, year_done, min(total, year_done * 2), 50, "施工", m + dt.timedelta(days=35),
                           "bench", False, 1)
        copy(conn, "project_reports", ["project_id", "project_code", "month", "year_done_fen", "total_done_fen",
                                       "progress_pct", "progress_text", "reported_on", "reported_by", "late", "revision"],
             reports())
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def timed(fn, repeat: int) -> tuple[float, float, float]:
    """(median wall s, worst wall s, median CPU s of this process) after one warm-up."""
    fn()
    runs, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(runs), max(runs), statistics.median(cpu)


def server_ms(session, stmt) -> float:
    """PostgreSQL's own execution time of ``stmt`` (EXPLAIN ANALYZE), in ms."""
    sql = str(stmt.compile(session.bind, compile_kwargs={"literal_binds": True}))
    plan = session.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)).scalar()
    return plan[0]["Execution Time"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=10_000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="a tiny run (200 projects × 6 months) to check the script")
    args = ap.parse_args()
    if args.smoke:
        args.projects, args.months, args.repeat = 200, 6, 1
    schema = "bench_projects_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG}?options=-csearch_path%3D{schema}"
    try:
        t = time.perf_counter()
        build(url, args.projects, args.months)
        built = time.perf_counter() - t
        run(url, args, built)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(url: str, args, built: float) -> None:
    from fastapi.testclient import TestClient

    from zhida.config import Settings
    from zhida.db import make_engine, session_scope
    from zhida.projects.bulletin import monthly_bulletin
    from zhida.projects.models import Project
    from zhida.projects.progress import month_progress
    from zhida.roles import Actor, Role
    from zhida.web.accounts import AccountCreate, create_account
    from zhida.web.app import create_app

    engine = make_engine(url)
    op = Actor("bench", Role.OPERATOR)
    statements: list[str] = []

    def count(*a) -> None:
        statements.append(a[2])

    event.listen(engine, "before_cursor_execute", count)
    with session_scope(engine) as s:
        statements.clear()
        mp = month_progress(s, op, LAST)
        figure_statements = len(statements)
        fig = timed(lambda: month_progress(s, op, LAST), args.repeat)
        from zhida.projects.progress import month_statement

        sql_ms = statistics.median(server_ms(s, month_statement(LAST, op, Project.id)) for _ in range(args.repeat))
        bul = timed(lambda: monthly_bulletin(s, op, LAST, dt.date(2026, 11, 10)), args.repeat)
        create_account(s, AccountCreate("bench", "bench-password-1", Role.OPERATOR))
    event.remove(engine, "before_cursor_execute", count)
    import tempfile

    app = create_app(Settings(database_url=url, environment="test", secret_key="x" * 32,
                              data_dir=Path(tempfile.mkdtemp(prefix="projects-bench-"))), engine)
    app.state.clock = lambda: dt.date(2026, 11, 10)
    with TestClient(app) as client:
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"username": "bench", "password": "bench-password-1", "csrf_token": token})
        pages = [(path, timed(lambda p=path: client.get(p).raise_for_status(), args.repeat))
                 for path in ("/projects?month=2026-10", "/projects?month=2026-10&page=100",
                              "/api/v1/projects?month=2026-10&page=100", "/projects/bulletin?month=2026-10")]
    engine.dispose()
    n = args.projects * args.months
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"ledger: {args.projects:,} projects × {args.months} monthly snapshots = {n:,} reports (built in {built:.1f} s)")
    print(f"month figures for 2026-10: {figure_statements} SQL statement(s); total {mp.total.rate.completion_pct}% "
          f"of plan, {len(mp.slow):,} slow projects")
    print(f"the month's statement inside PostgreSQL (EXPLAIN ANALYZE): {sql_ms / 1000:.3f} s")
    print("| what | median s | worst s | CPU s |")
    print("|---|---:|---:|---:|")
    rows = [("month figures (month_progress)", fig), ("bulletin text (figures + issues + render)", bul),
            *((f"GET {path}", t) for path, t in pages)]
    for what, (med, worst, cpu) in rows:
        print(f"| {what} | {med:.3f} | {worst:.3f} | {cpu:.3f} |")


if __name__ == "__main__":
    main()
