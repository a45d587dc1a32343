"""The hot read endpoints: entitlement pages read by key equal the offset pages they replace,
a unit's decisions come from the latest run of each policy and period, bad data is a 422,
and the console's pool survives a dropped connection. Both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text

from tests.web.conftest import login
from tests.web.test_cycles_page import make_run
from zhida.config import Settings
from zhida.db import session_scope
from zhida.delivery import service as delivery
from zhida.delivery.models import Cycle, Entitlement
from zhida.identifiers import make_uscc
from zhida.roles import SYSTEM
from zhida.rules import service as rules
from zhida.web.pool import watch_idle, web_engine

COLUMNS = ["uscc", "name", "amount_fen", "size_class", "township", "insured", "confirmation", "objection_open",
           "excluded"]


def make_cycle(engine) -> int:
    run_id = make_run(engine)
    with session_scope(engine) as s:
        return delivery.create_cycle(s, SYSTEM, run_id).id


def offset_page(engine, cycle_id: int, page: int, size: int) -> list[dict]:
    """The reference: the page as OFFSET/LIMIT over the cycle's rows in USCC order."""
    cols = [getattr(Entitlement, c) for c in COLUMNS]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).where(Entitlement.cycle_id == cycle_id).order_by(Entitlement.uscc)
                            .limit(size).offset((page - 1) * size)).all()
    return [dict(zip(COLUMNS, row, strict=False)) for row in rows]


def test_entitlement_pages_by_key_equal_offset_pages(client, district):
    cycle_id = make_cycle(district.engine)
    login(client, "t_leader")
    for size in (1, 7, 50):
        first = client.get(f"/api/v1/cycles/{cycle_id}/entitlements?size={size}").json()
        total = first["total"]
        assert total > 20 and first["pages"] == -(-total // size)
        for page in range(1, first["pages"] + 2):
            body = client.get(f"/api/v1/cycles/{cycle_id}/entitlements?size={size}&page={page}").json()
            assert body["items"] == offset_page(district.engine, cycle_id, page, size), (size, page)
            assert (body["total"], body["page"], body["size"]) == (total, page, size)
        assert body["items"] == []  # one past the last page


def test_stale_page_index_is_rebuilt(app, client, district):
    cycle_id = make_cycle(district.engine)
    login(client, "t_operator")
    with session_scope(district.engine) as s:
        created = s.get(Cycle, cycle_id).created_at
    app.state.page_index.put((cycle_id, 5), (3, created), ["ZZZZZZZZZZZZZZZZZZ"])  # a cycle of another database
    body = client.get(f"/api/v1/cycles/{cycle_id}/entitlements?size=5&page=1").json()
    assert body["items"] == offset_page(district.engine, cycle_id, 1, 5) and len(body["items"]) == 5
    stamp, firsts = app.state.page_index.get((cycle_id, 5))
    assert stamp[0] == body["total"] and firsts[0] == body["items"][0]["uscc"]


def test_unknown_cycle_is_404_in_the_error_shape(client, world):
    login(client, "t_admin")
    r = client.get("/api/v1/cycles/424242/entitlements?page=3")
    assert r.status_code == 404 and "发放批次 424242 不存在" in r.json()["error"]["message"]


def test_decisions_come_from_the_latest_run_of_each_policy_and_period(client, district):
    old = make_run(district.engine)
    with session_scope(district.engine) as s:
        new = rules.run_policy(s, "wengang-fanhuan", "2025", as_of=dt.date(2025, 6, 2)).id
    login(client, "t_reviewer")
    with session_scope(district.engine) as s:
        uscc = s.scalar(text("SELECT uscc FROM policy_results WHERE run_id = :r AND status = 'eligible'"), {"r": new})
    body = client.get(f"/api/v1/units/{uscc.lower()}/decisions").json()
    assert [d["run_id"] for d in body] == [new] and old != new
    assert body[0]["status_label"] == "符合" and body[0]["reasons"] and body[0]["amount_fen"] > 0
    assert all(set(r) == {"text", "passed"} for r in body[0]["reasons"])


def test_decisions_of_a_unit_without_runs_and_of_an_unknown_unit(client, world):
    login(client, "t_admin")
    assert client.get(f"/api/v1/units/{world.own}/decisions").json() == []
    r = client.get(f"/api/v1/units/{make_uscc('91371523MA3C9999X')}/decisions")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_a_unit_account_still_sees_only_its_own_decisions(client, world):
    login(client, world.own)
    assert client.get(f"/api/v1/units/{world.own}/decisions").status_code == 200
    r = client.get(f"/api/v1/units/{world.other}/decisions")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission"
    assert client.get("/api/v1/cycles/1/entitlements").status_code == 403


def test_nul_character_is_refused_not_a_server_error(client, world, backend):
    login(client, "t_admin")
    r = client.get("/api/v1/units", params={"q": "信发\x00"})
    if backend == "postgresql":  # PostgreSQL refuses NUL in text: the caller's error, not a 500
        assert r.status_code == 422 and "NUL" in r.json()["error"]["message"]
    else:
        assert r.status_code == 200 and r.json()["items"] == []


def test_pool_replaces_a_connection_dropped_while_idle(db_url, backend):
    engine = web_engine(Settings(database_url=db_url, environment="test", secret_key="x" * 32))
    if backend == "postgresql":
        assert engine.pool.size() == 5
        watch_idle(engine, idle=0.0)  # every checkout counts as idle
    try:
        with engine.connect() as other:
            with engine.connect() as conn:
                pid = conn.scalar(text("SELECT pg_backend_pid()")) if backend == "postgresql" else None
            if pid is not None:  # the first connection now idles in the pool; end its server process
                assert other.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": pid}) is True
        for _ in range(3):  # the dropped connection is found by the ping and replaced
            with engine.connect() as conn:
                assert conn.scalar(text("SELECT 1")) == 1
                if pid is not None:
                    assert conn.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        engine.dispose()
