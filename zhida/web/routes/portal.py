"""单位门户: a unit sees only its own entitlements and decisions, confirms its account, objects.

The unit is always the logged-in account's own USCC: no route takes a unit code from the
request, so no request can reach another unit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from zhida.delivery import service as delivery
from zhida.delivery.models import Cycle, Entitlement, Objection
from zhida.web.deps import SessionDep, UnitActorDep, flash
from zhida.web.templating import render
from zhida.web.views import published_decisions_of
from zhida.registry.service import get_unit

router = APIRouter(include_in_schema=False)
VISIBLE = ("公示", "确认期", "待发放", "发放中", "已完成")


def own_entitlements(db, uscc: str) -> list[tuple[Entitlement, Cycle]]:
    """The unit's entitlements in cycles that have been published (never drafts or revoked ones)."""
    return list(db.execute(select(Entitlement, Cycle).join(Cycle, Cycle.id == Entitlement.cycle_id)
                           .where(Entitlement.uscc == uscc, Cycle.state.in_(VISIBLE))
                           .order_by(Cycle.id.desc())).all())


@router.get("/portal")
def portal(request: Request, actor: UnitActorDep, db: SessionDep) -> Response:
    unit = get_unit(db, actor.uscc)
    # only the unit's own objections: never one a member of the public or staff registered about it
    objections = db.scalars(select(Objection).where(Objection.uscc == actor.uscc, Objection.source == "单位",
                                                    Objection.raised_by == actor.username)
                            .order_by(Objection.id.desc())).all()
    return render(request, "portal/home.html", {"unit": unit, "entitlements": own_entitlements(db, actor.uscc),
                                                "decisions": published_decisions_of(db, actor.uscc, VISIBLE),
                                                "objections": objections}, actor=actor)


@router.post("/portal/confirm")
def confirm(request: Request, actor: UnitActorDep, db: SessionDep, cycle_id: Annotated[int, Form(ge=1)],
            action: Annotated[str, Form(pattern="^(confirm|correct|decline)$")],
            account_no: Annotated[str, Form(max_length=40)] = "", bank_name: Annotated[str, Form(max_length=100)] = "",
            account_name: Annotated[str, Form(max_length=200)] = "",
            name_exception: Annotated[str, Form(max_length=200)] = "") -> Response:
    if action == "correct":
        e = delivery.answer(db, actor, cycle_id, actor.uscc, account_no=account_no.strip() or None,
                            bank_name=bank_name.strip() or None, account_name=account_name.strip() or None,
                            name_exception=name_exception.strip() or None)
    else:
        e = delivery.answer(db, actor, cycle_id, actor.uscc, decline=action == "decline")
    db.commit()
    flash(request, f"已提交：{e.confirmation}（批次 #{cycle_id}）")
    return RedirectResponse("/portal", status_code=303)


@router.post("/portal/objections")
def object_(request: Request, actor: UnitActorDep, db: SessionDep, cycle_id: Annotated[int, Form(ge=1)],
            content: Annotated[str, Form(max_length=2000)]) -> Response:
    delivery.raise_objection(db, actor, cycle_id, actor.uscc, content)
    db.commit()
    flash(request, "异议已提交，经办人员会尽快处理并联系您")
    return RedirectResponse("/portal", status_code=303)
