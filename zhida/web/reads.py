"""Hot read paths of the API: one statement per request, plain rows, JSON built in one call.

The response models in ``zhida.web.schemas`` still describe these responses (OpenAPI, the
schema tests); the rows are simply not validated into them one by one.

Entitlement pages are read by key instead of by offset: the first USCC of every page of a cycle
is computed once per page size (a window query) and kept in-process, so that page N of 1,200 costs
one index range scan of 50 rows, not a walk over the index up to row 60,000.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from fastapi.responses import Response
from pydantic_core import to_json
from sqlalchemy.engine import Connection

from zhida.delivery import queries as delivery_queries
from zhida.delivery.queries import ENTITLEMENT_KEYS, Stamp
from zhida.errors import NotFound
from zhida.registry import queries as registry_queries
from zhida.web.views import decisions_of


def json_response(body: object) -> Response:
    """A JSON response serialised in one call (pydantic-core, UTF-8, no escaping of Chinese)."""
    return Response(content=to_json(body), media_type="application/json")


def unit_decisions(conn: Connection, uscc: str) -> list[dict[str, Any]]:
    """A unit's decisions as the API shows them; NotFound for an unknown unit."""
    out = [{"run_id": d.run_id, "policy_id": d.policy_id, "policy_name": d.policy_name, "period": d.period,
            "status": d.status, "status_label": d.status_label, "amount_fen": d.amount_fen,
            "reasons": [{"text": r.text, "passed": r.passed} for r in d.reasons]}
           for d in decisions_of(conn, uscc)]
    if not out and not registry_queries.exists(conn, uscc):
        raise NotFound(f"统一社会信用代码为 {uscc} 的单位不存在")
    return out


class PageIndex:
    """First keys of the pages of a cycle's entitlements, per (cycle, page size), least recently used out.

    A cycle's units are frozen when it is created (inserted in the transaction that sets
    ``units``) and never added or removed, so the keys stay right for the cycle's lifetime. The
    cycle's stamp (units, created_at), read with every page, catches a database rebuilt under a
    running server.

    >>> index = PageIndex(capacity=1)
    >>> index.put((1, 50), (3, None), ["A", "D"])
    >>> index.get((1, 50))
    ((3, None), ['A', 'D'])
    >>> index.put((2, 50), (1, None), ["B"]); index.get((1, 50)) is None
    True
    """

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._data: OrderedDict[tuple[int, int], tuple[Stamp, list[str]]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[int, int]) -> tuple[Stamp, list[str]] | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: tuple[int, int], stamp: Stamp, firsts: list[str]) -> None:
        with self._lock:
            self._data[key] = (stamp, firsts)
            self._data.move_to_end(key)
            while len(self._data) > self.capacity:
                self._data.popitem(last=False)

    def knows(self, cycle_id: int, size: int) -> bool:
        """Whether the first keys of the pages of ``size`` of the cycle are held."""
        with self._lock:
            return (cycle_id, size) in self._data

    def drop(self, key: tuple[int, int]) -> None:
        with self._lock:
            self._data.pop(key, None)


def _missing(cycle_id: int) -> NotFound:
    return NotFound(f"发放批次 {cycle_id} 不存在")


def _stamp(conn: Connection, cycle_id: int) -> Stamp:
    stamp = delivery_queries.cycle_stamp(conn, cycle_id)
    if stamp is None:
        raise _missing(cycle_id)
    return stamp


def index_pages(conn: Connection, index: PageIndex, cycle_id: int, size: int) -> tuple[Stamp, list[str]]:
    """Compute and keep the first keys of the pages of ``size`` of the cycle (a window query over all
    its entitlements: the API runs it in the thread pool). NotFound for an unknown cycle."""
    hit = (_stamp(conn, cycle_id), delivery_queries.page_firsts(conn, cycle_id, size))
    index.put((cycle_id, size), *hit)
    return hit


def _index_of(conn: Connection, index: PageIndex, cycle_id: int, size: int) -> tuple[Stamp, list[str]]:
    return index.get((cycle_id, size)) or index_pages(conn, index, cycle_id, size)


def _page_rows(conn: Connection, cycle_id: int, first: str | None, size: int) -> list[Any]:
    """The cycle's stamp joined with one page of rows starting at ``first`` (none when ``first`` is None)."""
    if first is None:
        return [(*_stamp(conn, cycle_id),)]
    rows = delivery_queries.entitlement_page_rows(conn, cycle_id, first, size)
    if not rows:
        raise _missing(cycle_id)
    return rows


def entitlement_page(conn: Connection, index: PageIndex, cycle_id: int, page: int, size: int) -> dict[str, Any]:
    """One page of a cycle's entitlements, by USCC, with the total from the cycle row."""
    for _ in range(2):
        stamp, firsts = _index_of(conn, index, cycle_id, size)
        rows = _page_rows(conn, cycle_id, firsts[page - 1] if page <= len(firsts) else None, size)
        if (rows[0][0], rows[0][1]) == stamp:
            break
        index.drop((cycle_id, size))  # the database changed under us: rebuild once
    items = [dict(zip(ENTITLEMENT_KEYS, row[2:], strict=True)) for row in rows if len(row) > 2 and row[2] is not None]
    units = rows[0][0]
    return {"items": items, "total": units, "page": page, "size": size, "pages": max(1, -(-units // size))}
