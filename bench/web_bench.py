"""Read endpoints of the web API under load: 100,000 units on PostgreSQL, ``zhida serve --workers 2``.

Builds a throw-away PostgreSQL schema with 100,000 units, one stored policy run (a decision with
its reasons for every unit) and one cycle of 60,000 entitlements, starts the server with two
workers on a loopback port, logs in, and drives two read endpoints with an asyncio HTTP/1.1
load generator (keep-alive connections, closed loop) on the same machine:

  * GET /api/v1/units/{uscc}/decisions           a random unit each request
  * GET /api/v1/cycles/{id}/entitlements?page=N  a random page of 50 each request

Prints requests/s and latency percentiles per endpoint, under load and then over a single
connection (the server-side cost of one request, without queueing), with the CPU time the server
processes spent per request (from /proc: independent of how busy the machine is, PostgreSQL's share
not included) and the machine's 1-minute load average at the start of each run. Target: ≥ 500 requests/s, p99 ≤ 100 ms.

    .venv/bin/python bench/web_bench.py [--units 100000] [--seconds 20] [--connections 16] [--isolated 5]
    .venv/bin/python bench/web_bench.py --smoke    # 1,000 units, one worker, 1 s per run
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, insert, text

PG = os.environ.get("ZHIDA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOWNS = ["振兴街道", "信发街道", "温陈街道", "乐平铺镇", "冯官屯镇", "菜屯镇", "博平镇", "杜郎口镇"]
SIZES = ["大型", "中型", "小型", "微型"]


def reasons(i: int) -> list[dict]:
    return [
        {"code": "months_paid", "kind": "condition", "description": "上年度足额缴纳失业保险费满 12 个月",
         "passed": True, "values": {"months_paid": "12", "months.min": "12"}},
        {"code": "layoff_rate", "kind": "condition", "description": "裁员率不超过控制目标（参保 30 人及以下单位不超过 20%）",
         "passed": i % 7 != 0, "values": {"layoff_rate": f"{i % 9}%", "layoff.max": "5.5%"}},
        {"code": "public_institution", "kind": "exclusion", "description": "机关事业单位不适用", "passed": True,
         "values": {"unit_type": "企业"}},
        {"code": "credit_list", "kind": "exclusion", "description": "列入严重失信主体名单", "passed": True,
         "values": {"credit_listed": "否"}},
        {"code": "arrears", "kind": "exclusion", "description": "存在失业保险欠费", "passed": True,
         "values": {"arrears": "0.00"}},
    ]


def build(url: str, units: int) -> tuple[list[str], int, int]:
    """Fill the schema; return (usccs, cycle id, entitlement count)."""
    from zhida.db import Base, import_all_models, make_engine, session_scope
    from zhida.delivery.models import Cycle, Entitlement
    from zhida.identifiers import make_uscc
    from zhida.registry.models import Unit
    from zhida.roles import Role
    from zhida.rules.models import PolicyResult, PolicyRun
    from zhida.web.accounts import AccountCreate, create_account

    import_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    usccs = [make_uscc(f"91371500MA{i:07d}") for i in range(units)]
    rng = random.Random(42)
    unit_rows = [{"uscc": u, "name": f"聊城测试企业{i:06d}有限公司", "unit_type": "企业", "industry_section": "C",
                  "size_class": SIZES[i % 4], "township": TOWNS[i % len(TOWNS)], "employees": rng.randint(5, 900),
                  "account_no": f"62284800{i:010d}", "bank_name": "聊城农商银行"} for i, u in enumerate(usccs)]
    with engine.begin() as conn:
        for k in range(0, units, 10_000):
            conn.execute(insert(Unit), unit_rows[k:k + 10_000])
        run_id = conn.execute(insert(PolicyRun).values(
            policy_id="wengang-fanhuan", policy_name="失业保险稳岗返还", period="2025", as_of=dt.date(2025, 6, 1),
            policy_hash="0" * 64, parameters={}, input_snapshot={}, evaluated=units, eligible=units * 6 // 7,
            undetermined=0, total_fen=0).returning(PolicyRun.id)).scalar_one()
        results = [{"run_id": run_id, "uscc": u, "name": unit_rows[i]["name"],
                    "status": "ineligible" if i % 7 == 0 else "eligible", "amount_fen": 0 if i % 7 == 0 else 100 * i,
                    "size_class": SIZES[i % 4], "township": TOWNS[i % len(TOWNS)], "industry_section": "C",
                    "insured": 10 + i % 300, "reasons": reasons(i)} for i, u in enumerate(usccs)]
        for k in range(0, units, 10_000):
            conn.execute(insert(PolicyResult), results[k:k + 10_000])
        ent = [r for r in results if r["status"] == "eligible"][:60_000]
        cycle_id = conn.execute(insert(Cycle).values(
            run_id=run_id, policy_id="wengang-fanhuan", policy_name="失业保险稳岗返还", period="2025", state="确认期",
            units=len(ent), total_fen=sum(r["amount_fen"] for r in ent), created_by="bench",
            created_at=dt.datetime.now()).returning(Cycle.id)).scalar_one()
        rows = [{"cycle_id": cycle_id, "uscc": r["uscc"], "name": r["name"], "amount_fen": r["amount_fen"],
                 "size_class": r["size_class"], "township": r["township"], "industry_section": "C",
                 "insured": r["insured"], "confirmation": "待确认", "objection_open": False} for r in ent]
        for k in range(0, len(rows), 10_000):
            conn.execute(insert(Entitlement), rows[k:k + 10_000])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = ", ".join(m.__table__.name for m in (Unit, PolicyRun, PolicyResult, Cycle, Entitlement))
        conn.execute(text(f"VACUUM ANALYZE {tables}"))  # what autovacuum does on a live database
    with session_scope(engine) as s:
        create_account(s, AccountCreate("bench", "bench-password", Role.LEADER))
    engine.dispose()
    return usccs, cycle_id, len(rows)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, workers: int, data_dir: str) -> subprocess.Popen:
    env = {**os.environ, "ZHIDA_DATABASE_URL": url, "ZHIDA_ENVIRONMENT": "test",
           "ZHIDA_SECRET_KEY": uuid.uuid4().hex * 2, "ZHIDA_DATA_DIR": data_dir}
    proc = subprocess.Popen([sys.executable, "-m", "zhida", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def login(base: str) -> str:
    import httpx

    with httpx.Client(base_url=base) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
        r = c.post("/login", data={"username": "bench", "password": "bench-password", "csrf_token": token})
        assert r.status_code in (200, 303), r.status_code
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    await reader.readexactly(length)
    return status


async def connection(port: int, cookie: str, paths, deadline: float, lat: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < deadline:
        path = paths()
        req = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nAccept: application/json\r\n\r\n"
        t0 = time.perf_counter()
        writer.write(req.encode())
        status = await read_response(reader)
        lat.append(time.perf_counter() - t0)
        if status != 200:
            errors.append(status)
    writer.close()


async def drive(port: int, cookie: str, paths, seconds: float, conns: int) -> tuple[list[float], list[int], float]:
    lat: list[float] = []
    errors: list[int] = []
    start = time.perf_counter()
    await asyncio.gather(*(connection(port, cookie, paths, start + seconds, lat, errors) for _ in range(conns)))
    return lat, errors, time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children, alive ones (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        kids = [int(k) for t in Path(f"/proc/{pid}/task").iterdir() for k in (t / "children").read_text().split()]
    except OSError:
        return 0.0
    return own + sum(cpu_seconds(k) for k in kids)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--isolated", type=float, default=5, help="seconds of the single-connection run")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes (1,000 units, 1 worker, 1 s runs)")
    args = ap.parse_args()
    if args.smoke:
        args.units, args.seconds, args.connections, args.workers, args.isolated = 1_000, 1, 4, 1, 1
    schema = "bench_web_" + uuid.uuid4().hex[:8]
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG}?options=-csearch_path%3D{schema}"
    proc, failed = None, 0
    data_dir = tempfile.mkdtemp(prefix="zhida-web-bench-")
    try:
        t0 = time.perf_counter()
        usccs, cycle_id, ents = build(url, args.units)
        print(f"data: {args.units:,} units, {args.units:,} decisions, cycle of {ents:,} entitlements "
              f"({time.perf_counter() - t0:.1f} s to load)")
        port = free_port()
        proc = start_server(url, port, args.workers, data_dir)
        cookie = login(f"http://127.0.0.1:{port}")
        rng = random.Random(7)
        pages = -(-ents // 50)
        endpoints = [
            ("GET /api/v1/units/{uscc}/decisions", lambda: f"/api/v1/units/{rng.choice(usccs)}/decisions"),
            ("GET /api/v1/cycles/{id}/entitlements?page=N&size=50",
             lambda: f"/api/v1/cycles/{cycle_id}/entitlements?page={rng.randint(1, pages)}&size=50"),
        ]
        print(f"server: zhida serve --workers {args.workers}; load: {args.connections} keep-alive connections, "
              f"{args.seconds:.0f} s per endpoint, loopback, {os.cpu_count()} CPU cores shared; then 1 connection "
              f"for {args.isolated:.0f} s (server-side cost without queueing)\n")
        print("| endpoint | connections | requests | errors | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req "
              "| load avg |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, paths in endpoints:
            asyncio.run(drive(port, cookie, paths, min(2, args.seconds), args.connections))  # warm-up
            for conns, seconds in ((args.connections, args.seconds), (1, args.isolated)):
                load, cpu = os.getloadavg()[0], cpu_seconds(proc.pid)
                lat, errors, took = asyncio.run(drive(port, cookie, paths, seconds, conns))
                cpu = (cpu_seconds(proc.pid) - cpu) * 1000 / max(1, len(lat))
                failed += len(errors)
                print(f"| {name} | {conns} | {len(lat):,} | {len(errors)} | {len(lat) / took:,.0f} | "
                      f"{pct(lat, .5):.1f} | {pct(lat, .95):.1f} | {pct(lat, .99):.1f} | {cpu:.2f} | {load:.1f} |")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
        shutil.rmtree(data_dir, ignore_errors=True)
    if failed:
        sys.exit(f"{failed:,} requests did not answer 200")


if __name__ == "__main__":
    sys.exit(main())
