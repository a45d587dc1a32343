"""Every clock rule from both sides of its boundary, on 2026's real calendar (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.platform_services.test_clock_arrays import random_cases
from zhida.approvals import clocks
from zhida.errors import CalendarMissing, ValidationFailed
from zhida.platform.calendar import WorkingCalendar
from zhida.platform.clock import Pause, clock_arrays, deadline, used

D = dt.date
CAL = WorkingCalendar()


def test_spring_festival_and_its_working_saturdays():
    assert CAL.is_working_day(D(2026, 2, 14)) and CAL.is_working_day(D(2026, 2, 28))
    assert not CAL.is_working_day(D(2026, 2, 15)) and not CAL.is_working_day(D(2026, 2, 23))
    assert deadline(D(2026, 2, 13), 1, calendar=CAL) == D(2026, 2, 14)   # Saturday worked
    assert deadline(D(2026, 2, 13), 2, calendar=CAL) == D(2026, 2, 24)   # after the holiday
    assert deadline(D(2026, 2, 12), 20, calendar=CAL) == D(2026, 3, 18)
    assert deadline(D(2026, 2, 12), 19, calendar=CAL) == D(2026, 3, 17)


def test_labour_day_and_saturday_may_9():
    assert deadline(D(2026, 4, 30), 1, calendar=CAL) == D(2026, 5, 6)
    assert deadline(D(2026, 4, 30), 3, calendar=CAL) == D(2026, 5, 8)
    assert deadline(D(2026, 4, 30), 4, calendar=CAL) == D(2026, 5, 9)    # Saturday worked
    assert deadline(D(2026, 4, 30), 5, calendar=CAL) == D(2026, 5, 11)


def test_year_end_counts_the_worked_sunday_and_fails_closed_for_2027():
    assert deadline(D(2025, 12, 30), 2, calendar=CAL) == D(2026, 1, 4)   # 元旦 1/1–1/3, Sunday 1/4 worked
    assert deadline(D(2025, 12, 30), 3, calendar=CAL) == D(2026, 1, 5)
    assert deadline(D(2026, 12, 28), 3, calendar=CAL) == D(2026, 12, 31)
    with pytest.raises(CalendarMissing, match="2027 年的节假日安排尚未载入"):
        deadline(D(2026, 12, 28), 4, calendar=CAL)


def test_counting_starts_the_day_after_acceptance():
    assert used(D(2026, 3, 2), D(2026, 3, 2), calendar=CAL) == 0
    assert used(D(2026, 3, 2), D(2026, 3, 3), calendar=CAL) == 1


def test_pause_moves_the_deadline_only_if_it_starts_by_the_deadline():
    base = deadline(D(2026, 2, 12), 20, calendar=CAL)
    on_due = deadline(D(2026, 2, 12), 20, [Pause(base, base, "现场勘验")], CAL)
    after_due = deadline(D(2026, 2, 12), 20, [Pause(base + dt.timedelta(1), base + dt.timedelta(2), "现场勘验")], CAL)
    assert (base, on_due, after_due) == (D(2026, 3, 18), D(2026, 3, 19), D(2026, 3, 18))
    assert deadline(D(2026, 2, 12), 20, [Pause(D(2026, 3, 2), D(2026, 3, 6), "现场勘验")], CAL) == D(2026, 3, 25)


def test_running_pause_leaves_the_deadline_open_and_stops_used():
    p = [Pause(D(2026, 3, 2), None, "专家评审")]
    assert deadline(D(2026, 2, 12), 20, p, CAL) is None
    assert used(D(2026, 2, 12), D(2026, 3, 1), p, CAL) == used(D(2026, 2, 12), D(2026, 3, 20), p, CAL) == 7


@pytest.mark.parametrize("second, ok", [((D(2026, 3, 9), D(2026, 3, 10)), True),
                                        ((D(2026, 3, 6), D(2026, 3, 10)), False)])
def test_pauses_may_touch_but_not_overlap(second, ok):
    first = Pause(D(2026, 3, 2), D(2026, 3, 6), "现场勘验")
    new = Pause(*second, "专家评审")
    if ok:
        assert len(clocks.check_pause("专家评审", "告字1号", new, [first], D(2026, 2, 12))) == 2
    else:
        with pytest.raises(ValidationFailed, match="重叠"):
            clocks.check_pause("专家评审", "告字1号", new, [first], D(2026, 2, 12))


def test_pause_ending_before_it_starts_without_notice_or_unknown_reason_refused():
    acc = D(2026, 2, 12)
    assert clocks.check_pause("补正", "告1", Pause(D(2026, 3, 2), D(2026, 3, 2), "补正"), [], acc)
    with pytest.raises(ValidationFailed, match="结束日期早于开始日期"):
        clocks.check_pause("补正", "告1", Pause(D(2026, 3, 2), D(2026, 3, 1), "补正"), [], acc)
    with pytest.raises(ValidationFailed, match="书面告知"):
        clocks.check_pause("补正", " ", Pause(D(2026, 3, 2), None, "补正"), [], acc)
    with pytest.raises(ValidationFailed, match="第45条"):
        clocks.check_pause("出差", "告1", Pause(D(2026, 3, 2), None, "出差"), [], acc)
    with pytest.raises(ValidationFailed, match="受理次日"):
        clocks.check_pause("补正", "告1", Pause(acc, None, "补正"), [], acc)


def test_five_day_notice_rule_across_spring_festival():
    assert clocks.notice_deadline(CAL, D(2026, 3, 2)) == D(2026, 3, 9)
    assert clocks.notice_in_time(CAL, D(2026, 3, 2), D(2026, 3, 9))
    assert not clocks.notice_in_time(CAL, D(2026, 3, 2), D(2026, 3, 10))
    assert clocks.notice_in_time(CAL, D(2026, 2, 12), D(2026, 2, 26))   # 13, 14(Sat), 24, 25, 26
    assert not clocks.notice_in_time(CAL, D(2026, 2, 12), D(2026, 2, 27))


@pytest.mark.parametrize("days, joint, ok", [(10, False, True), (11, False, False), (15, True, True), (16, True, False),
                                             (0, False, False)])
def test_extension_cap(days, joint, ok):
    args = (days, joint, "局长", D(2026, 3, 18), D(2026, 3, 18), 0)
    if ok:
        clocks.check_extension(*args)
    else:
        with pytest.raises(ValidationFailed, match="第42条"):
            clocks.check_extension(*args)


def test_extension_needs_approver_in_time_and_only_once():
    clocks.check_extension(10, False, "局长", D(2026, 3, 18), D(2026, 3, 18), 0)
    with pytest.raises(ValidationFailed, match="期限届满前"):
        clocks.check_extension(10, False, "局长", D(2026, 3, 19), D(2026, 3, 18), 0)
    with pytest.raises(ValidationFailed, match="批准人"):
        clocks.check_extension(10, False, "  ", D(2026, 3, 10), D(2026, 3, 18), 0)
    with pytest.raises(ValidationFailed, match="一次"):
        clocks.check_extension(5, False, "局长", D(2026, 3, 10), D(2026, 3, 18), 5)


@pytest.mark.parametrize("used_days, level", [(15, "正常"), (16, "黄色"), (17, "黄色"), (18, "红色"), (20, "红色")])
def test_alert_levels_by_share_and_days_left(used_days, level):
    assert clocks.alert_level(used_days, 20, D(2026, 3, 18), D(2026, 3, 1), 0.8) == level


def test_overdue_the_day_after_the_deadline_and_share_is_a_parameter():
    assert clocks.alert_level(20, 20, D(2026, 3, 18), D(2026, 3, 18)) == "红色"
    assert clocks.alert_level(20, 20, D(2026, 3, 18), D(2026, 3, 19)) == "逾期"
    assert clocks.alert_level(10, 20, None, D(2026, 3, 19), 0.5) == "黄色"
    assert clocks.alert_level(9, 20, None, D(2026, 3, 19), 0.5) == "正常"
    with pytest.raises(ValidationFailed, match="黄色预警比例"):
        clocks.check_yellow_share(1.0)


def test_acceptance_day_must_be_a_working_day():
    clocks.require_working_day(CAL, D(2026, 2, 14), "受理日期")
    with pytest.raises(ValidationFailed, match="不是工作日"):
        clocks.require_working_day(CAL, D(2026, 2, 16), "受理日期")
    with pytest.raises(CalendarMissing, match="2027"):
        clocks.require_working_day(CAL, D(2027, 1, 4), "受理日期")


def test_case_clock_both_limits():
    ck = clocks.case_clock(CAL, D(2026, 2, 12), 20, 15, [Pause(D(2026, 3, 2), D(2026, 3, 6), "现场勘验")], D(2026, 3, 13))
    assert (ck.legal_due, ck.promised_due, ck.used, ck.legal_left, ck.promised_left, ck.paused) == \
        (D(2026, 3, 25), D(2026, 3, 18), 12, 8, 3, False)
    assert ck.level(0.8) == "黄色"


def test_alert_levels_of_many_cases_match_alert_level():
    as_of = dt.date(2026, 10, 20)
    cases = random_cases(600, 11)
    res = clock_arrays(CAL, [c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases], as_of)
    got = [clocks.LEVELS[int(v)] for v in clocks.alert_levels(res, 0.8)]
    want = [clocks.alert_level(int(res.used[i]), limit, res.due_date(i), as_of, 0.8)
            for i, (_, limit, _) in enumerate(cases)]
    assert got == want
    assert set(want) == set(clocks.LEVELS)  # every level was met
