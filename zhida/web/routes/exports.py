"""Excel exports of the delivery lists: a cycle's entitlements (with the page's filters), its open
payments, call tasks and objections; the list of cycles; the audit log.

Each export is the same query as the page it comes from, every row instead of one page, every
cell written as text (``listing.cell``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import Select

from zhida.delivery import queries as delivery_queries
from zhida.delivery import service as delivery
from zhida.errors import NotFound
from zhida.money import format_yuan
from zhida.platform.queries import audit_stmt
from zhida.registry.queries import usccs_of_type
from zhida.web.deps import SessionDep, StaffDep
from zhida.web.listing import Filters, FiltersDep, xlsx_response
from zhida.web.routes.audit import AuditorDep

router = APIRouter(include_in_schema=False)


def entitlements_stmt(cycle_id: int, f: Filters, confirmation: str = "") -> Select[*tuple[Any, ...]]:
    """A cycle's entitlements by township then code, filtered like the page (unit type via the registry)."""
    stmt = delivery_queries.entitlements_stmt(cycle_id, confirmation)
    stmt = f.apply(stmt, stmt.selected_columns)
    if f.unit_type:
        stmt = stmt.where(stmt.selected_columns.uscc.in_(usccs_of_type(f.unit_type)))
    return stmt


@router.get("/exports/cycles/{cycle_id}/{what}")
def cycle_export(request: Request, cycle_id: int, what: str, actor: StaffDep, db: SessionDep, f: FiltersDep,
                 confirmation: Annotated[str, Query(max_length=8)] = "") -> Response:
    delivery.get_cycle(db, cycle_id)
    name = f"批次{cycle_id}"
    if what == "entitlements":
        rows = ((e.uscc, e.name, e.township, e.size_class, e.industry_section, e.insured, format_yuan(e.amount_fen),
                 e.confirmation, e.excluded or e.hold_reason or ("有异议" if e.objection_open else ""))
                for e in db.execute(entitlements_stmt(cycle_id, f, confirmation)))
        return xlsx_response(f"{name}发放名单.xlsx", "发放名单", ["统一社会信用代码", "单位名称", "乡镇街道", "企业规模",
                                                           "行业门类", "参保人数", "金额（元）", "确认情况", "备注"], rows)
    if what == "payments":
        open_rows = ((r.uscc, r.name, r.township, format_yuan(r.amount_fen), r.status, r.fail_reason or "",
                      r.bank_name, r.account_no) for r in db.execute(delivery_queries.open_payments_stmt(cycle_id)))
        return xlsx_response(f"{name}未结清款项.xlsx", "未结清款项", ["统一社会信用代码", "单位名称", "乡镇街道", "金额（元）",
                                                              "状态", "银行退回原因", "开户银行", "对公账号"], open_rows)
    if what == "calls":
        rows = ((t.id, t.uscc, t.name, t.phone, t.round, t.reason, t.outcome or "待拨打", t.called_on, t.note)
                for t in db.execute(delivery_queries.calls_stmt(cycle_id)))
        return xlsx_response(f"{name}电话任务.xlsx", "电话任务", ["编号", "统一社会信用代码", "单位名称", "电话", "轮次", "原因",
                                                          "结果", "拨打日期", "备注"], rows)
    if what == "objections":
        rows = ((o.id, o.uscc, o.name, o.source, o.content, o.raised_by, o.raised_at.strftime("%Y-%m-%d %H:%M"),
                 o.status, o.resolution) for o in delivery.list_objections(db, cycle_id))
        return xlsx_response(f"{name}异议.xlsx", "异议", ["编号", "统一社会信用代码", "单位名称", "来源", "内容", "登记人",
                                                    "登记时间", "状态", "处理意见"], rows)
    raise NotFound(f"没有「{what}」这种导出：可导出 entitlements、payments、calls、objections")


@router.get("/exports/cycles")
def cycles_export(request: Request, actor: StaffDep, db: SessionDep) -> Response:
    rows = ((c.id, c.policy_name, c.period, c.state, c.units, format_yuan(c.total_fen), c.publicity_end, c.confirm_deadline)
            for c in delivery.list_cycles(db, limit=100_000))
    return xlsx_response("发放批次.xlsx", "发放批次", ["批次", "政策", "期间", "状态", "单位数", "名单金额（元）", "公示截止", "确认截止"], rows)


@router.get("/exports/audit")
def audit_export(request: Request, actor: AuditorDep, db: SessionDep,
                 entity: Annotated[str, Query(max_length=40)] = "") -> Response:
    from zhida.web.auditlabels import describe

    rows = ((a.seq, a.at.strftime("%Y-%m-%d %H:%M:%S"), *describe(a)) for a in db.execute(audit_stmt(entity)))
    return xlsx_response("审计日志.xlsx", "审计日志", ["序号", "时间", "办理人", "操作", "对象", "内容"], rows)
