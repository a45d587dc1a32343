"""A payment cannot be diverted (issue 11): account changes are validated, audited with the real
actor and masked values, and paid to only after a second person approves them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import AccountChange, Entitlement, Payment
from zhida.errors import PermissionDenied, StateError, ValidationFailed
from zhida.platform.models import AuditEntry
from zhida.registry.models import Unit
from zhida.roles import Actor, Role

from .flow import PAY_DAY, new_cycle
from .helpers import LEADER, OPERATOR, REVIEWER, make_run
from .test_cli import zhida  # noqa: F401  (fixture)

MINE = "6228480000424242"


def test_staff_cannot_divert_a_payment(engine):
    """The attack of the issue: a 经办 'corrects' a unit's account to his own, with any 户名."""
    cid, codes = new_cycle(engine, 6)
    victim = codes[1]
    with session_scope(engine) as s:
        with pytest.raises(ValidationFailed, match="户名「张三」与单位登记名称"):
            service.answer(s, OPERATOR, cid, victim, account_no=MINE, account_name="张三")
        # even under the unit's own name, staff's change waits for a second person
        service.answer(s, OPERATOR, cid, victim, account_no=MINE, bank_name="中国工商银行茌平支行")
        e = s.get(Entitlement, (cid, victim))
        assert e.account_no != MINE and e.hold_reason.startswith("对公账号变更待审核")
        assert s.get(Unit, victim).account_no != MINE
        row = s.scalars(select(AuditEntry).where(AuditEntry.entity == "unit_account",
                                                 AuditEntry.entity_id == victim)).one()
        assert (row.actor, row.role) == (OPERATOR.username, "operator")  # the real actor, not the unit
        assert json.loads(row.after)["account_no"] == "6228********4242" and MINE not in row.after
    with session_scope(engine) as s:
        service.advance(s, OPERATOR, cid, today=PAY_DAY)
        service.advance(s, LEADER, cid)
        assert s.scalar(select(Payment).where(Payment.cycle_id == cid, Payment.uscc == victim)) is None  # held
        change = service.pending_account_changes(s)[0]
        with pytest.raises(ValidationFailed, match="理由"):
            service.review_account_change(s, REVIEWER, change.id, approve=False)
        service.review_account_change(s, REVIEWER, change.id, approve=False, note="单位电话核实：账号未变更")
        with pytest.raises(StateError, match="已驳回"):
            service.review_account_change(s, REVIEWER, change.id, approve=True)
        assert s.get(Entitlement, (cid, victim)).hold_reason.startswith("对公账号变更未通过审核")
        assert s.scalar(select(Payment).where(Payment.cycle_id == cid, Payment.uscc == victim)) is None


def test_unit_self_confirmation_needs_its_registered_name(engine):
    cid, codes = new_cycle(engine, 6)
    unit = Actor("portal", Role.UNIT, codes[1])
    with session_scope(engine) as s:
        name = s.get(Unit, codes[1]).name
        # another 户名, with an explained exception: allowed, but reviewed
        service.answer(s, unit, cid, codes[1], account_no=MINE, account_name="茌平区某某代收中心",
                       name_exception="集团财务公司统一代收")
        change = s.scalars(select(AccountChange)).one()
        assert change.status == "待审核" and s.get(Unit, codes[1]).account_no != MINE
        with pytest.raises(PermissionDenied, match="审核"):
            service.review_account_change(s, OPERATOR, change.id, approve=True)
        service.review_account_change(s, REVIEWER, change.id, approve=True)
        e = s.get(Entitlement, (cid, codes[1]))
        assert (e.account_name, e.account_no, e.hold_reason) == ("茌平区某某代收中心", MINE, None)
        # under its registered name (full-width brackets and spaces do not matter): at once
        service.answer(s, unit, cid, codes[1], account_no="6228480000777777", account_name=f" {name} ")
        assert s.get(Unit, codes[1]).account_no == "6228480000777777"


@pytest.mark.parametrize("field,value,message", [
    ("bank_name", "=HYPERLINK(\"http://x\")", "不是银行名称"),
    ("bank_name", "@SUM(1)", "不是银行名称"),
    ("bank_name", "茌平区某某公司", "不是银行名称"),
    ("account_name", "=cmd|' /C calc'!A0", "不能以 = \\+ - @ 开头"),
    ("account_no", "62-28", "8–30 位数字"),
])
def test_account_values_are_validated(engine, field, value, message):
    cid, codes = new_cycle(engine, 4)
    with session_scope(engine) as s:
        kw = {"account_no": MINE, "bank_name": "中国银行茌平支行", field: value}
        with pytest.raises(ValidationFailed, match=message):
            service.answer(s, Actor("portal", Role.UNIT, codes[1]), cid, codes[1], **kw)


def test_an_imported_account_change_is_reviewed_before_payment(engine):
    """A registry import that changes an already-used account files a change (source 导入) and holds the unit."""
    cid, codes = new_cycle(engine, 6, to="发放中")
    with session_scope(engine) as s:
        s.get(Unit, codes[1]).account_no = MINE  # what an import of the unit file does
        run2 = make_run(s, codes, period="2025")
        c2 = service.create_cycle(s, OPERATOR, run2)
        change = s.scalars(select(AccountChange).where(AccountChange.uscc == codes[1])).one()
        assert (change.source, change.status, change.account_no) == ("导入", "待审核", MINE)
        e = s.get(Entitlement, (c2.id, codes[1]))
        assert e.account_no != MINE and e.hold_reason.startswith("对公账号变更待审核")
        service.review_account_change(s, REVIEWER, change.id, approve=True)
        assert s.get(Entitlement, (c2.id, codes[1])).account_no == MINE
        assert s.get(Entitlement, (cid, codes[1])).account_no == MINE  # the unexported payment follows too
        p = s.scalar(select(Payment).where(Payment.cycle_id == cid, Payment.uscc == codes[1]))
        assert p.account_no == MINE and p.status == "待导出"


def test_cli_lists_and_reviews_changes(zhida, engine):  # noqa: F811
    cid, codes = new_cycle(engine, 4)
    with session_scope(engine) as s:
        service.answer(s, OPERATOR, cid, codes[1], account_no=MINE)
    listed = zhida("pay", "account-changes", "--format", "json")
    (row,) = json.loads(listed.stdout)
    assert row["account_no"] == "6228********4242" and row["requested_by"] == OPERATOR.username
    same = zhida("pay", "account-review", str(row["id"]), "--approve", "--actor", OPERATOR.username, "--role", "reviewer")
    assert same.returncode == 1 and "另一名审核人员" in "".join(same.stderr.split())
    ok = zhida("pay", "account-review", str(row["id"]), "--approve", "--actor", "shenhe", "--role", "reviewer")
    assert ok.returncode == 0 and "已生效" in ok.stdout
    with session_scope(engine) as s:
        assert s.get(Unit, codes[1]).account_no == MINE
