"""Per-declaration customs microdata: a seeded generator and its aggregation to indicators.

Microdata keep categories as small integer codes (as customs extracts do); labels are
attached after aggregation, on the few hundred aggregated rows. Values are whole yuan.
Aggregation gives, for the total and for each of 流向, 贸易方式, 企业性质, 国别地区 and
商品 (HS chapter), every month, every cumulative span from January, every quarter and
every full year in the data, as ``Fact`` rows in 万元 (exact).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import polars as pl

from zhida.stats.compute import Fact

INDICATOR = "进出口总值"
FLOWS = ["出口", "进口"]
TRADE_MODES = ["一般贸易", "加工贸易", "保税物流"]
OWNERSHIPS = ["国有企业", "民营企业", "外商投资企业"]
PARTNERS = ["拉美", "非洲", "东盟", "澳大利亚", "欧盟", "美国", "日本", "韩国", "中东", "俄罗斯", "印度", "其他"]
DIMENSIONS = {"流向": ("flow", FLOWS), "贸易方式": ("trade_mode", TRADE_MODES),
              "企业性质": ("ownership", OWNERSHIPS), "国别地区": ("partner", PARTNERS),
              "商品": ("hs_chapter", [f"第{c:02d}章" for c in range(1, 98)])}


def generate_customs(n: int, seed: int = 42, start: dt.date = dt.date(2025, 1, 1),
                     end: dt.date = dt.date(2026, 2, 28)) -> pl.DataFrame:
    """``n`` declarations between ``start`` and ``end``, with growth in the later year.

    >>> df = generate_customs(1000, seed=1)
    >>> df.columns, df.height
    (['date', 'hs_chapter', 'trade_mode', 'ownership', 'partner', 'flow', 'value'], 1000)
    """
    rng = np.random.default_rng(seed)
    days = (end - start).days + 1
    # later days are denser, so the later year shows growth
    day = np.minimum((rng.power(1.6, n) * days).astype(np.int32), days - 1)
    base = np.datetime64(start.isoformat(), "D").astype(np.int64)
    return pl.DataFrame({
        "date": pl.Series(base + day, dtype=pl.Int32).cast(pl.Date),
        "hs_chapter": pl.Series(rng.integers(1, 98, n, dtype=np.int16) - 1, dtype=pl.Int16),
        "trade_mode": pl.Series(rng.choice(3, n, p=[0.71, 0.264, 0.026]).astype(np.int8)),
        "ownership": pl.Series(rng.choice(3, n, p=[0.52, 0.35, 0.13]).astype(np.int8)),
        "partner": pl.Series(rng.integers(0, len(PARTNERS), n, dtype=np.int8)),
        "flow": pl.Series(rng.choice(2, n, p=[0.47, 0.53]).astype(np.int8)),
        "value": pl.Series(np.round(rng.lognormal(11.0, 1.2, n)).astype(np.int64)),
    })


CUBE_COLUMNS = ["flow", "trade_mode", "ownership", "partner", "hs_chapter"]
RADIX = [len(FLOWS), len(TRADE_MODES), len(OWNERSHIPS), len(PARTNERS), 97]


def cube(frame: pl.DataFrame) -> pl.DataFrame:
    """One pass over the microdata: value summed by month and every category at once.

    The categories are packed into one integer key (a mixed-radix number) so the group-by
    runs on a single column; the cube has at most months × 2 × 3 × 3 × 12 × 97 rows.
    """
    key = (pl.col("date").dt.year().cast(pl.Int64) * 12 + pl.col("date").dt.month().cast(pl.Int64) - 1)
    for column, radix in zip(CUBE_COLUMNS, RADIX, strict=False):
        key = key * radix + pl.col(column).cast(pl.Int64)
    packed = frame.group_by(key.alias("key")).agg(pl.col("value").sum())
    rest = pl.col("key")
    cols = {}
    for column, radix in reversed(list(zip(CUBE_COLUMNS, RADIX, strict=False))):
        cols[column] = (rest % radix).cast(pl.Int16)
        rest = rest // radix
    return packed.with_columns(year=(rest // 12).cast(pl.Int32), month=(rest % 12 + 1).cast(pl.Int8), **cols)


def _monthly(cubed: pl.DataFrame, column: str | None) -> pl.DataFrame:
    """Sum of value by year, month (and the code column) from the cube."""
    code = pl.col(column).cast(pl.Int16) if column else pl.lit(-1, dtype=pl.Int16)
    return cubed.group_by("year", "month", code.alias("code")).agg(pl.col("value").sum())


def _spans(monthly: pl.DataFrame) -> pl.DataFrame:
    """Months, cumulative spans from January, quarters and complete years, with a period name."""
    m = monthly.sort("year", "code", "month")
    months = m.with_columns(period=pl.format("{}-{}", "year", pl.col("month").cast(pl.Utf8).str.zfill(2)))
    cumul = m.with_columns(pl.col("value").cum_sum().over("year", "code")).filter(pl.col("month") > 1).with_columns(
        period=pl.format("{}-01~{}", "year", pl.col("month").cast(pl.Utf8).str.zfill(2)))
    have = m.group_by("year").agg(pl.col("month").n_unique().alias("n"), pl.col("month").max().alias("last"))
    q = (m.with_columns(q=((pl.col("month") - 1) // 3 + 1)).group_by("year", "q", "code")
         .agg(pl.col("value").sum(), pl.col("month").n_unique().alias("k")).filter(pl.col("k") == 3)
         .with_columns(period=pl.format("{}-Q{}", "year", "q")))
    full = have.filter(pl.col("n") == 12).get_column("year")
    years = (m.filter(pl.col("year").is_in(full.implode())).group_by("year", "code").agg(pl.col("value").sum())
             .with_columns(period=pl.col("year").cast(pl.Utf8)))
    cols = ["period", "code", "value"]
    return pl.concat([months.select(cols), cumul.select(cols), q.select(cols), years.select(cols)])


def aggregate_customs(frame: pl.DataFrame, region: str) -> list[Fact]:
    """Indicator rows (万元, exact) of the microdata: total and every dimension, every span."""
    facts: list[Fact] = []
    wan = Decimal(10_000)
    cubed = cube(frame)
    for dimension, (column, labels) in [("", (None, [])), *DIMENSIONS.items()]:
        spans = _spans(_monthly(cubed, column))
        for period, code, value in spans.iter_rows():
            member = labels[code] if dimension else ""
            facts.append(Fact(INDICATOR, region, period, dimension, member, Decimal(value) / wan, "万元", None))
    return facts
