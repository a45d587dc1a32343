"""Dashboard figures from the cases themselves (SQL aggregates), bulletin and Excel export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.approvals.conftest import OPERATOR, REVIEWER, UNIT
from zhida import sheets
from zhida.approvals import cases, dashboard, progress, queries
from zhida.approvals.cases import Acceptance, Application

D = dt.date


def _done(s, matter, accepted, decided, project=None):
    c = cases.receive(s, OPERATOR, Application(matter, "单位", UNIT, project_ref=project), accepted)
    cases.accept(s, OPERATOR, c.case_no, Acceptance(accepted, "受"))
    progress.decide(s, REVIEWER, c.case_no, True, decided, "同意", "证1")
    return c


def test_dashboard_on_time_rate_average_and_speedup(session):
    _done(session, "LD-LS", D(2026, 3, 2), D(2026, 3, 9))    # 5 used of promised 15 → on time
    _done(session, "LD-LS", D(2026, 3, 2), D(2026, 3, 23))   # 15 used → on time (on the promised day)
    late = _done(session, "LD-LS", D(2026, 3, 2), D(2026, 3, 24), project="XM-1")  # 16 used → late
    _done(session, "YY-ZZ", D(2026, 4, 1), D(2026, 4, 1))    # 即办件, 0 used
    d = dashboard.dashboard(session, 2026)
    march = d.by_month[0]
    assert (march.key, march.cases, march.on_time, march.used, march.legal) == ("2026-03", 3, 2, 36, 60)
    assert march.on_time_pct == Decimal("66.7")
    assert (d.total.cases, d.total.instant, d.total.instant_pct) == (4, 1, Decimal("25.0"))
    assert d.total.speedup_legal_pct == dashboard.pct(80 - 36, 80)
    text = dashboard.bulletin(d)
    assert "共办结审批办件4件" in text and "按时办结率75.0%" in text and "临时占用林地（3件" in text
    wb = load_workbook(io.BytesIO(dashboard.to_xlsx(d)))
    assert wb["按月"]["B2"].value == 3 and wb["按事项"]["A2"].value == "临时占用林地"
    assert [r.case_no for r in queries.cases_for_project(session, "XM-1")] == [late.case_no]


def test_export_neutralises_formulas(tmp_path):
    evil = dashboard.Figures("2026-03", "=1+1", 1, 1, 2, 20, 15, 0)
    plain = dashboard.Figures("LD-LS", "林地", 1, 0, 16, 20, 15, 0)
    total = dashboard.Figures("total", "合计", 2, 1, 18, 40, 30, 0)
    path = tmp_path / "统计.xlsx"
    path.write_bytes(dashboard.to_xlsx(dashboard.Dashboard(2026, (3, 3), [evil], [plain, evil], total)))
    wb = load_workbook(path)
    assert (wb["按月"]["A2"].value, wb["按月"]["A2"].data_type, wb["按月"]["A3"].value) == ("'=1+1", "s", "合计")
    assert [wb["按事项"][f"A{i}"].value for i in (2, 3)] == ["林地", "'=1+1"]
    assert sheets.formula_cells(path) == []
