"""The office dashboard (统计): figures per matter and month aggregated in SQL, charts, the
bulletin sentence and the Excel export.

Definitions (completed cases, grouped by completion month ``YYYY-MM``):

- 办结件数 — cases decided in the month;
- 按时办结率 = cases decided on or before their promised deadline ÷ 办结件数;
- 平均用时 = Σ working days used ÷ 办结件数 (working days, pauses not counted);
- 提速比例（较法定）= 1 − Σ used ÷ Σ legal limit; (较承诺) the same against the promised limit
  (limits as set for the matter, without extensions: an extended case counts as slower);
- 即办件占比 = 即办件 ÷ 办结件数.

Rates are computed from the raw sums and rounded half up once, at the end (one decimal of a
per cent).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhida import sheets
from zhida.approvals.models import Case, Matter


@dataclass
class Figures:
    key: str  # month or matter code
    label: str
    cases: int
    on_time: int
    used: int
    legal: int
    promised: int
    instant: int

    @property
    def on_time_pct(self) -> Decimal | None:
        return pct(self.on_time, self.cases)

    @property
    def avg_used(self) -> Decimal | None:
        return None if not self.cases else (Decimal(self.used) / self.cases).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def speedup_legal_pct(self) -> Decimal | None:
        return None if not self.legal else pct(self.legal - self.used, self.legal)

    @property
    def speedup_promised_pct(self) -> Decimal | None:
        return None if not self.promised else pct(self.promised - self.used, self.promised)

    @property
    def instant_pct(self) -> Decimal | None:
        return pct(self.instant, self.cases)

    @property
    def avg_legal(self) -> Decimal | None:
        return None if not self.cases else (Decimal(self.legal) / self.cases).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def avg_promised(self) -> Decimal | None:
        return None if not self.cases else (Decimal(self.promised) / self.cases).quantize(Decimal("0.1"), ROUND_HALF_UP)


def pct(part: int, whole: int) -> Decimal | None:
    """part/whole in per cent, rounded half up to 0.1 (None for an empty whole).

    >>> pct(2, 3), pct(1, 8), pct(0, 0)
    (Decimal('66.7'), Decimal('12.5'), None)
    """
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _aggregate(session: Session, year: int, by, department: str | None, months: tuple[int, int]):
    lo, hi = f"{year}-{months[0]:02d}", f"{year}-{months[1]:02d}"
    cols = (by, func.count(), func.sum(case((Case.on_time.is_(True), 1), else_=0)),
            func.coalesce(func.sum(Case.used_days), 0),
            func.sum(Case.legal_days), func.sum(Case.promised_days),
            func.sum(case((Case.case_type == "即办件", 1), else_=0)))
    stmt = select(*cols).where(Case.month >= lo, Case.month <= hi, Case.completed_on.is_not(None))
    if department:
        stmt = stmt.where(Case.department == department)
    return session.execute(stmt.group_by(by).order_by(by)).all()


def _fig(row, label: str) -> Figures:
    key, n, ok, used, legal, promised, instant = row
    return Figures(key, label, int(n), int(ok or 0), int(used or 0), int(legal or 0), int(promised or 0),
                   int(instant or 0))


@dataclass
class Dashboard:
    year: int
    months: tuple[int, int]
    by_month: list[Figures]
    by_matter: list[Figures]
    total: Figures


def dashboard(session: Session, year: int, months: tuple[int, int] = (1, 12), department: str | None = None) -> Dashboard:
    """Figures for ``year`` (months inclusive) by month and by matter, and the total (SQL aggregates)."""
    names = dict(session.execute(select(Matter.code, Matter.name)).all())
    by_month = [_fig(r, f"{int(r[0][5:])}月") for r in _aggregate(session, year, Case.month, department, months)]
    by_matter = [_fig(r, names.get(r[0], r[0])) for r in _aggregate(session, year, Case.matter_code, department, months)]
    by_matter.sort(key=lambda f: -f.cases)
    sums = [sum(getattr(f, a) for f in by_month) for a in ("cases", "on_time", "used", "legal", "promised", "instant")]
    return Dashboard(year, months, by_month, by_matter, Figures("total", "合计", *sums))


def bulletin(d: Dashboard, office: str = "县行政审批服务局") -> str:
    """One sentence for the monthly bulletin, every figure from ``d``."""
    t = d.total
    span = f"{d.year}年{d.months[0]}月" if d.months[0] == d.months[1] else f"{d.year}年{d.months[0]}—{d.months[1]}月"
    if not t.cases:
        return f"{span}，{office}暂无办结的审批办件。"
    top = d.by_matter[0]
    return (f"{span}，{office}共办结审批办件{t.cases}件，按时办结率{t.on_time_pct}%，平均用时{t.avg_used}个工作日，"
            f"较法定时限提速{t.speedup_legal_pct}%、较承诺时限提速{t.speedup_promised_pct}%，即办件占{t.instant_pct}%；"
            f"办件最多的是{top.label}（{top.cases}件，按时办结率{top.on_time_pct}%）。")


def charts(d: Dashboard) -> dict:
    """ECharts options: cases and on-time rate by month; average used vs limits by matter."""
    months = [f.label for f in d.by_month]
    monthly = {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
               "title": {"text": "每月办结件数与按时办结率", "left": "center", "textStyle": {"fontSize": 14}},
               "xAxis": {"type": "category", "data": months},
               "yAxis": [{"type": "value", "name": "件"}, {"type": "value", "name": "%", "max": 100}],
               "series": [{"name": "办结件数", "type": "bar", "data": [f.cases for f in d.by_month]},
                          {"name": "按时办结率", "type": "line", "yAxisIndex": 1,
                           "data": [float(f.on_time_pct or 0) for f in d.by_month]}]}
    names = [f.label for f in d.by_matter]
    speed = {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
             "title": {"text": "各事项平均用时与时限（工作日）", "left": "center", "textStyle": {"fontSize": 14}},
             "grid": {"containLabel": True, "bottom": 60},
             "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 20}},
             "yAxis": {"type": "value", "name": "工作日"},
             "series": [{"name": "平均用时", "type": "bar", "data": [float(f.avg_used or 0) for f in d.by_matter]},
                        {"name": "承诺时限", "type": "bar", "data": [float(f.avg_promised or 0) for f in d.by_matter]},
                        {"name": "法定时限", "type": "bar", "data": [float(f.avg_legal or 0) for f in d.by_matter]}]}
    return {"monthly": monthly, "speed": speed}


HEAD = ["分组", "办结件数", "按时办结件数", "按时办结率%", "平均用时（工作日）", "平均承诺时限", "平均法定时限",
        "较法定提速%", "较承诺提速%", "即办件占比%"]


def to_xlsx(d: Dashboard) -> bytes:
    """The dashboard as a workbook: sheets 按月, 按事项 and 公报 (numbers as numbers; text as text
    cells through ``zhida.sheets``, a formula-like label shown with a leading ``'``)."""
    from openpyxl import Workbook

    wb = Workbook()
    for title, rows in (("按月", d.by_month), ("按事项", d.by_matter)):
        ws = wb.active if title == "按月" else wb.create_sheet()
        ws.title = title
        sheets.append(ws, HEAD)
        for f in [*rows, d.total]:
            sheets.append(ws, [f.label, f.cases, f.on_time, *(float(v) if v is not None else None for v in (
                f.on_time_pct, f.avg_used, f.avg_promised, f.avg_legal, f.speedup_legal_pct, f.speedup_promised_pct,
                f.instant_pct))], quote=True)
    ws = wb.create_sheet("公报")
    sheets.append(ws, [bulletin(d)], quote=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


