"""Benchmark: customs microdata → indicator rows → growth, share, contribution, pull.

Generates N per-declaration rows (default 10,000,000: date, HS chapter, trade mode, ownership,
partner, flow, value) for 2025-01-01 … 2026-02-28, aggregates them with Polars to the
indicator format (every month, cumulative span, quarter and full year; total and 5
dimensions), then computes every dimension of every 2026 period exactly (Decimal).
Optionally the same aggregation in DuckDB when it is installed (requirements-bench.lock).

    .venv/bin/python bench/stats_bench.py [N]
"""

from __future__ import annotations

import sys
import time

import polars as pl

from zhida.stats.compute import compute_facts
from zhida.stats.microdata import DIMENSIONS, INDICATOR, aggregate_customs, generate_customs
from zhida.stats.periods import Period

REGION = "聊城市"


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def compute_all(facts):
    periods = sorted({Period.parse(f.period) for f in facts if f.period.startswith("2026")})
    by_period: dict[str, list] = {}
    for f in facts:
        by_period.setdefault(f.period, []).append(f)
    rows = 0
    for p in periods:
        subset = by_period[str(p)] + by_period.get(str(p.previous_year()), [])
        for dim in [None, *DIMENSIONS]:
            rows += len(compute_facts(subset, INDICATOR, REGION, p, dim).rows)
    return len(periods), rows


def duckdb_aggregate(frame: pl.DataFrame):
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    con.register("decl", frame.to_arrow())
    sql = """select year(date) y, month(date) m, {col} code, sum(value) v from decl group by all"""
    out = [con.execute(sql.format(col=c)).fetchall() for c in ["-1", *[v[0] for v in DIMENSIONS.values()]]]
    return sum(len(o) for o in out)


def main(n: int) -> None:
    frame, t_gen = timed(generate_customs, n)
    facts, t_agg = timed(aggregate_customs, frame, REGION)
    (n_periods, n_rows), t_comp = timed(compute_all, facts)
    duck, t_duck = timed(duckdb_aggregate, frame)
    print(f"customs microdata: {n:,} declarations, {frame.estimated_size('mb'):.0f} MB in memory")
    print()
    print("| step | rows out | seconds |")
    print("|---|---:|---:|")
    print(f"| generate microdata (numpy, seeded) | {n:,} | {t_gen:.2f} |")
    print(f"| aggregate to indicator rows (Polars) | {len(facts):,} | {t_agg:.2f} |")
    print(f"| compute {n_periods} periods × 6 breakdowns (Decimal) | {n_rows:,} | {t_comp:.2f} |")
    print(f"| **aggregate + compute** | | **{t_agg + t_comp:.2f}** |")
    if duck is None:
        print("| aggregate (DuckDB) | not installed | — |")
    else:
        print(f"| aggregate monthly sums (DuckDB, for comparison) | {duck:,} | {t_duck:.2f} |")
    if t_agg + t_comp > 10:
        sys.exit("aggregate + compute took more than 10 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
