"""Loans programme benchmark: subsidy plans stored, eligibility evaluated, loans pages under load.

1. **Subsidy**: N loans (interest-quarterly, 36 months = 12 quarters) read from the database,
   every period's interest, borrower share and subsidy computed and stored (``zhida.loans.plans``)
   in one transaction — on PostgreSQL (COPY) and SQLite. Target: 100,000 loans ≤ 10 s.
2. **Eligibility**: N applications judged by the policy ``loans-eligibility`` on the rules
   engine, the whole path from PostgreSQL (applications, borrowers, credit checks, earlier
   loans, LPR read by ``zhida.loans.rule_inputs``) to decisions with reasons.
   Target: 100,000 ≤ 2 s. The engine alone on ready frames is timed too.
3. **Pages** (PostgreSQL, ``zhida serve --workers 2``, the load generator of ``web_bench.py``):
   GET /api/v1/loans/loans?page=N, GET /api/v1/loans/loans/{number}, GET /loans/book?page=N, and
   the console's GET /api/v1/me as a reference (the login check alone). Target: ≥ 500
   requests/s, p99 ≤ 100 ms. The server's CPU per request (both workers, not PostgreSQL's) is
   printed too: unlike the rates, it hardly depends on what else the machine is running.

    .venv/bin/python bench/loans_bench.py [--loans 100000] [--seconds 15] [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import io
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import polars as pl
from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("ZHIDA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def web_bench():
    spec = importlib.util.spec_from_file_location("web_bench", ROOT / "bench" / "web_bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def copy_rows(engine, table: str, frame: pl.DataFrame) -> None:
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            from zhida.db import Base

            conn.execute(insert(Base.metadata.tables[table]), frame.to_dicts())
        return
    buf = io.BytesIO()
    frame.write_csv(buf, include_header=False)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN WITH (FORMAT csv)') as copy:
            copy.write(buf.getvalue())


def build(url: str, n: int) -> None:
    """Banks, n applicants, applications and loans (not timed)."""
    from zhida.db import Base, import_all_models, make_engine
    from zhida.identifiers import make_id_number
    from zhida.loans.models import LoanBank
    from zhida.loans.retirement import birth_of, sex_of

    import_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    rnd = random.Random(42)
    with engine.begin() as conn:
        conn.execute(insert(LoanBank), [{"code": c, "name": f"银行{c}", "account_no": "6228480011112222"}
                                        for c in ("NSYH", "YCYH", "JSYH")])
    births = [dt.date(1970, 1, 1) + dt.timedelta(days=i % 10_000) for i in range(n)]
    ids = [make_id_number(f"371523{b:%Y%m%d}{i // 10_000:03d}") for i, b in enumerate(births)]
    copy_rows(engine, "loan_applicants", pl.DataFrame({
        "id": range(1, n + 1), "kind": ["个人"] * n, "name": [f"借款人{i:06d}" for i in range(n)],
        "id_number": ids, "birth_date": [birth_of(x) for x in ids], "sex": [sex_of(x) for x in ids],
        "target_group": [rnd.choice(["退役军人", "高校毕业生", "返乡创业农民工"]) for _ in range(n)],
        "created_at": [dt.datetime(2026, 1, 1)] * n}))
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 700)) for _ in range(n)]
    banks = [("NSYH", "YCYH", "JSYH")[i % 3] for i in range(n)]
    copy_rows(engine, "loan_applications", pl.DataFrame({
        "id": range(1, n + 1), "number": [f"CD{s.year}-{i:06d}" for i, s in enumerate(starts)],
        "kind": ["个人"] * n, "applicant_id": range(1, n + 1), "bank_code": banks,
        "amount_fen": [rnd.choice([10_000_000, 20_000_000, 30_000_000]) for _ in range(n)], "months": [36] * n,
        "rate": [rnd.choice([3_850_000, 3_950_000, 4_000_000]) for _ in range(n)], "repayment": ["interest-quarterly"] * n,
        "project": ["项目"] * n, "jobs_created": [3] * n, "region": ["茌平区"] * n, "channel": ["窗口"] * n,
        "submitted_on": starts, "state": ["已放款"] * n, "state_since": starts, "created_by": ["bench"] * n,
        "created_at": [dt.datetime(2026, 1, 1)] * n}))
    from zhida.loans.models import Application as A

    with engine.connect() as conn:
        apps = pl.DataFrame(conn.execute(select(A.id, A.number, A.amount_fen, A.rate, A.submitted_on, A.bank_code)
                                         .order_by(A.id)).all(), orient="row",
                            schema=["id", "number", "amount_fen", "rate", "submitted_on", "bank_code"])
    from zhida.loans.schedule import add_months

    copy_rows(engine, "loans", pl.DataFrame({
        "id": apps["id"], "number": [f"DK{x[2:]}" for x in apps["number"]], "application_id": apps["id"],
        "applicant_id": apps["id"], "bank_code": apps["bank_code"], "principal_fen": apps["amount_fen"],
        "rate": apps["rate"], "lpr": [3_000_000] * n, "start": apps["submitted_on"],
        "maturity": [add_months(d, 36) for d in apps["submitted_on"]], "months": [36] * n,
        "repayment": ["interest-quarterly"] * n, "formula": ["lpr-150bp"] * n, "day_count": ["act/360"] * n,
        "region": ["茌平区"] * n, "township": [rnd.choice(["振兴街道", "博平镇", "乐平铺镇"]) for _ in range(n)],
        "jobs_created": [3] * n, "state": ["还款中"] * n}))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def time_subsidy(url: str) -> tuple[float, int]:
    from zhida.db import make_engine, session_scope
    from zhida.loans import plans
    from zhida.loans.models import Loan

    engine = make_engine(url)
    t0 = time.perf_counter()
    with session_scope(engine) as s:
        cols = [Loan.id, Loan.principal_fen, Loan.rate, Loan.lpr, Loan.start, Loan.months, Loan.repayment, Loan.formula,
                Loan.day_count]
        loans = pl.DataFrame(s.execute(select(*cols)).all(), orient="row", schema=list(plans.LOANS))
        rows = plans.store(s, plans.plans(loans))
    took = time.perf_counter() - t0
    engine.dispose()
    return took, rows


def eligibility_frames(n: int):
    from zhida.rules.entities import SCHEMAS

    rnd = random.Random(9)
    base = pl.DataFrame({
        "number": [f"CD2026-{i:06d}" for i in range(n)], "name": [f"借款人{i}" for i in range(n)],
        "kind": [rnd.choice(["个人"] * 18 + ["合伙", "小微企业"]) for _ in range(n)],
        "amount": [rnd.choice([10_000_000, 30_000_000, 30_000_001]) for _ in range(n)],
        "months": [rnd.choice([24, 36, 37]) for _ in range(n)], "rate": [rnd.choice([3_850_000, 4_000_001]) for _ in range(n)],
        "lpr": [3_000_000] * n, "partners": [rnd.choice([1, 2]) for _ in range(n)],
        "age": [rnd.randint(15, 60) for _ in range(n)], "retire_margin_days": [rnd.randint(-400, 9000) for _ in range(n)],
        "graduate_years": [rnd.choice([None, None, 3, 5]) for _ in range(n)],
        "staff": [rnd.randint(1, 300) for _ in range(n)], "new_hires": [rnd.randint(0, 30) for _ in range(n)],
        "loans_before": [rnd.randint(0, 3) for _ in range(n)], "other_loans": [rnd.choice([0, 0, 0, 100]) for _ in range(n)],
        "consumer": [rnd.randint(0, 6_000_000) for _ in range(n)], "bad_record": [rnd.random() < 0.02 for _ in range(n)],
    }, schema=dict(SCHEMAS["loan_applications"]))
    people = pl.DataFrame({"number": base["number"], "seq": [0] * n,
                           "target_group": [rnd.choice(["退役军人", "高校毕业生", "个体户"]) for _ in range(n)]},
                          schema=dict(SCHEMAS["loan_people"]))
    return base, people


def time_eligibility(n: int) -> tuple[float, dict]:
    from zhida.loans.eligibility import POLICY_ID
    from zhida.rules.evaluate import evaluate, resolve_parameters, summary_counts
    from zhida.rules.inputs import Sources, input_frame
    from zhida.rules.period import Period
    from zhida.rules.service import get_policy

    policy = get_policy(POLICY_ID)
    period = Period("quarter", 2026, 1)
    base, people = eligibility_frames(n)
    evaluate(policy, input_frame(policy, period, period.start, Sources({"loan_applications": base[:100],
                                                                         "loan_people": people[:100]})),
             period, resolve_parameters(policy, period.start))  # compile once, as a running server has
    t0 = time.perf_counter()
    params = resolve_parameters(policy, period.start)
    frame = input_frame(policy, period, period.start, Sources({"loan_applications": base, "loan_people": people}))
    ev = evaluate(policy, frame, period, params)
    took = time.perf_counter() - t0
    return took, summary_counts(ev.frame)


def prepare_eligibility(url: str) -> int:
    """Every application of the built data submitted in 2026Q1, 9 in 10 borrowers with a credit
    check, the LPR table (not timed); returns the number of applications."""
    with create_engine(url).begin() as conn:
        conn.execute(text("UPDATE loan_applications SET submitted_on = DATE '2026-01-05' + CAST(id % 80 AS integer)"))
        conn.execute(text("INSERT INTO loan_credit_checks (id_number, checked_on, other_loans_fen, consumer_fen, "
                          "bad_record) SELECT id_number, DATE '2025-12-01', 0, (id % 7) * 1000000, id % 50 = 0 "
                          "FROM loan_applicants WHERE id % 10 <> 0"))
        conn.execute(text("INSERT INTO loan_lpr (day, one_year, five_year) VALUES "
                          "('2025-05-20', 3000000, 3500000), ('2025-12-22', 3000000, 3500000)"))
        n = conn.scalar(text("SELECT count(*) FROM loan_applications"))
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return int(n)


def time_whole_eligibility(url: str) -> tuple[float, dict, int]:
    """DB → decisions: the policy's sources read from the database (``zhida.loans.rule_inputs``)
    and evaluated for 2026Q1 — the path of ``zhida policy run loans-eligibility 2026-Q1``."""
    from zhida.db import make_engine, session_scope
    from zhida.loans.eligibility import POLICY_ID
    from zhida.rules.evaluate import summary_counts
    from zhida.rules.period import Period
    from zhida.rules.service import evaluate_db, get_policy

    engine = make_engine(url)
    policy, period = get_policy(POLICY_ID), Period("quarter", 2026, 1)
    with session_scope(engine) as s:  # compile the policy once, as a running server has
        evaluate_db(s, policy, period, dt.date(2026, 4, 1), uscc=s.scalar(text("SELECT min(number) FROM loan_applications")))
    t0 = time.perf_counter()
    with session_scope(engine) as s:
        ev, _, _ = evaluate_db(s, policy, period, dt.date(2026, 4, 1))
    took = time.perf_counter() - t0
    engine.dispose()
    return took, summary_counts(ev.frame), ev.frame.height


def pages(url: str, n: int, seconds: float, conns: int) -> None:
    wb = web_bench()
    from zhida.db import make_engine, session_scope
    from zhida.roles import Role
    from zhida.web.accounts import AccountCreate, create_account

    engine = make_engine(url)
    with session_scope(engine) as s:
        create_account(s, AccountCreate("bench", "bench-password", Role.LEADER))
    with engine.connect() as conn:
        numbers = [r[0] for r in conn.execute(text("SELECT number FROM loans"))]
    engine.dispose()
    port = wb.free_port()
    data_dir = tempfile.mkdtemp(prefix="zhida-loans-bench-")  # the server's own data folder (secrets, files)
    proc = wb.start_server(url, port, 2, data_dir)
    try:
        cookie = wb.login(f"http://127.0.0.1:{port}")
        rng, last = random.Random(7), max(1, n // 50)
        endpoints = [("GET /api/v1/loans/loans?page=N", lambda: f"/api/v1/loans/loans?page={rng.randint(1, last)}"),
                     ("GET /api/v1/loans/loans/{number}", lambda: f"/api/v1/loans/loans/{rng.choice(numbers)}"),
                     ("GET /loans/book?page=N (HTML)", lambda: f"/loans/book?page={rng.randint(1, last)}"),
                     ("GET /api/v1/me (reference: login check only)", lambda: "/api/v1/me")]
        print("\n| endpoint | connections | requests | errors | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req "
              "| load avg |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, paths in endpoints:
            asyncio.run(wb.drive(port, cookie, paths, 2, conns))
            for c, secs in ((conns, seconds), (1, max(2.0, seconds / 3))):
                load, cpu = os.getloadavg()[0], wb.cpu_seconds(proc.pid)
                lat, errors, took = asyncio.run(wb.drive(port, cookie, paths, secs, c))
                cpu = (wb.cpu_seconds(proc.pid) - cpu) * 1000 / max(1, len(lat))
                print(f"| {name} | {c} | {len(lat):,} | {len(errors)} | {len(lat) / took:,.0f} | {wb.pct(lat, .5):.1f} | "
                      f"{wb.pct(lat, .95):.1f} | {wb.pct(lat, .99):.1f} | {cpu:.2f} | {load:.1f} |")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)


def measure(n: int, pg_url: str, sqlite_path: Path) -> None:
    print("| measure | size | seconds | target |\n|---|---:|---:|---|")
    for name, url in (("PostgreSQL", pg_url), ("SQLite", f"sqlite:///{sqlite_path}")):
        build(url, n)
        took, rows = time_subsidy(url)
        print(f"| subsidy computed and stored, {name} | {n:,} loans × 12 = {rows:,} periods | {took:.2f} | ≤ 10 s |")
    took, counts = time_eligibility(n)
    print(f"| eligibility on the rules engine alone (frames → decisions) | {n:,} applications | {took:.2f} | — |")
    prepare_eligibility(pg_url)
    took, counts, rows = time_whole_eligibility(pg_url)
    print(f"| eligibility, PostgreSQL → decisions (sources read set-based, policy evaluated) | {rows:,} applications "
          f"| {took:.2f} | ≤ 2 s |")
    print(f"\ndecisions: {counts}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--loans", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--smoke", action="store_true", help="1,000 loans, 2 s of load: checks the benchmark runs")
    ap.add_argument("--no-web", action="store_true")
    ap.add_argument("--web-only", action="store_true", help="build the PostgreSQL data and measure the pages only")
    args = ap.parse_args()
    n, seconds = (1000, 2.0) if args.smoke else (args.loans, args.seconds)
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    schema = "bench_loans_" + uuid.uuid4().hex[:8]
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    pg_url = f"{PG}?options=-csearch_path%3D{schema}"
    sqlite_path = Path(f"/tmp/{schema}.db")
    try:
        if args.web_only:
            build(pg_url, n)
        else:
            measure(n, pg_url, sqlite_path)
        if not args.no_web:
            pages(pg_url, n, seconds, args.connections)
    finally:
        sqlite_path.unlink(missing_ok=True)
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
