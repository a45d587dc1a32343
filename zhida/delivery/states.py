"""The states of a payment cycle (发放批次) and who may move it from one to the next.

草稿 → 审核 → 公示 → 确认期 → 待发放 → 发放中 → 已完成; 审核 may send it back to 草稿;
any state before 发放中 may end in 已撤销 (by 审核, with a reason). 领导 reads everything and
approves payment (待发放 → 发放中) and nothing else. The process itself — roles, guards and
the effects of entering a state — is declared on ``zhida.platform.workflow`` in
``zhida.delivery.process``; this module holds only the names, so every other module (and the
web console) spells a state one way.

>>> CycleState.PUBLICITY == "公示", CycleState("已完成") in FINAL
(True, True)
"""

from __future__ import annotations

from enum import StrEnum


class CycleState(StrEnum):
    """发放批次状态."""

    DRAFT = "草稿"
    REVIEW = "审核"
    PUBLICITY = "公示"
    CONFIRMING = "确认期"
    READY = "待发放"
    PAYING = "发放中"
    DONE = "已完成"
    REVOKED = "已撤销"


S = CycleState
STATES: tuple[CycleState, ...] = tuple(CycleState)
BEFORE_PAYMENT = (S.DRAFT, S.REVIEW, S.PUBLICITY, S.CONFIRMING, S.READY)
OPEN = (*BEFORE_PAYMENT, S.PAYING)  # not yet final
FINAL = (S.DONE, S.REVOKED)
