"""The input frame of a run: one row per unit, every field a policy may use.

Built from "source frames" (units, ui_payments, credit_entries, industrial_output) read
from the database (``dbsource``) or written by hand in a policy's test cases — the same
code joins them either way, so a test case exercises the path a real run takes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from zhida.errors import PolicyError
from zhida.rules.bounds import numeric_fields, remember, scan
from zhida.rules.period import Period
from zhida.rules.policy import Policy

S = pl.String
I = pl.Int64
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "units": {"uscc": S, "name": S, "unit_type": S, "industry_code": S, "industry_section": S, "size_class": S,
              "size_source": S, "township": S, "employees": I, "revenue_wan": I, "assets_wan": I},
    "ui_payments": {"uscc": S, "year": I, "employer_paid": I, "employee_paid": I, "backpay": I, "months_paid": I,
                    "insured_start": I, "insured_end": I, "insured_avg": I, "new_claimants": I, "arrears": I},
    "credit_entries": {"uscc": S, "list_type": S, "listed_on": pl.Date, "removed_on": pl.Date},
    "industrial_output": {"uscc": S, "year": I, "quarter": I, "output_wan": I, "prior_output_wan": I,
                          "above_scale_recorded": pl.Boolean},
}


def empty(source: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[source])


@dataclass
class Sources:
    """Source frames, in the schemas of ``SCHEMAS`` (decimals as scaled integers)."""

    frames: dict[str, pl.DataFrame] = field(default_factory=dict)

    def get(self, name: str) -> pl.DataFrame:
        return self.frames.get(name, empty(name))

    def counts(self) -> dict[str, int]:
        return {k: v.height for k, v in self.frames.items()}


def data_year(policy: Policy, source: str, period: Period) -> int:
    return period.year + policy.sources[source].year_offset


def build_frame(policy: Policy, period: Period, as_of: dt.date, src: Sources) -> pl.DataFrame:
    """Join the sources a policy reads into one frame, one row per unit in its population."""
    frame = src.get("units")
    for name, spec in policy.sources.items():
        how = "inner" if spec.required else "left"
        joiner = JOINERS[name]
        frame = frame.join(joiner(policy, period, as_of, src.get(name)), on="uscc", how=how, maintain_order="left")
    return frame


def _ui_payments(policy: Policy, period: Period, as_of: dt.date, ui: pl.DataFrame) -> pl.DataFrame:
    year = data_year(policy, "ui_payments", period)
    return ui.filter(pl.col("year") == year).drop("year")  # (uscc, year) is the table's key


def _credit(policy: Policy, period: Period, as_of: dt.date, ce: pl.DataFrame) -> pl.DataFrame:
    day = pl.lit(as_of, dtype=pl.Date)
    active = ce.filter((pl.col("listed_on") <= day) & (pl.col("removed_on").is_null() | (pl.col("removed_on") > day)))
    lists = active.group_by("uscc").agg(pl.col("list_type").unique().sort().str.join("、").alias("credit_lists"))
    return lists.with_columns(pl.lit(True).alias("credit_listed"))


def _industrial(policy: Policy, period: Period, as_of: dt.date, io: pl.DataFrame) -> pl.DataFrame:
    if period.quarter is None:
        raise PolicyError(f"策略 {policy.id} 使用季度产值数据，期间应写成季度，例如 {period.year}-Q1")
    year = data_year(policy, "industrial_output", period)
    cur = io.filter((pl.col("year") == year) & (pl.col("quarter") == period.quarter)).drop("year", "quarter")
    prev = io.filter((pl.col("year") == year - 1) & (pl.col("quarter") == period.quarter)).select(
        "uscc", pl.col("output_wan").alias("_prev"))
    out = cur.join(prev, on="uscc", how="left")
    return out.with_columns(pl.coalesce("prior_output_wan", "_prev").alias("prior_output_wan")).drop("_prev")


def finish(frame: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Fill what absence means: no active credit entry is a known 'not listed'."""
    if "credit_entries" in policy.sources:
        frame = frame.with_columns(pl.col("credit_listed").fill_null(False))
    return frame


JOINERS = {"ui_payments": _ui_payments, "credit_entries": _credit, "industrial_output": _industrial}


def input_frame(policy: Policy, period: Period, as_of: dt.date, src: Sources) -> pl.DataFrame:
    """The joined frame, with the bounds of its numeric fields remembered (``bounds``)."""
    frame = finish(build_frame(policy, period, as_of, src), policy)
    return remember(frame, scan(frame, numeric_fields(policy)))


def frame_hash(frame: pl.DataFrame) -> str:
    """A stable fingerprint of an input frame (order-independent)."""
    if frame.height == 0:
        return "0" * 16
    cols = sorted(frame.columns)
    h = frame.select(cols).hash_rows(seed=7).sort()
    return f"{int(h.hash(seed=11).sum()) & (2**64 - 1):016x}"
