"""Numbered pages of long lists without ``OFFSET`` or ``count(*)`` per request (分页索引).

A list of 100,000 loans asked for at a random page number cost two scans per request: the
row count and an ``OFFSET`` walk along the primary key to the page (≈ 10–20 ms each on
PostgreSQL). ``IdIndex`` keeps, per process, the ids of a list in display order (newest
first), so that page N is a slice and the total its length; the page's rows are then read by
their ids. What a list holds changes only when a row is added — a list filtered by state is
not kept here, since a transition moves rows in and out of it — so an entry is checked with
the table's highest id on every request (one index probe) and rebuilt when it grew.

Ids are not committed in the order they are drawn: a row committed after a higher id could be
missed by a check of the highest id alone, so an entry is also rebuilt ``ttl`` seconds after
it was read — the longest such a row can stay off the list.

>>> index = IdIndex(ttl=60, capacity=1)
>>> index.ids(("loans", None), 5, lambda: [5, 3, 1])
array('q', [5, 3, 1])
>>> index.ids(("loans", None), 5, lambda: [])  # same highest id: kept
array('q', [5, 3, 1])
>>> index.ids(("loans", None), 6, lambda: [6, 5, 3, 1])  # a new row: rebuilt
array('q', [6, 5, 3, 1])
"""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from threading import Lock

Entry = tuple[int | None, float, array]


class IdIndex:
    """The ids of lists in display order, per key (the list and its filters), least recently
    used out beyond ``capacity``; an entry is rebuilt when the stamp (the table's highest id)
    differs or after ``ttl`` seconds."""

    def __init__(self, ttl: float = 30.0, capacity: int = 32) -> None:
        self.ttl, self.capacity = ttl, capacity
        self._data: OrderedDict[Hashable, Entry] = OrderedDict()
        self._lock = Lock()

    def kept(self, key: Hashable) -> tuple[int | None, array] | None:
        """The stamp and ids kept for ``key`` if they are fresh (the caller checks the stamp)."""
        with self._lock:
            hit = self._data.get(key)
            if hit is None or time.monotonic() - hit[1] >= self.ttl:
                return None
            self._data.move_to_end(key)
            return hit[0], hit[2]

    def ids(self, key: Hashable, stamp: int | None, load: Callable[[], Iterable[int]]) -> array:
        """The ids of ``key``: kept ones when the stamp matches and they are fresh, else ``load()``."""
        hit = self.kept(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        now = time.monotonic()
        ids = array("q", load())
        with self._lock:
            self._data[key] = (stamp, now, ids)
            self._data.move_to_end(key)
            while len(self._data) > self.capacity:
                self._data.popitem(last=False)
        return ids

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
