"""政策: list and read policies with their citations, run one, its test cases, a what-if."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhida.db import session_scope
from zhida.errors import ValidationFailed
from zhida.money import format_yuan
from zhida.registry.queries import with_unit_type
from zhida.rules import service as rules
from zhida.rules.entities import entity
from zhida.rules.explain import open_reasons
from zhida.rules.jurisdiction import describe as describe_region
from zhida.rules.period import Period
from zhida.rules.queries import recent_runs, results_stmt
from zhida.web.deps import EngineDep, FormDep, OperatorDep, SessionDep, StaffDep, form_texts
from zhida.web.listing import Filters, FiltersDep, link, sort_by, xlsx_response
from zhida.web.paging import PageDep, paginate
from zhida.web.tasks import Reporter, start_task
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
STATUSES = {"eligible": "符合", "ineligible": "不符合", "undetermined": "待定"}


@router.get("/policies")
def policy_list(request: Request, actor: StaffDep, db: SessionDep) -> Response:
    runs = recent_runs(db, limit=20)
    return render(request, "policies/list.html", {"policies": rules.list_policies(), "runs": runs}, actor=actor)


@router.get("/policies/{policy_id}")
def policy_page(request: Request, policy_id: str, actor: StaffDep, db: SessionDep) -> Response:
    policy = rules.get_policy(policy_id)
    runs = recent_runs(db, limit=10, policy_id=policy.id)
    period = default_period(policy)
    return render(request, "policies/detail.html", {"policy": policy, "runs": runs, "default_period": period,
                                                    "default_as_of": policy.default_as_of(Period.parse(period)),
                                                    "judging": policy.judging.describe(),
                                                    "jurisdiction": describe_region(entity(policy.target), policy.jurisdiction)}, actor=actor)


def default_period(policy) -> str:
    today = dt.date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}" if policy.period_type == "quarter" else str(today.year)


def judging_date(policy, period: str, given: str) -> dt.date:
    """The 判定日期 of a web run: the one typed, else the policy's documented date for the period."""
    if given.strip():
        try:
            return dt.date.fromisoformat(given.strip())
        except ValueError:
            raise ValidationFailed(f"判定日期「{given}」格式不对：写 2025-06-30") from None
    return policy.default_as_of(Period.parse(period)) or dt.date.today()


@router.post("/policies/{policy_id}/run")
def run(request: Request, policy_id: str, actor: OperatorDep, engine: EngineDep,
        period: Annotated[str, Form(max_length=10)], as_of: Annotated[str, Form(max_length=10)] = "") -> Response:
    policy = rules.get_policy(policy_id)
    day = judging_date(policy, period, as_of)

    def job(rep: Reporter):
        rep.step("读取数据并计算")
        with session_scope(engine) as session:
            stored = rules.run_policy(session, policy.id, period.strip(), as_of=day)
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
def whatif(request: Request, policy_id: str, actor: StaffDep, db: SessionDep, posted: FormDep) -> Response:
    """A what-if run (the whole period evaluated twice): a sync route, so it runs in the thread pool."""
    policy = rules.get_policy(policy_id)
    form = form_texts(posted)
    overrides = parse_overrides(policy, form)
    period = (form.get("period") or default_period(policy)).strip()
    result = rules.simulate(db, policy.id, period, overrides)
    changes = list(result.changes.head(200).iter_rows(named=True))
    return render(request, "policies/whatif.html", {"policy": policy, "result": result, "period": period,
                                                    "changes": changes, "statuses": STATUSES}, actor=actor)


# sort key of the page → column of ``rules.queries.results_stmt``
RESULT_SORTS = {"uscc": "uscc", "name": "name", "size_class": "size_class", "township": "township",
                "status": "status", "amount": "amount_fen"}
RESULT_HEADERS = ["统一社会信用代码", "单位名称", "单位类型", "行业门类", "企业规模", "乡镇街道", "结论", "金额（元）", "不符合原因"]


@router.get("/policies/runs/{run_id}")
def run_page(request: Request, run_id: int, actor: StaffDep, db: SessionDep, paging: PageDep, f: FiltersDep,
             status: Annotated[str, Query(pattern="^(|eligible|ineligible|undetermined)$")] = "",
             q: Annotated[str, Query(max_length=100)] = "", sort: Annotated[str, Query(max_length=20)] = "",
             export: Annotated[str, Query(pattern="^(|xlsx)$")] = "") -> Response:
    stored = rules.get_run(db, run_id)
    results = results_stmt(run_id, status, q)
    cols = results.selected_columns
    stmt = with_unit_type(f.apply(results, cols), cols.uscc, f.unit_type)
    stmt = sort_by(stmt, sort, {k: cols[c] for k, c in RESULT_SORTS.items()}, cols.uscc)
    if export:
        rows = ((r.uscc, r.name, r.unit_type, r.industry_section, r.size_class, r.township, STATUSES[r.status],
                 format_yuan(r.amount_fen), "" if r.status == "eligible" else open_reasons(r.reasons))
                for r in db.execute(stmt))
        return xlsx_response(f"计算{run_id}结果.xlsx", f"计算{run_id}", RESULT_HEADERS, rows)
    page = paginate(db, stmt, paging, scalars=False)
    base = link(f"/policies/runs/{run_id}", status=status, q=q, **f.query())
    return render(request, "policies/run.html", {
        "run": stored, "summary": rules.summarise_run(stored, db), "page": page, "status": status, "q": q,
        "statuses": STATUSES, "period_label": Period.parse(stored.period).chinese(), "f": f, "sort": sort,
        "choices": Filters.choices(), "base": base,
        "sorted_base": link(f"/policies/runs/{run_id}", status=status, q=q, sort=sort, **f.query())}, actor=actor)


@router.get("/policies/runs/{run_id}/units/{uscc}")
def explanation(request: Request, run_id: int, uscc: str, actor: StaffDep, db: SessionDep) -> Response:
    stored = rules.get_run(db, run_id)
    ex = rules.explain(db, stored.policy_id, uscc, stored.period, as_of=stored.as_of)
    return render(request, "policies/explain.html", {"run": stored, "ex": ex, "statuses": STATUSES}, actor=actor)
