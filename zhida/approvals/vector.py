"""Clocks of many cases at once (numpy), for alert sweeps and the 100,000-case recompute.

``zhida.platform.clock`` computes one case at a time; this is the same arithmetic over arrays:
a table of the calendar (``cum[i]`` = working days from the table's first day up to day ``i``,
``wdays[k]`` = the (k+1)-th working day) turns "working days in (a, b]" into
``cum[b] - cum[a]`` and "the n-th working day after a" into ``wdays[cum[a] + n - 1]``.
Pauses are processed column by column (a case has few). Results agree with
``zhida.platform.clock`` case by case (tests/approvals/test_vector.py). It belongs in the
platform next to ``clock``.

A deadline that falls in a year with no calendar table comes back as None with
``calendar_missing`` set; a year of ``as_of`` or of an acceptance with no table raises
``CalendarMissing`` (fail closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zhida.approvals.clocks import DEFAULT_YELLOW_SHARE, LEVELS, RED_LEFT
from zhida.errors import CalendarMissing
from zhida.platform.calendar import WorkingCalendar

NONE = -1


class DayTable:
    """Working days of whole years ``first..last`` as cumulative counts (see module doc)."""

    def __init__(self, calendar: WorkingCalendar, first: int, last: int):
        self.base = dt.date(first, 1, 1).toordinal()
        n = dt.date(last + 1, 1, 1).toordinal() - self.base
        working = np.fromiter((calendar.is_working_day(dt.date.fromordinal(self.base + i)) for i in range(n)),
                              dtype=bool, count=n)
        self.cum = np.cumsum(working, dtype=np.int64)
        self.wdays = np.flatnonzero(working).astype(np.int64)
        self.size = n

    @classmethod
    def covering(cls, calendar: WorkingCalendar, first: int, last: int) -> DayTable:
        """Years ``first..last`` (each must be known) plus the next one if it is known."""
        for y in range(first, last + 1):
            calendar.require(dt.date(y, 7, 1))
        try:
            calendar.require(dt.date(last + 1, 7, 1))
            last += 1
        except CalendarMissing:
            pass
        return cls(calendar, first, last)


@dataclass
class Clocks:
    """Per case: ``due`` (offset from ``base``, NONE when unknown), ``used``, ``left`` (working
    days), ``paused``, ``level`` (index into ``LEVELS``), ``calendar_missing``."""

    base: int
    due: np.ndarray
    used: np.ndarray
    left: np.ndarray
    paused: np.ndarray
    level: np.ndarray
    calendar_missing: np.ndarray

    def due_date(self, i: int) -> dt.date | None:
        return None if self.due[i] == NONE else dt.date.fromordinal(self.base + int(self.due[i]))

    def level_name(self, i: int) -> str:
        return LEVELS[int(self.level[i])]


def _arrays(accepted: Sequence[dt.date], pauses: Sequence[Sequence[tuple]], base: int):
    n, k = len(accepted), max((len(p) for p in pauses), default=0)
    acc = np.fromiter((d.toordinal() - base for d in accepted), dtype=np.int64, count=n)
    ps = np.full((n, max(k, 1)), NONE, dtype=np.int64)
    pe = np.full((n, max(k, 1)), NONE, dtype=np.int64)
    for i, row in enumerate(pauses):
        for j, (s, e) in enumerate(row):
            ps[i, j] = s.toordinal() - base
            pe[i, j] = NONE if e is None else e.toordinal() - base
    return acc, ps, pe


def recompute(calendar: WorkingCalendar, accepted: Sequence[dt.date], limits: Sequence[int],
              pauses: Sequence[Sequence[tuple]], as_of: dt.date,
              yellow_share: float = DEFAULT_YELLOW_SHARE, table: DayTable | None = None) -> Clocks:
    """Clocks of ``len(accepted)`` cases on ``as_of``; pauses per case as sorted (start, end|None)."""
    first = min(min(accepted).year, as_of.year) if len(accepted) else as_of.year
    table = table or DayTable.covering(calendar, first, max(as_of.year, max(d.year for d in accepted)))
    cum, wdays, base = table.cum, table.wdays, table.base
    now = as_of.toordinal() - base
    acc, ps, pe = _arrays(accepted, pauses, base)
    lim = np.asarray(limits, dtype=np.int64)
    due, missing = _deadlines(cum, wdays, acc, lim, ps, pe)
    used = cum[now] - cum[acc]
    paused = np.zeros(len(acc), dtype=bool)
    for j in range(ps.shape[1]):
        has = (ps[:, j] != NONE) & (ps[:, j] <= now)
        stop = np.where(pe[:, j] == NONE, now, np.minimum(pe[:, j], now))
        used -= np.where(has, cum[stop] - cum[np.maximum(ps[:, j] - 1, 0)], 0)
        paused |= has & ((pe[:, j] == NONE) | (now <= pe[:, j]))
    left = lim - used
    level = np.zeros(len(acc), dtype=np.int8)
    level[(lim > 0) & (used >= yellow_share * lim)] = 1
    level[left <= RED_LEFT] = 2
    level[(due != NONE) & (now > due)] = 3
    return Clocks(base, due, used, left, paused, level, missing)


def _deadlines(cum, wdays, acc, lim, ps, pe):
    remaining, cursor = lim.copy(), acc.copy()
    done = np.zeros(len(acc), dtype=bool)
    running = np.zeros(len(acc), dtype=bool)
    for j in range(ps.shape[1]):
        valid = (ps[:, j] != NONE) & ~done & (remaining > 0)
        before = np.where(valid, cum[np.maximum(ps[:, j] - 1, 0)] - cum[cursor], 0)
        stop = valid & (before >= remaining)
        done |= stop
        go = valid & ~stop
        opened = go & (pe[:, j] == NONE)
        running |= opened
        done |= opened
        move = go & ~opened
        remaining = np.where(move, remaining - before, remaining)
        cursor = np.where(move, pe[:, j], cursor)
    idx = cum[cursor] + remaining - 1
    missing = (remaining > 0) & (idx >= len(wdays))
    safe = np.clip(idx, 0, len(wdays) - 1)
    due = np.where(remaining == 0, cursor, wdays[safe])
    due = np.where(running | missing, NONE, due)
    return due, missing & ~running
