"""单位门户: a unit sees only its own entitlements and decisions, confirms its account, objects.

The unit is always the logged-in account's own USCC: no route takes a unit code from the
request, so no request can reach another unit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhida.delivery import queries as delivery_queries
from zhida.delivery import service as delivery
from zhida.delivery.states import CycleState
from zhida.errors import PermissionDenied
from zhida.registry.service import get_unit
from zhida.roles import Actor
from zhida.web.deps import SessionDep, UnitActorDep, flash
from zhida.web.templating import render
from zhida.web.views import published_decisions_of

router = APIRouter(include_in_schema=False)
VISIBLE = (CycleState.PUBLICITY, CycleState.CONFIRMING, CycleState.READY, CycleState.PAYING, CycleState.DONE)


def own_uscc(actor: Actor) -> str:
    """The unit account's own code (``UnitActorDep`` lets only a unit account bound to one through)."""
    if actor.uscc is None:  # pragma: no cover - refused by UnitActorDep already
        raise PermissionDenied("单位门户只供绑定了统一社会信用代码的单位账号使用")
    return actor.uscc


@router.get("/portal")
def portal(request: Request, actor: UnitActorDep, db: SessionDep) -> Response:
    uscc = own_uscc(actor)
    unit = get_unit(db, uscc)
    return render(request, "portal/home.html", {
        "unit": unit,
        # only cycles that have been published (never drafts or revoked ones)
        "entitlements": delivery_queries.unit_entitlements(db, uscc, VISIBLE),
        "decisions": published_decisions_of(db, uscc, VISIBLE),
        # only the unit's own objections: never one a member of the public or staff registered about it
        "objections": delivery_queries.own_objections(db, uscc, actor.username)}, actor=actor)


@router.post("/portal/confirm")
def confirm(request: Request, actor: UnitActorDep, db: SessionDep, cycle_id: Annotated[int, Form(ge=1)],
            action: Annotated[str, Form(pattern="^(confirm|correct|decline)$")],
            account_no: Annotated[str, Form(max_length=40)] = "", bank_name: Annotated[str, Form(max_length=100)] = "",
            account_name: Annotated[str, Form(max_length=200)] = "",
            name_exception: Annotated[str, Form(max_length=200)] = "") -> Response:
    if action == "correct":
        e = delivery.answer(db, actor, cycle_id, own_uscc(actor), account_no=account_no.strip() or None,
                            bank_name=bank_name.strip() or None, account_name=account_name.strip() or None,
                            name_exception=name_exception.strip() or None)
    else:
        e = delivery.answer(db, actor, cycle_id, own_uscc(actor), decline=action == "decline")
    flash(request, f"已提交：{e.confirmation}（批次 #{cycle_id}）")
    return RedirectResponse("/portal", status_code=303)


@router.post("/portal/objections")
def object_(request: Request, actor: UnitActorDep, db: SessionDep, cycle_id: Annotated[int, Form(ge=1)],
            content: Annotated[str, Form(max_length=2000)]) -> Response:
    delivery.raise_objection(db, actor, cycle_id, own_uscc(actor), content)
    flash(request, "异议已提交，经办人员会尽快处理并联系您")
    return RedirectResponse("/portal", status_code=303)
