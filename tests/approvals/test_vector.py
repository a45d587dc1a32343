"""The vectorised clocks agree with zhida.platform.clock case by case."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from zhida.approvals import clocks
from zhida.approvals.vector import recompute
from zhida.errors import CalendarMissing
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import Pause, deadline, used

CAL = WorkingCalendar()


def _cases(n: int, seed: int):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        acc = dt.date(2025, 11, 1) + dt.timedelta(rng.randrange(330))
        limit = rng.choice([0, 1, 5, 15, 20, 30, 45])
        pauses, cursor = [], acc
        for _ in range(rng.randrange(4)):
            start = cursor + dt.timedelta(rng.randrange(1, 12))
            end = None if rng.random() < 0.1 else start + dt.timedelta(rng.randrange(0, 8))
            pauses.append((start, end))
            if end is None:
                break
            cursor = end
        out.append((acc, limit, pauses))
    return out


def test_vector_matches_platform_clock():
    as_of = dt.date(2026, 10, 20)
    cases = _cases(600, 7)
    res = recompute(CAL, [c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases], as_of, 0.8)
    for i, (acc, limit, ps) in enumerate(cases):
        pp = [Pause(s, e, "现场勘验") for s, e in ps]
        try:
            want = deadline(acc, limit, pp, CAL)
        except CalendarMissing:
            assert res.calendar_missing[i] and res.due_date(i) is None
            continue
        assert res.due_date(i) == want, (acc, limit, ps)
        u = used(acc, as_of, pp, CAL)
        assert int(res.used[i]) == u
        assert res.level_name(i) == clocks.alert_level(u, limit, want, as_of, 0.8)


def test_vector_fails_closed_for_an_unknown_year_of_today():
    with pytest.raises(CalendarMissing, match="2027"):
        recompute(CAL, [dt.date(2026, 12, 1)], [5], [[]], dt.date(2027, 1, 5))
