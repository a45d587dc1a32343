"""An outbox worker whose sends take a few milliseconds, started on a signal file (for the concurrency test).

Usage: python tests/platform_services/slow_worker.py DB_URL LOG_FILE GO_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    from zhida.db import make_engine
    from zhida.platform.outbox import work
    from zhida.platform.senders import FileSender

    class SlowSender(FileSender):
        def send(self, msg):
            time.sleep(0.01)
            return super().send(msg)

    url, log, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    engine = make_engine(url)
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.01)
    stats = work(engine, SlowSender(log, fsync=False), once=True, batch=10)
    print(json.dumps({"sent": stats.sent}), flush=True)


if __name__ == "__main__":
    main()
