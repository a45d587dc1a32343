"""The loan book: repayments from bank files, settlement, arrears without subsidy, 代偿, 追偿, 核销."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.loans.conftest import BANK_CODE, GUARANTEE, D, make_loan, person, repayment_file
from zhida.db import session_scope
from zhida.errors import ImportRefused, StateError, ValidationFailed
from zhida.imports.engine import run_import
from zhida.loans import book, fund
from zhida.loans.models import Repayment
from zhida.loans.process import LOAN, LoanState
from zhida.loans.sweep import sweep
from zhida.roles import Actor, Role

LEADER = Actor("leader", Role.LEADER)


def periods(engine, number):
    with session_scope(engine) as s:
        loan = book.get_loan(s, number)
        return [(p.end, p.subsidised, p.subsidy_fen) for p in book.periods_of(s, loan.id)]


def state(engine, number):
    with session_scope(engine) as s:
        return book.get_loan(s, number).state


def test_repayments_settle_a_loan_and_later_lines_for_it_are_refused(loans_db, tmp_path):
    n = make_loan(loans_db)
    run_import("loan-repayments", repayment_file(tmp_path, [("R1", n, "2026-04-20", "200000", "0")]), engine=loans_db)
    with session_scope(loans_db) as s:
        assert sweep(s, D(2026, 4, 21)).settled == 1
    assert state(loans_db, n) == "结清"
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", repayment_file(tmp_path, [("R2", n, "2026-05-20", "1", "0")], batch="B2"),
                   engine=loans_db)
    assert any("该贷款已于 2026-04-21 结清" in e.message() for e in err.value.errors), [e.message() for e in err.value.errors]


def test_a_settled_loan_takes_no_new_line_even_on_its_settlement_day_but_the_same_file_again_passes(loans_db,
                                                                                                    tmp_path):
    n = make_loan(loans_db)
    first = repayment_file(tmp_path, [("R1", n, "2026-04-20", "200000", "0")], name="第一批.csv")
    run_import("loan-repayments", first, engine=loans_db)
    with session_scope(loans_db) as s:
        sweep(s, D(2026, 4, 21))
    report = run_import("loan-repayments", first, engine=loans_db)  # the bank sends the same file twice
    assert (report.inserted, report.updated) == (0, 0)
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", repayment_file(tmp_path, [("R2", n, "2026-04-20", "0", "1")], batch="B2"),
                   engine=loans_db)
    assert any("该贷款已于 2026-04-21 结清，不能再登记还款" in e.message() for e in err.value.errors)


def test_principal_repaid_beyond_the_loan_s_is_refused_with_the_figures(loans_db, tmp_path):
    n = make_loan(loans_db)
    run_import("loan-repayments", repayment_file(tmp_path, [("R1", n, "2026-03-20", "150000", "0")]), engine=loans_db)
    exact = repayment_file(tmp_path, [("R2", n, "2026-04-20", "50000", "0")], batch="B2", name="b2.csv")
    over = repayment_file(tmp_path, [("R2", n, "2026-04-20", "50000.01", "0")], batch="B2", name="b3.csv")
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", over, engine=loans_db)
    assert "本金 200,000.00 元，已还 150,000.00 元，本文件再还 50,000.01 元将超出本金" in err.value.errors[0].message()
    assert run_import("loan-repayments", exact, engine=loans_db).inserted == 1  # exactly the rest is fine
    with session_scope(loans_db) as s:
        assert book.position(s, book.get_loan(s, n), D(2026, 4, 21)).outstanding == 0


@pytest.mark.parametrize("line,message", [
    (("R1", None, "2026-04-20", "100", "0"), "该流水号已登记为贷款"),       # another loan
    (("R1", "same", "2026-04-21", "100", "0"), "已入账的还款不能更改"),      # another day
    (("R1", "same", "2026-04-20", "100.01", "0"), "已入账的还款不能更改"),  # another amount
])
def test_a_recorded_repayment_cannot_be_moved_by_reusing_its_reference(loans_db, tmp_path, line, message):
    n, other = make_loan(loans_db), make_loan(loans_db, who=person(birth="19920304", serial="002", name="李红"))
    run_import("loan-repayments", repayment_file(tmp_path, [("R1", n, "2026-04-20", "100", "0")]), engine=loans_db)
    ref, loan, day, p, i = line
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", repayment_file(tmp_path, [(ref, n if loan == "same" else other, day, p, i)],
                                                     batch="B2", name="改.csv"), engine=loans_db)
    assert message in err.value.errors[0].message() and "2026-04-20 本金 100.00 元" in err.value.errors[0].message()
    with session_scope(loans_db) as s:
        kept = s.get(Repayment, "R1")
        assert (kept.loan_number, kept.paid_on, kept.principal_fen) == (n, D(2026, 4, 20), 10_000)


def test_a_reference_differing_only_in_case_is_the_same_payment(loans_db, tmp_path):
    n = make_loan(loans_db)
    run_import("loan-repayments", repayment_file(tmp_path, [("T-0001", n, "2026-04-20", "100", "0")]), engine=loans_db)
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", repayment_file(tmp_path, [("t-0001", n, "2026-04-20", "100", "0")], batch="B2",
                                                     name="小写.csv"), engine=loans_db)
    assert "与流水号「T-0001」只差大小写，应为同一笔" in err.value.errors[0].message()
    with pytest.raises(ImportRefused) as err:  # and within one file
        run_import("loan-repayments", repayment_file(tmp_path, [("X-1", n, "2026-04-21", "1", "0"),
                                                                ("x-1", n, "2026-04-21", "1", "0")], batch="B3",
                                                     name="同文件.csv"), engine=loans_db)
    assert any("与流水号「X-1」只差大小写" in e.message() for e in err.value.errors)


def test_a_loan_number_typed_full_width_or_in_lower_case_is_read_as_meant(loans_db, tmp_path):
    n = make_loan(loans_db)
    typed = n.replace("DK", "ｄｋ").replace("2026", "２０２６")
    report = run_import("loan-repayments", repayment_file(tmp_path, [("R1", typed, "2026-04-20", "100", "0")]),
                        engine=loans_db)
    assert report.inserted == 1
    with session_scope(loans_db) as s:
        assert s.get(Repayment, "R1").loan_number == n


def test_a_repayment_dated_before_the_loan_is_refused(loans_db, tmp_path):
    n = make_loan(loans_db)
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", repayment_file(tmp_path, [("R1", n, "2025-12-31", "100", "0")]), engine=loans_db)
    assert "还款日期早于该贷款的放款日" in err.value.errors[0].message()


def test_a_reference_excel_turned_into_a_number_is_refused(loans_db, tmp_path):
    from openpyxl import Workbook

    n = make_loan(loans_db)
    wb = Workbook()
    ws = wb.active
    ws.append(["业务流水号", "贷款编号", "还款日期", "归还本金(元)", "归还利息(元)", "批次号", "批次笔数", "批次合计(元)"])
    ws.append([20261231000012345678, n, "2026-04-20", 100, 0, "B1", 1, 100])
    ws.append([202612310000123, n, "2026-04-21", 100, 0, "B1", 1, 100])
    path = tmp_path / "流水.xlsx"
    wb.save(path)
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", path, engine=loans_db)
    errors = [e.message() for e in err.value.errors]
    assert any("第 2 行" in m and "业务流水号" in m and "Excel 只保留 15 位有效数字" in m for m in errors), errors
    assert not any("第 3 行" in m and "业务流水号" in m for m in errors), errors  # 15 digits are kept whole


def test_a_repayment_for_an_unknown_loan_is_refused(loans_db, tmp_path):
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", repayment_file(tmp_path, [("R1", "DK2026-999999", "2026-04-20", "1", "0")]),
                   engine=loans_db)
    assert "没有这笔贷款" in err.value.errors[0].message()


@pytest.mark.parametrize("count,total,message", [(3, None, "实有 2 笔，与批次笔数不符"), (None, "100.01", "与批次合计不符")])
def test_a_bank_file_whose_totals_do_not_match_is_refused_whole(loans_db, tmp_path, count, total, message):
    n = make_loan(loans_db)
    lines = [("R1", n, "2026-04-20", "0", "50"), ("R2", n, "2026-04-21", "0", "50")]
    with pytest.raises(ImportRefused) as err:
        run_import("loan-repayments", repayment_file(tmp_path, lines, count=count, total=total), engine=loans_db)
    assert message in err.value.errors[0].message()
    with session_scope(loans_db) as s:
        assert s.scalars(select(Repayment)).all() == []


def test_missed_interest_makes_the_loan_overdue_without_subsidy_until_cleared(loans_db, tmp_path):
    n = make_loan(loans_db, start=D(2025, 7, 20))
    with session_scope(loans_db) as s:
        assert sweep(s, D(2025, 10, 20)).overdue == 0  # the first period ends on 10-20: due that day
        assert sweep(s, D(2025, 10, 21)).overdue == 1
    assert state(loans_db, n) == "逾期"
    ps = periods(loans_db, n)
    assert ps[0][1:] == (False, 0) and all(not p[1] for p in ps)
    with session_scope(loans_db) as s:
        owed = book.position(s, book.get_loan(s, n), D(2025, 10, 21)).arrears
    run_import("loan-repayments", repayment_file(tmp_path, [("R1", n, "2025-11-03", "0", f"{owed / 100:.2f}")]),
               engine=loans_db)
    with session_scope(loans_db) as s:
        assert sweep(s, D(2025, 11, 3)).cleared == 1
    ps = periods(loans_db, n)
    assert ps[0][1] is False and ps[1][1] is False  # the period running when it was overdue stays unsubsidised
    assert ps[2][1] is True and ps[2][2] > 0


def _default(engine, start=D(2025, 7, 20)):
    n = make_loan(engine, start=start)
    with session_scope(engine) as s:
        sweep(s, D(2025, 10, 21))
        fund.inject(s, LEADER, 500_000_000, D(2025, 1, 2), "ZJ-2025-01")
    return n


@pytest.mark.parametrize("day,ok", [(D(2026, 1, 18), False), (D(2026, 1, 19), True)])
def test_compensation_only_after_more_than_90_days_overdue(loans_db, day, ok):
    n = _default(loans_db)  # overdue since 2025-10-20: 90 days on 2026-01-18, 91 on 2026-01-19
    with session_scope(loans_db) as s:
        loan = book.get_loan(s, n)
        if not ok:
            with pytest.raises(StateError, match="逾期 90 天，超过 90 天才能申请代偿"):
                LOAN.fire(s, loan, LoanState.COMPENSATED, GUARANTEE, on=day)
        else:
            LOAN.fire(s, loan, LoanState.COMPENSATED, GUARANTEE, on=day)


def test_compensation_recovery_and_write_off_move_the_fund(loans_db):
    n = _default(loans_db)
    with session_scope(loans_db) as s:
        loan = book.get_loan(s, n)
        LOAN.fire(s, loan, LoanState.COMPENSATED, GUARANTEE, on=D(2026, 1, 19))
        paid = fund.entries(s)[0]
        # principal 200,000 + the unpaid interest of the first period, unsubsidised: 3.85% × 92 days ÷ 360
        assert paid.amount_fen == 20_000_000 + 196_778 and paid.fund_fen == -16_157_422  # 80%, half up
        assert paid.bank_fen == 4_039_356
        LOAN.fire(s, loan, LoanState.RECOVERING, GUARANTEE)
        fund.recover(s, GUARANTEE, loan, 1_000_000, D(2026, 3, 1), "ZC-1")
        with pytest.raises(ValidationFailed, match="累计不超过代偿金额"):
            fund.recover(s, GUARANTEE, loan, paid.amount_fen, D(2026, 3, 2), "ZC-2")
        with pytest.raises(StateError, match="尚未追偿完毕"):
            LOAN.fire(s, loan, LoanState.SETTLED, GUARANTEE)
        LOAN.fire(s, loan, LoanState.WRITTEN_OFF, GUARANTEE, comment="借款人无财产可供执行", on=D(2026, 6, 30))
        st = fund.status(s, D(2026, 12, 31))
        assert st.balance_fen == 500_000_000 - 16_157_422 + 800_000
        assert st.written_off_fen == 16_157_422 - 800_000
        assert st.outstanding_fen == 0


def test_leverage_and_the_payout_rate_warning_from_both_sides(loans_db):
    n = _default(loans_db)
    make_loan(loans_db, who=person(birth="19880808", serial="003"), start=D(2025, 8, 1), amount="300000")
    with session_scope(loans_db) as s:
        st = fund.status(s, D(2025, 12, 31))
        assert st.outstanding_fen == 50_000_000 and str(st.leverage) == "0.10"
        LOAN.fire(s, book.get_loan(s, n), LoanState.COMPENSATED, GUARANTEE, on=D(2026, 1, 19))
        rate = next(r for r in fund.payout_rates(s, 2026) if r.bank_code == BANK_CODE)
        assert rate.lent_fen == 50_000_000 and rate.rate > rate.rate.__class__("0.05") and rate.warning
        assert next(r for r in fund.payout_rates(s, 2025) if r.bank_code == BANK_CODE).warning is False


def test_the_stored_plan_is_the_calculators_plan(loans_db):
    from zhida.loans.calculator import calculate

    n = make_loan(loans_db, start=D(2026, 1, 20))
    calc = calculate("200000", "3.85%", "3.0%", "2026-01-20", 36)
    with session_scope(loans_db) as s:
        stored = book.periods_of(s, book.get_loan(s, n).id)
        assert [f"{p.subsidy_fen / 100:.2f}" for p in stored] == [p["subsidy"] for p in calc.periods]


def test_early_repayment_cuts_the_plan_to_actual_days(loans_db, tmp_path):
    n = make_loan(loans_db, start=D(2025, 7, 20))
    with session_scope(loans_db) as s:
        first = book.periods_of(s, book.get_loan(s, n).id)[0]
        due = first.principal_fen + first.borrower_fen
    lines = [("R1", n, "2025-10-20", "0", f"{due / 100:.2f}"), ("R2", n, "2025-11-04", "200000", "0")]
    run_import("loan-repayments", repayment_file(tmp_path, lines), engine=loans_db)
    with session_scope(loans_db) as s:
        assert sweep(s, D(2025, 11, 5)).settled == 1
        ps = book.periods_of(s, book.get_loan(s, n).id)
        assert len(ps) == 2 and (ps[1].start, ps[1].end, ps[1].days) == (D(2025, 10, 20), D(2025, 11, 4), 15)
        assert ps[1].interest_fen == 32_083  # 200,000 × 3.85% × 15 ÷ 360 = 320.8333 元
        assert ps[1].subsidy_fen == 32_083 - 12_500  # the borrower's 1.5%: 125.00 元


def test_applications_imported_from_the_bank_are_taken_in_or_refused_with_the_rule(loans_db, tmp_path):
    from tests.loans.conftest import CLERK, id_of
    from zhida.loans.intake import take_in
    from zhida.loans.models import Application, Intake

    head = "银行受理编号,经办银行代码,姓名,身份证号,手机号,人员类别,申请金额(元),期限(月),合同利率,创业项目,受理日期\n"
    body = (f"NS-001,NSYH,王小明,{id_of('19900501')},13800138000,退役军人,200000,36,3.85%,烧饼店,2026-02-02\n"
            f"NS-002,NSYH,李四,{id_of('19910601', '003')},13800138001,退役军人,350000,36,3.85%,汽修店,2026-02-03\n")
    path = tmp_path / "银行受理.csv"
    path.write_text(head + body, encoding="utf-8")
    run_import("loan-bank-applications", path, engine=loans_db)
    with session_scope(loans_db) as s:
        assert take_in(s, CLERK).summary() == "银行导入的申请：受理 1 笔，不予受理 1 笔"
        assert take_in(s, CLERK).accepted == 0
    with session_scope(loans_db) as s:
        rows = {r.bank_ref: r for r in s.scalars(select(Intake))}
        assert rows["NS-001"].status == "已受理" and rows["NS-001"].application_number == "CD2026-000001"
        assert rows["NS-002"].status == "不予受理" and "申请金额不超过额度上限" in rows["NS-002"].message
        assert [a.channel for a in s.scalars(select(Application))] == ["银行导入"]
    bad = tmp_path / "错行.csv"
    bad.write_text(head + body.replace("NSYH", "XXXX", 1).replace("NS-001", "NS-009"), encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        run_import("loan-bank-applications", bad, engine=loans_db)
    assert "经办银行未登记" in err.value.errors[0].message()
