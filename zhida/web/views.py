"""View models: what a page shows, built from the domain's results (never recomputed here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    """A stored reason (text, or a dict with a text and whether it held) as a Reason.

    >>> reason_of({"description": "裁员率不超过控制目标", "passed": True, "values": {"layoff_rate": "3.2%"}})
    Reason(text='裁员率不超过控制目标（layoff_rate = 3.2%）', passed=True)
    >>> reason_of("不在失信名单").text
    '不在失信名单'
    """
    if isinstance(raw, dict):
        text = str(raw.get("text") or raw.get("description") or raw)
        used = "；".join(f"{k} = {v}" for k, v in (raw.get("values") or {}).items())
        missing = "、".join(raw.get("missing") or [])
        text += f"（{used}）" if used else ""
        text += f"（缺少：{missing}）" if missing else ""
        passed = raw.get("passed")
        return Reason(str(text), passed if isinstance(passed, bool) else None)
    return Reason(str(raw))


def latest_runs(session: Session) -> dict[int, PolicyRun]:
    """The latest run of each policy and period, by id (runs are few; results are many)."""
    latest: dict[tuple[str, str], PolicyRun] = {}
    for run in session.scalars(select(PolicyRun).order_by(PolicyRun.id.desc())):
        latest.setdefault((run.policy_id, run.period), run)
    return {run.id: run for run in latest.values()}


def decisions_of(session: Session, uscc: str) -> list[Decision]:
    """The unit's decision in the latest run of each policy and period.

    Looked up by the results' primary key (run_id, uscc), one probe per latest run.
    """
    runs = latest_runs(session)
    if not runs:
        return []
    results = session.scalars(select(PolicyResult).where(PolicyResult.run_id.in_(list(runs)),
                                                         PolicyResult.uscc == uscc)).all()
    out = []
    for res in sorted(results, key=lambda r: -r.run_id):
        run = runs[res.run_id]
        out.append(Decision(run.id, uscc, run.policy_id, run.policy_name, run.period, res.status, res.amount_fen,
                            [reason_of(r) for r in (res.reasons or [])]))
    return out
