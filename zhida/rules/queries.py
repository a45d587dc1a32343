"""Read model of the rules engine for the web console and other packages: stored runs and their
results, and a unit's decisions.

Other packages read ``policy_runs`` and ``policy_results`` through these functions (or
``zhida.rules.service``), never through ``zhida.rules.models``. Lists are ``Select`` statements of
named columns (the caller pages, filters on ``stmt.selected_columns`` and sorts); small answers
are rows or frozen dataclasses. A statement used on a hot path is built once, so that it also
keeps its compiled-cache key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from zhida.rules.models import PolicyResult, PolicyRun

# what a decision shows: (run_id, policy_id, policy_name, period, status, amount_fen, reasons)
DECISION_COLUMNS = (PolicyRun.id, PolicyRun.policy_id, PolicyRun.policy_name, PolicyRun.period,
                    PolicyResult.status, PolicyResult.amount_fen, PolicyResult.reasons)
# a result in the lists and exports of a run
RESULT_COLUMNS = (PolicyResult.uscc, PolicyResult.name, PolicyResult.industry_section, PolicyResult.size_class,
                  PolicyResult.township, PolicyResult.status, PolicyResult.amount_fen, PolicyResult.reasons)


def _decisions_stmt() -> Select[*tuple[Any, ...]]:
    """A unit's (``:uscc``) result in the latest run of each policy and period, newest run first.

    One statement: the latest run ids come from the (small) runs table, each probes the results'
    primary key (run_id, uscc); only the columns a decision shows are read.
    """
    latest = select(func.max(PolicyRun.id)).group_by(PolicyRun.policy_id, PolicyRun.period)
    return (select(*DECISION_COLUMNS)
            .join(PolicyRun, PolicyRun.id == PolicyResult.run_id)
            .where(PolicyResult.uscc == bindparam("uscc"), PolicyResult.run_id.in_(latest))
            .order_by(PolicyRun.id.desc()))


DECISIONS = _decisions_stmt()  # built once: a constant statement also keeps its compiled-cache key


def latest_decisions(db: Session | Connection, uscc: str) -> list[Row[*tuple[Any, ...]]]:
    """The unit's result in the latest run of each policy and period: rows of ``DECISION_COLUMNS``."""
    return list(db.execute(DECISIONS, {"uscc": uscc}).all())


def decisions_in_runs(db: Session | Connection, uscc: str, run_ids: Select[*tuple[Any, ...]]) -> list[Row[*tuple[Any, ...]]]:
    """The unit's results in the runs ``run_ids`` selects (a one-column statement), newest run first:
    rows of ``DECISION_COLUMNS``, every run (the caller keeps one per policy and period)."""
    stmt = (select(*DECISION_COLUMNS)
            .join(PolicyRun, PolicyRun.id == PolicyResult.run_id)
            .where(PolicyResult.uscc == bindparam("uscc"), PolicyResult.run_id.in_(run_ids))
            .order_by(PolicyRun.id.desc()))
    return list(db.execute(stmt, {"uscc": uscc}).all())


@dataclass(frozen=True)
class RunRow:
    """A stored run as the lists show it (counts of units, total in fen)."""

    id: int
    policy_id: str
    policy_name: str
    period: str
    as_of: dt.date
    evaluated: int
    eligible: int
    undetermined: int
    total_fen: int


def recent_runs(session: Session, *, limit: int = 20, policy_id: str | None = None,
                with_eligible: bool = False) -> list[RunRow]:
    """The newest ``limit`` runs, of one policy when ``policy_id`` is given, only those with an
    eligible unit when ``with_eligible`` (a cycle can be made from them)."""
    R = PolicyRun
    stmt = select(R.id, R.policy_id, R.policy_name, R.period, R.as_of, R.evaluated, R.eligible, R.undetermined,
                  R.total_fen)
    if with_eligible:
        stmt = stmt.where(R.eligible > 0)
    if policy_id is not None:
        stmt = stmt.where(R.policy_id == policy_id)
    return [RunRow(*r) for r in session.execute(stmt.order_by(R.id.desc()).limit(limit)).all()]


def results_stmt(run_id: int, status: str = "", q: str = "") -> Select[*tuple[Any, ...]]:
    """``RESULT_COLUMNS`` of a run's results, of one status (eligible | ineligible | undetermined)
    when given, whose name contains ``q`` or whose code starts with it; unordered."""
    R = PolicyResult
    stmt = select(*RESULT_COLUMNS).where(R.run_id == run_id)
    if status:
        stmt = stmt.where(R.status == status)
    q = q.strip()
    if q:
        stmt = stmt.where(R.name.contains(q, autoescape=True) | R.uscc.startswith(q.upper(), autoescape=True))
    return stmt
