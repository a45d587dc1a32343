"""Working days: holidays, 调休, overrides, a loaded year, and a clear error for a missing one."""

from __future__ import annotations

import datetime as dt

import pytest

from zhida.db import session_scope
from zhida.errors import CalendarMissing, ValidationFailed
from zhida.platform.calendar import WorkingCalendar, add_working_days, is_working_day, load_calendar

SCHEDULE_2027 = """
year: 2027
source: 测试用安排
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 春节, from: 2027-02-06, to: 2027-02-12}
workdays:
  - 2027-02-13
"""


def test_package_years():
    assert not is_working_day(dt.date(2025, 10, 1))
    assert is_working_day(dt.date(2025, 10, 11))  # Saturday worked (调休)
    assert add_working_days(dt.date(2025, 6, 3), 5) == dt.date(2025, 6, 10)
    assert add_working_days(dt.date(2025, 5, 30), 1) == dt.date(2025, 6, 3)  # 端午 5-31..6-2
    assert add_working_days(dt.date(2025, 6, 3), 0) == dt.date(2025, 6, 3)
    assert WorkingCalendar().working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 9)) == 1


def test_missing_year_names_year_and_fix():
    with pytest.raises(CalendarMissing, match=r"2027 年.*zhida calendar load"):
        add_working_days(dt.date(2026, 12, 30), 5)


def test_loaded_year_and_override(engine):
    with session_scope(engine) as s:
        year, n = load_calendar(s, SCHEDULE_2027, "2027.yaml")
        assert (year, n) == (2027, 11)
    with session_scope(engine) as s:
        cal = WorkingCalendar.from_session(s)
        assert cal.add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
        assert cal.is_working_day(dt.date(2027, 2, 13)) and not cal.is_working_day(dt.date(2027, 2, 8))
        assert cal.add_working_days(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 13)
        with pytest.raises(CalendarMissing, match="2028"):
            cal.is_working_day(dt.date(2028, 1, 3))
    with session_scope(engine) as s:  # loading again replaces the year's days
        load_calendar(s, "year: 2027\nholidays: []\n", "2027b.yaml")
    with session_scope(engine) as s:
        assert WorkingCalendar.from_session(s).is_working_day(dt.date(2027, 2, 8))


@pytest.mark.parametrize("text, match", [
    ("holidays: []", "year"),
    ("year: 2027\nholidays:\n  - {from: 2027-13-01}", "不存在的日期"),
    ("year: 2027\nholidays:\n  - {from: 2027-02-10, to: 2027-02-01}", "不是合理的假期区间"),
    ("year: 2027\nworkdays: [2031-01-01]", "不属于 2027"),
    ("year: [", "YAML"),
])
def test_bad_schedules_are_refused(text, match):
    from zhida.platform.calendar import parse_schedule

    with pytest.raises(ValidationFailed, match=match):
        parse_schedule(text, "bad.yaml")
