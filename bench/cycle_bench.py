"""Benchmark: a delivery cycle on PostgreSQL, from a stored policy run to the bank file.

    .venv/bin/python bench/cycle_bench.py                 # 100,000 units
    .venv/bin/python bench/cycle_bench.py --units 1000000
    .venv/bin/python bench/cycle_bench.py --smoke         # 500 units, a few seconds

Builds a fresh schema with N units and an N-unit policy run (loaded with COPY, not timed),
then times each step: create the cycle (freeze the list), submit and publish with the 公示
XLSX, open the 确认期 (one SMS per unit into the outbox), close it (免审即享 + payments),
start payment, export the bank batch (CSV + XLSX + control file). Prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhida.db import Base, import_all_models, make_engine, session_scope
from zhida.delivery import service
from zhida.identifiers import make_uscc
from zhida.roles import Actor, Role

PG = os.environ.get("ZHIDA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
OP, REV, LEAD = Actor("bench", Role.OPERATOR), Actor("bench", Role.REVIEWER), Actor("bench", Role.LEADER)


def _copy(engine, table: str, columns: list[str], rows) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
        raw.commit()
    finally:
        raw.close()


def load(engine, n: int) -> int:
    towns = ["振兴街道", "信发街道", "温陈街道", "博平镇", "杜郎口镇", "韩屯镇"]
    sizes = ["大型", "中型", "小型", "微型"]
    codes = [make_uscc(f"91371523MA{i:07d}") for i in range(n)]
    _copy(engine, "units", ["uscc", "name", "unit_type", "industry_section", "size_class", "township", "contact",
                            "phone", "bank_name", "account_no", "updated_at"],
          ((c, f"茌平区第{i:07d}号制造有限公司", "企业", "CFG"[i % 3], sizes[i % 4], towns[i % 6], "王经理",
            f"13{i:09d}", "中国农业银行茌平支行", f"622848{i:012d}", dt.datetime.now()) for i, c in enumerate(codes)))
    with engine.begin() as conn:
        run_id = conn.execute(text(
            "INSERT INTO policy_runs (policy_id, policy_name, period, as_of, policy_hash, parameters, input_snapshot,"
            " evaluated, eligible, undetermined, total_fen) VALUES ('wgfh', '失业保险稳岗返还', '2024', '2025-05-01',"
            " :h, '{}', '{}', :n, :n, 0, 0) RETURNING id"), {"h": "0" * 64, "n": n}).scalar_one()
    _copy(engine, "policy_results", ["run_id", "uscc", "name", "status", "amount_fen", "size_class", "township",
                                     "industry_section", "insured", "reasons"],
          ((run_id, c, f"茌平区第{i:07d}号制造有限公司", "eligible", 1000 + (i * 7919) % 5_000_000, sizes[i % 4],
            towns[i % 6], "CFG"[i % 3], 3 + i % 300, "[]") for i, c in enumerate(codes)))
    return run_id


def run(n: int) -> list[tuple[str, float]]:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    schema = "bench_" + uuid.uuid4().hex[:8]
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    out = Path(tempfile.mkdtemp(prefix="cycle-bench-"))
    try:
        import_all_models()
        Base.metadata.create_all(engine)
        t = time.perf_counter()
        run_id = load(engine, n)
        print(f"loaded {n:,} units and a policy run in {time.perf_counter() - t:.1f} s (not timed)", flush=True)
        steps: list[tuple[str, float]] = []

        def timed(label, fn):
            t0 = time.perf_counter()
            value = fn()
            steps.append((label, time.perf_counter() - t0))
            print(f"  {label:<44}{steps[-1][1]:8.2f} s", flush=True)
            return value

        def in_session(fn):
            def go():
                with session_scope(engine) as s:
                    return fn(s)
            return go

        cid = timed("create cycle (freeze list)", in_session(lambda s: service.create_cycle(s, OP, run_id).id))
        timed("submit + publish (公示)", in_session(lambda s: (service.advance(s, OP, cid),
                                                              service.advance(s, REV, cid, today=dt.date(2025, 6, 3)))))
        timed("publicity list XLSX (masked)", in_session(lambda s: service.write_publicity(s, cid, out / "p.xlsx")))
        timed("open 确认期 (SMS into outbox)", in_session(lambda s: service.advance(s, OP, cid, today=dt.date(2025, 6, 11))))
        timed("close 确认期 (免审即享 + payments)", in_session(lambda s: service.advance(s, OP, cid, today=dt.date(2025, 6, 26))))
        timed("start payment", in_session(lambda s: service.advance(s, LEAD, cid)))
        res = timed("export bank batch (CSV + XLSX + control)", lambda: service.export(engine, OP, cid, out))
        assert res.batches[0].rows == n
        steps.append(("total: policy run → bank file", sum(v for _, v in steps)))
        return steps
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--smoke", action="store_true", help="tiny size (500 units): checks the script runs")
    args = ap.parse_args()
    if args.smoke:
        args.units = 500
    print(f"cycle benchmark: {args.units:,} units on PostgreSQL, {os.cpu_count()} CPUs")
    steps = run(args.units)
    print()
    print(f"| step | {args.units:,} units (s) |")
    print("|---|---:|")
    for label, secs in steps:
        print(f"| {label} | {secs:.1f} |")


if __name__ == "__main__":
    main()
