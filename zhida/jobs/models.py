"""Tables of the employment service: jobs, job seekers, job fairs and their outcomes.

Salaries are whole yuan per month (ads quote them so); lists (desired occupations,
acceptable townships, categories) are stored as text joined by ``、``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from zhida.db import Base


class Job(Base):
    """One posted job of a registered unit."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("uscc", "job_no", name="uq_jobs_uscc_job_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(String(18), ForeignKey("units.uscc"), index=True)
    job_no: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    occupation_code: Mapped[str | None] = mapped_column(String(10), index=True)
    occupation_source: Mapped[str | None] = mapped_column(String(10))  # 'given' | 'coded' | 'review' (coded with low confidence)
    township: Mapped[str | None] = mapped_column(String(50))
    salary_min: Mapped[int] = mapped_column(Integer)  # 元/月
    salary_max: Mapped[int] = mapped_column(Integer)
    education: Mapped[str] = mapped_column(String(10), default="不限")
    experience_years: Mapped[int] = mapped_column(Integer, default=0)
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str | None] = mapped_column(Text)
    valid_until: Mapped[dt.date] = mapped_column(Date, index=True)
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class Seeker(Base):
    """One registered job seeker; ``id_number`` is verified and unique."""

    __tablename__ = "seekers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    desired: Mapped[str | None] = mapped_column(String(300))  # occupations in words, 、-separated
    desired_codes: Mapped[str | None] = mapped_column(String(200))  # CSCO codes, 、-separated (coded)
    townships: Mapped[str | None] = mapped_column(String(300))  # acceptable, 、-separated; empty = 不限
    home_township: Mapped[str | None] = mapped_column(String(50))
    salary_expected: Mapped[int] = mapped_column(Integer, default=0)  # 元/月, lowest acceptable
    education: Mapped[str] = mapped_column(String(10), default="不限")
    experience_years: Mapped[int] = mapped_column(Integer, default=0)
    skills: Mapped[str | None] = mapped_column(Text)
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    categories: Mapped[str | None] = mapped_column(String(200))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class JobFair(Base):
    """An online job fair (招聘会) or a live-stream recruiting session (直播带岗)."""

    __tablename__ = "job_fairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # 招聘会 | 直播带岗
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    host: Mapped[str | None] = mapped_column(String(100))
    stream_url: Mapped[str | None] = mapped_column(String(300))


class FairJob(Base):
    """A job (and so its employer) taking part in a fair."""

    __tablename__ = "fair_jobs"

    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fairs.id", ondelete="CASCADE"), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)


class FairRegistration(Base):
    """A seeker registered for a fair; ``outcome`` is 报名, 面试 or 录用 (for a job)."""

    __tablename__ = "fair_registrations"

    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fairs.id", ondelete="CASCADE"), primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(10), default="报名")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class MatchNotice(Base):
    """A seeker told by SMS about a matching job (once per pair); the score that triggered it."""

    __tablename__ = "job_match_notices"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    outbox_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
