"""Payments that cannot go out: cancelled with a reason (or given an account later); closing a cycle."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import Payment
from zhida.demo.banksim import simulate_return
from zhida.errors import PermissionDenied, StateError, ValidationFailed
from zhida.platform import audit
from zhida.platform.models import AuditEntry
from zhida.roles import Actor, Role

from .flow import new_cycle
from .helpers import LEADER, OPERATOR, REVIEWER


def _status(s, cid) -> dict[str, str]:
    return dict(s.execute(select(Payment.uscc, Payment.status).where(Payment.cycle_id == cid)).all())


def test_cancel_rules_and_reconcile(engine, tmp_path):
    cid, codes = new_cycle(engine, 15, to="发放中")
    no_account = [codes[5], codes[12]]
    with session_scope(engine) as s:
        st = _status(s, cid)
        assert all(st[u] == "待导出" for u in no_account)
        with pytest.raises(ValidationFailed, match="必须写明原因"):
            service.cancel_payment(s, OPERATOR, cid, codes[5], "  ")
        with pytest.raises(PermissionDenied, match="经办、审核"):
            service.cancel_payment(s, LEADER, cid, codes[5], "无账号")
        with pytest.raises(PermissionDenied):
            service.cancel_payment(s, Actor("u", Role.UNIT, codes[5]), cid, codes[5], "不要了")
        p = service.cancel_payment(s, OPERATOR, cid, codes[5], "单位已注销，无对公账号")
        assert (p.status, p.cancel_reason) == ("已取消", "单位已注销，无对公账号")
        with pytest.raises(StateError, match="「已取消」"):
            service.cancel_payment(s, OPERATOR, cid, codes[5], "再取消一次")
    res = service.export(engine, OPERATOR, cid, tmp_path)
    b = res.batches[0]
    assert res.skipped_no_account == 1 and b.rows == 15 - 2
    with session_scope(engine) as s:
        with pytest.raises(StateError, match="已交银行，请等回盘"):
            service.cancel_payment(s, REVIEWER, cid, codes[1], "试图取消已导出的款项")
        with pytest.raises(StateError, match=r"还有 14 笔.*已导出，待银行回盘 13 笔.*没有对公账号，待补充账号或取消 1 笔"):
            service.advance(s, OPERATOR, cid)
    with open(b.file_csv, encoding="utf-8-sig") as fh:
        first = next(csv.DictReader(fh))
    simulate_return(b.file_csv, tmp_path / "ret.csv", bad_accounts={first["账号"]})
    with session_scope(engine) as s:
        service.import_return(s, OPERATOR, cid, tmp_path / "ret.csv")
        failed = s.scalar(select(Payment).where(Payment.cycle_id == cid, Payment.status == "失败"))
        paid = s.scalar(select(Payment).where(Payment.cycle_id == cid, Payment.status == "已支付").limit(1))
        with pytest.raises(StateError, match="「已支付」"):
            service.cancel_payment(s, REVIEWER, cid, paid.uscc, "试图取消已支付的款项")
        with pytest.raises(StateError, match=f"银行退回.*{failed.uscc}"):
            service.advance(s, OPERATOR, cid)
        service.cancel_payment(s, REVIEWER, cid, failed.uscc, "账户已销户，单位放弃")  # a failed one too
        rec = service.reconcile(s, cid)
        assert rec.balanced, rec.summary()
        line = rec.line("  其中已取消")
        amounts = {p.uscc: p.amount_fen for p in s.scalars(select(Payment).where(Payment.cycle_id == cid))}
        assert (line.count, line.fen) == (2, amounts[codes[5]] + amounts[failed.uscc])
        assert rec.line("  银行失败").fen == amounts[failed.uscc]  # the bank's side still shows the return
        assert rec.line("应发（名单）").fen == sum(rec.line(f"  其中{x}").fen for x in
                                                  ("已支付", "失败", "已取消", "待导出", "已导出"))
        assert any("已取消" in c and "待导出" in c for c in rec.checks)
        with pytest.raises(StateError, match=f"1 笔.*{codes[12]}"):
            service.advance(s, OPERATOR, cid)
        # the last one: the unit gives its account after all and it goes out in a new batch
        p = service.correct_payment(s, OPERATOR, cid, codes[12], account_no="6228480000121212")
        assert p.status == "待导出" and p.account_no is None  # staff's account waits for a second person
        change = service.pending_account_changes(s)[0]
        service.review_account_change(s, REVIEWER, change.id, approve=True)
        assert p.account_no == "6228480000121212"
    again = service.export(engine, OPERATOR, cid, tmp_path)
    assert [x.rows for x in again.batches] == [1]  # the cancelled failed one is not re-sent
    simulate_return(again.batches[0].file_csv, tmp_path / "ret2.csv")
    with session_scope(engine) as s:
        service.import_return(s, OPERATOR, cid, tmp_path / "ret2.csv")
        c = service.advance(s, OPERATOR, cid)
        assert c.state == "已完成" and "取消 2 笔" in service.show(s, cid).events[-1].note
        assert service.reconcile(s, cid).balanced
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "取消款项").order_by(AuditEntry.seq)))
        assert [json.loads(r.after)["reason"] for r in rows] == ["单位已注销，无对公账号", "账户已销户，单位放弃"]
        assert json.loads(rows[1].before)["status"] == "失败"
        assert audit.verify(s).ok


def test_cancel_needs_a_paying_cycle(engine):
    cid, codes = new_cycle(engine, 4, to="确认期")
    with session_scope(engine) as s, pytest.raises(StateError, match="只有待发放或发放中"):
        service.cancel_payment(s, OPERATOR, cid, codes[1], "无账号")


def test_pay_cancel_command(engine, db_url, tmp_path, monkeypatch, capsys):
    from zhida.cli import main
    from zhida.config import get_settings

    monkeypatch.setenv("ZHIDA_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    cid, codes = new_cycle(engine, 8, to="发放中")

    def run(*args) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("pay", "cancel", str(cid), codes[5], "--reason", "无对公账号", "--role", "reviewer",
                         "--format", "json")
    assert code == 0, err
    assert json.loads(out)["status"] == "已取消"
    code, out, err = run("pay", "cancel", str(cid), codes[5], "--reason", "再来", "--role", "operator")
    assert code == 1 and "「已取消」" in err
    code, out, err = run("pay", "cancel", str(cid), codes[6], "--reason", "x", "--role", "leader")
    assert code != 0 and "取消款项需要经办、审核角色" in err
