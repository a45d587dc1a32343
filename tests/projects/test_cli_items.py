"""``zhida projects problems|problem-note|problem-close|leads|lead-advance`` through the CLI: the
services with the real actor (scopes, refusals in Chinese, audit)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.projects.conftest import OPERATOR, PNG, TF1, wan
from tests.projects.test_imports_cli import run
from zhida.db import session_scope
from zhida.platform import audit
from zhida.platform.models import WorkflowEvent
from zhida.projects import issues, leads
from zhida.projects.issues import IssueIn
from zhida.projects.models import InvestmentLead, Project, ProjectIssue

TF1_ARGS = ("--actor", "tf1", "--role", "taskforce")
TF2_ARGS = ("--actor", "tf2", "--role", "项目专班")


def cli(capsys, *args) -> tuple[int, str, str]:
    """``run`` with the error output as one line (the terminal wraps long messages)."""
    code, out, err = run(capsys, *args)
    return code, out, err.replace("\n", "")


@pytest.fixture
def items(db_url, ledger_world, tmp_path, monkeypatch):
    """Project JK-001 (新能源专班) with a problem due 2026-11-16 and a land request; one lead in talks."""
    from zhida.config import get_settings

    monkeypatch.setenv("ZHIDA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    with session_scope(ledger_world.engine) as s:
        a = s.get(Project, ledger_world.a)
        problem = issues.open_issue(s, TF1, a, IssueIn("问题", "施工用电未接入", "供电公司"), dt.date(2026, 11, 2))
        issues.open_issue(s, TF1, a, IssueIn("要素保障", "用地指标", "自然资源局", factor="土地"), dt.date(2026, 11, 2))
        lead = leads.create_lead(s, OPERATOR, leads.LeadIn("储能电池项目", "某储能公司", "产业链招商", wan("30000"),
                                                           "赵科长", dt.date(2026, 3, 1)))
        ids = problem.id, lead.id
    yield ledger_world, *ids
    get_settings.cache_clear()


def test_problems_lists_what_the_actor_sees_and_the_overdue_ones(items, capsys):
    _, problem, _ = items
    code, out, err = cli(capsys, "projects", "problems", "--today", "2026-11-17", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["id"], r["title"], r["due_on"], r["overdue"]) for r in rows] == \
        [(problem, "施工用电未接入", "2026-11-16", True)]
    due_day = cli(capsys, "projects", "problems", "--overdue", "--today", "2026-11-16", "--format", "json")[1]
    assert json.loads(due_day) == []  # due today is not yet overdue
    code, out, _ = cli(capsys, "projects", "problems", "--overdue", "--today", "2026-11-17", *TF1_ARGS)
    assert code == 0 and f"#{problem} [问题] 施工用电未接入" in out and "（逾期）" in out
    land = json.loads(cli(capsys, "projects", "problems", "--kind", "要素保障", "--format", "json")[1])
    assert [(r["factor"], r["due_on"]) for r in land] == [("土地", "2026-11-30")]  # 20 working days
    code, out, _ = cli(capsys, "projects", "problems", *TF2_ARGS)  # another task force's project
    assert code == 0 and out.strip() == "没有符合条件的问题事项"
    code, _, err = cli(capsys, "projects", "problems", "--kind", "困难")
    assert code == 2 and "事项类别「困难」不对：应为 问题、要素保障" in err


def test_problem_close_refused_without_evidence_then_closed_by_the_task_force(items, capsys, tmp_path):
    world, problem, _ = items
    code, _, err = cli(capsys, "projects", "problem-close", str(problem), "--note", "已接电", "--today", "2026-11-10",
                       *TF1_ARGS)
    assert code == 1 and "不能销号：销号须上传佐证材料" in err
    code, _, err = cli(capsys, "projects", "problem-note", str(problem), "已协调现场勘查", *TF2_ARGS)
    assert code == 1 and "无权查看" in err  # outside tf2's scope: nothing written
    assert cli(capsys, "projects", "problem-note", str(problem), "已协调现场勘查", *TF1_ARGS)[0] == 0
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    code, out, err = cli(capsys, "projects", "problem-close", str(problem), "--evidence", str(photo), "--note", "已接电",
                         "--today", "2026-11-10", *TF1_ARGS)
    assert code == 0, err
    assert f"事项 #{problem}「施工用电未接入」已销号（佐证材料 1 个）" in out
    with session_scope(world.engine) as s:
        item = s.get(ProjectIssue, problem)
        assert (item.state, item.closed_on) == ("已销号", dt.date(2026, 11, 10))
        trail = [(e.action, e.actor) for e in reversed(audit.entries(s, entity="project_issue", entity_id=problem))]
        assert trail[1:] == [("填写办理进展", "tf1"), ("上传佐证材料", "tf1"), ("销号", "tf1")]
        stored = issues.evidence.files_of(s, "issue", problem)
        assert [f.name for f in stored] == ["现场.png"]
        assert (tmp_path / "data" / stored[0].stored).read_bytes() == PNG
    code, _, err = cli(capsys, "projects", "problem-close", "999999", "--note", "x")
    assert code == 1 and "事项 999999 不存在" in err


def test_leads_and_one_step_on_the_pipeline(items, capsys):
    world, _, lead = items
    rows = json.loads(cli(capsys, "projects", "leads", "--format", "json")[1])
    assert [(r["id"], r["stage"], r["amount_fen"], r["dates"]["在谈"]) for r in rows] == \
        [(lead, "在谈", 30_000_000_000, "2026-03-01")]  # 3 亿元
    code, _, err = cli(capsys, "projects", "lead-advance", str(lead), "--to", "开工", "--on", "2026-04-01",
                       "--today", "2026-11-03", "--actor", "op", "--role", "operator")
    assert code == 1 and "招商项目须按 在谈→签约→落地→开工→投产 的顺序逐步推进" in err and "只能变为 签约" in err
    code, _, err = cli(capsys, "projects", "lead-advance", str(lead), "--to", "签约", "--on", "2026-04-01",
                       "--today", "2026-11-03", *TF1_ARGS)
    assert code == 1 and "签约需要经办角色，当前用户 tf1 的角色是项目专班" in err  # only 经办 moves the pipeline
    code, out, err = cli(capsys, "projects", "lead-advance", str(lead), "--to", "签约", "--on", "2026-04-01",
                         "--today", "2026-11-03", "--actor", "op", "--role", "operator")
    assert code == 0 and f"招商项目 #{lead}「储能电池项目」已签约" in out, err
    code, out, _ = cli(capsys, "projects", "leads", "--stage", "签约")
    assert code == 0 and "储能电池项目（某储能公司，产业链招商）30000 万元  签约 2026-04-01  责任人 赵科长" in out
    assert cli(capsys, "projects", "leads", "--stage", "在谈")[1].strip() == "没有符合条件的招商项目"
    code, _, err = cli(capsys, "projects", "leads", "--stage", "洽谈")
    assert code == 2 and "阶段「洽谈」不对" in err
    with session_scope(world.engine) as s:
        assert s.get(InvestmentLead, lead).signed_on == dt.date(2026, 4, 1)
        moves = s.execute(select(WorkflowEvent.action, WorkflowEvent.actor)
                          .where(WorkflowEvent.process == "investment_lead")).all()
        assert [tuple(m) for m in moves] == [("签约", "op")]
