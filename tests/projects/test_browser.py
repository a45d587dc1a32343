"""Headless Chromium through the projects flows: a leader's view, a task force's monthly
report, a problem from opening to 销号, and a lead from 在谈 to a ledger project."""

from __future__ import annotations

import pytest

from tests.projects.conftest import PNG
from tests.web.browser import shoot
from tests.web.conftest import browser_login

pytestmark = pytest.mark.browser


def test_leader_sees_the_projects_held(page, site, backend):
    browser_login(page, "ld1")
    page.click("nav >> text=重点项目")
    page.fill("input[name=month]", "2026-10")
    page.click("#ledger-filter button[type=submit]")
    ledger = page.inner_text("#ledger")
    assert "风光储一体化项目" in ledger and "高端轴承产业园" not in ledger and "+13.8" in ledger
    page.click("#ledger >> text=风光储一体化项目")
    assert "张区长" in page.inner_text("#project-info") and "主体施工" in page.inner_text("#reports")
    page.click(".tabs >> text=通报")
    page.fill("input[name=month]", "2026-10")
    page.click("main form button[type=submit]")
    assert "完成年度计划的97.2%，快于时间进度（83.3%）13.8个百分点" in page.inner_text("#bulletin")
    page.wait_for_selector("#chart-category svg")
    if backend == "sqlite":
        shoot(page, "projects-bulletin")


def test_task_force_reports_the_month(page, site, tmp_path, backend):
    photo = tmp_path / "十月现场.png"
    photo.write_bytes(PNG)
    browser_login(page, "tf2")
    page.goto(f"/projects/{site.c}")
    page.fill("#report-form input[name=month]", "2026-10")
    page.fill("input[name=year_done_wan]", "120")
    page.fill("input[name=total_done_wan]", "5000")
    page.fill("input[name=progress_pct]", "40")
    page.fill("input[name=progress_text]", "主体结构封顶")
    page.set_input_files("#report-form input[name=files]", str(photo))
    page.click("#report-form button[type=submit]")
    assert "2026-10 月报已报送" in page.inner_text("#flash")
    assert "主体结构封顶" in page.inner_text("#reports") and "十月现场.png" in page.inner_text("#reports")
    page.fill("#report-form input[name=month]", "2026-12")
    page.fill("input[name=year_done_wan]", "1")
    page.fill("input[name=total_done_wan]", "1")
    page.fill("input[name=progress_pct]", "1")
    page.fill("input[name=progress_text]", "x")
    page.click("#report-form button[type=submit]")
    assert "不能报送未来月份 2026-12 的月报" in page.inner_text("main")
    if backend == "sqlite":
        shoot(page, "projects-report-refused")


def test_problem_from_opening_to_xiaohao(page, site, tmp_path, backend):
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    browser_login(page, "tf1")
    page.goto(f"/projects/{site.a}")
    page.fill("#issue-form input[name=title]", "升压站用地未批")
    page.fill("#issue-form input[name=owner_dept]", "自然资源局")
    page.click("#issue-form button[type=submit]")
    assert "办结期限 2026-11-17" in page.inner_text("#flash")  # 11-03 + 10 working days
    page.fill("#note-form input[name=text]", "已上报市局")
    page.click("#note-form button[type=submit]")
    page.fill("#state-form input[name=note]", "已批复")
    page.click("#state-form button[type=submit]")
    assert "销号须上传佐证材料" in page.inner_text("main")
    page.go_back()
    page.reload()
    page.set_input_files("#file-form input[name=files]", str(photo))
    page.click("#file-form button[type=submit]")
    assert "现场照片.png" in page.inner_text("#files")
    page.fill("#state-form input[name=note]", "用地已批复")
    page.click("#state-form button[type=submit]")
    assert page.inner_text("#issue-state") == "已销号"
    page.click(".tabs >> text=问题清单")
    assert "已销号" in page.inner_text("#issue-list")
    if backend == "sqlite":
        shoot(page, "projects-issue-closed")


def test_lead_from_talks_to_a_ledger_project(page, site, backend):
    browser_login(page, "t_operator")
    page.goto("/projects/leads")
    page.fill("#lead-form input[name=name]", "储能电池模组项目")
    page.fill("#lead-form input[name=investor]", "某储能科技公司")
    page.select_option("#lead-form select[name=source]", "产业链招商")
    page.fill("#lead-form input[name=amount_wan]", "50000")
    page.fill("#lead-form input[name=responsible]", "赵科长")
    page.fill("#lead-form input[name=talks_on]", "2026-05-10")
    page.click("#lead-form button[type=submit]")
    row = page.locator("#leads tbody tr").first
    row.locator("input[name=on]").fill("2026-06-18")
    row.locator(".advance-form button").click()
    row = page.locator("#leads tbody tr").first
    assert "签约 2026-06-18" in row.inner_text()
    row.locator("input[name=code]").fill("JK-300")
    row.locator("input[name=year_plan_wan]").fill("8000")
    row.locator(".convert-form button").click()
    assert "已转入重点项目台账：JK-300 储能电池模组项目" in page.inner_text("#flash")
    assert "某储能科技公司" in page.inner_text("#project-info")
    page.click(".tabs >> text=台账")
    assert "储能电池模组项目" in page.inner_text("#ledger")
    if backend == "sqlite":
        shoot(page, "projects-lead-converted")
