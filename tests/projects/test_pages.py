"""The console pages and the API of 重点项目 through the real app (scopes, forms, errors)."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from tests.projects.conftest import PNG
from tests.web.conftest import login
from zhida.db import session_scope
from zhida.projects.models import InvestmentLead, Project, ProjectIssue


def test_a_leader_sees_the_projects_held_only(site, client):
    login(client, "ld1")
    page = client.get("/projects?month=2026-10").text
    assert "风光储一体化项目" in page and "高端轴承产业园" not in page and "+13.8" in page
    assert client.get(f"/projects/{site.b}").status_code == 403
    assert client.get(f"/api/v1/projects/{site.a}").json()["code"] == "JK-001"
    assert [p["code"] for p in client.get("/api/v1/projects/report?month=2026-10").json()["projects"]] == ["JK-001"]


def test_task_force_reports_and_corrects_a_month(site, client):
    token = login(client, "tf2")
    form = {"csrf_token": token, "month": "2026-09", "year_done_wan": "40", "total_done_wan": "290",
            "progress_pct": "45", "progress_text": "钢结构吊装"}
    assert client.post(f"/projects/{site.b}/reports", data=form, follow_redirects=False).status_code == 303
    again = client.post(f"/projects/{site.b}/reports", data=form)
    assert again.status_code == 409 and "同一月份只能报送一次" in again.text
    fixed = client.post(f"/projects/{site.b}/reports", data=form | {"year_done_wan": "41", "reason": "漏报设备款"})
    assert fixed.status_code == 200 and "已更正 1 次" in fixed.text
    over = client.post(f"/projects/{site.b}/reports", data=form | {"month": "2026-08", "total_done_wan": "900"})
    assert over.status_code == 422 and "累计完成投资不能大于总投资" in over.text
    other = client.post(f"/projects/{site.a}/reports", data=form)
    assert other.status_code == 403
    photo = client.post(f"/projects/{site.b}/reports", data=form | {"month": "2026-08", "total_done_wan": "280"},
                        files={"files": ("现场8月.png", io.BytesIO(PNG), "image/png")})
    assert photo.status_code == 200 and "现场8月.png" in photo.text
    link = photo.text.split('href="/projects/files/')[1].split('"')[0]
    assert client.get(f"/projects/files/{link}").content == PNG
    login(client, "tf1")
    assert client.get(f"/projects/files/{link}").status_code == 403  # another task force's project


def test_problem_from_opening_to_xiaohao(site, client):
    token = login(client, "t_operator")
    r = client.post(f"/projects/{site.a}/issues", data={"csrf_token": token, "kind": "要素保障", "factor": "能耗",
                                                         "title": "能耗指标", "owner_dept": "发改局"})
    assert r.status_code == 200 and "办结期限 2026-11-24" in r.text  # 11-03 + 15 working days
    item = client.get("/projects/issues?kind=要素保障").text
    assert "能耗指标" in item
    with session_scope(site.engine) as s:
        issue_id = s.scalar(select(ProjectIssue.id))
    refused = client.post(f"/projects/issues/{issue_id}/close", data={"csrf_token": token, "note": "已解决"})
    assert refused.status_code == 409 and "销号须上传佐证材料" in refused.text
    bad = client.post(f"/projects/issues/{issue_id}/files", data={"csrf_token": token},
                      files={"files": ("批复.pdf", io.BytesIO(b"not a pdf"), "application/pdf")})
    assert bad.status_code == 422 and "内容与扩展名 .pdf 不符" in bad.text
    ok = client.post(f"/projects/issues/{issue_id}/files", data={"csrf_token": token},
                     files={"files": ("现场.png", io.BytesIO(PNG), "image/png")})
    assert ok.status_code == 200 and "现场.png" in ok.text
    done = client.post(f"/projects/issues/{issue_id}/close", data={"csrf_token": token, "note": "指标已下达"})
    assert done.status_code == 200 and "已销号" in done.text
    file_link = client.get(f"/projects/issues/{issue_id}").text.split('href="/projects/files/')[1].split('"')[0]
    assert client.get(f"/projects/files/{file_link}").content == PNG


def test_lead_to_ledger_project(site, client):
    token = login(client, "t_operator")
    client.post("/projects/leads", data={"csrf_token": token, "name": "氢能装备项目", "investor": "某氢能公司",
                                         "source": "靶向招商", "amount_wan": "20000", "responsible": "赵科长",
                                         "talks_on": "2026-06-01"})
    with session_scope(site.engine) as s:
        lead_id = s.scalar(select(InvestmentLead.id))
    skip = client.post(f"/projects/leads/{lead_id}/advance", data={"csrf_token": token, "to": "开工", "on": "2026-07-01"})
    assert skip.status_code == 409 and "只能变为 签约" in skip.text
    client.post(f"/projects/leads/{lead_id}/advance", data={"csrf_token": token, "to": "签约", "on": "2026-07-01"})
    r = client.post(f"/projects/leads/{lead_id}/project", data={"csrf_token": token, "code": "JK-200", "category": "新开工",
                                                                 "level": "区重点", "year_plan_wan": "3000"})
    assert r.status_code == 200 and "氢能装备项目" in r.text and "招商项目「氢能装备项目」（靶向招商，签约）" in r.text
    with session_scope(site.engine) as s:
        p = s.scalar(select(Project).where(Project.code == "JK-200"))
        assert (p.total_fen, p.year_plan_fen, p.plan_year, p.enterprise) == (20_000_000_000, 3_000_000_000, 2026, "某氢能公司")


def test_bulletin_targets_export_pages(site, client):
    login(client, "t_reviewer")
    page = client.get("/projects/bulletin?month=2026-10").text
    assert "完成年度计划的71.7%，慢于时间进度（83.3%）11.7个百分点" in page and 'id="chart-energy"' in page
    assert "<script>" not in page.replace('<script src=', '')
    assert "1" in client.get("/projects/targets?month=2026-10").text
    x = client.get("/projects/export.xlsx?month=2026-10")
    ws = load_workbook(io.BytesIO(x.content)).active
    assert [ws.cell(row=3 + i, column=14).value for i in range(3)] == [97.2, 50.0, 0.0]
    bad = client.get("/projects?month=2026-13")
    assert bad.status_code == 422 and "月份「2026-13」格式不对" in bad.text


def test_unit_accounts_do_not_reach_the_ledger(site, client):
    from tests.web.conftest import OWN

    login(client, OWN)
    assert client.get("/projects").status_code == 403
