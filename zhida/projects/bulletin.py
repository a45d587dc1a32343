"""The monthly 重点项目推进情况通报, rendered from data with Jinja2 (``bulletins/monthly.j2``),
and the ECharts options of the pages (progress by category and township, the energy mix).

Every figure comes from ``month_progress`` (one query) and ``issue_summary``; amounts are shown
in 亿元 with two decimals, rates as computed (rounded once), all half up.

>>> yi(6_290_000_000_000), pct(Decimal("97.2")), versus(Decimal("13.8"), Decimal("83.3"))
('629.00', '97.2%', '快于时间进度（83.3%）13.8个百分点')
>>> versus(Decimal("-0.0"), Decimal("50.0")), versus(None, Decimal("50.0"))
('与时间进度（50.0%）持平', '无年度计划，不计进度')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jinja2
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from zhida.errors import ValidationFailed
from zhida.projects.access import visible
from zhida.projects.fields import types
from zhida.projects.issues import IssueState
from zhida.projects.models import Project, ProjectFieldValue, ProjectIssue
from zhida.projects.progress import MonthProgress, month_progress
from zhida.roles import Actor

HERE = Path(__file__).with_name("bulletins")
ENERGY = ("wind_mw", "solar_mw", "storage_mw")


def yi(fen: int) -> str:
    return str((Decimal(int(fen)) / Decimal(10_000_000_000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def wan(fen: int) -> str:
    return str((Decimal(int(fen)) / Decimal(1_000_000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def versus(points: Decimal | None, schedule: Decimal) -> str:
    """Points ahead (+) or behind (−) the time schedule, in words."""
    if points is None:
        return "无年度计划，不计进度"
    if points == 0:
        return f"与时间进度（{schedule}%）持平"
    word = "快于" if points > 0 else "慢于"
    return f"{word}时间进度（{schedule}%）{abs(points)}个百分点"


@dataclass
class IssueSummary:
    open: int
    overdue: int
    closed_in_month: int


def issue_summary(session: Session, actor: Actor, month: dt.date, today: dt.date) -> IssueSummary:
    """Open, overdue (as of ``today``) and closed-in-``month`` items of the visible projects (one query)."""
    end = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    is_open = ProjectIssue.state == IssueState.OPEN.value
    row = session.execute(
        select(func.count(case((is_open, 1))), func.count(case((and_(is_open, ProjectIssue.due_on < today), 1))),
               func.count(case((and_(ProjectIssue.closed_on >= month, ProjectIssue.closed_on < end), 1))))
        .join(Project, Project.id == ProjectIssue.project_id).where(visible(actor))).one()
    return IssueSummary(*row)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE)), autoescape=False,
                             undefined=jinja2.StrictUndefined, lstrip_blocks=True)
    env.filters.update(yi=yi, wan=wan, pct=pct, versus=versus)
    return env


def render(mp: MonthProgress, issues: IssueSummary, region: str = "经开区") -> str:
    """The bulletin text: lines inside a paragraph joined, paragraphs separated by a blank line."""
    raw = environment().get_template("monthly.j2").render(m=mp, issues=issues, region=region)
    paragraphs = [p for p in (block.replace("\n", "") for block in raw.strip().split("\n\n")) if p.strip()]
    return "\n\n".join(paragraphs)


def monthly_bulletin(session: Session, actor: Actor, month: dt.date, today: dt.date,
                     slow_points: Decimal | None = None, region: str = "经开区") -> str:
    """The 通报 of ``month``; ``ValidationFailed`` for a month after ``today``'s."""
    if month > today.replace(day=1):
        raise ValidationFailed(f"不能生成未来月份的通报：{month.year}年{month.month}月（今天是 {today}，只能生成本月及以前月份的通报）")
    kw = {} if slow_points is None else {"slow_points": slow_points}
    return render(month_progress(session, actor, month, **kw), issue_summary(session, actor, month, today), region)


def _bar(title: str, groups, schedule: Decimal) -> dict:
    return {
        "title": {"text": title, "left": "center"}, "tooltip": {"trigger": "axis"},
        "grid": {"containLabel": True, "bottom": 40},
        "xAxis": {"type": "category", "data": [g.key for g in groups], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "name": "%"},
        "series": [{"name": "年度计划完成率（%）", "type": "bar", "label": {"show": True, "position": "top"},
                    "data": [None if g.rate.completion_pct is None else float(g.rate.completion_pct) for g in groups],
                    "markLine": {"data": [{"yAxis": float(schedule), "name": "时间进度"}]}}],
    }


def charts(session: Session, actor: Actor, mp: MonthProgress) -> dict[str, dict]:
    """ECharts options: completion by category and by township (with the time schedule line),
    and the energy mix (installed MW by wind, solar, storage)."""
    labels = {f.code: f.label for fs in types().values() for f in fs}
    mix = session.execute(select(ProjectFieldValue.field, func.sum(ProjectFieldValue.value))
                          .join(Project, Project.code == ProjectFieldValue.project_code)
                          .where(ProjectFieldValue.field.in_(ENERGY), visible(actor))
                          .group_by(ProjectFieldValue.field)).all()
    return {
        "category": _bar("分类完成率", mp.by_category, mp.schedule_pct),
        "township": _bar("各乡镇（园区）完成率", mp.by_township, mp.schedule_pct),
        "energy": {"title": {"text": "能源项目装机构成（MW）", "left": "center"}, "tooltip": {"trigger": "item"},
                   "series": [{"type": "pie", "radius": "60%", "label": {"formatter": "{b}: {c} MW"},
                               "data": [{"name": labels[k], "value": float(v)} for k, v in sorted(mix)]}]},
    }
