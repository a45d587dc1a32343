"""The outbox: messages are written in the business transaction, sent later by a worker.

``enqueue`` is idempotent on ``dedupe_key``. ``process_outbox`` claims a batch
(``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite serialises writers), sends
each message and marks it sent in its own transaction, so two workers never take the same
message and a crash leaves at most the message in hand undecided. Undecided messages (status
``sending`` whose worker is dead or whose lease ran out) are recovered: resent if the sender
is idempotent, settled by ``was_sent`` if the sender can tell, else marked ``unknown``.
Transient failures are retried with exponential backoff.

A message whose ``dedupe_key`` starts with ``secret:`` (a one-time login or activation code)
does not keep its body: once it is sent or has finally failed, the stored body is replaced by
a note, so the code is never readable from the table afterwards.

>>> backoff(1), backoff(2), backoff(3), backoff(20)
(30, 60, 120, 3600)
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhida.db import rowcount, session_scope
from zhida.errors import NotFound, StateError, ValidationFailed
from zhida.platform.models import OutboxMessage, now
from zhida.platform.senders import Outgoing, Sender, SendFailed

CHANNELS = ("sms", "email")
SECRET_PREFIX = "secret:"
REDACTED = "（含一次性验证码，发送后内容已清除）"
FINAL = ("sent", "failed")
MAX_ATTEMPTS = 5
LEASE_SECONDS = 900


def backoff(attempt: int, base: int = 30, cap: int = 3600) -> int:
    """Seconds to wait before attempt ``attempt + 1``."""
    return int(min(cap, base * 2 ** (attempt - 1)))


def _check(channel: str, recipient: str, dedupe_key: str) -> None:
    if channel not in CHANNELS:
        raise ValidationFailed(f"消息渠道 {channel!r} 不支持：应为 sms 或 email")
    if not recipient:
        raise ValidationFailed(f"消息 {dedupe_key} 没有收件人")
    if not dedupe_key:
        raise ValidationFailed("消息缺少去重键 dedupe_key")


def enqueue(
    session: Session, *, channel: str, recipient: str, body: str, subject: str | None = None, dedupe_key: str
) -> OutboxMessage:
    """Queue one message; a second call with the same ``dedupe_key`` returns the first."""
    _check(channel, recipient, dedupe_key)
    stmt = select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    existing = session.scalars(stmt).first()
    if existing is not None:
        return existing
    msg = OutboxMessage(
        channel=channel,
        recipient=recipient,
        body=body,
        subject=subject,
        dedupe_key=dedupe_key,
        status="pending",
        attempts=0,
        next_attempt_at=now(),
        created_at=now(),
    )
    try:
        with session.begin_nested():
            session.add(msg)
    except IntegrityError:
        return session.scalars(stmt).one()
    return msg


def enqueue_many(session: Session, rows: Iterable[dict[str, Any]], chunk: int = 5000) -> int:
    """Queue many messages at once (dicts with the ``enqueue`` keywords); return how many were new."""
    rows = list(rows)
    for r in rows:
        _check(r["channel"], r["recipient"], r["dedupe_key"])
    added = 0
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        keys = [r["dedupe_key"] for r in part]
        have = set(session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
        t = now()
        new = [
            dict(subject=None, **r, status="pending", attempts=0, next_attempt_at=t, created_at=t)
            for r in part
            if r["dedupe_key"] not in have
        ]
        if new:
            session.execute(insert(OutboxMessage), new)
            added += len(new)
    return added


@dataclass
class OutboxStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    recovered: int = 0

    def summary(self) -> str:
        return (
            f"发送成功 {self.sent} 条，待重试 {self.retried} 条，失败 {self.failed} 条，"
            f"状态不明 {self.unknown} 条，恢复中断 {self.recovered} 条"
        )


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claimer_dead(claimed_by: str | None) -> bool:
    """True when the claim was made on this host by a process that no longer exists."""
    try:
        host, pid_text, _ = (claimed_by or "").rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _outgoing(m: OutboxMessage) -> Outgoing:
    return Outgoing(m.id, m.channel, m.recipient, m.subject, m.body, m.dedupe_key)


def recover(engine: Engine, sender: Sender, lease_seconds: int = LEASE_SECONDS) -> OutboxStats:
    """Settle messages left in ``sending`` by a dead worker or an expired lease."""
    stats = OutboxStats()
    limit = now() - dt.timedelta(seconds=lease_seconds)
    with session_scope(engine) as s:
        stale = [
            m
            for m in s.scalars(select(OutboxMessage).where(OutboxMessage.status == "sending"))
            if m.claimed_at is None or m.claimed_at < limit or _claimer_dead(m.claimed_by)
        ]
        for m in stale:
            if sender.idempotent:
                new = "pending"
            else:
                seen = sender.was_sent(_outgoing(m))
                new = {True: "sent", False: "pending", None: "unknown"}[seen]
            values: dict[str, Any] = {"status": new, "claimed_by": None}
            if new == "sent":
                values["sent_at"], values["body"] = now(), _redacted_body()
            if new == "unknown":
                values["last_error"] = "发送过程中进程中断，无法确认是否已送达，请人工核实后处理"
            res = s.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == m.id,
                    OutboxMessage.status == "sending",
                    OutboxMessage.claimed_by == m.claimed_by,
                )
                .values(**values)
            )
            if rowcount(res):
                stats.recovered += 1
                stats.unknown += new == "unknown"
    return stats


def _claim(engine: Engine, batch: int, token: str) -> list[tuple[Outgoing, int]]:
    with session_scope(engine) as s:
        ids = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now())
            .order_by(OutboxMessage.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids.scalar_subquery()), OutboxMessage.status == "pending")
            .values(status="sending", claimed_by=token, claimed_at=now(), attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        rows = s.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.claimed_by == token, OutboxMessage.status == "sending")
            .order_by(OutboxMessage.id)
        )
        return [(_outgoing(m), m.attempts) for m in rows]


def _redacted_body() -> ColumnElement[Any]:
    """The stored body after a final status: cleared for a secret message, kept otherwise."""
    return case((OutboxMessage.dedupe_key.startswith(SECRET_PREFIX), REDACTED), else_=OutboxMessage.body)


def _settle(engine: Engine, msg_id: int, token: str, **values: Any) -> None:
    if values.get("status") in FINAL:
        values["body"] = _redacted_body()
    with session_scope(engine) as s:
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == msg_id, OutboxMessage.claimed_by == token)
            .values(claimed_by=None, **values)
        )


def process_outbox(
    engine: Engine,
    sender: Sender,
    batch: int = 100,
    max_attempts: int = MAX_ATTEMPTS,
    lease_seconds: int = LEASE_SECONDS,
) -> OutboxStats:
    """Recover interrupted sends, then claim and send up to ``batch`` due messages."""
    stats = recover(engine, sender, lease_seconds)
    token = worker_id()
    for msg, attempts in _claim(engine, batch, token):
        try:
            ref = sender.send(msg)
        except SendFailed as exc:
            if exc.permanent or attempts >= max_attempts:
                _settle(engine, msg.id, token, status="failed", last_error=exc.message)
                stats.failed += 1
            else:
                later = now() + dt.timedelta(seconds=backoff(attempts))
                _settle(engine, msg.id, token, status="pending", last_error=exc.message, next_attempt_at=later)
                stats.retried += 1
            continue
        _settle(engine, msg.id, token, status="sent", sent_at=now(), provider_ref=ref, last_error=None)
        stats.sent += 1
    return stats


def work(engine: Engine, sender: Sender, once: bool = False, batch: int = 100, poll: float = 5.0) -> OutboxStats:
    """Run the worker: until the queue is empty (``once``) or forever."""
    total = OutboxStats()
    while True:
        st = process_outbox(engine, sender, batch=batch)
        for f in ("sent", "retried", "failed", "unknown", "recovered"):
            setattr(total, f, getattr(total, f) + getattr(st, f))
        if st.sent + st.retried + st.failed == 0:
            if once:
                return total
            time.sleep(poll)


def counts(session: Session) -> dict[str, int]:
    """Messages per status."""
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {status: n for status, n in rows}


def release(session: Session, msg_id: int, *, resend: bool) -> OutboxMessage:
    """Staff decision on an ``unknown`` or ``failed`` message: send again, or mark it sent."""
    m = session.get(OutboxMessage, msg_id)
    if m is None:
        raise NotFound(f"消息 {msg_id} 不存在")
    if m.status not in ("unknown", "failed"):
        raise StateError(f"消息 {msg_id} 的状态是 {m.status}，只有状态不明或失败的消息需要人工处理")
    if resend:
        m.status, m.next_attempt_at, m.attempts = "pending", now(), 0
    else:
        m.status, m.sent_at = "sent", now()
        if m.dedupe_key.startswith(SECRET_PREFIX):
            m.body = REDACTED
    return m


def queued(session: Session, dedupe_key: str) -> bool:
    """Whether a message with ``dedupe_key`` was ever queued (whatever its state now)."""
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is not None
