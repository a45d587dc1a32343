"""A killed import leaves the database as it was: all of the file or none of it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from tests.imports.helpers import ENT_HEADERS, ent_row, write_csv
from zhida.db import session_scope
from zhida.registry.models import Unit

N = 20_000


def test_sigkill_mid_import_writes_nothing_or_everything(engine, db_url, tmp_path):
    path = write_csv(tmp_path / "big.csv", ENT_HEADERS, [ent_row(i) for i in range(1, N + 1)])
    env = {**os.environ, "ZHIDA_DATABASE_URL": db_url}
    rng = random.Random(3)
    outcomes = []
    for delay in [rng.uniform(0.3, 4.0) for _ in range(4)]:
        proc = subprocess.Popen([sys.executable, "-m", "zhida", "import", "enterprises", str(path)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with session_scope(engine) as s:
            n = s.scalar(select(func.count()).select_from(Unit))
        assert n in (0, N), f"a killed import left {n} of {N} rows"
        outcomes.append(n)
    done = subprocess.run([sys.executable, "-m", "zhida", "import", "enterprises", str(path)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == N
