"""A tamper-evident audit log: every row is chained to the one before by SHA-256.

``record`` appends in the caller's transaction; the chain's head row (``audit_head``) is
locked while appending, so concurrent writers line up instead of forking the chain.
``verify`` recomputes every hash: an altered row breaks its own hash, a deleted row breaks
the next row's ``prev_hash`` (or, for the newest rows, the head).

>>> h1 = chain_hash(GENESIS, 1, "2025-01-02T03:04:05", "a", "admin", "创建", "cycle", "1", None, '{"x":1}')
>>> len(h1), h1 == chain_hash(GENESIS, 1, "2025-01-02T03:04:05", "a", "admin", "创建", "cycle", "1", None, '{"x":1}')
(64, True)
>>> h1 == chain_hash(GENESIS, 1, "2025-01-02T03:04:05", "a", "admin", "创建", "cycle", "1", None, '{"x":2}')
False
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhida.platform.models import now
from zhida.platform.models import AuditEntry, AuditHead
from zhida.roles import Actor

GENESIS = "0" * 64


def _default(obj: Any) -> Any:
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return str(obj)
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def canonical(value: Any) -> str | None:
    """Stable JSON (sorted keys, no spaces, Chinese kept) of a before/after value.

    >>> canonical({"b": 1, "a": "账号"})
    '{"a":"账号","b":1}'
    >>> canonical(None) is None
    True
    """
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)


def chain_hash(prev: str, seq: int, at: str, actor: str, role: str, action: str,
               entity: str, entity_id: str, before: str | None, after: str | None) -> str:
    payload = json.dumps([prev, seq, at, actor, role, action, entity, entity_id, before, after],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_head(session: Session) -> AuditHead:
    stmt = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.scalars(stmt).first()
    if head is not None:
        return head
    try:
        with session.begin_nested():
            session.add(AuditHead(id=1, seq=0, hash=GENESIS))
    except IntegrityError:  # another writer created it first
        pass
    return session.scalars(stmt.execution_options(populate_existing=True)).one()


def record(session: Session, *, actor: Actor, action: str, entity: str, entity_id: Any,
           before: Any = None, after: Any = None) -> AuditEntry:
    """Append one audit row (in the caller's transaction) and return it."""
    head = _lock_head(session)
    at = now()
    seq = head.seq + 1
    b, a = canonical(before), canonical(after)
    role = actor.role.value if hasattr(actor.role, "value") else str(actor.role)
    h = chain_hash(head.hash, seq, at.isoformat(), actor.username, role, action, entity, str(entity_id), b, a)
    entry = AuditEntry(seq=seq, at=at, actor=actor.username, role=role, action=action, entity=entity,
                       entity_id=str(entity_id), before=b, after=a, prev_hash=head.hash, hash=h)
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=h))
    session.flush()
    return entry


@dataclass
class VerifyResult:
    """Outcome of ``verify``: ``ok`` and, when not, one Chinese line per problem."""

    ok: bool
    rows: int
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None

    def summary(self) -> str:
        if self.ok:
            return f"审计日志完整：共 {self.rows} 条，哈希链校验通过"
        return f"审计日志被改动：共 {self.rows} 条，发现 {len(self.problems)} 处问题，最早在第 {self.first_bad_seq} 条"


def verify(session: Session, chunk: int = 5000) -> VerifyResult:
    """Recompute the whole chain; report altered, deleted or inserted rows."""
    result = VerifyResult(ok=True, rows=0)
    prev, expected_seq = GENESIS, 1

    def bad(seq: int, text: str) -> None:
        result.ok = False
        result.problems.append(text)
        if result.first_bad_seq is None:
            result.first_bad_seq = seq

    last_seq = 0
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=chunk)
    for e in session.scalars(stmt):
        result.rows += 1
        if e.seq != expected_seq:
            bad(expected_seq, f"第 {expected_seq}–{e.seq - 1} 条缺失（被删除）")
        if e.prev_hash != prev:
            bad(e.seq, f"第 {e.seq} 条的前一条哈希不符：前一条被删除或改动")
        h = chain_hash(e.prev_hash, e.seq, e.at.isoformat(), e.actor, e.role, e.action, e.entity,
                       e.entity_id, e.before, e.after)
        if h != e.hash:
            bad(e.seq, f"第 {e.seq} 条（{e.action} {e.entity} {e.entity_id}）内容与哈希不符：被改动")
        prev, expected_seq, last_seq = e.hash, e.seq + 1, e.seq
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != last_seq or head.hash != prev):
        bad(last_seq + 1, f"链尾记录为第 {head.seq} 条，实际只到第 {last_seq} 条：最新的记录被删除或改动")
    if head is None and result.rows:
        bad(1, "缺少链尾记录 audit_head")
    return result


def entries(session: Session, *, entity: str | None = None, entity_id: Any = None,
            limit: int = 200) -> list[AuditEntry]:
    """The newest audit rows, optionally of one entity."""
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == str(entity_id))
    return list(session.scalars(stmt))
