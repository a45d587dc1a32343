"""Applications received by the handling banks (银行导入): the imported rows taken in one by one.

Each 待处理 row of ``loan_intake`` goes through ``applications.submit`` (channel 银行导入) in
its own savepoint: accepted rows get their application number (已受理), refused ones the
reason naming the rule (不予受理). Running it twice takes nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import ZhidaError
from zhida.loans.applications import ApplicationIn, PersonIn, submit
from zhida.loans.models import Intake
from zhida.loans.rates import format_rate
from zhida.platform import audit
from zhida.roles import Actor, Role


@dataclass
class IntakeResult:
    accepted: int = 0
    refused: int = 0

    def summary(self) -> str:
        return f"银行导入的申请：受理 {self.accepted} 笔，不予受理 {self.refused} 笔"


def take_in(session: Session, actor: Actor) -> IntakeResult:
    actor.require(Role.OPERATOR, action="处理银行导入的申请")
    result = IntakeResult()
    rows = session.scalars(select(Intake).where(Intake.status == "待处理").order_by(Intake.submitted_on, Intake.bank_ref))
    for row in rows.all():
        who = PersonIn(row.name, row.id_number, row.phone, row.hukou or "", row.township or "", row.target_group,
                       row.evidence_ref or "")
        data = ApplicationIn(kind="个人", bank_code=row.bank_code, amount=f"{row.amount_fen / 100:.2f}", months=row.months,
                             rate=format_rate(row.rate), project=row.project, channel="银行导入",
                             submitted_on=row.submitted_on, jobs_created=row.jobs_created or 0,
                             township=row.township or "", person=who)
        try:
            app = submit(session, actor, data)
        except ZhidaError as err:
            row.status, row.message = "不予受理", err.message
            result.refused += 1
        else:
            row.status, row.application_number, row.message = "已受理", app.number, None
            result.accepted += 1
        audit.record(session, actor=actor, action="处理银行导入申请", entity="loan_intake", entity_id=row.bank_ref,
                     after={"结果": row.status, "申请编号": row.application_number})
    session.flush()
    return result
