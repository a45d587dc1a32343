"""What the CLI and the web console call: plain data in, plain data out.

Every function takes an open SQLAlchemy session (or an engine for ``load_demo``) and
returns typed results or JSON-able dicts; domain errors are ``ZhidaError`` subclasses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from zhida.errors import ValidationFailed
from zhida.stats import bulletin, charts, store
from zhida.stats.compute import Result, StatRow, compute_facts
from zhida.stats.periods import Period
from zhida.stats.targets import TargetProgress, check_mode, progress

DEMO_FILES = [("indicators", "customs.csv"), ("indicators", "industry.csv"), ("indicators", "progress.csv"),
              ("targets", "targets.csv")]
DEMO_REGION, DEMO_PERIOD = "聊城市", "2026-01~02"


def _period(period: str | Period) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(period)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None


def compute_result(session: Session, indicator: str, region: str, period: str | Period,
                   dimension: str | None = None) -> Result:
    """Rows, notes (what is undefined and why) and 增长面 of one indicator and period."""
    p = _period(period)
    facts = store.load_facts(session, indicator, region, [p, p.previous_year()])
    return compute_facts(facts, indicator, region, p, dimension)


def compute(session: Session, indicator: str, region: str, period: str | Period,
            dimension: str | None = None) -> list[StatRow]:
    """The total and each 维度值 of ``dimension``: value, growth, share, contribution, pull."""
    return compute_result(session, indicator, region, period, dimension).rows


@dataclass(frozen=True)
class IndicatorInfo:
    indicator: str
    region: str
    unit: str | None
    periods: list[str]  # newest first
    dimensions: list[str]


def list_indicators(session: Session) -> list[IndicatorInfo]:
    """Every indicator and region in the database with its periods and dimensions."""
    groups: dict[tuple[str, str], dict] = {}
    for indicator, region, period, dimension, unit in store.indicator_catalogue(session):
        g = groups.setdefault((indicator, region), {"unit": None, "periods": set(), "dims": set()})
        g["unit"] = g["unit"] or unit
        g["periods"].add(period)
        if dimension:
            g["dims"].add(dimension)
    return [IndicatorInfo(i, r, g["unit"], [str(p) for p in sorted(map(Period.parse, g["periods"]), reverse=True)],
                          sorted(g["dims"]))
            for (i, r), g in sorted(groups.items())]


def target_progress(session: Session, region: str, year: int, as_of: dt.date | None = None) -> list[TargetProgress]:
    """Progress of every target of ``region`` in ``year`` with the data known on ``as_of``."""
    as_of = as_of or dt.date.today()
    out = []
    for t in store.load_targets(session, region, year):
        facts = store.load_totals(session, t.indicator, region)
        out.append(progress(t.indicator, region, year, Decimal(t.target), t.unit, facts, as_of, t.mode))
    return out


def set_target(session: Session, indicator: str, region: str, year: int, target: Decimal, unit: str | None,
               mode: str | None = None) -> None:
    """Set (or change) a target; ``mode`` is 累计 or 时点, by default 时点 for % and 累计 otherwise."""
    store.set_target(session, indicator, region, year, target, unit, check_mode(mode, unit))


def render_bulletin(session: Session, template: str, region: str, period: str | Period) -> str:
    """A Chinese bulletin paragraph (or paragraphs) from a shipped template name or a .j2 path."""
    p = _period(period)

    def load(indicator: str, reg: str, per: Period):
        return store.load_facts(session, indicator, reg, [per, per.previous_year()])

    return bulletin.render(template, region, p, load)


def bulletin_templates() -> dict[str, str]:
    """{name: Chinese title} of the shipped bulletin templates."""
    return bulletin.template_titles()


def chart_options(session: Session, kind: str, indicator: str, region: str, period: str | Period | None = None,
                  dimension: str | None = None) -> dict:
    """ECharts option dict: ``kind='bar'`` for the 维度值 of a dimension in one period,
    ``kind='line'`` for the series of totals over time."""
    if kind == "bar":
        if period is None or not dimension:
            raise ValidationFailed("柱状图需要给出期间和维度")
        rows = compute(session, indicator, region, period, dimension)
        return charts.bar_option(rows, f"{region}{_period(period).label()}{indicator}（按{dimension}）")
    if kind == "line":
        points = charts.series_points(store.load_totals(session, indicator, region), indicator, region)
        return charts.line_option(points, f"{region}{indicator}")
    raise ValidationFailed(f"未知的图表类型 {kind}：应为 bar（柱状图）或 line（折线图）")


def load_demo(engine: Engine) -> list:
    """Import the demo statistics (customs and industry of 聊城, Jan–Feb 2026) and targets
    through the import machinery; returns the import results."""
    from zhida.imports.engine import run_import

    results = []
    root = resources.files("zhida.stats") / "demo"
    for kind, name in DEMO_FILES:
        with resources.as_file(root / name) as path:
            results.append(run_import(kind, path, engine=engine, display_name=f"demo/{name}"))
    return results


def unit_growth_breadth(session: Session, year: int, quarter: int, section: str | None = None):
    """增长面 of 规上 industrial units (from ``industrial_output``) in one quarter."""
    from zhida.stats.unitgrowth import unit_breadth

    return unit_breadth(session, year, quarter, section)
