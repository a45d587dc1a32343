"""Applications through the whole process on SQLite and PostgreSQL, and bad input refused whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.loans.conftest import (
    BANK_CODE,
    BANKER,
    CLERK,
    GUARANTEE,
    OTHER_BANKER,
    SMALL,
    D,
    credit,
    id_of,
    individual,
    person,
)
from zhida.db import session_scope
from zhida.errors import PermissionDenied, StateError, ValidationFailed
from zhida.loans.applications import ApplicationIn, get_application, submit
from zhida.loans.models import Applicant, Application, Loan, LoanPeriod
from zhida.loans.process import APPLICATION, AppState
from zhida.platform.workflow import history


def submit_one(engine, data) -> int:
    with session_scope(engine) as s:
        return submit(s, CLERK, data).id


def fire(engine, app_id, target, actor, **kw):
    with session_scope(engine) as s:
        APPLICATION.fire(s, get_application(s, app_id), target, actor, **kw)


def counts(engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(Application)), s.scalar(select(func.count()).select_from(Applicant))


def test_an_individual_goes_from_application_to_disbursement(loans_db):
    app_id = submit_one(loans_db, individual())
    with pytest.raises(StateError, match="征信"):
        fire(loans_db, app_id, AppState.GUARANTEE, CLERK)
    credit(loans_db, id_of("19900501"))
    fire(loans_db, app_id, AppState.GUARANTEE, CLERK)
    fire(loans_db, app_id, AppState.BANK, GUARANTEE)
    with pytest.raises(PermissionDenied, match="本行"):
        fire(loans_db, app_id, AppState.DISBURSE, OTHER_BANKER)
    fire(loans_db, app_id, AppState.DISBURSE, BANKER)
    fire(loans_db, app_id, AppState.DISBURSED, BANKER, on=D(2026, 1, 20))
    with session_scope(loans_db) as s:
        app = get_application(s, app_id)
        assert app.number == "CD2026-000001" and app.state == "已放款"
        assert "无不良记录：借款人及配偶非豁免贷款余额 0.00 = 0" in app.decision and "结论：符合" in app.decision
        loan = s.scalars(select(Loan)).one()
        assert (loan.number, loan.principal_fen, loan.lpr, loan.formula, loan.day_count) == \
            ("DK2026-000001", 20_000_000, 3_000_000, "lpr-150bp", "act/360")
        assert s.scalar(select(func.count()).select_from(LoanPeriod)) == 12
        steps = [e.to_state for e in history(s, APPLICATION, app_id)]
        assert steps == ["待初审", "待担保审核", "待银行审批", "待放款", "已放款"]


def test_return_for_correction_and_rejection_need_a_reason(loans_db):
    app_id = submit_one(loans_db, individual())
    with pytest.raises(ValidationFailed, match="需要填写"):
        fire(loans_db, app_id, AppState.REJECTED, CLERK)
    fire(loans_db, app_id, AppState.RETURNED, CLERK, comment="请补充营业执照")
    with pytest.raises(ValidationFailed, match="需要填写"):
        fire(loans_db, app_id, AppState.SUBMITTED, CLERK)
    fire(loans_db, app_id, AppState.SUBMITTED, CLERK, comment="已补充营业执照")
    fire(loans_db, app_id, AppState.REJECTED, CLERK, comment="项目不属于创业")
    with session_scope(loans_db) as s:
        assert get_application(s, app_id).reason == "项目不属于创业"


@pytest.mark.parametrize("data,message", [
    (individual(who=person(id_number="371523199005010010")), "身份证号"),
    (individual(amount="300000.01"), "申请金额不超过额度上限：.*不符合"),
    (individual(rate="4.01%"), "合同利率不超过 LPR 加点上限：.*不符合"),
    (individual(who=person(birth="19650301")), "贷款到期时未超过法定退休年龄：.*不符合"),
    (individual(who=person(group="个体户")), "属于扶持对象：.*不符合"),
    (individual(months=37), "贷款期限不超过上限：.*不符合"),
    (individual(bank_code="XXXX"), "经办银行"),
])
def test_bad_applications_are_refused_naming_the_rule_and_nothing_is_written(loans_db, data, message):
    with pytest.raises(ValidationFailed, match=message):
        submit_one(loans_db, data)
    assert counts(loans_db) == (0, 0)


def test_the_age_limit_counts_to_the_end_of_the_term(loans_db):
    # a man born 1966-01-10 retires at 60 + 4 months = 2026-05-10 (delay: 12 months of birth // 4 + 1)
    who = person(birth="19660110")
    with pytest.raises(ValidationFailed, match="贷款到期日距法定退休日天数 -1 天 ≥ 0：不符合"):
        submit_one(loans_db, individual(who=who, months=4, day=D(2026, 1, 11)))
    assert submit_one(loans_db, individual(who=who, months=4, day=D(2026, 1, 10)))


def test_a_fourth_loan_is_refused(loans_db):
    credit(loans_db, id_of("19900501"))
    for i in range(3):
        app_id = submit_one(loans_db, individual(day=D(2026, 1, 5)))
        fire(loans_db, app_id, AppState.GUARANTEE, CLERK)
        fire(loans_db, app_id, AppState.BANK, GUARANTEE)
        fire(loans_db, app_id, AppState.DISBURSE, BANKER)
        fire(loans_db, app_id, AppState.DISBURSED, BANKER, on=D(2026, 1, 20 + i))
    with pytest.raises(ValidationFailed, match=r"累计贷款不超过 3 次（含本次）：已获及在办的其他创业担保贷款笔数 3 \+ 1 ≤ 3：不符合"):
        submit_one(loans_db, individual())


def disburse(engine, app_id, day) -> None:
    fire(engine, app_id, AppState.GUARANTEE, CLERK)
    fire(engine, app_id, AppState.BANK, GUARANTEE)
    fire(engine, app_id, AppState.DISBURSE, BANKER)
    fire(engine, app_id, AppState.DISBURSED, BANKER, on=day)


def test_applications_in_progress_count_towards_the_limit_and_refused_ones_do_not(loans_db):
    credit(loans_db, id_of("19900501"))
    first = [submit_one(loans_db, individual(day=D(2026, 1, 5))) for _ in range(3)]
    with pytest.raises(ValidationFailed, match=r"已获及在办的其他创业担保贷款笔数 3 \+ 1 ≤ 3：不符合"):
        submit_one(loans_db, individual(day=D(2026, 1, 6)))
    fire(loans_db, first[2], AppState.REJECTED, CLERK, comment="重复申请")
    fourth = submit_one(loans_db, individual(day=D(2026, 1, 6)))  # the refused one no longer counts
    for app_id in (*first[:2], fourth):
        disburse(loans_db, app_id, D(2026, 1, 20))
    with session_scope(loans_db) as s:
        assert s.scalar(select(func.count()).select_from(Loan)) == 3


def test_a_partner_s_loans_count_for_a_later_application_of_their_own(loans_db):
    partners = [person(birth="19920304", serial="002", name="李红"), person()]
    data = ApplicationIn(kind="合伙", bank_code=BANK_CODE, amount="500000", months=36, rate="3.5%",
                         project="合伙农家乐", submitted_on=D(2026, 2, 2), partners=partners)
    submit_one(loans_db, data)
    submit_one(loans_db, data)
    submit_one(loans_db, individual(day=D(2026, 2, 3)))  # 王小明's third, as the second partner twice
    with pytest.raises(ValidationFailed, match=r"已获及在办的其他创业担保贷款笔数 3 \+ 1 ≤ 3"):
        submit_one(loans_db, individual(day=D(2026, 2, 4)))


def test_applications_sent_at_once_are_caught_at_review_and_at_disbursement(loans_db):
    """Applications judged before the others were stored (sent at the same moment) all pass at
    submission; 初审 counts the earlier ones in progress and 放款 counts the loans again."""
    credit(loans_db, id_of("19900501"))
    apps = [submit_one(loans_db, individual(day=D(2026, 1, 5))) for _ in range(3)]
    with session_scope(loans_db) as s:  # a fourth stored as if judged before the others existed
        s.execute(Application.__table__.update().where(Application.id.in_(apps)).values(state="已拒绝"))
    late = submit_one(loans_db, individual(day=D(2026, 1, 5)))
    with session_scope(loans_db) as s:
        s.execute(Application.__table__.update().where(Application.id.in_(apps)).values(state="待初审"))
    with pytest.raises(StateError, match=r"初审不能通过：累计贷款不超过 3 次.*3 \+ 1 ≤ 3"):
        fire(loans_db, late, AppState.GUARANTEE, CLERK)
    for app_id in apps:
        disburse(loans_db, app_id, D(2026, 1, 20))
    with session_scope(loans_db) as s:  # and one that got as far as 待放款 before the others were paid out
        s.execute(Application.__table__.update().where(Application.id == late).values(state="待放款"))
    with pytest.raises(StateError, match="不能放款：王小明 已获得创业担保贷款 3 笔，累计不超过 3 笔"):
        fire(loans_db, late, AppState.DISBURSED, BANKER, on=D(2026, 1, 21))
    with session_scope(loans_db) as s:
        assert get_application(s, late).state == "待放款"
        assert s.scalar(select(func.count()).select_from(Loan)) == 3


def test_a_small_enterprise_from_the_registry_and_its_hire_ratio(loans_db):
    data = ApplicationIn(kind="小微企业", bank_code=BANK_CODE, amount="1000000", months=24, rate="3.5%",
                         project="扩大生产线", submitted_on=D(2026, 2, 2), uscc=SMALL, staff_count=20, new_hires_12m=1)
    with pytest.raises(ValidationFailed, match=r"新招用符合条件人员达到规定比例：.*不符合"):
        submit_one(loans_db, data)
    data.new_hires_12m = 2
    app_id = submit_one(loans_db, data)
    credit(loans_db, SMALL)
    fire(loans_db, app_id, AppState.GUARANTEE, CLERK)


def test_a_partnership_of_two_gets_up_to_110_percent_of_their_caps(loans_db):
    partners = [person(), person(birth="19920304", serial="002", name="李红")]
    data = ApplicationIn(kind="合伙", bank_code=BANK_CODE, amount="660000.01", months=36, rate="3.5%",
                         project="合伙农家乐", submitted_on=D(2026, 2, 2), partners=partners)
    with pytest.raises(ValidationFailed, match=r"申请金额不超过额度上限：.*不符合"):
        submit_one(loans_db, data)
    data.amount = "660000"
    app_id = submit_one(loans_db, data)
    credit(loans_db, id_of("19900501"))
    with pytest.raises(StateError, match="待补充"):
        fire(loans_db, app_id, AppState.GUARANTEE, CLERK)
    credit(loans_db, id_of("19920304", "002"), consumer=5_000_001)
    with pytest.raises(StateError, match=r"借款人及配偶除豁免类贷款外无其他贷款.*50,000\.01.*不符合"):
        fire(loans_db, app_id, AppState.GUARANTEE, CLERK)


def test_each_step_by_its_role(loans_db):
    app_id = submit_one(loans_db, individual())
    credit(loans_db, id_of("19900501"))
    with pytest.raises(PermissionDenied, match="经办"):
        fire(loans_db, app_id, AppState.GUARANTEE, BANKER)
    fire(loans_db, app_id, AppState.GUARANTEE, CLERK)
    with pytest.raises(PermissionDenied, match="担保机构"):
        fire(loans_db, app_id, AppState.BANK, CLERK)


def test_applications_submitted_at_once_get_different_numbers(loans_db):
    import threading

    barrier, numbers, errors = threading.Barrier(6), [], []

    def worker(i: int) -> None:
        data = individual(who=person(birth="19900501", serial=f"{i + 10:03d}", name=f"申请人{i}"))
        barrier.wait()
        try:
            with session_scope(loans_db) as s:
                numbers.append(submit(s, CLERK, data).number)
        except Exception as exc:  # a lock timeout or a duplicate number must not happen
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == [] and sorted(numbers) == [f"CD2026-{n:06d}" for n in range(1, 7)]


def test_the_number_series_continues_after_numbers_stored_without_it(loans_db):
    from zhida.loans.models import NumberCounter

    submit_one(loans_db, individual())
    with session_scope(loans_db) as s:  # a database whose applications were numbered before the counter
        s.execute(NumberCounter.__table__.delete())
    assert submit_one(loans_db, individual(who=person(serial="002", name="李红")))
    with session_scope(loans_db) as s:
        assert sorted(s.scalars(select(Application.number))) == ["CD2026-000001", "CD2026-000002"]


def test_a_partnership_cannot_list_the_same_person_twice(loans_db):
    data = ApplicationIn(kind="合伙", bank_code=BANK_CODE, amount="500000", months=36, rate="3.5%",
                         project="合伙农家乐", submitted_on=D(2026, 2, 2), partners=[person(), person()])
    with pytest.raises(ValidationFailed, match="合伙人重复：同一身份证号只能作为一名合伙人"):
        submit_one(loans_db, data)
    assert counts(loans_db) == (0, 0)

