"""Read models of 重点项目 for pages, the API and other packages (no other package imports our
models). Everything is filtered by what the actor may see (``access.visible``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from zhida.paging import Page
from zhida.platform import audit
from zhida.platform.workflow import history
from zhida.projects import evidence
from zhida.projects.access import require_see, visible
from zhida.projects.fields import types
from zhida.projects.issues import ISSUES, IssueState, notes
from zhida.projects.leads import LEADS
from zhida.projects.ledger import get_project
from zhida.projects.models import (
    InvestmentLead,
    Project,
    ProjectFile,
    ProjectIssue,
    ProjectReport,
    ProjectReportRevision,
)
from zhida.projects.progress import ProjectProgress, month_progress, month_statement
from zhida.projects.rates import rate_of
from zhida.roles import Actor


def ledger_page(session: Session, actor: Actor, month: dt.date, page: int = 1, size: int = 50, *, q: str = "",
                township: str = "", category: str = "", task_force: str = "") -> Page[ProjectProgress]:
    """One page of the ledger with the month's figures (two statements: the page and its count)."""
    stmt = month_statement(month, actor)
    conds: list[ColumnElement[bool]] = []
    if q.strip():
        conds.append(Project.name.contains(q.strip(), autoescape=True) | Project.code.startswith(q.strip(), autoescape=True))
    for col, value in ((Project.township, township), (Project.category, category), (Project.task_force, task_force)):
        if value:
            conds.append(col == value)
    stmt = stmt.where(*conds)
    total = session.scalar(select(func.count()).select_from(Project).where(visible(actor), *conds)) or 0
    rows = session.execute(stmt.limit(size).offset((page - 1) * size))
    items = [ProjectProgress(pid, code, name, cat, lvl, town, tf, ptype, tot, plan, yd or 0, td or 0, pct, text, rm,
                             bool(late), rate_of(yd or 0, plan, month.month))
             for (pid, code, name, cat, lvl, town, tf, ptype, tot, plan, yd, td, pct, text, rm, late) in rows]
    return Page(items, total, page, size)


def filter_choices(session: Session, actor: Actor) -> dict[str, list[str]]:
    def distinct(col):
        return [v for v in session.scalars(select(col).where(visible(actor), col.is_not(None)).distinct().order_by(col))]

    return {"township": distinct(Project.township), "category": distinct(Project.category),
            "task_force": distinct(Project.task_force)}


def approvals_cases(session: Session, project_ref: str) -> list[Any] | None:
    """Approval cases linked to the project, from the approvals programme when it is installed
    (``zhida.approvals.queries.cases_for_project``); None when it is not."""
    if importlib.util.find_spec("zhida.approvals") is None or \
            importlib.util.find_spec("zhida.approvals.queries") is None:
        return None
    module = importlib.import_module("zhida.approvals.queries")
    finder = getattr(module, "cases_for_project", None)
    return None if finder is None else list(finder(session, project_ref))


@dataclass
class Detail:
    project: Project
    fields: list[tuple[str, Any]]
    reports: list[ProjectReport]
    revisions: dict[int, int]
    files: dict[int, list]
    issues: list[ProjectIssue]
    lead: InvestmentLead | None
    approvals: list[Any] | None
    timeline: list[tuple[dt.datetime, str, str]] = field(default_factory=list)


def project_detail(session: Session, actor: Actor, project_id: int) -> Detail:
    """A project with its custom fields, every monthly snapshot, items, source lead, approval
    cases and a timeline of what happened (audit and workflow), newest first."""
    project = get_project(session, project_id)
    require_see(session, actor, project)
    from zhida.projects.ledger import field_values

    values = field_values(session, project.code)
    fields = [(f.header, values.get(f.code)) for f in types()[project.ptype]]
    reports = list(session.scalars(select(ProjectReport).where(ProjectReport.project_id == project.id)
                                   .order_by(ProjectReport.month.desc())))
    revs = dict(session.execute(select(ProjectReportRevision.report_id, func.count())
                                .where(ProjectReportRevision.report_id.in_([r.id for r in reports]))
                                .group_by(ProjectReportRevision.report_id)).all()) if reports else {}
    items = list(session.scalars(select(ProjectIssue).where(ProjectIssue.project_id == project.id)
                                 .order_by(ProjectIssue.id.desc())))
    lead = session.get(InvestmentLead, project.lead_id) if project.lead_id else None
    files: dict[int, list] = {}
    for f in session.scalars(select(ProjectFile).where(ProjectFile.owner == "report",
                                                       ProjectFile.owner_id.in_([r.id for r in reports]))):
        files.setdefault(f.owner_id, []).append(f)
    return Detail(project, fields, reports, revs, files, items, lead, approvals_cases(session, project.code),
                  _timeline(session, project, reports, items, lead))


def _timeline(session, project, reports, items, lead) -> list[tuple[dt.datetime, str, str]]:
    out = [(e.at, e.action, e.actor) for e in audit.entries(session, entity="project", entity_id=project.id)]
    for r in reports:
        out += [(e.at, f"{e.action}（{r.month:%Y-%m}）", e.actor)
                for e in audit.entries(session, entity="project_report", entity_id=r.id)]
    for i in items:
        out += [(e.at, f"{e.action}：{i.title}", e.actor) for e in audit.entries(session, entity="project_issue", entity_id=i.id)]
    if lead is not None:
        out += [(e.at, f"招商{e.action}", e.actor) for e in history(session, LEADS, lead.id)]
    return sorted(out, key=lambda t: t[0], reverse=True)


def issue_list(session: Session, actor: Actor, kind: str, state: str = "", *,
               overdue_on: dt.date | None = None) -> list[tuple[ProjectIssue, Project]]:
    """Items of ``kind`` (问题 or 要素保障) of the projects ``actor`` sees, by due date (at most 500);
    ``state`` narrows to 办理中 or 已销号, ``overdue_on`` to the items still open whose due date is
    before that day (逾期)."""
    stmt = (select(ProjectIssue, Project).join(Project, Project.id == ProjectIssue.project_id)
            .where(visible(actor), ProjectIssue.kind == kind).order_by(ProjectIssue.due_on, ProjectIssue.id))
    if state:
        stmt = stmt.where(ProjectIssue.state == state)
    if overdue_on is not None:
        stmt = stmt.where(ProjectIssue.state == IssueState.OPEN.value, ProjectIssue.due_on < overdue_on)
    return [(r[0], r[1]) for r in session.execute(stmt.limit(500))]


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        from zhida.errors import NotFound

        raise NotFound(f"项目 {project_id} 不存在")
    return project


def issue_for(session: Session, actor: Actor, issue_id: int) -> tuple[ProjectIssue, Project]:
    """An item and its project, if ``actor`` may see the project (``NotFound``, ``PermissionDenied``)."""
    item = session.get(ProjectIssue, issue_id)
    if item is None:
        from zhida.errors import NotFound

        raise NotFound(f"事项 {issue_id} 不存在")
    project = _project(session, item.project_id)
    require_see(session, actor, project)
    return item, project


def issue_view(session: Session, actor: Actor, issue_id: int) -> dict:
    item, project = issue_for(session, actor, issue_id)
    return {"issue": item, "project": project, "notes": notes(session, item.id),
            "files": evidence.files_of(session, "issue", item.id),
            "actions": [t.action for t in ISSUES.available(item.state, actor)],
            "events": history(session, ISSUES, item.id)}


def report_owner(session: Session, actor: Actor, report_id: int) -> Project:
    """The project of a report, if ``actor`` may see it (for downloading its evidence)."""
    report = session.get(ProjectReport, report_id)
    if report is None:
        from zhida.errors import NotFound

        raise NotFound(f"月报 {report_id} 不存在")
    project = _project(session, report.project_id)
    require_see(session, actor, project)
    return project


def leads(session: Session, stage: str = "") -> list[InvestmentLead]:
    """The pipeline, newest first (at most 500); ``stage`` narrows to one stage (在谈 … 投产)."""
    stmt = select(InvestmentLead).order_by(InvestmentLead.id.desc())
    if stage:
        stmt = stmt.where(InvestmentLead.stage == stage)
    return list(session.scalars(stmt.limit(500)))


def lead_by_id(session: Session, lead_id: int) -> InvestmentLead:
    """One lead (``NotFound`` when there is none)."""
    lead = session.get(InvestmentLead, lead_id)
    if lead is None:
        from zhida.errors import NotFound

        raise NotFound(f"招商项目 {lead_id} 不存在")
    return lead


def progress_of(session: Session, actor: Actor, month: dt.date):
    return month_progress(session, actor, month)
