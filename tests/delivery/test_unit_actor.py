"""A unit account acts for its own unit only (objection, confirm, correct, decline); staff for any.

A corrected account also reaches the unit registry, audited before and after.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import Entitlement, Objection
from zhida.errors import PermissionDenied
from zhida.platform import audit
from zhida.platform.models import AuditEntry
from zhida.registry.models import Unit
from zhida.roles import Actor, Role

from .flow import new_cycle
from .helpers import OPERATOR, REVIEWER


def unit_of(code: str) -> Actor:
    return Actor(f"u-{code[-6:]}", Role.UNIT, code)


def test_unit_raises_objection_for_itself_only(engine):
    cid, codes = new_cycle(engine, 6, to="公示")
    own, other = codes[1], codes[2]
    with session_scope(engine) as s:
        o = service.raise_objection(s, unit_of(own), cid, own, "我单位参保人数有误，金额偏少")
        assert o.raised_by == unit_of(own).username and o.status == "待处理"
        assert s.get(Entitlement, (cid, own)).objection_open is True
        row = s.scalars(select(AuditEntry).where(AuditEntry.action == "登记异议")).one()
        assert (row.actor, row.role) == (unit_of(own).username, "unit")  # its real role
    with session_scope(engine) as s:
        with pytest.raises(PermissionDenied, match=f"只能为本单位（{own}）登记异议，不能为单位 {other}"):
            service.raise_objection(s, unit_of(own), cid, other, "举报其他单位")
        with pytest.raises(PermissionDenied, match="单位"):
            service.raise_objection(s, Actor("x", Role.UNIT, None), cid, other, "未绑定单位的账号")
        assert s.scalar(select(Objection.id).where(Objection.uscc == other)) is None
        assert s.get(Entitlement, (cid, other)).objection_open is False
        # staff may still raise one for any unit; a leader may not
        assert service.raise_objection(s, OPERATOR, cid, other, "群众来电反映").uscc == other
        assert service.raise_objection(s, REVIEWER, cid, codes[3], "来信反映").uscc == codes[3]
        with pytest.raises(PermissionDenied, match="经办、审核、单位"):
            service.raise_objection(s, Actor("ld", Role.LEADER), cid, codes[4], "领导转来")
        assert audit.verify(s).ok


@pytest.mark.parametrize("action", ["confirm", "correct", "decline"])
def test_unit_answers_for_itself_only(engine, action):
    cid, codes = new_cycle(engine, 6)
    own, other = codes[1], codes[2]
    kw = {"confirm": {}, "correct": {"account_no": "6228480000001234", "bank_name": "工商银行茌平支行"},
          "decline": {"decline": True}}[action]
    expected = {"confirm": "已确认", "correct": "已更正", "decline": "放弃"}[action]
    with session_scope(engine) as s, pytest.raises(PermissionDenied, match=f"不能为单位 {other} 办理"):
        service.answer(s, unit_of(own), cid, other, **kw)
    with session_scope(engine) as s:
        assert s.get(Entitlement, (cid, other)).confirmation == "待确认"
        assert service.answer(s, unit_of(own), cid, own, **kw).confirmation == expected
        assert service.answer(s, OPERATOR, cid, other, **kw).confirmation == expected  # staff: any unit
        with pytest.raises(PermissionDenied, match="经办、单位"):
            service.answer(s, REVIEWER, cid, codes[3], **kw)
        row = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == f"{cid}/{own}")).one()
        assert row.role == "unit" and row.action == "单位" + expected


def test_corrected_account_reaches_the_registry(engine):
    """The unit's own correction under its registered name takes effect at once; staff's after review."""
    cid, codes = new_cycle(engine, 8)
    code = codes[5]  # i % 7 == 5: no account in the registry
    with session_scope(engine) as s:
        assert s.get(Unit, codes[1]).account_no == "6228480000000001"
        assert s.get(Unit, code).account_no is None
        service.answer(s, unit_of(codes[1]), cid, codes[1], account_no="6222-0216-0000-0001", bank_name="工商银行博平支行")
        service.answer(s, OPERATOR, cid, code, account_no="6228480000555555", bank_name="农业银行茌平支行")
        service.answer(s, OPERATOR, cid, codes[2])  # a plain confirmation changes nothing
        service.answer(s, OPERATOR, cid, codes[3], bank_name="中国银行茌平支行")  # only the bank
    with session_scope(engine) as s:
        u1, u5, u2, u3 = (s.get(Unit, c) for c in (codes[1], code, codes[2], codes[3]))
        assert (u1.account_no, u1.bank_name) == ("6222021600000001", "工商银行博平支行")
        assert u5.account_no is None and u3.bank_name == "中国农业银行茌平支行"  # staff's: waiting for review
        assert (u2.account_no, u2.bank_name) == ("6228480000000002", "中国农业银行茌平支行")
        for change in service.pending_account_changes(s):
            service.review_account_change(s, REVIEWER, change.id, approve=True)
        assert (u5.account_no, u5.bank_name) == ("6228480000555555", "农业银行茌平支行")
        assert (u3.account_no, u3.bank_name) == ("6228480000000003", "中国银行茌平支行")
        rows = [r for r in s.scalars(select(AuditEntry).where(AuditEntry.entity == "unit_account"))
                if r.entity_id != "*"]
        assert [(r.entity_id, r.actor, r.action) for r in rows] == [
            (codes[1], unit_of(codes[1]).username, "单位本人变更对公账号"), (code, OPERATOR.username, "申请变更单位对公账号"),
            (codes[3], OPERATOR.username, "申请变更单位对公账号"), (code, REVIEWER.username, "审核通过对公账号变更"),
            (codes[3], REVIEWER.username, "审核通过对公账号变更")]
        before, after = json.loads(rows[0].before), json.loads(rows[0].after)
        assert before["account_no"] == "6228********0001" and after["account_no"] == "6222********0001"
        assert "6228480000555555" not in "".join(f"{r.before}{r.after}" for r in s.scalars(select(AuditEntry)))
        assert json.loads(rows[1].before)["account_no"] is None
        assert audit.verify(s).ok
