"""The guarantee fund ledger (担保基金台账): capital, 代偿 payouts, recoveries, write-offs.

Balance = Σ ``fund_fen`` of its entries (注资 +, 代偿 − the fund's share, 追偿 + the fund's
share; 核销 records the unrecovered loss without moving money). Leverage (放大倍数) = principal
outstanding ÷ balance. The payout rate (代偿率) of a bank in a year = 代偿 paid in that year ÷
the bank's cumulative lending up to the year's end, warned when strictly above the parameter
``fund.payout_warning``. Shares of each payout use ``fund.share`` (e.g. fund 80%, bank 20%).

The balance, leverage and every bank's payout rate are for the guarantee agency, 人社局 and
财政; a handling bank sees only its own loans' payouts (``bank_payouts``, ``entries(bank_code=…)``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from zhida.errors import StateError, ValidationFailed
from zhida.loans import params
from zhida.loans.models import FundEntry, Loan, LoanBank, Repayment
from zhida.loans.process import LoanState
from zhida.loans.roles import GUARANTOR
from zhida.loans.steps import shares
from zhida.platform import audit
from zhida.roles import Actor, Role


def _add(session: Session, actor: Actor, entry: FundEntry) -> FundEntry:
    exists = session.scalars(select(FundEntry).where(FundEntry.kind == entry.kind, FundEntry.loan_id == entry.loan_id,
                                                     FundEntry.ref == entry.ref)).first()
    if exists is not None:
        raise StateError(f"担保基金已登记过{entry.kind} {entry.ref}，不能重复登记")
    session.add(entry)
    session.flush()
    audit.record(session, actor=actor, action=f"担保基金{entry.kind}", entity="loan_fund", entity_id=entry.id,
                 after={"贷款": entry.loan_id, "金额(分)": entry.amount_fen, "基金(分)": entry.fund_fen, "凭证": entry.ref})
    return entry


def inject(session: Session, actor: Actor, amount_fen: int, on: dt.date, ref: str, note: str = "") -> FundEntry:
    """注资: capital paid into the fund (by finance), ``ref`` the voucher number (unique)."""
    actor.require(Role.LEADER, GUARANTOR, action="登记担保基金注资")
    if amount_fen <= 0:
        raise ValidationFailed("注资金额应大于 0")
    return _add(session, actor, FundEntry(kind="注资", loan_id=None, ref=ref, on=on, amount_fen=amount_fen,
                                          fund_fen=amount_fen, bank_fen=0, note=note or None, actor=actor.username))


def recover(session: Session, actor: Actor, loan: Loan, amount_fen: int, on: dt.date, ref: str) -> FundEntry:
    """追偿: an amount recovered from the borrower, shared back as the payout was borne."""
    actor.require(GUARANTOR, action="登记追偿")
    if loan.state not in (LoanState.COMPENSATED, LoanState.RECOVERING):
        raise StateError(f"贷款 {loan.number} 处于「{loan.state}」：代偿后才能登记追偿")
    paid = _sum(session, loan.id, "代偿", FundEntry.amount_fen)
    back = _sum(session, loan.id, "追偿", FundEntry.amount_fen)
    if amount_fen <= 0 or back + amount_fen > paid:
        raise ValidationFailed(f"追偿金额应大于 0，且累计不超过代偿金额 {paid / 100:.2f} 元（已追回 {back / 100:.2f} 元）")
    fund, bank = shares(amount_fen, on, loan.region)
    return _add(session, actor, FundEntry(kind="追偿", loan_id=loan.id, ref=ref, on=on, amount_fen=amount_fen,
                                          fund_fen=fund, bank_fen=bank, note=None, actor=actor.username))


def _sum(session: Session, loan_id: int, kind: str, col) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(col), 0))
                              .where(FundEntry.loan_id == loan_id, FundEntry.kind == kind)))


def outstanding(session: Session, as_of: dt.date, bank_code: str | None = None) -> int:
    """Principal outstanding of loans disbursed by ``as_of`` and not settled, compensated or written off."""
    live = (LoanState.REPAYING.value, LoanState.OVERDUE.value)
    stmt = select(func.coalesce(func.sum(Loan.principal_fen), 0)).where(Loan.state.in_(live), Loan.start <= as_of)
    repaid = (select(func.coalesce(func.sum(Repayment.principal_fen), 0))
              .join(Loan, Loan.number == Repayment.loan_number).where(Loan.state.in_(live), Repayment.paid_on <= as_of))
    if bank_code:
        stmt, repaid = stmt.where(Loan.bank_code == bank_code), repaid.where(Loan.bank_code == bank_code)
    return int(session.scalar(stmt) or 0) - int(session.scalar(repaid) or 0)


@dataclass
class FundStatus:
    balance_fen: int
    injected_fen: int
    paid_out_fen: int
    recovered_fen: int
    written_off_fen: int
    outstanding_fen: int
    leverage: Decimal | None
    leverage_max: int

    def summary(self) -> str:
        lev = "—（基金余额为 0）" if self.leverage is None else f"{self.leverage} 倍"
        return (f"担保基金余额 {self.balance_fen / 100:,.2f} 元（注资 {self.injected_fen / 100:,.2f}，代偿支出 "
                f"{self.paid_out_fen / 100:,.2f}，追回 {self.recovered_fen / 100:,.2f}，核销 {self.written_off_fen / 100:,.2f}）；"
                f"在保余额 {self.outstanding_fen / 100:,.2f} 元，放大倍数 {lev}（上限 {self.leverage_max} 倍）")


def status(session: Session, as_of: dt.date) -> FundStatus:
    def total(kind: str, col=FundEntry.fund_fen) -> int:
        return int(session.scalar(select(func.coalesce(func.sum(col), 0))
                                  .where(FundEntry.kind == kind, FundEntry.on <= as_of)) or 0)

    balance = int(session.scalar(select(func.coalesce(func.sum(FundEntry.fund_fen), 0)).where(FundEntry.on <= as_of)) or 0)
    out = outstanding(session, as_of)
    lev = None if balance <= 0 else (Decimal(out) / balance).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return FundStatus(balance, total("注资"), -total("代偿"), total("追偿"), total("核销", FundEntry.amount_fen), out, lev,
                      int(params.value("fund.leverage_max", as_of)))


@dataclass
class PayoutRate:
    bank_code: str
    bank_name: str
    year: int
    paid_fen: int
    lent_fen: int
    rate: Decimal | None
    warning: bool


def warned(rate: Decimal | None, limit: Decimal) -> bool:
    """Strictly above the warning line (超过).

    >>> warned(Decimal("0.0500"), Decimal("0.05")), warned(Decimal("0.0501"), Decimal("0.05")), warned(None, Decimal(0))
    (False, True, False)
    """
    return rate is not None and rate > limit


def payout_rates(session: Session, year: int, bank_code: str | None = None) -> list[PayoutRate]:
    """代偿率 per bank for ``year``: 代偿 paid in the year ÷ all the bank's lending up to the year's
    end; ``warning`` when above ``fund.payout_warning`` (strictly above). ``bank_code``: that bank only."""
    limit = Decimal(params.value("fund.payout_warning", dt.date(year, 12, 31)))
    out = []
    banks = select(LoanBank).order_by(LoanBank.code)
    for bank in session.scalars(banks if bank_code is None else banks.where(LoanBank.code == bank_code)):
        paid = int(session.scalar(select(func.coalesce(func.sum(FundEntry.amount_fen), 0))
                                  .join(Loan, Loan.id == FundEntry.loan_id)
                                  .where(FundEntry.kind == "代偿", Loan.bank_code == bank.code,
                                         extract("year", FundEntry.on) == year)) or 0)
        lent = int(session.scalar(select(func.coalesce(func.sum(Loan.principal_fen), 0))
                                  .where(Loan.bank_code == bank.code, Loan.start <= dt.date(year, 12, 31))) or 0)
        rate = None if lent == 0 else (Decimal(paid) / lent).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        out.append(PayoutRate(bank.code, bank.name, year, paid, lent, rate, warned(rate, limit)))
    return out


def entries(session: Session, limit: int = 500, bank_code: str | None = None) -> list[FundEntry]:
    """The latest entries of the ledger, newest first; ``bank_code``: only the 代偿, 追偿 and 核销
    of that bank's loans (a 注资 belongs to no bank)."""
    stmt = select(FundEntry).order_by(FundEntry.on.desc(), FundEntry.id.desc()).limit(limit)
    if bank_code is not None:
        stmt = stmt.join(Loan, Loan.id == FundEntry.loan_id).where(Loan.bank_code == bank_code)
    return list(session.scalars(stmt))


@dataclass
class BankPayouts:
    """What a handling bank may see of the fund: the payouts on its own loans (分), not the
    fund's balance or leverage, which are the guarantee agency's and 人社局's."""

    bank_code: str
    compensations: int
    paid_out_fen: int
    fund_share_fen: int
    bank_share_fen: int
    recovered_fen: int
    written_off_fen: int

    def summary(self) -> str:
        return (f"本行贷款代偿 {self.compensations} 笔，代偿金额 {self.paid_out_fen / 100:,.2f} 元（担保基金承担 "
                f"{self.fund_share_fen / 100:,.2f}，本行承担 {self.bank_share_fen / 100:,.2f}）；已追回 "
                f"{self.recovered_fen / 100:,.2f} 元，核销 {self.written_off_fen / 100:,.2f} 元")


def bank_payouts(session: Session, bank_code: str, as_of: dt.date) -> BankPayouts:
    """The totals of ``bank_code``'s own loans' 代偿, 追偿 and 核销 up to ``as_of`` (see ``BankPayouts``)."""
    def total(kind: str, *cols) -> list[int]:
        row = session.execute(select(func.count(), *(func.coalesce(func.sum(c), 0) for c in cols))
                              .join(Loan, Loan.id == FundEntry.loan_id)
                              .where(FundEntry.kind == kind, Loan.bank_code == bank_code, FundEntry.on <= as_of)).one()
        return [int(v or 0) for v in row]

    count, paid, fund_out, bank = total("代偿", FundEntry.amount_fen, FundEntry.fund_fen, FundEntry.bank_fen)
    return BankPayouts(bank_code, count, paid, -fund_out, bank, total("追偿", FundEntry.amount_fen)[1],
                       total("核销", FundEntry.amount_fen)[1])
