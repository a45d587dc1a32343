"""Matching indexes built from the database and kept in memory between requests.

An index is rebuilt when the table's fingerprint (row count, highest id) changes, when a
service write or an import of ``jobs``/``seekers`` calls ``invalidate()``, or after
``MAX_AGE`` seconds (imports run by another process change rows without the first two).
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhida.jobs.index import JobIndex, SeekerIndex
from zhida.jobs.models import Job, Seeker
from zhida.jobs.records import job_record, seeker_record
from zhida.registry.models import Unit

MAX_AGE = 300.0
_lock = threading.Lock()
_cache: dict[tuple, tuple[tuple, float, object]] = {}


def invalidate() -> None:
    with _lock:
        _cache.clear()


def _fingerprint(session: Session, model) -> tuple:
    return tuple(session.execute(select(func.count(), func.max(model.id))).one())


def load_jobs(session: Session) -> list:
    rows = session.execute(select(Job, Unit.name).join(Unit, Unit.uscc == Job.uscc).order_by(Job.id)).all()
    return [job_record(job, name) for job, name in rows]


def load_seekers(session: Session) -> list:
    return [seeker_record(s) for s in session.scalars(select(Seeker).order_by(Seeker.id))]


def _get(session: Session, model, build):
    key = (str(session.get_bind().engine.url), model.__tablename__, dt.date.today())
    fp = _fingerprint(session, model)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == fp and time.monotonic() - hit[1] < MAX_AGE:
            return hit[2]
    index = build()
    with _lock:
        _cache[key] = (fp, time.monotonic(), index)
    return index


def job_index(session: Session) -> JobIndex:
    return _get(session, Job, lambda: JobIndex(load_jobs(session)))


def seeker_index(session: Session) -> SeekerIndex:
    return _get(session, Seeker, lambda: SeekerIndex(load_seekers(session)))
