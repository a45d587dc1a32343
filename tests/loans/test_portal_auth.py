"""The applicants' code login: hashed, short-lived, one at a time, rate-limited, through the outbox."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.loans.conftest import id_of
from zhida.db import session_scope
from zhida.errors import PermissionDenied, ValidationFailed
from zhida.loans import portal_auth
from zhida.loans.models import LoginCode
from zhida.platform.models import OutboxMessage

SECRET = "s" * 32
T0 = dt.datetime(2026, 3, 2, 9, 0, 0)
WHO = id_of("19900501")


def issue(engine, at=T0, who=WHO):
    with session_scope(engine) as s:
        return portal_auth.issue(s, SECRET, who, "13800138000", at)


def last_code(engine) -> str:
    with session_scope(engine) as s:
        body = s.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"\d{6}", body).group(0)


def verify(engine, code, at=T0 + dt.timedelta(minutes=1), who=WHO):
    with session_scope(engine) as s:
        return portal_auth.verify(s, SECRET, who, code, at)


def test_a_code_logs_in_once_and_is_stored_only_hashed(engine):
    assert issue(engine) == "138****8000"
    code = last_code(engine)
    with session_scope(engine) as s:
        assert code not in s.get(LoginCode, WHO).code_hash
    assert verify(engine, code).username == WHO
    assert verify(engine, code) is None


@pytest.mark.parametrize("minutes,ok", [(4, True), (5, False)])
def test_the_code_lives_five_minutes(engine, minutes, ok):
    issue(engine)
    actor = verify(engine, last_code(engine), at=T0 + dt.timedelta(minutes=minutes))
    assert (actor is not None) is ok


def test_a_new_code_replaces_the_previous_one(engine):
    issue(engine)
    first = last_code(engine)
    issue(engine, at=T0 + dt.timedelta(seconds=61))
    second = last_code(engine)
    assert verify(engine, first, at=T0 + dt.timedelta(seconds=62)) is None or first == second
    assert verify(engine, second, at=T0 + dt.timedelta(seconds=63)) is not None


@pytest.mark.parametrize("seconds,ok", [(59, False), (60, True)])
def test_a_new_code_at_most_every_60_seconds(engine, seconds, ok):
    issue(engine)
    if ok:
        issue(engine, at=T0 + dt.timedelta(seconds=seconds))
    else:
        with pytest.raises(PermissionDenied, match="60 秒"):
            issue(engine, at=T0 + dt.timedelta(seconds=seconds))


def test_five_codes_an_hour_then_refused(engine):
    for i in range(5):
        issue(engine, at=T0 + dt.timedelta(minutes=2 * i))
    with pytest.raises(PermissionDenied, match="每小时最多 5 次"):
        issue(engine, at=T0 + dt.timedelta(minutes=12))
    issue(engine, at=T0 + dt.timedelta(minutes=60))


def test_five_wrong_entries_spend_the_code(engine):
    issue(engine)
    code = last_code(engine)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        assert verify(engine, wrong) is None
    assert verify(engine, code) is not None
    issue(engine, at=T0 + dt.timedelta(minutes=2))
    code = last_code(engine)
    for _ in range(5):
        verify(engine, wrong, at=T0 + dt.timedelta(minutes=3))
    assert verify(engine, code, at=T0 + dt.timedelta(minutes=3)) is None


def test_an_invalid_id_number_is_refused(engine):
    with pytest.raises(ValidationFailed, match="身份证号"):
        issue(engine, who="371523199005010010")
