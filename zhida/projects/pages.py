"""Console pages of 重点项目: 台账, 项目详情 (with timeline), 问题清单, 要素保障, 招商, 目标, 通报,
and the forms behind them. Every action calls a service with the logged-in actor; the JSON
API is in ``zhida.projects.api`` (included here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from zhida.errors import NotFound
from zhida.projects import bulletin as bulletins
from zhida.projects import issues as issue_service
from zhida.projects import leads as lead_service
from zhida.projects import queries, targets
from zhida.projects.access import DEPARTMENT, TASK_FORCE, require_see
from zhida.projects.api import Id, ProjectActor
from zhida.projects.api import router as api_router
from zhida.projects.export import write_ledger
from zhida.projects.ledger import CATEGORIES, LEVELS, get_project, wan_to_fen
from zhida.projects.models import InvestmentLead, ProjectFile, ProjectIssue
from zhida.projects.reports import ReportIn, correct_report, find_report, parse_month, submit_report
from zhida.projects.reports import attach as attach_report_file
from zhida.roles import Role
from zhida.web.deps import SessionDep, TodayDep, flash
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
router.routes.extend(api_router.routes)  # the JSON API is served with the pages
Short = Annotated[str, Query(max_length=60)]
Text = Annotated[str, Form(max_length=2000)]
NAV = [("/projects", "重点项目", (Role.OPERATOR, Role.REVIEWER, Role.LEADER, TASK_FORCE, DEPARTMENT))]


def _month(month: str, today: dt.date) -> dt.date:
    return parse_month(month) if month else today.replace(day=1)


def _data_dir(request: Request) -> Path:
    return Path(request.app.state.settings.data_dir)


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _read(files: list[UploadFile]) -> list[tuple[str, bytes]]:
    return [(f.filename or "file", await f.read()) for f in files if f.filename]


@router.get("/projects")
def ledger(request: Request, actor: ProjectActor, db: SessionDep, today: TodayDep, month: Short = "", q: Short = "",
           township: Short = "", category: Short = "", task_force: Short = "",
           page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    m = _month(month, today)
    rows = queries.ledger_page(db, actor, m, page, 50, q=q, township=township, category=category, task_force=task_force)
    base = f"/projects?month={m:%Y-%m}&q={q}&township={township}&category={category}&task_force={task_force}"
    return render(request, "projects/ledger.html", {"rows": rows, "month": m, "q": q, "township": township,
                                                    "category": category, "task_force": task_force, "base": base,
                                                    "choices": queries.filter_choices(db, actor)}, actor=actor)


@router.get("/projects/export.xlsx")
def export(request: Request, actor: ProjectActor, db: SessionDep, today: TodayDep, month: Short = "") -> Response:
    m = _month(month, today)
    path = _data_dir(request) / "projects" / "exports" / f"ledger-{actor.username}-{m:%Y-%m}.xlsx"
    write_ledger(db, actor, queries.progress_of(db, actor, m), path)
    return FileResponse(path, filename=f"重点项目台账-{m:%Y-%m}.xlsx")


@router.get("/projects/bulletin")
def bulletin(request: Request, actor: ProjectActor, db: SessionDep, today: TodayDep, month: Short = "") -> Response:
    m = _month(month, today)
    mp = queries.progress_of(db, actor, m)
    text = bulletins.render(mp, bulletins.issue_summary(db, actor, m, today))
    return render(request, "projects/bulletin.html", {"month": m, "m": mp, "text": text,
                                                      "charts": bulletins.charts(db, actor, mp)}, actor=actor)


@router.get("/projects/targets")
def target_page(request: Request, actor: ProjectActor, db: SessionDep, today: TodayDep, month: Short = "") -> Response:
    m = _month(month, today)
    return render(request, "projects/targets.html", {"month": m, "rows": targets.progress(db, m),
                                                     "m": queries.progress_of(db, actor, m)}, actor=actor)


@router.get("/projects/issues")
def issue_list(request: Request, actor: ProjectActor, db: SessionDep, today: TodayDep, kind: Short = "问题",
               state: Short = "") -> Response:
    kind = kind if kind in issue_service.KINDS else "问题"
    return render(request, "projects/issues.html", {"kind": kind, "state": state, "today": today,
                                                    "rows": queries.issue_list(db, actor, kind, state)}, actor=actor)


@router.get("/projects/issues/{issue_id}")
def issue_page(request: Request, issue_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep) -> Response:
    return render(request, "projects/issue.html", {**queries.issue_view(db, actor, issue_id), "today": today},
                  actor=actor)


def _issue(db, actor, issue_id: int) -> ProjectIssue:
    return queries.issue_for(db, actor, issue_id)[0]


@router.post("/projects/issues/{issue_id}/notes")
def add_note(request: Request, issue_id: Id, actor: ProjectActor, db: SessionDep, text: Text) -> Response:
    issue_service.add_note(db, actor, _issue(db, actor, issue_id), text)
    db.commit()
    flash(request, "已记录办理进展")
    return back(f"/projects/issues/{issue_id}")


@router.post("/projects/issues/{issue_id}/files")
async def add_files(request: Request, issue_id: Id, actor: ProjectActor, db: SessionDep,
                    files: Annotated[list[UploadFile], File()]) -> Response:
    contents = await _read(files)
    return _store_files(request, issue_id, actor, db, contents)


def _store_files(request, issue_id, actor, db, contents) -> Response:
    item = _issue(db, actor, issue_id)
    for name, content in contents:
        issue_service.attach(db, actor, item, _data_dir(request), name, content)
    db.commit()
    flash(request, f"已上传佐证材料 {len(contents)} 个")
    return back(f"/projects/issues/{issue_id}")


@router.post("/projects/issues/{issue_id}/close")
def close(request: Request, issue_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep, note: Text = "") -> Response:
    issue_service.close_issue(db, actor, _issue(db, actor, issue_id), note, today)
    db.commit()
    flash(request, "事项已销号")
    return back(f"/projects/issues/{issue_id}")


@router.post("/projects/issues/{issue_id}/reopen")
def reopen(request: Request, issue_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep, note: Text = "") -> Response:
    issue_service.reopen_issue(db, actor, _issue(db, actor, issue_id), note, today)
    db.commit()
    flash(request, "事项已重新打开")
    return back(f"/projects/issues/{issue_id}")


@router.get("/projects/files/{file_id}")
def download(request: Request, file_id: Id, actor: ProjectActor, db: SessionDep) -> Response:
    row = db.get(ProjectFile, file_id)
    if row is None:
        raise NotFound(f"文件 {file_id} 不存在")
    if row.owner == "issue":
        queries.issue_view(db, actor, row.owner_id)
    else:
        queries.report_owner(db, actor, row.owner_id)
    return FileResponse(_data_dir(request) / row.stored, filename=row.name, media_type=row.content_type)


@router.get("/projects/leads")
def lead_list(request: Request, actor: ProjectActor, db: SessionDep, today: TodayDep) -> Response:
    return render(request, "projects/leads.html", {"leads": queries.leads(db), "sources": lead_service.SOURCES,
                                                   "stages": lead_service.STAGES, "today": today,
                                                   "categories": CATEGORIES, "levels": LEVELS}, actor=actor)


@router.post("/projects/leads")
def lead_create(request: Request, actor: ProjectActor, db: SessionDep, today: TodayDep,
                name: Annotated[str, Form(max_length=200)], investor: Annotated[str, Form(max_length=200)],
                source: Annotated[str, Form(max_length=20)], amount_wan: Annotated[str, Form(max_length=20)],
                responsible: Annotated[str, Form(max_length=50)], talks_on: Annotated[dt.date, Form()],
                industry: Annotated[str, Form(max_length=60)] = "", township: Annotated[str, Form(max_length=50)] = "") -> Response:
    lead = lead_service.create_lead(db, actor, lead_service.LeadIn(name, investor, source, wan_to_fen(amount_wan),
                                                                   responsible, talks_on, industry or None, township or None))
    db.commit()
    flash(request, f"已登记招商项目「{lead.name}」（在谈）")
    return back("/projects/leads")


def _lead(db, lead_id: int) -> InvestmentLead:
    return queries.lead_by_id(db, lead_id)


@router.post("/projects/leads/{lead_id}/advance")
def lead_advance(request: Request, lead_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep,
                 to: Annotated[str, Form(max_length=10)], on: Annotated[dt.date, Form()]) -> Response:
    lead = _lead(db, lead_id)
    lead_service.advance(db, actor, lead, to, on, today)
    db.commit()
    flash(request, f"「{lead.name}」已{to}")
    return back("/projects/leads")


@router.post("/projects/leads/{lead_id}/project")
def lead_to_project(request: Request, lead_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep,
                    code: Annotated[str, Form(max_length=40)], category: Annotated[str, Form(max_length=10)],
                    level: Annotated[str, Form(max_length=10)], year_plan_wan: Annotated[str, Form(max_length=20)],
                    task_force: Annotated[str, Form(max_length=60)] = "") -> Response:
    project = lead_service.to_project(db, actor, _lead(db, lead_id), code=code.strip(), category=category, level=level,
                                      plan_year=today.year, year_plan_fen=wan_to_fen(year_plan_wan),
                                      task_force=task_force or None)
    db.commit()
    flash(request, f"已转入重点项目台账：{project.code} {project.name}")
    return back(f"/projects/{project.id}")


@router.get("/projects/{project_id}")
def detail(request: Request, project_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep) -> Response:
    d = queries.project_detail(db, actor, project_id)
    return render(request, "projects/detail.html", {"d": d, "p": d.project, "today": today,
                                                    "kinds": issue_service.KINDS, "factors": issue_service.FACTORS},
                  actor=actor)


@router.post("/projects/{project_id}/reports")
def report(request: Request, project_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep,
           month: Annotated[str, Form(max_length=10)], year_done_wan: Annotated[str, Form(max_length=20)],
           total_done_wan: Annotated[str, Form(max_length=20)], progress_pct: Annotated[int, Form(ge=-1000, le=1000)],
           progress_text: Text, reason: Text = "",
           files: Annotated[list[UploadFile], File()] = []) -> Response:  # noqa: B006 (FastAPI default)
    project = get_project(db, project_id)
    require_see(db, actor, project)
    data = ReportIn(parse_month(month), wan_to_fen(year_done_wan), wan_to_fen(total_done_wan), progress_pct,
                    progress_text)
    if reason.strip() and find_report(db, project.id, data.month) is not None:
        r = correct_report(db, actor, project, data, today, reason)
        flash(request, f"{data.month:%Y-%m} 月报已更正，原内容已保留")
    else:
        r = submit_report(db, actor, project, data, today)
        flash(request, f"{data.month:%Y-%m} 月报已报送" + ("（逾期报送）" if r.late else ""))
    for f in files:
        if f.filename:
            attach_report_file(db, actor, project, r, _data_dir(request), f.filename, f.file.read())
    db.commit()
    return back(f"/projects/{project_id}")


@router.post("/projects/{project_id}/issues")
def open_issue(request: Request, project_id: Id, actor: ProjectActor, db: SessionDep, today: TodayDep,
               kind: Annotated[str, Form(max_length=10)], title: Annotated[str, Form(max_length=200)],
               owner_dept: Annotated[str, Form(max_length=60)], factor: Annotated[str, Form(max_length=10)] = "",
               owner_phone: Annotated[str, Form(max_length=20)] = "", detail: Text = "") -> Response:
    project = get_project(db, project_id)
    require_see(db, actor, project)
    item = issue_service.open_issue(db, actor, project, issue_service.IssueIn(
        kind, title, owner_dept, factor or None, detail or None, None, owner_phone or None), today)
    db.commit()
    flash(request, f"已登记{item.kind}「{item.title}」，办结期限 {item.due_on}")
    return back(f"/projects/issues/{item.id}")
