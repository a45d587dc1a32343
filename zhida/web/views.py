"""View models: what a page shows, built from the domain's results (never recomputed here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from zhida.delivery import queries as delivery_queries
from zhida.rules import queries as rules_queries
from zhida.rules.explain import render_reason

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


def reason_of(raw: Any) -> Reason:
    """A stored reason as a Reason, worded by the one renderer (``rules.explain.render_reason``).

    >>> reason_of({"description": "裁员率不超过控制目标", "passed": True, "text": "裁员率未超过控制目标",
    ...            "values": {"layoff_rate": "3.2%"}, "names": {"layoff_rate": ["裁员率", "percent"]}})
    Reason(text='裁员率未超过控制目标（裁员率 3.2%）', passed=True)
    >>> reason_of("不在失信名单").text
    '不在失信名单'
    """
    said = render_reason(raw)
    return Reason(said.text, said.passed)


def _decision(uscc: str, row: Any) -> Decision:
    run_id, policy_id, name, period, status, amount_fen, reasons = row
    return Decision(run_id, uscc, policy_id, name, period, status, amount_fen, [reason_of(r) for r in (reasons or [])])


def decisions_of(db: Session | Connection, uscc: str) -> list[Decision]:
    """The unit's decision in the latest run of each policy and period (an ORM session or a connection)."""
    return [_decision(uscc, row) for row in rules_queries.latest_decisions(db, uscc)]


def published_decisions_of(db: Session | Connection, uscc: str, visible: tuple[str, ...]) -> list[Decision]:
    """The unit's decisions in runs whose cycle reached 公示 (``visible``: the states a unit may see), newest
    run first, one per policy and period: a trial run staff made, or one whose cycle is still a draft or
    was revoked, is not shown to the unit."""
    out, seen = [], set()
    for row in rules_queries.decisions_in_runs(db, uscc, delivery_queries.runs_in_states(visible)):
        _, policy_id, _, period, *_ = row
        if (policy_id, period) in seen:
            continue
        seen.add((policy_id, period))
        out.append(_decision(uscc, row))
    return out
