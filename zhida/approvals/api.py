"""REST API of 行政审批 under /api/v1/approvals (JSON; errors as ``{"error": {...}}``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from zhida.approvals import actions, dashboard, queries
from zhida.approvals.alerts import open_alerts
from zhida.approvals.cli import deadline_result, parse_pause, required_date
from zhida.cliutil import to_jsonable
from zhida.errors import ValidationFailed
from zhida.web.deps import ActorDep, SessionDep, StaffDep, TodayDep

router = APIRouter(prefix="/api/v1/approvals", tags=["行政审批"])


@router.get("/deadline")
def deadline(actor: ActorDep, db: SessionDep, accepted: Annotated[str, Query(max_length=10)],
             days: Annotated[int, Query(ge=0, le=400)], pause: Annotated[list[str], Query()] = []) -> dict:  # noqa: B006
    """办结期限计算：受理日期、时限（工作日）、中止计时区间 开始..结束（可多个）。"""
    from zhida.platform.calendar import WorkingCalendar

    return deadline_result(required_date(accepted, "受理日期"), days, [parse_pause(p) for p in pause[:20]],
                           WorkingCalendar.from_session(db))


@router.get("/cases")
def cases(actor: StaffDep, db: SessionDep, today: TodayDep, state: Annotated[str, Query(max_length=10)] = "",
          department: Annotated[str, Query(max_length=20)] = "") -> list[dict]:
    return to_jsonable(queries.list_cases(db, today, state=state or None, department=department or None))


@router.get("/cases/{case_no}")
def case(case_no: str, actor: StaffDep, db: SessionDep, today: TodayDep) -> dict:
    d = queries.case_detail(db, case_no, today)
    c, ck = d.case, d.clock
    return {"case_no": c.case_no, "case_type": c.case_type, "matter": d.matter.name, "state": c.state,
            "applicant": c.applicant_name, "accepted_on": c.accepted_on, "acceptance_officer": c.acceptance_officer,
            "legal_due": c.legal_due, "promised_due": c.promised_due, "extension_days": c.extension_days,
            "used": ck.used if ck else None, "promised_left": ck.promised_left if ck else None, "level": d.level,
            "paused": c.paused, "green_channel": c.green_channel, "helper": c.helper, "project_ref": c.project_ref,
            "completed_on": c.completed_on, "certificate_no": c.certificate_no, "on_time": c.on_time,
            "steps": [{"name": s.name, "action": s.action, "officer": s.officer, "opinion": s.opinion,
                       "start": s.started_at, "end": s.ended_at} for s in d.steps],
            "pauses": [{"reason": p.reason, "start": p.start, "end": p.end, "notice_no": p.notice_no} for p in d.pauses],
            "special": [{"kind": s.kind, "days": s.days, "approver": s.approver, "reason": s.reason, "result": s.result}
                        for s in d.specials],
            "promises": [{"id": p.id, "material": p.material, "due": p.due, "status": p.status} for p in d.promises],
            "tasks": [{"id": t.id, "name": t.name, "owner": t.owner, "due": t.due, "done_on": t.done_on} for t in d.tasks],
            "slowest_task": d.slowest.name if d.slowest else None,
            "timeline": [{"date": a, "kind": b, "text": t} for a, b, t in d.timeline]}


@router.post("/cases/{case_no}/actions")
def case_action(case_no: str, actor: StaffDep, db: SessionDep, today: TodayDep,
                body: Annotated[dict[str, Any], Body()] = {}) -> dict:  # noqa: B006
    """办理：``{"op": "accept" | "pause" | "resume" | "extend" | "decide" | …, 字段…}``。"""
    if not isinstance(body.get("op"), str):
        raise ValidationFailed(f"请求体应含 op：{'、'.join(actions.OPS)}")
    done = actions.act(db, actor, case_no, body["op"], {k: v for k, v in body.items() if k != "op"}, today)
    db.flush()
    return {"done": done, "case": case(case_no, actor, db, today)}


@router.get("/alerts")
def alerts(actor: StaffDep, db: SessionDep, today: TodayDep, department: Annotated[str, Query(max_length=20)] = "") -> list:
    return to_jsonable(open_alerts(db, today, department or None))


@router.get("/dashboard")
def dash(actor: StaffDep, db: SessionDep, today: TodayDep, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict:
    d = dashboard.dashboard(db, year or today.year)
    fig = lambda f: {"group": f.key, "label": f.label, "cases": f.cases, "on_time_pct": f.on_time_pct,  # noqa: E731
                     "avg_used": f.avg_used, "speedup_legal_pct": f.speedup_legal_pct,
                     "speedup_promised_pct": f.speedup_promised_pct, "instant_pct": f.instant_pct}
    return {"year": d.year, "by_month": [fig(f) for f in d.by_month], "by_matter": [fig(f) for f in d.by_matter],
            "total": fig(d.total), "bulletin": dashboard.bulletin(d)}


@router.get("/projects/{project_ref}/cases")
def project_cases(project_ref: str, actor: StaffDep, db: SessionDep, today: TodayDep) -> list:
    return to_jsonable(queries.cases_for_project(db, project_ref, today))


