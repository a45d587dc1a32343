"""Online job fairs (招聘会) and live-stream recruiting sessions (直播带岗).

A fair has a time, participating jobs (their employers follow), seeker registrations and
outcomes per registration (报名 → 面试 → 录用 / 未录用), counted per fair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.errors import NotFound, StateError, ValidationFailed
from zhida.jobs.models import FairJob, FairRegistration, Job, JobFair, Seeker
from zhida.jobs.vocab import FAIR_KINDS, OUTCOMES
from zhida.roles import SYSTEM, Actor, Role


@dataclass(frozen=True)
class FairCounts:
    employers: int
    jobs: int
    positions: int  # sum of headcounts
    registered: int
    interviewed: int  # reached 面试 or beyond
    hired: int


def create_fair(session: Session, *, kind: str, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                host: str | None = None, stream_url: str | None = None, actor: Actor = SYSTEM) -> JobFair:
    actor.require(Role.OPERATOR, action="创建招聘会")
    if kind not in FAIR_KINDS:
        raise ValidationFailed(f"活动类型「{kind}」不对：应为 {'、'.join(FAIR_KINDS)}")
    if not title.strip():
        raise ValidationFailed("招聘会名称不能为空")
    if ends_at <= starts_at:
        raise ValidationFailed(f"结束时间 {ends_at:%Y-%m-%d %H:%M} 应晚于开始时间 {starts_at:%Y-%m-%d %H:%M}")
    fair = JobFair(kind=kind, title=title.strip(), starts_at=starts_at, ends_at=ends_at, host=host,
                   stream_url=stream_url)
    session.add(fair)
    session.flush()
    return fair


def get_fair(session: Session, fair_id: int) -> JobFair:
    fair = session.get(JobFair, fair_id)
    if fair is None:
        raise NotFound(f"招聘会 {fair_id} 不存在")
    return fair


def list_fairs(session: Session) -> list[JobFair]:
    return list(session.scalars(select(JobFair).order_by(JobFair.starts_at.desc())))


def add_jobs(session: Session, fair_id: int, job_ids: list[int], actor: Actor = SYSTEM) -> int:
    """Add jobs to a fair (expired jobs refused); returns how many were new."""
    actor.require(Role.OPERATOR, action="添加招聘会岗位")
    fair = get_fair(session, fair_id)
    have = set(session.scalars(select(FairJob.job_id).where(FairJob.fair_id == fair_id)))
    added = 0
    for jid in dict.fromkeys(job_ids):
        job = session.get(Job, jid)
        if job is None:
            raise NotFound(f"岗位 {jid} 不存在")
        if job.valid_until < fair.starts_at.date():
            raise ValidationFailed(f"岗位 {jid}「{job.title}」有效期至 {job.valid_until}，早于招聘会开始日期")
        if jid not in have:
            session.add(FairJob(fair_id=fair_id, job_id=jid))
            added += 1
    session.flush()
    return added


def register(session: Session, fair_id: int, seeker_id: int, actor: Actor = SYSTEM) -> FairRegistration:
    """Register a seeker for a fair; registering twice is refused."""
    actor.require(Role.OPERATOR, action="招聘会报名")
    get_fair(session, fair_id)
    if session.get(Seeker, seeker_id) is None:
        raise NotFound(f"求职者 {seeker_id} 不存在")
    if session.get(FairRegistration, (fair_id, seeker_id)) is not None:
        raise StateError(f"求职者 {seeker_id} 已报名招聘会 {fair_id}，不能重复报名")
    reg = FairRegistration(fair_id=fair_id, seeker_id=seeker_id, outcome="报名")
    session.add(reg)
    session.flush()
    return reg


def record_outcome(session: Session, fair_id: int, seeker_id: int, outcome: str, job_id: int | None = None,
                   actor: Actor = SYSTEM) -> FairRegistration:
    """Record 面试, 录用 or 未录用 for a registration; 录用 names a job of the fair."""
    actor.require(Role.OPERATOR, action="登记招聘会结果")
    if outcome not in OUTCOMES:
        raise ValidationFailed(f"结果「{outcome}」不对：应为 {'、'.join(OUTCOMES)}")
    reg = session.get(FairRegistration, (fair_id, seeker_id))
    if reg is None:
        raise NotFound(f"求职者 {seeker_id} 未报名招聘会 {fair_id}")
    if outcome == "录用" and job_id is None:
        raise ValidationFailed("登记录用时须注明录用岗位")
    if job_id is not None and session.get(FairJob, (fair_id, job_id)) is None:
        raise ValidationFailed(f"岗位 {job_id} 未参加招聘会 {fair_id}")
    reg.outcome = outcome
    reg.job_id = job_id if job_id is not None else reg.job_id
    session.flush()
    return reg


def fair_counts(session: Session, fair_id: int) -> FairCounts:
    get_fair(session, fair_id)
    jobs = session.execute(select(func.count(Job.id), func.count(func.distinct(Job.uscc)),
                                  func.coalesce(func.sum(Job.headcount), 0))
                           .join(FairJob, FairJob.job_id == Job.id).where(FairJob.fair_id == fair_id)).one()
    outcomes = dict(session.execute(select(FairRegistration.outcome, func.count())
                                    .where(FairRegistration.fair_id == fair_id)
                                    .group_by(FairRegistration.outcome)).all())
    registered = sum(outcomes.values())
    hired = outcomes.get("录用", 0)
    interviewed = outcomes.get("面试", 0) + hired + outcomes.get("未录用", 0)
    return FairCounts(employers=jobs[1], jobs=jobs[0], positions=int(jobs[2]), registered=registered,
                      interviewed=interviewed, hired=hired)
