"""The audit chain detects an altered, a deleted and a truncated row."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from zhida.db import session_scope
from zhida.platform import audit
from zhida.platform.models import AuditEntry
from zhida.roles import SYSTEM, Actor, Role


def _fill(engine, n=5):
    with session_scope(engine) as s:
        for i in range(n):
            audit.record(s, actor=Actor("zhang", Role.OPERATOR), action="修改账号", entity="unit", entity_id=i,
                         before={"account_no": f"62{i}"}, after={"account_no": f"63{i}"})


def test_clean_chain_verifies(engine):
    _fill(engine)
    with session_scope(engine) as s:
        res = audit.verify(s)
        assert res.ok and res.rows == 5 and "通过" in res.summary()
        rows = audit.entries(s, entity="unit", entity_id=3)
        assert len(rows) == 1 and rows[0].actor == "zhang" and rows[0].role == "operator"
        assert rows[0].before == '{"account_no":"623"}'


def test_altered_row_is_detected(engine):
    _fill(engine)
    with session_scope(engine) as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(after='{"account_no":"999"}'))
    with session_scope(engine) as s:
        res = audit.verify(s)
        assert not res.ok and res.first_bad_seq == 3 and "被改动" in res.problems[0]


def test_deleted_row_is_detected(engine):
    _fill(engine)
    with session_scope(engine) as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    with session_scope(engine) as s:
        res = audit.verify(s)
        assert not res.ok and res.first_bad_seq == 2 and any("删除" in p for p in res.problems)


def test_deleted_newest_row_is_detected(engine):
    _fill(engine)
    with session_scope(engine) as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 5))
    with session_scope(engine) as s:
        res = audit.verify(s)
        assert not res.ok and "最新的记录" in res.problems[0]


def test_rehashed_row_breaks_the_next_link(engine):
    """Rewriting a row *and* its own hash still breaks the following row's prev_hash."""
    _fill(engine)
    with session_scope(engine) as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.seq == 2)).one()
        e.after = '{"account_no":"000"}'
        e.hash = audit.chain_hash(e.prev_hash, e.seq, e.at.isoformat(), e.actor, e.role, e.action, e.entity,
                                  e.entity_id, e.before, e.after, key=audit.audit_key())
    with session_scope(engine) as s:
        res = audit.verify(s)
        assert not res.ok and res.first_bad_seq == 3


def test_system_actor_and_empty_log(engine):
    with session_scope(engine) as s:
        assert audit.verify(s).ok and audit.verify(s).rows == 0
        audit.record(s, actor=SYSTEM, action="创建", entity="cycle", entity_id=1, after={"units": 3})
    with session_scope(engine) as s:
        assert audit.verify(s).ok
