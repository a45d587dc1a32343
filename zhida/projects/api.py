"""REST API of 重点项目 under ``/api/v1/projects`` (JSON; errors in the one error shape).

Reads: the ledger, the month's figures, targets, a project, an item of the problem list.
Writes, for what a task force or an office automates, through the same services and checks as
the console pages (``pages.py``): the monthly report (a second one for a month with a
``reason`` is a correction, the old version kept; without one it is refused, 409; one made from a
``revision`` someone else corrected meanwhile is refused, 409), a progress
note on an item, evidence files and 销号 (refused without evidence). Who may: the roles of
``ProjectActor`` and the project's scope (``access``: 403 outside it); a refused value is 422
with the rule in Chinese. Money is integer fen, months ``YYYY-MM``; unsafe requests carry the
session's CSRF token in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from zhida.projects import evidence, issues, queries, targets
from zhida.projects.access import DEPARTMENT, TASK_FORCE, require_see
from zhida.projects.ledger import get_project
from zhida.projects.models import ProjectIssue, ProjectReport
from zhida.projects.progress import month_progress, report_json
from zhida.projects.reports import ReportIn, correct_report, find_report, parse_month, revisions, submit_report
from zhida.roles import Actor, Role
from zhida.web.deps import SessionDep, TodayDep, requires

router = APIRouter(prefix="/api/v1/projects", tags=["重点项目"])
ProjectActor = Annotated[Actor, Depends(requires(Role.OPERATOR, Role.REVIEWER, Role.LEADER, TASK_FORCE, DEPARTMENT,
                                                 action="查看重点项目"))]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Month = Annotated[str, Query(max_length=10, description="月份 YYYY-MM，默认本月")]


def _month(month: str, today: dt.date) -> dt.date:
    return parse_month(month) if month else today.replace(day=1)


@router.get("")
def ledger(actor: ProjectActor, db: SessionDep, today: TodayDep, month: Month = "",
           page: Annotated[int, Query(ge=1, le=100_000)] = 1,
           size: Annotated[int, Query(ge=1, le=200)] = 50) -> dict:
    """台账一页：每个项目的年度计划、本年完成（分）、完成率、时间进度与快慢百分点。"""
    m = _month(month, today)
    p = queries.ledger_page(db, actor, m, page, size)
    return {"month": f"{m:%Y-%m}", "total": p.total, "page": p.page, "size": p.size,
            "items": [{"id": r.id, "code": r.code, "name": r.name, "category": r.category, "township": r.township,
                       "task_force": r.task_force, "total_fen": r.total_fen, "year_plan_fen": r.year_plan_fen,
                       "year_done_fen": r.year_done_fen, "progress_pct": r.progress_pct,
                       "completion_pct": None if r.rate.completion_pct is None else str(r.rate.completion_pct),
                       "ahead_pp": None if r.rate.ahead_pp is None else str(r.rate.ahead_pp)} for r in p.items]}


@router.get("/report")
def report(actor: ProjectActor, db: SessionDep, today: TodayDep, month: Month = "") -> dict:
    """与 ``zhida projects report --format json`` 相同的月度数据。"""
    return report_json(month_progress(db, actor, _month(month, today)))


@router.get("/targets")
def target_progress(actor: ProjectActor, db: SessionDep, today: TodayDep, month: Month = "") -> list[dict]:
    """年度目标（“以上”即不少于）及完成情况。"""
    return [{"indicator": t.indicator, "unit": t.unit, "target": str(t.target),
             "actual": None if t.actual is None else str(t.actual), "met": t.met,
             "completion_pct": None if t.completion_pct is None else str(t.completion_pct)}
            for t in targets.progress(db, _month(month, today))]


@router.get("/{project_id}")
def project(project_id: Id, actor: ProjectActor, db: SessionDep) -> dict:
    """一个项目：基本信息、自定义字段、各月快照、问题与要素需求、关联审批。"""
    d = queries.project_detail(db, actor, project_id)
    p = d.project
    return {"id": p.id, "code": p.code, "name": p.name, "enterprise": p.enterprise, "uscc": p.uscc,
            "category": p.category, "level": p.level, "ptype": p.ptype, "status": p.status, "township": p.township,
            "task_force": p.task_force, "leader": p.leader_name, "total_fen": p.total_fen,
            "year_plan_fen": p.year_plan_fen, "fields": {k: None if v is None else str(v) for k, v in d.fields},
            "reports": [{"month": f"{r.month:%Y-%m}", "year_done_fen": r.year_done_fen, "total_done_fen": r.total_done_fen,
                         "progress_pct": r.progress_pct, "progress_text": r.progress_text, "late": r.late,
                         "revision": r.revision} for r in d.reports],
            "issues": [{"id": i.id, "kind": i.kind, "factor": i.factor, "title": i.title, "owner_dept": i.owner_dept,
                        "due_on": i.due_on.isoformat(), "state": i.state} for i in d.issues],
            "approvals": d.approvals}


Fen = Annotated[int, Field(ge=-(10**15), le=10**15, description="分")]
Text = Annotated[str, Field(max_length=2000)]


class ReportBody(BaseModel):
    """A monthly report (the service refuses a future month, completed above total, a percent
    outside 0–100, an empty description)."""

    month: Annotated[str, Field(max_length=10, description="月份 YYYY-MM")]
    year_done_fen: Fen
    total_done_fen: Fen
    progress_pct: Annotated[int, Field(ge=-1000, le=1000, description="形象进度（%）")]
    progress_text: Text
    reason: Text = Field("", description="更正原因：同月已报送时填写，即为更正（原内容保留）")
    revision: Annotated[int | None, Field(ge=1, le=2**31 - 1, description="更正所依据的版本号（他人已先更正时 409）")] = None


def _report(db: Session, r: ProjectReport) -> dict:
    return {"id": r.id, "month": f"{r.month:%Y-%m}", "year_done_fen": r.year_done_fen,
            "total_done_fen": r.total_done_fen, "progress_pct": r.progress_pct, "progress_text": r.progress_text,
            "reported_on": r.reported_on.isoformat(), "reported_by": r.reported_by, "late": r.late,
            "revision": r.revision,
            "history": [{"revision": v.revision, "replaced_by": v.replaced_by, "before": json.loads(v.snapshot)}
                        for v in revisions(db, r.id)]}


@router.post("/{project_id}/reports")
def report_submit(project_id: Id, body: ReportBody, actor: ProjectActor, db: SessionDep, today: TodayDep) -> dict:
    """报送月报（项目专班）；同月再次报送须填写更正原因，即为更正，原内容保留在 history。"""
    project = get_project(db, project_id)
    require_see(db, actor, project)
    data = ReportIn(parse_month(body.month), body.year_done_fen, body.total_done_fen, body.progress_pct,
                    body.progress_text)
    if body.reason.strip() and find_report(db, project.id, data.month) is not None:
        r = correct_report(db, actor, project, data, today, body.reason, body.revision)
    else:
        r = submit_report(db, actor, project, data, today)
    db.flush()
    return _report(db, r)


def _issue(db: Session, item: ProjectIssue) -> dict:
    return {"id": item.id, "project_id": item.project_id, "kind": item.kind, "factor": item.factor,
            "title": item.title, "owner_dept": item.owner_dept, "opened_on": item.opened_on.isoformat(),
            "due_on": item.due_on.isoformat(), "state": item.state,
            "closed_on": None if item.closed_on is None else item.closed_on.isoformat(),
            "notes": [{"at": n.at.isoformat(), "author": n.author, "text": n.text} for n in issues.notes(db, item.id)],
            "files": [{"id": f.id, "name": f.name, "size": f.size, "sha256": f.sha256}
                      for f in evidence.files_of(db, "issue", item.id)]}


class NoteBody(BaseModel):
    text: Text


@router.get("/issues/{issue_id}")
def issue(issue_id: Id, actor: ProjectActor, db: SessionDep) -> dict:
    """问题清单或要素保障的一项：进展、佐证材料、状态。"""
    return _issue(db, queries.issue_for(db, actor, issue_id)[0])


@router.post("/issues/{issue_id}/notes")
def issue_note(issue_id: Id, body: NoteBody, actor: ProjectActor, db: SessionDep) -> dict:
    """填写办理进展。"""
    item = queries.issue_for(db, actor, issue_id)[0]
    issues.add_note(db, actor, item, body.text)
    db.flush()
    return _issue(db, item)


@router.post("/issues/{issue_id}/files")
def issue_files(request: Request, issue_id: Id, actor: ProjectActor, db: SessionDep,
                files: Annotated[list[UploadFile], File(description="佐证材料（照片、PDF、Office 文件）")]) -> dict:
    """上传佐证材料（销号前须至少一个）。"""
    item = queries.issue_for(db, actor, issue_id)[0]
    for f in files[:20]:
        content = f.file.read(evidence.MAX_BYTES + 1)  # one byte over the limit is enough to refuse it
        issues.attach(db, actor, item, FilePath(request.app.state.settings.data_dir), f.filename or "file", content)
    db.flush()
    return _issue(db, item)


@router.post("/issues/{issue_id}/close")
def issue_close(issue_id: Id, body: NoteBody, actor: ProjectActor, db: SessionDep, today: TodayDep) -> dict:
    """销号（须有佐证材料和销号说明）。"""
    item = queries.issue_for(db, actor, issue_id)[0]
    issues.close_issue(db, actor, item, body.text, today)
    db.flush()
    return _issue(db, item)
