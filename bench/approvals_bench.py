"""Benchmark: approval clocks and the office dashboard on PostgreSQL.

    .venv/bin/python bench/approvals_bench.py                       # 100,000 open, 500,000 done
    .venv/bin/python bench/approvals_bench.py --smoke                  # 1,000 open, 5,000 done

In a fresh schema: N open cases (accepted over 2026, one in three with a closed pause, one in
fifty with a running one) and M completed cases over 2026 (rows generated in SQL, not timed).
Timed: the vectorised recompute of every open case's legal and promised deadlines and alert
level (the numpy arithmetic alone: ``zhida.platform.clock.clock_arrays`` and the approvals'
``alert_levels``; the whole ``recompute_open`` first with every stored due
date stale so all are written, then as the daily run finds them), the same clocks one case at a time with ``zhida.platform.clock`` on a
sample (for comparison), and the office dashboard (by month and by matter, aggregated in SQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhida.approvals import dashboard, matters
from zhida.approvals.clocks import alert_levels
from zhida.approvals.sweeps import recompute_open
from zhida.db import Base, import_all_models, make_engine
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import Pause, clock_arrays, deadline, used
from zhida.roles import SYSTEM

PG = os.environ.get("ZHIDA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
AS_OF = dt.date(2026, 11, 30)
CODES = "ARRAY['SP-JY','YY-ZZ','SG-XK','GH-JS','LD-LS','LD-SY']"
LEGAL = "ARRAY[20,20,20,20,20,20]"
PROMISED = "ARRAY[5,0,7,10,15,15]"


def _load(engine, n_open: int, n_done: int) -> None:
    with Session(engine) as s:
        matters.load_seed(s, SYSTEM)
        s.commit()
    pick = "(i % 6) + 1"
    common = (f"'SP' || lpad(i::text, 12, '0'), CASE WHEN {pick} = 2 THEN '即办件' ELSE '承诺件' END, "
              f"({CODES})[{pick}], 'NLKS', '单位', '演示企业' || i, '91371524MA3D' || lpad((i % 9999)::text, 6, '0'), "
              f"false, false, false, false, ({LEGAL})[{pick}], ({PROMISED})[{pick}], 0, false, now()")
    cols = ("case_no, case_type, matter_code, department, applicant_kind, applicant_name, applicant_id, green_channel, "
            "proxy, deemed_accepted, tolerance, legal_days, promised_days, extension_days, paused, created_at, "
            "notify_promise, state, accepted_on")
    with engine.begin() as c:
        c.execute(text(f"INSERT INTO appr_cases ({cols}) SELECT {common}, false, '办理中', "
                       f"date '2026-09-01' + (i % 80) FROM generate_series(1, CAST(:n AS integer)) i"), {"n": n_open})
        c.execute(text("INSERT INTO appr_pauses (case_id, reason, start, \"end\", notice_no, created_by) "
                       "SELECT id, '现场勘验', accepted_on + 3, CASE WHEN id % 50 = 0 THEN NULL ELSE accepted_on + 6 END, "
                       "'告' || id, 'bench' FROM appr_cases WHERE id % 3 = 0"))
        c.execute(text(f"INSERT INTO appr_cases ({cols}, completed_on, month, used_days, on_time, decision) "
                       f"SELECT {common}, false, '已送达', date '2026-01-02' + (i % 330), date '2026-01-05' + (i % 330), "
                       f"to_char(date '2026-01-05' + (i % 330), 'YYYY-MM'), i % 13, (i % 23) <> 0, '准予' "
                       f"FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) i"), {"a": n_open + 1, "b": n_open + n_done})
        c.execute(text("ANALYZE appr_cases"))


def _timed(fn, repeat: int = 3):
    best, out = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
    return best, out


def run(n_open: int, n_done: int) -> list[tuple[str, float, str]]:
    admin = create_engine(PG)
    schema = "bench_" + uuid.uuid4().hex[:8]
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(f"{PG}?options=-csearch_path%3D{schema}")
    rows: list[tuple[str, float, str]] = []
    try:
        import_all_models()
        Base.metadata.create_all(engine)
        _load(engine, n_open, n_done)
        cal = WorkingCalendar()
        with Session(engine) as s:
            data = s.execute(text("SELECT c.id, c.accepted_on, c.legal_days, p.start, p.\"end\" FROM appr_cases c "
                                  "LEFT JOIN appr_pauses p ON p.case_id = c.id WHERE c.state = '办理中' ORDER BY c.id")).all()
        accepted, limits, pauses = [r[1] for r in data], [r[2] for r in data], [[(r[3], r[4])] if r[3] else [] for r in data]
        t, _res = _timed(lambda: alert_levels(clock_arrays(cal, accepted, limits, pauses, AS_OF)))
        rows.append((f"numpy clocks of {len(data):,} open cases (deadline, used, level)", t, f"{len(data) / t:,.0f} cases/s"))
        sample = min(2000, len(data))
        t1 = time.perf_counter()
        for i in range(sample):
            ps = [Pause(a, b, "现场勘验") for a, b in pauses[i]]
            deadline(accepted[i], limits[i], ps, cal)
            used(accepted[i], AS_OF, ps, cal)
        per_case = (time.perf_counter() - t1) / sample
        rows.append((f"zhida.platform.clock one by one, extrapolated to {len(data):,}", per_case * len(data),
                     f"{1 / per_case:,.0f} cases/s (sample {sample:,})"))

        def whole(write: bool = True):
            with Session(engine) as s:
                r = recompute_open(s, AS_OF, write)
                s.commit()
                return r
        t, r = _timed(whole, 1)
        rows.append((f"recompute_open, worst case: every stored due date stale, {r.changed:,} written (COPY + UPDATE)",
                     t, "one-off after a calendar change"))
        t, r = _timed(whole)
        rows.append((f"recompute_open, daily: load {r.cases:,} + both clocks + alert levels + compare ({r.changed} stale)",
                     t, "target ≤ 5 s"))
        t, r = _timed(lambda: whole(False))
        rows.append(("recompute_open without writing (load + clocks + levels)", t, str(r.levels)))

        def dash():
            with Session(engine) as s:
                return dashboard.dashboard(s, 2026)
        t, d = _timed(dash)
        rows.append((f"office dashboard over {d.total.cases:,} completed cases (by month and by matter)", t,
                     f"target ≤ 1 s; on-time {d.total.on_time_pct}%"))
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--open", type=int, default=100_000, help="open cases")
    ap.add_argument("--done", type=int, default=500_000, help="completed cases")
    ap.add_argument("--smoke", action="store_true", help="a tiny run (1,000 open, 5,000 done) to check it works")
    args = ap.parse_args()
    rows = run(1000, 5000) if args.smoke else run(args.open, args.done)
    print("| step | seconds | note |\n|---|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.3f} | {note} |")


if __name__ == "__main__":
    main()
