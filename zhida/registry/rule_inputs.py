"""What the registry gives the rules engine: the entity 单位 and its four input sources.

- ``units`` (base): one row per registered unit — 统一社会信用代码, name, type, industry, size;
- ``ui_payments``: 失业保险缴费 of one year (the policy's year offset picks the year);
- ``credit_entries``: 信用名单 entries, reduced to "listed on the judging date" and which lists;
- ``industrial_output``: 工业总产值 of one quarter, with the same quarter a year earlier as the
  prior value when the file gave none.

Decimals are scaled to integers in SQL so no value passes through a binary float in Python;
SQLite keeps NUMERIC as REAL, and ``ROUND(x * 10^k)`` recovers the exact decimal for the 2 and
4 decimal places the columns carry.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import text
from sqlalchemy.orm import Session

from zhida.errors import PolicyError
from zhida.rules.entities import (
    Entity,
    FieldSpec,
    InputSource,
    SourceQuery,
    frame_from_rows,
    register_entity,
    register_source,
)

S, N = pl.String, pl.Int64  # string and whole-number columns


def unit_county(units: pl.DataFrame) -> pl.Expr:
    """Each unit's county code (GB/T 2260): the county of its 乡镇街道 in the divisions table,
    else the registering authority's division in its 统一社会信用代码 (characters 3–8)."""
    from zhida.registry.regions import table

    regions = table()
    town_map = {t: c.code for c in regions.counties for t in c.townships if regions.county_of_township(t) == c.code}
    by_town = pl.col("township").replace_strict(town_map, default=None, return_dtype=pl.String)
    return pl.coalesce(by_town, pl.col("uscc").str.slice(2, 6))


def county_name(code: str) -> str | None:
    from zhida.registry.regions import table

    county = table().county(code)
    return county.name if county else None


UNIT = register_entity(
    Entity(
        "unit",
        "单位",
        key="uscc",
        title="name",
        base="units",
        aliases=("units", "单位"),
        region=unit_county,
        region_name=county_name,
    )
)


def _sql(session: Session, sql: str, q: SourceQuery, schema: dict, params: dict | None = None) -> pl.DataFrame:
    sql += " AND uscc = :uscc" if q.key else ""
    rows = session.execute(text(sql), {"uscc": q.key, **(params or {})}).all()
    return frame_from_rows(schema, rows)


# ----------------------------------------------------------------------------- units
UNITS_SCHEMA = {
    "uscc": S,
    "name": S,
    "unit_type": S,
    "industry_code": S,
    "industry_section": S,
    "size_class": S,
    "size_source": S,
    "township": S,
    "employees": N,
    "revenue_wan": N,
    "assets_wan": N,
}


def _read_units(session: Session, q: SourceQuery) -> pl.DataFrame:
    return _sql(
        session,
        """SELECT uscc, name, unit_type, industry_code, industry_section, size_class, size_source,
        township, employees, CAST(ROUND(revenue_wan * 10000) AS BIGINT), CAST(ROUND(assets_wan * 10000) AS BIGINT)
        FROM units WHERE 1 = 1""",
        q,
        UNITS_SCHEMA,
    )


register_source(
    InputSource(
        "units",
        "unit",
        "单位基本信息",
        (
            FieldSpec("uscc", "统一社会信用代码"),
            FieldSpec("name", "单位名称"),
            FieldSpec("unit_type", "单位类型"),
            FieldSpec("industry_code", "行业代码"),
            FieldSpec("industry_section", "行业门类"),
            FieldSpec("size_class", "企业规模"),
            FieldSpec("size_source", "规模来源"),
            FieldSpec("township", "乡镇街道"),
            FieldSpec("employees", "从业人员", "number", "person"),
            FieldSpec("revenue_wan", "营业收入", "number", "wan", 4),
            FieldSpec("assets_wan", "资产总额", "number", "wan", 4),
        ),
        UNITS_SCHEMA,
        _read_units,
        case_defaults=lambda period, offset: {"unit_type": "企业"},
    )
)


# ----------------------------------------------------------------------------- ui_payments
UI_SCHEMA = {
    "uscc": S,
    "year": N,
    "employer_paid": N,
    "employee_paid": N,
    "backpay": N,
    "months_paid": N,
    "insured_start": N,
    "insured_end": N,
    "insured_avg": N,
    "new_claimants": N,
    "arrears": N,
}


def _read_ui(session: Session, q: SourceQuery) -> pl.DataFrame:
    return _sql(
        session,
        """SELECT uscc, year, employer_paid_fen, employee_paid_fen, backpay_fen, months_paid,
        insured_start, insured_end, CAST(ROUND(insured_avg * 100) AS BIGINT), new_claimants, arrears_fen
        FROM ui_payments WHERE year = :year""",
        q,
        UI_SCHEMA,
        {"year": q.year},
    )


def _join_ui(policy, period, as_of: dt.date, ui: pl.DataFrame) -> pl.DataFrame:
    year = period.year + policy.sources["ui_payments"].year_offset
    return ui.filter(pl.col("year") == year).drop("year")  # (uscc, year) is the table's key


register_source(
    InputSource(
        "ui_payments",
        "unit",
        "失业保险缴费",
        (
            FieldSpec("employer_paid", "单位实缴", "money", "yuan"),
            FieldSpec("employee_paid", "个人实缴", "money", "yuan"),
            FieldSpec("backpay", "补缴", "money", "yuan"),
            FieldSpec("months_paid", "缴费月数", "number", "month"),
            FieldSpec("insured_start", "年初参保人数", "number", "person"),
            FieldSpec("insured_end", "年末参保人数", "number", "person"),
            FieldSpec("insured_avg", "月均参保人数", "number", "person", 2),
            FieldSpec("new_claimants", "新增领取失业保险金人数", "number", "person"),
            FieldSpec("arrears", "欠费金额", "money", "yuan"),
        ),
        UI_SCHEMA,
        _read_ui,
        _join_ui,
        case_defaults=lambda period, offset: {"year": period.year + offset},
    )
)


# ----------------------------------------------------------------------------- credit_entries
CREDIT_SCHEMA = {"uscc": S, "list_type": S, "listed_on": pl.Date, "removed_on": pl.Date}


def _day(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _read_credit(session: Session, q: SourceQuery) -> pl.DataFrame:
    sql = "SELECT uscc, list_type, listed_on, removed_on FROM credit_entries WHERE 1 = 1"
    sql += " AND uscc = :uscc" if q.key else ""
    rows = session.execute(text(sql), {"uscc": q.key}).all()
    # SQLite hands dates back as text through raw SQL
    return frame_from_rows(CREDIT_SCHEMA, [(u, t, _day(a), _day(b)) for u, t, a, b in rows])


def _join_credit(policy, period, as_of: dt.date, ce: pl.DataFrame) -> pl.DataFrame:
    day = pl.lit(as_of, dtype=pl.Date)
    active = ce.filter((pl.col("listed_on") <= day) & (pl.col("removed_on").is_null() | (pl.col("removed_on") > day)))
    lists = active.group_by("uscc").agg(pl.col("list_type").unique().sort().str.join("、").alias("credit_lists"))
    return lists.with_columns(pl.lit(True).alias("credit_listed"))


register_source(
    InputSource(
        "credit_entries",
        "unit",
        "信用名单",
        (
            FieldSpec("credit_listed", "列入信用名单", "bool"),
            FieldSpec("credit_lists", "所列名单"),
        ),
        CREDIT_SCHEMA,
        _read_credit,
        _join_credit,
        fill={"credit_listed": False},
    )
)


# ----------------------------------------------------------------------------- industrial_output
OUTPUT_SCHEMA = {
    "uscc": S,
    "year": N,
    "quarter": N,
    "output_wan": N,
    "prior_output_wan": N,
    "above_scale_recorded": pl.Boolean,
}


def _read_output(session: Session, q: SourceQuery) -> pl.DataFrame:
    return _sql(
        session,
        """SELECT uscc, year, quarter, CAST(ROUND(output_wan * 10000) AS BIGINT),
        CAST(ROUND(prior_output_wan * 10000) AS BIGINT), above_scale FROM industrial_output
        WHERE quarter = :quarter AND year IN (:year, :year - 1)""",
        q,
        OUTPUT_SCHEMA,
        {"year": q.year, "quarter": q.quarter or 0},
    )


def _join_output(policy, period, as_of: dt.date, io: pl.DataFrame) -> pl.DataFrame:
    if period.quarter is None:
        raise PolicyError(f"策略 {policy.id} 使用季度产值数据，期间应写成季度，例如 {period.year}-Q1")
    year = period.year + policy.sources["industrial_output"].year_offset
    cur = io.filter((pl.col("year") == year) & (pl.col("quarter") == period.quarter)).drop("year", "quarter")
    prev = io.filter((pl.col("year") == year - 1) & (pl.col("quarter") == period.quarter)).select(
        "uscc", pl.col("output_wan").alias("_prev")
    )
    out = cur.join(prev, on="uscc", how="left")
    return out.with_columns(pl.coalesce("prior_output_wan", "_prev").alias("prior_output_wan")).drop("_prev")


register_source(
    InputSource(
        "industrial_output",
        "unit",
        "工业产值",
        (
            FieldSpec("output_wan", "本期工业总产值", "number", "wan", 4),
            FieldSpec("prior_output_wan", "上年同期工业总产值", "number", "wan", 4),
            FieldSpec("above_scale_recorded", "规上（填报）", "bool"),
        ),
        OUTPUT_SCHEMA,
        _read_output,
        _join_output,
        case_defaults=lambda period, offset: {"year": period.year, "quarter": period.quarter},
    )
)
