"""Who sees what of the guarantee fund: its balance, leverage and whole ledger are the guarantee
agency's and 人社局's; a handling bank sees only its own loans' 代偿/追偿/核销 (page, Excel), and
the statistics are refused to it in the API as on the page (TestClient, both databases)."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.loans.conftest import GUARANTEE, OTHER_BANK, D, make_loan, person
from tests.loans.test_pages import client, staff_login
from tests.web.conftest import STAFF
from zhida.db import session_scope
from zhida.loans import book, fund
from zhida.loans.process import LOAN, LoanState
from zhida.loans.sweep import sweep
from zhida.roles import Actor, Role


def two_banks_compensated(engine) -> tuple[str, str]:
    """A loan of 农商银行 (200,000) and one of 邮储银行 (300,000), both overdue and compensated."""
    own = make_loan(engine, start=D(2025, 7, 20))
    other = make_loan(engine, start=D(2025, 7, 20), who=person(birth="19880808", serial="003"), amount="300000",
                      bank=OTHER_BANK)
    with session_scope(engine) as s:
        sweep(s, D(2025, 10, 21))
        fund.inject(s, Actor("leader", Role.LEADER), 500_000_000, D(2025, 1, 2), "ZJ-2025-01")
    with session_scope(engine) as s:
        for number in (own, other):
            LOAN.fire(s, book.get_loan(s, number), LoanState.COMPENSATED, GUARANTEE, on=D(2026, 1, 19))
    return own, other


def logged_in(app, user: str) -> TestClient:
    c = TestClient(app)
    staff_login(c, user)
    return c


def excel_refs(c: TestClient) -> list[str]:
    r = c.get("/loans/fund?format=xlsx")
    assert r.status_code == 200
    return [row[2] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=2, values_only=True)]


def test_a_bank_sees_only_its_own_payouts_and_no_fund_balance(app, loans_world):
    own, other = two_banks_compensated(loans_world.engine)
    app.state.clock = lambda: D(2026, 6, 30)
    bank = logged_in(app, "nsyh")
    page = bank.get("/loans/fund")
    assert page.status_code == 200
    assert own in page.text and other not in page.text and "ZJ-2025-01" not in page.text
    assert "担保基金余额" not in page.text and "放大倍数" not in page.text
    assert "茌平农商银行" in page.text and "邮储银行茌平支行" not in page.text  # its own payout rate only
    # principal 200,000 + the unpaid interest of the first period (test_book): only its own loan is counted
    assert "本行贷款代偿 1 笔，代偿金额 201,967.78 元（担保基金承担 161,574.22，本行承担 40,393.56）" in page.text
    assert excel_refs(bank) == [own]
    assert excel_refs(logged_in(app, "ycyh")) == [other]


def test_the_guarantee_agency_sees_the_whole_fund(app, loans_world):
    own, other = two_banks_compensated(loans_world.engine)
    app.state.clock = lambda: D(2026, 6, 30)
    agency = logged_in(app, "danbao")
    page = agency.get("/loans/fund").text
    assert own in page and other in page and "ZJ-2025-01" in page and "担保基金余额" in page and "放大倍数" in page
    assert "茌平农商银行" in page and "邮储银行茌平支行" in page
    assert sorted(excel_refs(agency)) == sorted([own, other, "ZJ-2025-01"])
    assert agency.get("/api/v1/loans/fund").status_code == 200


def test_the_fund_status_api_is_refused_to_a_bank(app, loans_world):
    bank = logged_in(app, "nsyh")
    r = bank.get("/api/v1/loans/fund")
    assert r.status_code == 403 and "不向经办银行开放" in r.json()["error"]["message"]


def test_the_statistics_are_refused_alike_on_the_page_and_in_the_api(app, loans_world):
    for user in ("nsyh", "danbao", "caizheng"):
        c = logged_in(app, user)
        assert c.get("/loans/reports").status_code == 403, user
        r = c.get("/api/v1/loans/reports/2026")
        assert r.status_code == 403 and "查看贷款统计需要" in r.json()["error"]["message"], user
    clerk, _ = client(app, STAFF[Role.OPERATOR])
    assert clerk.get("/loans/reports").status_code == 200
    assert clerk.get("/api/v1/loans/reports/2026").json()["year"] == 2026
