"""Fixtures of the loans tests: a bank, the LPR table, a small enterprise, people by 身份证号."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhida.db import session_scope
from zhida.identifiers import make_id_number, make_uscc
from zhida.loans.applications import ApplicationIn, PersonIn
from zhida.loans.models import CreditCheck, LoanBank, LoanScope, LprRate
from zhida.loans.rates import parse_rate
from zhida.loans.roles import BANK, FINANCE, GUARANTOR
from zhida.registry.models import Unit
from zhida.roles import Actor, Role

D = dt.date
BANK_CODE, OTHER_BANK = "NSYH", "YCYH"
SMALL = make_uscc("91371523MA3C0101X")
CLERK = Actor("clerk", Role.OPERATOR)
GUARANTEE = Actor("danbao", GUARANTOR)
BANKER = Actor("nsyh", BANK)
OTHER_BANKER = Actor("ycyh", BANK)
FINANCE_ACTOR = Actor("caizheng", FINANCE)


def id_of(birth: str, serial: str = "001") -> str:
    """A valid 身份证号 of a man (odd serial) or woman (even) born on ``birth`` (YYYYMMDD)."""
    return make_id_number(f"371523{birth}{serial}")


def seed(engine) -> None:
    with session_scope(engine) as s:
        s.add_all([LoanBank(code=BANK_CODE, name="茌平农商银行", account_no="6228480011112222"),
                   LoanBank(code=OTHER_BANK, name="邮储银行茌平支行", account_no="6228480033334444")])
        s.flush()
        s.add_all([LoanScope(username="nsyh", bank_code=BANK_CODE), LoanScope(username="ycyh", bank_code=OTHER_BANK)])
        s.add_all([LprRate(day=D(2024, 10, 21), one_year=parse_rate("3.10%"), five_year=parse_rate("3.60%")),
                   LprRate(day=D(2025, 5, 20), one_year=parse_rate("3.00%"), five_year=parse_rate("3.50%"))])
        s.add(Unit(uscc=SMALL, name="茌平小岗食品有限公司", unit_type="企业", industry_code="C1431", industry_section="C",
                   employees=20, revenue_wan=Decimal("800"), size_class="小型", size_source="recorded",
                   township="振兴街道", phone="13800138001"))


def credit(engine, id_number: str, day=D(2026, 1, 5), consumer=0, other=0, bad=False) -> None:
    with session_scope(engine) as s:
        s.add(CreditCheck(id_number=id_number, checked_on=day, other_loans_fen=other, consumer_fen=consumer, bad_record=bad))


def person(birth="19900501", serial="001", group="退役军人", **over) -> PersonIn:
    p = PersonIn(name="王小明", id_number=id_of(birth, serial), phone="13800138000", hukou="山东省聊城市茌平区",
                 township="振兴街道", target_group=group, evidence_ref="退役证 2019-001")
    for k, v in over.items():
        setattr(p, k, v)
    return p


def individual(amount="200000", months=36, rate="3.85%", day=D(2026, 1, 5), **over) -> ApplicationIn:
    data = ApplicationIn(kind="个人", bank_code=BANK_CODE, amount=amount, months=months, rate=rate,
                         project="小岗烧饼店", submitted_on=day, jobs_created=3, person=over.pop("who", None) or person())
    for k, v in over.items():
        setattr(data, k, v)
    return data


@pytest.fixture
def loans_db(engine):
    seed(engine)
    return engine


def make_loan(engine, start=D(2026, 1, 20), who=None, amount="200000", bank=None) -> str:
    """A loan disbursed on ``start`` through the whole application process; returns its number."""
    from sqlalchemy import select

    from zhida.loans.applications import get_application, submit
    from zhida.loans.models import Loan
    from zhida.loans.process import APPLICATION, AppState

    who = who or person()
    banker = BANKER if bank in (None, BANK_CODE) else OTHER_BANKER
    with session_scope(engine) as s:
        app = submit(s, CLERK, individual(who=who, amount=amount, day=start - dt.timedelta(days=10),
                                          bank_code=bank or BANK_CODE))
        app_id = app.id
    with session_scope(engine) as s:
        if not s.get(CreditCheck, (who.id_number, D(2025, 1, 1))):
            s.add(CreditCheck(id_number=who.id_number, checked_on=D(2025, 1, 1), other_loans_fen=0, consumer_fen=0,
                              bad_record=False))
    with session_scope(engine) as s:
        app = get_application(s, app_id)
        for target, actor in ((AppState.GUARANTEE, CLERK), (AppState.BANK, GUARANTEE), (AppState.DISBURSE, banker)):
            APPLICATION.fire(s, app, target, actor)
        APPLICATION.fire(s, app, AppState.DISBURSED, banker, on=start)
        return s.scalars(select(Loan.number).where(Loan.application_id == app_id)).one()


def repayment_file(tmp_path, lines: list[tuple], batch="B1", count=None, total=None, name="还款.csv"):
    """A bank repayment CSV: lines of (ref, loan number, date, principal 元, interest 元)."""
    from decimal import Decimal as Dec

    head = "业务流水号,贷款编号,还款日期,归还本金(元),归还利息(元),批次号,批次笔数,批次合计(元)\n"
    tot = total if total is not None else sum(Dec(p) + Dec(i) for _, _, _, p, i in lines)
    n = count if count is not None else len(lines)
    body = "".join(f"{r},{loan},{d},{p},{i},{batch},{n},{tot}\n" for r, loan, d, p, i in lines)
    path = tmp_path / name
    path.write_text(head + body, encoding="utf-8")
    return path


from tests.web.conftest import app, live, page, world  # noqa: E402,F401  (the console app, Chromium)


@pytest.fixture
def loans_world(request):
    """The web world plus the loans set-up and the programme's accounts (password ``PASSWORD``)."""
    from tests.web.conftest import PASSWORD
    from zhida.loans.admin import add_account

    web = request.getfixturevalue("world")
    seed(web.engine)
    with session_scope(web.engine) as s:
        s.query(LoanScope).delete()
        add_account(s, "nsyh", PASSWORD, "loan_bank", BANK_CODE)
        add_account(s, "ycyh", PASSWORD, "loan_bank", OTHER_BANK)
        add_account(s, "danbao", PASSWORD, "loan_guarantor")
        add_account(s, "caizheng", PASSWORD, "loan_finance")
    return web
