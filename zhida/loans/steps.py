"""Guards and effects of the loan processes (see ``zhida.loans.process``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm.attributes import set_committed_value

from zhida.errors import Conflict, StateError, ValidationFailed
from zhida.loans import book, params
from zhida.loans.eligibility import ELIGIBLE, UNDETERMINED, judge, parameter
from zhida.loans.models import Applicant, Application, FundEntry, Loan, Partner
from zhida.loans.roles import require_applicant, require_bank
from zhida.money import round_half_up_fen
from zhida.platform.workflow import Step


def on(step: Step) -> dt.date:
    """The business date of the step (``on=`` of the call, else today)."""
    return step.params.get("on") or step.at.date()


# ------------------------------------------------------------------ application
def eligible(step: Step) -> None:
    """人社初审: the eligibility policy must hold; the decision is kept with the application."""
    app = step.entity
    verdict = judge(step.session, app.number, app.submitted_on)
    app.decision = verdict.text()
    if verdict.status == UNDETERMINED:
        raise StateError("初审不能通过：有条件尚待补充（如征信查询结果未导入）：" + "；".join(verdict.open))
    if verdict.status != ELIGIBLE:
        raise StateError("初审不能通过：" + "；".join(verdict.failed))


def moved(step: Step) -> None:
    step.entity.state_since = on(step)
    if step.comment:
        step.entity.reason = step.comment


def rejected(step: Step) -> None:
    step.entity.reason = step.comment
    step.entity.state_since = on(step)


def resubmitted(step: Step) -> None:
    """补正后重新提交: the corrected values (``changes=``, see ``zhida.loans.corrections``) applied."""
    from zhida.loans.corrections import correct

    correct(step.session, step.actor, step.entity, step.params.get("changes") or {})
    step.entity.state_since = on(step)


def own_application(step: Step) -> None:
    applicant = step.session.get(Applicant, step.entity.applicant_id)
    require_applicant(step.actor, applicant.id_number if applicant else None)


def own_bank(step: Step) -> None:
    require_bank(step.session, step.actor, step.entity.bank_code)


def within_limit(step: Step) -> None:
    """放款 only while every borrower has fewer than ``loans.max_count`` other disbursed loans
    (财金〔2020〕21号): checked again here, with the borrowers' rows locked, because applications
    sent at the same moment are each judged without seeing the other."""
    app, session = step.entity, step.session
    ids = {app.applicant_id} | set(session.scalars(select(Partner.applicant_id).where(Partner.application_id == app.id)))
    limit = int(parameter("loans.max_count", app.submitted_on).value)
    for person in session.scalars(select(Applicant).where(Applicant.id.in_(ids)).order_by(Applicant.id)
                                  .with_for_update()):
        held = session.scalar(select(func.count(func.distinct(Application.id))).select_from(Application)
                              .outerjoin(Partner, Partner.application_id == Application.id)
                              .where(Application.id != app.id, Application.state == "已放款",
                                     or_(Application.applicant_id == person.id, Partner.applicant_id == person.id)))
        if (held or 0) >= limit:
            raise StateError(f"不能放款：{person.name} 已获得创业担保贷款 {held} 笔，"
                             f"累计不超过 {limit} 笔（财金〔2020〕21号）")


def disburse(step: Step) -> None:
    step.params["loan"] = book.create_loan(step.session, step.entity, on(step))


# ------------------------------------------------------------------ loan
def loan_bank(step: Step) -> None:
    require_bank(step.session, step.actor, step.entity.bank_code)


def paid_off(step: Step) -> None:
    pos = book.position(step.session, step.entity, on(step))
    if pos.outstanding > 0:
        raise StateError(f"贷款 {step.entity.number} 尚欠本金 {pos.outstanding / 100:.2f} 元，不能结清")


def is_overdue(step: Step) -> None:
    pos = book.position(step.session, step.entity, on(step))
    if pos.overdue_since is None:
        raise StateError(f"贷款 {step.entity.number} 截至 {on(step)} 没有到期未还的款项，不能认定逾期")
    step.params["since"] = pos.overdue_since


def overdue(step: Step) -> None:
    step.entity.overdue_since = step.params["since"]
    book.unsubsidise(step.session, step.entity.id, step.params["since"])


def cured(step: Step) -> None:
    if book.position(step.session, step.entity, on(step)).arrears > 0:
        raise StateError(f"贷款 {step.entity.number} 仍有逾期欠款，不能恢复为还款中")


def cleared(step: Step) -> None:
    step.entity.overdue_since = None
    book.resubsidise(step.session, step.entity, on(step))


def settled(step: Step) -> None:
    """结清; before maturity the plan is cut to the day (interest by actual days)."""
    step.entity.settled_on = on(step)
    if step.entity.state == "结清" and step.transition.source != "追偿":
        book.cut_plan(step.session, step.entity, _last_repayment(step) or on(step))


def _last_repayment(step: Step) -> dt.date | None:
    from zhida.loans.models import Repayment

    return step.session.scalar(select(func.max(Repayment.paid_on)).where(Repayment.loan_number == step.entity.number))


def may_extend(step: Step) -> None:
    """展期 is asked before maturity (贷款通则 第十二条), at most ``extension.max_count`` times,
    for at most the share of the original term the rule allows (short-term loans up to the
    term, medium-term up to half of it, cumulated); ``months`` a positive whole number."""
    loan: Loan = step.entity
    months, day = step.params.get("months"), on(step)
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ValidationFailed(f"展期需填写展期月数（正整数），收到「{months}」")
    if day >= loan.maturity:
        raise StateError(f"贷款 {loan.number} 于 {loan.maturity} 到期，展期应在到期日之前申请（贷款通则 第十二条），"
                         f"办理日 {day} 已不能展期")
    most = int(params.value("extension.max_count", day, loan.region))
    if loan.extensions >= most:
        raise StateError(f"贷款 {loan.number} 已展期 {loan.extensions} 次，每笔贷款最多展期 {most} 次"
                         f"（依据：{params.parameter('extension.max_count').cite()}）")
    original = loan.months - loan.extended_months
    key = "extension.max_share_short" if original <= 12 else "extension.max_share_medium"
    limit = int(Decimal(original) * Decimal(params.value(key, day, loan.region)))  # whole months, rounded down
    if loan.extended_months + months > limit:
        raise StateError(f"展期期限超过上限：原贷款期限 {original} 个月，累计展期不得超过 {limit} 个月（已展期 "
                         f"{loan.extended_months} 个月，本次 {months} 个月；依据：{params.parameter(key).cite()}）")


def extend(step: Step) -> None:
    """展期: the extension count moves by compare-and-set (of two concurrent requests exactly
    one wins, the other gets ``Conflict``), the term and maturity grow, and the plan from the
    period running on the day is rebuilt without subsidy (``book.extend_plan``)."""
    loan: Loan = step.entity
    months, day, before = int(step.params["months"]), on(step), loan.maturity
    moved = step.session.execute(update(Loan).where(Loan.id == loan.id, Loan.extensions == loan.extensions)
                                 .values(extensions=loan.extensions + 1).execution_options(synchronize_session=False))
    if cast("CursorResult[Any]", moved).rowcount != 1:
        raise Conflict(f"贷款 {loan.number} 已被他人办理展期，请刷新后重试")
    set_committed_value(loan, "extensions", loan.extensions + 1)
    maturity = book.extend_plan(step.session, loan, day, months)
    loan.months, loan.extended_months, loan.maturity = loan.months + months, loan.extended_months + months, maturity
    step.session.flush()
    step.notes.append(f"展期 {months} 个月，到期日 {before} → {maturity}；自 {day} 所在计息期起不再贴息")


def long_overdue(step: Step) -> None:
    loan: Loan = step.entity
    limit = int(params.value("default.overdue_days", on(step), loan.region))
    days = (on(step) - loan.overdue_since).days if loan.overdue_since else 0
    if days <= limit:
        raise StateError(f"代偿条件不满足：贷款 {loan.number} 逾期 {days} 天，超过 {limit} 天才能申请代偿"
                         f"（依据：{params.parameter('default.overdue_days').cite()}）")


def shares(amount_fen: int, day: dt.date, region: str) -> tuple[int, int]:
    """(fund, bank) parts of an amount by the fund's share in force, half up once."""
    fund = round_half_up_fen(Decimal(amount_fen) / 100 * Decimal(params.value("fund.share", day, region)))
    return fund, amount_fen - fund


def compensate(step: Step) -> None:
    """代偿: outstanding principal and arrears paid to the bank; the fund bears its share."""
    loan: Loan = step.entity
    pos = book.position(step.session, loan, on(step))
    amount = pos.outstanding + _unpaid_interest(step.session, loan, on(step))
    fund, bank = shares(amount, on(step), loan.region)
    step.session.add(FundEntry(kind="代偿", loan_id=loan.id, ref=loan.number, on=on(step), amount_fen=amount,
                               fund_fen=-fund, bank_fen=bank, note=step.comment, actor=step.actor.username))


def _unpaid_interest(session, loan: Loan, day: dt.date) -> int:
    pos = book.position(session, loan, day)
    due_principal = sum(p.principal_fen for p in book.periods_of(session, loan.id) if p.end <= day)
    return max(pos.arrears - max(due_principal - pos.principal_repaid, 0), 0)


def _sum(session, loan_id: int, kind: str, col) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(col), 0))
                              .where(FundEntry.loan_id == loan_id, FundEntry.kind == kind)))


def recovered_all(step: Step) -> None:
    paid = _sum(step.session, step.entity.id, "代偿", FundEntry.amount_fen)
    back = _sum(step.session, step.entity.id, "追偿", FundEntry.amount_fen)
    if back < paid:
        raise StateError(f"贷款 {step.entity.number} 代偿 {paid / 100:.2f} 元，已追回 {back / 100:.2f} 元，尚未追偿完毕")


def write_off(step: Step) -> None:
    """核销: the fund's unrecovered part is written off (the balance already paid it out)."""
    loan: Loan = step.entity
    out = -_sum(step.session, loan.id, "代偿", FundEntry.fund_fen)
    back = _sum(step.session, loan.id, "追偿", FundEntry.fund_fen)
    step.session.add(FundEntry(kind="核销", loan_id=loan.id, ref=loan.number, on=on(step), amount_fen=out - back,
                               fund_fen=0, bank_fen=0, note=step.comment, actor=step.actor.username))
