"""政策 pages: citations, a run through the task page, the results, one unit's explanation, what-if."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from tests.web.conftest import login
from tests.web.test_imports_page import wait_task
from zhida.db import session_scope
from zhida.rules.models import PolicyResult, PolicyRun

POLICY = "wengang-fanhuan"


def run_policy(client, token: str, period: str = "2025") -> int:
    r = client.post(f"/policies/{POLICY}/run", data={"period": period, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    html = wait_task(client, r.headers["location"])
    assert 'data-status="完成"' in html, html
    return int(re.search(r"/policies/runs/(\d+)", html).group(1))


def test_policy_page_cites_its_documents(client, world):
    login(client, "t_leader")
    html = client.get(f"/policies/{POLICY}").text
    assert "人社部发〔2025〕18号" in html and "鲁人社字〔2025〕52号" in html
    assert "5.5%" in html and "运行计算需要经办角色" in html
    assert "适用地域：370000" in html and "判定日期留空时按政策规定" in html
    assert client.get("/policies/no-such-policy").status_code == 404


def test_run_results_and_a_units_explanation(client, district):
    token = login(client, "t_operator")
    run_id = run_policy(client, token)
    with session_scope(district.engine) as s:
        run = s.get(PolicyRun, run_id)
        eligible = s.scalars(select(PolicyResult).where(PolicyResult.run_id == run_id,
                                                        PolicyResult.status == "eligible")).first()
        ineligible = s.scalars(select(PolicyResult).where(PolicyResult.run_id == run_id,
                                                          PolicyResult.status == "ineligible")).first()
        assert run.evaluated > 0
    page = client.get(f"/policies/runs/{run_id}?status=eligible&size=200").text
    assert eligible.uscc in page and ineligible.uscc not in page
    ex = client.get(f"/policies/runs/{run_id}/units/{eligible.uscc}").text
    assert eligible.name in ex and "符合" in ex
    unit = client.get(f"/units/{ineligible.uscc}").text
    assert "不符合" in unit and "✘" in unit
    api = client.get(f"/api/v1/units/{eligible.uscc}/decisions").json()
    assert api[0]["status"] == "eligible" and api[0]["amount_fen"] == eligible.amount_fen


def test_web_run_takes_a_judging_date(client, district):
    from zhida.db import session_scope
    from zhida.rules.models import PolicyRun

    token = login(client, "t_operator")
    documented = run_policy(client, token)
    r = client.post(f"/policies/{POLICY}/run", data={"period": "2025", "as_of": "2025-02-28", "csrf_token": token},
                    follow_redirects=False)
    typed = int(re.search(r"/policies/runs/(\d+)", wait_task(client, r.headers["location"])).group(1))
    with session_scope(district.engine) as s:
        assert s.get(PolicyRun, documented).as_of == dt.date(2025, 6, 30)  # the policy's documented date
        assert s.get(PolicyRun, typed).as_of == dt.date(2025, 2, 28)
    bad = client.post(f"/policies/{POLICY}/run", data={"period": "2025", "as_of": "2025/13/01", "csrf_token": token})
    assert bad.status_code == 422 and "判定日期" in bad.text


def test_test_cases_page_and_whatif(client, district):
    token = login(client, "t_reviewer")
    html = client.get(f"/policies/{POLICY}/tests").text
    assert "失败 0 个" in html
    r = client.post(f"/policies/{POLICY}/whatif", data={"period": "2025", "p.rate.sme": "90%", "csrf_token": token})
    assert r.status_code == 200 and "rate.sme = 90%" in r.text
    r = client.post(f"/policies/{POLICY}/whatif", data={"period": "2025", "csrf_token": token})
    assert r.status_code == 422 and "至少修改一个参数" in r.text
    assert client.post(f"/policies/{POLICY}/run", data={"period": "2025", "csrf_token": token}).status_code == 403
