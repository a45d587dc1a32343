"""A simulated bank for the demo and the tests: reads a 代发文件, writes its 回盘 file.

A line fails when ``fails(line)`` says so (``line``: the file's row as a dict; by default
lines whose 账号 is in ``bad_accounts``), with the reason a bank gives for a wrong account.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from pathlib import Path

REASON = "户名与账号不符"


def simulate_return(batch_csv: str | Path, out: str | Path, fails: Callable[[dict], bool] | None = None,
                    bad_accounts: Iterable[str] = ()) -> tuple[int, int]:
    """Write the return file of ``batch_csv`` to ``out``; return (succeeded, failed)."""
    bad = set(bad_accounts)
    fails = fails or (lambda line: line["账号"] in bad)
    ok = failed = 0
    with open(batch_csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(["业务参考号", "户名", "金额", "状态", "失败原因"])
        for r in rows:
            bad_line = bool(fails(r))
            w.writerow([r["业务参考号"], r["户名"], r["金额"], "失败" if bad_line else "成功", REASON if bad_line else ""])
            failed += bad_line
            ok += not bad_line
    os.replace(tmp, out)
    return ok, failed
