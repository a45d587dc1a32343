"""Quarterly interest-subsidy claims of the banks (贴息资金申请与拨付).

A claim (贴息清单) gathers, for one bank and quarter, the subsidised periods that ended in
the quarter and were not claimed before; each period is taken by compare-and-set so no
period is ever claimed twice. 财政 reviews it, exports the bank file (one transfer to the
bank's account, in the layout of ``zhida.delivery.bankfiles.HEADERS``), imports the bank's
return (``RETURN_HEADERS``) and reconciles: claim total = Σ lines, 应拨 = 已拨付 + 待拨付 + 失败.

The delivery package's payments are bound to policy cycles and units, so the claim's
transfer, file and return are kept here with the same formats; moving a generic
"payment to an account" service into the platform would let both share it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from zhida import sheets
from zhida.delivery.bankfiles import HEADERS, RETURN_HEADERS
from zhida.errors import Conflict, ImportRefused, NotFound, RowError, StateError, ValidationFailed
from zhida.loans.lists import yuan
from zhida.loans.models import Loan, LoanBank, LoanPeriod, SubsidyClaim
from zhida.loans.roles import FINANCE, require_bank
from zhida.platform.workflow import Process, Transition
from zhida.roles import Actor, Role


class ClaimState(StrEnum):
    DRAFT = "待审核"
    APPROVED = "已审核"
    EXPORTED = "已导出"
    PAID = "已拨付"
    FAILED = "拨付失败"


C = ClaimState
CLAIM = Process("loan_subsidy_claim", "贴息申请", ClaimState, SubsidyClaim, "loan_subsidy_claim", [
    Transition(C.DRAFT, C.APPROVED, "审核通过", (FINANCE,)),
    Transition(C.APPROVED, C.EXPORTED, "导出拨付文件", (FINANCE,)),
    Transition(C.EXPORTED, C.PAID, "拨付成功", (FINANCE,)),
    Transition(C.EXPORTED, C.FAILED, "拨付失败", (FINANCE,)),
    Transition(C.FAILED, C.APPROVED, "更正后重新拨付", (FINANCE,), (), (lambda step: _retry(step.entity),),
               needs_comment=True),
])


def _retry(claim: SubsidyClaim) -> None:
    """更正后重新拨付: the failed transfer's reference and reason are left behind (they stay in
    the claim's history and audit); the next export gets a new reference, so the old return
    file cannot be applied to the new transfer."""
    claim.attempt = (claim.attempt or 0) + 1
    claim.bank_ref, claim.fail_reason = None, None


def reference(claim: SubsidyClaim) -> str:
    """业务参考号 of the claim's transfer: ``TX<quarter><id>``, then ``-2``, ``-3`` … per retry."""
    base = f"TX{claim.quarter}{claim.id:06d}"
    return f"{base}-{claim.attempt + 1}" if claim.attempt else base


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """``2026Q1`` → (2026-01-01, 2026-03-31); ``ValidationFailed`` otherwise.

    >>> quarter_bounds("2026Q4")
    (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    """
    q = quarter.strip().upper()
    if len(q) != 6 or q[4] != "Q" or not q[:4].isdigit() or q[5] not in "1234":
        raise ValidationFailed(f"季度「{quarter}」格式不对：应为 YYYYQn，如 2026Q1")
    year, n = int(q[:4]), int(q[5])
    start = dt.date(year, 3 * n - 2, 1)
    end = dt.date(year + (n == 4), 1 if n == 4 else 3 * n + 1, 1) - dt.timedelta(days=1)
    return start, end


def _open_lines(bank_code: str, start: dt.date, end: dt.date):
    P = LoanPeriod
    return (P.loan_id.in_(select(Loan.id).where(Loan.bank_code == bank_code)), P.end >= start, P.end <= end,
            P.subsidised.is_(True), P.subsidy_fen > 0, P.claim_id.is_(None))


def build_claim(session: Session, actor: Actor, bank_code: str, quarter: str) -> SubsidyClaim:
    """The bank's claim for ``quarter`` (a bank account for its own bank, or 经办/财政)."""
    actor.require(Role.OPERATOR, FINANCE, "loan_bank", action="生成贴息清单")
    require_bank(session, actor, bank_code)
    if session.get(LoanBank, bank_code) is None:
        raise NotFound(f"经办银行 {bank_code} 未登记")
    start, end = quarter_bounds(quarter)
    if end >= dt.date.today() and not actor.can(Role.ADMIN):
        raise StateError(f"{quarter} 尚未结束，季度结束后才能申请贴息")
    if session.scalars(select(SubsidyClaim).where(SubsidyClaim.bank_code == bank_code,
                                                  SubsidyClaim.quarter == quarter.upper())).first():
        raise Conflict(f"{bank_code} {quarter} 的贴息清单已生成，不能重复申请")
    cond = and_(*_open_lines(bank_code, start, end))
    n, total = session.execute(select(func.count(), func.coalesce(func.sum(LoanPeriod.subsidy_fen), 0)).where(cond)).one()
    if n == 0:
        raise StateError(f"{bank_code} 在 {quarter} 没有可申请贴息的计息期")
    claim = SubsidyClaim(bank_code=bank_code, quarter=quarter.upper(), lines=n, total_fen=int(total), state=C.DRAFT.value)
    session.add(claim)
    session.flush()
    taken = cast("CursorResult[Any]", session.execute(update(LoanPeriod).where(cond).values(claim_id=claim.id)
                                                      .execution_options(synchronize_session=False))).rowcount
    if taken != n:
        raise Conflict("贴息清单生成时计息期被同时占用，请重试")
    from zhida.platform import audit

    audit.record(session, actor=actor, action="生成贴息清单", entity="loan_subsidy_claim", entity_id=claim.id,
                 after={"银行": bank_code, "季度": claim.quarter, "笔数": n, "合计(分)": claim.total_fen})
    return claim


def get_claim(session: Session, claim_id: int) -> SubsidyClaim:
    claim = session.get(SubsidyClaim, claim_id)
    if claim is None:
        raise NotFound(f"没有贴息申请 {claim_id}")
    return claim


def lines(session: Session, claim_id: int) -> list[tuple]:
    """(贷款编号, 期次, 起, 止, 天数, 计息本金, 利息, 借款人承担, 贴息) of a claim, in 分."""
    P = LoanPeriod
    stmt = (select(Loan.number, P.no, P.start, P.end, P.days, P.balance_fen + P.principal_fen, P.interest_fen,
                   P.borrower_fen, P.subsidy_fen).join(Loan, Loan.id == P.loan_id)
            .where(P.claim_id == claim_id).order_by(Loan.number, P.no))
    return [tuple(r) for r in session.execute(stmt)]


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export(session: Session, actor: Actor, claim_id: int, out_dir: Path) -> Path:
    """Write the claim's transfer file (CSV, ``HEADERS``) and mark it 已导出; same bytes every time."""
    claim = get_claim(session, claim_id)
    bank = session.get(LoanBank, claim.bank_code)
    if bank is None:  # a foreign key of the claim
        raise NotFound(f"贴息申请 {claim_id} 的经办银行 {claim.bank_code} 未登记")
    if not bank.account_no:
        raise StateError(f"经办银行 {bank.name} 没有登记收款账号，不能导出拨付文件")
    claim.bank_ref = claim.bank_ref or reference(claim)
    CLAIM.fire(session, claim, C.EXPORTED, actor)
    data = sheets.csv_bytes([HEADERS, [1, bank.name, bank.account_no, bank.name, yuan(claim.total_fen),
                                       f"创业担保贷款贴息{claim.quarter}", claim.bank_ref]])
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"贴息拨付-{claim.bank_code}-{claim.quarter}-{claim.bank_ref}.csv"  # one file per transfer
    _atomic_write(path, data)
    claim.file_name, claim.file_sha256 = str(path), hashlib.sha256(data).hexdigest()
    return path


def import_return(session: Session, actor: Actor, claim_id: int, path: Path, paid_on: dt.date) -> SubsidyClaim:
    """The bank's return file for a claim: 成功 → 已拨付, 失败 → 拨付失败 (with the reason)."""
    from zhida.imports.layout import HeaderSpec
    from zhida.imports.reader import read_table

    claim = get_claim(session, claim_id)
    if claim.state != C.EXPORTED or not claim.bank_ref:
        raise StateError(f"贴息申请 {claim.id}（{claim.quarter}）尚未导出拨付文件（当前状态：{claim.state}），"
                         "没有可对应的回盘：请先导出拨付文件并交银行办理")
    table = read_table(path, HeaderSpec.of(RETURN_HEADERS))
    idx = {h.strip(): i for i, h in enumerate(table.headers)}
    if any(h not in idx for h in RETURN_HEADERS[:2]):
        raise ImportRefused(f"{path.name}：回盘文件应有列 {'、'.join(RETURN_HEADERS)}", [])
    refs = [(c or "").strip() for c in table.column(idx["业务参考号"]).to_list()]
    states = [(c or "").strip() for c in table.column(idx["状态"]).to_list()]
    if refs.count(claim.bank_ref) != 1:
        raise ImportRefused(f"{path.name}：没有（或不止一行）业务参考号 {claim.bank_ref}", [
            RowError(path.name, None, "业务参考号", None, f"应恰有一行业务参考号 {claim.bank_ref}")])
    i = refs.index(claim.bank_ref)
    status = {"成功": C.PAID, "支付成功": C.PAID, "失败": C.FAILED, "支付失败": C.FAILED}.get(states[i])
    if status is None:
        raise ImportRefused(f"{path.name} 第 {table.row_numbers[i]} 行：状态「{states[i]}」应为 成功 或 失败", [])
    reason = None
    if status == C.FAILED:
        reason = ((table.column(idx["失败原因"]).to_list()[i] if "失败原因" in idx else None) or "").strip() or "银行未说明原因"
    CLAIM.fire(session, claim, status, actor, comment=reason)
    if status == C.PAID:
        claim.paid_on = paid_on
    claim.fail_reason = reason
    return claim


@dataclass
class Reconciliation:
    claims: int
    claimed_fen: int
    lines_fen: int
    paid_fen: int
    pending_fen: int
    failed_fen: int

    @property
    def ok(self) -> bool:
        return self.claimed_fen == self.lines_fen == self.paid_fen + self.pending_fen + self.failed_fen

    def summary(self) -> str:
        head = "对账一致" if self.ok else "对账不一致"
        return (f"{head}：贴息申请 {self.claims} 笔，应拨 {self.claimed_fen / 100:,.2f} 元（清单合计 "
                f"{self.lines_fen / 100:,.2f}）= 已拨付 {self.paid_fen / 100:,.2f} + 待拨付 {self.pending_fen / 100:,.2f}"
                f" + 失败 {self.failed_fen / 100:,.2f}")


def reconcile(session: Session, quarter: str | None = None) -> Reconciliation:
    """应拨 = Σ claims = Σ their lines = 已拨付 + 待拨付 + 失败, to the fen."""
    stmt = select(SubsidyClaim)
    if quarter:
        stmt = stmt.where(SubsidyClaim.quarter == quarter.upper())
    claims = list(session.scalars(stmt))
    ids = [c.id for c in claims]
    lines_total = int(session.scalar(select(func.coalesce(func.sum(LoanPeriod.subsidy_fen), 0))
                                     .where(LoanPeriod.claim_id.in_(ids))) or 0) if ids else 0

    def part(*states: str) -> int:
        return sum(c.total_fen for c in claims if c.state in states)

    return Reconciliation(len(claims), part(*[s.value for s in C]), lines_total, part(C.PAID.value),
                          part(C.DRAFT.value, C.APPROVED.value, C.EXPORTED.value), part(C.FAILED.value))
