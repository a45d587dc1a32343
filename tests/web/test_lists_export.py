"""Every list: the common filters, sortable columns, jump to page, and an Excel export of exactly
what the filters select, safe to open."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.web.browser import shoot
from tests.web.conftest import browser_login, login
from tests.web.test_cycle_payments import paying_cycle
from tests.web.test_cycles_page import Clock, make_run
from zhida.db import session_scope
from zhida.delivery.models import Entitlement
from zhida.registry.models import Unit


def sheet(content: bytes) -> list[list]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def count_units(engine, **where) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(Unit).where(
            *[getattr(Unit, k) == v for k, v in where.items()]))


def test_unit_list_filters_sort_and_export(client, district):
    with session_scope(district.engine) as s:
        s.add(Unit(uscc="91371503MA3C0099XQ", name="=HYPERLINK(\"http://x\")商贸有限公司", unit_type="企业",
                   size_class="微型", township="韩屯镇", industry_section="F"))
    login(client, "t_operator")
    want = count_units(district.engine, township="韩屯镇", size_class="微型")
    page = client.get("/units?township=韩屯镇&size_class=微型&sort=-employees").text
    assert f"共 {want} 个单位" in page and want >= 1
    r = client.get("/units?township=韩屯镇&size_class=微型&sort=-employees&export=xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = sheet(r.content)
    assert rows[0][:3] == ["统一社会信用代码", "单位名称", "单位类型"] and len(rows) == want + 1
    assert all(row[6] == "韩屯镇" and row[5] == "微型" for row in rows[1:])
    employees = [int(row[7]) for row in rows[1:] if row[7]]
    assert employees == sorted(employees, reverse=True)  # the page's order
    assert "'=HYPERLINK(\"http://x\")商贸有限公司" in [row[1] for row in rows]  # never a live formula
    by_type = client.get("/units?unit_type=律师事务所&export=xlsx")
    assert len(sheet(by_type.content)) == count_units(district.engine, unit_type="律师事务所") + 1
    by_section = client.get("/units?industry_section=C").text
    assert f"共 {count_units(district.engine, industry_section='C')} 个单位" in by_section


def test_run_results_export_carries_the_reasons(client, district):
    run_id = make_run(district.engine)
    login(client, "t_operator")
    r = client.get(f"/policies/runs/{run_id}?status=ineligible&export=xlsx")
    rows = sheet(r.content)
    assert rows[0][-1] == "不符合原因" and len(rows) > 1
    assert all(row[6] == "不符合" and row[-1] for row in rows[1:])
    assert not any("months_paid" in row[-1] or "✔" in row[-1] for row in rows[1:])
    page = client.get(f"/policies/runs/{run_id}?status=ineligible").text
    assert "<th>不符合原因</th>" in page


def test_cycle_lists_export_with_filters(app, client, district):
    app.state.clock = Clock(dt.date(2025, 7, 21))
    cycle_id = paying_cycle(district.engine)
    login(client, "t_reviewer")
    with session_scope(district.engine) as s:
        town = s.scalar(select(Entitlement.township).where(Entitlement.cycle_id == cycle_id))
        want = s.scalar(select(func.count()).where(Entitlement.cycle_id == cycle_id, Entitlement.township == town))
    rows = sheet(client.get(f"/exports/cycles/{cycle_id}/entitlements?township={town}").content)
    assert len(rows) == want + 1 and {r[2] for r in rows[1:]} == {town}
    page = client.get(f"/cycles/{cycle_id}?township={town}").text
    assert f"共 {want} 户" in page
    for what, head in (("payments", "银行退回原因"), ("calls", "结果"), ("objections", "来源")):
        assert head in sheet(client.get(f"/exports/cycles/{cycle_id}/{what}").content)[0]
    assert sheet(client.get("/exports/cycles").content)[1][3] == "发放中"
    audit = sheet(client.get("/exports/audit?entity=cycle").content)
    assert audit[0] == ["序号", "时间", "办理人", "操作", "对象", "内容"]
    assert any(str(r[4]).startswith("发放批次 #") for r in audit[1:])
    html = client.get("/audit").text
    assert "发放批次 #" in html and '"status"' not in html
    assert client.get(f"/exports/cycles/{cycle_id}/nothing").status_code == 404


@pytest.mark.browser
def test_clerk_filters_sorts_pages_and_exports(page, district, tmp_path, backend):
    browser_login(page, "t_operator")
    page.click("nav >> text=单位")
    page.select_option("#unit-filters select[name=size_class]", "小型")
    page.click("#unit-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    total = int(re.search(r"共 (\d+) 个单位", page.inner_text("main")).group(1))
    assert total == count_units(district.engine, size_class="小型")
    page.click("#unit-table th >> text=从业人员")
    page.wait_for_load_state("networkidle")
    page.click("#unit-table th >> text=从业人员")  # again: descending
    page.wait_for_load_state("networkidle")
    shown = [int(t) for t in page.locator("#unit-table tbody td.num").all_inner_texts() if t.strip().isdigit()]
    assert shown == sorted(shown, reverse=True) and "▼" in page.inner_text("#unit-table thead")
    if total > 20:
        page.fill(".pager input.page-no", "2")
        page.click(".pager form.jump button")
        page.wait_for_load_state("networkidle")
        assert "第 2 /" in page.inner_text(".pager")
    with page.expect_download() as download:
        page.click("a.export")
    saved = tmp_path / "单位.xlsx"
    download.value.save_as(saved)
    rows = sheet(saved.read_bytes())
    assert len(rows) == total + 1 and all(r[5] == "小型" for r in rows[1:])
    if backend == "sqlite":
        shoot(page, "units-filtered")
