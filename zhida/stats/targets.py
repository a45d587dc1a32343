"""Annual targets: progress = value ÷ target, and whether it keeps pace with the year.

A target is on track when its completion (%) is at least the share of the year elapsed at
the end of the period the value covers (Jan–Feb → 2/12 = 16.7%).

>>> from decimal import Decimal as D
>>> facts = [Fact("智能工厂", "甲市", "2026-01~02", "", "", D("9"), "个", None),
...          Fact("智能工厂", "甲市", "2026-01~03", "", "", D("12"), "个", None)]
>>> p = progress("智能工厂", "甲市", 2026, D("50"), "个", facts, dt.date(2026, 3, 20))
>>> p.period, str(p.completion_pct), p.on_track
('2026-01~02', '18.00', True)
>>> progress("智能工厂", "甲市", 2026, D("50"), "个", facts, dt.date(2026, 4, 2)).on_track
False
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zhida.errors import ValidationFailed
from zhida.stats.compute import Fact
from zhida.stats.periods import Period
from zhida.stats.wording import round_half_up


@dataclass(frozen=True)
class TargetProgress:
    indicator: str
    region: str
    year: int
    target: Decimal
    unit: str | None
    value: Decimal | None  # latest value of the year known on ``as_of``
    period: str | None  # the period that value covers
    completion_pct: Decimal | None
    elapsed_pct: Decimal | None
    on_track: bool | None  # None when there is no value yet
    note: str = ""

    def to_json(self) -> dict:
        def num(v):
            return None if v is None else float(round_half_up(v, 1))

        return {"indicator": self.indicator, "region": self.region, "year": self.year,
                "target": num(self.target), "unit": self.unit, "value": num(self.value),
                "period": self.period, "completion_pct": num(self.completion_pct),
                "elapsed_pct": num(self.elapsed_pct), "on_track": self.on_track, "note": self.note}


def latest_in_year(facts: list[Fact], year: int, as_of: dt.date) -> tuple[Period, Fact] | None:
    """The total row of ``year`` ending last on or before ``as_of`` (longest span on ties)."""
    best = None
    for f in facts:
        if f.dimension or f.member or f.value is None:
            continue
        p = Period.parse(f.period)
        if p.year != year or p.last_day() > as_of:
            continue
        if best is None or (p.end, p.months) > (best[0].end, best[0].months):
            best = (p, f)
    return best


def progress(indicator: str, region: str, year: int, target: Decimal, unit: str | None,
             facts: list[Fact], as_of: dt.date) -> TargetProgress:
    found = latest_in_year(facts, year, as_of)
    if found is None:
        return TargetProgress(indicator, region, year, target, unit, None, None, None, None, None,
                              f"截至 {as_of.isoformat()} 尚无{year}年的数据")
    p, fact = found
    if unit and fact.unit and unit != fact.unit:
        raise ValidationFailed(f"指标「{indicator}」目标的单位「{unit}」与数据的单位「{fact.unit}」不一致，无法计算完成率")
    elapsed = Decimal(p.end) / 12 * 100
    if target == 0:
        return TargetProgress(indicator, region, year, target, unit, fact.value, str(p), None, elapsed, None,
                              "目标值为 0：完成率无法计算")
    completion = Decimal(fact.value) / Decimal(target) * 100
    return TargetProgress(indicator, region, year, target, unit, Decimal(fact.value), str(p), completion,
                          elapsed, completion >= elapsed)
