"""政策: list and read policies with their citations, run one, its test cases, a what-if."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from zhida.db import session_scope
from zhida.errors import ValidationFailed
from zhida.rules import service as rules
from zhida.rules.models import PolicyResult, PolicyRun
from zhida.rules.period import Period
from zhida.web.deps import EngineDep, OperatorDep, SessionDep, StaffDep
from zhida.web.paging import PageDep, paginate
from zhida.web.tasks import Reporter, start_task
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
STATUSES = {"eligible": "符合", "ineligible": "不符合", "undetermined": "待定"}


@router.get("/policies")
def policy_list(request: Request, actor: StaffDep, db: SessionDep) -> Response:
    runs = db.scalars(select(PolicyRun).order_by(PolicyRun.id.desc()).limit(20)).all()
    return render(request, "policies/list.html", {"policies": rules.list_policies(), "runs": runs}, actor=actor)


@router.get("/policies/{policy_id}")
def policy_page(request: Request, policy_id: str, actor: StaffDep, db: SessionDep) -> Response:
    policy = rules.get_policy(policy_id)
    runs = db.scalars(select(PolicyRun).where(PolicyRun.policy_id == policy.id)
                      .order_by(PolicyRun.id.desc()).limit(10)).all()
    return render(request, "policies/detail.html", {"policy": policy, "runs": runs,
                                                    "default_period": default_period(policy)}, actor=actor)


def default_period(policy) -> str:
    today = dt.date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}" if policy.period_type == "quarter" else str(today.year)


@router.post("/policies/{policy_id}/run")
def run(request: Request, policy_id: str, actor: OperatorDep, engine: EngineDep,
        period: Annotated[str, Form(max_length=10)]) -> Response:
    policy = rules.get_policy(policy_id)

    def job(rep: Reporter):
        rep.step("读取数据并计算")
        with session_scope(engine) as session:
            stored = rules.run_policy(session, policy.id, period.strip())
            session.flush()
            return rules.summarise_run(stored, session), {"run_id": stored.id}

    task_id = start_task(engine, "policy_run", f"计算{policy.name}（{period}）", actor, job)
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.get("/policies/{policy_id}/tests")
def tests(request: Request, policy_id: str, actor: StaffDep) -> Response:
    policy = rules.get_policy(policy_id)
    results = rules.test_policy(policy.id)
    return render(request, "policies/tests.html", {"policy": policy, "results": results,
                                                   "failed": sum(not r.passed for r in results)}, actor=actor)


def parse_overrides(policy, form: dict[str, str]) -> dict[str, str]:
    """The what-if values a clerk typed (``p.<name>`` fields); empty ones keep the baseline."""
    out = {}
    for name in policy.parameters:
        value = (form.get(f"p.{name}") or "").strip()
        if value:
            out[name] = value
    if not out:
        raise ValidationFailed("请至少修改一个参数再模拟")
    return out


@router.post("/policies/{policy_id}/whatif")
async def whatif(request: Request, policy_id: str, actor: StaffDep, db: SessionDep) -> Response:
    policy = rules.get_policy(policy_id)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    overrides = parse_overrides(policy, form)
    period = (form.get("period") or default_period(policy)).strip()
    result = rules.simulate(db, policy.id, period, overrides)
    changes = list(result.changes.head(200).iter_rows(named=True))
    return render(request, "policies/whatif.html", {"policy": policy, "result": result, "period": period,
                                                    "changes": changes, "statuses": STATUSES}, actor=actor)


@router.get("/policies/runs/{run_id}")
def run_page(request: Request, run_id: int, actor: StaffDep, db: SessionDep, paging: PageDep,
             status: Annotated[str, Query(pattern="^(|eligible|ineligible|undetermined)$")] = "",
             q: Annotated[str, Query(max_length=100)] = "") -> Response:
    stored = rules.get_run(db, run_id)
    stmt = select(PolicyResult).where(PolicyResult.run_id == run_id).order_by(PolicyResult.uscc)
    if status:
        stmt = stmt.where(PolicyResult.status == status)
    if q.strip():
        stmt = stmt.where(PolicyResult.name.contains(q.strip(), autoescape=True)
                          | PolicyResult.uscc.startswith(q.strip().upper(), autoescape=True))
    page = paginate(db, stmt, paging)
    return render(request, "policies/run.html", {
        "run": stored, "summary": rules.summarise_run(stored, db), "page": page, "status": status, "q": q,
        "statuses": STATUSES, "period_label": Period.parse(stored.period).chinese(),
        "base": f"/policies/runs/{run_id}?status={status}&q={q}"}, actor=actor)


@router.get("/policies/runs/{run_id}/units/{uscc}")
def explanation(request: Request, run_id: int, uscc: str, actor: StaffDep, db: SessionDep) -> Response:
    stored = rules.get_run(db, run_id)
    ex = rules.explain(db, stored.policy_id, uscc, stored.period, as_of=stored.as_of)
    return render(request, "policies/explain.html", {"run": stored, "ex": ex, "statuses": STATUSES}, actor=actor)
