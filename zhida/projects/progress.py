"""Progress of the ledger in a month: per project, per group (category, township, task force)
and in total, with the slow list — all figures from ONE query, rates rounded once.

For month M of year Y each project counts with its latest report of Y up to M (its snapshot of
M if reported, else the last one before; a project with none counts 0 and is listed as not
reported). Group rates are computed from the group's summed fen, never from project rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from zhida.errors import ValidationFailed
from zhida.projects.access import visible
from zhida.projects.models import Project, ProjectReport
from zhida.projects.rates import Rate, rate_of
from zhida.roles import Actor

SLOW_POINTS = Decimal(10)


@dataclass(slots=True)
class ProjectProgress:
    """One project's line of the monthly report; money in fen, percents rounded to 0.1."""

    id: int
    code: str
    name: str
    category: str
    level: str
    township: str | None
    task_force: str | None
    ptype: str
    total_fen: int
    year_plan_fen: int
    year_done_fen: int
    total_done_fen: int
    progress_pct: int | None
    progress_text: str | None
    reported_month: dt.date | None
    late: bool
    rate: Rate


@dataclass
class GroupProgress:
    """A group of projects (a category, a township, a task force, or all)."""

    key: str
    projects: int
    total_fen: int
    plan_fen: int
    done_fen: int
    rate: Rate


@dataclass
class MonthProgress:
    month: dt.date
    schedule_pct: Decimal
    rows: list[ProjectProgress]
    total: GroupProgress
    by_category: list[GroupProgress]
    by_township: list[GroupProgress]
    by_task_force: list[GroupProgress]
    slow: list[ProjectProgress]
    not_reported: list[ProjectProgress]
    late: list[ProjectProgress]
    slow_points: Decimal = field(default=SLOW_POINTS)


def month_statement(month: dt.date, actor: Actor, order=Project.code):
    """The one SELECT behind every figure of the month (see module doc)."""
    r = ProjectReport
    ranked = (select(r.project_id, r.year_done_fen, r.total_done_fen, r.progress_pct, r.progress_text, r.month, r.late,
                     func.row_number().over(partition_by=r.project_id, order_by=r.month.desc()).label("rn"))
              .where(r.month >= dt.date(month.year, 1, 1), r.month <= month).subquery())
    latest = ranked.c
    return (select(Project.id, Project.code, Project.name, Project.category, Project.level, Project.township,
                   Project.task_force, Project.ptype, Project.total_fen, Project.year_plan_fen, latest.year_done_fen,
                   latest.total_done_fen, latest.progress_pct, latest.progress_text, latest.month, latest.late)
            .select_from(Project)
            .outerjoin(ranked, and_(latest.project_id == Project.id, latest.rn == 1))
            .where(visible(actor))
            .order_by(order))


def _group(rows: list[ProjectProgress], key: Callable[[ProjectProgress], str | None], month: int) -> list[GroupProgress]:
    sums: dict[str, list[int]] = {}
    for p in rows:
        s = sums.setdefault(key(p) or "（未填）", [0, 0, 0, 0])
        s[0] += 1
        s[1] += p.total_fen
        s[2] += p.year_plan_fen
        s[3] += p.year_done_fen
    out = [GroupProgress(k, n, t, plan, done, rate_of(done, plan, month)) for k, (n, t, plan, done) in sums.items()]
    # ranking: completion of the annual plan, best first (exact figures; ties by name)
    return sorted(out, key=lambda g: (-(g.rate.exact_completion or 0), g.key))


def check_slow_points(slow_points: Decimal) -> Fraction:
    """The 进度滞后 threshold (points behind the schedule) as a fraction; ``ValidationFailed``
    when it is negative or not a finite number."""
    if not Decimal(slow_points).is_finite() or slow_points < 0:
        raise ValidationFailed(f"滞后阈值「{slow_points}」不对：应为不小于 0 的百分点数"
                               "（慢于时间进度超过多少个百分点列入滞后项目）")
    return Fraction(slow_points)


def month_progress(session: Session, actor: Actor, month: dt.date, slow_points: Decimal = SLOW_POINTS) -> MonthProgress:
    """Every figure of the month for what ``actor`` may see (``slow_points``: the 进度滞后 threshold)."""
    points = check_slow_points(slow_points)
    m = month.month
    rows = [ProjectProgress(pid, code, name, cat, lvl, town, tf, ptype, total, plan, ydone or 0, tdone or 0, pct, text,
                            rmonth, bool(late), rate_of(ydone or 0, plan, m))
            for (pid, code, name, cat, lvl, town, tf, ptype, total, plan, ydone, tdone, pct, text, rmonth, late)
            in session.execute(month_statement(month, actor, Project.id))]
    total = _group(rows, lambda p: "合计", m)
    empty = GroupProgress("合计", 0, 0, 0, 0, rate_of(0, 0, m))
    slow = sorted((p for p in rows if p.rate.behind_more_than(points)), key=lambda p: (p.rate.order, p.code))
    return MonthProgress(
        month=month, schedule_pct=rate_of(0, 1, m).schedule_pct, rows=rows, total=total[0] if total else empty,
        by_category=_group(rows, lambda p: p.category, m), by_township=_group(rows, lambda p: p.township, m),
        by_task_force=_group(rows, lambda p: p.task_force, m), slow=slow,
        not_reported=[p for p in rows if p.reported_month != month],
        late=[p for p in rows if p.reported_month == month and p.late], slow_points=slow_points)


def report_json(mp: MonthProgress) -> dict:
    """The ``zhida projects report --format json`` shape: per project the completion of the
    annual plan, the time-schedule percent and the points ahead (negative: behind), each as the
    exact fraction and rounded once to 0.1; money in fen."""
    def exact(x):
        return None if x is None else f"{x.numerator}/{x.denominator}"

    return {
        "month": f"{mp.month:%Y-%m}", "schedule_pct": str(mp.schedule_pct),
        "schedule_exact": f"{mp.month.month}/12",
        "projects": [{
            "code": p.code, "name": p.name, "category": p.category, "township": p.township,
            "task_force": p.task_force, "year_plan_fen": p.year_plan_fen, "year_done_fen": p.year_done_fen,
            "completion_exact": exact(p.rate.exact_completion),
            "completion_pct": None if p.rate.completion_pct is None else str(p.rate.completion_pct),
            "schedule_pct": str(p.rate.schedule_pct),
            "ahead_exact": exact(None if p.rate.exact_ahead is None else p.rate.exact_ahead * 100),
            "ahead_pp": None if p.rate.ahead_pp is None else str(p.rate.ahead_pp),
            "reported": p.reported_month == mp.month, "late": p.late,
        } for p in mp.rows],
        "total": {"year_plan_fen": mp.total.plan_fen, "year_done_fen": mp.total.done_fen,
                  "completion_pct": None if mp.total.rate.completion_pct is None else str(mp.total.rate.completion_pct),
                  "ahead_pp": None if mp.total.rate.ahead_pp is None else str(mp.total.rate.ahead_pp)},
    }
