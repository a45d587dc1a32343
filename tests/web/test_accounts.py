"""Accounts: the CLI, demo accounts, validation of new accounts, one-time codes."""

from __future__ import annotations

import pytest

from tests.web.conftest import add_units
from zhida.cli import main
from zhida.db import session_scope
from zhida.errors import ValidationFailed
from zhida.roles import Role
from zhida.web.accounts import (
    AccountCreate,
    LoginRefused,
    authenticate,
    create_account,
    create_demo_accounts,
    verify_password,
)
from zhida.web.models import Account


def test_user_add_cli_stores_an_argon2_hash(db_url, engine):
    main(["user", "add", "wang", "--role", "reviewer", "--password", "s3cret-pass"])
    with session_scope(engine) as s:
        acc = s.get(Account, "wang")
        assert acc.role == "reviewer" and verify_password(acc.password_hash, "s3cret-pass")


def test_user_add_refuses_a_unit_account_with_a_bad_code(db_url):
    with pytest.raises(SystemExit) as done:
        main(["user", "add", "91371523MA3C00011A", "--role", "unit", "--password", "s3cret-pass"])
    assert done.value.code == 2


def test_password_length_is_pinned_on_both_sides(engine):
    with session_scope(engine) as s:
        with pytest.raises(ValidationFailed, match="至少 8 个字符"):
            create_account(s, AccountCreate("short", "1234567", Role.OPERATOR))
        create_account(s, AccountCreate("exact", "12345678", Role.OPERATOR))


def test_demo_accounts_log_in(engine):
    add_units(engine)
    made = create_demo_accounts(engine)
    roles = {label for _, _, label in made}
    assert roles == {"系统管理员", "经办", "审核", "领导", "单位"}
    for username, password, _ in made:
        actor = authenticate(engine, username, password, "127.0.0.1")
        assert actor.username == username
    unit = next(u for u, _, label in made if label == "单位")
    assert authenticate(engine, unit.lower(), "unit-demo-2025", "127.0.0.1").uscc == unit


def test_too_many_failures_from_one_address_are_throttled(engine, monkeypatch):
    from zhida.web import accounts

    monkeypatch.setattr(accounts, "ADDRESS_LIMIT", 3)
    with session_scope(engine) as s:
        create_account(s, AccountCreate("li", "right-password", Role.OPERATOR))
    for name in ("a", "b", "c"):
        with pytest.raises(LoginRefused, match="用户名或密码错误"):
            authenticate(engine, name, "x", "10.0.0.9")
    with pytest.raises(LoginRefused, match="失败次数过多"):
        authenticate(engine, "li", "right-password", "10.0.0.9")
    assert authenticate(engine, "li", "right-password", "10.0.0.8").username == "li"
