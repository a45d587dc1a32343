"""Plans of many loans at once (批量生成还款计划与贴息): whole columns, exact integers.

``quarterly`` computes the interest-quarterly plans (按季付息、到期还本) of a frame of loans in
Polars — the same boundaries, day counts, formulas and half-up rounding as ``schedule.build``,
in integer fen and rate units (the products stay below 2⁶³: principal ≤ 10⁹ fen, rate < 10⁸,
days ≤ 92). Equal-instalment plans are sequential and are built by ``schedule.build``.
``store`` writes the periods through ``zhida.loans.bulk`` (``COPY`` on PostgreSQL,
``executemany`` of plain tuples on SQLite; a large load sets the table's indexes aside).
"""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from zhida.loans import schedule
from zhida.loans.bulk import bulk_insert
from zhida.loans.rates import BP, RATE_SCALE

LOANS = {"loan_id": pl.Int64, "principal_fen": pl.Int64, "rate": pl.Int64, "lpr": pl.Int64, "start": pl.Date,
         "months": pl.Int64, "repayment": pl.Utf8, "formula": pl.Utf8, "day_count": pl.Utf8}
COLUMNS = ["loan_id", "no", "start", "end", "days", "principal_fen", "interest_fen", "borrower_fen", "subsidy_fen",
           "balance_fen", "subsidised"]
C = pl.col


def _half_up(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return (2 * num + den) // (2 * den)


def _shift(months: pl.Expr) -> pl.Expr:
    return C("start").dt.offset_by(pl.format("{}mo", months))


def quarterly(loans: pl.DataFrame) -> pl.DataFrame:
    """The periods of interest-quarterly loans (``LOANS`` columns in, ``COLUMNS`` out)."""
    f = loans.with_columns(((C("months") + 2) // 3).alias("n")).with_columns(pl.int_ranges(1, C("n") + 1).alias("no"))
    f = f.explode("no").with_columns(C("no").cast(pl.Int64))
    f = f.with_columns(_shift((C("no") - 1) * 3).alias("a"), _shift(pl.min_horizontal(C("no") * 3, C("months"))).alias("b"))
    def part(col: str, unit: str) -> pl.Expr:
        return getattr(C(col).dt, unit)().cast(pl.Int64)

    thirty = (360 * (part("b", "year") - part("a", "year")) + 30 * (part("b", "month") - part("a", "month"))
              + pl.min_horizontal(part("b", "day"), 30) - pl.min_horizontal(part("a", "day"), 30))
    f = f.with_columns(pl.when(C("day_count") == "30/360").then(thirty).otherwise((C("b") - C("a")).dt.total_days())
                       .cast(pl.Int64).alias("days"),
                       (pl.when(C("day_count") == "act/365").then(pl.lit(365, pl.Int64)).otherwise(pl.lit(360, pl.Int64))
                        * RATE_SCALE).alias("den"))
    base = C("principal_fen") * C("days")
    borrower_rate = pl.min_horizontal(C("rate"), pl.max_horizontal(C("lpr") - 150 * BP, pl.lit(0, pl.Int64)))
    last = C("no") == C("n")
    f = f.with_columns(_half_up(base * C("rate"), C("den")).alias("interest_fen"),
                       pl.when(C("formula") == "half-rate").then(_half_up(base * C("rate"), 2 * C("den")))
                       .otherwise(_half_up(base * borrower_rate, C("den"))).alias("borrower_fen"))
    return f.select(C("loan_id"), C("no"), C("a").alias("start"), C("b").alias("end"), C("days"),
                    pl.when(last).then(C("principal_fen")).otherwise(pl.lit(0, pl.Int64)).alias("principal_fen"), C("interest_fen"),
                    C("borrower_fen"), (C("interest_fen") - C("borrower_fen")).alias("subsidy_fen"),
                    pl.when(last).then(pl.lit(0, pl.Int64)).otherwise(C("principal_fen")).alias("balance_fen"),
                    pl.lit(True).alias("subsidised"))


def sequential(loans: pl.DataFrame) -> pl.DataFrame:
    """Plans built loan by loan with ``schedule.build`` (equal instalments)."""
    rows = []
    for r in loans.iter_rows(named=True):
        t = schedule.Terms(r["principal_fen"], r["rate"], r["lpr"], r["start"], r["months"], r["repayment"],
                           r["formula"], r["day_count"])
        rows += [(r["loan_id"], p.no, p.start, p.end, p.days, p.principal_fen, p.interest_fen, p.borrower_fen,
                  p.subsidy_fen, p.balance_fen, p.subsidised) for p in schedule.build(t)]
    schema = dict(zip(COLUMNS, [pl.Int64, pl.Int64, pl.Date, pl.Date, pl.Int64, pl.Int64, pl.Int64, pl.Int64,
                                pl.Int64, pl.Int64, pl.Boolean], strict=False))
    return pl.DataFrame(rows, schema=schema, orient="row")


def plans(loans: pl.DataFrame) -> pl.DataFrame:
    """Every period of every loan of the frame (both repayment kinds)."""
    loans = loans.cast(pl.Schema(LOANS))
    q = loans.filter(C("repayment") == "interest-quarterly")
    parts = [quarterly(q)] if q.height else []
    rest = loans.filter(C("repayment") != "interest-quarterly")
    if rest.height:
        parts.append(sequential(rest))
    return pl.concat(parts) if parts else sequential(rest)


def store(session: Session, periods: pl.DataFrame) -> int:
    """Insert the periods (one transaction, the caller's; ``zhida.loans.bulk``); returns the rows."""
    return bulk_insert(session, "loan_periods", periods.select(COLUMNS))
