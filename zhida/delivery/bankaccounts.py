"""Bank accounts of units (对公账号) as money-critical data: validated, audited, approved by a second person.

The account a payment goes to is the unit's *approved* account (``PaymentAccount``), never the
registry's raw value. A change — from the portal, from staff, or from a registry import — is an
``AccountChange``: audited with its real actor and the masked before/after, and effective only
after a 审核 other than the requester approves it. One exception: the unit's own authenticated
answer in the portal whose 户名 equals its registered name takes effect at once. While a change
waits, the unit's open entitlements are held (暂缓), so nothing is paid to either account.

户名 must equal the unit's registered name (an explicit, reviewed exception otherwise); 开户行
must be a bank's name, never a formula or markup.
"""

from __future__ import annotations

import re

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from zhida.db import rowcount
from zhida.delivery.locking import Conflict, lock_row
from zhida.delivery.models import AccountChange, Cycle, Entitlement, Payment, PaymentAccount, now
from zhida.delivery.states import CycleState
from zhida.errors import NotFound, PermissionDenied, ValidationFailed
from zhida.platform import audit
from zhida.registry.models import Unit
from zhida.roles import Actor, Role
from zhida.sheets import DANGEROUS_START

HOLD = "对公账号变更待审核"
REFUSED = "对公账号变更未通过审核"
OPEN_CYCLES = (CycleState.DRAFT, CycleState.REVIEW, CycleState.PUBLICITY, CycleState.CONFIRMING, CycleState.READY, CycleState.PAYING)
_BANK_WORDS = re.compile(r"银行|信用社|信用合作联社|农商行|农信社|邮储|合作银行")
_BANK_CHARS = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9（）()·\s-]{4,60}$")
_ACCOUNT = re.compile(r"^\d{8,30}$")


def mask_account(no: str | None) -> str | None:
    """The first 4 and last 4 digits of an account number.

    >>> mask_account("6228480012345678"), mask_account("12345678"), mask_account(None)
    ('6228********5678', '****5678', None)
    """
    if not no:
        return None
    return no[:4] + "*" * (len(no) - 8) + no[-4:] if len(no) > 8 else "****" + no[-4:]


def masked(name: str | None, bank: str | None, no: str | None) -> dict:
    return {"account_name": name, "bank_name": bank, "account_no": mask_account(no)}


def check_account_no(account_no: str) -> str:
    """8–30 digits once spaces and dashes are removed; raises ``ValidationFailed``.

    >>> check_account_no("6222 0216-1234 5678")
    '6222021612345678'
    """
    clean = re.sub(r"[\s-]", "", account_no or "")
    if not _ACCOUNT.fullmatch(clean):
        raise ValidationFailed(f"对公账号 \"{account_no}\" 格式不对：应为 8–30 位数字")
    return clean


def check_bank_name(bank_name: str) -> str:
    """A bank's name (开户行): 4–60 characters of text, naming a bank; never a formula.

    >>> check_bank_name(" 中国农业银行茌平支行 ")
    '中国农业银行茌平支行'
    >>> check_bank_name("=HYPERLINK(1)")
    Traceback (most recent call last):
    ...
    zhida.errors.ValidationFailed: 开户行 "=HYPERLINK(1)" 不是银行名称：应为如「中国农业银行茌平支行」的开户行全称，不能以 = + - @ 开头或含公式符号
    """
    clean = (bank_name or "").strip()
    if clean.startswith(DANGEROUS_START) or not _BANK_CHARS.fullmatch(clean) or not _BANK_WORDS.search(clean):
        raise ValidationFailed(f"开户行 \"{bank_name}\" 不是银行名称：应为如「中国农业银行茌平支行」的开户行全称，"
                               "不能以 = + - @ 开头或含公式符号")
    return clean


def same_name(a: str | None, b: str | None) -> bool:
    """Equal once spaces are removed and full-width brackets made half-width.

    >>> same_name("聊城（茌平）机械有限公司", "聊城(茌平)机械有限公司 ")
    True
    """
    def norm(s: str | None) -> str:
        return re.sub(r"\s", "", (s or "").replace("（", "(").replace("）", ")"))
    return bool(a) and norm(a) == norm(b)


def check_holder(unit: Unit, account_name: str | None, exception: str | None) -> str:
    """户名: the unit's registered name, or another name with a written exception (then always reviewed)."""
    name = (account_name or "").strip() or unit.name
    if name.startswith(DANGEROUS_START):
        raise ValidationFailed(f"户名 \"{name}\" 不能以 = + - @ 开头：户名应为单位登记名称「{unit.name}」")
    if not same_name(name, unit.name) and not (exception or "").strip():
        raise ValidationFailed(f"户名「{name}」与单位登记名称「{unit.name}」不一致：户名应为单位名称；确需不同的，"
                               "请写明例外说明，由审核人员复核后生效")
    return name


def effective(session: Session, uscc: str) -> tuple[str | None, str | None, str | None]:
    """(户名, 开户行, 账号) payments go to: the approved account, else the registry's (first use)."""
    pa = session.get(PaymentAccount, uscc)
    if pa is not None:
        return pa.account_name, pa.bank_name, pa.account_no
    unit = session.get(Unit, uscc)
    return (unit.name, unit.bank_name, unit.account_no) if unit else (None, None, None)


def request_change(session: Session, actor: Actor, uscc: str, *, account_no: str | None = None,
                   bank_name: str | None = None, account_name: str | None = None, source: str,
                   cycle_id: int | None = None, name_exception: str | None = None) -> AccountChange:
    """File (and audit) a change of a unit's account; apply it at once only when the unit itself
    asks with its registered name as 户名. Raises ``ValidationFailed`` for a bad value or no change."""
    unit = session.get(Unit, uscc)
    if unit is None:
        raise NotFound(f"统一社会信用代码为 {uscc} 的单位不存在")
    old = effective(session, uscc)
    new = (check_holder(unit, account_name, name_exception),
           check_bank_name(bank_name) if bank_name else old[1],
           check_account_no(account_no) if account_no else old[2])
    if new == old:
        raise ValidationFailed(f"单位 {unit.name} 的对公账号没有变化，无需变更")
    self_confirmed = actor.role == Role.UNIT and actor.uscc == uscc and same_name(new[0], unit.name)
    change = AccountChange(uscc=uscc, source=source, cycle_id=cycle_id, account_name=new[0], bank_name=new[1],
                           account_no=new[2], name_exception=(name_exception or "").strip()[:200] or None,
                           status="已生效" if self_confirmed else "待审核", requested_by=actor.username,
                           requested_role=actor.role.value, requested_at=now())
    session.add(change)
    session.flush()
    audit.record(session, actor=actor, action="单位本人变更对公账号" if self_confirmed else "申请变更单位对公账号",
                 entity="unit_account", entity_id=uscc, before=masked(*old),
                 after={**masked(*new), "change_id": change.id, "source": source, "status": change.status,
                        "exception": change.name_exception})
    if self_confirmed:
        apply(session, change)
    else:
        _hold(session, uscc, f"{HOLD}（#{change.id}）")
    return change


def review(session: Session, actor: Actor, change_id: int, *, approve: bool, note: str = "") -> AccountChange:
    """审核: approve (the account takes effect) or refuse (the unit stays held until staff act).

    The reviewer must be another person than the requester; a change is decided once (``Conflict``).
    """
    actor.require(Role.REVIEWER, action="审核单位对公账号变更")
    change = lock_row(session, AccountChange, AccountChange.id == change_id)
    if change is None:
        raise NotFound(f"对公账号变更申请 #{change_id} 不存在")
    if change.status != "待审核":
        raise Conflict(f"对公账号变更申请 #{change_id} 已{change.status}（{change.reviewed_by or '单位本人确认'}），不能再审核")
    if change.requested_by == actor.username:
        raise PermissionDenied("对公账号变更须由申请人以外的另一名审核人员审核")
    if not approve and not note.strip():
        raise ValidationFailed("驳回对公账号变更必须写明理由")
    if approve:  # an imported value is checked here, before it can take effect
        check_account_no(change.account_no or "")
        check_bank_name(change.bank_name or "")
    change.status = "已生效" if approve else "已驳回"
    change.reviewed_by, change.reviewed_at, change.review_note = actor.username, now(), note.strip()[:200] or None
    audit.record(session, actor=actor, action="审核通过对公账号变更" if approve else "驳回对公账号变更",
                 entity="unit_account", entity_id=change.uscc, before={"change_id": change.id, "status": "待审核"},
                 after={**masked(change.account_name, change.bank_name, change.account_no), "change_id": change.id,
                        "status": change.status, "note": change.review_note})
    if approve:
        apply(session, change)
    else:
        _hold(session, change.uscc, f"{REFUSED}（#{change.id}）：{change.review_note}"[:200], replace=True)
    session.flush()
    return change


def apply(session: Session, change: AccountChange) -> None:
    """Make an approved change the payment account: registry, open entitlements, unexported payments."""
    pa = session.get(PaymentAccount, change.uscc) or PaymentAccount(uscc=change.uscc)
    pa.account_name, pa.bank_name, pa.account_no = change.account_name, change.bank_name, change.account_no
    pa.change_id, pa.approved_by, pa.approved_at = change.id, change.reviewed_by or change.requested_by, now()
    session.add(pa)
    unit = session.get(Unit, change.uscc)
    if unit is not None:
        unit.bank_name, unit.account_no = change.bank_name, change.account_no
    for e, cycle in _open(session, change.uscc):
        e.account_name, e.bank_name, e.account_no = change.account_name, change.bank_name, change.account_no
        if e.hold_reason and e.hold_reason.startswith((HOLD, REFUSED)):
            e.hold_reason = None
        _repoint_payment(session, cycle, e)
    session.flush()


def _repoint_payment(session: Session, cycle: Cycle, e: Entitlement) -> None:
    from zhida.delivery.payments import ensure_payment

    p = session.scalar(select(Payment).where(Payment.cycle_id == cycle.id, Payment.uscc == e.uscc))
    if p is not None and p.status in ("待导出", "失败"):
        p.account_name, p.bank_name, p.account_no = e.account_name, e.bank_name, e.account_no
        p.status, p.fail_reason = "待导出", None
    elif p is None and not e.hold_reason:
        ensure_payment(session, cycle, e)


def _open(session: Session, uscc: str) -> list[tuple[Entitlement, Cycle]]:
    return list(session.execute(select(Entitlement, Cycle).join(Cycle, Cycle.id == Entitlement.cycle_id)
                                .where(Entitlement.uscc == uscc, Cycle.state.in_(OPEN_CYCLES),
                                       Entitlement.excluded.is_(None))))


def _hold(session: Session, uscc: str, reason: str, replace: bool = False) -> None:
    for e, _ in _open(session, uscc):
        if e.hold_reason is None or (replace and e.hold_reason.startswith((HOLD, REFUSED))):
            e.hold_reason = reason


def pending(session: Session, limit: int = 200) -> list[AccountChange]:
    return list(session.scalars(select(AccountChange).where(AccountChange.status == "待审核")
                                .order_by(AccountChange.id).limit(limit)))


def changed_in_registry(session: Session, usccs_of_run) -> list[tuple[str, str | None, str | None]]:
    """Units of a run whose registry account differs from their approved one: (uscc, bank, account)."""
    U, PA = Unit, PaymentAccount
    differs = and_(PA.uscc == U.uscc, (U.account_no.is_distinct_from(PA.account_no))
                   | (U.bank_name.is_distinct_from(PA.bank_name)))
    return list(session.execute(select(U.uscc, U.bank_name, U.account_no).join(PA, differs)
                                .where(U.uscc.in_(usccs_of_run))))


def _import_actor(session: Session) -> tuple[str, str]:
    """Who wrote the registry's accounts: the actor of the latest accepted unit import (audited there)."""
    found = audit.last_actor(session, "import", '"kind":"enterprises"')
    return found or ("导入", Role.OPERATOR.value)


def take_up_registry(session: Session, actor: Actor, usccs) -> int:
    """Before a cycle freezes its list: adopt the registry account of units paid for the first time, and
    file a change (source 导入, pending review) for each unit whose registry account differs from its
    approved one. Returns how many changes were filed."""
    from sqlalchemy import exists, insert, literal

    U, PA = Unit, PaymentAccount
    new = (select(U.uscc, U.name, U.bank_name, U.account_no, literal("登记库首次采用"), literal(now()))
           .where(U.uscc.in_(usccs), U.account_no.is_not(None), ~exists().where(PA.uscc == U.uscc)))
    adopted = rowcount(session.execute(insert(PA).from_select(["uscc", "account_name", "bank_name", "account_no", "approved_by",
                                                      "approved_at"], new)))
    if adopted:
        audit.record(session, actor=actor, action="首次采用登记库对公账号", entity="unit_account", entity_id="*",
                     after={"units": adopted})
    filed = 0
    who, role = _import_actor(session)
    for uscc, bank, no in changed_in_registry(session, usccs):
        waiting = session.scalar(select(AccountChange.id).where(
            AccountChange.uscc == uscc, AccountChange.status == "待审核", AccountChange.account_no.is_not_distinct_from(no),
            AccountChange.bank_name.is_not_distinct_from(bank)))
        if waiting:
            continue
        old = effective(session, uscc)
        change = AccountChange(uscc=uscc, source="导入", account_name=old[0], bank_name=bank, account_no=no,
                               status="待审核", requested_by=who, requested_role=role, requested_at=now())
        session.add(change)
        session.flush()
        audit.record(session, actor=Actor(who, Role(role)), action="申请变更单位对公账号", entity="unit_account",
                     entity_id=uscc, before=masked(*old), after={**masked(old[0], bank, no), "change_id": change.id,
                                                                 "source": "导入", "status": "待审核"})
        _hold(session, uscc, f"{HOLD}（#{change.id}）")
        filed += 1
    return filed


def hold_pending(session: Session, cycle_id: int) -> int:
    """Hold a new cycle's units that have a change waiting for review."""
    from sqlalchemy import update

    E = Entitlement
    waiting = select(AccountChange.uscc).where(AccountChange.status == "待审核")
    return rowcount(session.execute(update(E).where(E.cycle_id == cycle_id, E.uscc.in_(waiting), E.hold_reason.is_(None))
                           .values(hold_reason=HOLD).execution_options(synchronize_session=False)))
