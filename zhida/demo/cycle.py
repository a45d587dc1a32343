"""A whole cycle on simulated dates with a simulated bank, resumable at any point.

``drive`` looks at the cycle's state and does the next step until 已完成, so running it
again after a crash carries on where the database says it stopped; ``run_demo_cycle`` drives
one run and returns a Chinese summary. The fault-injection test kills ``drive`` at random.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import Batch, CallTask, Cycle, Entitlement, Payment, Transfer
from zhida.delivery.states import CycleState
from zhida.demo.banksim import simulate_return
from zhida.demo.generate import bank_names
from zhida.errors import StateError
from zhida.money import format_wan
from zhida.platform import outbox
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.models import OutboxMessage
from zhida.platform.senders import FileSender
from zhida.roles import Actor, Role

OPERATOR = Actor("经办员", Role.OPERATOR)
REVIEWER = Actor("审核员", Role.REVIEWER)
LEADER = Actor("分管领导", Role.LEADER)
START = dt.date(2025, 6, 3)
FAIL_EVERY = 97  # in the first bank batch, lines 1, 98, 195 … come back 失败
NO_ACCOUNT = "确认期内及电话联系后单位均未提供对公账号，本批次不予发放"


def _noop(step: str) -> None:
    pass


def find_or_create(engine: Engine, run_id: int) -> int:
    with session_scope(engine) as s:
        cid = s.scalar(select(Cycle.id).where(Cycle.run_id == run_id, Cycle.state != CycleState.REVOKED).order_by(Cycle.id))
        if cid is None:
            cid = service.create_cycle(s, OPERATOR, run_id).id
    return cid


def _next_working(engine: Engine, d: dt.date | None, n: int = 1) -> dt.date:
    """The ``n``-th working day after ``d`` (a date the cycle has set by the time the demo asks)."""
    if d is None:
        raise StateError("演示流程出错：发放批次缺少应有的日期")
    with session_scope(engine) as s:
        return WorkingCalendar.from_session(s).add_working_days(d, n)


def _publicity(engine: Engine, cid: int, out: Path) -> None:
    with session_scope(engine) as s:
        service.advance(s, REVIEWER, cid, today=START)
        service.write_publicity(s, cid, out / f"公示名单-批次{cid}.xlsx")
        first = s.scalar(select(Entitlement.uscc).where(Entitlement.cycle_id == cid).order_by(Entitlement.uscc))
        if first is None:
            return
        service.raise_objection(s, OPERATOR, cid, first, "群众来电反映该单位 2024 年曾集中裁员")


def _confirm_period(engine: Engine, cid: int, out: Path, step: Callable[[str], None]) -> None:
    step("outbox")
    sender = FileSender(out / "短信发送记录.jsonl")
    outbox.work(engine, sender, once=True, batch=500)
    with session_scope(engine) as s:
        c = service.get_cycle(s, cid)
        calls_on, end = _next_working(engine, c.confirm_start, c.call_after_days), c.confirm_deadline
        recall_on = _next_working(engine, calls_on, c.recall_after_days)
    step("answers")
    with session_scope(engine) as s:
        for o in service.list_objections(s, cid):
            if o.status == "待处理":
                service.resolve_objection(s, REVIEWER, o.id, upheld=False, reason="经核查裁员率 2.1%，未超过 5.5%")
        todo = list(s.scalars(select(Entitlement).where(Entitlement.cycle_id == cid, Entitlement.confirmation == "待确认",
                                                        Entitlement.objection_open.is_(False)).order_by(Entitlement.uscc)))
        for i, e in enumerate(todo):
            if not e.account_no:  # reached by phone: the unit gives its account
                service.answer(s, OPERATOR, cid, e.uscc, account_no=f"62284800{i:010d}", bank_name=bank_names()[0])
            elif i % 5 == 0:
                service.answer(s, OPERATOR, cid, e.uscc)
            elif i % 97 == 1:
                service.answer(s, OPERATOR, cid, e.uscc, decline=True)
        for change in service.pending_account_changes(s, limit=100_000):  # a second person checks them
            service.review_account_change(s, REVIEWER, change.id, approve=True)
    step("calls")
    with session_scope(engine) as s:
        if not s.scalar(select(func.count()).where(CallTask.cycle_id == cid, CallTask.reason != "无手机号，短信未发")):
            service.make_calls(s, OPERATOR, cid, today=calls_on)
        for i, call in enumerate(service.list_calls(s, cid, open_only=True)):
            service.record_call(s, OPERATOR, call.id, ("接通", "未接通", "接通", "号码错误")[i % 4], on=calls_on)
    step("recall")  # the calls that did not get through are tried once more
    with session_scope(engine) as s:
        if not s.scalar(select(func.count()).where(CallTask.cycle_id == cid, CallTask.round == 2)):
            service.make_calls(s, OPERATOR, cid, today=recall_on)
        for call in service.list_calls(s, cid, open_only=True):
            service.record_call(s, OPERATOR, call.id, "接通", on=recall_on)
    step("grant")
    with session_scope(engine) as s:
        service.advance(s, OPERATOR, cid, today=_next_working(engine, end))


def _failing(seq: int) -> Callable[[dict[str, str]], bool]:
    """The bank refuses every ``FAIL_EVERY``-th line of the first batch (to show corrections)."""
    return lambda line: seq == 1 and int(line["序号"]) % FAIL_EVERY == 1


def _bank_round(engine: Engine, cid: int, out: Path, step: Callable[[str], None]) -> bool:
    """Export, let the bank answer, import, correct failures; True when nothing is left to do."""
    step("export")
    service.export(engine, OPERATOR, cid, out)
    with session_scope(engine) as s:
        open_batches = list(s.execute(select(Batch.seq, Batch.file_csv).where(
            Batch.cycle_id == cid, Batch.written_at.is_not(None),
            Batch.id.in_(select(Transfer.batch_id).where(Transfer.status == "已导出"))).order_by(Batch.seq)))
    for seq, csv_path in open_batches:
        step("return")
        ret = out / f"回盘-批次{cid}-第{seq:03d}批.csv"
        simulate_return(str(csv_path), ret, fails=_failing(seq))
        step("import")
        with session_scope(engine) as s:
            service.import_return(s, OPERATOR, cid, ret)
    step("correct")
    with session_scope(engine) as s:
        for p in s.scalars(select(Payment).where(Payment.cycle_id == cid, Payment.status == "失败")):
            account = p.account_no or ""
            fixed = account[:-1] + str((int(account[-1:] or 0) + 1) % 10)
            service.correct_payment(s, OPERATOR, cid, p.uscc, account_no=fixed)
        for change in service.pending_account_changes(s):  # a second person approves each new account
            service.review_account_change(s, REVIEWER, change.id, approve=True)
        for p in s.scalars(select(Payment).where(Payment.cycle_id == cid, Payment.status == "待导出",
                                                 func.coalesce(Payment.account_no, "") == "")):
            service.cancel_payment(s, REVIEWER, cid, p.uscc, NO_ACCOUNT)
        left = s.scalar(select(func.count()).where(Payment.cycle_id == cid,
                                                   Payment.status.in_(("待导出", "已导出", "失败"))))
    return left == 0


def drive(engine: Engine, run_id: int, out_dir: str | Path, step: Callable[[str], None] = _noop) -> int:
    """Take the run's cycle (creating it if needed) from wherever it is to 已完成; return its id."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    step("create")
    cid = find_or_create(engine, run_id)
    while True:
        with session_scope(engine) as s:
            c = service.get_cycle(s, cid)
            state, pub_end = c.state, c.publicity_end
        step(state)
        if state == CycleState.DONE:
            return cid
        if state == CycleState.DRAFT:
            with session_scope(engine) as s:
                service.advance(s, OPERATOR, cid)
        elif state == CycleState.REVIEW:
            _publicity(engine, cid, out)
        elif state == CycleState.PUBLICITY:
            with session_scope(engine) as s:
                service.advance(s, OPERATOR, cid, today=_next_working(engine, pub_end))
        elif state == CycleState.CONFIRMING:
            _confirm_period(engine, cid, out, step)
        elif state == CycleState.READY:
            with session_scope(engine) as s:
                service.advance(s, LEADER, cid)
        elif state == CycleState.PAYING:
            for _ in range(10):
                if _bank_round(engine, cid, out, step):
                    break
            step("reconcile")
            with session_scope(engine) as s:
                rec = service.reconcile(s, cid)
                if not rec.balanced:
                    raise StateError("对账不平衡，批次不能结束：" + "；".join(rec.problems))
                service.advance(s, OPERATOR, cid, note="对账平衡")


def summary(engine: Engine, cid: int) -> str:
    with session_scope(engine) as s:
        v = service.show(s, cid)
        rec = service.reconcile(s, cid)
        rep = service.cycle_report(s, cid)
        sms = s.scalar(select(func.count()).where(OutboxMessage.dedupe_key.like(f"delivery:{cid}:sms:%"),
                                                  OutboxMessage.status == "sent"))
        calls = s.scalar(select(func.count(CallTask.uscc.distinct())).where(CallTask.cycle_id == cid))
        recalls = s.scalar(select(func.count()).where(CallTask.cycle_id == cid, CallTask.round == 2))
        resent = s.scalar(select(func.count()).select_from(Transfer).join(Batch, Batch.id == Transfer.batch_id)
                          .where(Batch.cycle_id == cid, Transfer.attempt > 1))
        batches = s.scalar(select(func.count()).where(Batch.cycle_id == cid))
    t = rep.total
    return "\n".join([
        f"发放批次 {cid}：{v.policy_name}（{v.period}），状态 {v.state}",
        f"  名单 {v.units} 户 {format_wan(v.total_fen)} 万元；公示 {v.published_on} 至 {v.publicity_end}，"
        f"确认截止 {v.confirm_deadline}",
        f"  短信提醒 {sms} 条，电话提醒 {calls} 户（其中再次拨打 {recalls} 户）；确认情况："
        + "，".join(f"{k} {n} 户" for k, n in sorted(v.confirmation.items())),
        f"  代发文件 {batches} 批；银行退回 {resent} 笔，更正账号后补发成功",
        f"  已发放 {t.paid_units} 户 {format_wan(t.paid_fen)} 万元，稳岗岗位 {t.jobs:,} 个"
        + (f"；取消 {v.payments['已取消']} 笔（未提供账号等，原因见审计日志）" if v.payments.get("已取消") else ""),
        "  对账：" + ("应发、导出、成功、失败分毫不差" if rec.balanced else "不平衡：" + "；".join(rec.problems)),
    ])


def run_demo_cycle(engine: Engine, run_id: int, out_dir: str | Path) -> str:
    """The demo: the run's cycle through every state, with a simulated bank; a Chinese summary."""
    return summary(engine, drive(engine, run_id, out_dir))
