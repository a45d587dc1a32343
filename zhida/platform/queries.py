"""Read model of the platform for the web console and the programmes: the audit log as rows.

Other packages read the platform's tables through these functions (or ``audit``, ``outbox`` …),
never through ``zhida.platform.models``. A list is a ``Select`` of named columns (the caller
pages it) whose rows turn into ``AuditRow`` with ``AuditRow.of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from zhida.platform.models import AuditEntry

A = AuditEntry
AUDIT_COLUMNS = (A.seq, A.at, A.actor, A.role, A.action, A.entity, A.entity_id, A.before, A.after)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as a reader sees it: ``before`` and ``after`` are the recorded JSON texts."""

    seq: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    entity: str
    entity_id: str
    before: str | None
    after: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> AuditRow:
        """The row of ``audit_stmt`` as a mapping (``Result.mappings()``) as an ``AuditRow``."""
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def audit_stmt(entity: str = "") -> Select[*tuple[Any, ...]]:
    """``AUDIT_COLUMNS`` of the audit log, newest first, of one kind of object (``cycle``, ``import`` …)
    when ``entity`` is given."""
    stmt = select(*AUDIT_COLUMNS).order_by(A.seq.desc())
    return stmt.where(A.entity == entity) if entity else stmt
