"""REST API under /api/v1: JSON in and out, one error shape (``zhida.web.errors.ErrorBody``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhida.web import queries
from zhida.web.deps import ActorDep, OwnUnit, SessionDep, StaffDep
from zhida.web.errors import ErrorBody
from zhida.web.paging import PageDep
from zhida.web.schemas import DecisionPublic, MePublic, PagePublic, UnitPublic, page_public
from zhida.web.views import decisions_of

ERRORS = {code: {"model": ErrorBody} for code in (401, 403, 404, 422)}
router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.get("/me", tags=["账号"], summary="当前登录账号")
def me(actor: ActorDep) -> MePublic:
    return MePublic(username=actor.username, role=actor.role.value, role_label=actor.role.label, uscc=actor.uscc)


@router.get("/units", tags=["单位"], summary="按名称或统一社会信用代码查询单位")
def units(actor: StaffDep, db: SessionDep, paging: PageDep,
          q: Annotated[str, Query(max_length=100)] = "") -> PagePublic[UnitPublic]:
    return page_public(queries.search_units(db, q, paging), UnitPublic.model_validate)


@router.get("/units/{uscc}", tags=["单位"], summary="单位基本信息")
def unit(uscc: OwnUnit, actor: ActorDep, db: SessionDep) -> UnitPublic:
    return UnitPublic.model_validate(queries.get_unit(db, uscc))


@router.get("/units/{uscc}/decisions", tags=["单位"], summary="单位的全部政策判定及理由")
def unit_decisions(uscc: OwnUnit, db: SessionDep) -> list[DecisionPublic]:
    queries.get_unit(db, uscc)
    return [DecisionPublic(run_id=d.run_id, policy_id=d.policy_id, policy_name=d.policy_name, period=d.period,
                           status=d.status, status_label=d.status_label, amount_fen=d.amount_fen,
                           reasons=[{"text": r.text, "passed": r.passed} for r in d.reasons])
            for d in decisions_of(db, uscc)]
