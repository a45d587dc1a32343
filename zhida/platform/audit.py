"""A tamper-evident audit log: every row is chained to the one before by an HMAC-SHA256.

``record`` appends in the caller's transaction; the chain's head row (``audit_head`` id 1) is
locked while appending, so concurrent writers line up instead of forking the chain.

- Each row's ``hash`` is an HMAC keyed with the installation's audit key (``Settings.audit_secret``:
  ``ZHIDA_AUDIT_KEY`` or a random per-install file, never the cookie secret). Someone who can
  write to the database but does not hold the key cannot recompute the chain after editing a row.
- ``seq`` is gap-free and monotonic: a deleted row leaves a hole.
- The head (last ``seq`` and hash) is sealed by a second HMAC (``audit_head`` id 2): deleting the
  newest rows and rewinding the head to an earlier position breaks the seal.
- An anchor (``export_anchor``: count, last ``seq``, its hash, sealed) is written to a file or
  printed for the leader to keep outside the system; ``verify(anchor=…)`` checks that the chain
  still holds that entry unchanged and at least that many rows, so deleting everything or
  rewriting the whole log (even with the key) is detected.

>>> h1 = chain_hash(GENESIS, 1, "2025-01-02T03:04:05", "a", "admin", "创建", "cycle", "1", None, '{"x":1}', key="k")
>>> len(h1), h1 == chain_hash(GENESIS, 1, "2025-01-02T03:04:05", "a", "admin", "创建", "cycle", "1", None, '{"x":1}', key="k")
(64, True)
>>> h1 == chain_hash(GENESIS, 1, "2025-01-02T03:04:05", "a", "admin", "创建", "cycle", "1", None, '{"x":2}', key="k")
False
>>> h1 == chain_hash(GENESIS, 1, "2025-01-02T03:04:05", "a", "admin", "创建", "cycle", "1", None, '{"x":1}', key="j")
False
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhida.db import rowcount
from zhida.platform.models import AuditEntry, AuditHead, now
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


def audit_key() -> str:
    """The installation's audit key (settings), separate from the cookie secret."""
    from zhida.config import get_settings

    settings = get_settings()
    return _key_of(settings.audit_key, str(Path(settings.data_dir).resolve()))


@lru_cache(maxsize=8)
def _key_of(configured: str, data_dir: str) -> str:
    from zhida.config import install_secret

    return configured or install_secret(Path(data_dir), "audit_key")


def _mac(key: str, *parts: Any) -> str:
    payload = json.dumps(list(parts), ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def chain_hash(
    prev: str,
    seq: int,
    at: str,
    actor: str,
    role: str,
    action: str,
    entity: str,
    entity_id: str,
    before: str | None,
    after: str | None,
    *,
    key: str,
) -> str:
    """The HMAC of one row, chained to the previous row's hash."""
    return _mac(key, prev, seq, at, actor, role, action, entity, entity_id, before, after)


def head_seal(seq: int, hash_: str, key: str) -> str:
    """The seal of the head position (stored as ``audit_head`` id 2, in its ``hash``)."""
    return _mac(key, "head", seq, hash_)


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


def record(
    session: Session, *, actor: Actor, action: str, entity: str, entity_id: Any, before: Any = None, after: Any = None
) -> AuditEntry:
    """Append one audit row (in the caller's transaction) and return it."""
    head = _lock_head(session)
    key = audit_key()
    at = now()
    seq = head.seq + 1
    b, a = canonical(before), canonical(after)
    role = actor.role.value if hasattr(actor.role, "value") else str(actor.role)
    h = chain_hash(head.hash, seq, at.isoformat(), actor.username, role, action, entity, str(entity_id), b, a, key=key)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor.username,
        role=role,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=b,
        after=a,
        prev_hash=head.hash,
        hash=h,
    )
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=h))
    _store_seal(session, seq, head_seal(seq, h, key))
    session.flush()
    return entry


def _store_seal(session: Session, seq: int, seal: str) -> None:
    if rowcount(session.execute(update(AuditHead).where(AuditHead.id == 2).values(seq=seq, hash=seal))) == 0:
        session.add(AuditHead(id=2, seq=seq, hash=seal))


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


Reporter = Callable[[int, str], None]


def verify(session: Session, chunk: int = 5000, anchor: dict[str, Any] | None = None) -> VerifyResult:
    """Recompute the whole chain with the audit key; report altered, deleted, inserted or rewound rows,
    and, given an ``anchor`` (``read_anchor``), an entry or count that is no longer there."""
    key = audit_key()
    result = VerifyResult(ok=True, rows=0)
    prev, expected_seq = GENESIS, 1

    def bad(seq: int, text: str) -> None:
        result.ok = False
        result.problems.append(text)
        if result.first_bad_seq is None:
            result.first_bad_seq = seq

    last_seq, at_anchor = 0, None
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=chunk)
    for e in session.scalars(stmt):
        result.rows += 1
        if e.seq != expected_seq:
            bad(expected_seq, f"第 {expected_seq}–{e.seq - 1} 条缺失（被删除）")
        if e.prev_hash != prev:
            bad(e.seq, f"第 {e.seq} 条的前一条哈希不符：前一条被删除或改动")
        h = chain_hash(
            e.prev_hash,
            e.seq,
            e.at.isoformat(),
            e.actor,
            e.role,
            e.action,
            e.entity,
            e.entity_id,
            e.before,
            e.after,
            key=key,
        )
        if not hmac.compare_digest(h, e.hash):
            bad(e.seq, f"第 {e.seq} 条（{e.action} {e.entity} {e.entity_id}）内容与密钥哈希不符：被改动或被重算")
        if anchor and e.seq == anchor["seq"]:
            at_anchor = e.hash
        prev, expected_seq, last_seq = e.hash, e.seq + 1, e.seq
    _check_head(session, result.rows, last_seq, prev, key, bad)
    if anchor:
        _check_anchor(anchor, result.rows, at_anchor, bad)
    return result


def _check_head(session: Session, rows: int, last_seq: int, last_hash: str, key: str, bad: Reporter) -> None:
    head, seal = session.get(AuditHead, 1), session.get(AuditHead, 2)
    if head is None:
        if rows:
            bad(1, "缺少链尾记录 audit_head")
        return
    if head.seq != last_seq or head.hash != last_hash:
        bad(last_seq + 1, f"链尾记录为第 {head.seq} 条，实际只到第 {last_seq} 条：最新的记录被删除或改动")
    if seal is None or seal.seq != head.seq or not hmac.compare_digest(seal.hash, head_seal(head.seq, head.hash, key)):
        bad(last_seq + 1, f"链尾封签与第 {head.seq} 条不符：链尾被回退（最新的记录被删除）或被伪造")


def _check_anchor(anchor: dict[str, Any], rows: int, at_anchor: str | None, bad: Reporter) -> None:
    seq, count = anchor["seq"], anchor["count"]
    if rows < count:
        bad(rows + 1, f"锚点记录时共有 {count} 条，现在只有 {rows} 条：有记录被删除")
    if seq and at_anchor is None:
        bad(seq, f"锚点所记的第 {seq} 条已不存在：日志被删除或整体重写")
    elif seq and not hmac.compare_digest(at_anchor, anchor["hash"]):
        bad(seq, f"第 {seq} 条的哈希与锚点不符：日志被整体重写")


ANCHOR_NOTE = "直达审计日志锚点：请打印或另存于系统之外，核验时用 zhida audit verify --anchor 文件"


def export_anchor(session: Session) -> dict[str, Any]:
    """The anchor of the chain as it is now: count, last seq and its hash, when, and a seal."""
    count = session.scalar(select(func.count()).select_from(AuditEntry))
    head = session.get(AuditHead, 1)
    seq, hash_ = (head.seq, head.hash) if head else (0, GENESIS)
    at = now().isoformat(timespec="seconds")
    return {
        "note": ANCHOR_NOTE,
        "count": count,
        "seq": seq,
        "hash": hash_,
        "at": at,
        "seal": _mac(audit_key(), "anchor", count, seq, hash_, at),
    }


def write_anchor(session: Session, path: str | Path) -> dict[str, Any]:
    anchor = export_anchor(session)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(anchor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return anchor


def read_anchor(path: str | Path) -> dict[str, Any]:
    """An anchor file, checked; raises ``ValidationFailed`` (Chinese) when unreadable or not ours."""
    from zhida.errors import ValidationFailed

    try:
        a = json.loads(Path(path).read_text(encoding="utf-8"))
        fields = (int(a["count"]), int(a["seq"]), str(a["hash"]), str(a["at"]), str(a["seal"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed(f"锚点文件 {path} 无法读取：{exc}；应为 zhida audit anchor 写出的 JSON 文件") from None
    if not hmac.compare_digest(fields[4], _mac(audit_key(), "anchor", *fields[:4])):
        raise ValidationFailed(f"锚点文件 {path} 的封签不符：文件被改动，或不是本系统（本审计密钥）写出的")
    return {"count": fields[0], "seq": fields[1], "hash": fields[2], "at": fields[3]}


def entries(
    session: Session, *, entity: str | None = None, entity_id: Any = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest audit rows, optionally of one entity."""
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == str(entity_id))
    return list(session.scalars(stmt))


def last_actor(session: Session, entity: str, after_contains: str) -> tuple[str, str] | None:
    """(actor, role) of the newest entry on ``entity`` whose ``after`` contains the text."""
    row = session.execute(
        select(AuditEntry.actor, AuditEntry.role)
        .where(AuditEntry.entity == entity, AuditEntry.after.contains(after_contains))
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None
