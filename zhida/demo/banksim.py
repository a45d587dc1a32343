"""A simulated bank for the demo and the tests: reads a 代发文件, writes its 回盘 file.

A line fails when ``fails(line)`` says so (``line``: the file's row as a dict; by default
lines whose 账号 is in ``bad_accounts``), with the reason a bank gives for a wrong account.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from zhida.sheets import write_csv

REASON = "户名与账号不符"


def simulate_return(batch_csv: str | Path, out: str | Path, fails: Callable[[dict], bool] | None = None,
                    bad_accounts: Iterable[str] = ()) -> tuple[int, int]:
    """Write the return file of ``batch_csv`` to ``out``; return (succeeded, failed)."""
    bad = set(bad_accounts)
    fails = fails or (lambda line: line["账号"] in bad)
    ok = failed = 0
    with open(batch_csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    lines = [["业务参考号", "户名", "金额", "状态", "失败原因"]]
    for r in rows:
        bad_line = bool(fails(r))
        lines.append([r["业务参考号"], r["户名"], r["金额"], "失败" if bad_line else "成功", REASON if bad_line else ""])
        failed += bad_line
        ok += not bad_line
    write_csv(out, lines)
    return ok, failed
