"""Read a policy's source frames from the database through the readers their owners registered."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhida.rules.entities import SourceQuery, entity, source
from zhida.rules.inputs import Sources
from zhida.rules.period import Period
from zhida.rules.policy import Policy


def read_sources(session: Session, policy: Policy, period: Period, key: str | None = None) -> Sources:
    """The source frames of ``policy`` for ``period`` (only the entity ``key`` when given)."""
    base = entity(policy.target).base
    frames = {base: source(base).read(session, SourceQuery(period.year, period.quarter, key))}
    for name, spec in policy.sources.items():
        q = SourceQuery(period.year + spec.year_offset, period.quarter, key)
        frames[name] = source(name).read(session, q)
    return Sources(frames)
