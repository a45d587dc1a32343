"""Kill the delivery process (SIGKILL, from outside) at random points, resume, check invariants.

Each trial builds a fresh PostgreSQL schema with a district and a policy run, then runs the
driver (create → 公示 → SMS → confirmation → payments → export → bank return → import →
correct → reconcile) and kills it after a random step plus a random delay, again and again,
until a run finishes by itself. After every trial: no payment was exported twice, none is
lost, every SMS went out once, reconcile balances to the fen and the audit chain holds.
"""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from zhida.db import Base, import_all_models, make_engine, session_scope
from zhida.delivery import service
from zhida.delivery.models import Batch, Entitlement, Payment, Transfer
from zhida.platform import audit
from zhida.platform.models import OutboxMessage

from .helpers import make_run, make_units

PG = os.environ.get("ZHIDA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DRIVER = Path(__file__).with_name("fault_driver.py")
MIN_KILLS = 30
MAX_TRIALS = 14


@pytest.fixture
def pg_schema():
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    made = []

    def new() -> str:
        name = "f_" + uuid.uuid4().hex[:12]
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        made.append(name)
        return f"{PG}?options=-csearch_path%3D{name}"

    yield new
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()


def _setup(url: str, seed: int) -> int:
    import_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with session_scope(engine) as s:
        codes = make_units(s, 60, seed=seed)
        run_id = make_run(s, codes, ineligible={codes[0]}, seed=seed)
    engine.dispose()
    return run_id


def _run_killed(url: str, run_id: int, out: Path, rnd: random.Random) -> str | None:
    """Start the driver, kill it after a random step; return the step killed in, or None if it finished."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.Popen([sys.executable, str(DRIVER), url, str(run_id), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    target, seen, last = rnd.randint(1, 8), 0, None
    for line in proc.stdout:
        if line.startswith("STEP"):
            seen, last = seen + 1, line.split()[1]
            if seen == target:
                time.sleep(rnd.uniform(0, 0.06))
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait()  # reap it: the outbox recognises a dead worker by its pid
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode == -signal.SIGKILL:
        return last
    assert proc.returncode == 0, err
    return None


def _check(url: str, out: Path) -> None:
    engine = make_engine(url)
    with session_scope(engine) as s:
        cid = s.scalar(select(Payment.cycle_id).limit(1))
        assert service.show(s, cid).state == "已完成"
        rec = service.reconcile(s, cid)
        assert rec.balanced, rec.summary()
        transfers = {t.ref: t for t in s.scalars(select(Transfer))}
        pays = {p.id: p for p in s.scalars(select(Payment))}
        payable = s.scalar(select(func.count()).where(Entitlement.cycle_id == cid, Entitlement.excluded.is_(None),
                                                      Entitlement.confirmation != "放弃"))
        assert len(pays) == payable and {p.status for p in pays.values()} == {"已支付"}  # none lost
        files = sorted(out.glob("代发-*.csv"))
        assert len(files) == s.scalar(select(func.count()).select_from(Batch))
        lines = []
        for f in files:
            with open(f, encoding="utf-8-sig") as fh:
                lines += [row["业务参考号"] for row in csv.DictReader(fh)]
        assert len(lines) == len(set(lines)) and set(lines) == set(transfers)  # each line once, none missing
        per_payment = Counter(transfers[r].payment_id for r in lines)
        failed = Counter(t.payment_id for t in transfers.values() if t.status == "失败")
        assert all(per_payment[pid] == 1 + failed[pid] for pid in pays)  # exported again only after a failure
        sent = [json.loads(x)["key"] for x in (out / "短信发送记录.jsonl").read_text().splitlines()]
        assert len(sent) == len(set(sent)), "an SMS went out twice"
        statuses = set(s.scalars(select(OutboxMessage.status)))
        assert statuses == {"sent"} and len(sent) == s.scalar(select(func.count()).select_from(OutboxMessage))
        assert audit.verify(s).ok
    engine.dispose()


def test_sigkill_at_random_points_then_resume(pg_schema, tmp_path):
    rnd = random.Random(int(os.environ.get("ZHIDA_FAULT_SEED", "20250603")))
    kills: list[str] = []
    trials = 0
    while len(kills) < MIN_KILLS and trials < MAX_TRIALS:
        trials += 1
        url = pg_schema()
        run_id = _setup(url, seed=trials)
        out = tmp_path / f"trial{trials}"
        while (step := _run_killed(url, run_id, out, rnd)) is not None:
            kills.append(step)
        _check(url, out)
    assert len(kills) >= MIN_KILLS, f"only {len(kills)} kills in {trials} trials"
    assert len(set(kills)) >= 8, f"kills landed in too few steps: {Counter(kills)}"
    print(f"{len(kills)} kills in {trials} trials:", dict(Counter(kills)))
