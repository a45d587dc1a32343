"""审计: the append-only audit log, newest first, and the verification of its hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zhida.platform import audit
from zhida.platform.queries import AuditRow, audit_stmt
from zhida.roles import Actor, Role
from zhida.web.deps import SessionDep, requires
from zhida.web.paging import Page, PageDep, PageParams, paginate
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
AuditorDep = Annotated[Actor, Depends(requires(Role.REVIEWER, Role.LEADER, action="查看审计日志"))]


def audit_page(db: Session, entity: str, paging: PageParams) -> Page[AuditRow]:
    """One page of the audit log, newest first, of one kind of object when ``entity`` is given."""
    page = paginate(db, audit_stmt(entity), paging, scalars=False)
    return Page([AuditRow.of(m) for m in page.items], page.total, page.page, page.size)


@router.get("/audit")
def audit_log(request: Request, actor: AuditorDep, db: SessionDep, paging: PageDep,
              entity: Annotated[str, Query(max_length=40)] = "") -> Response:
    return render(request, "audit.html", {"page": audit_page(db, entity, paging), "entity": entity, "verified": None,
                                          "base": f"/audit?entity={entity}"}, actor=actor)


@router.get("/audit/verify")
def verify(request: Request, actor: AuditorDep, db: SessionDep, paging: PageDep) -> Response:
    result = audit.verify(db)
    return render(request, "audit.html", {"page": audit_page(db, "", paging), "entity": "", "verified": result,
                                          "base": "/audit?entity="}, actor=actor)
