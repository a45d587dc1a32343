"""The clocks of many cases at once (``clock_arrays``) agree with the one-case clock case by case."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from zhida.errors import CalendarMissing
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import NO_DAY, Pause, clock, clock_arrays, deadline, used

CAL = WorkingCalendar()


def random_cases(n: int, seed: int) -> list[tuple[dt.date, int, list[tuple[dt.date, dt.date | None]]]]:
    """``n`` cases accepted from 2025-11 to 2026-09, limits 0–45 working days, up to 3 pauses
    (one in ten still running)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        acc = dt.date(2025, 11, 1) + dt.timedelta(rng.randrange(330))
        limit = rng.choice([0, 1, 5, 15, 20, 30, 45])
        pauses: list[tuple[dt.date, dt.date | None]] = []
        cursor = acc
        for _ in range(rng.randrange(4)):
            start = cursor + dt.timedelta(rng.randrange(1, 12))
            end = None if rng.random() < 0.1 else start + dt.timedelta(rng.randrange(0, 8))
            pauses.append((start, end))
            if end is None:
                break
            cursor = end
        out.append((acc, limit, pauses))
    return out


def test_arrays_match_the_one_case_clock():
    as_of = dt.date(2026, 12, 21)
    into_2027 = [(dt.date(2026, 12, 1), 45, []), (dt.date(2026, 11, 20), 20, [(dt.date(2026, 12, 1), dt.date(2026, 12, 18))])]
    cases = random_cases(600, 7) + into_2027
    res = clock_arrays(CAL, [c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases], as_of)
    missing = running = 0
    for i, (acc, limit, ps) in enumerate(cases):
        pp = [Pause(s, e, "现场勘验") for s, e in ps]
        u = used(acc, as_of, pp, CAL)
        assert (int(res.used[i]), int(res.left[i]), int(res.limit[i])) == (u, limit - u, limit)
        try:
            state = clock(acc, limit, as_of, pp, CAL)
        except CalendarMissing:
            assert res.calendar_missing[i] and res.due_date(i) is None and res.due[i] == NO_DAY
            assert bool(res.paused[i]) == any(s <= as_of <= (e or as_of) for s, e in ps)
            missing += 1
            continue
        want = state.deadline
        assert not res.calendar_missing[i] and bool(res.paused[i]) == state.paused
        assert res.due_date(i) == want == deadline(acc, limit, pp, CAL), (acc, limit, ps)
        running += want is None
    assert missing == len(into_2027) and running > 0  # both kinds of unknown deadline were met


def test_arrays_of_no_case_are_empty():
    res = clock_arrays(CAL, [], [], [], dt.date(2026, 10, 20))
    assert (len(res.used), len(res.due), res.now) == (0, 0, dt.date(2026, 10, 20).toordinal() - res.base)


def test_arrays_fail_closed_for_an_unknown_year_of_today():
    with pytest.raises(CalendarMissing, match="2027"):
        clock_arrays(CAL, [dt.date(2026, 12, 1)], [5], [[]], dt.date(2027, 1, 5))
