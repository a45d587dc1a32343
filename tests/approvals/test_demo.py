"""The approvals demo on a small registry: a year of cases, the green-channel forest-land case."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.approvals import dashboard, demo, queries
from zhida.approvals.models import Case
from zhida.identifiers import make_uscc
from zhida.registry.models import Unit


def test_demo_year_and_forest_land_case(engine, tmp_path):
    with Session(engine) as s:
        for i in range(30):
            s.add(Unit(uscc=make_uscc(f"91371524MA3E{i:04d}X"), name=f"演示企业{i}", unit_type="企业",
                       industry_code="C3311", industry_section="C", employees=50, revenue_wan=Decimal("1000"),
                       size_class="小型", size_source="recorded"))
        s.commit()
    console = Console(record=True, width=200)
    demo.demo_step(tmp_path, console)
    text = console.export_text()
    assert "按时办结率" in text and "上门送达" in text
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Case)) > 2400
        d = dashboard.dashboard(s, 2026, (1, 11))
        on_time = s.scalar(select(func.count()).select_from(Case).where(Case.on_time.is_(True), Case.month <= "2026-11"))
        done = s.scalar(select(func.count()).select_from(Case).where(Case.completed_on.is_not(None)))
        assert d.total.cases == done and d.total.on_time_pct == dashboard.pct(on_time, done)
        forest = queries.cases_for_project(s, demo.KEY_PROJECT, demo.TODAY)
        assert [r.state for r in forest] == ["待补正", "已送达"]
        detail = queries.case_detail(s, forest[1].case_no, demo.TODAY)
        assert detail.case.green_channel and detail.case.used_days == 9 and detail.case.on_time
        assert [x.stage for x in detail.services] == ["提前介入", "上门受理", "跟踪催办", "统一送达", "事后评价"]
        assert detail.slowest.name == "现场查验"
    assert (tmp_path / "approvals" / "审批统计-2026.xlsx").exists()
    demo.demo_step(tmp_path, console)  # a second run leaves the data as it is
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 2403
