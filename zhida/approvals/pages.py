"""行政审批 pages: 我的待办, 事项, 受理, 办件详情 (with the clock's timeline), 预警, 统计, the
applicant's own view (unit accounts), and the REST API under /api/v1/approvals (``api.py``).

Routes only translate forms; rules live in the services. A refused action comes back to the
case page with the Chinese reason; a refusal of who may act is a 403 like everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from zhida.approvals import actions, dashboard, matters, queries
from zhida.approvals.alerts import daily_list, open_alerts
from zhida.approvals.api import router as api_router
from zhida.approvals.cases import Application, open_guidance, receive
from zhida.approvals.seed import DEPARTMENTS
from zhida.errors import CalendarMissing, StateError, ValidationFailed, ZhidaError
from zhida.roles import Actor, Role
from zhida.web.deps import FormDep, OperatorDep, SessionDep, StaffDep, TodayDep, UnitActorDep, flash, requires
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
router.routes.extend(api_router.routes)
NAV = [("/approvals", "行政审批", None), ("/approvals/my", "审批办件", (Role.UNIT,))]
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=4000)]
EditorDep = Annotated[Actor, Depends(requires(Role.OPERATOR, Role.LEADER, action="维护审批事项"))]
LeaderDep = Annotated[Actor, Depends(requires(Role.LEADER, action="维护科室人员"))]
REFUSED = (ValidationFailed, StateError, CalendarMissing)


def _attempt(request: Request, db: Session, back: str, work: Callable[[], str | tuple[str, str]],
             refused: tuple[type[ZhidaError], ...] = REFUSED) -> RedirectResponse:
    """Run ``work`` and redirect (303) to ``back`` with the message it returns flashed, or to the
    URL it returns with it (``(message, url)``). A refusal (``refused``) is rolled back and its
    Chinese reason flashed as an error, back at ``back``."""
    try:
        done = work()
    except refused as err:
        db.rollback()
        flash(request, err.message, "error")
        return RedirectResponse(back, status_code=303)
    message, url = (done, back) if isinstance(done, str) else done
    flash(request, message)
    return RedirectResponse(url, status_code=303)


@router.get("/approvals")
def todo(request: Request, actor: StaffDep, db: SessionDep, today: TodayDep) -> Response:
    return render(request, "approvals/todo.html", {"todo": queries.my_todo(db, actor.username, today), "today": today},
                  actor=actor)


@router.get("/approvals/matters")
def matters_page(request: Request, actor: StaffDep, db: SessionDep) -> Response:
    return render(request, "approvals/matters.html", {
        "matters": matters.list_matters(db), "departments": queries.departments(db), "staff": queries.staff(db),
        "share": matters.yellow_share(db)}, actor=actor)


@router.post("/approvals/matters")
def matter_save(request: Request, actor: EditorDep, db: SessionDep, code: Short, name: Short,
                legal_days: Annotated[int, Form(ge=0, le=365)], promised_days: Annotated[int, Form(ge=0, le=365)],
                departments: Short, stages: Short, main_materials: Long, secondary_materials: Long = "",
                basis: Short = "", fee_yuan: Short = "0",
                flags: Annotated[list[str], Form()] = []) -> Response:  # noqa: B006
    from zhida.money import parse_yuan

    def save() -> str:
        try:
            fee = parse_yuan(fee_yuan.strip() or "0")
        except ValueError as exc:
            raise ValidationFailed(f"收费「{fee_yuan}」不是金额：{exc}") from None
        m = matters.save_matter(db, actor, matters.MatterForm(
            code, name, legal_days, promised_days, departments, stages, main_materials, secondary_materials or None,
            "instant" in flags, "joint" in flags, "site" in flags, "expert" in flags, "promise" in flags,
            "tolerance" in flags, fee, basis or None, "local" in flags))
        return f"已保存事项：{m.name}"

    return _attempt(request, db, "/approvals/matters", save, (ValidationFailed,))


@router.post("/approvals/staff")
def staff_save(request: Request, actor: LeaderDep, db: SessionDep, username: Short, name: Short, department: Short,
               roles: Annotated[list[str], Form()] = []) -> Response:  # noqa: B006
    def save() -> str:
        matters.save_staff(db, actor, username.strip(), name.strip(), department.strip(),
                           is_head="head" in roles, is_helper="helper" in roles)
        return f"已登记 {name}（{department}）"

    return _attempt(request, db, "/approvals/matters", save, (ValidationFailed,))


@router.get("/approvals/new")
def new_case(request: Request, actor: OperatorDep, db: SessionDep, today: TodayDep) -> Response:
    helpers = queries.staff(db, helpers_only=True)
    return render(request, "approvals/new.html", {"matters": [m for m in matters.list_matters(db) if m.active],
                                                  "helpers": helpers, "today": today}, actor=actor)


@router.post("/approvals/cases")
def case_create(request: Request, actor: OperatorDep, db: SessionDep, today: TodayDep, matter_code: Short,
                applicant_kind: Short, applicant_id: Short, applicant_name: Short = "", phone: Short = "",
                received_on: Short = "", project_ref: Short = "", helper: Short = "", green: Short = "",
                proxy_authorisation: Short = "", guidance: Short = "") -> Response:
    def create() -> tuple[str, str]:
        a = Application(matter_code, applicant_kind, applicant_id, applicant_name, phone or None, project_ref or None,
                        bool(green) or bool(project_ref), helper or None, bool(proxy_authorisation),
                        proxy_authorisation or None)
        on = actions.form_date({"d": received_on}, "d", "收件日期", today)
        c = open_guidance(db, actor, a, on) if guidance else receive(db, actor, a, on)
        return f"已{'登记提前介入' if guidance else '收件'}：{c.case_no}", f"/approvals/cases/{c.case_no}"

    return _attempt(request, db, "/approvals/new", create)


@router.get("/approvals/cases/{case_no}")
def case_page(request: Request, case_no: str, actor: StaffDep, db: SessionDep, today: TodayDep) -> Response:
    from zhida.approvals.states import CASE

    d = queries.case_detail(db, case_no, today)
    return render(request, "approvals/case.html", {"d": d, "today": today, "c": d.case,
                                                   "moves": [t.action for t in CASE.available(d.case.state, actor)]},
                  actor=actor)


@router.post("/approvals/cases/{case_no}/act")
def case_act(request: Request, case_no: str, actor: StaffDep, db: SessionDep, today: TodayDep, form: FormDep) -> Response:
    return _attempt(request, db, f"/approvals/cases/{case_no}",
                    lambda: f"已办理：{actions.act(db, actor, case_no, str(form.get('op') or ''), form, today)}")


@router.post("/approvals/tasks/{task_id}/done")
def task_done(request: Request, task_id: int, actor: StaffDep, db: SessionDep, today: TodayDep, form: FormDep) -> Response:
    case_no = queries.case_no_of_task(db, task_id)
    return _attempt(request, db, f"/approvals/cases/{case_no}",
                    lambda: f"任务「{actions.finish_task(db, actor, task_id, form, today)}」已办结")


@router.post("/approvals/promises/{promise_id}/delivered")
def promise_done(request: Request, promise_id: int, actor: OperatorDep, db: SessionDep, today: TodayDep,
                 form: FormDep) -> Response:
    case_no = queries.case_no_of_promise(db, promise_id)
    return _attempt(request, db, f"/approvals/cases/{case_no}",
                    lambda: f"已登记补交：{actions.deliver_item(db, actor, promise_id, form, today)}")


@router.get("/approvals/alerts")
def alerts_page(request: Request, actor: StaffDep, db: SessionDep, today: TodayDep,
                department: Annotated[str, Query(max_length=20)] = "") -> Response:
    ctx = {"today": today, "department": department, "departments": DEPARTMENTS, "problem": None, "rows": [], "daily": {}}
    try:
        ctx["rows"] = open_alerts(db, today, department or None, ("黄色", "红色", "逾期"))
        ctx["daily"] = daily_list(db, today)
    except CalendarMissing as err:
        ctx["problem"] = err.message
    return render(request, "approvals/alerts.html", ctx, actor=actor)


def _period(today, year: int | None, months: str) -> tuple[int, tuple[int, int]]:
    try:
        lo, hi = (int(x) for x in (months or f"1-{today.month}").split("-"))
        if not 1 <= lo <= hi <= 12:
            raise ValueError
    except ValueError:
        raise ValidationFailed(f"月份范围 {months!r} 不对：应为 1-12 这样的起止月份") from None
    return year or today.year, (lo, hi)


@router.get("/approvals/stats")
def stats_page(request: Request, actor: StaffDep, db: SessionDep, today: TodayDep,
               year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
               months: Annotated[str, Query(max_length=5)] = "") -> Response:
    y, span = _period(today, year, months)
    d = dashboard.dashboard(db, y, span)
    return render(request, "approvals/stats.html", {"d": d, "charts": dashboard.charts(d), "bulletin": dashboard.bulletin(d),
                                                    "months": f"{span[0]}-{span[1]}"}, actor=actor)


@router.get("/approvals/stats.xlsx")
def stats_export(actor: StaffDep, db: SessionDep, today: TodayDep, year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                 months: Annotated[str, Query(max_length=5)] = "") -> Response:
    y, span = _period(today, year, months)
    body = dashboard.to_xlsx(dashboard.dashboard(db, y, span))
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=approvals-{y}.xlsx"})


@router.get("/approvals/my")
def applicant_page(request: Request, actor: UnitActorDep, db: SessionDep, today: TodayDep) -> Response:
    return render(request, "approvals/my.html", {"rows": queries.applicant_view(db, actor.uscc or "", today)}, actor=actor)


@router.post("/approvals/my/{case_no}/rate")
def applicant_rate(request: Request, case_no: str, actor: UnitActorDep, db: SessionDep, today: TodayDep,
                   rating: Short, comment: Long = "") -> Response:
    from zhida.approvals.progress import evaluate

    def rate() -> str:
        evaluate(db, actor, case_no, rating, comment, today)
        return "感谢您的评价"

    return _attempt(request, db, "/approvals/my", rate)
