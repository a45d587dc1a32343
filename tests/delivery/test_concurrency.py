"""Compare-and-set under concurrency (issue 11): N threads, each its own transaction, on both databases.

Before the fix, three simultaneous advances of one cycle all succeeded on SQLite (``FOR UPDATE``
is ignored there), a revocation was silently undone, and concurrent exports failed with 500s.
Now each change takes effect once; every loser gets ``Conflict`` / ``StateError`` (HTTP 409).
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from zhida.db import session_scope
from zhida.delivery import service
from zhida.delivery.bankfiles import export
from zhida.delivery.models import Batch, CycleEvent, Entitlement, Payment, ReturnFile
from zhida.demo.banksim import simulate_return
from zhida.errors import StateError

from .flow import new_cycle
from .helpers import LEADER, OPERATOR, REVIEWER

N = 4


def race(*jobs):
    """Run the jobs at the same moment; return each one's result or the StateError it raised."""
    barrier, out = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        try:
            out[i] = job()
        except StateError as err:
            out[i] = err
        except Exception as err:  # anything else is a failure of the test
            out[i] = RuntimeError(f"{type(err).__name__}: {err}")

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert not [o for o in out if isinstance(o, RuntimeError)], out
    return out


def in_tx(engine, fn):
    def job():
        with session_scope(engine) as s:
            return fn(s)
    return job


def test_one_transition_wins(engine):
    cid, _ = new_cycle(engine, n=6, to="待发放")
    out = race(*[in_tx(engine, lambda s: service.advance(s, LEADER, cid, "发放中").state) for _ in range(N)])
    assert out.count("发放中") == 1 and sum(isinstance(o, StateError) for o in out) == N - 1
    with session_scope(engine) as s:
        events = s.scalars(select(CycleEvent.to_state).where(CycleEvent.cycle_id == cid)).all()
        assert events.count("发放中") == 1 and service.get_cycle(s, cid).state == "发放中"


def test_revocation_is_never_silently_undone(engine):
    cid, _ = new_cycle(engine, n=6, to="待发放")
    out = race(in_tx(engine, lambda s: service.revoke(s, REVIEWER, cid, "测算有误").state),
               in_tx(engine, lambda s: service.advance(s, LEADER, cid, "发放中").state))
    winners = [o for o in out if isinstance(o, str)]
    assert len(winners) == 1 and isinstance(next(o for o in out if o not in winners), StateError)
    with session_scope(engine) as s:
        assert service.get_cycle(s, cid).state == winners[0]


def test_plain_next_step_with_expected_state(engine):
    """Three 'advance to next' clicks that saw 草稿: one moves it to 审核, none goes further."""
    with session_scope(engine) as s:
        from .helpers import make_run, make_units

        cid = service.create_cycle(s, OPERATOR, make_run(s, make_units(s, 5))).id
    out = race(*[in_tx(engine, lambda s: service.advance(s, OPERATOR, cid, expect="草稿").state) for _ in range(3)])
    assert out.count("审核") == 1
    with session_scope(engine) as s:
        assert service.get_cycle(s, cid).state == "审核"


def test_one_export_makes_the_batch(engine, tmp_path):
    cid, _ = new_cycle(engine, n=12, to="发放中")
    out = race(*[lambda i=i: export(engine, OPERATOR, cid, tmp_path / f"out{i}") for i in range(N)])
    made = [b for o in out if not isinstance(o, StateError) for b in o.batches]
    assert len(made) == 1
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Batch).where(Batch.cycle_id == cid)) == 1
        assert s.scalar(select(func.count()).where(Payment.cycle_id == cid, Payment.status == "已导出")) == made[0].rows


def test_one_return_import_applies(engine, tmp_path):
    cid, _ = new_cycle(engine, n=12, to="发放中")
    batch = export(engine, OPERATOR, cid, tmp_path).batches[0]
    ret = tmp_path / "回盘.csv"
    simulate_return(batch.file_csv, ret)
    out = race(*[in_tx(engine, lambda s: service.import_return(s, OPERATOR, cid, ret).paid) for _ in range(N)])
    assert out.count(batch.rows) == 1 and sum(isinstance(o, StateError) for o in out) == N - 1
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(ReturnFile)) == 1
        assert service.reconcile(s, cid).balanced


def test_one_confirmation_counts(engine):
    cid, codes = new_cycle(engine, n=6, to="确认期")
    unit = codes[1]
    out = race(*[in_tx(engine, lambda s: service.answer(s, OPERATOR, cid, unit).confirmation) for _ in range(N)])
    assert out.count("已确认") == 1 and sum(isinstance(o, StateError) for o in out) == N - 1
    with session_scope(engine) as s:
        assert s.get(Entitlement, (cid, unit)).confirmation == "已确认"


def test_a_crashed_exports_claim_is_taken_over(engine, tmp_path):
    import os
    import subprocess
    import sys

    from sqlalchemy import update

    from zhida.delivery.bankfiles import _HOST
    from zhida.delivery.models import Cycle

    cid, _ = new_cycle(engine, n=6, to="发放中")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    for holder, refused in ((f"{_HOST}:{os.getppid()}:live", True), (f"{_HOST}:{gone.stdout.strip()}:dead", False)):
        with session_scope(engine) as s:
            s.execute(update(Cycle).where(Cycle.id == cid).values(export_claim=holder, export_claimed_at=func.now()))
        try:
            result = export(engine, OPERATOR, cid, tmp_path)
            assert not refused and len(result.batches) == 1
        except StateError as err:
            assert refused and "正在由他人导出" in err.message
