"""Import benchmark: a 1,000,000-row ui-payments CSV into PostgreSQL (and validation alone).

Usage: .venv/bin/python bench/import_bench.py [--rows 1000000] [--pg URL]
       .venv/bin/python bench/import_bench.py --smoke     # 2,000 rows, a few seconds

Builds 500,000 synthetic units (two payment years each), imports the units, then the
payments, into a fresh PostgreSQL schema (dropped afterwards), and prints a Markdown table:
reading, validation (rows/s), the full import, and the same file again (all unchanged).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import create_engine, text

from zhida.db import Base, import_all_models, make_engine
from zhida.identifiers import USCC_ALPHABET, USCC_WEIGHTS
from zhida.imports import reader, validate
from zhida.imports.engine import run_import
from zhida.imports.spec import get_kind

PG = os.environ.get("ZHIDA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def usccs(n: int) -> list[str]:
    out = []
    for i in range(n):
        body = f"913715{i:011d}"
        total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=False))
        out.append(body + USCC_ALPHABET[(31 - total % 31) % 31])
    return out


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(7)
    n_units = rows // 2
    codes = usccs(n_units)
    ent = pl.DataFrame({"统一社会信用代码": codes, "单位名称": [f"合成单位{i}" for i in range(n_units)],
                        "企业规模": rng.choice(["大型", "中型", "小型", "微型"], n_units)})
    ent_path = folder / "enterprises.csv"
    ent.write_csv(ent_path)
    insured = rng.integers(1, 500, rows)
    ui = pl.DataFrame({
        "统一社会信用代码": np.repeat(codes, 2), "年度": np.tile([2024, 2025], n_units),
        "单位实缴(元)": (insured * rng.uniform(300, 600, rows)).round(2),
        "个人实缴(元)": (insured * rng.uniform(100, 250, rows)).round(2),
        "补缴历年欠费及滞纳金(元)": 0, "缴费月数": rng.integers(10, 13, rows),
        "年初参保人数": insured, "年末参保人数": insured, "月均参保人数": insured.astype(float),
        "新增领取失业保险金人数": rng.integers(0, 3, rows), "欠费金额(元)": 0,
    })
    ui_path = folder / "ui-payments.csv"
    ui.write_csv(ui_path)
    return ent_path, ui_path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--pg", default=PG)
    ap.add_argument("--smoke", action="store_true", help="tiny size (2,000 rows): checks the script runs")
    args = ap.parse_args()
    if args.smoke:
        args.rows = 2_000
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{args.pg}?options=-csearch_path%3D{schema}"
    results = []
    try:
        import_all_models()
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        with tempfile.TemporaryDirectory() as tmp:
            ent_path, ui_path = write_files(Path(tmp), args.rows)
            t = time.perf_counter()
            run_import("enterprises", ent_path, engine=engine)
            results.append((f"enterprises {args.rows // 2:,} rows → PostgreSQL", time.perf_counter() - t, args.rows // 2))
            t = time.perf_counter()
            table = reader.read_table(ui_path)
            results.append((f"read ui-payments CSV {args.rows:,} rows", time.perf_counter() - t, args.rows))
            kind = get_kind("ui-payments")
            from zhida.db import session_scope

            with session_scope(engine) as s:
                t = time.perf_counter()
                _, errors = validate.validate(kind, table, s)
                results.append(("validate every cell + keys + units exist", time.perf_counter() - t, args.rows))
            assert not errors, errors[:3]
            t = time.perf_counter()
            r = run_import("ui-payments", ui_path, engine=engine)
            results.append((f"import ui-payments (new {r.inserted:,})", time.perf_counter() - t, args.rows))
            t = time.perf_counter()
            r = run_import("ui-payments", ui_path, engine=engine)
            results.append((f"same file again (unchanged {r.unchanged:,})", time.perf_counter() - t, args.rows))
        engine.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    print(f"Import benchmark: {args.rows:,} ui-payments rows, PostgreSQL, this machine\n")
    print("| step | seconds | rows/s |\n|---|---:|---:|")
    for name, secs, n in results:
        print(f"| {name} | {secs:.2f} | {n / secs:,.0f} |")

if __name__ == "__main__":
    main()
