"""单位: search units by name or code; one unit's page with every policy decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhida.registry.queries import units_stmt
from zhida.registry.service import get_unit
from zhida.web.deps import SessionDep, StaffDep
from zhida.web.listing import Filters, FiltersDep, link, sort_by, xlsx_response
from zhida.web.paging import PageDep, paginate
from zhida.web.templating import render
from zhida.web.views import decisions_of

router = APIRouter(include_in_schema=False)


# the sortable columns of ``registry.queries.units_stmt``
UNIT_SORTS = ("uscc", "name", "unit_type", "size_class", "township", "employees")
UNIT_HEADERS = ["统一社会信用代码", "单位名称", "单位类型", "行业门类", "行业代码", "企业规模", "乡镇街道", "从业人员"]


@router.get("/units")
def unit_list(request: Request, actor: StaffDep, db: SessionDep, paging: PageDep, f: FiltersDep,
              q: Annotated[str, Query(max_length=100)] = "",
              sort: Annotated[str, Query(max_length=20)] = "",
              export: Annotated[str, Query(pattern="^(|xlsx)$")] = "") -> Response:
    found = units_stmt(q)
    cols = found.selected_columns
    stmt = sort_by(f.apply(found, cols), sort, {k: cols[k] for k in UNIT_SORTS}, cols.uscc)
    if export:
        rows = ((u.uscc, u.name, u.unit_type, u.industry_section, u.industry_code, u.size_class, u.township, u.employees)
                for u in db.execute(stmt))
        return xlsx_response("单位.xlsx", "单位", UNIT_HEADERS, rows)
    base = link("/units", q=q, **f.query())
    return render(request, "units/list.html", {"page": paginate(db, stmt, paging, scalars=False), "q": q, "f": f,
                                               "sort": sort, "base": base,
                                               "sorted_base": link("/units", q=q, sort=sort, **f.query()),
                                               "choices": Filters.choices()}, actor=actor)


@router.get("/units/{uscc}")
def unit_page(request: Request, uscc: str, actor: StaffDep, db: SessionDep) -> Response:
    unit = get_unit(db, uscc)
    return render(request, "units/detail.html",
                  {"unit": unit, "decisions": decisions_of(db, unit.uscc)}, actor=actor)
