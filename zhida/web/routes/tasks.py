"""Progress of long operations: a page that polls itself (htmx) until the task ends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhida.web.deps import SessionDep, StaffDep
from zhida.web.paging import Page
from zhida.web.tasks import get_task
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
ERRORS_PER_PAGE = 50


@router.get("/tasks/{task_id}")
def task_page(request: Request, task_id: str, actor: StaffDep, db: SessionDep,
              page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    task = get_task(db, task_id, actor)
    errors = (task.result or {}).get("errors", [])
    chunk = errors[(page - 1) * ERRORS_PER_PAGE: page * ERRORS_PER_PAGE]
    ctx = {"task": task, "errors": Page(chunk, len(errors), page, ERRORS_PER_PAGE),
           "error_count": (task.result or {}).get("error_count", len(errors))}
    name = "tasks/_status.html" if request.headers.get("hx-request") else "tasks/page.html"
    return render(request, name, ctx, actor=actor)
