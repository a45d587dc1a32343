"""A whole cycle on both backends: create → 公示 → 确认期 → 待发放 → 发放中 → 已完成."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from sqlalchemy import select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import Entitlement, Payment
from zhida.demo.banksim import simulate_return
from zhida.errors import ImportRefused, PermissionDenied, StateError, ValidationFailed
from zhida.platform import audit
from zhida.platform.models import OutboxMessage
from zhida.registry.models import Unit
from zhida.roles import Actor, Role

from .helpers import LEADER, OPERATOR, REVIEWER, make_run, make_units

PUBLISH = dt.date(2025, 6, 3)  # a Tuesday; 公示 5 working days → 2025-06-10


def _setup(engine, n=30):
    with session_scope(engine) as s:
        codes = make_units(s, n)
        run_id = make_run(s, codes, ineligible={codes[0]})
    return codes, run_id


def _to_payment(engine, run_id, codes):
    with session_scope(engine) as s:
        c = service.create_cycle(s, OPERATOR, run_id)
        cid = c.id
        service.advance(s, OPERATOR, cid)
        service.advance(s, REVIEWER, cid, today=PUBLISH)
        c = service.get_cycle(s, cid)
        assert c.publicity_end == dt.date(2025, 6, 10)
        service.advance(s, OPERATOR, cid, today=dt.date(2025, 6, 11))
    return cid


def test_full_cycle(engine, tmp_path):
    codes, run_id = _setup(engine)
    with session_scope(engine) as s, pytest.raises(PermissionDenied, match="经办"):
        service.create_cycle(s, REVIEWER, run_id)
    with session_scope(engine) as s:
        c = service.create_cycle(s, OPERATOR, run_id)
        cid = c.id
        assert c.units == 29 and c.state == "草稿"
        with pytest.raises(PermissionDenied, match="审核"):
            service.advance(s, REVIEWER, cid)  # 提交审核 is the operator's
        service.advance(s, OPERATOR, cid)
        with pytest.raises(PermissionDenied):
            service.advance(s, OPERATOR, cid)  # approving is the reviewer's
        service.advance(s, REVIEWER, cid, today=PUBLISH)
        # later imports do not change the frozen list
        s.get(Unit, codes[1]).account_no = "999999999999"
        s.get(Unit, codes[1]).name = "改名后的公司"
    with session_scope(engine) as s:
        e = s.get(Entitlement, (cid, codes[1]))
        assert e.account_no != "999999999999" and e.name != "改名后的公司"
        rows = service.publicity_rows(s, cid)
        # enterprise names and credit codes are public registration data: published in full
        assert len(rows) == 29 and all("*" not in r[1] and r[2] in codes for r in rows)
        service.write_publicity(s, cid, tmp_path / "公示.xlsx")
        obj = service.raise_objection(s, OPERATOR, cid, codes[2], "该企业 2024 年有裁员")
        obj2 = service.raise_objection(s, OPERATOR, cid, codes[3], "名称有误")
        with pytest.raises(StateError, match="2025-06-10"):
            service.advance(s, OPERATOR, cid, today=dt.date(2025, 6, 10))
        service.advance(s, OPERATOR, cid, today=dt.date(2025, 6, 11))
        c = service.get_cycle(s, cid)
        assert c.state == "确认期" and c.confirm_deadline == dt.date(2025, 6, 25)
        sms = list(s.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"delivery:{cid}:sms:%"))))
        with_mobile = [u for u in codes[1:] if int(u[10:17]) % 10 != 3]
        assert len(sms) == len(with_mobile)
        assert "2025年06月25日" in sms[0].body and "免申即享" in sms[0].body
        # units answer
        service.answer(s, OPERATOR, cid, codes[4])
        service.answer(s, OPERATOR, cid, codes[5], decline=True)
        service.answer(s, OPERATOR, cid, codes[6], account_no="6228 4800 0000 0066", bank_name="工商银行茌平支行")
        e6 = s.get(Entitlement, (cid, codes[6]))
        assert e6.hold_reason.startswith("对公账号变更待审核") and e6.account_no != "6228480000000066"
        change = service.pending_account_changes(s)[0]
        with pytest.raises(PermissionDenied, match="另一名"):  # not the requester's own review (admin is a reviewer)
            service.review_account_change(s, Actor("jingban", Role.ADMIN), change.id, approve=True)
        service.review_account_change(s, REVIEWER, change.id, approve=True)
        assert e6.hold_reason is None and e6.account_no == "6228480000000066"
        with pytest.raises(ValidationFailed, match="对公账号"):
            service.answer(s, OPERATOR, cid, codes[7], account_no="12")
        service.set_held(s, OPERATOR, cid, codes[8], "涉嫌虚报参保人数，待核查")
        with pytest.raises(StateError, match="2025-06-16"):
            service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 13))
        made = service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 16))
        calls = service.list_calls(s, cid)
        assert len(calls) == made.count + 3 and made.count >= 20  # 3 landlines got a task at once
        service.record_call(s, OPERATOR, calls[0].id, "接通", "已告知")
        with pytest.raises(ValidationFailed, match="接通"):
            service.record_call(s, OPERATOR, calls[1].id, "占线")
        with pytest.raises(StateError, match="2025-06-25"):
            service.advance(s, OPERATOR, cid, today=dt.date(2025, 6, 25))
        service.resolve_objection(s, REVIEWER, obj2.id, upheld=False, reason="笔误，不影响资格")
        service.advance(s, OPERATOR, cid, today=dt.date(2025, 6, 26))
        v = service.show(s, cid)
        assert v.state == "待发放" and v.confirmation["放弃"] == 1 and v.confirmation["已更正"] == 1
        assert v.confirmation["免审即享"] == 29 - 3 - 2  # answered 3, objection 1, held 1
        pays = {p.uscc: p for p in s.scalars(select(Payment).where(Payment.cycle_id == cid))}
        assert codes[5] not in pays and codes[2] not in pays and codes[8] not in pays
        assert pays[codes[6]].account_no == "6228480000000066"
        assert pays[codes[3]].idem_key == f"wgfh|2024|{codes[3]}"
        # the objection is upheld later: never paid
        service.resolve_objection(s, REVIEWER, obj.id, upheld=True, reason="核实有裁员，不符合条件")
        service.set_held(s, OPERATOR, cid, codes[8], None)  # cleared: paid after all
        with pytest.raises(PermissionDenied):
            service.advance(s, OPERATOR, cid)
        service.advance(s, LEADER, cid)
    out = tmp_path / "bank"
    first = service.export(engine, OPERATOR, cid, out)
    assert len(first.batches) == 1 and first.skipped_no_account > 0
    b = first.batches[0]
    with open(b.file_csv, encoding="utf-8-sig") as fh:
        lines = list(csv.DictReader(fh))
    assert list(lines[0]) == ["序号", "户名", "账号", "开户行", "金额", "用途", "业务参考号"]
    assert len(lines) == b.rows and sum(int(line["金额"].replace(".", "")) for line in lines) == b.total_fen
    again = service.export(engine, OPERATOR, cid, out)
    assert again.batches == []  # nothing exported twice
    bad = lines[0]["账号"]
    ret = tmp_path / "return1.csv"
    simulate_return(b.file_csv, ret, bad_accounts={bad})
    with session_scope(engine) as s:
        r = service.import_return(s, OPERATOR, cid, ret)
        assert (r.paid, r.failed) == (b.rows - 1, 1)
    with session_scope(engine) as s, pytest.raises(StateError, match="已导入过"):
        service.import_return(s, OPERATOR, cid, ret)  # the same file is applied once
    again_ret = tmp_path / "return1-again.csv"
    again_ret.write_bytes(ret.read_bytes() + b"\r\n")  # the same rows in another file: no change
    with session_scope(engine) as s:
        r = service.import_return(s, OPERATOR, cid, again_ret)
        assert (r.paid, r.failed, r.unchanged) == (0, 0, b.rows)
        rec = service.reconcile(s, cid)
        assert rec.balanced, rec.summary()
        assert rec.line("  银行失败").fen == int(lines[0]["金额"].replace(".", ""))
        paid = s.scalar(select(Payment.uscc).where(Payment.cycle_id == cid, Payment.status == "已支付").limit(1))
        with pytest.raises(StateError, match="失败"):
            service.correct_payment(s, OPERATOR, cid, paid, account_no="622848000000001")
        failed = s.scalar(select(Payment).where(Payment.cycle_id == cid, Payment.status == "失败"))
        service.correct_payment(s, OPERATOR, cid, failed.uscc, account_no="6228480000009999")
        service.review_account_change(s, REVIEWER, service.pending_account_changes(s)[0].id, approve=True)
    second = service.export(engine, OPERATOR, cid, out)
    assert len(second.batches) == 1 and second.batches[0].rows == 1 and second.batches[0].seq == 2
    simulate_return(second.batches[0].file_csv, tmp_path / "return2.csv")
    with session_scope(engine) as s:
        service.import_return(s, OPERATOR, cid, tmp_path / "return2.csv")
        rec = service.reconcile(s, cid)
        assert rec.balanced, rec.summary()
        assert rec.line("  其中已支付").fen == rec.line("发放名单（款项）").fen - rec.line("  其中待导出").fen
        assert rec.line("已导出（累计，含重发）").count == b.rows + 1
        waiting = sorted(s.scalars(select(Payment.uscc).where(Payment.cycle_id == cid, Payment.status == "待导出")))
        assert len(waiting) == 3  # units that never gave an account
        with pytest.raises(StateError, match=f"3 笔款项既未支付也未取消.*没有对公账号.*{waiting[0]}"):
            service.advance(s, OPERATOR, cid)
        unit = Actor("portal-unit", Role.UNIT, waiting[0])  # the unit supplies its account itself
        service.correct_payment(s, unit, cid, waiting[0], account_no="6228480000007777", bank_name="建设银行茌平支行")
        assert s.get(Unit, waiting[0]).account_no == "6228480000007777"  # the registry has it too
        for u in waiting[1:]:  # the others never answer: cancelled with a reason
            service.cancel_payment(s, REVIEWER, cid, u, "多次联系未提供对公账号")
    third = service.export(engine, OPERATOR, cid, out)
    assert [b.rows for b in third.batches] == [1] and third.skipped_no_account == 0
    simulate_return(third.batches[0].file_csv, tmp_path / "return3.csv")
    with session_scope(engine) as s:
        service.import_return(s, OPERATOR, cid, tmp_path / "return3.csv")
        rec = service.reconcile(s, cid)
        assert rec.balanced, rec.summary()
        gone = sum(s.get(Entitlement, (cid, u)).amount_fen for u in waiting[1:])
        assert (rec.line("  其中已取消").count, rec.line("  其中已取消").fen) == (2, gone)
        assert rec.line("  其中已支付").fen == rec.line("发放名单（款项）").fen - gone
        service.advance(s, OPERATOR, cid)
        rep = service.cycle_report(s, cid)
        assert rep.total.paid_units == b.rows + 1 and rep.total.jobs > 0
        assert sum(r.paid_fen for r in rep.by_township) == rep.total.paid_fen == rec.line("  其中已支付").fen
        service.write_report(rep, tmp_path / "report.xlsx")
        assert audit.verify(s).ok


def test_bad_return_file_is_refused_whole(engine, tmp_path):
    codes, run_id = _setup(engine, 12)
    cid = _to_payment(engine, run_id, codes)
    with session_scope(engine) as s:
        service.advance(s, OPERATOR, cid, today=dt.date(2025, 7, 1))
        service.advance(s, REVIEWER, cid)
    res = service.export(engine, OPERATOR, cid, tmp_path)
    ref = None
    with open(res.batches[0].file_csv, encoding="utf-8-sig") as fh:
        ref = next(csv.DictReader(fh))["业务参考号"]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"业务参考号,状态,失败原因\n{ref},成功,\nZD999,成功,\n{ref},退票,\n", encoding="utf-8")
    with session_scope(engine) as s:
        with pytest.raises(ImportRefused) as exc:
            service.import_return(s, OPERATOR, cid, bad)
        msgs = [e.message() for e in exc.value.errors]
        assert any("第 3 行" in m and "ZD999" in m for m in msgs)
        assert any("第 4 行" in m for m in msgs)
    with session_scope(engine) as s:
        assert set(s.scalars(select(Payment.status).where(Payment.cycle_id == cid))) <= {"已导出", "待导出"}
    nohead = tmp_path / "nohead.csv"
    nohead.write_text("参考号,结果\nZD1,成功\n", encoding="utf-8")
    with session_scope(engine) as s, pytest.raises(ImportRefused, match="业务参考号"):
        service.import_return(s, OPERATOR, cid, nohead)


def test_recompute_makes_new_cycle_and_diff(engine):
    codes, run_id = _setup(engine, 10)
    with session_scope(engine) as s:
        cid = service.create_cycle(s, OPERATOR, run_id).id
        amounts = {codes[2]: 123456}
        run2 = make_run(s, codes[:9] + make_units(s, 1, start=500), amounts=amounts, seed=7)
        with pytest.raises(PermissionDenied):
            service.recompute(s, OPERATOR, cid, run_id=run2)
        new, diff = service.recompute(s, REVIEWER, cid, run_id=run2)
        assert new.parent_id == cid and service.get_cycle(s, cid).state == "已撤销"
        assert [d.uscc for d in diff.removed] == [codes[9]]
        assert len(diff.added) == 2  # codes[0] (was ineligible) and the new unit
        assert any(d.uscc == codes[2] and d.new_fen == 123456 for d in diff.changed)
        assert "新增 2 户" in diff.summary()


def test_same_unit_is_paid_once_across_cycles(engine):
    codes, run_id = _setup(engine, 8)
    a = _to_payment(engine, run_id, codes)
    with session_scope(engine) as s:
        run2 = make_run(s, codes)
        with pytest.raises(StateError, match=f"已有发放批次 #{a}"):
            service.create_cycle(s, OPERATOR, run2)
        b = service.create_cycle(s, OPERATOR, run2, supplementary=True).id
        assert s.scalars(select(Entitlement.uscc).where(Entitlement.cycle_id == b)).all() == [codes[0]]
        service.advance(s, OPERATOR, b)
        service.advance(s, REVIEWER, b, today=PUBLISH)
        service.advance(s, OPERATOR, b, today=dt.date(2025, 6, 11))
    with session_scope(engine) as s:
        service.advance(s, OPERATOR, a, today=dt.date(2025, 7, 1))
        service.advance(s, OPERATOR, b, today=dt.date(2025, 7, 1))
        pa = s.scalars(select(Payment.uscc).where(Payment.cycle_id == a)).all()
        pb = s.scalars(select(Payment.uscc).where(Payment.cycle_id == b)).all()
        assert len(pa) == 7 and pb == [codes[0]]  # only the unit cycle a did not have
        assert service.reconcile(s, b).balanced


def test_revoke_needs_reason_and_role(engine):
    _codes, run_id = _setup(engine, 4)
    with session_scope(engine) as s:
        cid = service.create_cycle(s, OPERATOR, run_id).id
        with pytest.raises(ValidationFailed, match="原因"):
            service.advance(s, REVIEWER, cid, "已撤销")
        with pytest.raises(PermissionDenied):
            service.revoke(s, OPERATOR, cid, "测算有误")
        service.revoke(s, REVIEWER, cid, "测算有误")
        with pytest.raises(StateError, match="最终状态"):
            service.advance(s, REVIEWER, cid, "审核")
        v = service.show(s, cid)
        assert [e.to_state for e in v.events] == ["草稿", "已撤销"] and v.events[1].note == "测算有误"
