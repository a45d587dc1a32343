"""Annual targets: progress = value ÷ target, and whether it keeps pace with the year.

A target counts its indicator one of two ways (``累计方式``):

- **累计** (a flow: 新增高新技术企业, 过亿元招商项目): the value is the year-to-date total,
  i.e. a period of the target year that starts in January (2026-01, 2026-01~03, 2026-Q1,
  2026). The latest such period ending on or before ``as_of`` is used; a later single month
  (2026-03) or a later quarter (2026-Q2) is not year-to-date and is never compared with
  the annual target.
- **时点** (a stock or level: 覆盖率 %, 平台注册企业 家): the latest value of the year, whatever
  span it covers.

When the import or the CLI leaves the mode empty, a target in % is 时点 and any other 累计.

A target is on track when its completion (%) is at least the share of the year elapsed at
the end of the period the value covers (Jan–Feb → 2/12 = 16.7%).

>>> from decimal import Decimal as D
>>> facts = [Fact("智能工厂", "甲市", "2026-01~02", "", "", D("9"), "个", None),
...          Fact("智能工厂", "甲市", "2026-01~03", "", "", D("12"), "个", None),
...          Fact("智能工厂", "甲市", "2026-03", "", "", D("3"), "个", None)]
>>> p = progress("智能工厂", "甲市", 2026, D("50"), "个", facts, dt.date(2026, 3, 20))
>>> p.period, str(p.completion_pct), p.on_track
('2026-01~02', '18.00', True)
>>> p = progress("智能工厂", "甲市", 2026, D("50"), "个", facts, dt.date(2026, 4, 2))
>>> p.period, p.value, p.on_track
('2026-01~03', Decimal('12'), False)
>>> progress("智能工厂", "甲市", 2026, D("50"), "个", facts, dt.date(2026, 4, 2), STOCK).period
'2026-03'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zhida.errors import ValidationFailed
from zhida.stats.compute import Fact
from zhida.stats.periods import Period
from zhida.stats.wording import round_half_up

FLOW, STOCK = "累计", "时点"
MODES = (FLOW, STOCK)


def default_mode(unit: str | None) -> str:
    """累计方式 of a target that does not say: a percentage is a level (时点), anything else 累计.

    >>> default_mode("%"), default_mode("家"), default_mode(None)
    ('时点', '累计', '累计')
    """
    return STOCK if (unit or "").strip() == "%" else FLOW


def check_mode(mode: str | None, unit: str | None) -> str:
    """The given mode, or the default for ``unit`` when empty; anything else is an error."""
    if mode is None or not str(mode).strip():
        return default_mode(unit)
    mode = str(mode).strip()
    if mode not in MODES:
        raise ValidationFailed(f"累计方式「{mode}」不对：应为 累计（流量，按年初至今累计值）或 时点（存量，取最新值）")
    return mode


@dataclass(frozen=True)
class TargetProgress:
    indicator: str
    region: str
    year: int
    target: Decimal
    unit: str | None
    value: Decimal | None  # year-to-date (累计) or latest (时点) value known on ``as_of``
    period: str | None  # the period that value covers
    completion_pct: Decimal | None
    elapsed_pct: Decimal | None
    on_track: bool | None  # None when there is no value yet
    note: str = ""
    mode: str = FLOW

    def to_json(self) -> dict:
        def num(v):
            return None if v is None else float(round_half_up(v, 1))

        return {"indicator": self.indicator, "region": self.region, "year": self.year,
                "target": num(self.target), "unit": self.unit, "mode": self.mode, "value": num(self.value),
                "period": self.period, "completion_pct": num(self.completion_pct),
                "elapsed_pct": num(self.elapsed_pct), "on_track": self.on_track, "note": self.note}


def is_year_to_date(p: Period) -> bool:
    """Whether a period runs from January (a year-to-date span).

    >>> [is_year_to_date(Period.parse(t)) for t in ("2026-01", "2026-01~03", "2026-Q1", "2026")]
    [True, True, True, True]
    >>> [is_year_to_date(Period.parse(t)) for t in ("2026-03", "2026-Q2", "2026-02~03")]
    [False, False, False]
    """
    return p.start == 1


def latest_in_year(facts: list[Fact], year: int, as_of: dt.date, mode: str = FLOW) -> tuple[Period, Fact] | None:
    """The total row of ``year`` ending last on or before ``as_of``.

    For 累计 only year-to-date periods count; for 时点 any period does (the shortest span on
    ties, the most specific reading of the level).
    """
    best = None
    for f in facts:
        if f.dimension or f.member or f.value is None:
            continue
        p = Period.parse(f.period)
        if p.year != year or p.last_day() > as_of or (mode == FLOW and not is_year_to_date(p)):
            continue
        if best is None or (p.end, -p.months) > (best[0].end, -best[0].months):
            best = (p, f)
    return best


def progress(indicator: str, region: str, year: int, target: Decimal, unit: str | None,
             facts: list[Fact], as_of: dt.date, mode: str | None = None) -> TargetProgress:
    mode = check_mode(mode, unit)
    found = latest_in_year(facts, year, as_of, mode)
    if found is None:
        what = "年初至今的累计数据" if mode == FLOW else "数据"
        return TargetProgress(indicator, region, year, target, unit, None, None, None, None, None,
                              f"截至 {as_of.isoformat()} 尚无{year}年的{what}", mode)
    p, fact = found
    if unit and fact.unit and unit != fact.unit:
        raise ValidationFailed(f"指标「{indicator}」目标的单位「{unit}」与数据的单位「{fact.unit}」不一致，无法计算完成率")
    elapsed = Decimal(p.end) / 12 * 100
    assert fact.value is not None  # latest_in_year skips facts without a value
    value = Decimal(fact.value)
    if target == 0:
        return TargetProgress(indicator, region, year, target, unit, value, str(p), None, elapsed, None,
                              "目标值为 0：完成率无法计算", mode)
    completion = value / Decimal(target) * 100
    return TargetProgress(indicator, region, year, target, unit, value, str(p), completion,
                          elapsed, completion >= elapsed, "", mode)
