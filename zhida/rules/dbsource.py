"""Read a policy's source frames from the database, fast (raw SQL, no ORM objects).

Decimals are scaled to integers in SQL so no value passes through a binary float in
Python; SQLite keeps NUMERIC as REAL, and ``ROUND(x * 10^k)`` recovers the exact decimal
for the 2 and 4 decimal places the columns carry.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import text
from sqlalchemy.orm import Session

from zhida.rules.inputs import SCHEMAS, Sources
from zhida.rules.period import Period
from zhida.rules.policy import Policy

SQL = {
    "units": """SELECT uscc, name, unit_type, industry_code, industry_section, size_class, size_source, township,
        employees, CAST(ROUND(revenue_wan * 10000) AS BIGINT), CAST(ROUND(assets_wan * 10000) AS BIGINT) FROM units
        WHERE 1 = 1""",
    "ui_payments": """SELECT uscc, year, employer_paid_fen, employee_paid_fen, backpay_fen, months_paid,
        insured_start, insured_end, CAST(ROUND(insured_avg * 100) AS BIGINT), new_claimants, arrears_fen
        FROM ui_payments WHERE year = :year""",
    "credit_entries": "SELECT uscc, list_type, listed_on, removed_on FROM credit_entries WHERE 1 = 1",
    "industrial_output": """SELECT uscc, year, quarter, CAST(ROUND(output_wan * 10000) AS BIGINT),
        CAST(ROUND(prior_output_wan * 10000) AS BIGINT), above_scale FROM industrial_output
        WHERE quarter = :quarter AND year IN (:year, :year - 1)""",
}


def _frame(session: Session, source: str, params: dict) -> pl.DataFrame:
    sql = SQL[source] + (" AND uscc = :uscc" if params.get("uscc") else "")
    rows = session.execute(text(sql), params).all()
    schema = SCHEMAS[source]
    if source == "credit_entries":  # SQLite hands dates back as text through raw SQL
        rows = [(u, t, _day(a), _day(b)) for u, t, a, b in rows]
    frame = pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)
    return frame.cast(schema)


def _day(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def read_sources(session: Session, policy: Policy, period: Period, uscc: str | None = None) -> Sources:
    """The source frames of ``policy`` for ``period`` (only unit ``uscc`` when given)."""
    frames = {"units": _frame(session, "units", {"uscc": uscc})}
    for name, spec in policy.sources.items():
        params = {"year": period.year + spec.year_offset, "quarter": period.quarter or 0, "uscc": uscc}
        frames[name] = _frame(session, name, params)
    return Sources(frames)
