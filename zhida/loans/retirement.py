"""Statutory retirement date (法定退休年龄), with the gradual delay from 2025-01-01.

全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）: from 2025 the
original ages (男 60, 女 55 for flexible and managerial workers; 国发〔1978〕104号) rise by one
month for every four months of birth, up to three years: men born from January 1965,
women (55) born from January 1970.

>>> retirement_date(dt.date(1964, 12, 15), "男")
datetime.date(2024, 12, 15)
>>> retirement_date(dt.date(1965, 1, 15), "男")      # 60 years and 1 month
datetime.date(2025, 2, 15)
>>> retirement_date(dt.date(1980, 6, 1), "男")       # the full 3 years
datetime.date(2043, 6, 1)
>>> retirement_date(dt.date(1970, 5, 1), "女")       # 55 years and 2 months
datetime.date(2025, 7, 1)
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from zhida.loans import params
from zhida.loans.schedule import add_months

DELAY_FROM = {"男": dt.date(1965, 1, 1), "女": dt.date(1970, 1, 1)}
MONTHS_PER_STEP, MAX_DELAY = 4, 36
DELAY_START = dt.date(2025, 1, 1)


def retirement_date(birth: dt.date, sex: str) -> dt.date:
    """The day the person reaches statutory retirement age (birth date + age + delay)."""
    base = int(params.value("retire.male" if sex == "男" else "retire.female", DELAY_START))
    start = DELAY_FROM["男" if sex == "男" else "女"]
    since = (birth.year - start.year) * 12 + birth.month - start.month
    delay = 0 if since < 0 else min(MAX_DELAY, since // MONTHS_PER_STEP + 1)
    return add_months(birth, base * 12 + delay)


def sex_of(id_number: str) -> str:
    """男 or 女 from the 17th digit of a 身份证号 (odd = 男; GB 11643)."""
    return "男" if int(id_number[16]) % 2 else "女"


def birth_of(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day`` (周岁)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def retirement_dates(birth: pl.Expr, sex: pl.Expr) -> pl.Expr:
    """``retirement_date`` over whole columns (birth ``Date``, sex 男/女): a ``Date`` column."""
    male = sex == "男"
    base = pl.when(male).then(int(params.value("retire.male", DELAY_START))).otherwise(
        int(params.value("retire.female", DELAY_START)))
    start = {s: d.year * 12 + d.month - 1 for s, d in DELAY_FROM.items()}
    since = (birth.dt.year().cast(pl.Int64) * 12 + birth.dt.month().cast(pl.Int64) - 1
             - pl.when(male).then(start["男"]).otherwise(start["女"]))
    delay = pl.when(since < 0).then(0).otherwise(pl.min_horizontal(pl.lit(MAX_DELAY), since // MONTHS_PER_STEP + 1))
    return birth.dt.offset_by(pl.format("{}mo", base * 12 + delay))


def age_between(birth: pl.Expr, day: pl.Expr) -> pl.Expr:
    """``age_on`` over whole columns: whole years from ``birth`` to ``day`` (Int64)."""
    before = (day.dt.month() < birth.dt.month()) | ((day.dt.month() == birth.dt.month()) & (day.dt.day() < birth.dt.day()))
    return day.dt.year().cast(pl.Int64) - birth.dt.year().cast(pl.Int64) - before.cast(pl.Int64)
