"""REST API of the loans programme under ``/api/v1/loans`` (JSON; the console's one error shape).

Reads honour the bank scope (the fund's status is refused to a bank) and the statistics are
人社局's, as on the console pages; the one write (advance an application) takes the CSRF header
like every unsafe request of the console. The book's reads are short indexed reads and run on
the event loop, as the console's own read paths do (a worker thread per request costs more).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from zhida.errors import PermissionDenied
from zhida.loans import fund, queries
from zhida.loans.applications import get_application
from zhida.loans.calculator import calculate
from zhida.loans.deps import ReadSessionDep
from zhida.loans.process import APPLICATION
from zhida.loans.reports import year_report
from zhida.loans.roles import BANK, FINANCE, GUARANTOR, bank_of, require_bank
from zhida.roles import Actor, Role
from zhida.web.deps import SessionDep, TodayDep, requires
from zhida.web.reads import json_response

LOAN_ROLES = (Role.OPERATOR, Role.REVIEWER, Role.LEADER, GUARANTOR, BANK, FINANCE)
REPORT_ROLES = (Role.OPERATOR, Role.REVIEWER, Role.LEADER)  # 贷款统计: 人社局 only, on the page as in the API
ApiActor = Annotated[Actor, Depends(requires(*LOAN_ROLES, action="访问创业担保贷款"))]
router = APIRouter(prefix="/api/v1/loans", tags=["创业担保贷款"])
SIZE = 50


def _page(rows: list[queries.Row], total: int, page: int) -> Response:
    return json_response({"items": queries.as_dicts(rows), "total": total, "page": page, "size": SIZE})


@router.get("/applications")
def api_applications(actor: ApiActor, db: ReadSessionDep, state: Annotated[str, Query(max_length=10)] = "",
                     page: Annotated[int, Query(ge=1, le=100000)] = 1) -> Response:
    rows, total = queries.list_applications(db, state=state or None, bank=bank_of(db, actor), limit=SIZE,
                                            offset=(page - 1) * SIZE)
    return _page(rows, total, page)


@router.get("/applications/{number}")
def api_application(number: str, actor: ApiActor, db: ReadSessionDep) -> dict:
    app = get_application(db, number)
    require_bank(db, actor, app.bank_code)
    return dataclasses.asdict(queries.application_view(db, app.id))


class Advance(BaseModel):
    to: str = Field(max_length=10, description="目标状态，如 待担保审核")
    comment: str = Field("", max_length=500)


@router.post("/applications/{number}/advance")
def api_advance(number: str, body: Advance, actor: ApiActor, db: SessionDep, today: TodayDep) -> dict:
    app = get_application(db, number)
    APPLICATION.fire(db, app, body.to, actor, comment=body.comment, on=today)
    return dataclasses.asdict(queries.application_view(db, app.id))


@router.get("/loans")
async def api_loans(actor: ApiActor, db: ReadSessionDep, state: Annotated[str, Query(max_length=6)] = "",
              year: Annotated[int | None, Query(ge=2000, le=2100, title="放款年度")] = None,
              page: Annotated[int, Query(ge=1, le=100000)] = 1) -> Response:
    rows, total = queries.list_loans(db, state=state or None, bank=bank_of(db, actor), year=year, limit=SIZE,
                                     offset=(page - 1) * SIZE)
    return _page(rows, total, page)


@router.get("/loans/{number}")
async def api_loan(number: str, actor: ApiActor, db: ReadSessionDep, today: TodayDep) -> Response:
    view = queries.loan_view(db, number, today)
    require_bank(db, actor, view.bank_code)
    return json_response({**view.__dict__, "history": [e.__dict__ for e in view.history]})


@router.get("/schedule")
def api_schedule(actor: ApiActor, principal: Annotated[str, Query(max_length=30, title="本金（元）")],
                 rate: Annotated[str, Query(max_length=12, title="合同年利率")],
                 lpr: Annotated[str, Query(max_length=12, title="签约时 1 年期 LPR")],
                 start: Annotated[str, Query(max_length=10, title="放款日")],
                 months: Annotated[int, Query(ge=1, le=120, title="期限（月）")],
                 repayment: Annotated[str, Query(max_length=20, title="还款方式")] = "interest-quarterly",
                 formula: Annotated[str, Query(max_length=12, title="贴息方式")] = "lpr-150bp",
                 day_count: Annotated[str, Query(max_length=8, title="计息基准")] = "act/360") -> dict:
    """The schedule calculator (``zhida.loans.calculator``): principal in 元, rates as ``3.5%``,
    start ``YYYY-MM-DD``, term in months; every amount of the answer in 元 with two decimals."""
    return dataclasses.asdict(calculate(principal, rate, lpr, start, months, repayment, formula, day_count))


@router.get("/claims")
def api_claims(actor: ApiActor, db: ReadSessionDep) -> dict:
    return {"items": [dataclasses.asdict(c) for c in queries.list_claims(db, bank_of(db, actor))]}


@router.get("/fund")
def api_fund(actor: ApiActor, db: ReadSessionDep, today: TodayDep) -> dict:
    """The fund's balance and leverage and every bank's payout rate: the guarantee agency's and
    人社局's. A 银行 account is refused; it sees its own loans' payouts on the console page."""
    if bank_of(db, actor) is not None:
        raise PermissionDenied("担保基金余额、放大倍数和各银行代偿率不向经办银行开放；本行的代偿请在「代偿与担保基金」页查看")
    s = fund.status(db, today)
    out = dataclasses.asdict(s)
    out["leverage"] = None if s.leverage is None else str(s.leverage)
    out["payout_rates"] = [{**dataclasses.asdict(r), "rate": None if r.rate is None else str(r.rate)}
                           for r in fund.payout_rates(db, today.year)]
    return out


@router.get("/reports/{year}")
def api_report(year: Annotated[int, Path(ge=2000, le=2100, description="年度")], actor: ApiActor,
               db: ReadSessionDep) -> dict:
    actor.require(*REPORT_ROLES, action="查看贷款统计")
    r = year_report(db, year)
    return {**dataclasses.asdict(r), "average_fen": r.average_fen, "bulletin": r.bulletin(), "progress": r.progress()}
