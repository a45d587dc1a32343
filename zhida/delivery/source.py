"""The one place delivery reads the rules engine's tables: a run and its eligible units."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhida.errors import NotFound


@dataclass(frozen=True)
class RunInfo:
    id: int
    policy_id: str
    policy_name: str
    period: str


def get_run(session: Session, run_id: int) -> RunInfo:
    from zhida.rules.models import PolicyRun

    run = session.get(PolicyRun, run_id)
    if run is None:
        raise NotFound(f"测算 {run_id} 不存在：请先用 zhida policy run 计算名单")
    return RunInfo(run.id, run.policy_id, run.policy_name, run.period)


def eligible_rows(run_id: int) -> Select:
    """(uscc, name, amount_fen, size_class, township, industry_section, insured) of a run's payees."""
    from zhida.rules.models import PolicyResult as R

    return select(R.uscc, R.name, R.amount_fen, R.size_class, R.township, R.industry_section,
                  func.coalesce(R.insured, 0).label("insured")).where(
        R.run_id == run_id, R.status == "eligible", R.amount_fen > 0)


def rerun(session: Session, policy_id: str, period: str) -> int:
    """Evaluate the policy again on today's data; return the new run's id."""
    try:
        from zhida.rules.service import run_policy
    except ImportError as exc:  # pragma: no cover - rules engine not installed
        raise NotFound("规则引擎不可用，无法重新测算") from exc
    return run_policy(session, policy_id, period).id
