"""Reconciliation: entitled, excluded, exported, paid, failed and cancelled totals that balance to the fen.

Every figure is computed by its own query; the checks compare figures that must agree.
The identity, in count and in fen, at any moment of a cycle:

    应发（名单）= 不予发放或暂缓（no payment: declined, excluded, duplicate, held, objection open)
               + 已支付 + 失败（returned, not yet corrected or cancelled)
               + 已取消（cancelled by staff with a reason, or by an upheld objection)
               + 待导出（not yet in a bank file) + 已导出（with the bank, awaiting its return)

and on the bank side: 已导出（every transfer line, re-sends included）= 银行成功 + 银行失败 + 待回盘,
with 银行成功 = 已支付 and 待回盘 = 已导出. A cancelled payment has no line that succeeded or is
still with the bank. A closed cycle (已完成) has only 已支付 and 已取消 payments.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from zhida.delivery.lookup import get_cycle
from zhida.delivery.models import Batch, Entitlement, Payment, Transfer
from zhida.delivery.schemas import ReconcileResult, ReconLine
from zhida.money import format_yuan


def _sum(session: Session, stmt) -> tuple[int, int]:
    n, fen = session.execute(stmt).one()
    return int(n or 0), int(fen or 0)


def reconcile(session: Session, cycle_id: int) -> ReconcileResult:
    get_cycle(session, cycle_id)
    E, P, T, B = Entitlement, Payment, Transfer, Batch
    res = ReconcileResult(cycle_id=cycle_id)
    cnt = lambda col: (func.count(), func.coalesce(func.sum(col), 0))  # noqa: E731

    def add(item: str, stmt) -> tuple[int, int]:
        n, fen = _sum(session, stmt)
        res.lines.append(ReconLine(item=item, count=n, fen=fen))
        return n, fen

    ent = add("应发（名单）", select(*cnt(E.amount_fen)).where(E.cycle_id == cycle_id))
    has_pay = and_(P.cycle_id == E.cycle_id, P.uscc == E.uscc)
    unpaid = add("不予发放或暂缓", select(*cnt(E.amount_fen)).where(E.cycle_id == cycle_id, ~select(P.id).where(has_pay).exists()))
    listed = add("发放名单（款项）", select(*cnt(P.amount_fen)).where(P.cycle_id == cycle_id))
    by_status = {s: add(f"  其中{s}", select(*cnt(P.amount_fen)).where(P.cycle_id == cycle_id, P.status == s))
                 for s in ("待导出", "已导出", "已支付", "失败", "已取消")}
    in_cycle = T.batch_id.in_(select(B.id).where(B.cycle_id == cycle_id))
    exported = add("已导出（累计，含重发）", select(*cnt(T.amount_fen)).where(in_cycle))
    tstat = {s: add(f"  银行{s if s != '已导出' else '待回盘'}", select(*cnt(T.amount_fen)).where(in_cycle, T.status == s))
             for s in ("成功", "失败", "已导出")}
    ent_of_pay = _sum(session, select(*cnt(E.amount_fen)).join(P, has_pay).where(E.cycle_id == cycle_id))

    def check(ok: bool, text: str) -> None:
        (res.checks if ok else res.problems).append(text)

    check(ent[1] == listed[1] + unpaid[1] and ent[0] == listed[0] + unpaid[0],
          f"应发 {format_yuan(ent[1])} = 款项 {format_yuan(listed[1])} + 不发 {format_yuan(unpaid[1])}")
    check(ent_of_pay == listed, "每笔款项的金额等于名单金额")
    check(sum(v[1] for v in by_status.values()) == listed[1], "款项按状态合计等于发放名单")
    parts = [unpaid] + [by_status[s] for s in ("已支付", "失败", "已取消", "待导出", "已导出")]
    check(ent == (sum(p[0] for p in parts), sum(p[1] for p in parts)),
          f"应发 {format_yuan(ent[1])} = 不发 + 已支付 {format_yuan(by_status['已支付'][1])} + 失败待重发 "
          f"{format_yuan(by_status['失败'][1])} + 已取消 {format_yuan(by_status['已取消'][1])} + 待导出 + 待回盘")
    check(exported[1] == sum(v[1] for v in tstat.values()), "已导出 = 成功 + 失败 + 待回盘")
    check(tstat["成功"] == by_status["已支付"], "银行成功合计等于已支付款项合计")
    check(tstat["已导出"] == by_status["已导出"], "待回盘合计等于已导出款项合计")
    live = select(T.payment_id).where(in_cycle, T.status.in_(("已导出", "成功"))).group_by(T.payment_id)
    doubled = session.scalar(select(func.count()).select_from(live.having(func.count() > 1).subquery()))
    check(doubled == 0, f"没有款项被导出两次（重复 {doubled} 笔）")
    cancelled_live = session.scalar(select(func.count()).select_from(T).join(P, P.id == T.payment_id)
                                    .where(in_cycle, P.status == "已取消", T.status.in_(("已导出", "成功"))))
    check(cancelled_live == 0, f"已取消的款项没有成功或待回盘的银行明细（异常 {cancelled_live} 笔）")
    for b in session.scalars(select(B).where(B.cycle_id == cycle_id).order_by(B.seq)):
        n, fen = _sum(session, select(*cnt(T.amount_fen)).where(T.batch_id == b.id))
        check((n, fen) == (b.rows, b.total_fen), f"第 {b.seq} 批控制总额 {b.rows} 笔 {format_yuan(b.total_fen)} 元与明细一致")
    return res
