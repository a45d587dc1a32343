"""Statutory clocks: deadlines in working days that stop while the clock is paused (中止计时).

行政许可法 §42 counts a decision limit in working days (§82), starting the day after acceptance
(民法典 §201); §45 leaves out the time of hearings, inspections, testing, quarantine, appraisal
and expert review, of which the applicant is told in writing. A ``Pause`` is such an interval
(both ends inclusive, calendar dates); working days inside it are not counted.

Working days come from a ``WorkingCalendar`` (statutory holidays out, adjusted working
weekends in); a year with no known schedule raises ``CalendarMissing`` — fail closed.
``clock_arrays`` computes the clocks of many cases at once with the same rules (numpy).

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

import numpy as np
import numpy.typing as npt

from zhida.errors import CalendarMissing, ValidationFailed
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


# --- many cases at once -----------------------------------------------------------------------
# The same arithmetic over numpy arrays, for sweeps over every open case (100,000 in well under a
# second): a table of the calendar (``cum[i]`` = working days from the table's first day up to day
# ``i``, ``wdays[k]`` = the (k+1)-th working day) turns "working days in (a, b]" into
# ``cum[b] - cum[a]`` and "the n-th working day after a" into ``wdays[cum[a] + n - 1]``. Pauses
# are processed column by column (a case has few). Results agree with ``deadline`` and ``used``
# case by case (tests/platform_services/test_clock_arrays.py).

NO_DAY = -1  # a day offset that is not known (a deadline behind a running pause or a missing year)
Days = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
Interval = tuple[dt.date, dt.date | None]  # a pause: start, end (None while running), inclusive


class DayTable:
    """Working days of whole years ``first..last`` as cumulative counts (see above); day offsets
    are counted from 1 January of ``first`` (``base`` is its ordinal)."""

    def __init__(self, calendar: WorkingCalendar, first: int, last: int):
        self.base = dt.date(first, 1, 1).toordinal()
        n = dt.date(last + 1, 1, 1).toordinal() - self.base
        days = (calendar.is_working_day(dt.date.fromordinal(self.base + i)) for i in range(n))
        working = np.fromiter(days, dtype=np.bool_, count=n)
        self.cum: Days = np.cumsum(working, dtype=np.int64)
        self.wdays: Days = np.flatnonzero(working).astype(np.int64)
        self.size = n

    @classmethod
    def covering(cls, calendar: WorkingCalendar, first: int, last: int) -> DayTable:
        """Years ``first..last`` (each must be known: ``CalendarMissing``) plus the next one if known."""
        for y in range(first, last + 1):
            calendar.require(dt.date(y, 7, 1))
        try:
            calendar.require(dt.date(last + 1, 7, 1))
            last += 1
        except CalendarMissing:
            pass
        return cls(calendar, first, last)


@dataclass(frozen=True)
class ClockArrays:
    """The clocks of many cases on one day, one entry per case: ``limit``, ``used`` (working days),
    ``due`` (day offset from ``base``, ``NO_DAY`` when unknown), ``paused`` (a pause runs on the
    day), ``calendar_missing`` (the deadline falls in a year with no schedule); ``now`` is the day
    itself as an offset."""

    base: int
    now: int
    limit: Days
    used: Days
    due: Days
    paused: Flags
    calendar_missing: Flags

    @property
    def left(self) -> Days:
        """Working days left (negative when overdue)."""
        return self.limit - self.used

    def due_date(self, i: int) -> dt.date | None:
        return None if self.due[i] == NO_DAY else dt.date.fromordinal(self.base + int(self.due[i]))


def _arrays(starts: Sequence[dt.date], pauses: Sequence[Sequence[Interval]], base: int) -> tuple[Days, Days, Days]:
    n, k = len(starts), max((len(p) for p in pauses), default=0)
    acc = np.fromiter((d.toordinal() - base for d in starts), dtype=np.int64, count=n)
    ps = np.full((n, max(k, 1)), NO_DAY, dtype=np.int64)
    pe = np.full((n, max(k, 1)), NO_DAY, dtype=np.int64)
    for i, row in enumerate(pauses):
        for j, (s, e) in enumerate(row):
            ps[i, j] = s.toordinal() - base
            pe[i, j] = NO_DAY if e is None else e.toordinal() - base
    return acc, ps, pe


def clock_arrays(
    calendar: WorkingCalendar,
    starts: Sequence[dt.date],
    limits: Sequence[int],
    pauses: Sequence[Sequence[Interval]],
    as_of: dt.date,
    table: DayTable | None = None,
) -> ClockArrays:
    """``clock`` of ``len(starts)`` cases on ``as_of``: per case its acceptance day, limit
    (working days) and pauses, valid and sorted (``check_pauses``). ``CalendarMissing`` when the
    year of ``as_of`` or of an acceptance has no schedule; a deadline in such a year comes back
    as ``NO_DAY`` with ``calendar_missing`` set (fail closed)."""
    first = min(min(starts).year, as_of.year) if len(starts) else as_of.year
    last = max([as_of.year, *(d.year for d in starts)])
    table = table or DayTable.covering(calendar, first, last)
    cum, base = table.cum, table.base
    now = as_of.toordinal() - base
    acc, ps, pe = _arrays(starts, pauses, base)
    lim = np.asarray(limits, dtype=np.int64)
    due, missing = _deadlines(cum, table.wdays, acc, lim, ps, pe)
    used = cum[now] - cum[acc]
    paused = np.zeros(len(acc), dtype=np.bool_)
    for j in range(ps.shape[1]):
        has = (ps[:, j] != NO_DAY) & (ps[:, j] <= now)
        stop = np.where(pe[:, j] == NO_DAY, now, np.minimum(pe[:, j], now))
        used -= np.where(has, cum[stop] - cum[np.maximum(ps[:, j] - 1, 0)], 0)
        paused |= has & ((pe[:, j] == NO_DAY) | (now <= pe[:, j]))
    return ClockArrays(base, now, lim, used, due, paused, missing)


def _deadlines(cum: Days, wdays: Days, acc: Days, lim: Days, ps: Days, pe: Days) -> tuple[Days, Flags]:
    """``deadline`` over arrays: the due offsets and where the calendar ran out."""
    remaining, cursor = lim.copy(), acc.copy()
    done = np.zeros(len(acc), dtype=np.bool_)
    running = np.zeros(len(acc), dtype=np.bool_)
    for j in range(ps.shape[1]):
        valid = (ps[:, j] != NO_DAY) & ~done & (remaining > 0)
        before = np.where(valid, cum[np.maximum(ps[:, j] - 1, 0)] - cum[cursor], 0)
        stop = valid & (before >= remaining)
        done |= stop
        go = valid & ~stop
        opened = go & (pe[:, j] == NO_DAY)
        running |= opened
        done |= opened
        move = go & ~opened
        remaining = np.where(move, remaining - before, remaining)
        cursor = np.where(move, pe[:, j], cursor)
    idx = cum[cursor] + remaining - 1
    missing = (remaining > 0) & (idx >= len(wdays))
    safe = np.clip(idx, 0, len(wdays) - 1)
    due = np.where(remaining == 0, cursor, wdays[safe])
    due = np.where(running | missing, NO_DAY, due)
    return due, missing & ~running
