"""Statutory clocks: deadlines in working days that stop while the clock is paused (中止计时).

行政许可法 §42 counts a decision limit in working days (§82), starting the day after acceptance
(民法典 §201); §45 leaves out the time of hearings, inspections, testing, quarantine, appraisal
and expert review, of which the applicant is told in writing. A ``Pause`` is such an interval
(both ends inclusive, calendar dates); working days inside it are not counted.

Working days come from a ``WorkingCalendar`` (statutory holidays out, adjusted working
weekends in); a year with no known schedule raises ``CalendarMissing`` — fail closed.

>>> import datetime as dt
>>> d = dt.date
>>> deadline(d(2026, 2, 12), 20)                      # across 春节 2026 (02-14, 02-28 worked)
datetime.date(2026, 3, 18)
>>> deadline(d(2026, 2, 12), 20, [Pause(d(2026, 3, 2), d(2026, 3, 6), "现场勘验")])
datetime.date(2026, 3, 25)
>>> used(d(2026, 2, 12), d(2026, 3, 13), [Pause(d(2026, 3, 2), d(2026, 3, 6), "现场勘验")])
12
>>> deadline(d(2026, 4, 30), 3)                       # 劳动节 05-01..05, Saturday 05-09 worked
datetime.date(2026, 5, 8)
>>> deadline(d(2026, 12, 28), 5)                      # 2027 not yet published: fail closed  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
zhida.errors.CalendarMissing: 2027 年的节假日安排尚未载入，无法计算工作日...用 `zhida calendar load 文件.yaml` 载入...
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from zhida.errors import ValidationFailed
from zhida.platform.calendar import DEFAULT, WorkingCalendar


@dataclass(frozen=True)
class Pause:
    """中止计时区间: the clock stands still from ``start`` to ``end`` (inclusive).

    ``end`` None means the pause is still running (the deadline is then not yet known).
    ``reason`` is what the written notice says (现场勘验, 专家评审, 听证, 检验检测, 补正 …).
    """

    start: dt.date
    end: dt.date | None
    reason: str = ""

    def label(self) -> str:
        return f"{self.reason or '中止计时'} {self.start}～{self.end or '至今'}"


def check_pauses(pauses: Iterable[Pause], start: dt.date | None = None) -> list[Pause]:
    """The pauses sorted by start; ``ValidationFailed`` (Chinese) for one that ends before it
    starts, starts on or before ``start`` (the clock has not begun), overlaps another, or a
    still-running pause that is not the last one."""
    out = sorted(pauses, key=lambda p: p.start)
    for p in out:
        if p.end is not None and p.end < p.start:
            raise ValidationFailed(f"中止计时区间 {p.label()} 的结束日期早于开始日期")
        if start is not None and p.start <= start:
            raise ValidationFailed(f"中止计时区间 {p.label()} 开始于受理之日（{start}）或之前：计时自受理次日起算")
    for a, b in pairwise(out):
        if a.end is None or b.start <= a.end:
            raise ValidationFailed(f"中止计时区间 {a.label()} 与 {b.label()} 重叠：同一时间只能有一个中止计时")
    return out


class _Index:
    """Sorted working dates of the years seen so far, for O(log n) counting."""

    def __init__(self, calendar: WorkingCalendar):
        self.calendar = calendar
        self.years: set[int] = set()
        self.days: list[dt.date] = []

    def _cover(self, year: int) -> None:
        if year in self.years:
            return
        first = dt.date(year, 1, 1)
        new = [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]
        self.days = sorted(self.days + [x for x in new if self.calendar.is_working_day(x)])
        self.years.add(year)

    def count(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]."""
        if b <= a:
            return 0
        for y in range(a.year, b.year + 1):
            self._cover(y)
        return bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a)

    def nth_after(self, a: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``a`` (n ≥ 1)."""
        year = a.year
        self._cover(year)
        while bisect.bisect_right(self.days, a) + n - 1 >= len(self.days) or max(self.years) < year:
            year += 1
            self._cover(year)
        return self.days[bisect.bisect_right(self.days, a) + n - 1]


_INDEXES: dict[int, _Index] = {}


def _index(calendar: WorkingCalendar | None) -> _Index:
    cal = calendar or DEFAULT
    idx = _INDEXES.get(id(cal))
    if idx is None or idx.calendar is not cal:
        idx = _INDEXES[id(cal)] = _Index(cal)
    return idx


def deadline(
    start: dt.date, days: int, pauses: Sequence[Pause] = (), calendar: WorkingCalendar | None = None
) -> dt.date | None:
    """The date of the ``days``-th counted working day after ``start`` (acceptance day).

    Working days inside a pause are not counted, so each pause that begins on or before the
    running deadline pushes it by its working days. None while a pause is still running.
    Raises ``ValidationFailed`` for bad pauses, ``CalendarMissing`` for an unknown year.
    """
    if days < 0:
        raise ValidationFailed(f"时限 {days} 个工作日不合理：应为 0 或正整数")
    idx = _index(calendar)
    idx.calendar.require(start)
    remaining, cursor = days, start
    for p in check_pauses(pauses, start):
        if remaining == 0:
            break
        before = idx.count(cursor, p.start - dt.timedelta(days=1))
        if before >= remaining:
            break
        if p.end is None:
            return None
        remaining, cursor = remaining - before, p.end
    return cursor if remaining == 0 else idx.nth_after(cursor, remaining)


def used(start: dt.date, as_of: dt.date, pauses: Sequence[Pause] = (), calendar: WorkingCalendar | None = None) -> int:
    """Counted working days in (start, as_of]: working days minus those inside pauses."""
    idx = _index(calendar)
    total = idx.count(start, as_of)
    for p in check_pauses(pauses, start):
        if p.start > as_of:
            break
        stop = as_of if p.end is None else min(p.end, as_of)
        total -= idx.count(p.start - dt.timedelta(days=1), stop)
    return total


@dataclass(frozen=True)
class ClockState:
    """A case's clock on a day: limit, used and left in working days, and the deadline."""

    start: dt.date
    limit: int
    used: int
    deadline: dt.date | None
    paused: bool

    @property
    def left(self) -> int:
        return self.limit - self.used


def clock(
    start: dt.date, limit: int, as_of: dt.date, pauses: Sequence[Pause] = (), calendar: WorkingCalendar | None = None
) -> ClockState:
    """The clock of one case on ``as_of`` (see ``deadline`` and ``used``)."""
    ps = check_pauses(pauses, start)
    running = any(p.end is None or p.start <= as_of <= p.end for p in ps if p.start <= as_of)
    return ClockState(start, limit, used(start, as_of, ps, calendar), deadline(start, limit, ps, calendar), running)
