"""The tampers of issue 11 against the keyed audit chain, its sealed head and the anchor.

Before: editing a row and recomputing the later hashes, deleting the tail and rewinding the head,
or deleting everything all left ``zhida audit verify`` saying 完整.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import delete, select, update

from zhida.db import session_scope
from zhida.errors import ValidationFailed
from zhida.platform import audit
from zhida.platform.models import AuditEntry, AuditHead
from zhida.roles import Actor, Role


def fill(engine, n=6, start=0):
    with session_scope(engine) as s:
        for i in range(start, start + n):
            audit.record(s, actor=Actor("zhang", Role.OPERATOR), action="修改账号", entity="unit", entity_id=i,
                         after={"account_no": f"6228****{i:04d}"})


def rechain(session, rows, hasher):
    """What an attacker does: recompute every hash from the first row on, and the head."""
    prev = rows[0].prev_hash
    for e in rows:
        e.prev_hash = prev
        e.hash = hasher(e)
        prev = e.hash
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=rows[-1].seq, hash=prev))


def plain_sha(e) -> str:  # the old, unkeyed chain
    payload = json.dumps([e.prev_hash, e.seq, e.at.isoformat(), e.actor, e.role, e.action, e.entity, e.entity_id,
                          e.before, e.after], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def wrong_key(e) -> str:
    return audit.chain_hash(e.prev_hash, e.seq, e.at.isoformat(), e.actor, e.role, e.action, e.entity, e.entity_id,
                            e.before, e.after, key="guessed-key")


@pytest.mark.parametrize("hasher", [plain_sha, wrong_key], ids=["sha256", "wrong-key"])
def test_edit_and_recompute_the_later_hashes(engine, hasher):
    fill(engine)
    with session_scope(engine) as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.seq >= 3).order_by(AuditEntry.seq)))
        rows[0].actor = "someone-else"
        rechain(s, rows, hasher)
    with session_scope(engine) as s:
        res = audit.verify(s)
        assert not res.ok and res.first_bad_seq == 3 and any("密钥哈希不符" in p for p in res.problems)


def test_delete_the_tail_and_rewind_the_head(engine):
    fill(engine)
    with session_scope(engine) as s:
        keep = s.scalars(select(AuditEntry).where(AuditEntry.seq == 4)).one()
        s.execute(delete(AuditEntry).where(AuditEntry.seq > 4))
        s.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=4, hash=keep.hash))
    with session_scope(engine) as s:
        res = audit.verify(s)
        assert not res.ok and any("链尾封签" in p for p in res.problems)
    with session_scope(engine) as s:  # rewinding the seal too needs the key
        s.execute(update(AuditHead).where(AuditHead.id == 2).values(seq=4, hash=hashlib.sha256(b"x").hexdigest()))
    with session_scope(engine) as s:
        assert not audit.verify(s).ok


def test_anchor_catches_deleting_everything_and_a_rewrite_with_the_key(engine, tmp_path):
    fill(engine)
    with session_scope(engine) as s:
        audit.write_anchor(s, tmp_path / "锚点.json")
    fill(engine, 3, start=10)  # the log grows after the anchor: still fine
    anchor = audit.read_anchor(tmp_path / "锚点.json")
    with session_scope(engine) as s:
        assert audit.verify(s, anchor=anchor).ok
    # an insider holding the key rewrites the whole log
    key = audit.audit_key()
    with session_scope(engine) as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        rows[1].after = '{"account_no":"6228****9999"}'
        rechain(s, rows, lambda e: audit.chain_hash(e.prev_hash, e.seq, e.at.isoformat(), e.actor, e.role, e.action,
                                                    e.entity, e.entity_id, e.before, e.after, key=key))
        s.execute(update(AuditHead).where(AuditHead.id == 2)
                  .values(seq=rows[-1].seq, hash=audit.head_seal(rows[-1].seq, rows[-1].hash, key)))
    with session_scope(engine) as s:
        assert audit.verify(s).ok  # consistent in itself …
        res = audit.verify(s, anchor=anchor)
        assert not res.ok and any("整体重写" in p for p in res.problems)  # … but not with the anchor
    with session_scope(engine) as s:
        s.execute(delete(AuditEntry))
        s.execute(delete(AuditHead))
    with session_scope(engine) as s:
        res = audit.verify(s, anchor=anchor)
        assert not res.ok and any("只有 0 条" in p for p in res.problems)


def test_a_forged_anchor_file_is_refused(engine, tmp_path):
    fill(engine)
    path = tmp_path / "anchor.json"
    with session_scope(engine) as s:
        audit.write_anchor(s, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["count"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="封签不符"):
        audit.read_anchor(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="无法读取"):
        audit.read_anchor(path)


def run(*args: str) -> int:
    from zhida.cli import main

    try:
        main(list(args))
    except SystemExit as done:
        return done.code or 0
    return 0


def test_cli_anchor_and_verify(engine, tmp_path, capsys):
    fill(engine)
    out = tmp_path / "锚点.json"
    assert run("audit", "anchor", "--out", str(out)) == 0 and "共 6 条" in capsys.readouterr().out
    assert run("audit", "verify", "--anchor", str(out)) == 0 and "已核对锚点" in capsys.readouterr().out
    with session_scope(engine) as s:
        s.execute(delete(AuditEntry))
        s.execute(delete(AuditHead))
    assert run("audit", "verify") == 0  # an empty log is consistent in itself …
    capsys.readouterr()
    assert run("audit", "verify", "--anchor", str(out)) == 3  # … the anchor shows what was there
    assert "被删除" in capsys.readouterr().out
