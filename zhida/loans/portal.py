"""The applicants' portal (借款人门户): log in with 身份证号 + SMS code, apply online, follow
one's own applications. The applicant is held in the session under its own key (not a
console account); every page reads only the logged-in person's rows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from zhida.db import session_scope
from zhida.errors import ValidationFailed, ZhidaError
from zhida.loans import portal_auth, queries
from zhida.loans.applications import submit
from zhida.loans.forms import comment_of, form_fields, individual_application
from zhida.loans.models import Applicant
from zhida.loans.roles import APPLICANT
from zhida.roles import Actor
from zhida.web.deps import FormDep, SessionDep, TodayDep, flash
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
KEY = "loan_applicant"
LOGIN = "/loans/portal/login"


def applicant_of(request: Request) -> Actor | None:
    number = request.session.get(KEY)
    return Actor(number, APPLICANT) if number else None


@router.get(LOGIN)
def login_form(request: Request) -> Response:
    return render(request, "loans/portal_login.html", {"error": None, "sent": None, "id_number": ""})


@router.post("/loans/portal/code")
def send_code(request: Request, db: SessionDep, id_number: Annotated[str, Form(max_length=20)],
              phone: Annotated[str, Form(max_length=20)] = "") -> Response:
    try:
        masked = portal_auth.issue(db, request.app.state.settings.secret_key, id_number.strip(), phone.strip())
    except ZhidaError as err:
        db.rollback()
        return render(request, "loans/portal_login.html", {"error": err.message, "sent": None, "id_number": id_number},
                      status_code=422)
    return render(request, "loans/portal_login.html", {"error": None, "sent": masked, "id_number": id_number})


@router.post(LOGIN)
def login(request: Request, id_number: Annotated[str, Form(max_length=20)],
          code: Annotated[str, Form(max_length=10)]) -> Response:
    with session_scope(request.app.state.engine) as db:
        actor = portal_auth.verify(db, request.app.state.settings.secret_key, id_number.strip(), code)
    if actor is None:
        return render(request, "loans/portal_login.html",
                      {"error": portal_auth.REFUSED, "sent": None, "id_number": id_number}, status_code=401)
    request.session.clear()
    request.session[KEY] = actor.username
    return RedirectResponse("/loans/portal", status_code=303)


@router.post("/loans/portal/logout")
def logout(request: Request) -> Response:
    request.session.pop(KEY, None)
    return RedirectResponse(LOGIN, status_code=303)


@router.get("/loans/portal")
def home(request: Request, db: SessionDep) -> Response:
    actor = applicant_of(request)
    if actor is None:
        return RedirectResponse(LOGIN, status_code=303)
    me = db.scalars(select(Applicant).where(Applicant.id_number == actor.username)).first()
    rows, _ = queries.list_applications(db, applicant_id_number=actor.username, limit=50)
    views = [queries.application_view(db, r.id) for r in rows]
    return render(request, "loans/portal_home.html", {"me": me, "apps": views, "banks": queries.banks(db),
                                                      "error": None, "form": {}, "who": actor.username})


@router.post("/loans/portal/apply")
def apply(request: Request, db: SessionDep, today: TodayDep, posted: FormDep) -> Response:
    actor = applicant_of(request)
    if actor is None:
        return RedirectResponse(LOGIN, status_code=303)
    form = form_fields(posted)
    try:
        app = submit(db, actor, individual_application(form, actor.username, "网上", today))
    except ValidationFailed as err:
        db.rollback()
        rows, _ = queries.list_applications(db, applicant_id_number=actor.username, limit=50)
        return render(request, "loans/portal_home.html",
                      {"me": None, "apps": [queries.application_view(db, r.id) for r in rows], "banks": queries.banks(db),
                       "error": err.message, "form": form, "who": actor.username}, status_code=422)
    flash(request, f"申请已提交，编号 {app.number}，请留意短信通知")
    return RedirectResponse("/loans/portal", status_code=303)


@router.post("/loans/portal/resubmit/{number}")
def resubmit(request: Request, number: str, db: SessionDep, today: TodayDep, posted: FormDep) -> Response:
    """补正后重新提交: the applicant's own application returned for correction goes back to 待初审
    with the 补正说明 and any corrected values (``zhida.loans.corrections.CORRECTABLE``)."""
    from zhida.loans.applications import get_application
    from zhida.loans.corrections import CORRECTABLE
    from zhida.loans.process import APPLICATION, AppState

    actor = applicant_of(request)
    if actor is None:
        return RedirectResponse(LOGIN, status_code=303)
    changes = {k: str(posted.get(k) or "") for k in CORRECTABLE}
    APPLICATION.fire(db, get_application(db, number), AppState.SUBMITTED, actor, on=today,
                     comment=comment_of(posted, "note", "补正说明", required=True), changes=changes)
    flash(request, f"申请 {number} 已重新提交")
    return RedirectResponse("/loans/portal", status_code=303)
