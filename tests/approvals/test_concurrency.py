"""Two clerks extending the same case at once: exactly one extension, never two."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.approvals.conftest import OPERATOR, UNIT
from zhida.approvals import cases, progress
from zhida.approvals.cases import Acceptance, Application
from zhida.approvals.models import Case, Special
from zhida.errors import ZhidaError

D = dt.date


def test_concurrent_extensions_give_one(session, engine):
    c = cases.receive(session, OPERATOR, Application("LD-LS", "单位", UNIT), D(2026, 3, 2))
    cases.accept(session, OPERATOR, c.case_no, Acceptance(D(2026, 3, 2), "受"))
    session.commit()
    first = Session(engine)
    progress.extend(first, OPERATOR, c.case_no, 10, "nl_head", D(2026, 3, 10), "论证")   # holds the row lock
    outcome: list = []

    def second() -> None:
        with Session(engine) as s:
            try:
                progress.extend(s, OPERATOR, c.case_no, 10, "nl_head", D(2026, 3, 10), "论证")
                s.commit()
                outcome.append("extended")
            except (ZhidaError, OperationalError) as err:
                s.rollback()
                outcome.append(getattr(err, "message", "locked"))

    t = threading.Thread(target=second)
    t.start()
    t.join(0.5)
    first.commit()
    first.close()
    t.join(30)
    assert len(outcome) == 1 and outcome[0] != "extended"
    with Session(engine) as s:
        assert s.scalar(select(Case.extension_days).where(Case.case_no == c.case_no)) == 10
        assert s.scalar(select(func.count()).select_from(Special).where(Special.kind == "延长")) == 1
