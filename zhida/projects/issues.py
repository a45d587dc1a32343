"""问题清单 and 要素保障: problems and factor requests of a project, with an owner department,
a due date in working days on the platform calendar, progress notes, closure with evidence
(销号) and reopening, as a declared workflow. Overdue items are escalated to the project's
帮包领导 through the outbox (``remind``).

Due limits (working days, counted from the day after opening; 省委办公厅 "问题清单" practice
of closing items within a fixed limit): a problem ``DUE_DAYS['问题']``, a factor request by
its factor (土地 20, 能耗 15, 资金 15, 厂房 10, 审批 10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import StateError, ValidationFailed
from zhida.platform import audit
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import deadline
from zhida.platform.workflow import Process, Step, Transition
from zhida.projects import evidence
from zhida.projects.access import DEPARTMENT, TASK_FORCE
from zhida.projects.models import Project, ProjectIssue, ProjectIssueNote
from zhida.roles import Actor, Role

KINDS = ("问题", "要素保障")
FACTORS = ("土地", "能耗", "资金", "厂房", "审批")
DUE_DAYS = {"问题": 10, "土地": 20, "能耗": 15, "资金": 15, "厂房": 10, "审批": 10}
OPENERS = (Role.OPERATOR, Role.LEADER, TASK_FORCE, DEPARTMENT)


class IssueState(StrEnum):
    OPEN = "办理中"
    CLOSED = "已销号"


def has_evidence(step: Step) -> None:
    """销号 needs evidence: at least one file showing the problem solved (问题清单销号以佐证为据)."""
    if not evidence.files_of(step.session, "issue", step.entity.id):
        raise StateError(f"事项「{step.entity.title}」不能销号：销号须上传佐证材料（照片、批复或协调纪要），当前没有")


def stamp_closed(step: Step) -> None:
    step.entity.closed_on = step.params["today"]


def restart_clock(step: Step) -> None:
    """Reopened: the item is due again ``due_days`` working days after today."""
    issue = step.entity
    issue.closed_on = None
    issue.due_on = deadline(step.params["today"], issue.due_days,
                            calendar=WorkingCalendar.from_session(step.session))


ISSUES = Process("project_issue", "问题清单事项", IssueState, model=ProjectIssue, audit_entity="project_issue",
                 transitions=[
                     Transition(IssueState.OPEN, IssueState.CLOSED, "销号", (Role.OPERATOR, DEPARTMENT, TASK_FORCE),
                                guards=(has_evidence,), effects=(stamp_closed,), needs_comment=True),
                     Transition(IssueState.CLOSED, IssueState.OPEN, "重新打开", (Role.OPERATOR, Role.LEADER, TASK_FORCE),
                                effects=(restart_clock,), needs_comment=True),
                 ])


@dataclass
class IssueIn:
    kind: str
    title: str
    owner_dept: str
    factor: str | None = None
    detail: str | None = None
    owner_user: str | None = None
    owner_phone: str | None = None
    due_days: int | None = None


def open_issue(session: Session, actor: Actor, project: Project, data: IssueIn, today: dt.date) -> ProjectIssue:
    """Open a problem or factor request; its due date counts working days on the calendar
    (``CalendarMissing`` for a year with no schedule)."""
    actor.require(*OPENERS, action="登记问题或要素需求")
    if data.kind not in KINDS:
        raise ValidationFailed(f"事项类别「{data.kind}」不对：应为 {'、'.join(KINDS)}")
    if data.kind == "要素保障" and data.factor not in FACTORS:
        raise ValidationFailed(f"要素保障须指明要素：应为 {'、'.join(FACTORS)}")
    if not data.title.strip() or not data.owner_dept.strip():
        raise ValidationFailed("请填写事项内容和责任部门")
    days = data.due_days or DUE_DAYS[str(data.factor) if data.kind == "要素保障" else "问题"]
    if days <= 0:
        raise ValidationFailed(f"办结时限 {days} 个工作日不合理：应为正整数")
    due = deadline(today, days, calendar=WorkingCalendar.from_session(session))
    issue = ProjectIssue(project_id=project.id, kind=data.kind, factor=data.factor if data.kind == "要素保障" else None,
                         title=data.title.strip(), detail=data.detail, owner_dept=data.owner_dept.strip(),
                         owner_user=data.owner_user, owner_phone=data.owner_phone, opened_on=today, due_days=days,
                         due_on=due, state=IssueState.OPEN.value, opened_by=actor.username)
    session.add(issue)
    session.flush()
    audit.record(session, actor=actor, action=f"登记{data.kind}", entity="project_issue", entity_id=issue.id,
                 after={"项目": project.code, "事项": issue.title, "责任部门": issue.owner_dept, "时限(工作日)": days,
                        "办结期限": due})
    return issue


def add_note(session: Session, actor: Actor, issue: ProjectIssue, text: str) -> ProjectIssueNote:
    """A progress note (办理进展)."""
    if not text.strip():
        raise ValidationFailed("进展说明不能为空")
    note = ProjectIssueNote(issue_id=issue.id, author=actor.username, text=text.strip())
    session.add(note)
    session.flush()
    audit.record(session, actor=actor, action="填写办理进展", entity="project_issue", entity_id=issue.id,
                 after={"进展": note.text})
    return note


def attach(session: Session, actor: Actor, issue: ProjectIssue, data_dir: Path, name: str, content: bytes):
    row = evidence.store(session, actor, data_dir, "issue", issue.id, name, content)
    audit.record(session, actor=actor, action="上传佐证材料", entity="project_issue", entity_id=issue.id,
                 after={"文件": row.name, "sha256": row.sha256, "大小": row.size})
    return row


def close_issue(session: Session, actor: Actor, issue: ProjectIssue, note: str, today: dt.date) -> ProjectIssue:
    """销号 (refused without evidence or without a closing note)."""
    ISSUES.fire(session, issue, IssueState.CLOSED, actor, comment=note, today=today)
    return issue


def reopen_issue(session: Session, actor: Actor, issue: ProjectIssue, reason: str, today: dt.date) -> ProjectIssue:
    ISSUES.fire(session, issue, IssueState.OPEN, actor, comment=reason, today=today)
    return issue


def notes(session: Session, issue_id: int) -> list[ProjectIssueNote]:
    stmt = select(ProjectIssueNote).where(ProjectIssueNote.issue_id == issue_id).order_by(ProjectIssueNote.id)
    return list(session.scalars(stmt))
