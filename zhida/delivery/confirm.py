"""Confirmation: a unit confirms, corrects its 对公账号 or declines within the 确认期.

When the period ends, units that did not answer are granted without application
(免审即享) unless held or under objection; units that declined are not paid.

A corrected account (账号, 开户行, 户名) is a change of the unit's bank account
(``bankaccounts.request_change``): audited with the real actor and masked values, effective at
once only for the unit's own answer with its registered name as 户名, else after a 审核 approves
it (the unit is held meanwhile).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from zhida.db import rowcount
from zhida.delivery import bankaccounts
from zhida.delivery.access import require_for_unit
from zhida.delivery.bankaccounts import check_account_no as check_account
from zhida.delivery.bankaccounts import masked
from zhida.delivery.locking import Conflict
from zhida.delivery.lookup import entitlement, get_cycle
from zhida.delivery.models import Cycle, Entitlement, analyze, now
from zhida.delivery.states import CycleState
from zhida.errors import StateError, ValidationFailed
from zhida.platform import audit
from zhida.roles import Actor, Role

ANSWERS = ("已确认", "已更正", "放弃")
OPEN_STATES = (CycleState.PUBLICITY, CycleState.CONFIRMING)


def _account(e: Entitlement) -> dict:
    return {**masked(e.account_name, e.bank_name, e.account_no), "confirmation": e.confirmation,
            "hold_reason": e.hold_reason}


def answer(session: Session, actor: Actor, cycle_id: int, uscc: str, *, decline: bool = False,
           account_no: str | None = None, bank_name: str | None = None,
           account_name: str | None = None, name_exception: str | None = None) -> Entitlement:
    """Record a unit's answer: confirm (optionally with a corrected account) or decline.

    A unit account answers for itself only; staff (经办) record answers given by phone or in
    person for any unit. A corrected account is filed as an account change (see the module text);
    the same answer twice raises ``Conflict``.
    """
    require_for_unit(actor, uscc, Role.OPERATOR, action="确认发放信息")
    cycle = get_cycle(session, cycle_id, lock=True)  # serialised with transitions and other answers
    if cycle.state not in OPEN_STATES:
        raise StateError(f"发放批次 {cycle_id} 处于「{cycle.state}」，只有公示期和确认期内可以确认或更正")
    e = entitlement(session, cycle_id, uscc)
    if e.excluded:
        raise StateError(f"单位 {e.name} 已不在发放范围：{e.excluded}")
    before = _account(e)
    _refuse_repeat(e, decline, account_no, bank_name, account_name)
    if decline:
        e.confirmation = "放弃"
    elif account_no or bank_name or account_name:
        bankaccounts.request_change(session, actor, uscc, account_no=account_no, bank_name=bank_name,
                                    account_name=account_name, name_exception=name_exception, cycle_id=cycle_id,
                                    source="单位门户" if actor.role == Role.UNIT else "经办")
        e.confirmation = "已更正"
    else:
        if not e.account_no:
            raise ValidationFailed(f"单位 {e.name} 没有登记对公账号：确认时请同时填写账号和开户行")
        e.confirmation = "已确认"
    e.confirmed_at = now()
    audit.record(session, actor=actor, action="单位" + e.confirmation, entity="entitlement",
                 entity_id=f"{cycle_id}/{uscc}", before=before, after=_account(e))
    session.flush()
    return e


def _refuse_repeat(e: Entitlement, decline: bool, account_no: str | None, bank_name: str | None,
                   account_name: str | None) -> None:
    """The same answer twice (a double submit, two clerks at once) is refused: it takes effect once."""
    same = (e.confirmation == "放弃" if decline else
            e.confirmation == "已确认" if not (account_no or bank_name or account_name) else
            e.confirmation == "已更正" and (account_no is None or check_account(account_no) == e.account_no)
            and bank_name in (None, e.bank_name) and account_name in (None, e.account_name))
    if same:
        when = f"{e.confirmed_at:%Y-%m-%d %H:%M} " if e.confirmed_at else ""
        raise Conflict(f"单位 {e.name} 已于 {when}提交过同样的答复（{e.confirmation}），本次未重复办理")


def grant_unanswered(session: Session, cycle: Cycle) -> int:
    """免审即享: every unit still 待确认, not held and not under objection, is granted."""
    E = Entitlement
    res = session.execute(update(E).where(
        E.cycle_id == cycle.id, E.confirmation == "待确认", E.hold_reason.is_(None), E.objection_open.is_(False),
        E.excluded.is_(None)).values(confirmation="免审即享").execution_options(synchronize_session=False))
    analyze(session, "delivery_entitlements")
    return rowcount(res)
