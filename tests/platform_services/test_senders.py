"""Real senders against real servers: SMTP (aiosmtpd) and an HTTP gateway; two workers at once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from zhida.db import session_scope
from zhida.platform import outbox
from zhida.platform.models import OutboxMessage
from zhida.platform.senders import HttpGatewaySender, SmtpSender, get_sender


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bad"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    ctl.start()
    yield ctl, inbox
    ctl.stop()


def test_smtp_sender_delivers_to_a_real_server(engine, smtp_server):
    ctl, inbox = smtp_server
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="sms", recipient="13800000001", body="您的稳岗返还已到账", dedupe_key="s1")
        outbox.enqueue(s, channel="email", recipient="hr@example.com", subject="通知", body="请确认账号",
                       dedupe_key="s2")
        outbox.enqueue(s, channel="email", recipient="bad@example.com", body="x", dedupe_key="s3")
    sender = SmtpSender("127.0.0.1", ctl.port, "zhida@localhost", sms_domain="sms.example")
    st = outbox.process_outbox(engine, sender)
    assert (st.sent, st.failed) == (2, 1)
    rcpts = sorted(r for rs, _ in inbox.messages for r in rs)
    assert rcpts == ["13800000001@sms.example", "hr@example.com"]
    assert any("Message-ID" in body for _, body in inbox.messages)
    with session_scope(engine) as s:
        bad = s.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == "s3")).one()
        assert bad.status == "failed" and "拒收" in bad.last_error


def test_smtp_server_down_is_retried(engine):
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="email", recipient="a@example.com", body="x", dedupe_key="d1")
    st = outbox.process_outbox(engine, SmtpSender("127.0.0.1", _free_port(), "zhida@localhost", timeout=2))
    assert st.retried == 1
    with session_scope(engine) as s:
        assert s.scalars(select(OutboxMessage.status)).one() == "pending"


class Gateway(BaseHTTPRequestHandler):
    seen: ClassVar[Counter[str]] = Counter()
    fail_next: ClassVar[list[int]] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers.get("Idempotency-Key")
        if self.fail_next:
            self.send_response(self.fail_next.pop())
            self.end_headers()
            return
        assert self.headers.get("Authorization") == "Bearer tok"
        first = key not in self.seen
        self.seen[key] += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"gw-{body['to']}", "duplicate": not first}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.seen, Gateway.fail_next = Counter(), []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_port}/sms"
    srv.shutdown()


def test_http_gateway_sender(engine, gateway):
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="sms", recipient="13800000002", body="x", dedupe_key="h1")
        outbox.enqueue(s, channel="sms", recipient="13800000003", body="y", dedupe_key="h2")
        outbox.enqueue(s, channel="sms", recipient="13800000004", body="z", dedupe_key="h3")
    Gateway.fail_next = [400, 503]  # h1: transient 503, h2: permanent 400
    st = outbox.process_outbox(engine, HttpGatewaySender(gateway, "tok"))
    assert (st.sent, st.retried, st.failed) == (1, 1, 1)
    with session_scope(engine) as s:
        rows = {m.dedupe_key: m for m in s.scalars(select(OutboxMessage))}
        assert rows["h3"].provider_ref == "gw-13800000004" and rows["h1"].status == "pending"
        assert rows["h2"].status == "failed" and "400" in rows["h2"].last_error


def test_get_sender_follows_settings(monkeypatch, tmp_path):
    from zhida.config import get_settings

    monkeypatch.setenv("ZHIDA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZHIDA_SENDER", "http")
    monkeypatch.setenv("ZHIDA_SMS_GATEWAY_URL", "http://127.0.0.1:9/sms")
    get_settings.cache_clear()
    try:
        assert get_sender().name == "http" and get_sender("file").path == tmp_path / "outbox" / "sent.jsonl"
        assert get_sender("smtp").name == "smtp"
    finally:
        get_settings.cache_clear()


def test_two_workers_at_once_never_send_twice(db_url, engine, tmp_path):
    n = 300
    with session_scope(engine) as s:
        outbox.enqueue_many(s, [dict(channel="sms", recipient=f"138{i:08d}", body=f"第{i}条", dedupe_key=f"w{i}")
                                for i in range(n)])
    log, go = tmp_path / "sent.jsonl", tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    cmd = [sys.executable, str(Path(__file__).with_name("slow_worker.py")), db_url, str(log), str(go)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        assert p.stdout.readline().strip() == "READY"
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    sent_by = [json.loads(o)["sent"] for o, _ in outs]
    keys = [json.loads(line)["key"] for line in log.read_text().splitlines()]
    assert len(keys) == n and len(set(keys)) == n, "a message went out twice"
    assert sum(sent_by) == n  # (on a loaded machine one worker may find the queue already empty)
    with session_scope(engine) as s:
        assert outbox.counts(s) == {"sent": n}


def test_outbox_cli_worker(db_url, engine, tmp_path):
    with session_scope(engine) as s:
        outbox.enqueue(s, channel="sms", recipient="13800000009", body="测试", dedupe_key="cli1")
    env = {**os.environ, "ZHIDA_DATABASE_URL": db_url, "ZHIDA_DATA_DIR": str(tmp_path), "ZHIDA_SENDER": "file"}
    out = subprocess.run([sys.executable, "-m", "zhida", "outbox", "work", "--once"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and "发送成功 1 条" in out.stdout, out.stderr
    assert "cli1" in (tmp_path / "outbox" / "sent.jsonl").read_text()


def test_claim_skips_rows_another_worker_holds(engine):
    """While one worker's claim transaction holds rows, a second claim takes others at once."""
    from sqlalchemy.orm import Session

    with session_scope(engine) as s:
        outbox.enqueue_many(s, [dict(channel="sms", recipient="1", body="x", dedupe_key=f"k{i}") for i in range(6)])
    holder = Session(engine)
    held = holder.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(3).with_for_update()).all()
    try:
        got = outbox._claim(engine, 10, outbox.worker_id())
    finally:
        holder.rollback()
        holder.close()
    ids = [m.id for m, _ in got]
    if engine.dialect.name == "postgresql":
        assert len(ids) == 3 and not set(ids) & set(held)
    else:  # SQLite has no row locks: the claim is serialised by the database lock instead
        assert len(ids) == 6
