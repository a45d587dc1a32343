"""One-time codes for unit accounts: login codes and the activation a staff password reset sends.

- Requests are limited per unit and per client address (counted whether or not the unit has an
  account, so the limit reveals nothing); a new code makes the earlier one of the unit invalid.
- A code is stored only as an HMAC keyed with the installation's secret, valid 5 minutes (login)
  or 24 hours (activation), usable once. Each guess costs one HMAC against at most one row.
- Wrong codes count on the same per-account lock as wrong passwords.
- The SMS goes through the outbox under a ``secret:`` key: its stored body is cleared once sent.
- Staff never choose a unit's password: a reset disables the old one, ends the unit's sessions and
  sends an activation code to the unit's registered phone; the unit sets its own password.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from zhida.db import session_scope
from zhida.errors import StateError, ValidationFailed
from zhida.identifiers import mask_phone
from zhida.platform import audit
from zhida.roles import Actor, Role
from zhida.web import accounts
from zhida.web.accounts import LoginRefused
from zhida.web.models import Account, LoginCode
from zhida.web.sessions import revoke_all

LOGIN_TTL = dt.timedelta(minutes=5)
ACTIVATION_TTL = dt.timedelta(hours=24)
UNIT_REQUESTS = 3  # code requests per unit per window
ADDRESS_REQUESTS = 10  # code requests per client address per window
TOO_MANY = "验证码请求过于频繁，请 15 分钟后再试"


def code_hash(secret: str, username: str, purpose: str, code: str) -> str:
    """The stored form of a code: HMAC-SHA256 keyed with the installation's secret.

    >>> code_hash("k", "U1", "login", "123456") == code_hash("k", "U1", "login", "123456 ")
    True
    """
    msg = f"{purpose}|{username}|{code.strip()}".encode()
    return hmac.new(f"codes|{secret}".encode(), msg, hashlib.sha256).hexdigest()


def _new_code(session: Session, account: Account, purpose: str, secret: str, ttl: dt.timedelta, digits: int) -> str:
    code = f"{secrets.randbelow(10 ** digits):0{digits}d}"
    now = dt.datetime.now()
    session.execute(update(LoginCode).where(LoginCode.username == account.username, LoginCode.purpose == purpose,
                                            LoginCode.used.is_(False)).values(used=True))  # one valid at a time
    session.add(LoginCode(username=account.username, purpose=purpose, code_hash=code_hash(secret, account.username,
                                                                                           purpose, code),
                          expires_at=now + ttl, used=False))
    return code


def issue_login_code(engine: Engine, uscc: str, address: str, secret: str) -> None:
    """Send a login code to a unit's registered phone; the same outcome whether or not the unit has an
    account. Raises ``LoginRefused`` past the per-unit or per-address request limit."""
    from zhida.web import notify

    name, now = uscc.strip().upper()[:30], dt.datetime.now()
    with session_scope(engine) as s:
        over = [accounts.bump(s, key, now) > limit for key, limit in
                ((f"code-ip:{address}", ADDRESS_REQUESTS), (f"code-unit:{name}", UNIT_REQUESTS))]
        if any(over):
            refused = LoginRefused(TOO_MANY)
        else:
            refused = None
            account = s.get(Account, name)
            if account is not None and account.role == Role.UNIT.value and account.active:
                code = _new_code(s, account, "login", secret, LOGIN_TTL, 6)
                with contextlib.suppress(StateError):  # no phone on record: said nowhere, like an unknown unit
                    notify.send_code(s, account.username, "登录验证码", code, "5 分钟")
    if refused:
        raise refused


def _check_code(s: Session, name: str, purpose: str, code: str, address: str, secret: str,
                now: dt.datetime) -> tuple[Account, LoginCode] | None:
    """The account and its code when ``code`` is right and nothing is locked; counts a failure otherwise."""
    account = s.get(Account, name)
    row = s.scalars(select(LoginCode).where(LoginCode.username == name, LoginCode.purpose == purpose,
                                            LoginCode.used.is_(False), LoginCode.expires_at > now)
                    .order_by(LoginCode.id.desc()).limit(1)).first()
    given = code_hash(secret, name, purpose, code)
    ok = hmac.compare_digest(given, row.code_hash if row else "0" * 64)
    if accounts.locked(s, name, now) or account is None or not account.active or row is None or not ok:
        accounts.count_failure(s, account, name, address, now)
        return None
    return account, row


def login_with_code(engine: Engine, uscc: str, code: str, address: str, secret: str) -> Actor:
    """Log a unit in with its login code; raises ``LoginRefused`` (one message for every failure)."""
    name, now = uscc.strip().upper()[:30], dt.datetime.now()
    with session_scope(engine) as s:
        if accounts.address_throttled(s, address, now):
            raise LoginRefused(accounts.TOO_MANY_ATTEMPTS)
        found = _check_code(s, name, "login", code, address, secret, now)
        if found is not None:
            account, row = found
            row.used = True
            accounts.succeeded(s, account, now)
            return accounts.actor_of(account)
    raise LoginRefused(accounts.WRONG_CODE)


def issue_activation(session: Session, actor: Actor, uscc: str, secret: str) -> str:
    """Staff reset of a unit's portal password: the old password stops working, the unit's sessions
    end, an activation code goes to the unit's registered phone. Audited. Returns the masked phone."""
    from zhida.registry.service import get_unit
    from zhida.web import notify

    actor.require(Role.OPERATOR, action="重置单位门户密码")
    unit = get_unit(session, uscc)
    if not unit.phone:
        raise ValidationFailed(f"单位 {unit.name} 没有登记联系电话，无法发送激活码：请先更新单位登记信息")
    account = session.get(Account, unit.uscc) or Account(username=unit.uscc, role=Role.UNIT.value, uscc=unit.uscc,
                                                         display_name=unit.name, failed_logins=0)
    account.password_hash = accounts.hash_password(secrets.token_urlsafe(32))  # nobody knows it
    account.active = True
    session.add(account)
    session.flush()
    ended = revoke_all(session, unit.uscc)
    code = _new_code(session, account, "activate", secret, ACTIVATION_TTL, 8)
    notify.send_code(session, unit.uscc, "门户激活码", code, "24 小时", activation=True)
    audit.record(session, actor=actor, action="重置单位门户密码", entity="account", entity_id=unit.uscc,
                 after={"sent_to": mask_phone(unit.phone), "sessions_ended": ended,
                        "valid_until": (dt.datetime.now() + ACTIVATION_TTL).isoformat(timespec="minutes")})
    return mask_phone(unit.phone)


def activate(engine: Engine, uscc: str, code: str, password: str, address: str, secret: str) -> Actor:
    """The unit sets its own password with the activation code; raises ``LoginRefused`` or ``ValidationFailed``."""
    if len(password) < accounts.MIN_PASSWORD:
        raise ValidationFailed(f"新密码过短：至少 {accounts.MIN_PASSWORD} 个字符")
    name, now = uscc.strip().upper()[:30], dt.datetime.now()
    with session_scope(engine) as s:
        if accounts.address_throttled(s, address, now):
            raise LoginRefused(accounts.TOO_MANY_ATTEMPTS)
        found = _check_code(s, name, "activate", code, address, secret, now)
        if found is not None:
            account, row = found
            row.used = True
            account.password_hash = accounts.hash_password(password)
            revoke_all(s, name)
            accounts.succeeded(s, account, now)
            actor = accounts.actor_of(account)
            audit.record(s, actor=actor, action="单位设置门户密码", entity="account", entity_id=name,
                         after={"by": "激活码"})
            return actor
    raise LoginRefused(accounts.WRONG_CODE)
