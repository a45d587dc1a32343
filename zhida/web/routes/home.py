"""首页 and the 领导 view: one year's (``/?year=``) cycles, amounts, units, jobs kept; charts by township and size class."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from zhida.roles import Role
from zhida.web import dashboard
from zhida.web.deps import ActorDep, SessionDep
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, actor: ActorDep, db: SessionDep,
         year: int | None = Query(None, ge=2000, le=2100, description="年度")) -> Response:
    if actor.role == Role.UNIT:
        return RedirectResponse("/portal", status_code=303)
    year = year or dashboard.default_year(db)
    choices = sorted({*dashboard.years(db), year, dt.date.today().year}, reverse=True)
    cycles = dashboard.year_cycles(db, year)
    return render(request, "home.html", {"year": year, "years": choices, "cycles": cycles,
                                         "summary": dashboard.summary(db, cycles),
                                         "charts": dashboard.charts(db, cycles)}, actor=actor)


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict:
    return {"status": "ok"}
