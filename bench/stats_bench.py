"""Benchmark: customs microdata → indicator rows → growth, share, contribution, pull.

Generates N per-declaration rows (default 10,000,000: date, HS chapter, trade mode, ownership,
partner, flow, value) for 2025-01-01 … 2026-02-28, aggregates them with Polars to the
indicator format (every month, cumulative span, quarter and full year; total and 5
dimensions), then computes every dimension of every 2026 period exactly (Decimal).
Optionally the same aggregation in DuckDB when it is installed (requirements-bench.lock): the
frame goes to DuckDB through a Parquet file Polars writes to a temporary folder (no pyarrow
needed); that hand-over is shown on its own row, only DuckDB's group-by is compared.

    .venv/bin/python bench/stats_bench.py [N]
    .venv/bin/python bench/stats_bench.py --smoke      # 20,000 rows, a few seconds
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

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


def duckdb_available() -> bool:
    return importlib.util.find_spec("duckdb") is not None


def duckdb_aggregate(frame: pl.DataFrame) -> tuple[int, float, float]:
    """(rows out, seconds to load the frame into DuckDB via Parquet, seconds of the group-bys)."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="stats-bench-") as tmp:
        path = Path(tmp) / "decl.parquet"
        t0 = time.perf_counter()
        frame.write_parquet(path)
        con = duckdb.connect()
        con.execute("create table decl as select * from read_parquet(?)", [str(path)])
        t_load = time.perf_counter() - t0
    sql = "select year(date) y, month(date) m, {col} code, sum(value) v from decl group by all"
    t0 = time.perf_counter()
    out = [con.execute(sql.format(col=c)).fetchall() for c in ["-1", *[v[0] for v in DIMENSIONS.values()]]]
    t_agg = time.perf_counter() - t0
    con.close()
    return sum(len(o) for o in out), t_load, t_agg


def main(n: int) -> None:
    frame, t_gen = timed(generate_customs, n)
    facts, t_agg = timed(aggregate_customs, frame, REGION)
    (n_periods, n_rows), t_comp = timed(compute_all, facts)
    duck = duckdb_aggregate(frame) if duckdb_available() else None
    print(f"customs microdata: {n:,} declarations, {frame.estimated_size('mb'):.0f} MB in memory")
    if duck is None:
        print("DuckDB is not installed (bench extra, requirements-bench.lock): only zhida's side is timed")
    print()
    print("| step | rows out | seconds |")
    print("|---|---:|---:|")
    print(f"| generate microdata (numpy, seeded) | {n:,} | {t_gen:.2f} |")
    print(f"| aggregate to indicator rows (Polars) | {len(facts):,} | {t_agg:.2f} |")
    print(f"| compute {n_periods} periods × 6 breakdowns (Decimal) | {n_rows:,} | {t_comp:.2f} |")
    print(f"| **aggregate + compute** | | **{t_agg + t_comp:.2f}** |")
    if duck is not None:
        print(f"| load the frame into DuckDB (Parquet, not compared) | {n:,} | {duck[1]:.2f} |")
        print(f"| aggregate monthly sums (DuckDB, for comparison) | {duck[0]:,} | {duck[2]:.2f} |")
    if t_agg + t_comp > 10:
        sys.exit("aggregate + compute took more than 10 s")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=10_000_000, help="declarations to generate")
    ap.add_argument("--smoke", action="store_true", help="tiny size (20,000 rows): checks the script runs")
    args = ap.parse_args(argv)
    if args.smoke:
        args.n = 20_000
    return args


if __name__ == "__main__":
    main(parse_args().n)
