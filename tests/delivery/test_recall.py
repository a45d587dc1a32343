"""The second round of calls: a first call 未接通, still unconfirmed, N working days later; never a third."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.models import CallTask
from zhida.errors import ValidationFailed

from .flow import new_cycle
from .helpers import OPERATOR

FIRST = dt.date(2025, 6, 16)  # 确认期 from 2025-06-11, call_after_days=3 → calls from 06-16
CALLED = dt.date(2025, 6, 17)  # a Tuesday; recall_after_days=2 → due 2025-06-19


def _rounds(s, cid) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    rows = s.execute(select(CallTask.uscc, CallTask.round).where(CallTask.cycle_id == cid).order_by(CallTask.round))
    for u, r in rows:
        out.setdefault(u, []).append(r)
    return out


def test_second_round_after_n_working_days(engine):
    cid, codes = new_cycle(engine, 8, recall_after_days=2)
    with session_scope(engine) as s:
        assert service.make_calls(s, OPERATOR, cid, today=FIRST).count >= 6
        calls = {c.uscc: c for c in service.list_calls(s, cid)}
        missed, reached, confirmed_later, wrong = codes[1], codes[2], codes[4], codes[6]
        service.record_call(s, OPERATOR, calls[missed].id, "未接通", on=CALLED)
        service.record_call(s, OPERATOR, calls[reached].id, "接通", on=CALLED)
        service.record_call(s, OPERATOR, calls[confirmed_later].id, "未接通", on=CALLED)
        service.record_call(s, OPERATOR, calls[wrong].id, "号码错误", on=CALLED)
        service.answer(s, OPERATOR, cid, confirmed_later)  # answered before the second round: no call
        # one working day short: nothing yet
        r = service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 18))
        assert r.count == 0 and all(rs == [1] for rs in _rounds(s, cid).values())
        # due day: exactly the missed, still unconfirmed unit gets round 2
        r = service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 19))
        assert r.count == 1 and "第二轮 1 个" in r.message
        rounds = _rounds(s, cid)
        assert rounds[missed] == [1, 2] and rounds[reached] == rounds[confirmed_later] == rounds[wrong] == [1]
        second = next(c for c in service.list_calls(s, cid, open_only=True) if c.uscc == missed)
        assert second.round == 2 and second.reason == "首次未接通，再次拨打"
        # again: idempotent; and a second 未接通 never makes a third round
        assert service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 19)).count == 0
        service.record_call(s, OPERATOR, second.id, "未接通", on=dt.date(2025, 6, 19))
        assert service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 24)).count == 0
        assert s.scalar(select(func.max(CallTask.round)).where(CallTask.cycle_id == cid)) == 2


def test_recall_days_is_a_cycle_parameter(engine):
    cid, codes = new_cycle(engine, 4, recall_after_days=4)
    with session_scope(engine) as s:
        assert service.get_cycle(s, cid).recall_after_days == 4
        service.make_calls(s, OPERATOR, cid, today=FIRST)
        call = next(c for c in service.list_calls(s, cid) if c.uscc == codes[1])
        service.record_call(s, OPERATOR, call.id, "未接通", on=CALLED)
        assert service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 20)).count == 0  # 3 working days
        assert service.make_calls(s, OPERATOR, cid, today=dt.date(2025, 6, 23)).count == 1  # 4 (06-21/22 weekend)
        with pytest.raises(ValidationFailed, match="晚于今天"):
            service.record_call(s, OPERATOR, call.id, "接通", on=dt.date.today() + dt.timedelta(days=1))
    with session_scope(engine) as s, pytest.raises(ValidationFailed, match="再次电话提醒天数 0"):
        service.create_cycle(s, OPERATOR, service.get_cycle(s, cid).run_id, recall_after_days=0)
