"""The writes of the projects API through the real app: the monthly report (and its correction),
progress notes, evidence and 销号 — the services' refusals as 409/422, scopes as 403."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.projects.conftest import PNG, TF1
from tests.web.conftest import login
from zhida.db import session_scope
from zhida.platform import audit
from zhida.projects import issues
from zhida.projects.issues import IssueIn
from zhida.projects.models import Project

SEPT = {"month": "2026-09", "year_done_fen": 40_000_000, "total_done_fen": 290_000_000,  # 40 and 290 万元
        "progress_pct": 45, "progress_text": "钢结构吊装"}


def poster(client, token):
    def post(url, **kw):
        return client.post(url, headers={"x-csrf-token": token}, **kw)

    return post


def message(r) -> str:
    return r.json()["error"]["message"]


def test_task_force_reports_and_corrects_a_month_through_the_api(site, client):
    post = poster(client, login(client, "tf2"))
    url = f"/api/v1/projects/{site.b}/reports"
    r = post(url, json=SEPT)
    assert r.status_code == 200, r.text
    assert (r.json()["month"], r.json()["revision"], r.json()["late"], r.json()["history"]) == ("2026-09", 1, True, [])
    again = post(url, json=SEPT)
    assert again.status_code == 409 and "同一月份只能报送一次" in message(again)
    fixed = post(url, json=SEPT | {"year_done_fen": 41_000_000, "reason": "漏报设备款"})
    assert fixed.status_code == 200, fixed.text
    body = fixed.json()
    assert (body["year_done_fen"], body["revision"]) == (41_000_000, 2)
    assert [(h["revision"], h["replaced_by"], h["before"]["本年完成投资(分)"]) for h in body["history"]] == \
        [(1, "tf2", 40_000_000)]
    months = {m["month"]: m for m in client.get(f"/api/v1/projects/{site.b}").json()["reports"]}
    assert (months["2026-09"]["year_done_fen"], months["2026-09"]["revision"]) == (41_000_000, 2)


@pytest.mark.parametrize("change, rule", [
    ({"month": "2026-12"}, "不能报送未来月份 2026-12 的月报"),
    ({"month": "2026-08", "total_done_fen": 900_000_000}, "累计完成投资不能大于总投资"),  # 900 > 800 万元
    ({"month": "2026-08", "progress_pct": 101}, "形象进度 101% 不对"),
    ({"month": "2026-13"}, "月份「2026-13」格式不对"),
])
def test_a_refused_report_is_422_with_the_rule(site, client, change, rule):
    post = poster(client, login(client, "tf2"))
    r = post(f"/api/v1/projects/{site.b}/reports", json=SEPT | change)
    assert r.status_code == 422 and rule in message(r), r.text
    months = [m["month"] for m in client.get(f"/api/v1/projects/{site.b}").json()["reports"]]
    assert months == ["2026-10"]  # nothing written


def test_reports_outside_the_scope_or_without_csrf_are_403(site, client):
    token = login(client, "tf2")
    r = poster(client, token)(f"/api/v1/projects/{site.a}/reports", json=SEPT)  # 新能源专班's project
    assert r.status_code == 403 and "无权查看" in message(r)
    assert client.post(f"/api/v1/projects/{site.b}/reports", json=SEPT).status_code == 403  # no CSRF token
    post = poster(client, login(client, "ld1"))
    r = post(f"/api/v1/projects/{site.a}/reports", json=SEPT)  # the leader sees the project, the task force updates it
    assert r.status_code == 403 and "无权更新" in message(r)


@pytest.fixture
def problem(site):
    with session_scope(site.engine) as s:
        item = issues.open_issue(s, TF1, s.get(Project, site.a), IssueIn("问题", "施工用电未接入", "供电公司"),
                                 dt.date(2026, 11, 2))
        return item.id


def test_a_problem_noted_given_evidence_and_closed_through_the_api(site, client, problem):
    post = poster(client, login(client, "tf1"))
    base = f"/api/v1/projects/issues/{problem}"
    r = post(f"{base}/notes", json={"text": "已协调供电公司现场勘查"})
    assert r.status_code == 200 and [(n["author"], n["text"]) for n in r.json()["notes"]] == [("tf1", "已协调供电公司现场勘查")]
    assert post(f"{base}/notes", json={"text": " "}).status_code == 422
    refused = post(f"{base}/close", json={"text": "已接电"})
    assert refused.status_code == 409 and "销号须上传佐证材料" in message(refused)
    bad = post(f"{base}/files", files={"files": ("批复.pdf", io.BytesIO(b"not a pdf"), "application/pdf")})
    assert bad.status_code == 422 and "内容与扩展名 .pdf 不符" in message(bad)
    ok = post(f"{base}/files", files={"files": ("现场.png", io.BytesIO(PNG), "image/png")})
    assert ok.status_code == 200 and [f["name"] for f in ok.json()["files"]] == ["现场.png"]
    assert post(f"{base}/close", json={"text": " "}).status_code == 422  # 销号 needs its note
    done = post(f"{base}/close", json={"text": "已接电"})
    assert done.status_code == 200 and (done.json()["state"], done.json()["closed_on"]) == ("已销号", "2026-11-03")
    with session_scope(site.engine) as s:
        trail = [(e.action, e.actor) for e in reversed(audit.entries(s, entity="project_issue", entity_id=problem))]
        assert trail[1:] == [("填写办理进展", "tf1"), ("上传佐证材料", "tf1"), ("销号", "tf1")]


def test_a_problem_outside_the_scope_is_403_and_a_missing_one_404(site, client, problem):
    post = poster(client, login(client, "tf2"))
    base = f"/api/v1/projects/issues/{problem}"
    assert client.get(base).status_code == 403
    for r in (post(f"{base}/notes", json={"text": "x"}), post(f"{base}/close", json={"text": "x"}),
              post(f"{base}/files", files={"files": ("现场.png", io.BytesIO(PNG), "image/png")})):
        assert r.status_code == 403 and "无权查看" in message(r)
    assert client.get("/api/v1/projects/issues/999999").status_code == 404
    login(client, "t_operator")
    assert client.get(base).json()["notes"] == []  # nothing was written by the refused calls
