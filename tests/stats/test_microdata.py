"""Customs microdata aggregation: the one-pass cube agrees with direct sums, parts add up to the
total, cumulative spans add up their months; the generator is seeded."""

from decimal import Decimal as D

import polars as pl

from zhida.stats.compute import compute_facts
from zhida.stats.microdata import DIMENSIONS, INDICATOR, aggregate_customs, generate_customs


def test_generator_is_seeded_and_in_range():
    a, b = generate_customs(5000, seed=7), generate_customs(5000, seed=7)
    assert a.equals(b) and not a.equals(generate_customs(5000, seed=8))
    assert a["hs_chapter"].min() >= 0 and a["hs_chapter"].max() <= 96 and a["value"].min() > 0
    assert str(a["date"].min()) >= "2025-01-01" and str(a["date"].max()) <= "2026-02-28"


def test_aggregation_matches_direct_sums():
    frame = generate_customs(20000, seed=3)
    facts = {(f.period, f.dimension, f.member): f.value for f in aggregate_customs(frame, "甲市")}
    jan_feb = frame.filter((pl.col("date").dt.year() == 2026) & (pl.col("date").dt.month() <= 2))
    assert facts[("2026-01~02", "", "")] == D(int(jan_feb["value"].sum())) / 10000
    exports = jan_feb.filter(pl.col("flow") == 0)["value"].sum()
    assert facts[("2026-01~02", "流向", "出口")] == D(int(exports)) / 10000
    q3 = frame.filter((pl.col("date").dt.year() == 2025) & pl.col("date").dt.month().is_between(7, 9))
    assert facts[("2025-Q3", "商品", "第01章")] == D(int(q3.filter(pl.col("hs_chapter") == 0)["value"].sum())) / 10000
    assert facts[("2026-01~02", "", "")] == facts[("2026-01", "", "")] + facts[("2026-02", "", "")]
    assert facts[("2025", "", "")] == sum(facts[(f"2025-Q{q}", "", "")] for q in range(1, 5))
    assert ("2026", "", "") not in facts and ("2026-Q1", "", "") not in facts  # incomplete spans left out
    for dim in DIMENSIONS:
        parts = sum(v for (p, d, _m), v in facts.items() if p == "2026-01~02" and d == dim)
        assert parts == facts[("2026-01~02", "", "")], dim


def test_computed_breakdowns_of_aggregated_microdata_are_consistent():
    facts = aggregate_customs(generate_customs(20000, seed=5), "甲市")
    res = compute_facts(facts, INDICATOR, "甲市", "2026-01~02", "贸易方式")
    parts = [r for r in res.rows if r.member]
    assert abs(sum(r.pull_pp for r in parts) - res.total.yoy_pct) < D("1e-20")
    assert res.total.yoy_source == "computed" and res.total.yoy_pct > 0  # the later year is denser
