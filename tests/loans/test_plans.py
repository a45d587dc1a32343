"""The whole-column plans equal the loan-by-loan schedule to the fen, for every formula and day count."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from zhida.loans.plans import plans, sequential
from zhida.loans.rates import BP


def loans(n: int, seed: int) -> pl.DataFrame:
    rnd = random.Random(seed)
    return pl.DataFrame([{
        "loan_id": i, "principal_fen": rnd.choice([1_000, 10_000_000, 30_000_000, 400_000_000]) + rnd.randint(0, 999),
        "rate": rnd.randint(150, 450) * BP + rnd.randint(0, 99), "lpr": rnd.choice([3_000_000, 3_100_000, 1_200_000]),
        "start": dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 1000)),
        "months": rnd.choice([36, 24, 7, 12, 35, 1, 2]), "repayment": "interest-quarterly",
        "formula": rnd.choice(["lpr-150bp", "half-rate"]), "day_count": rnd.choice(["act/360", "30/360", "act/365"]),
    } for i in range(n)])


def test_quarterly_plans_in_columns_equal_the_schedule():
    frame = loans(3000, 7)
    fast = plans(frame).sort(["loan_id", "no"])
    slow = sequential(frame.cast({"start": pl.Date}))
    assert fast.height == slow.height > 3000
    assert fast.equals(slow)


def test_month_ends_and_short_terms():
    frame = pl.DataFrame([{"loan_id": 1, "principal_fen": 10_000_000, "rate": 3_850_000, "lpr": 3_000_000,
                           "start": dt.date(2025, 11, 30), "months": 4, "repayment": "interest-quarterly",
                           "formula": "lpr-150bp", "day_count": "30/360"}])
    p = plans(frame)
    assert p["end"].to_list() == [dt.date(2026, 2, 28), dt.date(2026, 3, 30)]
    assert p["days"].to_list() == [88, 32]
