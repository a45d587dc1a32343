"""Headless Chromium: a clerk logs in, searches a unit and opens its page."""

from __future__ import annotations

import pytest

from tests.web.browser import shoot
from tests.web.conftest import OWN, browser_login

pytestmark = pytest.mark.browser


def test_login_search_and_open_unit(page, backend):
    page.goto("/units")
    assert "/login" in page.url
    page.fill("input[name=username]", "t_operator")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit].primary")
    assert "用户名或密码错误" in page.inner_text(".alert.error")
    browser_login(page, "t_operator")
    assert page.inner_text("h1").endswith("年度工作概况")
    page.goto("/units")
    page.fill("input[name=q]", "信发")
    page.click("button[type=submit].primary")
    rows = page.locator("#unit-table tbody tr")
    assert rows.count() == 1
    page.click(f"text={OWN}")
    assert page.inner_text("h1") == "茌平信发铝制品有限公司"
    if backend == "sqlite":
        shoot(page, "unit")
