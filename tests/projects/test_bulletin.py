"""The month's figures and the bulletin, pinned to values computed by hand.

Ledger of the fixture, October 2026 (time schedule 10/12 = 83.3%):
  JK-001 新能源专班 经开区    plan 647.4万 done 629.0万 → 97.2%, ahead 13.8 (97.158…−83.333…=13.825…)
  JK-002 装备制造专班 蒋官屯 plan 100万   done 50万    → 50.0%, behind 33.3
  JK-003 装备制造专班 蒋官屯 plan 200万   no report    → 0.0%,  behind 83.3
  total  plan 947.4万 done 679.0万 → 71.7% (71.669…), behind 11.7 (71.669…−83.333…=−11.663…)
  蒋官屯街道 plan 300万 done 50万 → 16.7%, behind 66.7; 装备制造专班 the same.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.projects.conftest import LEADER, OCT, OPERATOR, TF1, TF2, TODAY, report
from zhida.db import session_scope
from zhida.projects.bulletin import charts, issue_summary, monthly_bulletin
from zhida.projects.issues import IssueIn, open_issue
from zhida.projects.ledger import set_field
from zhida.projects.models import Project
from zhida.projects.progress import month_progress, report_json
from zhida.projects.reports import submit_report

D = Decimal


def test_month_figures_by_hand(ledger_world):
    with session_scope(ledger_world.engine) as s:
        m = month_progress(s, OPERATOR, OCT)
    by = {p.code: (p.rate.completion_pct, p.rate.ahead_pp) for p in m.rows}
    assert by == {"JK-001": (D("97.2"), D("13.8")), "JK-002": (D("50.0"), D("-33.3")),
                  "JK-003": (D("0.0"), D("-83.3"))}
    assert (m.total.plan_fen, m.total.done_fen) == (947_400_000, 679_000_000)
    assert (m.total.rate.completion_pct, m.total.rate.ahead_pp, m.schedule_pct) == (D("71.7"), D("-11.7"), D("83.3"))
    assert [(g.key, g.rate.completion_pct, g.rate.ahead_pp) for g in m.by_township] == \
        [("经开区", D("97.2"), D("13.8")), ("蒋官屯街道", D("16.7"), D("-66.7"))]
    assert [(g.key, g.projects) for g in m.by_task_force] == [("新能源专班", 1), ("装备制造专班", 2)]
    assert [p.code for p in m.slow] == ["JK-003", "JK-002"]
    assert [p.code for p in m.not_reported] == ["JK-003"]


def test_slow_list_parameter_from_both_sides(ledger_world):
    with session_scope(ledger_world.engine) as s:
        assert [p.code for p in month_progress(s, OPERATOR, OCT, D("33.3")).slow] == ["JK-003", "JK-002"]
        assert [p.code for p in month_progress(s, OPERATOR, OCT, D("33.4")).slow] == ["JK-003"]


def test_a_later_month_uses_the_latest_snapshot(ledger_world):
    with session_scope(ledger_world.engine) as s:
        b = s.get(Project, ledger_world.b)
        submit_report(s, TF2, b, report(dt.date(2026, 9, 1), "40", "290"), TODAY)
        sep = {p.code: p.year_done_fen for p in month_progress(s, OPERATOR, dt.date(2026, 9, 1)).rows}
        nov = month_progress(s, OPERATOR, dt.date(2026, 11, 1))
    assert sep == {"JK-001": 0, "JK-002": 40_000_000, "JK-003": 0}
    assert {p.code: p.year_done_fen for p in nov.rows} == {"JK-001": 629_000_000, "JK-002": 50_000_000, "JK-003": 0}
    # November: 629.0 of 647.4 is 97.2%, the schedule 11/12 = 91.7%, ahead 5.5 (97.158…−91.666…=5.491…)
    assert next(p.rate.ahead_pp for p in nov.rows if p.code == "JK-001") == D("5.5")
    assert len(nov.not_reported) == 3


def test_a_leader_sees_only_the_projects_held(ledger_world):
    with session_scope(ledger_world.engine) as s:
        m = month_progress(s, LEADER, OCT)
    assert [p.code for p in m.rows] == ["JK-001"]
    assert (m.total.rate.completion_pct, m.total.rate.ahead_pp) == (D("97.2"), D("13.8"))


def test_report_json_gives_exact_and_rounded(ledger_world):
    with session_scope(ledger_world.engine) as s:
        out = report_json(month_progress(s, OPERATOR, OCT))
    first = out["projects"][0]
    assert (first["completion_exact"], first["completion_pct"], first["schedule_pct"], first["ahead_pp"]) == \
        ("3145/3237", "97.2", "83.3", "13.8")
    assert first["ahead_exact"] == "44750/3237"  # (3145/3237 − 10/12) × 100
    assert out["total"] == {"year_plan_fen": 947_400_000, "year_done_fen": 679_000_000,
                            "completion_pct": "71.7", "ahead_pp": "-11.7"}


def test_bulletin_text_carries_the_hand_computed_figures(ledger_world):
    with session_scope(ledger_world.engine) as s:
        a = s.get(Project, ledger_world.a)
        open_issue(s, TF1, a, IssueIn("问题", "电网接入", "供电公司"), dt.date(2026, 10, 9))  # due 10-23
        text = monthly_bulletin(s, OPERATOR, OCT, TODAY)
        summary = issue_summary(s, OPERATOR, OCT, TODAY)
    assert (summary.open, summary.overdue, summary.closed_in_month) == (1, 1, 0)
    assert "经开区重点项目推进情况通报" in text and "（2026年10月）" in text
    assert "纳入调度的重点项目3个，总投资1.58亿元，年度计划投资0.09亿元" in text
    assert "完成年度计划的71.7%，慢于时间进度（83.3%）11.7个百分点" in text
    assert "1. 经开区：项目1个，完成0.06亿元，完成率97.2%，快于时间进度（83.3%）13.8个百分点" in text
    assert "2. 蒋官屯街道：项目2个，完成0.01亿元，完成率16.7%，慢于时间进度（83.3%）66.7个百分点" in text
    assert "智能仓储中心（装备制造专班，完成率0.0%，慢于时间进度83.3个百分点）；高端轴承产业园" in text
    assert "未报送本月月报的项目：智能仓储中心。" in text
    assert "在办1项，其中逾期1项" in text


def test_energy_mix_chart_sums_declared_fields(ledger_world):
    with session_scope(ledger_world.engine) as s:
        a = s.get(Project, ledger_world.a)
        set_field(s, TF1, a, "wind_mw", "100")
        set_field(s, TF1, a, "solar_mw", "50.5")
        opts = charts(s, OPERATOR, month_progress(s, OPERATOR, OCT))
    assert opts["energy"]["series"][0]["data"] == [{"name": "光伏装机容量", "value": 50.5},
                                                   {"name": "风电装机容量", "value": 100.0}]
    assert opts["category"]["xAxis"]["data"] == ["续建", "新开工"]
