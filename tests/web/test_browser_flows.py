"""Headless Chromium through the main flows: an import with errors, a policy run and a unit's
explanation, a cycle from 草稿 to 已完成, and an enterprise confirming its account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.web.browser import shoot
from tests.web.conftest import PASSWORD, browser_login
from tests.web.test_cycles_page import Clock, make_run
from zhida.db import session_scope
from zhida.delivery.models import Entitlement
from zhida.demo.banksim import simulate_return
from zhida.roles import Role
from zhida.web.accounts import AccountCreate, create_account

pytestmark = pytest.mark.browser


def wait_task(page) -> str:
    page.wait_for_selector("#task-status[data-status='完成'], #task-status[data-status='失败']", timeout=60_000)
    return page.get_attribute("#task-status", "data-status")


def logout(page) -> None:
    page.click("header form button")
    page.wait_for_load_state("networkidle")


def test_import_with_errors_shows_them(page, world, tmp_path, backend):
    bad = tmp_path / "单位信息.csv"
    bad.write_text("统一社会信用代码,单位名称,企业规模\n91371523MA3C00011A,坏代码公司,小型\n,无代码公司,巨型\n",
                   encoding="utf-8-sig")
    browser_login(page, "t_operator")
    page.click("nav >> text=数据导入")
    page.select_option("select[name=kind]", "enterprises")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#import-form button[type=submit]")
    assert wait_task(page) == "失败"
    table = page.inner_text("#error-table")
    assert "校验位" in table and "巨型" in table
    assert page.locator("#error-table tbody tr").count() >= 3
    with page.expect_download() as download:
        page.click("#error-report")
    assert download.value.suggested_filename.endswith(".xlsx")
    if backend == "sqlite":
        shoot(page, "import-errors")


def test_run_policy_and_open_a_units_explanation(page, district, backend):
    browser_login(page, "t_operator")
    page.click("nav >> text=政策")
    if backend == "sqlite":
        shoot(page, "policies")
    page.click("text=失业保险稳岗返还")
    assert "人社部发〔2025〕18号" in page.inner_text("main")
    if backend == "sqlite":
        shoot(page, "policy")
    page.fill("#run-form input[name=period]", "2025")
    page.click("#run-form button")
    assert wait_task(page) == "完成"
    page.click("text=查看计算结果")
    page.select_option("select[name=status]", "eligible")
    page.click("form >> text=筛选")
    if backend == "sqlite":
        shoot(page, "run")
    page.click("#result-table tbody tr:first-child >> text=说明")
    text = page.inner_text("#explanation")
    assert "符合" in text and "元" in text
    page.click("text=单位详情")
    assert "政策判定与理由" in page.inner_text("main")
    if backend == "sqlite":
        shoot(page, "unit-decisions")
    page.goto("/policies/wengang-fanhuan")
    page.fill("#whatif-form input[name='p.rate.sme']", "90%")
    page.fill("#whatif-form input[name=period]", "2025")
    page.click("#whatif-form button")
    page.wait_for_selector("#whatif-result table")
    assert "rate.sme = 90%" in page.inner_text("#whatif-result")


def advance(page, to: str) -> None:
    page.click(f"#transitions button[data-to='{to}']")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#cycle-state") == to, page.inner_text("main")[:400]


def test_cycle_from_draft_to_done_and_enterprise_confirms(page, app, district, tmp_path, backend):
    clock = app.state.clock = Clock(dt.date(2025, 6, 2))
    make_run(district.engine)
    browser_login(page, "t_operator")
    page.click("nav >> text=发放批次")
    page.click("#create-cycle button")
    page.wait_for_load_state("networkidle")
    cycle_id = int(re.search(r"/cycles/(\d+)", page.url).group(1))
    with session_scope(district.engine) as s:
        unit = s.scalars(select(Entitlement.uscc).where(Entitlement.cycle_id == cycle_id).order_by(Entitlement.uscc)).first()
        create_account(s, AccountCreate(unit, PASSWORD, Role.UNIT, unit))
    advance(page, "审核")
    logout(page)
    browser_login(page, "t_reviewer")
    page.goto(f"/cycles/{cycle_id}")
    advance(page, "公示")
    logout(page)
    clock.day = dt.date(2025, 6, 20)
    browser_login(page, "t_operator")
    page.goto(f"/cycles/{cycle_id}")
    advance(page, "确认期")
    logout(page)
    # the enterprise confirms its account on the portal
    browser_login(page, unit)
    assert page.url.endswith("/portal")
    page.click(f"#confirm-{cycle_id}")
    page.wait_for_load_state("networkidle")
    assert page.inner_text(f"#confirmation-{cycle_id}") == "已确认"
    if backend == "sqlite":
        shoot(page, "portal")
    logout(page)
    clock.day = dt.date(2025, 7, 20)
    browser_login(page, "t_operator")
    page.goto(f"/cycles/{cycle_id}")
    advance(page, "待发放")
    logout(page)
    browser_login(page, "t_reviewer")
    page.goto(f"/cycles/{cycle_id}")
    advance(page, "发放中")
    logout(page)
    browser_login(page, "t_operator")
    page.goto(f"/cycles/{cycle_id}")
    page.click("#export")
    page.wait_for_load_state("networkidle")
    link = page.locator("a[href$='.csv']").first
    with page.expect_download() as download:
        link.click()
    batch = tmp_path / "代发.csv"
    download.value.save_as(batch)
    returned = tmp_path / "回盘.csv"
    simulate_return(batch, returned)
    page.set_input_files("#return-form input[name=file]", str(returned))
    page.click("#return-form button")
    page.wait_for_load_state("networkidle")
    assert "平衡，分毫不差" in page.inner_text("#recon-verdict")
    advance(page, "已完成")
    if backend == "sqlite":
        shoot(page, "cycle")
        page.goto("/")
        page.wait_for_selector("#chart-township svg")
        shoot(page, "home")
        logout(page)
        browser_login(page, "t_leader")
        page.goto("/audit/verify")
        assert "哈希链校验通过" in page.inner_text("#verify-result")
        shoot(page, "audit")
