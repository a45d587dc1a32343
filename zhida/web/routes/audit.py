"""审计: the append-only audit log, newest first, and the verification of its hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from zhida.platform import audit
from zhida.platform.models import AuditEntry
from zhida.roles import Actor, Role
from zhida.web.deps import SessionDep, requires
from zhida.web.paging import PageDep, paginate
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
AuditorDep = Annotated[Actor, Depends(requires(Role.REVIEWER, Role.LEADER, action="查看审计日志"))]


@router.get("/audit")
def audit_log(request: Request, actor: AuditorDep, db: SessionDep, paging: PageDep,
              entity: Annotated[str, Query(max_length=40)] = "") -> Response:
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    return render(request, "audit.html", {"page": paginate(db, stmt, paging), "entity": entity, "verified": None,
                                          "base": f"/audit?entity={entity}"}, actor=actor)


@router.get("/audit/verify")
def verify(request: Request, actor: AuditorDep, db: SessionDep, paging: PageDep) -> Response:
    result = audit.verify(db)
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc())
    return render(request, "audit.html", {"page": paginate(db, stmt, paging), "entity": "", "verified": result,
                                          "base": "/audit?entity="}, actor=actor)
