"""发放批次: the cycle workflow, 公示 list, objections, call tasks, bank files, reconciliation.

Every action calls the delivery service with the logged-in actor; the service checks the
role of each transition and writes the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from zhida.delivery import service as delivery
from zhida.delivery.process import CYCLE
from zhida.delivery.states import STATES, CycleState
from zhida.errors import NotFound
from zhida.rules.queries import recent_runs
from zhida.web import cyclepage
from zhida.web.deps import EngineDep, OperatorDep, SessionDep, StaffDep, TodayDep, WorkerDep, flash
from zhida.web.listing import Filters, FiltersDep, link
from zhida.web.paging import PageDep, PageParams, paginate
from zhida.web.routes.exports import entitlements_stmt
from zhida.web.routes.imports import _save_upload, data_dir
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
WORKFLOW = [s for s in STATES if s != CycleState.REVOKED]


def back(cycle_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/cycles/{cycle_id}{anchor}", status_code=303)


def bank_dir(request: Request, cycle_id: int) -> Path:
    return data_dir(request, "bank", f"cycle-{cycle_id}")


@router.get("/cycles")
def cycle_list(request: Request, actor: StaffDep, db: SessionDep) -> Response:
    runs = recent_runs(db, limit=20, with_eligible=True)
    return render(request, "cycles/list.html", {"cycles": delivery.list_cycles(db, limit=50), "runs": runs},
                  actor=actor)


@router.post("/cycles")
def create(request: Request, actor: OperatorDep, db: SessionDep, run_id: Annotated[int, Form(ge=1)],
           publicity_days: Annotated[int, Form()] = 5, confirm_days: Annotated[int, Form()] = 10,
           supplementary: Annotated[bool, Form()] = False) -> Response:
    cycle = delivery.create_cycle(db, actor, run_id, publicity_days=publicity_days, confirm_days=confirm_days,
                                  supplementary=supplementary)
    flash(request, f"已由测算 #{run_id} 生成发放批次 #{cycle.id}：{cycle.units} 户")
    return back(cycle.id)


@router.get("/cycles/{cycle_id}")
def cycle_page(request: Request, cycle_id: int, actor: StaffDep, db: SessionDep, paging: PageDep, f: FiltersDep,
               confirmation: Annotated[str, Query(max_length=8)] = "",
               calls: Annotated[int, Query(ge=1, le=1_000_000, description="电话任务页码")] = 1,
               pay: Annotated[int, Query(ge=1, le=1_000_000, description="未结清款项页码")] = 1) -> Response:
    view = delivery.show(db, cycle_id)
    stmt = entitlements_stmt(cycle_id, f, confirmation)
    given = urlencode({k: v for k, v in f.query().items() if v})
    base = f"/cycles/{cycle_id}?confirmation={quote(confirmation)}" + (f"&{given}" if given else "")
    export = link(f"/exports/cycles/{cycle_id}/entitlements", confirmation=confirmation, **f.query())
    ctx = {"c": view, "workflow": WORKFLOW, "page": paginate(db, stmt, paging, scalars=False), "confirmation": confirmation,
           "objections": delivery.list_objections(db, cycle_id), "sections": cyclepage.SECTIONS,
           "calls": cyclepage.calls_page(db, cycle_id, PageParams(calls, 50)),
           "calls_base": f"{base}&page={paging.page}&pay={pay}", "base": f"{base}&calls={calls}&pay={pay}",
           "open": cyclepage.open_payments(db, cycle_id, PageParams(pay, 50)),
           "pay_base": f"{base}&page={paging.page}&calls={calls}",
           "files": cyclepage.bank_files(bank_dir(request, cycle_id)), "f": f, "choices": Filters.choices(),
           "export": export,
           # only the transitions this role may make are offered as buttons
           "next_states": [s for s in view.next_states if actor.can(*CYCLE.transition(view.state, s).roles)]}
    if view.state in (CycleState.PAYING, CycleState.DONE):
        ctx["recon"] = recon = delivery.reconcile(db, cycle_id)
        ctx["verdict"] = cyclepage.verdict(recon, db, cycle_id)
    return render(request, "cycles/detail.html", ctx, actor=actor)


@router.post("/cycles/{cycle_id}/advance")
def advance(request: Request, cycle_id: int, actor: StaffDep, db: SessionDep, today: TodayDep,
            to: Annotated[str, Form(max_length=10)], note: Annotated[str, Form(max_length=500)] = "",
            from_state: Annotated[str, Form(max_length=10)] = "") -> Response:
    if to == CycleState.DONE:
        still = cyclepage.open_payments(db, cycle_id, PageParams(1, 5))
        if still.total:
            units = "、".join(f"{p.name}（{p.why}）" for p in still.items)
            flash(request, f"还有 {still.total} 笔款项既未支付也未取消，批次不能结束：{units}"
                           f"{' 等' if still.total > 5 else ''}。请在下方「未结清款项」中更正账号后重新导出，或写明原因取消",
                  "error")
            return back(cycle_id, "#payments")
    cycle = delivery.advance(db, actor, cycle_id, to, today=today, note=note.strip() or None,
                             expect=from_state or None)
    flash(request, f"发放批次 #{cycle_id} 已变为「{cycle.state}」")
    return back(cycle_id)


@router.get("/cycles/{cycle_id}/publicity/print")
def publicity_print(request: Request, cycle_id: int, actor: StaffDep, db: SessionDep) -> Response:
    """The 公示 list as a printable page (the same rows as the XLSX), to post or publish."""
    from zhida.delivery.publicity import NOTE

    cycle = delivery.get_cycle(db, cycle_id)
    rows = delivery.publicity_rows(db, cycle_id)
    total = sum((r[5] for r in rows), start=0)
    return render(request, "cycles/publicity_print.html",
                  {"c": cycle, "rows": rows, "total": total, "note": NOTE, "org": request.app.state.settings.delivery_org_name},
                  actor=actor)


@router.get("/cycles/{cycle_id}/publicity")
def publicity(request: Request, cycle_id: int, actor: StaffDep, db: SessionDep) -> Response:
    path = delivery.write_publicity(db, cycle_id, data_dir(request, "publicity") / f"cycle-{cycle_id}.xlsx")
    return FileResponse(path, filename=f"公示名单-批次{cycle_id}.xlsx")


@router.post("/cycles/{cycle_id}/objections")
def objection(request: Request, cycle_id: int, actor: WorkerDep, db: SessionDep,
              uscc: Annotated[str, Form(max_length=18)], content: Annotated[str, Form(max_length=2000)],
              source: Annotated[str, Form(pattern="^(群众来信来电|核查)$")] = "群众来信来电") -> Response:
    o = delivery.raise_objection(db, actor, cycle_id, uscc.strip().upper(), content, source=source)
    flash(request, f"已登记异议 #{o.id}：{o.name}")
    return back(cycle_id, "#objections")


@router.post("/cycles/{cycle_id}/objections/{objection_id}")
def resolve(request: Request, cycle_id: int, objection_id: int, actor: WorkerDep, db: SessionDep,
            upheld: Annotated[bool, Form()], reason: Annotated[str, Form(max_length=2000)]) -> Response:
    o = delivery.resolve_objection(db, actor, objection_id, upheld=upheld, reason=reason)
    if o.cycle_id != cycle_id:
        raise NotFound(f"异议 {objection_id} 不属于发放批次 {cycle_id}")
    flash(request, f"异议 #{o.id} 处理完毕：{o.status}")
    return back(cycle_id, "#objections")


@router.post("/cycles/{cycle_id}/calls")
def make_calls(request: Request, cycle_id: int, actor: OperatorDep, db: SessionDep, today: TodayDep) -> Response:
    result = delivery.make_calls(db, actor, cycle_id, today=today)
    flash(request, result.message)
    return back(cycle_id, "#calls")


@router.post("/cycles/{cycle_id}/calls/{call_id}")
def record_call(request: Request, cycle_id: int, call_id: int, actor: OperatorDep, db: SessionDep,
                outcome: Annotated[str, Form(max_length=10)], note: Annotated[str, Form(max_length=500)] = "") -> Response:
    delivery.record_call(db, actor, call_id, outcome, note.strip() or None)
    flash(request, f"电话任务 #{call_id} 已登记：{outcome}")
    return back(cycle_id, "#calls")


@router.post("/cycles/{cycle_id}/export")
def export(request: Request, cycle_id: int, actor: OperatorDep, engine: EngineDep) -> Response:
    """Export every payment waiting (待导出, corrected ones included) into a new bank batch."""
    result = delivery.export(engine, actor, cycle_id, out_dir=bank_dir(request, cycle_id))
    flash(request, cyclepage.export_message(result))
    return back(cycle_id, "#payments")


@router.post("/cycles/{cycle_id}/payments/{uscc}/correct")
def correct_payment(request: Request, cycle_id: int, uscc: str, actor: OperatorDep, db: SessionDep,
                    account_no: Annotated[str, Form(max_length=40)],
                    bank_name: Annotated[str, Form(max_length=100)] = "",
                    account_name: Annotated[str, Form(max_length=200)] = "") -> Response:
    """更正账号 of a failed (or still unexported) payment; it goes out in the next export."""
    p = delivery.correct_payment(db, actor, cycle_id, uscc, account_no=account_no.strip(),
                                 bank_name=bank_name.strip() or None, account_name=account_name.strip() or None)
    flash(request, f"已更正 {uscc} 的收款账号，款项状态「{p.status}」，请重新导出代发文件")
    return back(cycle_id, "#payments")


@router.post("/cycles/{cycle_id}/payments/{uscc}/cancel")
def cancel_payment(request: Request, cycle_id: int, uscc: str, actor: WorkerDep, db: SessionDep,
                   reason: Annotated[str, Form(max_length=200)]) -> Response:
    p = delivery.cancel_payment(db, actor, cycle_id, uscc, reason)
    flash(request, f"已取消 {uscc} 的款项：{p.cancel_reason}")
    return back(cycle_id, "#payments")


@router.get("/cycles/{cycle_id}/files/{name}")
def bank_file(request: Request, cycle_id: int, name: str, actor: OperatorDep) -> Response:
    folder = bank_dir(request, cycle_id)
    path = folder / Path(name).name
    if not path.is_file() or path.parent != folder:
        raise NotFound(f"文件 {name} 不存在")
    return FileResponse(path, filename=path.name)


@router.post("/cycles/{cycle_id}/return")
def bank_return(request: Request, cycle_id: int, actor: OperatorDep, db: SessionDep,
                file: Annotated[UploadFile, File()]) -> Response:
    path = _save_upload(request, file)
    named = data_dir(request, "uploads", path.stem) / Path(file.filename or path.name).name
    path.rename(named)
    try:
        result = delivery.import_return(db, actor, cycle_id, named)
    finally:
        named.unlink(missing_ok=True)
        named.parent.rmdir()
    flash(request, result.summary())
    return back(cycle_id, "#payments")
