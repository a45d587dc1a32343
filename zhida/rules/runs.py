"""Store runs (a frozen snapshot of parameters, inputs and results) and summarise them."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import Text, bindparam, func, insert, select
from sqlalchemy.orm import Session, object_session

from zhida.money import format_wan, format_yuan
from zhida.rules.evaluate import ELIGIBLE, INELIGIBLE, UNDETERMINED, Evaluation, summary_counts
from zhida.rules.inputs import Sources, frame_hash
from zhida.rules.lang.display import plain_value
from zhida.rules.models import PolicyResult, PolicyRun
from zhida.rules.period import Period
from zhida.rules.reasons import reasons_json

CHUNK = 5000
COPY_CHUNK = 50_000
SIZE_ORDER = ["大型", "中型", "小型", "微型", None]


def parameters_json(ev: Evaluation) -> dict:
    out = {}
    for name, dated in ev.params.items():
        p = ev.policy.parameters[name]
        out[name] = {"description": p.description, "value": plain_value(dated.value, p.unit),
                     "effective": dated.effective.isoformat(), "reference": dated.reference}
    return out


RESULT_COLUMNS = ["run_id", "uscc", "name", "status", "amount_fen", "size_class", "township", "industry_section",
                  "insured", "reasons"]


def result_frame(ev: Evaluation, run_id: int) -> pl.DataFrame:
    """The ``policy_results`` rows of a run as one frame, reasons as JSON text (one Polars query)."""
    frame = ev.frame
    insured = (pl.col("insured_avg") + 50) // 100 if "insured_avg" in frame.columns else pl.lit(None)
    return frame.lazy().select(
        pl.lit(run_id, dtype=pl.Int64).alias("run_id"), pl.col(ev.key).alias("uscc"), pl.col(ev.title).alias("name"),
        pl.col("status").cast(pl.String),
        "amount_fen",
        *[pl.col(c) if c in frame.columns else pl.lit(None, dtype=pl.String).alias(c)
          for c in ("size_class", "township", "industry_section")],
        insured.cast(pl.Int64).alias("insured"), reasons_json(ev)).collect()


def insert_results(session: Session, frame: pl.DataFrame) -> None:
    """Insert result rows whose ``reasons`` is JSON text, without parsing it again.

    PostgreSQL: one ``COPY … FROM STDIN`` of the frame as CSV; other databases: batched
    inserts binding the JSON text as is.
    """
    conn = session.connection()
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql" and raw is not None:
        cols = ", ".join(RESULT_COLUMNS)
        with raw.cursor() as cur, cur.copy(f"COPY policy_results ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
            for i in range(0, frame.height, COPY_CHUNK):
                copy.write(frame.slice(i, COPY_CHUNK).write_csv(include_header=False))
        return
    stmt = insert(PolicyResult).values(reasons=bindparam("reasons_text", type_=Text))
    for i in range(0, frame.height, CHUNK):
        batch = frame.slice(i, CHUNK).rename({"reasons": "reasons_text"}).to_dicts()
        conn.execute(stmt, batch)


def store_run(session: Session, ev: Evaluation, period: Period, as_of: dt.date, sources: Sources,
              input_frame: pl.DataFrame) -> PolicyRun:
    """Insert the run and one result per unit; flushes, the caller's transaction commits."""
    counts = summary_counts(ev.frame)
    run = PolicyRun(policy_id=ev.policy.id, policy_name=ev.policy.name, entity=ev.entity, period=str(period),
                    as_of=as_of, policy_hash=ev.policy.hash, parameters=parameters_json(ev),
                    input_snapshot={"rows": sources.counts(), "population": input_frame.height,
                                    "hash": frame_hash(input_frame)}, **counts)
    session.add(run)
    session.flush()
    insert_results(session, result_frame(ev, run.id))
    return run


def by_size(session: Session, run_id: int) -> list[tuple]:
    """(size_class, status, units, total_fen) of one run."""
    q = (select(PolicyResult.size_class, PolicyResult.status, func.count(), func.sum(PolicyResult.amount_fen))
         .where(PolicyResult.run_id == run_id).group_by(PolicyResult.size_class, PolicyResult.status))
    return [tuple(r) for r in session.execute(q)]


def summarise_run(run: PolicyRun, session: Session | None = None) -> str:
    """Chinese summary of a stored run: counts, total, and a breakdown by size class."""
    period = Period.parse(run.period).chinese()
    lines = [f"{run.policy_name}（{run.policy_id}）{period} · 运行 #{run.id} · 判定日期 {run.as_of}",
             f"评估单位 {run.evaluated} 个：符合 {run.eligible} 个，"
             f"不符合 {run.evaluated - run.eligible - run.undetermined} 个，待定 {run.undetermined} 个",
             f"金额合计 {format_yuan(run.total_fen)} 元（{format_wan(run.total_fen)} 万元）"]
    session = session or object_session(run)
    if session is None:
        return "\n".join(lines)
    table: dict = {}
    for size, status, n, total in by_size(session, run.id):
        entry = table.setdefault(size, {ELIGIBLE: 0, INELIGIBLE: 0, UNDETERMINED: 0, "fen": 0})
        entry[status] += n
        entry["fen"] += int(total or 0)
    lines.append("按企业规模：")
    for size in SIZE_ORDER:
        if size in table:
            e = table[size]
            lines.append(f"  {size or '未知':<4} 符合 {e[ELIGIBLE]:>6} 个  不符合 {e[INELIGIBLE]:>6} 个  "
                         f"待定 {e[UNDETERMINED]:>5} 个  金额 {format_yuan(e['fen']):>16} 元")
    return "\n".join(lines)

