"""The cycle report: units, amounts and insured jobs kept (稳岗岗位数), by size, township, industry.

稳岗岗位数 = the insured employees (月均参保人数) of the units actually paid.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from zhida import sheets
from zhida.delivery.lookup import get_cycle
from zhida.delivery.models import Entitlement, Payment
from zhida.money import fen_to_yuan, format_wan, format_yuan

COLUMNS = ["分组", "名单户数", "应发金额（元）", "已发户数", "已发金额（元）", "稳岗岗位数"]


class ReportRow(BaseModel):
    group: str
    units: int
    amount_fen: int
    paid_units: int
    paid_fen: int
    jobs: int


class CycleReport(BaseModel):
    cycle_id: int
    title: str
    total: ReportRow
    by_size: list[ReportRow]
    by_township: list[ReportRow]
    by_industry: list[ReportRow]

    def summary(self) -> str:
        t = self.total
        lines = [self.title,
                 f"  已发放 {t.paid_units} 户 {format_wan(t.paid_fen)} 万元（名单 {t.units} 户 {format_wan(t.amount_fen)} 万元），"
                 f"稳岗岗位 {t.jobs:,} 个"]
        for label, rows in (("按企业规模", self.by_size), ("按镇街", self.by_township), ("按行业门类", self.by_industry)):
            lines.append(f"  {label}：" + "；".join(f"{r.group} {r.paid_units} 户 {format_yuan(r.paid_fen)} 元 {r.jobs} 岗"
                                                 for r in rows))
        return "\n".join(lines)


def _rows(session: Session, cycle_id: int, key) -> list[ReportRow]:
    E, P = Entitlement, Payment
    paid = P.status == "已支付"
    stmt = (select(key.label("g"), func.count(), func.coalesce(func.sum(E.amount_fen), 0),
                   func.sum(case((paid, 1), else_=0)),
                   func.sum(case((paid, P.amount_fen), else_=0)), func.sum(case((paid, E.insured), else_=0)))
            .select_from(E).outerjoin(P, and_(P.cycle_id == E.cycle_id, P.uscc == E.uscc))
            .where(E.cycle_id == cycle_id).group_by(key).order_by(key))
    return [ReportRow(group=g if g is not None else "未填", units=n, amount_fen=int(a), paid_units=int(pu or 0),
                      paid_fen=int(pf or 0), jobs=int(j or 0)) for g, n, a, pu, pf, j in session.execute(stmt)]


def _industry_label(letter: str) -> str:
    from zhida.registry.industry import section_name

    try:
        return f"{letter} {section_name(letter)}"
    except ValueError:  # unknown letter: show it as it is
        return letter


def cycle_report(session: Session, cycle_id: int) -> CycleReport:
    from sqlalchemy import literal

    c = get_cycle(session, cycle_id)
    E = Entitlement
    total = _rows(session, cycle_id, literal("合计"))
    industry = _rows(session, cycle_id, E.industry_section)
    for r in industry:
        r.group = _industry_label(r.group) if r.group != "未填" else r.group
    return CycleReport(cycle_id=cycle_id, title=f"发放批次 {c.id} {c.policy_name}（{c.period}）发放情况，状态 {c.state}",
                       total=total[0] if total else ReportRow(group="合计", units=0, amount_fen=0, paid_units=0,
                                                              paid_fen=0, jobs=0),
                       by_size=_rows(session, cycle_id, E.size_class), by_township=_rows(session, cycle_id, E.township),
                       by_industry=industry)


def write_report(report: CycleReport, path: str | Path) -> Path:
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    for title, rows in (("合计", [report.total]), ("按企业规模", report.by_size), ("按镇街", report.by_township),
                        ("按行业门类", report.by_industry)):
        ws = wb.create_sheet(title)
        sheets.append(ws, [report.title])
        sheets.append(ws, COLUMNS)
        for r in rows:
            sheets.append(ws, [r.group, r.units, float(fen_to_yuan(r.amount_fen)), r.paid_units,
                       float(fen_to_yuan(r.paid_fen)), r.jobs])
    return sheets.save(wb, path)
