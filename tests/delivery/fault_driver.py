"""Drive a run's cycle to 已完成, printing ``STEP <name>`` before each step (killed at random by the test).

Usage: python tests/delivery/fault_driver.py DB_URL RUN_ID OUT_DIR
"""

from __future__ import annotations

import sys


def main() -> None:
    from zhida.db import make_engine
    from zhida.demo.cycle import drive

    url, run_id, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    engine = make_engine(url)
    cid = drive(engine, run_id, out, lambda name: print("STEP", name, flush=True))
    print("DONE", cid, flush=True)


if __name__ == "__main__":
    main()
