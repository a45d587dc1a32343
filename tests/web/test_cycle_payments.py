"""The payment part of a cycle on the web: a failed bank line is listed by unit with its reason,
its account corrected (or the payment cancelled with a reason), re-exported, and the cycle closed
— all without the CLI. 对账 says 平衡 only once nothing is open."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from tests.web.browser import shoot
from tests.web.conftest import browser_login, login
from tests.web.test_cycles_page import Clock, make_run, state_of
from zhida.db import session_scope
from zhida.delivery import service as delivery
from zhida.delivery.models import AccountChange, Payment
from zhida.demo.banksim import simulate_return
from zhida.roles import Actor, Role

OP, RV = Actor("t_operator", Role.OPERATOR), Actor("t_reviewer", Role.REVIEWER)


def paying_cycle(engine) -> int:
    """A cycle of the demo district taken to 发放中 through the services."""
    run_id = make_run(engine)
    with session_scope(engine) as s:
        cycle_id = delivery.create_cycle(s, OP, run_id).id
    steps = ((OP, "审核", dt.date(2025, 6, 2)), (RV, "公示", dt.date(2025, 6, 2)), (OP, "确认期", dt.date(2025, 6, 20)),
             (OP, "待发放", dt.date(2025, 7, 20)), (RV, "发放中", dt.date(2025, 7, 20)))
    for actor, to, day in steps:
        with session_scope(engine) as s:
            delivery.advance(s, actor, cycle_id, to, today=day)
    return cycle_id


def file_names(html: str) -> list[str]:
    return re.findall(r'/files/([^"]+)" download', html)


def upload_return(client, token, cycle_id, tmp_path, name: str, fails) -> str:
    html = client.get(f"/cycles/{cycle_id}").text
    csv_name = sorted(n for n in file_names(html) if n.endswith(".csv") and "回盘" not in n)[-1]
    batch = tmp_path / csv_name
    batch.write_bytes(client.get(f"/cycles/{cycle_id}/files/{csv_name}").content)
    returned = tmp_path / name
    simulate_return(batch, returned, fails=fails)
    r = client.post(f"/cycles/{cycle_id}/return", data={"csrf_token": token},
                    files={"file": (name, io.BytesIO(returned.read_bytes()), "text/csv")}, follow_redirects=True)
    assert r.status_code == 200
    return r.text


def test_failed_line_corrected_reexported_and_closed(app, client, district, tmp_path):
    app.state.clock = Clock(dt.date(2025, 7, 21))
    cycle_id = paying_cycle(district.engine)
    op = login(client, "t_operator")
    r = client.post(f"/cycles/{cycle_id}/export", data={"csrf_token": op}, follow_redirects=True)
    flash = re.search(r'id="flash">([^<]+)<', r.text).group(1)
    assert "第 1 批" in flash and "/" not in flash and str(tmp_path) not in flash  # file names, never a path
    first = {"done": False}

    def fail_first(line) -> bool:
        hit, first["done"] = not first["done"], True
        return hit

    page = upload_return(client, op, cycle_id, tmp_path, "回盘1.csv", fail_first)
    with session_scope(district.engine) as s:
        failed = s.scalars(select(Payment).where(Payment.cycle_id == cycle_id, Payment.status == "失败")).one()
    assert f'id="pay-{failed.uscc}"' in page and "银行退回：" in page
    assert "尚未结清" in page and "平衡，分毫不差" not in page
    # 已完成 is refused on the page itself, naming the unit and what to do
    r = client.post(f"/cycles/{cycle_id}/advance", data={"to": "已完成", "csrf_token": op}, follow_redirects=True)
    refused = re.search(r'id="flash">([^<]+)<', r.text).group(1)
    assert "批次不能结束" in refused and "银行退回" in refused and "zhida" not in refused
    assert state_of(client, cycle_id) == "发放中"
    r = client.post(f"/cycles/{cycle_id}/payments/{failed.uscc}/correct",
                    data={"account_no": "6228 4800 1234 5678 9", "bank_name": "聊城农商银行", "csrf_token": op},
                    follow_redirects=True)
    assert "已更正" in r.text
    # staff's correction is an account change: it pays only after a second person (审核) approves it
    with session_scope(district.engine) as s:
        change_id = s.scalars(select(AccountChange.id).where(AccountChange.uscc == failed.uscc,
                                                             AccountChange.status == "待审核")).one()
    rv = login(client, "t_reviewer")
    client.post(f"/account-changes/{change_id}", data={"decision": "approve", "csrf_token": rv})
    op = login(client, "t_operator")
    client.post(f"/cycles/{cycle_id}/export", data={"csrf_token": op})
    names = file_names(client.get(f"/cycles/{cycle_id}").text)
    assert sum(n.endswith(".csv") for n in names) >= 2 and all("/" not in n for n in names)
    page = upload_return(client, op, cycle_id, tmp_path, "回盘2.csv", lambda line: False)
    assert "平衡，分毫不差" in page and "全部款项已支付或已取消" in page
    r = client.post(f"/cycles/{cycle_id}/advance", data={"to": "已完成", "note": "全部到账", "csrf_token": op},
                    follow_redirects=True)
    assert state_of(client, cycle_id) == "已完成" and "全部到账" in r.text
    with session_scope(district.engine) as s:
        p = s.get(Payment, failed.id)
        assert (p.status, p.account_no, p.attempts >= 2) == ("已支付", "6228480012345678 9".replace(" ", ""), True)


def test_cancel_with_reason_and_call_tasks_paged(app, client, district, tmp_path):
    app.state.clock = Clock(dt.date(2025, 7, 21))
    cycle_id = paying_cycle(district.engine)
    with session_scope(district.engine) as s:
        uscc = s.scalars(select(Payment.uscc).where(Payment.cycle_id == cycle_id).order_by(Payment.uscc)).first()
    rv = login(client, "t_reviewer")
    empty = client.post(f"/cycles/{cycle_id}/payments/{uscc}/cancel", data={"reason": " ", "csrf_token": rv},
                        follow_redirects=True)
    assert empty.status_code in (400, 422)
    r = client.post(f"/cycles/{cycle_id}/payments/{uscc}/cancel", data={"reason": "单位已注销", "csrf_token": rv},
                    follow_redirects=True)
    assert "单位已注销" in r.text
    with session_scope(district.engine) as s:
        assert s.scalar(select(Payment.status).where(Payment.cycle_id == cycle_id, Payment.uscc == uscc)) == "已取消"
    html = client.get(f"/cycles/{cycle_id}").text
    for title in ("名单", "公示与异议", "提醒与电话", "代发与回盘", "对账", "记录"):
        assert f">{title}</a>" in html
    # a reviewer may cancel but not correct accounts: no 更正 form is rendered for the role
    assert "更正账号</summary>" not in html and "取消</summary>" in html
    assert 'data-to="已完成"' in html  # 审核 may close a cycle …
    login(client, "t_leader")
    assert 'data-to="已完成"' not in client.get(f"/cycles/{cycle_id}").text  # … 领导 may not: no button


@pytest.mark.browser
def test_clerk_takes_a_cycle_with_a_failed_line_to_done(page, app, district, tmp_path, backend):
    app.state.clock = Clock(dt.date(2025, 7, 21))
    cycle_id = paying_cycle(district.engine)
    browser_login(page, "t_operator")
    page.goto(f"/cycles/{cycle_id}")
    page.click("#export")
    page.wait_for_load_state("networkidle")
    assert "第 1 批" in page.inner_text("#flash")
    link = page.locator("#bank-files a[href$='.csv']").first
    with page.expect_download() as download:
        link.click()
    batch = tmp_path / "代发.csv"
    download.value.save_as(batch)
    returned = tmp_path / "回盘.csv"
    first = {"done": False}

    def fail_first(line) -> bool:
        hit, first["done"] = not first["done"], True
        return hit

    simulate_return(batch, returned, fails=fail_first)
    page.set_input_files("#return-form input[type=file]", str(returned))
    page.click("#return-form button")
    page.wait_for_load_state("networkidle")
    row = page.locator("#open-payment-table tbody tr").first
    assert "银行退回" in row.inner_text()
    if backend == "sqlite":
        shoot(page, "cycle-failed-payment")
    row.locator("summary", has_text="更正账号").click()
    row.locator("input[name=account_no]").fill("6228480012345678")
    row.locator("form.correct-form button").click()
    page.wait_for_load_state("networkidle")
    assert "已更正" in page.inner_text("#flash")
    # a second person (审核) approves the account change in their own session before it is paid
    reviewer = page.context.browser.new_context(base_url=page.url.split("/cycles")[0], locale="zh-CN")
    rv = reviewer.new_page()
    browser_login(rv, "t_reviewer")
    rv.goto("/account-changes")
    rv.click("#change-table button[value=approve]")
    rv.wait_for_load_state("networkidle")
    assert "已生效" in rv.inner_text("#flash")
    reviewer.close()
    page.reload()
    page.click("#export")
    page.wait_for_load_state("networkidle")
    link = page.locator("#bank-files a[href$='.csv']").last
    with page.expect_download() as download:
        link.click()
    again = tmp_path / "代发2.csv"
    download.value.save_as(again)
    simulate_return(again, tmp_path / "回盘2.csv")
    page.set_input_files("#return-form input[type=file]", str(tmp_path / "回盘2.csv"))
    page.click("#return-form button")
    page.wait_for_load_state("networkidle")
    assert "平衡，分毫不差" in page.inner_text("#recon-verdict")
    page.fill("#transitions input[name=note]", "回盘全部成功")
    page.click("button[data-to='已完成']")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#cycle-state") == "已完成"
    if backend == "sqlite":
        shoot(page, "cycle-done")
