"""View models: what a page shows, built from the domain's results (never recomputed here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from zhida.rules.explain import render_reason
from zhida.rules.models import PolicyResult, PolicyRun

STATUS_LABELS = {"eligible": "符合", "ineligible": "不符合", "undetermined": "无法判定"}


@dataclass(frozen=True)
class Reason:
    text: str
    passed: bool | None = None


@dataclass(frozen=True)
class Decision:
    run_id: int
    uscc: str
    policy_id: str
    policy_name: str
    period: str
    status: str
    amount_fen: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def reason_of(raw) -> Reason:
    """A stored reason as a Reason, worded by the one renderer (``rules.explain.render_reason``).

    >>> reason_of({"description": "裁员率不超过控制目标", "passed": True, "text": "裁员率未超过控制目标",
    ...            "values": {"layoff_rate": "3.2%"}, "names": {"layoff_rate": ["裁员率", "percent"]}})
    Reason(text='裁员率未超过控制目标（裁员率 3.2%）', passed=True)
    >>> reason_of("不在失信名单").text
    '不在失信名单'
    """
    said = render_reason(raw)
    return Reason(said.text, said.passed)


def _decisions_stmt() -> Select:
    """A unit's (``:uscc``) result in the latest run of each policy and period, newest run first.

    One statement: the latest run ids come from the (small) runs table, each probes the results'
    primary key (run_id, uscc); only the columns a decision shows are read.
    """
    latest = select(func.max(PolicyRun.id)).group_by(PolicyRun.policy_id, PolicyRun.period)
    return (select(PolicyRun.id, PolicyRun.policy_id, PolicyRun.policy_name, PolicyRun.period,
                   PolicyResult.status, PolicyResult.amount_fen, PolicyResult.reasons)
            .join(PolicyRun, PolicyRun.id == PolicyResult.run_id)
            .where(PolicyResult.uscc == bindparam("uscc"), PolicyResult.run_id.in_(latest))
            .order_by(PolicyRun.id.desc()))


DECISIONS = _decisions_stmt()  # built once: a constant statement also keeps its compiled-cache key


def decisions_of(db: Session | Connection, uscc: str) -> list[Decision]:
    """The unit's decision in the latest run of each policy and period (an ORM session or a connection)."""
    return [Decision(run_id, uscc, policy_id, name, period, status, amount_fen,
                     [reason_of(r) for r in (reasons or [])])
            for run_id, policy_id, name, period, status, amount_fen, reasons in db.execute(DECISIONS, {"uscc": uscc})]


def _published_decisions_stmt(visible: tuple[str, ...]) -> Select:
    """Like ``DECISIONS``, but only runs that are in a cycle the unit may see (公示 or later, not revoked):
    a trial run staff made, or one whose cycle is still a draft, is not shown to the unit."""
    from zhida.delivery.models import Cycle

    published = select(Cycle.run_id).where(Cycle.state.in_(visible))
    return (select(PolicyRun.id, PolicyRun.policy_id, PolicyRun.policy_name, PolicyRun.period,
                   PolicyResult.status, PolicyResult.amount_fen, PolicyResult.reasons)
            .join(PolicyRun, PolicyRun.id == PolicyResult.run_id)
            .where(PolicyResult.uscc == bindparam("uscc"), PolicyResult.run_id.in_(published))
            .order_by(PolicyRun.id.desc()))


def published_decisions_of(db: Session | Connection, uscc: str, visible: tuple[str, ...]) -> list[Decision]:
    """The unit's decisions in runs whose cycle reached 公示 (newest run first; one per policy and period)."""
    out, seen = [], set()
    for run_id, policy_id, name, period, status, amount_fen, reasons in db.execute(
            _published_decisions_stmt(visible), {"uscc": uscc}):
        if (policy_id, period) in seen:
            continue
        seen.add((policy_id, period))
        out.append(Decision(run_id, uscc, policy_id, name, period, status, amount_fen,
                            [reason_of(r) for r in (reasons or [])]))
    return out
