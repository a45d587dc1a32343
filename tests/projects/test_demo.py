"""The 经开区 demo step (run by ``make demo``): about 60 projects, 11 task forces, a year of
monthly reports, problems, leads, energy projects and targets, loaded through the services."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from sqlalchemy import func, select

from zhida.db import session_scope
from zhida.platform.audit import verify
from zhida.projects.demo import demo_step
from zhida.projects.models import (
    InvestmentLead,
    Project,
    ProjectFieldValue,
    ProjectIssue,
    ProjectReport,
    ProjectTarget,
    TaskForce,
)


def test_demo_step_loads_the_zone(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIDA_DATA_DIR", str(tmp_path / "var"))
    from zhida.config import get_settings

    get_settings.cache_clear()
    console = Console(record=True, width=200)
    demo_step(tmp_path / "out", console)
    with session_scope(engine) as s:
        def count(model, *where):
            return s.scalar(select(func.count()).select_from(model).where(*where))

        assert count(TaskForce) == 11
        assert 60 <= count(Project) <= 64 and count(Project, Project.ptype == "能源") >= 8
        assert count(ProjectReport) >= 60 * 9
        assert count(InvestmentLead) == 15 and count(InvestmentLead, InvestmentLead.project_id.is_not(None)) == 2
        assert count(ProjectIssue, ProjectIssue.state == "已销号") == 8
        assert count(ProjectFieldValue, ProjectFieldValue.field == "wind_mw") >= 8
        assert count(ProjectTarget) == 4
        assert verify(s).ok
    text = console.export_text()
    assert "纳入调度的重点项目" in text and "zhuanban01" in text
    assert list((tmp_path / "out" / "projects").glob("重点项目推进情况通报-*.txt"))
    assert any(Path(tmp_path / "var" / "projects").rglob("*.png"))
    get_settings.cache_clear()
