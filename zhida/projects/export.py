"""Excel export of the ledger in the layout offices keep (台账): a title row, one header row,
one row per project with the month's figures, then the declared custom fields.

Written through the shared safe writer ``zhida.sheets`` with ``quote=True``: every text cell is
a text cell, and one starting with = + - @ tab or CR is shown with a leading ``'``, so the file
is safe to open (no formula injection).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida import sheets
from zhida.projects.access import visible
from zhida.projects.fields import all_fields
from zhida.projects.models import Project, ProjectFieldValue
from zhida.projects.progress import MonthProgress

HEADERS = ["序号", "项目编号", "项目名称", "建设单位", "乡镇园区", "专班", "帮包领导", "责任部门", "项目类别", "项目级别",
           "总投资(万元)", "年度计划投资(万元)", "本年完成投资(万元)", "年度计划完成率(%)", "时间进度(%)",
           "快于(+)/慢于(-)时间进度(百分点)", "累计完成投资(万元)", "形象进度(%)", "形象进度说明", "计划开工", "实际开工",
           "计划竣工", "实际竣工"]


def _wan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def write_ledger(session: Session, actor, mp: MonthProgress, path: Path) -> Path:
    """Write the ledger of ``mp``'s month (what ``actor`` may see) to ``path`` (.xlsx)."""
    decls = all_fields()
    projects = {p.id: p for p in session.scalars(select(Project).where(visible(actor)))}
    values: dict[tuple[str, str], Decimal] = {
        (v.project_code, v.field): v.value for v in session.scalars(
            select(ProjectFieldValue).join(Project, Project.code == ProjectFieldValue.project_code).where(visible(actor)))}
    wb = Workbook()
    ws = wb.active
    ws.title = "重点项目台账"
    headers = HEADERS + [f.header for f in decls]
    sheets.append(ws, [f"重点项目推进情况台账（{mp.month.year}年{mp.month.month}月）"], quote=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheets.append(ws, headers, quote=True)
    for i in range(1, len(headers) + 1):
        ws.cell(row=2, column=i).font = Font(bold=True)
    for n, r in enumerate(mp.rows, 1):
        p = projects[r.id]
        line = [n, p.code, p.name, p.enterprise or "", p.township or "", p.task_force or "", p.leader_name or "",
                p.dept_name or "", p.category, p.level, _wan(p.total_fen), _wan(p.year_plan_fen), _wan(r.year_done_fen),
                r.rate.completion_pct, r.rate.schedule_pct, r.rate.ahead_pp, _wan(r.total_done_fen),
                r.progress_pct, r.progress_text or "", *(str(d or "") for d in (p.planned_start, p.actual_start,
                                                                                p.planned_end, p.actual_end))]
        line += [values.get((p.code, f.code)) for f in decls]
        sheets.append(ws, line, quote=True)
    ws.freeze_panes = "D3"
    return sheets.save(wb, path)
