"""ECharts option dicts (plain JSON-able data) for the 经济运行 pages.

The web console renders them with a vendored ``echarts.min.js``; nothing here loads a CDN.
Numbers are rounded half up to one decimal, as everywhere at output.
"""

from __future__ import annotations

from decimal import Decimal

from zhida.stats.compute import Fact, StatRow, compute_facts
from zhida.stats.periods import Period
from zhida.stats.wording import round_half_up


def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(round_half_up(v, 1))


def bar_option(rows: list[StatRow], title: str) -> dict:
    """Bar chart of the 维度值 of one dimension (values) with their growth on a second axis."""
    members = [r for r in rows if r.member is not None]
    unit = next((r.unit for r in rows if r.unit), "")
    return {
        "title": {"text": title, "left": "center"},
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [f"数值（{unit}）", "同比（%）"], "bottom": 0},
        "grid": {"containLabel": True, "bottom": 40},
        "xAxis": {"type": "category", "data": [r.member for r in members], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": [{"type": "value", "name": unit}, {"type": "value", "name": "%"}],
        "series": [
            {"name": f"数值（{unit}）", "type": "bar", "data": [_num(r.value) for r in members],
             "label": {"show": True, "position": "top"}},
            {"name": "同比（%）", "type": "line", "yAxisIndex": 1, "data": [_num(r.yoy_pct) for r in members]},
        ],
    }


def series_points(facts: list[Fact], indicator: str, region: str, kind: str | None = None) -> list[StatRow]:
    """The total of every period (of one kind, default: the most frequent) in time order."""
    totals = [f for f in facts if not f.dimension and not f.member and f.indicator == indicator and f.region == region]
    periods = sorted({Period.parse(f.period) for f in totals})
    if kind is None and periods:
        kinds = [p.kind for p in periods]
        kind = max(set(kinds), key=kinds.count)
    out = [compute_facts(totals, indicator, region, p).total for p in periods if p.kind == kind]
    return [r for r in out if r is not None]  # every period here has its total fact


def line_option(points: list[StatRow], title: str) -> dict:
    """Line chart of a series of totals: value and growth over time."""
    unit = next((r.unit for r in points if r.unit), "")
    return {
        "title": {"text": title, "left": "center"},
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [f"数值（{unit}）", "同比（%）"], "bottom": 0},
        "grid": {"containLabel": True, "bottom": 40},
        "xAxis": {"type": "category", "data": [Period.parse(r.period).label() for r in points]},
        "yAxis": [{"type": "value", "name": unit}, {"type": "value", "name": "%"}],
        "series": [
            {"name": f"数值（{unit}）", "type": "line", "data": [_num(r.value) for r in points]},
            {"name": "同比（%）", "type": "line", "yAxisIndex": 1, "data": [_num(r.yoy_pct) for r in points]},
        ],
    }
