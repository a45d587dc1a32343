"""SMS to seekers when a new job matches them above a threshold, through the shared outbox.

Each (job, seeker) pair is told at most once: the outbox dedupe key is
``jobs:match:<job id>:<seeker id>`` and a ``MatchNotice`` row records the score.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.identifiers import is_mobile
from zhida.jobs import cache, matcher
from zhida.jobs.models import Job, MatchNotice
from zhida.jobs.records import job_record
from zhida.registry.models import Unit

DEFAULT_THRESHOLD = 0.6
MAX_PER_JOB = 50


def sms_body(job: Job, unit_name: str) -> str:
    return (f"【茌平就业】{unit_name}招聘「{job.title}」，月薪 {job.salary_min}–{job.salary_max} 元，"
            f"地点 {job.township or '见详情'}，与您的求职意向相符。有效期至 {job.valid_until}。"
            f"详询就业服务中心，退订回 TD")


def notify_job(session: Session, job_id: int, threshold: float = DEFAULT_THRESHOLD, top: int = MAX_PER_JOB) -> int:
    """Queue SMS for seekers matching job ``job_id`` at ``threshold`` or above; return how many were new."""
    from zhida.platform.outbox import enqueue

    job, unit_name = session.execute(select(Job, Unit.name).join(Unit, Unit.uscc == Job.uscc)
                                     .where(Job.id == job_id)).one()
    if job.valid_until < dt.date.today():
        return 0
    idx = cache.seeker_index(session)
    done = set(session.scalars(select(MatchNotice.seeker_id).where(MatchNotice.job_id == job_id)))
    added = 0
    for m in matcher.match_seekers(idx, job_record(job, unit_name), dt.date.today(), top, explain=False):
        if m.score < threshold or m.target_id in done:
            continue
        seeker = idx.seekers[idx.pos[m.target_id]]
        if seeker.phone is None or not is_mobile(seeker.phone):
            continue
        key = f"jobs:match:{job_id}:{m.target_id}"
        enqueue(session, channel="sms", recipient=seeker.phone, body=sms_body(job, unit_name), dedupe_key=key)
        session.add(MatchNotice(job_id=job_id, seeker_id=m.target_id, score=m.score, outbox_key=key))
        added += 1
    session.flush()
    return added


def notify_new_jobs(session: Session, since: dt.date | None = None, threshold: float = DEFAULT_THRESHOLD) -> int:
    """Run ``notify_job`` for every valid job posted on or after ``since`` (default: today)."""
    since = since or dt.date.today()
    start = dt.datetime.combine(since, dt.time.min)
    ids = session.scalars(select(Job.id).where(Job.posted_at >= start, Job.valid_until >= dt.date.today())
                          .order_by(Job.id)).all()
    return sum(notify_job(session, i, threshold) for i in ids)
