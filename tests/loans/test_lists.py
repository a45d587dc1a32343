"""The list pages from the kept page index: a new row shows at once, pages slice the list
newest first, the total counts it, a bank sees only its own rows, lists by state follow a
transition at once; a stale index entry is rebuilt."""

from __future__ import annotations

from array import array

from tests.loans.conftest import BANK_CODE, OTHER_BANK, D, make_loan, person
from zhida.db import session_scope
from zhida.loans.lists import list_applications, list_loans
from zhida.loans.paging import IdIndex
from zhida.loans.sweep import sweep


def numbers(engine, **kw):
    with session_scope(engine) as s:
        rows, total = list_loans(s, **kw)
        return [r.number for r in rows], total


def test_pages_totals_scope_and_new_rows(loans_db):
    made = [make_loan(loans_db, start=D(2025, 7, 20), who=person(serial=f"{i:03d}"),
                      bank=OTHER_BANK if i == 4 else None) for i in range(1, 5)]
    assert numbers(loans_db, limit=2) == ([made[3], made[2]], 4)
    assert numbers(loans_db, limit=2, offset=2) == ([made[1], made[0]], 4)
    assert numbers(loans_db, limit=2, offset=4) == ([], 4)
    assert numbers(loans_db, bank=BANK_CODE, limit=10) == ([made[2], made[1], made[0]], 3)
    assert numbers(loans_db, bank=OTHER_BANK, limit=10) == ([made[3]], 1)
    newest = make_loan(loans_db, start=D(2025, 8, 20), who=person(serial="009"))  # the index is kept: checked
    assert numbers(loans_db, limit=2) == ([newest, made[3]], 5)
    assert numbers(loans_db, year=2024, limit=10) == ([], 0)
    with session_scope(loans_db) as s:
        rows, total = list_applications(s, limit=3)
        assert total == 5 and [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)


def test_a_list_by_state_follows_a_transition_at_once(loans_db):
    late = make_loan(loans_db, start=D(2025, 7, 20))
    assert numbers(loans_db, state="逾期") == ([], 0)
    assert numbers(loans_db, state="还款中")[1] == 1
    with session_scope(loans_db) as s:
        assert sweep(s, D(2025, 10, 21)).overdue == 1
    assert numbers(loans_db, state="逾期") == ([late], 1)
    assert numbers(loans_db, state="还款中") == ([], 0)


def test_a_kept_entry_is_rebuilt_when_the_stamp_moves_or_it_is_too_old():
    index, calls = IdIndex(ttl=0.0), []
    load = lambda: calls.append(1) or [2, 1]  # noqa: E731
    assert index.ids("k", 2, load) == array("q", [2, 1]) and index.ids("k", 2, load) == array("q", [2, 1])
    assert len(calls) == 2  # ttl 0: never kept
    index = IdIndex(ttl=60, capacity=2)
    for key in ("a", "b", "c"):
        index.ids(key, 1, lambda: [1])
    assert index.kept("a") is None and index.kept("c") == (1, array("q", [1]))  # least recently used out
