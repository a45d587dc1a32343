"""就业服务: post a job, search jobs, match seekers to a job, and the job fairs.
Matching and validation are zhida.jobs'; these routes only translate the forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhida.jobs import fairs
from zhida.jobs import service as jobs
from zhida.jobs.imports import JOBS
from zhida.web.deps import FormDep, OperatorDep, SessionDep, StaffDep, flash
from zhida.web.listing import xlsx_response
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/jobs")
def job_search(request: Request, actor: StaffDep, db: SessionDep, q: Annotated[str, Query(max_length=100)] = "",
               township: Annotated[str, Query(max_length=50)] = "") -> Response:
    found = jobs.search_jobs(db, q, township=township or None, limit=100)
    return render(request, "jobs/index.html", {"jobs": found, "q": q, "township": township,
                                               "columns": JOBS.columns, "fairs": fairs.list_fairs(db)}, actor=actor)


@router.post("/jobs")
def job_post(request: Request, actor: OperatorDep, db: SessionDep, form: FormDep) -> Response:
    """Post a job (validated and coded to an occupation by ``jobs.post_job``, in the thread pool)."""
    fields: dict[str, object] = {c.header: str(form.get(c.header) or "").strip() for c in JOBS.columns}
    job = jobs.post_job(db, fields, actor)
    flash(request, f"岗位已发布：{job.title}（编号 {job.job_no}）")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, actor: StaffDep, db: SessionDep,
             export: Annotated[str, Query(pattern="^(|xlsx)$")] = "") -> Response:
    job = jobs.get_job(db, job_id)
    matches = jobs.seeker_match_views(db, jobs.match_seekers_for_job(db, job.id, top=20))
    if export:
        rows = ((i, m.label, f"{m.score:.2f}", m.explanation) for i, m in enumerate(matches, start=1))
        return xlsx_response(f"岗位{job.job_no}匹配求职者.xlsx", "匹配求职者", ["名次", "求职者", "匹配得分", "匹配理由"], rows)
    return render(request, "jobs/detail.html", {"job": jobs.job_view(job), "matches": matches}, actor=actor)
