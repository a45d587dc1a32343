"""Problems (销号 with evidence, reopening, escalation through the outbox) and the pipeline."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.projects.conftest import LEADER, OPERATOR, TF1, TODAY, USCC, wan
from zhida.db import session_scope
from zhida.errors import StateError, ValidationFailed
from zhida.platform.models import OutboxMessage, WorkflowEvent
from zhida.projects import issues, leads
from zhida.projects.issues import IssueIn
from zhida.projects.models import Project
from zhida.projects.reminders import remind

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def _open(s, ledger_world, today=dt.date(2026, 11, 2), **kw):
    a = s.get(Project, ledger_world.a)
    data = IssueIn(**({"kind": "问题", "title": "施工用电未接入", "owner_dept": "供电公司",
                       "owner_phone": "13900000002"} | kw))
    return issues.open_issue(s, TF1, a, data, today)


def test_due_date_counts_working_days_on_the_calendar(ledger_world):
    with session_scope(ledger_world.engine) as s:
        # 2026-11-02 (Monday) + 10 working days = 11-16; across 国庆 2026: 09-30 + 3 = 10-10 (a Saturday worked)
        assert _open(s, ledger_world).due_on == dt.date(2026, 11, 16)
        assert _open(s, ledger_world, today=dt.date(2026, 9, 30), due_days=3).due_on == dt.date(2026, 10, 10)
        land = _open(s, ledger_world, kind="要素保障", factor="土地", title="用地指标")
        assert land.due_days == 20
        with pytest.raises(ValidationFailed, match="须指明要素"):
            _open(s, ledger_world, kind="要素保障", factor="人才")


def test_problem_from_opening_to_xiaohao_and_reopening(ledger_world, tmp_path):
    with session_scope(ledger_world.engine) as s:
        item = _open(s, ledger_world)
        issues.add_note(s, TF1, item, "已协调供电公司现场勘查")
        with pytest.raises(StateError, match="销号须上传佐证材料"):
            issues.close_issue(s, OPERATOR, item, "已接电", dt.date(2026, 11, 10))
        with pytest.raises(ValidationFailed, match="类型不允许"):
            issues.attach(s, OPERATOR, item, tmp_path, "说明.exe", b"MZ")
        with pytest.raises(ValidationFailed, match=r"内容与扩展名 \.png 不符"):
            issues.attach(s, OPERATOR, item, tmp_path, "现场.png", b"GIF89a")
        f = issues.attach(s, OPERATOR, item, tmp_path, "现场.png", PNG)
        assert (tmp_path / f.stored).read_bytes() == PNG
        with pytest.raises(ValidationFailed, match="需要填写意见"):
            issues.close_issue(s, OPERATOR, item, " ", dt.date(2026, 11, 10))
        issues.close_issue(s, OPERATOR, item, "已接电", dt.date(2026, 11, 10))
        assert (item.state, item.closed_on) == ("已销号", dt.date(2026, 11, 10))
        issues.reopen_issue(s, LEADER, item, "复查仍不稳定", dt.date(2026, 11, 12))
        # 11-12 (Thursday) + 10 working days = 11-26
        assert (item.state, item.closed_on, item.due_on) == ("办理中", None, dt.date(2026, 11, 26))
        events = s.scalars(select(WorkflowEvent.action).where(WorkflowEvent.entity_id == str(item.id))).all()
        assert events == ["销号", "重新打开"]


def test_overdue_items_escalate_to_the_leader_once(ledger_world):
    with session_scope(ledger_world.engine) as s:
        item = _open(s, ledger_world)  # due 11-16
        assert remind(s, dt.date(2026, 11, 11)).reminded == 0        # 3 working days before: nothing yet
        soon = remind(s, dt.date(2026, 11, 12))                       # 2 working days before: reminder
        assert (soon.reminded, soon.escalated) == (1, 0)
        assert remind(s, dt.date(2026, 11, 16)).escalated == 0        # due today: not overdue
        late = remind(s, dt.date(2026, 11, 17))
        assert (late.reminded, late.escalated) == (1, 1)
        again = remind(s, dt.date(2026, 11, 17))
        assert (again.reminded, again.escalated) == (0, 0)
        to = s.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.id)).all()
        assert to == ["13900000002", "13900000002", "13800000001"]
        assert "已超过办结期限 2026-11-16" in s.scalars(select(OutboxMessage.body)).all()[-1]
        assert item.id


def _lead(s):
    return leads.create_lead(s, OPERATOR, leads.LeadIn("储能电池项目", "山东某储能科技有限公司", "产业链招商",
                                                       wan("30000"), "赵科长", dt.date(2026, 3, 1),
                                                       industry="电池制造", township="经开区", uscc=USCC))


def test_pipeline_steps_in_order_with_dates(ledger_world):
    with session_scope(ledger_world.engine) as s:
        lead = _lead(s)
        with pytest.raises(StateError, match=r"须按 在谈→签约→落地→开工→投产 的顺序.*只能变为 签约"):
            leads.advance(s, OPERATOR, lead, "落地", dt.date(2026, 4, 1), TODAY)
        with pytest.raises(StateError, match="早于在谈日期"):
            leads.advance(s, OPERATOR, lead, "签约", dt.date(2026, 2, 28), TODAY)
        with pytest.raises(StateError, match="不能登记未来的日期"):
            leads.advance(s, OPERATOR, lead, "签约", dt.date(2026, 11, 4), TODAY)
        with pytest.raises(StateError, match="签约后才能转入"):
            leads.to_project(s, OPERATOR, lead, code="JK-100", category="新开工", level="区重点", plan_year=2026,
                             year_plan_fen=wan("5000"))
        leads.advance(s, OPERATOR, lead, "签约", dt.date(2026, 3, 1), TODAY)  # same day as talks is fine
        p = leads.to_project(s, OPERATOR, lead, code="JK-100", category="新开工", level="区重点", plan_year=2026,
                             year_plan_fen=wan("5000"), task_force="新能源专班")
        assert (p.name, p.enterprise, p.uscc, p.total_fen, p.township, p.lead_id, p.status) == \
            ("储能电池项目", "聊城新能源装备有限公司", USCC, wan("30000"), "经开区", lead.id, "未开工")
        with pytest.raises(StateError, match="不能重复转入"):
            leads.to_project(s, OPERATOR, lead, code="JK-101", category="新开工", level="区重点", plan_year=2026,
                             year_plan_fen=wan("1"))
        for stage, day in (("落地", 5), ("开工", 6), ("投产", 7)):
            leads.advance(s, OPERATOR, lead, stage, dt.date(2026, 10, day), TODAY)
        assert (lead.stage, lead.producing_on) == ("投产", dt.date(2026, 10, 7))
        with pytest.raises(StateError, match="已是最终状态"):
            leads.advance(s, OPERATOR, lead, "签约", dt.date(2026, 10, 8), TODAY)
