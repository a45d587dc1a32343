"""Statutory clocks on the platform calendar: every rule on both sides of its boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from zhida.errors import CalendarMissing, ValidationFailed
from zhida.platform.calendar import WorkingCalendar, is_working_day
from zhida.platform.clock import Pause, check_pauses, clock, deadline, used

d = dt.date


@pytest.mark.parametrize("day, working", [
    (d(2026, 1, 4), True),    # Sunday worked after 元旦
    (d(2026, 1, 3), False),   # 元旦 holiday Saturday
    (d(2026, 2, 14), True),   # Saturday worked before 春节
    (d(2026, 2, 15), False), (d(2026, 2, 23), False),  # 春节 first and last day
    (d(2026, 2, 24), True),   # first day back
    (d(2026, 2, 28), True),   # Saturday worked after 春节
    (d(2026, 3, 1), False),   # an ordinary Sunday
    (d(2026, 5, 5), False), (d(2026, 5, 6), True), (d(2026, 5, 9), True),  # 劳动节 and its Saturday
    (d(2026, 9, 20), True), (d(2026, 10, 7), False), (d(2026, 10, 10), True),
])
def test_2026_schedule_from_the_notice(day, working):
    assert is_working_day(day) is working


def test_2026_has_248_working_days():
    assert sum(is_working_day(d(2026, 1, 1) + dt.timedelta(i)) for i in range(365)) == 248


def test_counting_starts_the_day_after_acceptance():
    # accepted Friday 2026-03-06: day 1 is Monday 03-09, not the acceptance day itself
    assert deadline(d(2026, 3, 6), 1) == d(2026, 3, 9)
    assert deadline(d(2026, 3, 6), 0) == d(2026, 3, 6)


def test_across_spring_festival_with_its_working_saturdays():
    # 02-13 (1), 02-14 Sat worked (2), 02-24..27 (3-6), 02-28 Sat worked (7), 03-02.. → 20th is 03-18
    assert deadline(d(2026, 2, 12), 20) == d(2026, 3, 18)
    assert deadline(d(2026, 2, 12), 2) == d(2026, 2, 14)
    assert deadline(d(2026, 2, 12), 3) == d(2026, 2, 24)


def test_across_labour_day():
    assert deadline(d(2026, 4, 30), 3) == d(2026, 5, 8)
    assert deadline(d(2026, 4, 30), 4) == d(2026, 5, 9)  # the worked Saturday counts


def test_a_pause_moves_the_deadline_by_its_working_days_only():
    inspection = Pause(d(2026, 3, 2), d(2026, 3, 6), "现场勘验")  # Mon..Fri: 5 working days
    assert deadline(d(2026, 2, 12), 20, [inspection]) == d(2026, 3, 25)
    weekend = Pause(d(2026, 3, 7), d(2026, 3, 8), "专家评审")  # Sat+Sun: no working day inside
    assert deadline(d(2026, 2, 12), 20, [weekend]) == d(2026, 3, 18)


def test_a_pause_after_the_deadline_changes_nothing_and_one_on_it_does():
    assert deadline(d(2026, 2, 12), 20, [Pause(d(2026, 3, 19), d(2026, 3, 20), "听证")]) == d(2026, 3, 18)
    assert deadline(d(2026, 2, 12), 20, [Pause(d(2026, 3, 18), d(2026, 3, 18), "听证")]) == d(2026, 3, 19)


def test_running_pause_leaves_the_deadline_open_and_stops_used_days():
    p = Pause(d(2026, 3, 2), None, "检验检测")
    st = clock(d(2026, 2, 12), 20, d(2026, 3, 10), [p])
    assert st.deadline is None and st.paused
    assert st.used == used(d(2026, 2, 12), d(2026, 3, 1)) == 7
    assert st.left == 13


def test_used_days_exclude_pauses():
    p = Pause(d(2026, 3, 2), d(2026, 3, 6), "现场勘验")
    assert used(d(2026, 2, 12), d(2026, 3, 13), [p]) == 12
    assert used(d(2026, 2, 12), d(2026, 3, 13)) == 17


@pytest.mark.parametrize("pauses, message", [
    ([Pause(d(2026, 3, 6), d(2026, 3, 2), "现场勘验")], "结束日期早于开始日期"),
    ([Pause(d(2026, 3, 2), d(2026, 3, 6), "a"), Pause(d(2026, 3, 6), d(2026, 3, 9), "b")], "重叠"),
    ([Pause(d(2026, 3, 2), None, "a"), Pause(d(2026, 3, 9), d(2026, 3, 10), "b")], "重叠"),
    ([Pause(d(2026, 2, 12), d(2026, 2, 13), "a")], "受理之日"),
])
def test_bad_pauses_are_refused_in_chinese(pauses, message):
    with pytest.raises(ValidationFailed, match=message):
        check_pauses(pauses, d(2026, 2, 12))


def test_adjacent_pauses_are_allowed():
    ps = [Pause(d(2026, 3, 2), d(2026, 3, 3), "a"), Pause(d(2026, 3, 4), d(2026, 3, 4), "b")]
    assert deadline(d(2026, 2, 12), 20, ps) == d(2026, 3, 25) - dt.timedelta(days=2)


def test_year_end_fails_closed_for_an_unpublished_year():
    assert deadline(d(2026, 12, 24), 4) == d(2026, 12, 30)
    assert deadline(d(2026, 12, 24), 5) == d(2026, 12, 31)
    with pytest.raises(CalendarMissing, match="2027 年"):
        deadline(d(2026, 12, 24), 6)


def test_a_loaded_year_is_counted_by_its_schedule():
    cal = WorkingCalendar({d(2027, 1, 1): False, d(2027, 1, 4): False}, {2027})
    # 12-31 (5th), 2027-01-01 holiday, 01-04 holiday (override), 01-05 is the 6th
    assert deadline(d(2026, 12, 24), 6, calendar=cal) == d(2027, 1, 5)
