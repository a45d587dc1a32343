"""单位: search units by name or code; one unit's page with every policy decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhida.web import queries
from zhida.web.deps import SessionDep, StaffDep
from zhida.web.paging import PageDep
from zhida.web.templating import render
from zhida.web.views import decisions_of
from zhida.registry.service import get_unit

router = APIRouter(include_in_schema=False)


@router.get("/units")
def unit_list(request: Request, actor: StaffDep, db: SessionDep, paging: PageDep,
              q: Annotated[str, Query(max_length=100)] = "",
              township: Annotated[str, Query(max_length=50)] = "") -> Response:
    page = queries.search_units(db, q, paging, township or None)
    base = f"/units?q={q}&township={township}"
    return render(request, "units/list.html", {"page": page, "q": q, "township": township, "base": base,
                                               "townships": queries.townships(db)}, actor=actor)


@router.get("/units/{uscc}")
def unit_page(request: Request, uscc: str, actor: StaffDep, db: SessionDep) -> Response:
    unit = get_unit(db, uscc)
    return render(request, "units/detail.html",
                  {"unit": unit, "decisions": decisions_of(db, unit.uscc)}, actor=actor)
