"""Headless Chromium: an individual applies on the portal and the loan is disbursed by each
role in turn; a bank's quarterly subsidy claim goes from the list to paid."""

from __future__ import annotations

import csv
import re

import pytest
from sqlalchemy import select

from tests.loans.conftest import D, credit, id_of, make_loan
from tests.web.browser import shoot
from tests.web.conftest import browser_login
from zhida.db import session_scope
from zhida.platform.models import OutboxMessage

pytestmark = pytest.mark.browser
WHO = id_of("19900501")


def staff_logout(page) -> None:
    page.click("header form button")
    page.wait_for_load_state("networkidle")


def click_to(page, state: str) -> None:
    page.click(f"#transitions button[data-to='{state}']")
    page.wait_for_load_state("networkidle")


def portal_login(page, engine) -> None:
    page.goto("/loans/portal/login")
    page.fill("#code-form input[name=id_number]", WHO)
    page.fill("#code-form input[name=phone]", "13800138000")
    page.click("#code-form button")
    page.wait_for_selector("#code-sent")
    with session_scope(engine) as s:
        code = re.search(r"\d{6}", s.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()).group(0)
    page.fill("#login-form input[name=code]", code)
    page.click("#login-form button")
    page.wait_for_url("**/loans/portal")


def test_portal_application_to_disbursement(page, loans_world, backend):
    portal_login(page, loans_world.engine)
    for name, value in {"name": "王小明", "phone": "13800138000", "group": "退役军人", "amount": "200000", "months": "36",
                        "rate": "3.85%", "project": "小岗烧饼店", "jobs": "3"}.items():
        page.fill(f"#apply-form input[name={name}]", value)
    page.click("#apply-form button")
    page.wait_for_load_state("networkidle")
    row = page.inner_text("#my-applications")
    number = re.search(r"CD\d{4}-\d{6}", row).group(0)
    assert "待初审" in row
    if backend == "sqlite":
        shoot(page, "loans-portal")
    page.click("form[action='/loans/portal/logout'] button")
    credit(loans_world.engine, WHO)
    for user, target in (("t_operator", "待担保审核"), ("danbao", "待银行审批"), ("nsyh", "待放款")):
        browser_login(page, user)
        page.goto(f"/loans/applications/{number}")
        click_to(page, target)
        assert page.inner_text("#application-state") == target
        if target == "待放款":
            click_to(page, "已放款")
            assert page.inner_text("#application-state") == "已放款"
            page.click("#loan-link")
            page.wait_for_load_state("networkidle")
            assert page.locator("#plan tbody tr").count() == 12
            if backend == "sqlite":
                shoot(page, "loans-loan")
        staff_logout(page)
    browser_login(page, "t_operator")
    page.goto(f"/loans/applications/{number}")
    assert "结论：符合" in page.inner_text("#decision")


def test_a_quarters_subsidy_claim_to_paid(page, loans_world, tmp_path, backend):
    make_loan(loans_world.engine, start=D(2025, 7, 20))
    browser_login(page, "nsyh")
    page.goto("/loans/claims")
    page.fill("#claim-form input[name=quarter]", "2025Q4")
    page.click("#claim-form button")
    page.wait_for_load_state("networkidle")
    claim_url = page.url
    assert page.inner_text("#claim-state") == "待审核" and page.locator("#claim-lines tbody tr").count() == 1
    staff_logout(page)
    browser_login(page, "caizheng")
    page.goto(claim_url)
    click_to(page, "已审核")
    with page.expect_download() as download:
        page.click("#transitions button[data-to='已导出']")
    sent = tmp_path / "拨付.csv"
    download.value.save_as(sent)
    ref = list(csv.reader(sent.read_text(encoding="utf-8-sig").splitlines()))[1][6]
    page.reload()
    assert page.inner_text("#claim-state") == "已导出"
    returned = tmp_path / "回盘.csv"
    returned.write_text(f"业务参考号,状态,失败原因\n{ref},成功,\n", encoding="utf-8")
    page.set_input_files("#return-form input[name=file]", str(returned))
    page.click("#return-form button")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#claim-state") == "已拨付"
    if backend == "sqlite":
        shoot(page, "loans-claim")
