"""The case process (办件流程) on ``zhida.platform.workflow``.

辅导中 (提前介入, no clock) → 已收件 → 待补正 ⇄ 已收件 → 办理中 (clock running) → 准予许可 / 不予许可
→ 已送达; 已收件 → 不予受理; 辅导中/已收件/待补正 → 已撤回. Guards that depend on the case's
data (open tasks, running pauses, missing 容缺 items) live in ``zhida.approvals.progress``.
"""

from __future__ import annotations

from enum import StrEnum

from zhida.approvals.models import Case
from zhida.platform.workflow import Process, Transition
from zhida.roles import Role


class CaseState(StrEnum):
    GUIDANCE = "辅导中"
    RECEIVED = "已收件"
    AWAITING = "待补正"
    IN_PROGRESS = "办理中"
    APPROVED = "准予许可"
    REFUSED = "不予许可"
    DELIVERED = "已送达"
    NOT_ACCEPTED = "不予受理"
    WITHDRAWN = "已撤回"


S = CaseState
OPEN = (S.RECEIVED, S.AWAITING, S.IN_PROGRESS)
CLOCK_RUNNING = (S.IN_PROGRESS,)
DECIDED = (S.APPROVED, S.REFUSED, S.DELIVERED)
_OP = (Role.OPERATOR,)
_REV = (Role.REVIEWER, Role.LEADER)

CASE = Process("approval_case", "办件", CaseState, model=Case, audit_entity="appr_case", transitions=[
    Transition(S.GUIDANCE, S.RECEIVED, "提交申请", _OP),
    Transition(S.RECEIVED, S.AWAITING, "一次性告知补正", _OP),
    Transition(S.AWAITING, S.RECEIVED, "补正材料", _OP),
    Transition(S.RECEIVED, S.IN_PROGRESS, "受理", _OP),
    Transition(S.RECEIVED, S.NOT_ACCEPTED, "不予受理", _OP, needs_comment=True),
    Transition(S.IN_PROGRESS, S.APPROVED, "准予许可", _REV),
    Transition(S.IN_PROGRESS, S.REFUSED, "不予许可", _REV, needs_comment=True),
    Transition(S.APPROVED, S.DELIVERED, "送达", _OP),
    Transition(S.REFUSED, S.DELIVERED, "送达", _OP),
    Transition(S.GUIDANCE, S.WITHDRAWN, "撤回", _OP, needs_comment=True),
    Transition(S.RECEIVED, S.WITHDRAWN, "撤回", _OP, needs_comment=True),
    Transition(S.AWAITING, S.WITHDRAWN, "撤回", _OP, needs_comment=True),
])
