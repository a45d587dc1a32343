"""Console pages, applicants' portal and REST API of the loans programme.

Pages: 贷款申请 (list, counter form, detail with the steps this actor may take), 贷款台账
(list, loan with plan and repayments), 贴息 (claims), 代偿与担保基金, 统计. Every list
exports to Excel (``?format=xlsx``). JSON under ``/api/v1/loans``. The portal for individual
applicants is in ``zhida.loans.portal``. A 银行 account sees only its bank's rows.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from zhida import sheets
from zhida.errors import ValidationFailed
from zhida.loans import fund, queries, subsidy
from zhida.loans.api import REPORT_ROLES
from zhida.loans.api import router as api_router
from zhida.loans.applications import get_application, submit
from zhida.loans.deps import ReadSessionDep
from zhida.loans.forms import comment_of, form_fields, individual_application
from zhida.loans.portal import router as portal_router
from zhida.loans.process import APPLICATION, LOAN, AppState, LoanState
from zhida.loans.reports import year_report
from zhida.loans.roles import BANK, FINANCE, GUARANTOR, bank_of
from zhida.money import TYPED_YUAN
from zhida.roles import Actor, Role
from zhida.web.deps import FormDep, SessionDep, TodayDep, flash, requires
from zhida.web.templating import render

LOAN_ROLES = (Role.OPERATOR, Role.REVIEWER, Role.LEADER, GUARANTOR, BANK, FINANCE)
LoansActor = Annotated[Actor, Depends(requires(*LOAN_ROLES, action="访问创业担保贷款"))]
NAV = [("/loans/applications", "贷款申请", LOAN_ROLES), ("/loans/book", "贷款台账", LOAN_ROLES),
       ("/loans/claims", "贴息", (Role.OPERATOR, Role.LEADER, BANK, FINANCE)),
       ("/loans/fund", "代偿与担保基金", (Role.OPERATOR, Role.LEADER, GUARANTOR, BANK, FINANCE)),
       ("/loans/reports", "贷款统计", REPORT_ROLES)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT = re.compile("-?" + TYPED_YUAN.pattern, re.ASCII)  # an amount as the lists show it: 1234.50, -1,234.50
SIZE = 50

router = APIRouter(include_in_schema=False)
router.routes.extend([*api_router.routes, *portal_router.routes])  # flat: the access matrix walks route paths


def xlsx(name: str, headers: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """One sheet ``name`` with ``headers`` and ``rows``, every text a text cell (``zhida.sheets``);
    in a column headed in 元 (``…（元）``) an amount (``1234.50``) is a number cell shown
    ``#,##0.00``, so the sheet can add it up."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(name[:31])
    money = {i for i, h in enumerate(headers) if h.endswith("（元）")}
    sheets.append(ws, headers)
    for row in rows:
        ws.append([_amount(ws, v) if i in money else v for i, v in enumerate(sheets.xlsx_row(ws, row))])
    buf = io.BytesIO()
    wb.save(buf)
    return Response(buf.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}.xlsx"})


def _amount(ws: Any, value: Any) -> Any:
    """An amount text (two decimals, exact) as a number cell; anything else as given."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str) or not AMOUNT.fullmatch(value):
        return value
    cell = WriteOnlyCell(ws, value=Decimal(value.replace(",", "")))
    cell.number_format = "#,##0.00"
    return cell


@router.get("/loans/applications")
def applications(request: Request, actor: LoansActor, db: ReadSessionDep,
                 state: Annotated[str, Query(max_length=10)] = "", page: Annotated[int, Query(ge=1, le=100000)] = 1,
                 format: Annotated[str, Query(pattern="^(html|xlsx)$")] = "html") -> Response:
    bank = bank_of(db, actor)
    if format == "xlsx":
        return xlsx("贷款申请", ["编号", "借款人", "经办银行", "金额（元）", "状态", "申请日期", "渠道"],
                    ([r.number, r.name, r.bank, r.amount, r.state, r.day, r.extra]
                     for r in queries.all_applications(db, state=state or None, bank=bank)))
    rows, total = queries.list_applications(db, state=state or None, bank=bank, limit=SIZE, offset=(page - 1) * SIZE)
    return render(request, "loans/applications.html", {"rows": rows, "total": total, "page": page, "size": SIZE,
                                                       "state": state, "states": [s.value for s in AppState]}, actor=actor)


@router.get("/loans/applications/new")
def new_application(request: Request, actor: LoansActor, db: ReadSessionDep) -> Response:
    actor.require(Role.OPERATOR, action="窗口受理贷款申请")
    return render(request, "loans/new.html", {"banks": queries.banks(db), "error": None, "form": {}}, actor=actor)


@router.post("/loans/applications")
def create_application(request: Request, actor: LoansActor, db: SessionDep, today: TodayDep, posted: FormDep) -> Response:
    actor.require(Role.OPERATOR, action="窗口受理贷款申请")
    form = form_fields(posted)
    try:
        app = submit(db, actor, individual_application(form, form.get("id_number", ""), "窗口", today))
    except ValidationFailed as err:
        db.rollback()
        return render(request, "loans/new.html", {"banks": queries.banks(db), "error": err.message, "form": form},
                      actor=actor, status_code=422)
    flash(request, f"已受理贷款申请 {app.number}")
    return RedirectResponse(f"/loans/applications/{app.number}", status_code=303)


@router.post("/loans/applications/intake")
def intake_page(request: Request, actor: LoansActor, db: SessionDep) -> Response:
    from zhida.loans.intake import take_in

    result = take_in(db, actor)
    flash(request, result.summary())
    return RedirectResponse("/loans/applications", status_code=303)


@router.get("/loans/applications/{number}")
def application_page(request: Request, number: str, actor: LoansActor, db: ReadSessionDep) -> Response:
    from zhida.loans.roles import require_bank

    app = get_application(db, number)
    require_bank(db, actor, app.bank_code)
    moves = APPLICATION.available(app.state, actor)
    return render(request, "loans/application.html", {"a": queries.application_view(db, app.id), "moves": moves},
                  actor=actor)


@router.post("/loans/applications/{number}/advance")
def advance(request: Request, number: str, actor: LoansActor, db: SessionDep, today: TodayDep,
            to: Annotated[str, Form(max_length=10)], comment: Annotated[str, Form(max_length=500)] = "") -> Response:
    app = get_application(db, number)
    APPLICATION.fire(db, app, to, actor, comment=comment, on=today)
    flash(request, f"{number} 已变为「{app.state}」")
    return RedirectResponse(f"/loans/applications/{number}", status_code=303)


def _book_export(db: Session, state: str | None, bank: str | None, year: int | None) -> Response:
    return xlsx("贷款台账", ["贷款编号", "借款人", "经办银行", "本金（元）", "状态", "放款日", "到期日"],
                ([r.number, r.name, r.bank, r.amount, r.state, r.day, r.extra]
                 for r in queries.all_loans(db, state=state, bank=bank, year=year)))


@router.get("/loans/book")
async def book_page(request: Request, actor: LoansActor, db: ReadSessionDep, state: Annotated[str, Query(max_length=6)] = "",
              year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
              page: Annotated[int, Query(ge=1, le=100000)] = 1,
              format: Annotated[str, Query(pattern="^(html|xlsx)$")] = "html") -> Response:
    """The book, one page (a short read: on the event loop, as the console's read paths); the
    export of every loan of the filter runs in a worker thread."""
    bank = bank_of(db, actor)
    if format == "xlsx":
        return await run_in_threadpool(_book_export, db, state or None, bank, year)
    rows, total = queries.list_loans(db, state=state or None, bank=bank, year=year, limit=SIZE, offset=(page - 1) * SIZE)
    return render(request, "loans/book.html", {"rows": rows, "total": total, "page": page, "size": SIZE, "state": state,
                                               "year": year or "", "states": [s.value for s in LoanState]}, actor=actor)


@router.get("/loans/book/{number}")
async def loan_page(request: Request, number: str, actor: LoansActor, db: ReadSessionDep, today: TodayDep,
              format: Annotated[str, Query(pattern="^(html|xlsx)$")] = "html") -> Response:
    from zhida.loans.roles import require_bank

    view = queries.loan_view(db, number, today)
    require_bank(db, actor, view.bank_code)
    if format == "xlsx":
        return xlsx(f"还款计划-{number}", ["期次", "起始日", "结束日", "天数", "本金（元）", "利息（元）", "借款人承担（元）",
                                                 "财政贴息（元）"],
                    ([p["no"], p["start"], p["end"], p["days"], p["principal"], p["interest"], p["borrower"], p["subsidy"]]
                     for p in view.periods))
    moves = LOAN.available(view.state, actor)
    return render(request, "loans/loan.html", {"l": view, "moves": moves}, actor=actor)


@router.post("/loans/book/{number}/advance")
def loan_advance(request: Request, number: str, actor: LoansActor, db: SessionDep, today: TodayDep,
                 to: Annotated[str, Form(max_length=10)], comment: Annotated[str, Form(max_length=500)] = "",
                 months: Annotated[int | None, Form(ge=1, le=120, title="展期月数")] = None) -> Response:
    """A step of the loan; 展期 (to the same state) carries ``months``."""
    from zhida.loans.book import get_loan

    loan = get_loan(db, number)
    extra = {} if months is None else {"months": months}
    LOAN.fire(db, loan, to, actor, comment=comment, on=today, **extra)
    flash(request, f"{number} 已展期 {months} 个月，到期日 {loan.maturity}" if months else f"{number} 已变为「{loan.state}」")
    return RedirectResponse(f"/loans/book/{number}", status_code=303)


@router.post("/loans/book/sweep")
def sweep_page(request: Request, actor: LoansActor, db: SessionDep, today: TodayDep) -> Response:
    from zhida.loans.sweep import sweep

    actor.require(Role.OPERATOR, BANK, action="逾期检查")
    result = sweep(db, today, actor)
    flash(request, result.summary())
    return RedirectResponse("/loans/book", status_code=303)


@router.get("/loans/claims")
def claims_page(request: Request, actor: LoansActor, db: ReadSessionDep,
                format: Annotated[str, Query(pattern="^(html|xlsx)$")] = "html") -> Response:
    bank = bank_of(db, actor)
    if format == "xlsx":
        return xlsx("贴息申请", ["编号", "经办银行", "季度", "笔数", "合计（元）", "状态", "拨付日", "失败原因"],
                    ([c.id, c.bank_code, c.quarter, c.lines, c.total, c.state, c.paid_on or "", c.fail_reason or ""]
                     for c in queries.list_claims(db, bank)))
    return render(request, "loans/claims.html", {"claims": queries.list_claims(db, bank), "banks": queries.banks(db),
                                                 "own_bank": bank}, actor=actor)


@router.post("/loans/claims")
def claim_create(request: Request, actor: LoansActor, db: SessionDep, bank: Annotated[str, Form(max_length=20)],
                 quarter: Annotated[str, Form(max_length=7)]) -> Response:
    claim = subsidy.build_claim(db, actor, bank, quarter)
    flash(request, f"已生成贴息清单：{claim.quarter} {claim.lines} 笔，合计 {claim.total_fen / 100:,.2f} 元")
    return RedirectResponse(f"/loans/claims/{claim.id}", status_code=303)


@router.get("/loans/claims/{claim_id}")
def claim_page(request: Request, claim_id: int, actor: LoansActor, db: ReadSessionDep,
               format: Annotated[str, Query(pattern="^(html|xlsx)$")] = "html") -> Response:
    from zhida.loans.roles import require_bank

    claim = subsidy.get_claim(db, claim_id)
    require_bank(db, actor, claim.bank_code)
    lines = subsidy.lines(db, claim_id)
    if format == "xlsx":
        rows = [[n, no, a, b, d, f"{bal / 100:.2f}", f"{i / 100:.2f}", f"{br / 100:.2f}", f"{s / 100:.2f}"]
                for n, no, a, b, d, bal, i, br, s in lines]
        rows.append(["合计", "", "", "", "", "", "", "", f"{claim.total_fen / 100:.2f}"])
        return xlsx(f"贴息清单-{claim.bank_code}-{claim.quarter}",
                    ["贷款编号", "期次", "起始日", "结束日", "天数", "计息本金（元）", "利息（元）", "借款人承担（元）",
                     "贴息（元）"], rows)
    return render(request, "loans/claim.html", {"c": queries.claim_view(claim), "lines": lines,
                                                "moves": subsidy.CLAIM.available(claim.state, actor)}, actor=actor)


@router.post("/loans/claims/{claim_id}/advance")
def claim_advance(request: Request, claim_id: int, actor: LoansActor, db: SessionDep, today: TodayDep,
                  form: FormDep) -> Response:
    to, claim = str(form.get("to") or ""), subsidy.get_claim(db, claim_id)
    if to == subsidy.ClaimState.EXPORTED:
        path = subsidy.export(db, actor, claim_id, Path(request.app.state.settings.data_dir) / "loans")
        return Response(path.read_bytes(), media_type="text/csv",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}"})
    if to == "回盘":
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload):
            raise ValidationFailed("导入回盘需选择银行回盘文件（CSV 或 Excel）")
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / Path(upload.filename or "回盘.csv").name
            target.write_bytes(upload.file.read())
            subsidy.import_return(db, actor, claim_id, target, today)
    else:
        subsidy.CLAIM.fire(db, claim, to, actor, comment=comment_of(form, "comment", "意见或理由"))
    flash(request, f"贴息申请 {claim_id} 现为「{claim.state}」")
    return RedirectResponse(f"/loans/claims/{claim_id}", status_code=303)


@router.get("/loans/fund")
def fund_page(request: Request, actor: LoansActor, db: ReadSessionDep, today: TodayDep,
              format: Annotated[str, Query(pattern="^(html|xlsx)$")] = "html") -> Response:
    """The fund's ledger, balance, leverage and every bank's payout rate; a 银行 account sees only
    its own loans' 代偿/追偿/核销, their totals and its own payout rate (``fund.bank_payouts``)."""
    bank = bank_of(db, actor)
    entries = fund.entries(db, bank_code=bank)
    if format == "xlsx":
        return xlsx("担保基金台账" if bank is None else f"代偿台账-{bank}",
                    ["日期", "类型", "凭证", "金额（元）", "基金变动（元）", "银行承担（元）", "说明", "办理人"],
                    ([e.on, e.kind, e.ref, f"{e.amount_fen / 100:.2f}", f"{e.fund_fen / 100:.2f}",
                      f"{e.bank_fen / 100:.2f}", e.note or "", e.actor] for e in entries))
    overdue, _ = queries.list_loans(db, state=LoanState.OVERDUE.value, bank=bank, limit=200)
    status = fund.status(db, today) if bank is None else fund.bank_payouts(db, bank, today)
    return render(request, "loans/fund.html", {"status": status, "entries": entries, "overdue": overdue,
                                               "rates": fund.payout_rates(db, today.year, bank), "own_bank": bank},
                  actor=actor)


@router.get("/loans/reports")
def reports_page(request: Request, actor: LoansActor, db: ReadSessionDep, today: TodayDep,
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                 format: Annotated[str, Query(pattern="^(html|xlsx)$")] = "html") -> Response:
    actor.require(*REPORT_ROLES, action="查看贷款统计")
    r = year_report(db, year or today.year)
    if format == "xlsx":
        rows = [["人员类别", g.name, g.count, f"{g.amount_fen / 100:.2f}", g.jobs] for g in r.by_group]
        rows += [["乡镇（街道）", g.name, g.count, f"{g.amount_fen / 100:.2f}", g.jobs] for g in r.by_township]
        return xlsx(f"创业担保贷款统计{r.year}", ["分组", "名称", "笔数", "金额（元）", "带动就业"], rows)
    return render(request, "loans/reports.html", {"r": r}, actor=actor)
