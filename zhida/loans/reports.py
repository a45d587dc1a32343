"""Reports of the programme (统计报表与简报): loans granted per year against targets, by target
group and township, jobs created, and the bulletin sentence in the style of the county's
annual report ("全年发放创业担保贷款 1.16 亿元，帮助 463 个创业项目…").

>>> amount_words(116_000_000_00), amount_words(2_345_600_00)
('1.16亿元', '234.56万元')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.loans.models import Loan, LoanTarget


def amount_words(fen: int) -> str:
    """An amount as a bulletin writes it: 亿元 from 1 亿, else 万元 (two decimals, half up)."""
    q = Decimal("0.01")
    if fen >= 100_000_000_00:
        return f"{(Decimal(fen) / 100_000_000_00).quantize(q, ROUND_HALF_UP)}亿元"
    return f"{(Decimal(fen) / 1_000_000).quantize(q, ROUND_HALF_UP)}万元"


@dataclass
class Group:
    name: str
    count: int
    amount_fen: int
    jobs: int


@dataclass
class YearReport:
    year: int
    count: int
    amount_fen: int
    jobs: int
    target_count: int | None
    target_fen: int | None
    by_group: list[Group] = field(default_factory=list)
    by_township: list[Group] = field(default_factory=list)

    @property
    def average_fen(self) -> int:
        return 0 if not self.count else int((Decimal(self.amount_fen) / self.count).quantize(Decimal(1), ROUND_HALF_UP))

    def progress(self) -> str | None:
        if not self.target_fen:
            return None
        pct = (Decimal(self.amount_fen) * 100 / self.target_fen).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return f"{pct}%"

    def bulletin(self) -> str:
        """The sentence of the annual bulletin, from the data."""
        text = (f"{self.year}年全年发放创业担保贷款{amount_words(self.amount_fen)}，帮助{self.count}个创业项目，"
                f"带动就业{self.jobs}人，平均每笔{self.average_fen / 100:,.2f}元")
        if self.progress():
            text += f"，完成年度目标的{self.progress()}"
        return text + "。"

    def summary(self) -> str:
        lines = [self.bulletin(), "按人员类别："]
        lines += [f"  {g.name}：{g.count} 笔，{g.amount_fen / 100:,.2f} 元，带动就业 {g.jobs} 人" for g in self.by_group]
        lines.append("按乡镇（街道）：")
        lines += [f"  {g.name}：{g.count} 笔，{g.amount_fen / 100:,.2f} 元，带动就业 {g.jobs} 人" for g in self.by_township]
        return "\n".join(lines)


def _in_year(year: int):
    import datetime as dt

    return Loan.start.between(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _groups(session: Session, year: int, col) -> list[Group]:
    stmt = (select(col, func.count(), func.sum(Loan.principal_fen), func.sum(Loan.jobs_created))
            .where(_in_year(year)).group_by(col))
    out = [Group(n or "未填", int(c), int(a), int(j or 0)) for n, c, a, j in session.execute(stmt)]
    return sorted(out, key=lambda g: (-g.amount_fen, g.name))


def year_report(session: Session, year: int) -> YearReport:
    n, amount, jobs = session.execute(select(func.count(), func.coalesce(func.sum(Loan.principal_fen), 0),
                                             func.coalesce(func.sum(Loan.jobs_created), 0))
                                      .where(_in_year(year))).one()
    target = session.get(LoanTarget, year)
    return YearReport(year, int(n), int(amount), int(jobs), target.count if target else None,
                      target.amount_fen if target else None, _groups(session, year, Loan.target_group),
                      _groups(session, year, Loan.township))


def set_target(session: Session, year: int, amount_fen: int, count: int) -> LoanTarget:
    t = session.get(LoanTarget, year) or LoanTarget(year=year)
    t.amount_fen, t.count = amount_fen, count
    session.add(t)
    session.flush()
    return t
