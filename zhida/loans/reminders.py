"""Time limits of the application steps and reminders (办理时限与催办).

Each timed state has a limit in working days (parameters ``limit.*``), counted by the
platform clock from the day after the state was entered. ``due`` lists applications whose
limit is reached within ``warn_days`` or passed; ``remind`` queues one SMS per application,
state and day through the outbox (dedupe key ``loans:remind:<number>:<state>:<day>``) to the
bank's contact or the role's contact (``LoanContact``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.loans import params
from zhida.loans.models import Application, LoanBank, LoanContact
from zhida.loans.process import TIMED, AppState
from zhida.platform import outbox
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import clock

LIMIT_KEYS = {AppState.SUBMITTED: "limit.review", AppState.GUARANTEE: "limit.guarantee",
              AppState.BANK: "limit.bank", AppState.DISBURSE: "limit.disburse"}


@dataclass(frozen=True)
class Due:
    number: str
    state: str
    since: dt.date
    limit: int
    used: int
    deadline: dt.date | None
    bank_code: str

    @property
    def late(self) -> bool:
        return self.used > self.limit

    def text(self) -> str:
        when = f"已超过时限 {self.used - self.limit} 个工作日" if self.late else f"将于 {self.deadline} 到期"
        return f"贷款申请 {self.number} 处于「{self.state}」（{self.limit} 个工作日内办结），{when}，请及时办理。"


def due(session: Session, as_of: dt.date, warn_days: int = 1) -> list[Due]:
    cal = WorkingCalendar.from_session(session)
    out = []
    stmt = select(Application).where(Application.state.in_([s.value for s in TIMED])).order_by(Application.id)
    for app in session.scalars(stmt):
        limit = int(params.value(LIMIT_KEYS[AppState(app.state)], app.state_since, app.region))
        c = clock(app.state_since, limit, as_of, calendar=cal)
        if c.left <= warn_days:
            out.append(Due(app.number, app.state, app.state_since, limit, c.used, c.deadline, app.bank_code))
    return out


def remind(session: Session, as_of: dt.date) -> int:
    """Queue the reminders of ``as_of``; returns how many were new."""
    contacts = {c.role: c.phone for c in session.scalars(select(LoanContact))}
    banks = {b.code: b.phone for b in session.scalars(select(LoanBank))}
    rows = []
    for d in due(session, as_of):
        role = TIMED[AppState(d.state)].value
        phone = banks.get(d.bank_code) if role == "loan_bank" else contacts.get(role)
        if phone:
            rows.append({"channel": "sms", "recipient": phone, "body": d.text(),
                         "dedupe_key": f"loans:remind:{d.number}:{d.state}:{as_of}"})
    return outbox.enqueue_many(session, rows)
