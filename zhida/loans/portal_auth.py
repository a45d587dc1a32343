"""Portal login of individual applicants (借款人登录): 身份证号 + a one-time code by SMS.

* The code (6 digits) is stored only as an HMAC-SHA256 keyed with the application's secret,
  compared in constant time (``hmac.compare_digest``).
* One valid code per person: a new code replaces the previous one (``LoginCode`` is keyed
  by 身份证号); it lives ``TTL`` (5 minutes) and is spent by one successful login.
* Rate limits: a new code at most every ``RESEND`` (60 s) and ``MAX_CODES`` (5) per hour per
  person; ``MAX_TRIES`` (5) wrong entries spend the code.
* The SMS goes through the platform outbox. A person already known gets it on the phone on
  file (a typed number cannot redirect it); a new person on the number they enter, checked
  again by staff against the evidence at 人社初审.

>>> len(new_code()), new_code().isdigit()
(6, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhida.errors import PermissionDenied, ValidationFailed
from zhida.identifiers import mask_phone, validate_id_number, validate_phone
from zhida.loans.models import Applicant, LoginCode
from zhida.loans.roles import APPLICANT
from zhida.platform import outbox
from zhida.roles import Actor

TTL = dt.timedelta(minutes=5)
RESEND = dt.timedelta(seconds=60)
WINDOW = dt.timedelta(hours=1)
MAX_CODES, MAX_TRIES = 5, 5
REFUSED = "身份证号或验证码不正确，或验证码已失效，请重新获取"


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def digest(secret: str, id_number: str, code: str) -> str:
    return hmac.new(secret.encode(), f"{id_number}:{code}".encode(), hashlib.sha256).hexdigest()


def _id(text: str) -> str:
    try:
        return validate_id_number(text)
    except ValueError as exc:
        raise ValidationFailed(f"身份证号「{text}」无效：{exc}") from None


def issue(session: Session, secret: str, id_number: str, phone: str, now: dt.datetime | None = None) -> str:
    """Send a new code; returns the masked phone it went to. ``PermissionDenied`` when rate-limited."""
    now = now or dt.datetime.now()
    number = _id(id_number)
    known = session.scalars(select(Applicant.phone).where(Applicant.id_number == number)).first()
    try:
        target = validate_phone(known or phone)
    except ValueError as exc:
        raise ValidationFailed(f"手机号「{phone}」无效：{exc}") from None
    row = session.get(LoginCode, number, with_for_update=True)
    if row is None:
        row = LoginCode(id_number=number, window_start=now, issued_in_window=0, attempts=0, used=True,
                        code_hash="", expires_at=now)
        session.add(row)
    if now - row.window_start >= WINDOW:
        row.window_start, row.issued_in_window = now, 0
    if row.issued_in_window >= MAX_CODES:
        raise PermissionDenied("获取验证码过于频繁：每小时最多 5 次，请稍后再试")
    if not row.used and row.expires_at - TTL + RESEND > now:
        raise PermissionDenied("验证码已发送，请 60 秒后再重新获取")
    code = new_code()
    row.code_hash, row.expires_at, row.attempts, row.used = digest(secret, number, code), now + TTL, 0, False
    row.issued_in_window += 1
    session.flush()
    outbox.enqueue(session, channel="sms", recipient=target, dedupe_key=f"loans:login:{number}:{now.isoformat()}",
                   body=f"【直达】您的创业担保贷款登录验证码为 {code}，5 分钟内有效。如非本人操作请忽略。")
    return mask_phone(target)


def verify(session: Session, secret: str, id_number: str, code: str, now: dt.datetime | None = None) -> Actor | None:
    """The applicant's actor when the code matches, else None — the caller commits either way
    (a wrong entry is counted) and shows ``REFUSED``, one message for every failure."""
    now = now or dt.datetime.now()
    try:
        number = validate_id_number(id_number)
    except ValueError:
        return None
    row = session.get(LoginCode, number, with_for_update=True)
    if row is None or row.used or row.expires_at <= now or row.attempts >= MAX_TRIES:
        return None
    if not hmac.compare_digest(row.code_hash, digest(secret, number, (code or "").strip())):
        row.attempts += 1
        row.used = row.attempts >= MAX_TRIES
        session.flush()
        return None
    row.used = True
    session.flush()
    return Actor(number, APPLICANT)
