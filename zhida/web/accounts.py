"""Accounts: argon2 password hashes, login with one lock per principal, sessions checked per request.

Staff log in with a user name; a unit logs in with its 统一社会信用代码 (its user name).
Every failed login — password or one-time code — counts on one counter per principal (the
name typed, whether or not such an account exists) and per client address; past the limit the
principal is locked for a while. Known and unknown names take the same work (one argon2
verification) and get the same message, so a login reveals nothing about which names exist.
One-time codes and activations are in ``zhida.web.codes``; sessions in ``zhida.web.sessions``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from zhida.db import session_scope
from zhida.errors import PermissionDenied, ValidationFailed
from zhida.identifiers import validate_uscc
from zhida.roles import Actor, ProgrammeRole, Role, role_of
from zhida.web.models import Account, LoginAttempt, WebSession

HASHER = PasswordHasher()
MIN_PASSWORD = 8
ACCOUNT_LIMIT = 5  # failures (passwords and codes together) before a principal is locked
ACCOUNT_LOCK = dt.timedelta(minutes=15)
ADDRESS_LIMIT = 30  # failures from one address per window
WINDOW = dt.timedelta(minutes=15)
WRONG_PASSWORD = "用户名或密码错误（连续错误 5 次将锁定 15 分钟）"
WRONG_CODE = "统一社会信用代码或验证码错误，或验证码已过期（连续错误 5 次将锁定 15 分钟）"
TOO_MANY_ATTEMPTS = "登录失败次数过多，请 15 分钟后再试"


class LoginRefused(PermissionDenied):
    """Wrong credentials, a locked principal or too many attempts."""

    code = "login_refused"


@dataclass(frozen=True)
class AccountCreate:
    username: str
    password: str
    role: Role | ProgrammeRole
    uscc: str | None = None
    display_name: str | None = None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash no password matches: verified for unknown names so they take the same time."""
    return hash_password(secrets.token_urlsafe(24))


def verify_password(stored: str, password: str) -> bool:
    """True when ``password`` matches the argon2 hash ``stored``.

    >>> verify_password(hash_password("correct horse"), "correct horse")
    True
    >>> verify_password(hash_password("correct horse"), "wrong")
    False
    """
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_of(account: Account) -> Actor:
    return Actor(account.username, role_of(account.role), account.uscc)


def _check_new(data: AccountCreate) -> AccountCreate:
    if len(data.password) < MIN_PASSWORD:
        raise ValidationFailed(f"账号 {data.username} 的密码过短：至少 {MIN_PASSWORD} 个字符")
    if data.role == Role.UNIT:
        try:
            uscc = validate_uscc(data.uscc or data.username)
        except ValueError as exc:
            raise ValidationFailed(f"单位账号 {data.username}：{exc}") from exc
        return AccountCreate(uscc, data.password, data.role, uscc, data.display_name)
    if data.uscc:
        raise ValidationFailed(f"账号 {data.username}：只有单位账号才能绑定统一社会信用代码")
    if not data.username.strip():
        raise ValidationFailed("用户名不能为空")
    return data


def create_account(session: Session, data: AccountCreate) -> Account:
    """Create an account or set its password; the account's existing sessions end."""
    from zhida.web.sessions import revoke_all

    data = _check_new(data)
    account = session.get(Account, data.username) or Account(username=data.username)
    account.password_hash = hash_password(data.password)
    account.role = data.role.value
    account.uscc = data.uscc
    account.display_name = data.display_name
    account.active = True
    account.failed_logins = 0
    account.locked_until = None
    session.add(account)
    session.flush()
    revoke_all(session, account.username)
    return account


def set_active(session: Session, username: str, active: bool) -> Account | None:
    """Enable or disable an account; disabling ends its sessions."""
    from zhida.web.sessions import revoke_all

    account = session.get(Account, username)
    if account is not None:
        account.active = active
        if not active:
            revoke_all(session, username)
    return account


def bump(session: Session, key: str, now: dt.datetime) -> int:
    """Count one event on ``key`` in the current window; returns the count."""
    row = session.get(LoginAttempt, key)
    if row is None or now - row.window_start >= WINDOW:
        row = row or LoginAttempt(key=key)
        row.window_start, row.count = now, 0
        session.add(row)
    row.count += 1
    return row.count


def _count(session: Session, key: str, now: dt.datetime) -> int:
    row = session.get(LoginAttempt, key)
    return row.count if row is not None and now - row.window_start < WINDOW else 0


def address_throttled(session: Session, address: str, now: dt.datetime) -> bool:
    return _count(session, f"ip:{address}", now) >= ADDRESS_LIMIT


def principal(name: str) -> str:
    return name.strip().upper()[:60]


def locked(session: Session, name: str, now: dt.datetime) -> bool:
    """The principal's one counter (passwords and codes) has reached the limit in this window."""
    return _count(session, f"user:{principal(name)}", now) >= ACCOUNT_LIMIT


def count_failure(session: Session, account: Account | None, name: str, address: str, now: dt.datetime) -> None:
    """One more failure for the address and, unless already locked, for the principal."""
    bump(session, f"ip:{address}", now)
    if locked(session, name, now):
        return
    n = bump(session, f"user:{principal(name)}", now)
    if account is not None:  # shown on the accounts page
        account.failed_logins = n
        account.locked_until = now + ACCOUNT_LOCK if n >= ACCOUNT_LIMIT else None


def succeeded(session: Session, account: Account, now: dt.datetime) -> None:
    row = session.get(LoginAttempt, f"user:{principal(account.username)}")
    if row is not None:
        row.count = 0
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now


def authenticate(engine: Engine, username: str, password: str, address: str) -> Actor:
    """Check a password login; the same work and message for unknown names, locked and wrong."""
    now = dt.datetime.now()
    with session_scope(engine) as session:
        if address_throttled(session, address, now):
            raise LoginRefused(TOO_MANY_ATTEMPTS)
        account = _find(session, username)
        usable = account is not None and account.active
        ok = verify_password(account.password_hash if usable and account is not None else dummy_hash(), password)
        if ok and usable and account is not None and not locked(session, username, now):
            succeeded(session, account, now)
            return actor_of(account)
        count_failure(session, account, username, address, now)
    raise LoginRefused(WRONG_PASSWORD)


def _find(session: Session, username: str) -> Account | None:
    """Staff names are exact; a unit may type its USCC in lower case."""
    name = username.strip()
    return session.get(Account, name) or session.get(Account, name.upper())


# built once: a constant statement also keeps its compiled-cache key
ACTIVE_SESSION = (select(Account.role, Account.uscc)
                  .join(WebSession, WebSession.username == Account.username)
                  .where(WebSession.id == bindparam("sid"), Account.username == bindparam("username"),
                         Account.active.is_(True), WebSession.expires_at > bindparam("now")))


def load_actor(db: Session | Connection, username: str, sid: str) -> Actor | None:
    """The actor of a live session of an active account, or None (logged out, reset, disabled, expired).

    One indexed probe per request: a revoked session or a disabled account is out at once.
    """
    row = db.execute(ACTIVE_SESSION, {"username": username, "sid": sid, "now": dt.datetime.now()}).first()
    return None if row is None else Actor(username, role_of(row.role), row.uscc)


DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, "系统管理员"),
    ("jingban", Role.OPERATOR, "经办人员"),
    ("shenhe", Role.REVIEWER, "审核人员"),
    ("lingdao", Role.LEADER, "局领导"),
]


def create_demo_accounts(engine: Engine, unit_usccs: list[str] | None = None) -> list[tuple[str, str, str]]:
    """Create one account per staff role and unit accounts; return (username, password, role label).

    Demo passwords are fixed so the demo can print them; never use them in production.
    Without ``unit_usccs`` the first two units of the registry get accounts.
    """
    from zhida.registry.queries import first_usccs

    made: list[tuple[str, str, str]] = []
    with session_scope(engine) as session:
        for name, role, label in DEMO_ACCOUNTS:
            password = f"{name}-demo-2025"
            create_account(session, AccountCreate(name, password, role, display_name=label))
            made.append((name, password, role.label))
        usccs = unit_usccs if unit_usccs is not None else first_usccs(session, 2)
        for uscc in usccs:
            create_account(session, AccountCreate(uscc, "unit-demo-2025", Role.UNIT, uscc))
            made.append((uscc, "unit-demo-2025", Role.UNIT.label))
    return made
