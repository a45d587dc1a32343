"""经济运行 and 就业服务 pages on the packaged demo statistics and a posted job."""

from __future__ import annotations

import datetime as dt
import re

from tests.web.conftest import OWN, login
from zhida.stats import service as stats


def test_stats_page_shows_table_charts_and_bulletin(client, world):
    stats.load_demo(world.engine)
    login(client, "t_leader")
    html = client.get("/stats").text
    assert 'id="indicator-table"' in html and "合计" in html and "data-option" in html
    assert "echarts.min.js" in html
    html = client.get("/stats?template=customs").text
    assert 'id="bulletin"' in html and 'data-copy="#bulletin"' in html
    # the template is offered by its Chinese title, chosen by its code
    assert '<option value="customs" selected>海关进出口公报</option>' in html
    assert '<option value="industry" >规上工业公报</option>' in html
    # every figure a person reads is rounded once for display: no long decimals, no 1000.0000 家
    table = html.split('id="indicator-table"')[1].split("</table>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert cells and all(re.fullmatch(r"—|-?[\d,]+(\.\d{1,2})?", c) for c in cells), cells
    long = re.search(r"\d\.\d{5,}", html)
    assert not long, html[long.start() - 300:long.end() + 50]


def test_operator_posts_a_job_and_finds_it(client, world):
    from zhida.db import session_scope
    from zhida.identifiers import make_id_number
    from zhida.jobs import service as jobs
    from zhida.roles import SYSTEM

    with session_scope(world.engine) as s:  # the matcher needs at least one seeker
        jobs.register_seeker(s, {"身份证号": make_id_number("37152319900101123"), "姓名": "张三",
                                 "求职意向": "数控车床", "居住乡镇": "振兴街道"}, SYSTEM)
    token = login(client, "t_operator")
    valid = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    form = {"统一社会信用代码": OWN, "职位名称": "数控车床操作工", "月薪下限(元)": "4500", "月薪上限(元)": "6500",
            "有效期至": valid, "乡镇街道": "振兴街道", "csrf_token": token}
    r = client.post("/jobs", data=form, follow_redirects=True)
    assert r.status_code == 200 and "岗位已发布" in r.text and "4500–6500" in r.text
    assert "数控车床操作工" in client.get("/jobs?q=数控").text
    job_url = str(r.url).split("?")[0]
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(client.get(job_url + "?export=xlsx").content)).worksheets[0].values)
    assert rows[0] == ("名次", "求职者", "匹配得分", "匹配理由") and len(rows) == 2 and "张" in rows[1][1]
    bad = dict(form, **{"月薪下限(元)": "abc"})
    r = client.post("/jobs", data=bad)
    assert r.status_code == 422 and "月薪下限" in r.text
    login(client, "t_leader")
    assert client.post("/jobs", data=dict(form, csrf_token=login(client, "t_leader"))).status_code == 403
