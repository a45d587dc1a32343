"""The console pages, the applicant's view and the REST API through the real app (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.approvals.web_office import fix_clock, setup_web_office
from tests.web.conftest import OWN, login

D = dt.date


@pytest.fixture
def office(app, world):
    setup_web_office(world.engine)
    fix_clock(app, D(2026, 3, 30))
    return app


def _act(client, token, no, **fields):
    r = client.post(f"/approvals/cases/{no}/act", data={"csrf_token": token, **fields}, follow_redirects=True)
    assert r.status_code == 200
    return r.text


def test_case_through_the_console_and_the_applicant_view(office, client):
    token = login(client, "t_operator")
    assert "我的待办" in client.get("/approvals").text
    assert "临时占用林地" in client.get("/approvals/matters").text
    r = client.post("/approvals/cases", data={"csrf_token": token, "matter_code": "LD-LS", "applicant_kind": "单位",
                                              "applicant_id": OWN, "received_on": "2026-02-12", "phone": "13900000000"},
                    follow_redirects=False)
    no = r.headers["location"].rsplit("/", 1)[1]
    page = _act(client, token, no, op="accept", on="2026-02-16", doc_no="东审受1号")
    assert "不是工作日" in page
    page = _act(client, token, no, op="accept", on="2026-02-12", doc_no="东审受1号", missing_material="补偿协议",
                missing_due="2026-03-04", missing_form="原件", pledge_no="诺字1号")
    assert "已办理：受理" in page and "2026-03-11" in page
    page = _act(client, token, no, op="pause", reason="现场勘验", start="2026-03-02", end="2026-03-06", notice_no="勘告1号")
    assert "2026-03-18" in page and "2026-03-25" in page
    page = _act(client, token, no, op="extend", days="10", approver="", on="2026-03-10", reason="补充论证")
    assert "须经负责人批准" in page
    page = _act(client, token, no, op="extend", days="10", approver="t_leader", on="2026-03-10", reason="补充论证")
    assert "2026-04-01" in page and "2026-04-09" in page
    login(client, OWN)
    my = client.get("/approvals/my").text
    assert no in my and "补偿协议（原件，2026-03-04 前）" in my and "2026-04-01" in my


def test_api_calculator_case_and_dashboard(office, client):
    login(client, "t_reviewer")
    r = client.get("/api/v1/approvals/deadline", params={"accepted": "2026-02-12", "days": 20, "pause": "2026-03-02..2026-03-06"})
    assert r.status_code == 200 and r.json()["deadline"] == "2026-03-25"
    r = client.get("/api/v1/approvals/deadline", params={"accepted": "2026-12-20", "days": 20})
    assert r.status_code == 409 and r.json()["error"]["code"] == "calendar"
    assert "2027 年的节假日安排尚未载入" in r.json()["error"]["message"]
    assert client.get("/api/v1/approvals/cases/none").status_code == 404
    d = client.get("/api/v1/approvals/dashboard", params={"year": 2026}).json()
    assert d["total"]["cases"] == 0 and "暂无办结" in d["bulletin"]
    wb = load_workbook(io.BytesIO(client.get("/approvals/stats.xlsx", params={"year": 2026}).content))
    assert wb.sheetnames == ["按月", "按事项", "公报"]
    assert "按时办结率" in client.get("/approvals/stats").text
    assert "没有预警办件" in client.get("/approvals/alerts").text


def test_matter_form_refuses_promised_above_legal_and_keeps_fee_exact(office, client):
    token = login(client, "t_operator")
    form = {"csrf_token": token, "code": "GH-XZ", "name": "用地预审与选址", "legal_days": "20", "promised_days": "21",
            "departments": "TDKS", "stages": "受理；决定", "main_materials": "申请表", "fee_yuan": "12.50"}
    page = client.post("/approvals/matters", data=form, follow_redirects=True).text
    assert "承诺时限 21 个工作日超过法定时限 20 个工作日" in page and "用地预审与选址" not in page.split("matter-form")[0]
    page = client.post("/approvals/matters", data={**form, "promised_days": "12"}, follow_redirects=True).text
    assert "已保存事项：用地预审与选址" in page and "12.50" in page
    page = client.post("/approvals/matters", data={**form, "code": "X2", "promised_days": "12", "fee_yuan": "1.234"},
                       follow_redirects=True).text
    assert "最多两位小数" in page
    for fee in ("1e5", "-1", "99999999999999999999999"):
        page = client.post("/approvals/matters", data={**form, "code": "X3", "promised_days": "12", "fee_yuan": fee},
                           follow_redirects=True).text
        assert f"收费「{fee}」不是金额" in page, fee


def test_rest_actions_refuse_with_chinese_rule_and_apply(office, client):
    token = login(client, "t_operator")
    r = client.post("/approvals/cases", data={"csrf_token": token, "matter_code": "LD-LS", "applicant_kind": "单位",
                                              "applicant_id": OWN, "received_on": "2026-02-12"}, follow_redirects=False)
    no = r.headers["location"].rsplit("/", 1)[1]
    post = lambda body: client.post(f"/api/v1/approvals/cases/{no}/actions", json=body,  # noqa: E731
                                    headers={"x-csrf-token": token})
    assert post({"op": "accept", "on": "2026-02-12", "doc_no": "受1"}).json()["case"]["promised_due"] == "2026-03-11"
    r = post({"op": "pause", "reason": "现场勘验", "start": "2026-03-04", "end": "2026-03-02", "notice_no": "告1"})
    assert r.status_code == 422 and "结束日期早于开始日期" in r.json()["error"]["message"]
    r = post({"op": "extend", "days": "10", "on": "2026-03-05", "reason": "论证"})
    assert r.status_code == 422 and "须经负责人批准" in r.json()["error"]["message"]
    body = client.get(f"/api/v1/approvals/cases/{no}").json()
    assert body["state"] == "办理中" and body["extension_days"] == 0 and body["pauses"] == []
    assert [c["case_no"] for c in client.get("/api/v1/approvals/cases").json()] == [no]


def test_refusals_go_back_with_the_reason_and_missing_rows_are_404(office, client):
    token = login(client, "t_operator")
    r = client.post("/approvals/cases", data={"csrf_token": token, "matter_code": "LD-LS", "applicant_kind": "单位",
                                              "applicant_id": OWN, "received_on": "2026-02-12", "guidance": "1"},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/approvals/new")  # refused: back to the form …
    assert "提前介入须指定帮办员" in client.get("/approvals/new").text  # … with the rule flashed
    for url in ("/approvals/tasks/999999/done", "/approvals/promises/999999/delivered"):
        r = client.post(url, data={"csrf_token": token})
        assert r.status_code == 404 and "999999 不存在" in r.text, url
    token = login(client, "t_leader")
    r = client.post("/approvals/staff", data={"csrf_token": token, "username": "x", "name": "新人", "department": "无此科"},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/approvals/matters")
    assert "科室 无此科 未登记" in client.get("/approvals/matters").text
