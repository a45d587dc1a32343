"""Accounts: argon2 password hashes, login with throttling, one-time portal codes.

Staff log in with a user name; a unit logs in with its 统一社会信用代码 (its user name).
Every failed login is counted per account and per client address; past the limit the
login is refused for a while, whatever the password.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from zhida.db import session_scope
from zhida.errors import NotFound, PermissionDenied, ValidationFailed
from zhida.identifiers import validate_uscc
from zhida.roles import Actor, Role, role_of
from zhida.web.models import Account, LoginAttempt, LoginCode

HASHER = PasswordHasher()
MIN_PASSWORD = 8
ACCOUNT_LIMIT = 5  # failures before an account is locked
ACCOUNT_LOCK = dt.timedelta(minutes=15)
ADDRESS_LIMIT = 30  # failures from one address per window
WINDOW = dt.timedelta(minutes=15)
CODE_TTL = dt.timedelta(minutes=10)


class LoginRefused(PermissionDenied):
    """Wrong credentials, a locked account or too many attempts."""

    code = "login_refused"


@dataclass(frozen=True)
class AccountCreate:
    username: str
    password: str
    role: Role
    uscc: str | None = None
    display_name: str | None = None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


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
    """Create or reset an account (unit accounts are named by their USCC)."""
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
    return account


def _throttled(session: Session, key: str, now: dt.datetime) -> bool:
    row = session.get(LoginAttempt, key)
    return row is not None and now - row.window_start < WINDOW and row.count >= ADDRESS_LIMIT


def _count_failure(session: Session, key: str, now: dt.datetime) -> None:
    row = session.get(LoginAttempt, key)
    if row is None or now - row.window_start >= WINDOW:
        row = row or LoginAttempt(key=key)
        row.window_start, row.count = now, 0
        session.add(row)
    row.count += 1


def _fail(session: Session, account: Account | None, address: str, now: dt.datetime) -> LoginRefused:
    _count_failure(session, f"ip:{address}", now)
    if account is not None:
        account.failed_logins += 1
        if account.failed_logins >= ACCOUNT_LIMIT:
            account.locked_until = now + ACCOUNT_LOCK
    return LoginRefused("用户名或密码错误")


def authenticate(engine: Engine, username: str, password: str, address: str) -> Actor:
    """Check a password login; count the failure or reset the counters on success."""
    now = dt.datetime.now()
    with session_scope(engine) as session:
        if _throttled(session, f"ip:{address}", now):
            raise LoginRefused("登录失败次数过多，请 15 分钟后再试")
        account = _find(session, username)
        if account is not None and account.locked_until and account.locked_until > now:
            raise LoginRefused("该账号连续登录失败次数过多，已临时锁定 15 分钟")
        if account is None or not account.active or not verify_password(account.password_hash, password):
            err = _fail(session, account, address, now)
        else:
            account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
            return actor_of(account)
    raise err


def _find(session: Session, username: str) -> Account | None:
    """Staff names are exact; a unit may type its USCC in lower case."""
    name = username.strip()
    return session.get(Account, name) or session.get(Account, name.upper())


# built once: a constant statement also keeps its compiled-cache key
ACTIVE_ACCOUNT = select(Account.role, Account.uscc).where(Account.username == bindparam("username"),
                                                          Account.active.is_(True))


def load_actor(db: Session | Connection, username: str) -> Actor | None:
    """The actor of an active account, or None when it is gone or disabled.

    One primary-key probe reading two columns, on every request: a disabled account or a changed
    role takes effect at once, with no cache to wait for.
    """
    row = db.execute(ACTIVE_ACCOUNT, {"username": username}).first()
    return None if row is None else Actor(username, role_of(row.role), row.uscc)


def issue_login_code(engine: Engine, uscc: str) -> str:
    """Create a one-time login code for a unit account and send it through the outbox."""
    code = f"{secrets.randbelow(10**6):06d}"
    with session_scope(engine) as session:
        account = session.get(Account, uscc.strip().upper())
        if account is None or account.role != Role.UNIT.value or not account.active:
            raise NotFound(f"统一社会信用代码 {uscc} 没有开通单位账号，请联系人社局经办人员")
        session.add(LoginCode(username=account.username, code_hash=hash_password(code),
                              expires_at=dt.datetime.now() + CODE_TTL))
        _send_code(session, account, code)
    return code


def _send_code(session: Session, account: Account, code: str) -> None:
    from zhida.web import notify

    notify.send_login_code(session, account.username, code)


def login_with_code(engine: Engine, uscc: str, code: str, address: str) -> Actor:
    """Log a unit in with a one-time code; each code works once, for 10 minutes."""
    now = dt.datetime.now()
    with session_scope(engine) as session:
        if _throttled(session, f"ip:{address}", now):
            raise LoginRefused("登录失败次数过多，请 15 分钟后再试")
        username = uscc.strip().upper()
        account = session.get(Account, username)
        rows = session.scalars(select(LoginCode).where(
            LoginCode.username == username, LoginCode.used.is_(False), LoginCode.expires_at > now)).all()
        match = next((r for r in rows if verify_password(r.code_hash, code.strip())), None)
        if account is None or not account.active or match is None:
            err = _fail(session, account, address, now)
        else:
            match.used = True
            account.last_login_at = now
            return actor_of(account)
    raise err


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
    from zhida.registry.models import Unit

    made: list[tuple[str, str, str]] = []
    with session_scope(engine) as session:
        for name, role, label in DEMO_ACCOUNTS:
            password = f"{name}-demo-2025"
            create_account(session, AccountCreate(name, password, role, display_name=label))
            made.append((name, password, role.label))
        usccs = unit_usccs if unit_usccs is not None else list(
            session.scalars(select(Unit.uscc).order_by(Unit.uscc).limit(2)))
        for uscc in usccs:
            create_account(session, AccountCreate(uscc, "unit-demo-2025", Role.UNIT, uscc))
            made.append((uscc, "unit-demo-2025", Role.UNIT.label))
    return made
