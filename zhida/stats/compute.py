"""Growth, share, contribution and pull of an indicator and its breakdown (domain.md §4).

Pure functions over ``Fact`` records; exact ``Decimal`` arithmetic; rounding happens only
when a row is serialised (``StatRow.to_json``) or printed (``zhida.stats.wording``).

>>> facts = [
...     Fact("进出口总值", "甲市", "2026-01~02", "", "", D("150"), "亿元", None),
...     Fact("进出口总值", "甲市", "2025-01~02", "", "", D("100"), "亿元", None),
...     Fact("进出口总值", "甲市", "2026-01~02", "流向", "出口", D("90"), "亿元", None),
...     Fact("进出口总值", "甲市", "2025-01~02", "流向", "出口", D("50"), "亿元", None),
...     Fact("进出口总值", "甲市", "2026-01~02", "流向", "进口", D("60"), "亿元", None),
...     Fact("进出口总值", "甲市", "2025-01~02", "流向", "进口", D("50"), "亿元", None),
... ]
>>> res = compute_facts(facts, "进出口总值", "甲市", "2026-01~02", "流向")
>>> [(r.member, r.to_json()["yoy_pct"], r.to_json()["share_pct"], r.to_json()["contribution_pct"], r.to_json()["pull_pp"])
...  for r in res.rows]
[(None, 50.0, 100.0, 100.0, 50.0), ('出口', 80.0, 60.0, 80.0, 40.0), ('进口', 20.0, 40.0, 20.0, 10.0)]
>>> res.breadth
Breadth(grew=2, members=2, pct=Decimal('100'))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from decimal import Decimal as D  # noqa: F401  (doctest shorthand)

from zhida.errors import NotFound, ValidationFailed
from zhida.stats.periods import Period
from zhida.stats.wording import round_half_up

HUNDRED = Decimal(100)
# units whose values do not add up to a total: no share, contribution or pull
NON_ADDITIVE_UNITS = {"%", "‰", "倍", "个百分点"}
JSON_KEYS = ("indicator", "region", "period", "dimension", "member", "value", "unit", "yoy_pct",
             "yoy_source", "share_pct", "contribution_pct", "pull_pp")


@dataclass(frozen=True)
class Fact:
    """One input row of the long format (``dimension == member == ''`` for the total)."""

    indicator: str
    region: str
    period: str
    dimension: str
    member: str
    value: Decimal | None
    unit: str | None
    yoy_published: Decimal | None


@dataclass(frozen=True)
class StatRow:
    """The computed figures of the total (``member is None``) or of one 维度值, exact."""

    indicator: str
    region: str
    period: str
    dimension: str | None
    member: str | None
    value: Decimal | None
    unit: str | None
    yoy_pct: Decimal | None
    yoy_source: str | None  # 'computed' | 'published' | None
    share_pct: Decimal | None
    contribution_pct: Decimal | None
    pull_pp: Decimal | None
    base_value: Decimal | None = None  # level of the same period last year
    base_source: str | None = None  # 'data' | 'derived' (value ÷ (1 + 同比/100)) | None

    @property
    def name(self) -> str:
        return self.member if self.member is not None else "合计"

    def to_json(self) -> dict:
        """Exactly the keys of the JSON output; numbers rounded half up to one decimal."""
        out = {}
        for key in JSON_KEYS:
            v = getattr(self, key)
            out[key] = float(round_half_up(v, 1)) if isinstance(v, Decimal) else v
        return out


@dataclass(frozen=True)
class Breadth:
    """增长面: members that grew ÷ members with a defined growth × 100."""

    grew: int
    members: int
    pct: Decimal | None


@dataclass
class Result:
    rows: list[StatRow]
    notes: list[str] = field(default_factory=list)  # Chinese: what is undefined and why
    breadth: Breadth | None = None

    @property
    def total(self) -> StatRow | None:
        return next((r for r in self.rows if r.member is None), None)

    def member(self, name: str) -> StatRow:
        for r in self.rows:
            if r.member == name:
                return r
        raise NotFound(f"没有维度值「{name}」的数据")


def _where(indicator: str, region: str, period: str) -> str:
    return f"指标「{indicator}」地区「{region}」期间「{period}」"


def _pick(facts: Iterable[Fact], indicator: str, region: str, period: str) -> dict[tuple[str, str], Fact]:
    return {(f.dimension, f.member): f for f in facts
            if f.indicator == indicator and f.region == region and f.period == period}


def check_units(facts: Iterable[Fact], indicator: str) -> str | None:
    """The one unit of an indicator's values; a value without unit or mixed units is refused."""
    units: dict[str, str] = {}
    for f in facts:
        if f.value is None:
            continue
        if not f.unit:
            raise ValidationFailed(
                f"{_where(f.indicator, f.region, f.period)}维度值「{f.member or '合计'}」"
                f"有数值 {f.value} 却没有单位：请在「单位」列填写，如 亿元、万元、家")
        units.setdefault(f.unit, f"{f.period} {f.member or '合计'}")
    if len(units) > 1:
        listed = "；".join(f"{u}（如 {where}）" for u, where in units.items())
        raise ValidationFailed(f"指标「{indicator}」的单位不一致：{listed}。同一指标只能用一种单位，请统一后重新导入")
    return next(iter(units), None)


def _yoy(cur: Fact, base: Fact | None, notes: list[str], label: str) -> tuple[Decimal | None, str | None]:
    if cur.yoy_published is not None:
        return Decimal(cur.yoy_published), "published"
    if cur.value is None:
        notes.append(f"「{label}」没有数值也没有同比：增速无法计算")
        return None, None
    if base is None or base.value is None:
        notes.append(f"「{label}」缺少上年同期数值且未给出同比：增速无法计算")
        return None, None
    if base.value == 0:
        notes.append(f"「{label}」上年同期数值为 0：增速无意义，不予计算")
        return None, None
    return (Decimal(cur.value) / Decimal(base.value) - 1) * HUNDRED, "computed"


def _base(cur: Fact, base: Fact | None, notes: list[str], label: str) -> tuple[Decimal | None, str | None]:
    if base is not None and base.value is not None:
        return Decimal(base.value), "data"
    if cur.value is not None and cur.yoy_published is not None and cur.yoy_published != -100:
        notes.append(f"「{label}」的上年同期数值由同比倒推：数值 ÷ (1 + 同比/100)")
        return Decimal(cur.value) / (1 + Decimal(cur.yoy_published) / HUNDRED), "derived"
    return None, None


def _ratio(num: Decimal | None, den: Decimal | None) -> Decimal | None:
    if num is None or den is None or den == 0:
        return None
    return num / den * HUNDRED


def compute_facts(facts: Iterable[Fact], indicator: str, region: str, period: str | Period,
                  dimension: str | None = None) -> Result:
    """Figures of the total and of each 维度值 of ``dimension`` for one period."""
    facts = list(facts)
    p = period if isinstance(period, Period) else Period.parse(period)
    cur = _pick(facts, indicator, region, str(p))
    prev = _pick(facts, indicator, region, str(p.previous_year()))
    if not cur:
        raise NotFound(f"{_where(indicator, region, str(p))}没有数据")
    dim = dimension or ""
    keys = [k for k in cur if k[0] == dim and k[1]] if dim else []
    if dim and not keys:
        found = sorted({k[0] for k in cur if k[0]})
        raise NotFound(f"{_where(indicator, region, str(p))}没有维度「{dim}」的数据"
                       f"（已有维度：{'、'.join(found) or '无'}）")
    unit = check_units([cur[k] for k in cur] + [prev[k] for k in prev], indicator)
    notes: list[str] = []
    additive = unit not in NON_ADDITIVE_UNITS
    if not additive and dim:
        notes.append(f"单位为「{unit}」，数值不能相加：占比、贡献率、拉动不适用")
    top = cur.get(("", ""))
    total = _figures(top, prev.get(("", "")), notes, "合计") if top is not None else None
    if total is None and dim:
        notes.append(f"{_where(indicator, region, str(p))}没有合计行（维度为空）：占比、贡献率、拉动无法计算")
    keys.sort(key=lambda k: (cur[k].value is None, -(cur[k].value or 0), k[1]))
    rows = []
    ctx = _TotalCtx(total, additive, notes)
    if total is not None:
        rows.append(_row(indicator, region, p, dimension, None, total, ctx))
    for k in keys:
        fig = _figures(cur[k], prev.get(k), notes, k[1])
        rows.append(_row(indicator, region, p, dimension, k[1], fig, ctx))
    return Result(rows, notes, breadth([r for r in rows if r.member is not None]) if dim else None)


@dataclass
class _Fig:
    fact: Fact
    yoy: Decimal | None
    yoy_source: str | None
    base: Decimal | None
    base_source: str | None

    @property
    def delta(self) -> Decimal | None:
        if self.fact.value is None or self.base is None:
            return None
        return Decimal(self.fact.value) - self.base


def _figures(cur: Fact, prev: Fact | None, notes: list[str], label: str) -> _Fig:
    yoy, src = _yoy(cur, prev, notes, label)
    base, bsrc = _base(cur, prev, notes, label)
    return _Fig(cur, yoy, src, base, bsrc)


@dataclass
class _TotalCtx:
    total: _Fig | None
    additive: bool
    notes: list[str]
    said_zero_delta: bool = False

    def delta_total(self) -> Decimal | None:
        d = self.total.delta if self.total else None
        if d == 0 and not self.said_zero_delta:
            self.notes.append("合计与上年同期持平（增量为 0）：贡献率无法计算")
            self.said_zero_delta = True
        return d


def _row(indicator, region, p, dimension, member, fig: _Fig, ctx: _TotalCtx) -> StatRow:
    value = None if fig.fact.value is None else Decimal(fig.fact.value)
    share = contribution = pull = None
    if ctx.additive and ctx.total is not None:
        tv = ctx.total.fact.value
        share = _ratio(value, None if tv is None else Decimal(tv))
        contribution = _ratio(fig.delta, ctx.delta_total())
        pull = _ratio(fig.delta, ctx.total.base)
    return StatRow(indicator, region, str(p), dimension, member, value, fig.fact.unit, fig.yoy,
                   fig.yoy_source, share, contribution, pull, fig.base, fig.base_source)


def breadth(rows: list[StatRow]) -> Breadth:
    """增长面 of a set of members (those without a defined growth are left out).

    >>> breadth([])
    Breadth(grew=0, members=0, pct=None)
    """
    known = [r for r in rows if r.yoy_pct is not None]
    grew = sum(1 for r in known if r.yoy_pct is not None and r.yoy_pct > 0)
    return Breadth(grew, len(known), _ratio(Decimal(grew), Decimal(len(known))))
