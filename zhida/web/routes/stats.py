"""经济运行: indicator tables with 同比/占比/贡献率/拉动, ECharts bar and line charts (offline),
target progress, and rendered bulletins with a copy button. All figures come from zhida.stats."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhida.errors import ZhidaError
from zhida.stats import service as stats
from zhida.web.deps import SessionDep, StaffDep
from zhida.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=100)]


@router.get("/stats")
def stats_page(request: Request, actor: StaffDep, db: SessionDep, indicator: Text = "", region: Text = "",
               period: Text = "", dimension: Text = "", template: Text = "") -> Response:
    catalogue = stats.list_indicators(db)
    chosen = next((i for i in catalogue if i.indicator == indicator and i.region == region), None) \
        or (catalogue[0] if catalogue else None)
    ctx: dict = {"catalogue": catalogue, "chosen": chosen, "templates": stats.bulletin_templates(),
                 "template": template, "rows": [], "bar": None, "line": None, "bulletin": None, "problem": None}
    if chosen is not None:
        period = period if period in chosen.periods else chosen.periods[0]
        dimension = dimension if dimension in chosen.dimensions else (chosen.dimensions[0] if chosen.dimensions else "")
        ctx.update(period=period, dimension=dimension)
        try:
            ctx["rows"] = stats.compute(db, chosen.indicator, chosen.region, period, dimension or None)
            ctx["line"] = stats.chart_options(db, "line", chosen.indicator, chosen.region)
            if dimension:
                ctx["bar"] = stats.chart_options(db, "bar", chosen.indicator, chosen.region, period, dimension)
            ctx["targets"] = stats.target_progress(db, chosen.region, int(period[:4]), dt.date.today())
            if template:
                ctx["bulletin"] = stats.render_bulletin(db, template, chosen.region, period)
        except ZhidaError as err:  # shown on the page next to the choice that caused it
            ctx["problem"] = err.message
    return render(request, "stats.html", ctx, actor=actor)
