"""Working-day limits of the steps with SMS reminders through the outbox; the annual report."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.loans.conftest import CLERK, D, individual, make_loan, person
from zhida.db import session_scope
from zhida.loans.admin import add_contact
from zhida.loans.applications import submit
from zhida.loans.reminders import due, remind
from zhida.loans.reports import set_target, year_report
from zhida.platform.models import OutboxMessage


@pytest.mark.parametrize("day,count,late", [(D(2026, 1, 12), 1, False), (D(2026, 1, 9), 0, False),
                                            (D(2026, 1, 13), 1, True)])
def test_the_review_limit_of_five_working_days(loans_db, day, count, late):
    # submitted Monday 2026-01-05: the 5th working day after is Monday 01-12; late from 01-13
    with session_scope(loans_db) as s:
        submit(s, CLERK, individual(day=D(2026, 1, 5)))
        found = due(s, day, warn_days=0)
        assert len(found) == count
        if found:
            assert found[0].late is late and found[0].deadline == D(2026, 1, 12)


def test_reminders_go_once_per_day_through_the_outbox(loans_db):
    with session_scope(loans_db) as s:
        add_contact(s, "operator", "13963500010")
        submit(s, CLERK, individual(day=D(2026, 1, 5)))
        assert remind(s, D(2026, 1, 13)) == 1
        assert remind(s, D(2026, 1, 13)) == 0
        msg = s.scalars(select(OutboxMessage)).one()
        assert msg.recipient == "13963500010" and "已超过时限 1 个工作日" in msg.body


def test_year_report_by_group_and_township_against_target(loans_db):
    make_loan(loans_db, start=D(2025, 7, 20))
    make_loan(loans_db, start=D(2025, 8, 1), who=person(birth="19880808", serial="003", group="高校毕业生",
                                                       graduated_on=D(2024, 7, 1)), amount="100000")
    with session_scope(loans_db) as s:
        set_target(s, 2025, 60_000_000, 4)
        r = year_report(s, 2025)
        assert (r.count, r.amount_fen, r.jobs, r.average_fen) == (2, 30_000_000, 6, 15_000_000)
        assert [g.name for g in r.by_group] == ["退役军人", "高校毕业生"]
        assert r.bulletin() == ("2025年全年发放创业担保贷款30.00万元，帮助2个创业项目，带动就业6人，"
                                "平均每笔150,000.00元，完成年度目标的50.0%。")
