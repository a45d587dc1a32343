"""REST API under /api/v1: JSON in and out, one error shape (``zhida.web.errors.ErrorBody``).

Authentication is the console's session cookie; a request that changes state must also send
the session's CSRF token in the ``X-CSRF-Token`` header.

Routes are ``def`` (run in the thread pool) except those that do no more than a few indexed
reads on the request's read connection — the hot read paths ``bench/web_bench.py`` measures —
and ``/me``: those are ``async def`` and save the hop to a worker thread.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zhida.delivery import service as delivery
from zhida.delivery.schemas import CycleView
from zhida.registry.queries import units_stmt
from zhida.registry.service import get_unit
from zhida.rules import service as rules
from zhida.web import reads
from zhida.web.deps import ActorDep, OwnUnit, ReadDep, SessionDep, StaffDep, TodayDep
from zhida.web.errors import ErrorBody
from zhida.web.paging import PageDep, paginate
from zhida.web.schemas import (
    AdvanceIn,
    DecisionPublic,
    EntitlementPublic,
    LegalBasisPublic,
    MePublic,
    PagePublic,
    PolicyPublic,
    UnitPublic,
    page_public,
)

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", responses=ERRORS)
CycleId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/me", tags=["账号"], summary="当前登录账号")
async def me(actor: ActorDep) -> MePublic:
    return MePublic(username=actor.username, role=actor.role.value, role_label=actor.role.label, uscc=actor.uscc)


@router.get("/units", tags=["单位"], summary="按名称或统一社会信用代码查询单位", response_model=PagePublic[UnitPublic])
def units(actor: StaffDep, db: SessionDep, paging: PageDep,
          q: Annotated[str, Query(max_length=100)] = "") -> dict[str, Any]:
    return page_public(paginate(db, units_stmt(q), paging, scalars=False), UnitPublic.model_validate)


@router.get("/units/{uscc}", tags=["单位"], summary="单位基本信息")
def unit(uscc: OwnUnit, db: SessionDep) -> UnitPublic:
    return UnitPublic.model_validate(get_unit(db, uscc))


@router.get("/units/{uscc}/decisions", tags=["单位"], summary="单位在各政策最新测算中的判定及理由",
            response_model=list[DecisionPublic])
async def unit_decisions(uscc: OwnUnit, read: ReadDep) -> Response:
    # 404 for an unknown unit, [] for a known one without decisions
    return reads.json_response(reads.unit_decisions(read, uscc))


@router.get("/policies", tags=["政策"], summary="政策及其依据")
def policies(actor: StaffDep) -> list[PolicyPublic]:
    return [PolicyPublic(id=p.id, name=p.name, description=p.description, period_type=p.period_type,
                         legal_basis=[LegalBasisPublic(title=b.title, doc_no=b.doc_no, article=b.article)
                                      for b in p.legal_basis])
            for p in rules.list_policies()]


@router.get("/cycles", tags=["发放批次"], summary="发放批次（最新在前）")
def cycles(actor: StaffDep, db: SessionDep,
           limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[CycleView]:
    return delivery.list_cycles(db, limit=limit)


@router.get("/cycles/{cycle_id}", tags=["发放批次"], summary="一个发放批次的状态、确认与款项情况")
def cycle(cycle_id: CycleId, actor: StaffDep, db: SessionDep) -> CycleView:
    return delivery.show(db, cycle_id)


@router.get("/cycles/{cycle_id}/entitlements", tags=["发放批次"], summary="发放名单（分页）",
            response_model=PagePublic[EntitlementPublic])
async def entitlements(request: Request, cycle_id: CycleId, actor: StaffDep, read: ReadDep,
                       paging: PageDep) -> Response:
    index = request.app.state.page_index
    if not index.knows(cycle_id, paging.size):  # once per cycle and page size: a window query over the cycle
        await run_in_threadpool(reads.index_pages, read, index, cycle_id, paging.size)
    return reads.json_response(reads.entitlement_page(read, index, cycle_id, paging.page, paging.size))


@router.post("/cycles/{cycle_id}/advance", tags=["发放批次"], summary="推进发放批次（角色由服务端按环节检查）")
def advance(cycle_id: CycleId, body: AdvanceIn, actor: StaffDep, db: SessionDep, today: TodayDep) -> CycleView:
    delivery.advance(db, actor, cycle_id, body.to or None, today=today, note=body.note,
                     expect=body.from_state or None)
    db.flush()
    return delivery.show(db, cycle_id)
