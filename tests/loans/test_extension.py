"""展期: the handling bank extends its loan once, before maturity, within the limit; the plan
gets the extra periods and nothing from the extension on is subsidised; every refusal names
its rule and changes nothing; of two concurrent extensions exactly one takes effect."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.loans.conftest import BANKER, CLERK, OTHER_BANKER, D, make_loan, repayment_file
from tests.loans.test_cli import run
from zhida.db import session_scope
from zhida.errors import Conflict, PermissionDenied, StateError, ValidationFailed
from zhida.imports.engine import run_import
from zhida.loans import book
from zhida.loans.process import LOAN, LoanState
from zhida.loans.schedule import add_months
from zhida.loans.sweep import sweep
from zhida.platform.models import AuditEntry
from zhida.platform.workflow import history

START, DAY = D(2026, 1, 20), D(2026, 11, 2)  # 36 months, interest quarterly: the 4th period runs on DAY


def extend(engine, number, actor=BANKER, months=6, comment="展期协议 ZQ-2026-001", on=DAY):
    with session_scope(engine) as s:
        LOAN.fire(s, book.get_loan(s, number), LoanState.REPAYING, actor, comment=comment, on=on, months=months)


def plan(engine, number):
    with session_scope(engine) as s:
        loan = book.get_loan(s, number)
        ps = [(p.no, p.start, p.end, p.principal_fen, p.interest_fen, p.borrower_fen, p.subsidy_fen, p.subsidised)
              for p in book.periods_of(s, loan.id)]
        return (loan.months, loan.maturity, loan.extensions, loan.extended_months, loan.state), ps


def test_the_bank_extends_its_loan_and_no_period_from_the_extension_on_is_subsidised(loans_db):
    number = make_loan(loans_db, start=START)
    _, before = plan(loans_db, number)
    extend(loans_db, number)
    (months, maturity, count, extra, state), after = plan(loans_db, number)
    assert (months, maturity, count, extra, state) == (42, add_months(START, 42), 1, 6, "还款中")
    assert after[:3] == before[:3] and all(p[7] and p[6] > 0 for p in after[:3])  # ended by DAY: as they were
    assert len(after) == 14 and [p[0] for p in after] == list(range(1, 15))
    assert after[3][1:3] == (D(2026, 10, 20), D(2027, 1, 20)) and after[-1][2] == maturity
    assert all(not p[7] and p[6] == 0 and p[5] == p[4] > 0 for p in after[3:])
    assert [p[3] for p in after] == [0] * 13 + [20_000_000]  # the principal moves to the new maturity
    assert sum(p[6] for p in after) == sum(p[6] for p in before[:3])
    with session_scope(loans_db) as s:
        loan = book.get_loan(s, number)
        event = history(s, LOAN, loan.id)[-1]
        assert (event.action, event.actor, event.from_state, event.to_state) == ("展期", "nsyh", "还款中", "还款中")
        assert "展期协议 ZQ-2026-001" in event.comment and "到期日 2029-01-20 → 2029-07-20" in event.comment
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "loan", AuditEntry.action == "展期")).one()
        assert audit.actor == "nsyh" and audit.role == "loan_bank"
        assert json.loads(audit.before)["到期日"] == "2029-01-20" and json.loads(audit.after)["到期日"] == "2029-07-20"
        assert json.loads(audit.after)["展期次数"] == 1


@pytest.mark.parametrize("kwargs,error,message", [
    ({"months": 19}, StateError, "原贷款期限 36 个月，累计展期不得超过 18 个月（已展期 0 个月，本次 19 个月；依据：贷款通则"),
    ({"months": 0}, ValidationFailed, "展期需填写展期月数（正整数），收到「0」"),
    ({"months": None}, ValidationFailed, "展期需填写展期月数"),
    ({"comment": ""}, ValidationFailed, "展期需要填写意见或理由"),
    ({"on": D(2029, 1, 20)}, StateError, "于 2029-01-20 到期，展期应在到期日之前申请（贷款通则 第十二条）"),
    ({"actor": OTHER_BANKER}, PermissionDenied, "只能查看和办理本行的贷款"),
    ({"actor": CLERK}, PermissionDenied, "展期需要银行角色"),
])
def test_refusals_name_the_rule_and_change_nothing(loans_db, kwargs, error, message):
    number = make_loan(loans_db, start=START)
    before = plan(loans_db, number)
    with pytest.raises(error) as err:
        extend(loans_db, number, **kwargs)
    assert message in err.value.message
    assert plan(loans_db, number) == before


def test_the_limit_is_met_exactly_and_a_second_extension_is_refused(loans_db):
    number = make_loan(loans_db, start=START)
    extend(loans_db, number, months=18)  # half of 36: the most the rule allows
    before = plan(loans_db, number)
    assert before[0][:4] == (54, add_months(START, 54), 1, 18)
    with pytest.raises(StateError) as err:
        extend(loans_db, number, months=1, on=D(2027, 3, 1))
    assert "已展期 1 次，每笔贷款最多展期 1 次（依据：通行做法" in err.value.message and "待核实" in err.value.message
    assert plan(loans_db, number) == before


def test_a_settled_loan_is_not_extended(loans_db, tmp_path):
    number = make_loan(loans_db, start=START)
    run_import("loan-repayments", repayment_file(tmp_path, [("R1", number, "2026-04-20", "200000", "0")]),
               engine=loans_db)
    with session_scope(loans_db) as s:
        assert sweep(s, D(2026, 4, 21)).settled == 1
    with pytest.raises(StateError) as err:
        extend(loans_db, number, on=D(2026, 5, 1))
    assert "贷款不能从「结清」变为「还款中」" in err.value.message


def test_of_two_concurrent_extensions_exactly_one_takes_effect(loans_db):
    number = make_loan(loans_db, start=START)
    with session_scope(loans_db) as late:
        loan = book.get_loan(late, number)  # read before the other extension commits
        extend(loans_db, number, months=6)
        with pytest.raises(Conflict) as err:
            LOAN.fire(late, loan, LoanState.REPAYING, BANKER, comment="重复提交", on=DAY, months=3)
        assert "已被他人办理展期" in err.value.message
        late.rollback()
    (months, _, count, extra, _), periods = plan(loans_db, number)
    assert (months, count, extra, len(periods)) == (42, 1, 6, 14)


def test_an_extended_loan_cleared_of_arrears_gets_no_subsidy_back(loans_db, tmp_path):
    number = make_loan(loans_db, start=START)
    extend(loans_db, number, on=D(2026, 4, 1))  # the 1st period runs: nothing subsidised from it on
    with session_scope(loans_db) as s:
        assert sweep(s, D(2026, 4, 21)).overdue == 1
        owed = book.position(s, book.get_loan(s, number), D(2026, 4, 21)).arrears
    run_import("loan-repayments", repayment_file(tmp_path, [("R1", number, "2026-05-06", "0", f"{owed / 100:.2f}")]),
               engine=loans_db)
    with session_scope(loans_db) as s:
        assert sweep(s, D(2026, 5, 6)).cleared == 1
    _, periods = plan(loans_db, number)
    assert all(not p[7] and p[6] == 0 for p in periods)


def test_extend_command(capsys, loans_db, db_url):
    number = make_loan(loans_db, start=START)
    r = run(capsys, "loans", "extend", number, "--months", "6", "--comment", "展期协议 ZQ-1", "--on", "2026-11-02",
            "--role", "loan_bank", "--actor", "nsyh", "--format", "json")
    assert r.returncode == 0, r.stderr
    view = json.loads(r.stdout)
    assert view["maturity"] == "2029-07-20" and view["extended_months"] == 6 and len(view["periods"]) == 14
    r = run(capsys, "loans", "extend", number, "--months", "1", "--comment", "再次", "--on", "2026-12-01",
            "--role", "loan_bank", "--actor", "nsyh")
    assert r.returncode != 0 and "已展期 1 次" in r.stderr and "Traceback" not in r.stderr


def test_the_loan_page_offers_the_extension_to_its_bank_only(app, loans_world):
    from tests.loans.test_pages import staff_login
    from tests.web.conftest import STAFF
    from zhida.roles import Role

    number = make_loan(loans_world.engine, start=START)
    clerk = TestClient(app)
    staff_login(clerk, STAFF[Role.OPERATOR])
    assert 'id="extend"' not in clerk.get(f"/loans/book/{number}").text
    bank = TestClient(app)
    token = staff_login(bank, "nsyh")
    page = bank.get(f"/loans/book/{number}").text
    assert 'id="extend"' in page and 'name="months"' in page
    r = bank.post(f"/loans/book/{number}/advance", data={"to": "还款中", "months": "40", "comment": "展期协议",
                                                         "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 409 and "累计展期不得超过 18 个月" in r.text
    r = bank.post(f"/loans/book/{number}/advance", data={"to": "还款中", "months": "6", "comment": "展期协议 ZQ-9",
                                                         "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    page = bank.get(f"/loans/book/{number}").text
    assert "含展期 6 个月" in page and 'id="extend"' in page  # the form stays; the service refuses a second one
    assert bank.get(f"/api/v1/loans/loans/{number}").json()["extended_months"] == 6
