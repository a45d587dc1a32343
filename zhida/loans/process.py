"""The two processes of the programme, declared on the platform's workflow.

Application (贷款申请): 待初审 →(人社初审, 经办: the eligibility rules)→ 待担保审核 →(担保机构)→
待银行审批 →(银行)→ 待放款 →(放款, 银行)→ 已放款; from each review step 退回补正 (back to the
applicant, who resubmits with a 补正说明 and the corrected values, ``zhida.loans.corrections``) or 已拒绝 (a reason is required).

Loan (贷款): 还款中 → 结清; 还款中 → 逾期 → (还清) 还款中 | 结清 | 代偿 → 追偿 → 核销 | 结清;
展期 (extension) keeps a loan 还款中: the handling bank extends its own loan before maturity,
within the limits of ``parameters.yaml`` (``extension.*``), with the agreement as the comment —
the bank, not 经办, since an extension changes the bank's contract with the borrower (and the
guarantor's consent is part of that agreement); 经办 sees it in the loan's history and audit;
the count moves by compare-and-set and the audit shows the term and maturity before and after.
Guards and effects are the named functions of ``zhida.loans.steps``.
"""

from __future__ import annotations

from enum import StrEnum

from zhida.loans import steps
from zhida.loans.models import Application, Loan
from zhida.loans.roles import APPLICANT, BANK, GUARANTOR
from zhida.platform.workflow import Process, Transition
from zhida.roles import ProgrammeRole, Role

OP = Role.OPERATOR


class AppState(StrEnum):
    SUBMITTED = "待初审"
    GUARANTEE = "待担保审核"
    BANK = "待银行审批"
    DISBURSE = "待放款"
    DISBURSED = "已放款"
    RETURNED = "退回补正"
    REJECTED = "已拒绝"


class LoanState(StrEnum):
    REPAYING = "还款中"
    OVERDUE = "逾期"
    SETTLED = "结清"
    COMPENSATED = "代偿"
    RECOVERING = "追偿"
    WRITTEN_OFF = "核销"


A, L = AppState, LoanState
EXTEND = "展期"
TIMED: dict[AppState, Role | ProgrammeRole] = {A.SUBMITTED: OP, A.GUARANTEE: GUARANTOR, A.BANK: BANK, A.DISBURSE: BANK}

APPLICATION = Process("loan_application", "贷款申请", AppState, Application, "loan_application", [
    Transition(A.SUBMITTED, A.GUARANTEE, "人社初审通过", (OP,), (steps.eligible,), (steps.moved,)),
    Transition(A.SUBMITTED, A.RETURNED, "退回补正", (OP,), (), (steps.moved,), needs_comment=True),
    Transition(A.SUBMITTED, A.REJECTED, "初审拒绝", (OP,), (), (steps.rejected,), needs_comment=True),
    Transition(A.RETURNED, A.SUBMITTED, "补正后重新提交", (OP, APPLICANT), (steps.own_application,),
               (steps.resubmitted,), needs_comment=True),
    Transition(A.GUARANTEE, A.BANK, "担保审核通过", (GUARANTOR,), (), (steps.moved,)),
    Transition(A.GUARANTEE, A.RETURNED, "担保机构退回补正", (GUARANTOR,), (), (steps.moved,), needs_comment=True),
    Transition(A.GUARANTEE, A.REJECTED, "担保机构拒绝", (GUARANTOR,), (), (steps.rejected,), needs_comment=True),
    Transition(A.BANK, A.DISBURSE, "银行审批通过", (BANK,), (steps.own_bank,), (steps.moved,)),
    Transition(A.BANK, A.REJECTED, "银行拒绝", (BANK,), (steps.own_bank,), (steps.rejected,), needs_comment=True),
    Transition(A.DISBURSE, A.DISBURSED, "放款", (BANK,), (steps.own_bank, steps.within_limit),
               (steps.moved, steps.disburse)),
    Transition(A.DISBURSE, A.REJECTED, "终止放款", (BANK,), (steps.own_bank,), (steps.rejected,), needs_comment=True),
])

def loan_snapshot(loan: Loan) -> dict[str, object]:
    """What the audit shows of a loan before and after a step."""
    return {"状态": loan.state, "期限（月）": loan.months, "到期日": loan.maturity.isoformat(), "展期次数": loan.extensions}


LOAN = Process("loan", "贷款", LoanState, Loan, "loan", [
    Transition(L.REPAYING, L.SETTLED, "结清", (BANK, OP), (steps.loan_bank, steps.paid_off), (steps.settled,)),
    Transition(L.REPAYING, L.OVERDUE, "认定逾期", (BANK, OP), (steps.loan_bank, steps.is_overdue), (steps.overdue,)),
    Transition(L.OVERDUE, L.REPAYING, "逾期已还清", (BANK, OP), (steps.loan_bank, steps.cured), (steps.cleared,)),
    Transition(L.OVERDUE, L.SETTLED, "逾期后结清", (BANK, OP), (steps.loan_bank, steps.paid_off), (steps.settled,)),
    Transition(L.OVERDUE, L.COMPENSATED, "代偿", (GUARANTOR,), (steps.long_overdue,), (steps.compensate,)),
    Transition(L.COMPENSATED, L.RECOVERING, "开始追偿", (GUARANTOR,)),
    Transition(L.RECOVERING, L.WRITTEN_OFF, "核销", (GUARANTOR,), (), (steps.write_off,), needs_comment=True),
    Transition(L.RECOVERING, L.SETTLED, "追偿完毕", (GUARANTOR,), (steps.recovered_all,), (steps.settled,)),
    Transition(L.REPAYING, L.REPAYING, EXTEND, (BANK,), (steps.loan_bank, steps.may_extend), (steps.extend,),
               needs_comment=True),
], snapshot=loan_snapshot)
