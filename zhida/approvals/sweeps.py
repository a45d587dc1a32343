"""The daily run of the office: recompute every open case's clocks at once (vectorised), apply
the §32 five-day rule, sweep the 容缺 ledger and remind owners of cases on alert."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from zhida.approvals import alerts, cases
from zhida.approvals.clocks import LEVELS, alert_levels
from zhida.approvals.matters import yellow_share
from zhida.approvals.models import Case, Pause
from zhida.approvals.states import CaseState
from zhida.platform.clock import NO_DAY, DayTable, clock_arrays
from zhida.roles import Actor


@dataclass
class Recomputed:
    cases: int
    changed: int
    levels: dict[str, int]


def recompute_open(session: Session, as_of: dt.date, write: bool = True) -> Recomputed:
    """Deadlines (legal, promised) and alert levels of every case in 办理中 on ``as_of``; writes
    the due dates that changed. ``CalendarMissing`` when ``as_of``'s year has no table."""
    rows = session.execute(select(Case.id, Case.accepted_on, Case.legal_days + Case.extension_days,
                                  Case.promised_days + Case.extension_days, Case.legal_due, Case.promised_due)
                           .where(Case.state == CaseState.IN_PROGRESS.value, Case.accepted_on.is_not(None))
                           .order_by(Case.id)).all()
    if not rows:
        return Recomputed(0, 0, {})
    pos = {r[0]: i for i, r in enumerate(rows)}
    pauses: list[list] = [[] for _ in rows]
    for cid, start, end in session.execute(select(Pause.case_id, Pause.start, Pause.end)
                                           .join(Case, Case.id == Pause.case_id)
                                           .where(Case.state == CaseState.IN_PROGRESS.value).order_by(Pause.start)):
        pauses[pos[cid]].append((start, end))
    accepted: list[dt.date] = [r[1] for r in rows if r[1] is not None]
    cal = cases.calendar_of(session)
    table = DayTable.covering(cal, min(min(accepted).year, as_of.year), max(as_of.year, max(a.year for a in accepted)))
    legal = clock_arrays(cal, accepted, [r[2] for r in rows], pauses, as_of, table)
    promised = clock_arrays(cal, accepted, [r[3] for r in rows], pauses, as_of, table)
    changes = _changed(rows, legal, promised)
    if write and changes:
        _write(session, changes)
    counts = np.bincount(alert_levels(promised, yellow_share(session)), minlength=len(LEVELS))
    levels = {LEVELS[i]: int(n) for i, n in enumerate(counts) if n}
    return Recomputed(len(rows), len(changes), levels)


def _changed(rows, legal, promised) -> list[dict]:
    """The cases whose stored due dates differ from the recomputed ones (compared as day numbers)."""
    base = legal.base

    def stored(col: int) -> np.ndarray:
        return np.fromiter((NO_DAY if r[col] is None else r[col].toordinal() - base for r in rows), np.int64, len(rows))

    diff = np.flatnonzero((stored(4) != legal.due) | (stored(5) != promised.due))
    return [{"k": rows[i][0], "ld": legal.due_date(i), "pd": promised.due_date(i), "p": bool(promised.paused[i])}
            for i in diff]


def _write(session: Session, changes: list[dict]) -> None:
    """Write the changed due dates: on PostgreSQL through COPY into a temporary table and one
    ``UPDATE … FROM``; elsewhere with one executemany."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        stmt = (update(Case).where(Case.id == bindparam("k"))
                .values(legal_due=bindparam("ld"), promised_due=bindparam("pd"), paused=bindparam("p")))
        conn.execute(stmt, changes)
        return
    conn.exec_driver_sql("CREATE TEMP TABLE appr_due_tmp (id integer, ld date, pd date, p boolean) ON COMMIT DROP")
    raw = conn.connection.driver_connection
    if raw is None:  # pragma: no cover - a pooled connection always has its driver connection
        raise RuntimeError("no driver connection")
    cur = raw.cursor()
    with cur.copy("COPY appr_due_tmp (id, ld, pd, p) FROM STDIN") as cp:
        for ch in changes:
            cp.write_row((ch["k"], ch["ld"], ch["pd"], ch["p"]))
    conn.exec_driver_sql("UPDATE appr_cases AS c SET legal_due = t.ld, promised_due = t.pd, paused = t.p "
                         "FROM appr_due_tmp AS t WHERE c.id = t.id")
    conn.exec_driver_sql("DROP TABLE appr_due_tmp")


@dataclass
class DailyRun:
    deemed: list[str]
    promise_reminders: int
    promise_overdue: int
    recomputed: Recomputed
    owner_reminders: int

    def summary(self) -> str:
        lv = "，".join(f"{k} {v}" for k, v in sorted(self.recomputed.levels.items())) or "无"
        return (f"办理中 {self.recomputed.cases} 件（{lv}），期限更新 {self.recomputed.changed} 件；"
                f"视为受理 {len(self.deemed)} 件；容缺提醒 {self.promise_reminders} 条、逾期 {self.promise_overdue} 项；"
                f"预警提醒 {self.owner_reminders} 条")


def daily(session: Session, actor: Actor, as_of: dt.date) -> DailyRun:
    deemed = cases.five_day_sweep(session, actor, as_of)
    reminded, overdue = alerts.sweep_promises(session, actor, as_of)
    rec = recompute_open(session, as_of)
    return DailyRun(deemed, reminded, overdue, rec, alerts.remind_owners(session, as_of))
