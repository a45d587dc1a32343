"""Reminders and escalation of problems and factor requests through the outbox.

On each run (``zhida projects remind``, daily): an open item due within ``SOON`` working days
gets a reminder to its owner department; an overdue item is escalated to the project's
帮包领导 (and its owner reminded again). Messages are deduplicated per item, due date and kind,
so running twice a day sends nothing twice; each escalation is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.platform import audit, outbox
from zhida.platform.calendar import WorkingCalendar
from zhida.projects.issues import IssueState
from zhida.projects.models import Project, ProjectIssue
from zhida.roles import SYSTEM, Actor

SOON = 2


@dataclass
class RemindResult:
    reminded: int = 0
    escalated: int = 0
    no_phone: int = 0

    def summary(self) -> str:
        return f"到期提醒 {self.reminded} 条，逾期升级至帮包领导 {self.escalated} 条，缺少手机号 {self.no_phone} 项"


def _message(issue: ProjectIssue, project: Project, overdue: bool) -> str:
    head = f"【重点项目】{project.name}的{issue.kind}「{issue.title}」"
    if overdue:
        return f"{head}已超过办结期限 {issue.due_on}，责任部门：{issue.owner_dept}，请督促办理并销号。"
    return f"{head}将于 {issue.due_on} 到期，请及时办理并上传佐证材料销号。"


def _queue(session: Session, phone: str, body: str, key: str) -> bool:
    """Queue one SMS; False when it was queued before (same item, due date and kind)."""
    if outbox.queued(session, key):
        return False
    outbox.enqueue(session, channel="sms", recipient=phone, body=body, dedupe_key=key)
    return True


def remind(session: Session, today: dt.date, actor: Actor = SYSTEM) -> RemindResult:
    """Queue reminders and escalations for every open item (see module doc)."""
    cal = WorkingCalendar.from_session(session)
    result = RemindResult()
    rows = session.execute(select(ProjectIssue, Project).join(Project, Project.id == ProjectIssue.project_id)
                           .where(ProjectIssue.state == IssueState.OPEN.value)).all()
    for issue, project in rows:
        overdue = today > issue.due_on
        if not overdue and cal.working_days_between(today, issue.due_on) > SOON:
            continue
        kind = "overdue" if overdue else "soon"
        if issue.owner_phone:
            result.reminded += _queue(session, issue.owner_phone, _message(issue, project, overdue),
                                      f"projects:issue:{issue.id}:{issue.due_on}:{kind}:owner")
        else:
            result.no_phone += 1
        if overdue and project.leader_phone and _queue(
                session, project.leader_phone, _message(issue, project, True) + f"（帮包领导：{project.leader_name or ''}）",
                f"projects:issue:{issue.id}:{issue.due_on}:escalate"):
            audit.record(session, actor=actor, action="逾期升级帮包领导", entity="project_issue", entity_id=issue.id,
                         after={"办结期限": issue.due_on, "帮包领导": project.leader_name, "日期": today})
            result.escalated += 1
    return result
