"""The shared outbox: idempotent enqueue, retries with backoff, crash recovery, no double send."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from sqlalchemy import select, update

from zhida.db import session_scope
from zhida.errors import StateError, ValidationFailed
from zhida.platform import outbox
from zhida.platform.models import OutboxMessage
from zhida.platform.senders import FileSender, Outgoing, SendFailed


class FlakySender:
    """Fails transiently ``fail_times`` times, then records what it sent."""

    name, idempotent = "flaky", False

    def __init__(self, fail_times=0, permanent=False):
        self.fail_times, self.permanent, self.sent = fail_times, permanent, []

    def send(self, msg):
        if self.fail_times:
            self.fail_times -= 1
            raise SendFailed("网关超时", permanent=self.permanent)
        self.sent.append(msg.dedupe_key)
        return "ok"

    def was_sent(self, msg):
        return None


def test_enqueue_is_idempotent(engine):
    with session_scope(engine) as s:
        a = outbox.enqueue(s, channel="sms", recipient="13800000000", body="甲", dedupe_key="k1")
        b = outbox.enqueue(s, channel="sms", recipient="13800000000", body="乙", dedupe_key="k1")
        assert a.id == b.id and b.body == "甲"
        rows = [dict(channel="sms", recipient="1", body="x", dedupe_key=k) for k in ("k1", "k2", "k3")]
        n = outbox.enqueue_many(s, rows)
        assert n == 2
    with session_scope(engine) as s:
        assert s.query(OutboxMessage).count() == 3
        with pytest.raises(ValidationFailed, match="渠道"):
            outbox.enqueue(s, channel="fax", recipient="1", body="x", dedupe_key="k9")


def test_transient_failure_retries_with_backoff_then_fails(engine):
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="sms", recipient="13800000000", body="x", dedupe_key="r1")
    sender = FlakySender(fail_times=10)
    st = outbox.process_outbox(engine, sender)
    assert (st.sent, st.retried) == (0, 1)
    with session_scope(engine) as s:
        m = s.scalars(select(OutboxMessage)).one()
        assert m.status == "pending" and m.attempts == 1
        wait = (m.next_attempt_at - dt.datetime.now()).total_seconds()
        assert 25 < wait <= 30
    # not due yet: nothing happens
    assert outbox.process_outbox(engine, sender).retried == 0
    for _attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        with session_scope(engine) as s:
            s.execute(update(OutboxMessage).values(next_attempt_at=dt.datetime.now() - dt.timedelta(seconds=1)))
        st = outbox.process_outbox(engine, sender)
    assert st.failed == 1
    with session_scope(engine) as s:
        m = s.scalars(select(OutboxMessage)).one()
        assert m.status == "failed" and m.attempts == outbox.MAX_ATTEMPTS and "网关超时" in m.last_error
        outbox.release(s, m.id, resend=True)
    sender.fail_times = 0
    assert outbox.process_outbox(engine, sender).sent == 1 and sender.sent == ["r1"]


def test_permanent_failure_is_not_retried(engine):
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="sms", recipient="1", body="x", dedupe_key="p1")
    st = outbox.process_outbox(engine, FlakySender(fail_times=1, permanent=True))
    assert st.failed == 1
    with session_scope(engine) as s:
        assert s.scalars(select(OutboxMessage.status)).one() == "failed"
        msg_id = s.scalars(select(OutboxMessage.id)).one()
        assert outbox.release(s, msg_id, resend=False).status == "sent"
        with pytest.raises(StateError, match="人工处理"):
            outbox.release(s, msg_id, resend=False)


def _dead_claim(engine, key):
    """Mark ``key`` as claimed by a process that has exited (a worker killed mid-send)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket

    token = f"{socket.gethostname()}:{int(proc.stdout)}:deadbeef"
    with session_scope(engine) as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.dedupe_key == key)
                  .values(status="sending", claimed_by=token, claimed_at=dt.datetime.now(), attempts=1))


def test_crash_after_send_is_not_sent_again(engine, tmp_path):
    sender = FileSender(tmp_path / "sent.jsonl")
    with session_scope(engine) as s:
        m1 = outbox.enqueue(s, channel="sms", recipient="1", body="已发", dedupe_key="c1")
        outbox.enqueue(s, channel="sms", recipient="2", body="未发", dedupe_key="c2")
    sender.send(Outgoing(m1.id, "sms", "1", None, "已发", "c1"))  # went out, then the worker died
    _dead_claim(engine, "c1")
    _dead_claim(engine, "c2")
    st = outbox.process_outbox(engine, sender)
    assert st.recovered == 2 and st.sent == 1
    keys = [json.loads(line)["key"] for line in (tmp_path / "sent.jsonl").read_text().splitlines()]
    assert sorted(keys) == ["c1", "c2"]
    with session_scope(engine) as s:
        assert set(s.scalars(select(OutboxMessage.status))) == {"sent"}


def test_crash_with_unconfirmable_sender_becomes_unknown(engine):
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="sms", recipient="1", body="x", dedupe_key="u1")
    _dead_claim(engine, "u1")
    sender = FlakySender()
    st = outbox.process_outbox(engine, sender)
    assert st.unknown == 1 and sender.sent == []
    with session_scope(engine) as s:
        assert s.scalars(select(OutboxMessage.status)).one() == "unknown"
        assert outbox.counts(s) == {"unknown": 1}


def test_live_claim_is_left_alone(engine):
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="sms", recipient="1", body="x", dedupe_key="l1")
        s.execute(update(OutboxMessage).values(status="sending", claimed_by=outbox.worker_id(),
                                               claimed_at=dt.datetime.now()))
    sender = FlakySender()
    assert outbox.process_outbox(engine, sender).recovered == 0 and sender.sent == []
