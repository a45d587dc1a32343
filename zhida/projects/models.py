"""Tables of 重点项目: task forces, projects, custom field values, monthly reports (with their
corrections), evidence files, problems and factor requests with notes, leads and targets.

Money is integer fen (BigInteger); months are the first day of the month (Date).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base, now


class TaskForce(Base):
    """专班: a task force pushing a group of projects, with its head (专班负责人)."""

    __tablename__ = "project_task_forces"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    head_name: Mapped[str | None] = mapped_column(String(50))
    head_user: Mapped[str | None] = mapped_column(String(60))


class TaskForceMember(Base):
    """A user who may update the projects of a task force."""

    __tablename__ = "project_task_force_members"

    task_force: Mapped[str] = mapped_column(String(60), ForeignKey("project_task_forces.name"), primary_key=True)
    username: Mapped[str] = mapped_column(String(60), primary_key=True)


class Project(Base):
    """One project of the ledger (台账) with its "3对1" responsibility chain."""

    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_year_category", "plan_year", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    enterprise: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(60))
    township: Mapped[str | None] = mapped_column(String(50), index=True)
    category: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(10))
    ptype: Mapped[str] = mapped_column(String(20), default="一般")
    status: Mapped[str] = mapped_column(String(10), default="在建")
    plan_year: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    year_plan_fen: Mapped[int] = mapped_column(BigInteger)
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    task_force: Mapped[str | None] = mapped_column(String(60), ForeignKey("project_task_forces.name"), index=True)
    leader_name: Mapped[str | None] = mapped_column(String(50))
    leader_user: Mapped[str | None] = mapped_column(String(60), index=True)
    leader_phone: Mapped[str | None] = mapped_column(String(20))
    dept_name: Mapped[str | None] = mapped_column(String(60))
    dept_user: Mapped[str | None] = mapped_column(String(60))
    township_user: Mapped[str | None] = mapped_column(String(60))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_user: Mapped[str | None] = mapped_column(String(60))
    lead_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, server_default=func.now())


class ProjectFieldValue(Base):
    """A value of a custom field declared for the project's type (``fields.yaml``)."""

    __tablename__ = "project_field_values"

    project_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 6))


class ProjectReport(Base):
    """月报: one month's snapshot of a project (year-to-date and since-start investment, 形象进度)."""

    __tablename__ = "project_reports"
    __table_args__ = (UniqueConstraint("project_code", "month"), Index("ix_project_reports_month", "month"),
                      Index("ix_project_reports_project_month", "project_id", "month"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(Integer, ForeignKey("projects.id"))
    project_code: Mapped[str] = mapped_column(String(40))
    month: Mapped[dt.date] = mapped_column(Date)
    year_done_fen: Mapped[int] = mapped_column(BigInteger)
    total_done_fen: Mapped[int] = mapped_column(BigInteger)
    progress_pct: Mapped[int] = mapped_column(Integer)
    progress_text: Mapped[str] = mapped_column(Text)
    reported_on: Mapped[dt.date] = mapped_column(Date)
    reported_by: Mapped[str] = mapped_column(String(60))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)


class ProjectReportRevision(Base):
    """An earlier version of a monthly report, kept when it is corrected (更正)."""

    __tablename__ = "project_report_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(Integer, ForeignKey("project_reports.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[str] = mapped_column(Text)
    replaced_by: Mapped[str] = mapped_column(String(60))
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class ProjectFile(Base):
    """Evidence (a photo or a document) attached to a report or a problem, stored under data_dir."""

    __tablename__ = "project_files"
    __table_args__ = (Index("ix_project_files_owner", "owner", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(10))
    owner_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    stored: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(60))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class ProjectIssue(Base):
    """问题清单 item or 要素保障 request, closed (销号) by its owner department with evidence."""

    __tablename__ = "project_issues"
    __table_args__ = (Index("ix_project_issues_state_due", "state", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(Integer, ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    factor: Mapped[str | None] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    owner_dept: Mapped[str] = mapped_column(String(60))
    owner_user: Mapped[str | None] = mapped_column(String(60))
    owner_phone: Mapped[str | None] = mapped_column(String(20))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    due_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(60))


class ProjectIssueNote(Base):
    """A progress note (进展) on a problem or request."""

    __tablename__ = "project_issue_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[int] = mapped_column(Integer, ForeignKey("project_issues.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    author: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)


class InvestmentLead(Base):
    """招商项目: a lead through 在谈 → 签约 → 落地 → 开工 → 投产, with the date of each step."""

    __tablename__ = "investment_leads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    investor: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18))
    industry: Mapped[str | None] = mapped_column(String(60))
    township: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    funds_in_place_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    responsible: Mapped[str] = mapped_column(String(50))
    stage: Mapped[str] = mapped_column(String(10))
    talks_on: Mapped[dt.date] = mapped_column(Date)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    landed_on: Mapped[dt.date | None] = mapped_column(Date)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    producing_on: Mapped[dt.date | None] = mapped_column(Date)
    project_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("projects.id"))


class ProjectTarget(Base):
    """A target of the year (过亿元项目 40个以上 …); ``actual`` is entered for indicators the
    ledger cannot count (新增高新技术企业)."""

    __tablename__ = "project_targets"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(40), primary_key=True)
    target: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    unit: Mapped[str] = mapped_column(String(10))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(20, 6))
