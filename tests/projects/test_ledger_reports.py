"""The ledger and monthly reports on SQLite and PostgreSQL: every bad input refused by its rule."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.projects.conftest import OCT, OPERATOR, TF1, TF2, TODAY, USCC, project, report
from zhida.db import session_scope
from zhida.errors import NotFound, PermissionDenied, StateError, ValidationFailed
from zhida.platform.models import AuditEntry
from zhida.projects import ledger
from zhida.projects.models import Project, ProjectReport
from zhida.projects.reports import correct_report, revisions, submit_report


def test_enterprise_comes_from_the_registry(ledger_world):
    with session_scope(ledger_world.engine) as s:
        a = s.get(Project, ledger_world.a)
        assert (a.uscc, a.enterprise) == (USCC, "聊城新能源装备有限公司")
        with pytest.raises(NotFound, match="不存在"):
            ledger.create_project(s, OPERATOR, project("JK-9", "x", "1", "2", None, uscc="91371500MA3P0009XX"[:18]))


@pytest.mark.parametrize("change, rule", [
    (dict(category="在建"), "项目类别"), (dict(plan_wan="30", total_wan="20"), "年度计划投资不能大于总投资"),
    (dict(tf="无此专班"), "专班「无此专班」未设立"), (dict(ptype="水利"), "项目类型「水利」未声明"),
])
def test_bad_projects_are_refused(ledger_world, change, rule):
    args = dict(code="JK-8", name="x", plan_wan="10", total_wan="20", tf=None) | change
    with session_scope(ledger_world.engine) as s, pytest.raises(ValidationFailed, match=rule):
        ledger.create_project(s, OPERATOR, project(**args))


def test_duplicate_code_is_refused(ledger_world):
    with session_scope(ledger_world.engine) as s, pytest.raises(ValidationFailed, match="JK-001 已存在"):
        ledger.create_project(s, OPERATOR, project("JK-001", "x", "1", "2", None))


def test_energy_fields_only_on_energy_projects(ledger_world):
    with session_scope(ledger_world.engine) as s:
        a, b = s.get(Project, ledger_world.a), s.get(Project, ledger_world.b)
        ledger.set_field(s, TF1, a, "风电装机容量(MW)", "100.5")
        ledger.set_field(s, TF1, a, "generation_kwh", "120000000")
        assert {k: str(v) for k, v in ledger.field_values(s, "JK-001").items()} == \
            {"wind_mw": "100.500000", "generation_kwh": "120000000.000000"}
        with pytest.raises(ValidationFailed, match="只适用于 能源 类项目"):
            ledger.set_field(s, TF2, b, "wind_mw", "10")
        with pytest.raises(ValidationFailed, match="最多 0 位小数"):
            ledger.set_field(s, TF1, a, "年发电量", "1.5")
        with pytest.raises(ValidationFailed, match="不小于 0"):
            ledger.set_field(s, TF1, a, "wind_mw", "-1")


def test_report_figures_are_checked(ledger_world):
    with session_scope(ledger_world.engine) as s:
        b = s.get(Project, ledger_world.b)  # total 800万
        with pytest.raises(ValidationFailed, match="累计完成投资不能大于总投资"):
            submit_report(s, TF2, b, report(dt.date(2026, 9, 1), "50", "800.01"), TODAY)
        submit_report(s, TF2, b, report(dt.date(2026, 9, 1), "40", "800"), TODAY)  # equal to the total is fine
        with pytest.raises(ValidationFailed, match="本年完成投资不能大于"):
            submit_report(s, TF2, b, report(dt.date(2026, 8, 1), "60", "50"), TODAY)


def test_future_month_is_refused_current_month_accepted(ledger_world):
    with session_scope(ledger_world.engine) as s:
        b = s.get(Project, ledger_world.b)
        with pytest.raises(ValidationFailed, match="不能报送未来月份 2026-12"):
            submit_report(s, TF2, b, report(dt.date(2026, 12, 1), "1", "1"), TODAY)
        assert submit_report(s, TF2, b, report(dt.date(2026, 11, 1), "60", "310"), TODAY).late is False


def test_second_report_is_a_correction_kept_with_history(ledger_world):
    with session_scope(ledger_world.engine) as s:
        b = s.get(Project, ledger_world.b)
        with pytest.raises(StateError, match="同一月份只能报送一次"):
            submit_report(s, TF2, b, report(OCT, "55", "305"), TODAY)
        r = correct_report(s, TF2, b, report(OCT, "55", "305", 60), TODAY, "统计口径更正")
        assert (r.year_done_fen, r.revision, r.progress_pct) == (55_000_000, 2, 60)
        old = revisions(s, r.id)
        assert [json.loads(v.snapshot)["本年完成投资(分)"] for v in old] == [50_000_000]
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "project_report")).all()
        assert actions.count("更正项目月报") == 1
        with pytest.raises(ValidationFailed, match="更正原因"):
            correct_report(s, TF2, b, report(OCT, "56", "305"), TODAY, " ")


@pytest.mark.parametrize("reported_on, late", [(dt.date(2026, 11, 5), False), (dt.date(2026, 11, 6), True)])
def test_lateness_is_the_fifth_of_the_next_month(ledger_world, reported_on, late):
    with session_scope(ledger_world.engine) as s:
        c = s.get(Project, ledger_world.c)
        assert submit_report(s, TF2, c, report(OCT, "10", "10"), reported_on).late is late


def test_only_the_task_force_updates_its_projects(ledger_world):
    with session_scope(ledger_world.engine) as s:
        b = s.get(Project, ledger_world.b)
        with pytest.raises(PermissionDenied, match="由「装备制造专班」更新"):
            submit_report(s, TF1, b, report(dt.date(2026, 9, 1), "1", "1"), TODAY)
    with session_scope(ledger_world.engine) as s:
        assert s.scalar(select(ProjectReport.id).where(ProjectReport.month == dt.date(2026, 9, 1))) is None
