"""The year's targets (年度目标) as indicators, "以上" meaning at least (≥), with their progress.

Indicators counted from the data:
- 过亿元项目: ledger projects of the year with total investment ≥ 1亿元 (个);
- 完成投资: investment completed this year, the latest reports up to the month (亿元);
- 到位资金: funds in place of leads signed in the year (亿元);
and 新增高新技术企业 (家), entered by staff (``actual``) since the ledger cannot count it.
Completion = actual ÷ target; ahead/behind against the time schedule, exact then rounded once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from zhida.errors import ValidationFailed
from zhida.platform import audit
from zhida.projects.models import InvestmentLead, Project, ProjectReport, ProjectTarget
from zhida.projects.rates import met, round_pct, schedule
from zhida.roles import Actor, Role

YI_FEN = 10_000_000_000  # 1亿元 in fen
INDICATORS = {"过亿元项目": "个", "完成投资": "亿元", "到位资金": "亿元", "新增高新技术企业": "家"}
COMPUTED = ("过亿元项目", "完成投资", "到位资金")


@dataclass
class TargetProgress:
    indicator: str
    unit: str
    target: Decimal
    actual: Decimal | None
    met: bool | None
    completion_pct: Decimal | None
    ahead_pp: Decimal | None


def set_target(session: Session, actor: Actor, year: int, indicator: str, target: Decimal,
               actual: Decimal | None = None) -> ProjectTarget:
    """Set a target (``actual`` only for indicators the ledger cannot count)."""
    actor.require(Role.OPERATOR, action="设定年度目标")
    if indicator not in INDICATORS:
        raise ValidationFailed(f"目标指标「{indicator}」不对：应为 {'、'.join(INDICATORS)}")
    if target <= 0:
        raise ValidationFailed("目标值应大于 0")
    if actual is not None and indicator in COMPUTED:
        raise ValidationFailed(f"「{indicator}」由台账数据计算，不能手工填写完成值")
    row = session.get(ProjectTarget, (year, indicator)) or ProjectTarget(year=year, indicator=indicator,
                                                                          unit=INDICATORS[indicator])
    before = None if row.target is None else str(row.target)
    row.target, row.actual = target, actual
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="设定年度目标", entity="project_target", entity_id=f"{year}:{indicator}",
                 before={"目标": before}, after={"目标": str(target), "完成": None if actual is None else str(actual)})
    return row


def computed_actuals(session: Session, month: dt.date) -> dict[str, Fraction]:
    """The counted indicators at the end of ``month`` (exact; 亿元 as fractions)."""
    y0 = dt.date(month.year, 1, 1)
    big = session.scalar(select(func.count()).select_from(Project)
                         .where(Project.plan_year == month.year, Project.total_fen >= YI_FEN))
    latest = (select(ProjectReport.project_id.label("pid"), func.max(ProjectReport.month).label("m"))
              .where(ProjectReport.month >= y0, ProjectReport.month <= month).group_by(ProjectReport.project_id)
              .subquery())
    done = session.scalar(select(func.coalesce(func.sum(ProjectReport.year_done_fen), 0))
                          .join(latest, and_(latest.c.pid == ProjectReport.project_id,
                                             latest.c.m == ProjectReport.month)))
    funds = session.scalar(select(func.coalesce(func.sum(InvestmentLead.funds_in_place_fen), 0))
                           .where(InvestmentLead.signed_on >= y0, InvestmentLead.signed_on <= _month_end(month)))
    return {"过亿元项目": Fraction(int(big or 0)), "完成投资": Fraction(int(done or 0), YI_FEN), "到位资金": Fraction(int(funds or 0), YI_FEN)}


def _month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _shown(value: Fraction) -> Decimal:
    """An exact actual for display: whole numbers as they are, else 0.01 rounded half up."""
    if value.denominator == 1:
        return Decimal(value.numerator)
    hundredths, rest = divmod(value.numerator * 100, value.denominator)
    return Decimal(hundredths + (2 * rest >= value.denominator)).scaleb(-2)


def progress(session: Session, month: dt.date) -> list[TargetProgress]:
    """Each target of ``month``'s year with its actual, met (≥), completion and points ahead."""
    rows = session.scalars(select(ProjectTarget).where(ProjectTarget.year == month.year)
                           .order_by(ProjectTarget.indicator)).all()
    actuals = computed_actuals(session, month)
    out = []
    for t in rows:
        actual = actuals.get(t.indicator)
        if actual is None and t.actual is not None:
            actual = Fraction(Decimal(t.actual))
        target = Fraction(Decimal(t.target))
        if actual is None:
            out.append(TargetProgress(t.indicator, t.unit, Decimal(t.target), None, None, None, None))
            continue
        share = actual / target
        out.append(TargetProgress(t.indicator, t.unit, Decimal(t.target).normalize(), _shown(actual),
                                  met(actual, target), round_pct(share), round_pct(share - schedule(month.month))))
    return out
