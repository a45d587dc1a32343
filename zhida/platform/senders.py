"""Senders: how an outbox message leaves the building.

Three implementations of one small interface:

- ``FileSender`` (default) appends one JSON line per message to ``<data_dir>/outbox/sent.jsonl``;
  it can tell afterwards whether a message went out (``was_sent``), so a worker that died
  mid-send is recovered without sending twice.
- ``SmtpSender`` sends e-mail (SMS through an e-mail-to-SMS domain); SMTP cannot be asked
  afterwards, so a message caught mid-send by a crash becomes ``unknown`` for staff to decide.
- ``HttpGatewaySender`` posts to an SMS gateway with an ``Idempotency-Key`` header (the
  message's dedupe key); the gateway drops repeats, so resending after a crash is safe.

Their settings (``ZHIDA_DELIVERY_SMS_EMAIL_DOMAIN``, ``ZHIDA_DELIVERY_HTTP_TIMEOUT``, …) are fields
of ``zhida.config.Settings``.

A sender raises ``SendFailed`` (``permanent`` or not); the worker retries transient ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from zhida.errors import ZhidaError

if TYPE_CHECKING:
    import httpx


class SendFailed(ZhidaError):
    """A message could not be handed over; ``permanent`` failures are not retried."""

    code = "send_failed"

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    id: int
    channel: str
    recipient: str
    subject: str | None
    body: str
    dedupe_key: str


class Sender(Protocol):
    name: str
    idempotent: bool  # True: sending the same dedupe_key twice delivers once

    def send(self, msg: Outgoing) -> str | None: ...

    def was_sent(self, msg: Outgoing) -> bool | None: ...  # None: cannot tell


class FileSender:
    name = "file"
    idempotent = False

    def __init__(self, path: Path, fsync: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fsync = fsync

    def send(self, msg: Outgoing) -> str | None:
        line = (
            json.dumps(
                {
                    "id": msg.id,
                    "key": msg.dedupe_key,
                    "channel": msg.channel,
                    "to": msg.recipient,
                    "subject": msg.subject,
                    "body": msg.body,
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))  # one write: a line is there whole or not at all
            if self.fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        return f"file:{msg.id}"

    def was_sent(self, msg: Outgoing) -> bool | None:
        return msg.dedupe_key in self.sent_keys()

    def sent_keys(self) -> set[str]:
        if not self.path.exists():
            return set()
        keys = set()
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    keys.add(json.loads(line)["key"])
                except (ValueError, KeyError):
                    continue  # a torn last line never counts as sent
        return keys


class SmtpSender:
    name = "smtp"
    idempotent = False

    def __init__(self, host: str, port: int, sender: str, sms_domain: str = "sms.localhost", timeout: float = 10):
        self.host, self.port, self.sender, self.sms_domain, self.timeout = host, port, sender, sms_domain, timeout

    def _address(self, msg: Outgoing) -> str:
        return msg.recipient if msg.channel == "email" else f"{msg.recipient}@{self.sms_domain}"

    def send(self, msg: Outgoing) -> str | None:
        em = EmailMessage()
        em["From"] = self.sender
        em["To"] = self._address(msg)
        em["Subject"] = msg.subject or "通知"
        em["Date"] = formatdate(localtime=True)
        mid = "<" + hashlib.sha256(msg.dedupe_key.encode()).hexdigest()[:32] + "@zhida>"
        em["Message-ID"] = mid
        em.set_content(msg.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(em)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailed(f"邮件服务器拒收收件人 {em['To']}：{exc}", permanent=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"邮件服务器 {self.host}:{self.port} 暂不可用：{exc}") from exc
        return mid

    def was_sent(self, msg: Outgoing) -> bool | None:
        return None


class HttpGatewaySender:
    name = "http"
    idempotent = True

    def __init__(self, url: str, token: str = "", timeout: float = 10.0, client: httpx.Client | None = None):
        if not url:
            raise ZhidaError("未配置短信网关地址：请设置 ZHIDA_SMS_GATEWAY_URL")
        self.url, self.token, self.timeout = url, token, timeout
        self._client = client

    def send(self, msg: Outgoing) -> str | None:
        import httpx

        headers = {"Idempotency-Key": msg.dedupe_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = {
            "channel": msg.channel,
            "to": msg.recipient,
            "subject": msg.subject,
            "body": msg.body,
            "id": msg.dedupe_key,
        }
        try:
            post = self._client.post if self._client is not None else httpx.post
            resp = post(self.url, json=payload, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise SendFailed(f"短信网关 {self.url} 无法连接：{exc}") from exc
        if resp.status_code >= 500 or resp.status_code in (408, 429):
            raise SendFailed(f"短信网关暂时失败：HTTP {resp.status_code}")
        if resp.status_code >= 400:
            raise SendFailed(f"短信网关拒绝：HTTP {resp.status_code} {resp.text[:200]}", permanent=True)
        try:
            return str(resp.json().get("id") or msg.dedupe_key)
        except ValueError:
            return msg.dedupe_key

    def was_sent(self, msg: Outgoing) -> bool | None:
        return None


def get_sender(kind: str | None = None) -> Sender:
    """The sender chosen by ``ZHIDA_SENDER`` (or ``kind``)."""
    from zhida.config import get_settings

    s = get_settings()
    kind = kind or s.sender
    if kind == "file":
        return FileSender(Path(s.data_dir) / "outbox" / "sent.jsonl")
    if kind == "smtp":
        return SmtpSender(s.smtp_host, s.smtp_port, s.smtp_from, s.delivery_sms_email_domain)
    if kind == "http":
        return HttpGatewaySender(s.sms_gateway_url, s.sms_gateway_token, s.delivery_http_timeout)
    raise ZhidaError(f"未知的发送方式 {kind!r}：应为 file、smtp 或 http")
