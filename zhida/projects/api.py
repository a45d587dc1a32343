"""REST API of 重点项目 under ``/api/v1/projects`` (JSON; errors in the one error shape)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from zhida.projects import queries, targets
from zhida.projects.access import DEPARTMENT, TASK_FORCE
from zhida.projects.progress import month_progress, report_json
from zhida.projects.reports import parse_month
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
