"""首页: this year's cycles, amounts, units, jobs kept; charts by township and size class."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from zhida.roles import Role
from zhida.web import dashboard
from zhida.web.deps import ActorDep, SessionDep
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, actor: ActorDep, db: SessionDep) -> Response:
    if actor.role == Role.UNIT:
        return RedirectResponse("/portal", status_code=303)
    year = dt.date.today().year
    cycles = dashboard.year_cycles(db, year)
    return render(request, "home.html", {"year": year, "cycles": cycles,
                                         "summary": dashboard.summary(db, cycles),
                                         "charts": dashboard.charts(db, cycles)}, actor=actor)


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict:
    return {"status": "ok"}
